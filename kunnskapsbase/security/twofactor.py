"""Optional two-factor login for the Wagtail admin with django-otp's time-based codes (TOTP).

With ADMIN_TWO_FACTOR=true the admin's login form (WAGTAILADMIN_USER_LOGIN_FORM) asks for a
one-time code besides the password, and refuses users who have no confirmed authenticator app.
Apps are set up by an administrator on the server (``manage.py totp_device USERNAME``), which
prints the otpauth:// address to scan or type into the app. django-otp slows down repeated
wrong codes per device (its throttling); wrong passwords are counted by django-axes.
"""

from django import forms
from django.core.exceptions import ValidationError
from django_otp import devices_for_user, match_token
from wagtail.admin.forms.auth import LoginForm

NO_DEVICE = (
    "Innlogging krever engangskode fra en autentiseringsapp, og du har ikke satt opp en ennå. "
    "Be en administrator om å sette den opp."
)
BAD_TOKEN = "Engangskoden mangler, er feil eller er utløpt. Skriv inn koden appen viser nå."


class TwoFactorLoginForm(LoginForm):
    otp_token = forms.CharField(
        label="Engangskode",
        required=False,
        max_length=10,
        help_text="Den sekssifrede koden fra autentiseringsappen din.",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def clean(self):
        cleaned_data = super().clean()  # the password first: a wrong one never reaches the code
        user = self.get_user()
        if user is None:
            return cleaned_data
        if not any(devices_for_user(user, confirmed=True)):
            raise ValidationError(NO_DEVICE, code="no_otp_device")
        device = match_token(user, (cleaned_data.get("otp_token") or "").replace(" ", ""))
        if device is None:
            raise ValidationError(BAD_TOKEN, code="invalid_otp_token")
        user.otp_device = device  # django-otp stores it in the session when the login completes
        return cleaned_data
