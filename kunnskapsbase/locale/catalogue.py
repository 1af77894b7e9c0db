"""Keeping the project's nb catalogue (kunnskapsbase/locale/nb) in step with Wagtail.

    python kunnskapsbase/locale/catalogue.py missing    # Wagtail strings nobody has translated to nb
    python kunnskapsbase/locale/catalogue.py compile    # .po -> .mo without GNU gettext (polib)

``missing`` lists, per Wagtail app, the msgids of Wagtail's English catalogue that neither
Wagtail's nb catalogue nor the project's translates (fuzzy entries count as missing). See
README.md beside this file for the whole routine.
"""

import sys
from pathlib import Path

import polib

HERE = Path(__file__).resolve().parent
PROJECT_CATALOGUES = {domain: HERE / "nb" / "LC_MESSAGES" / f"{domain}.po" for domain in ("django", "djangojs")}


def translated(path):
    if not path.exists():
        return set()
    return {(entry.msgctxt, entry.msgid) for entry in polib.pofile(str(path)).translated_entries()}


def missing(domain):
    """{app: [msgid, …]} of Wagtail's strings in ``domain`` that have no nb translation anywhere."""
    import wagtail

    wagtail_dir = Path(wagtail.__file__).resolve().parent
    ours = translated(PROJECT_CATALOGUES[domain])
    result = {}
    for english in sorted(wagtail_dir.glob(f"**/locale/en/LC_MESSAGES/{domain}.po")):
        app = str(english.relative_to(wagtail_dir.parent)).split("/locale/")[0]
        theirs = translated(Path(str(english).replace("/locale/en/", "/locale/nb/")))
        for entry in polib.pofile(str(english)):
            key = (entry.msgctxt, entry.msgid)
            if not entry.obsolete and key not in theirs and key not in ours:
                result.setdefault(app, []).append(entry.msgid)
    return result


def compile_catalogues():
    for path in PROJECT_CATALOGUES.values():
        polib.pofile(str(path)).save_as_mofile(str(path.with_suffix(".mo")))
        print(f"{path.relative_to(HERE)} -> {path.with_suffix('.mo').name}")


def main(argv):
    command = argv[1] if len(argv) > 1 else "missing"
    if command == "compile":
        compile_catalogues()
        return 0
    if command != "missing":
        print(__doc__)
        return 2
    total = 0
    for domain in PROJECT_CATALOGUES:
        for app, msgids in missing(domain).items():
            print(f"== {app} ({domain}.po): {len(msgids)}")
            for msgid in msgids:
                print("   ", msgid.replace("\n", "\\n"))
            total += len(msgids)
    print(f"{total} strings without a Norwegian translation.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
