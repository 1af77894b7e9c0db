"""manage.py backup: the database and the media files in one archive (see ../../archive.py)."""

import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from kunnskapsbase.backup import archive, inventory


class Command(BaseCommand):
    help = "Lag en sikkerhetskopi av databasen og mediefilene (bilder, dokumenter) i én .tar.gz-fil."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            "-o",
            help="Arkivfilen som skal lages (standard: var/backup/kunnskapsbase-ÅÅÅÅMMDD-TTMMSS.tar.gz)",
        )

    def handle(self, *args, output, **options):
        from django.conf import settings

        now = timezone.localtime()
        destination = Path(
            output or Path(settings.BASE_DIR) / "var" / "backup" / f"kunnskapsbase-{now:%Y%m%d-%H%M%S}.tar.gz"
        )
        try:
            engine = archive.engine()
            found = inventory.counts()
            with tempfile.TemporaryDirectory(prefix="kunnskapsbase-backup-") as work:
                self.stdout.write(f"1/3 Kopierer databasen ({engine}) …")
                dump_path = Path(work) / archive.DUMP_NAMES[engine]
                archive.dump_database(dump_path)
                root = archive.media_root()
                files = archive.media_files(root)
                self.stdout.write(f"2/3 Pakker {len(files)} mediefiler fra {root} …")
                manifest = {
                    "format": archive.FORMAT,
                    "engine": engine,
                    "created": now.isoformat(),
                    "counts": found,
                    "media_files": len(files),
                }

                def progress(done, total):
                    if done == total or done % 100 == 0:
                        self.stdout.write(f"    {done}/{total}")

                self.stdout.write(f"3/3 Skriver {destination} …")
                archive.write_archive(destination, manifest, dump_path, files, root, progress)
        except archive.BackupError as error:
            raise CommandError(str(error)) from None
        size = destination.stat().st_size / 1_000_000
        self.stdout.write(
            self.style.SUCCESS(
                f"Sikkerhetskopi lagret i {destination} ({size:.1f} MB): {inventory.describe(found)}, "
                f"{len(files)} mediefiler."
            )
        )
