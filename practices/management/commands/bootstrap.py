"""manage.py bootstrap: everything a fresh database needs, safe to run again at any time.

Migrates, creates the page tree (and the editors' groups and review workflow, see
practices/editorial.py), loads the taxonomies and imports the seed content in
fixtures/; with --create-admin also makes a local administrator and says how to log in.

The administrator's password: ADMIN_PASSWORD if set (it must pass AUTH_PASSWORD_VALIDATORS,
checked before anything is done), else a generated one. A generated password is printed once,
when the administrator is created in this database, and stored nowhere; later runs say how to
set a new one (``changepassword``). So the password belongs to the database, not the checkout.
"""

import os
import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from practices.editorial import ensure_editorial_setup
from practices.importing import EditedSinceImport
from practices.site_pages import ensure_site_address, ensure_site_pages
from practices.site_tree import ensure_site_tree
from practices.taxonomy_loader import load_taxonomies

from .import_content import expand, import_with_progress

FIXTURES_DIR = Path(settings.BASE_DIR) / "fixtures"
ADMIN_USERNAME = "admin"


class Command(BaseCommand):
    help = "Gjør databasen klar: migrering, sidetre, taksonomier og grunninnhold. Kan kjøres flere ganger."

    def add_arguments(self, parser):
        parser.add_argument("--create-admin", action="store_true", help="Opprett en lokal administrator")
        parser.add_argument("--skip-content", action="store_true", help="Ikke importer fixtures/")

    def handle(self, *args, create_admin, skip_content, **options):
        verbosity = options["verbosity"]
        if create_admin:
            self.check_admin_password()
        self.stdout.write("1/4 Migrerer databasen …")
        call_command("migrate", interactive=False, verbosity=max(verbosity - 1, 0))

        self.stdout.write("2/4 Sidetre …")
        created = ensure_site_tree()
        created += ensure_site_pages()  # about, contact, privacy, accessibility; site texts
        self.stdout.write(f"    {created} sider opprettet")
        self.stdout.write(f"    {ensure_site_address()}")
        # Redaktører, Godkjennere and the workflow «Faglig godkjenning» on the sections just created.
        editorial = ensure_editorial_setup()
        made = ", ".join(f"{count} {label}" for label, count in editorial.items())
        self.stdout.write(f"    Redaksjon: {made} opprettet")

        self.stdout.write("3/4 Taksonomier …")
        # Creates what is missing; a row an editor has changed or deleted is left as it is.
        taxonomies = load_taxonomies()
        for line in taxonomies.lines():
            self.stdout.write(f"    {line}")
        for problem in taxonomies.problems:
            self.stdout.write(self.style.WARNING(f"    Ikke lastet inn: {problem}"))

        if skip_content:
            self.stdout.write("4/4 Grunninnhold hoppet over (--skip-content)")
        else:
            self.stdout.write(f"4/4 Grunninnhold fra {FIXTURES_DIR} …")
            # Published: this is the installation itself. Pages edited in the admin since their
            # last import are left alone (reported, not fatal).
            _results, errors = import_with_progress(self, expand([FIXTURES_DIR]), publish=True, user=None)
            errors = [error for error in errors if not isinstance(error, EditedSinceImport)]
            if errors:
                raise CommandError(f"{len(errors)} fil(er) i fixtures/ kunne ikke importeres.")

        self.ensure_search_index()
        if create_admin:
            self.ensure_admin()
        self.stdout.write(self.style.SUCCESS("Ferdig."))

    def ensure_search_index(self):
        """Pages published from now on are indexed as they are published; pages that predate
        the index (or an index emptied by hand) are indexed here."""
        from search.documents import SEARCHABLE_MODELS
        from search.engines.fulltext import engine
        from search.indexing import reindex
        from search.models import SearchDocument

        expected = sum(model.objects.live().public().count() for model in SEARCHABLE_MODELS)
        # The full-text table too: it is empty right after the migration that created it.
        if SearchDocument.objects.count() != expected or engine().count() < expected:
            self.stdout.write("Bygger søkeindeksen …")
            count = reindex(lambda done, total: self.stdout.write(f"    {done}/{total}"))
            self.stdout.write(f"    {count} sider indeksert")
        from search.models import ReadAlso
        from search.tasks import enqueue_read_also_for_all

        if not ReadAlso.objects.exists():  # a new index, or one from before the lists were stored
            count = enqueue_read_also_for_all()
            self.stdout.write(f"    «Les også» for {count} sider lagt i kø for bakgrunnsjobben")

    def check_admin_password(self):
        """Refuse a weak ADMIN_PASSWORD with the validators' Norwegian messages, before any work."""
        password = os.environ.get("ADMIN_PASSWORD") or None  # empty: unset
        if password is None:
            return
        User = get_user_model()
        with translation.override(settings.LANGUAGE_CODE):
            try:
                validate_password(password, user=User(username=ADMIN_USERNAME))
            except ValidationError as error:
                reasons = " ".join(error.messages)
                raise CommandError(f"ADMIN_PASSWORD er ikke godt nok: {reasons} Ingenting er opprettet.") from None

    def ensure_admin(self):
        User = get_user_model()
        login_url = f"{settings.WAGTAILADMIN_BASE_URL}/admin/"
        change = f"Nytt passord: python manage.py changepassword {ADMIN_USERNAME}"
        if User.objects.filter(username=ADMIN_USERNAME).exists():
            self.stdout.write(
                f"Administratoren «{ADMIN_USERNAME}» finnes allerede; passordet vises bare da den ble opprettet. "
                f"Logg inn på {login_url}. {change}"
            )
            return
        password = os.environ.get("ADMIN_PASSWORD") or None
        generated = password is None
        if generated:
            password = secrets.token_urlsafe(12)
        User.objects.create_superuser(ADMIN_USERNAME, email="", password=password)
        how = f"passordet {password} (vises bare denne ene gangen)" if generated else "passordet i ADMIN_PASSWORD"
        self.stdout.write(
            self.style.SUCCESS(
                f"Logg inn på {login_url} med brukernavn «{ADMIN_USERNAME}» og {how}. {change}"
            )
        )
