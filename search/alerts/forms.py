"""The subscribe form: an e-mail address, how often, and a honeypot field people never see."""

from django import forms

from .models import Frequency

HONEYPOT = "nettsted"


class SubscribeForm(forms.Form):
    email = forms.EmailField(
        label="E-postadresse",
        max_length=254,
        error_messages={
            "required": "Skriv e-postadressen du vil ha varslene til.",
            "invalid": "Skriv en gyldig e-postadresse, f.eks. navn@kommune.no.",
            "max_length": "E-postadressen er for lang.",
        },
    )
    frequency = forms.ChoiceField(
        label="Hvor ofte",
        choices=Frequency.choices,
        initial=Frequency.WEEKLY,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Velg hvor ofte du vil ha varsel.",
            "invalid_choice": "Velg daglig eller ukentlig.",
        },
    )
    # Hidden from people with CSS and from screen readers; bots fill it in.
    nettsted = forms.CharField(label="La dette feltet stå tomt", required=False, max_length=200)

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    @property
    def is_bot(self):
        return bool(self.data.get(HONEYPOT, "").strip())
