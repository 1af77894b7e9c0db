"""manage.py import_content PATH...: import content files (Markdown + YAML front matter) as pages."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from practices.importing import import_files


def expand(paths):
    files = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files.extend(sorted(path.glob("*.md")))
        else:
            files.append(path)
    return files


def import_with_progress(command, files, publish=True):
    """Import ``files`` printing one line per file and a summary; returns (results, errors)."""
    total = len(files)
    done = 0

    def report(prefix, text, style):
        nonlocal done
        done += 1
        command.stdout.write(style(f"[{done}/{total}] {prefix} {text}"))

    results, errors = import_files(
        files,
        publish=publish,
        on_result=lambda r: report(
            r.action, f"{r.page.specific_class._meta.verbose_name} «{r.page.title}» ({r.path})", command.style.SUCCESS
        ),
        on_error=lambda e: report("FEIL", str(e), command.style.ERROR),
    )
    counts = {action: sum(1 for r in results if r.action == action) for action in ("opprettet", "oppdatert", "uendret")}
    command.stdout.write(
        f"Import ferdig: {counts['opprettet']} opprettet, {counts['oppdatert']} oppdatert, "
        f"{counts['uendret']} uendret, {len(errors)} med feil."
    )
    return results, errors


class Command(BaseCommand):
    help = "Importerer innholdsfiler (Markdown med YAML-hode) som sider. Se docs/innholdsformat.md."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="Filer eller mapper med .md-filer")
        parser.add_argument("--draft", action="store_true", help="Lagre som utkast i stedet for å publisere")

    def handle(self, *args, paths, draft, **options):
        files = expand(paths)
        if not files:
            raise CommandError("Fant ingen filer å importere.")
        _results, errors = import_with_progress(self, files, publish=not draft)
        if errors:
            raise CommandError(f"{len(errors)} fil(er) ble ikke importert; se feilene over.")
