"""Django's minimum-length password validator with its messages in Norwegian bokmål.

Django 5.2 changed the message's placeholder, and the bundled nb catalogue still has the old
one, so the message came out in English (in `bootstrap` and the admin's password forms alike).
Only the wording changes: the check is Django's own.
"""

from django.contrib.auth.password_validation import MinimumLengthValidator


class NorwegianMinimumLengthValidator(MinimumLengthValidator):
    def get_error_message(self):
        return f"Dette passordet er for kort. Det må inneholde minst {self.min_length} tegn."

    def get_help_text(self):
        return f"Passordet må inneholde minst {self.min_length} tegn."
