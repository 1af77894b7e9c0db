"""manage.py import_content PATH... [--user NAVN] [--publish] [--draft-if-edited]: import content
files (Markdown + YAML front matter) as pages.

New and changed files become drafts sent into the workflow «Faglig godkjenning», unless
``--publish`` is given with a ``--user`` who may publish directly in the page's section (not a
Godkjenner: four eyes, see practices/four_eyes.py). A page edited in
the admin since its last import is not overwritten: the import stops for it, or with
``--draft-if-edited`` saves the file's version as a draft for review. See docs/innholdsformat.md.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from practices.importing import REVIEW_DRAFT, STOP, EditedSinceImport, import_files
from practices.importing.history import ImportUserError, acting_user


def expand(paths):
    files = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files.extend(sorted(path.glob("*.md")))
        else:
            files.append(path)
    return files


def import_with_progress(command, files, publish=True, user=None, on_edited=STOP):
    """Import ``files`` printing one line per file and a summary; returns (results, errors).

    ``errors`` includes the pages left alone because they were edited in the admin
    (EditedSinceImport)."""
    total = len(files)
    done = 0

    def report(prefix, text, style):
        nonlocal done
        done += 1
        command.stdout.write(style(f"[{done}/{total}] {prefix} {text}"))

    def on_result(result):
        state = f" – {result.state}" if result.state else ""
        kind = result.page.specific_class._meta.verbose_name
        report(result.action, f"{kind} «{result.page.title}» ({result.path}){state}", command.style.SUCCESS)

    def on_error(error):
        if isinstance(error, EditedSinceImport):
            report("STOPPET", str(error), command.style.WARNING)
        else:
            report("FEIL", str(error), command.style.ERROR)

    results, errors = import_files(files, publish=publish, user=user, on_edited=on_edited,
                                   on_result=on_result, on_error=on_error)
    counts = {action: sum(1 for r in results if r.action == action) for action in ("opprettet", "oppdatert", "uendret")}
    review = sum(1 for r in results if r.action == "til gjennomgang")
    stopped = sum(1 for e in errors if isinstance(e, EditedSinceImport))
    extra = (f"{review} lagret som utkast til gjennomgang, " if review else "") + (
        f"{stopped} stoppet (redigert i admin), " if stopped else ""
    )
    command.stdout.write(
        f"Import ferdig: {counts['opprettet']} opprettet, {counts['oppdatert']} oppdatert, "
        f"{counts['uendret']} uendret, {extra}{len(errors) - stopped} med feil."
    )
    return results, errors


class Command(BaseCommand):
    help = (
        "Importerer innholdsfiler (Markdown med YAML-hode) som sider: som utkast til godkjenning, "
        "eller publisert med --publish. Se docs/innholdsformat.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="Filer eller mapper med .md-filer")
        parser.add_argument(
            "--user", metavar="BRUKERNAVN",
            help="Brukeren som importerer: utkast sendes til godkjenning i brukerens navn, "
            "og --publish krever at brukeren kan publisere",
        )
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument(
            "--publish", action="store_true",
            help="Publiser med en gang (krever --user som kan publisere direkte; ikke en godkjenner, fire øyne)",
        )
        mode.add_argument("--draft", action="store_true", help="Lagre som utkast og send til godkjenning (standard)")
        parser.add_argument(
            "--draft-if-edited", action="store_true",
            help="Er siden redigert i admin etter forrige import, lagres filens versjon som utkast til gjennomgang "
            "i stedet for at importen stopper for siden",
        )

    def handle(self, *args, paths, user, publish, draft, draft_if_edited, **options):
        try:
            user = acting_user(
                user,
                publish,
                without_user="--publish krever --user BRUKERNAVN, en bruker som har lov til å publisere. "
                "Uten --publish blir sidene utkast som sendes til godkjenning.",
            )
        except ImportUserError as error:
            raise CommandError(str(error)) from error
        files = expand(paths)
        if not files:
            raise CommandError("Fant ingen filer å importere.")
        _results, errors = import_with_progress(
            self, files, publish=publish, user=user, on_edited=REVIEW_DRAFT if draft_if_edited else STOP
        )
        if errors:
            raise CommandError(f"{len(errors)} fil(er) ble ikke importert; se feilene over.")
