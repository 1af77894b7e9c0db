"""manage.py purge_submissions: delete what «Del ditt eksempel» no longer needs (for cron, daily).

Unconfirmed submissions after SUBMISSION_CONFIRM_DAYS, rejected ones (with their draft pages and
documents) SUBMISSION_REJECTED_RETENTION_DAYS after the rejection; the submitter's name and
e-mail address SUBMISSION_CONTACT_RETENTION_DAYS after publication. Safe to run again."""

from django.core.management.base import BaseCommand

from kunnskapsbase.progress import Progress
from practices.submissions.retention import contacts_due, delete_submission, due_for_deletion, erase


class Command(BaseCommand):
    help = "Sletter ubekreftede og avviste innsendte eksempler og gamle kontaktopplysninger."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Vis hva som ville blitt slettet")

    def handle(self, *args, dry_run, **options):
        doomed = list(due_for_deletion())
        contacts = list(contacts_due())
        verb = "Ville slettet" if dry_run else "Sletter"
        self.stdout.write(f"{len(doomed)} innsendte eksempler skal slettes, {len(contacts)} kontaktopplysninger.")
        pages = 0
        progress = Progress(self.stdout, unit="innsendinger/s")
        for number, submission in enumerate(doomed, start=1):
            self.stdout.write(f"  {verb} «{submission.title}» ({submission.get_status_display().lower()})")
            if not dry_run:
                pages += delete_submission(submission)
            progress(number, len(doomed))
        for submission in contacts:
            self.stdout.write(f"  {verb} kontaktopplysningene for «{submission.title}»")
            if not dry_run:
                erase(submission)
        prefix = "Tørrkjøring: " if dry_run else ""
        self.stdout.write(
            self.style.SUCCESS(
                f"{prefix}Ferdig: {len(doomed)} innsendinger og {pages} kladdesider slettet, "
                f"{len(contacts)} kontaktopplysninger fjernet."
                if not dry_run
                else f"{prefix}{len(doomed)} innsendinger og {len(contacts)} kontaktopplysninger ville blitt slettet."
            )
        )
