"""manage.py send_review_reminders: e-mail each page owner (or the Godkjennere) the practice
examples due for review, one e-mail per person. Safe to run daily from cron: a person is not
reminded of the same page again within REVIEW_REMINDER_INTERVAL_DAYS (or --days)."""

from django.conf import settings
from django.core.management.base import BaseCommand

from practices.review_reminders import due_pages, plan_reminders, send_reminder


class Command(BaseCommand):
    help = "Sender e-post til eierne (ellers godkjennerne) om praksiseksempler som bør gjennomgås."

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="Ikke minn om samme side igjen før så mange dager har gått "
            f"(standard {settings.REVIEW_REMINDER_INTERVAL_DAYS}, REVIEW_REMINDER_INTERVAL_DAYS)",
        )
        parser.add_argument("--dry-run", action="store_true", help="Vis hva som ville blitt sendt")

    def handle(self, *args, days, dry_run, **options):
        interval = settings.REVIEW_REMINDER_INTERVAL_DAYS if days is None else days
        if interval < 0:
            self.stderr.write(self.style.ERROR("--days kan ikke være negativ."))
            return
        pages = due_pages()
        self.stdout.write(f"{len(pages)} praksiseksempler bør gjennomgås.")
        plan = plan_reminders(pages, interval)
        total = len(plan.pages_by_recipient)
        for number, (recipient, recipient_pages) in enumerate(plan.pages_by_recipient.items(), start=1):
            name = recipient.get_full_name() or recipient.get_username()
            verb = "Ville sendt" if dry_run else "Sender"
            self.stdout.write(f"[{number}/{total}] {verb} til {name} <{recipient.email}>: {len(recipient_pages)} sider")
            if not dry_run:
                send_reminder(recipient, recipient_pages)
        summary = (
            f"Ferdig: {total} e-poster om {plan.page_count} sider"
            f"{' (tørrkjøring, ingenting sendt)' if dry_run else ''}; "
            f"{plan.already_reminded} påminnelser hoppet over (sendt de siste {interval} dagene); "
            f"{plan.without_recipient} sider uten mottaker."
        )
        self.stdout.write(self.style.SUCCESS(summary))
