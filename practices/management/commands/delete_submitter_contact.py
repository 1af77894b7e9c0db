"""manage.py delete_submitter_contact EMAIL: erase a submitter's name and e-mail address from
every example they sent through «Del ditt eksempel», when they ask (the examples stay)."""

from django.core.management.base import BaseCommand, CommandError

from practices.submissions.retention import erase_contact


class Command(BaseCommand):
    help = "Sletter navn og e-postadresse til en innsender fra alle eksemplene vedkommende har sendt inn."

    def add_arguments(self, parser):
        parser.add_argument("email", help="Innsenderens e-postadresse")

    def handle(self, *args, email, **options):
        if "@" not in email:
            raise CommandError(f"«{email}» er ikke en e-postadresse.")
        count = erase_contact(email)
        if count == 0:
            self.stdout.write(f"Fant ingen innsendte eksempler fra {email}.")
            return
        message = f"Ferdig: kontaktopplysningene er slettet fra {count} innsendte eksempler."
        self.stdout.write(self.style.SUCCESS(message))
