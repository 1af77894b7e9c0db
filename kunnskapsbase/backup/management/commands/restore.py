"""manage.py restore ARCHIVE: put a backup made by ``backup`` into an empty installation.

Refuses a database or media folder that already holds content unless --force is given
(then the database is replaced and the media files are laid over those present). Runs
``migrate`` afterwards so an archive from an older version of the code fits the new one.
"""

import shutil
import tempfile
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from kunnskapsbase import page_cache
from kunnskapsbase.backup import archive as backup_archive
from kunnskapsbase.backup import inventory
from practices import site_chrome


class Command(BaseCommand):
    help = "Gjenopprett database og mediefiler fra en sikkerhetskopi laget med «manage.py backup»."

    def add_arguments(self, parser):
        parser.add_argument("archive", help="Arkivfilen (.tar.gz) fra manage.py backup")
        parser.add_argument(
            "--force", action="store_true", help="Erstatt innholdet i en database og mediemappe som ikke er tomme"
        )

    def handle(self, *args, archive: str, force, **options):
        path = Path(archive)
        try:
            self.restore(path, force)
        except backup_archive.BackupError as error:
            raise CommandError(str(error)) from None

    def restore(self, path, force):
        if not path.is_file():
            raise backup_archive.BackupError(f"Fant ikke arkivet {path}.")
        engine = backup_archive.engine()
        root = backup_archive.media_root()
        if not force:
            if inventory.has_content():
                raise backup_archive.BackupError(
                    "Databasen har allerede innhold. Gjenoppretting skal gå til en tom installasjon; "
                    "bruk --force for å erstatte innholdet."
                )
            if backup_archive.media_files(root):
                raise backup_archive.BackupError(f"Mediemappen {root} er ikke tom; bruk --force for å skrive over.")
        with tempfile.TemporaryDirectory(prefix="kunnskapsbase-restore-") as work:
            self.stdout.write(f"1/4 Pakker ut {path} …")
            manifest = backup_archive.read_archive(path, work)
            if manifest["engine"] != engine:
                raise backup_archive.BackupError(
                    f"Arkivet er laget fra {manifest['engine']}, denne installasjonen bruker {engine}. "
                    "Gjenopprett til samme databasetype."
                )
            unpacked = Path(work) / backup_archive.ROOT
            self.stdout.write(f"2/4 Gjenoppretter databasen ({engine}) …")
            backup_archive.load_database(unpacked / backup_archive.DUMP_NAMES[engine])
            media = unpacked / "media"
            files = backup_archive.media_files(media)
            self.stdout.write(f"3/4 Legger tilbake {len(files)} mediefiler i {root} …")
            for done, source in enumerate(files, start=1):
                target = root / source.relative_to(media)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, target)
                if done == len(files) or done % 100 == 0:
                    self.stdout.write(f"    {done}/{len(files)}")
        self.stdout.write("4/4 Migrerer databasen til denne versjonen av koden …")
        call_command("migrate", interactive=False, verbosity=0)
        found = inventory.counts()
        expected = manifest.get("counts", {})
        # A newer version's migrations may add rows, never remove what the archive holds.
        missing = {
            label: (count, found.get(label, 0)) for label, count in expected.items() if found.get(label, 0) < count
        }
        if missing:
            raise backup_archive.BackupError(f"Mindre enn i arkivet ble gjenopprettet (arkiv, funnet): {missing}")
        page_cache.bump()  # pages cached before the restore must not be served after it
        page_cache.bump(site_chrome.VERSION_KEY)  # and the header and footer read again
        self.stdout.write(
            self.style.SUCCESS(
                f"Gjenopprettet fra {path} (laget {manifest['created']}): {inventory.describe(found)}, "
                f"{len(files)} mediefiler. Bruker dere Elasticsearch, bygg søkeindeksen på nytt: "
                "python manage.py search_reindex"
            )
        )

