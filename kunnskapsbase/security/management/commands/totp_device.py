"""manage.py totp_device USERNAME: set up (or remove) a user's authenticator app for the
optional two-factor login (kunnskapsbase/security/twofactor.py, docs/drift.md)."""

from base64 import b32encode

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice

DEVICE_NAME = "Autentiseringsapp"


class Command(BaseCommand):
    help = "Sett opp en autentiseringsapp (engangskoder) for en bruker, eller fjern den med --delete."

    def add_arguments(self, parser):
        parser.add_argument("username", help="Brukernavnet")
        parser.add_argument("--delete", action="store_true", help="Fjern brukerens autentiseringsapper")

    def handle(self, *args, username, delete, **options):
        User = get_user_model()
        try:
            user = User.objects.get(**{User.USERNAME_FIELD: username})
        except User.DoesNotExist:
            raise CommandError(f"Fant ingen bruker «{username}».") from None
        removed, _ = TOTPDevice.objects.filter(user=user).delete()
        if delete:
            self.stdout.write(self.style.SUCCESS(f"{removed} autentiseringsapp(er) fjernet for «{username}»."))
            return
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=True)
        secret = b32encode(device.bin_key).decode()
        self.stdout.write(
            f"Ny autentiseringsapp for «{username}»{' (den gamle er fjernet)' if removed else ''}.\n"
            f"Skann eller lim inn denne adressen i appen (f.eks. som QR-kode):\n    {device.config_url}\n"
            f"Eller skriv inn nøkkelen for hånd: {secret}\n"
            "Gi den til brukeren på en trygg måte; den vises ikke igjen."
        )
