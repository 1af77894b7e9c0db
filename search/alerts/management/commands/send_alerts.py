"""``manage.py send_alerts --frequency daily|weekly``: e-mail every confirmed subscriber of that
frequency what is new or updated for their search since their last alert (alerts/sending.py).
Safe to run twice: the second run sends nothing. Also deletes subscriptions never confirmed.

    0 6 * * *   … manage.py send_alerts --frequency daily
    0 6 * * 1   … manage.py send_alerts --frequency weekly
"""

from django.core.management.base import BaseCommand

from kunnskapsbase.progress import Progress

from ...models import Frequency
from ...sending import send_alerts


class Command(BaseCommand):
    help = "Sender e-postvarsler om nye og oppdaterte treff for lagrede søk (daglig eller ukentlig)."

    def add_arguments(self, parser):
        parser.add_argument("--frequency", required=True, choices=Frequency.values, help="daily eller weekly")

    def handle(self, *args, frequency, verbosity=1, **options):
        label = Frequency(frequency).label.lower()
        progress = Progress(self.stdout, unit="varsler/s") if verbosity >= 1 else None
        if verbosity >= 1:
            self.stdout.write(f"Sjekker {label}e varsler …")
        summary = send_alerts(frequency, progress=progress)
        if verbosity >= 1:
            self.stdout.write(
                f"Ferdig: {summary.checked} varsler sjekket, {summary.sent} e-poster sendt "
                f"({summary.pages} treff), {summary.failed} feilet, "
                f"{summary.expired} ubekreftede påmeldinger slettet."
            )
        if summary.failed:
            self.stderr.write(f"{summary.failed} varsler kunne ikke sendes; se loggen.")
