#!/usr/bin/env python
"""Fingerprints (status and SHA-256 of the HTML) of the pages a visitor sees, without the page
cache, to compare two versions of the code on the same database: run it from each checkout and
diff the outputs. Used to check that making practice and report pages cheaper changed nothing a
visitor sees. Run on demand, not in tests (tests/test_page_view_queries.py checks the same in
the test suite by switching the shortcuts off).

    DATABASE_URL=sqlite:////tmp/copy.sqlite3 .venv/bin/python scripts/page_fingerprints.py > new.txt
    (cd ../other-checkout && DATABASE_URL=… python scripts/page_fingerprints.py > old.txt)
    diff old.txt new.txt

Every seed practice, report and article, the first ``--demo`` demo practices, the top of the
tree, a few search and ways-in pages and two addresses that do not exist. Progress on stderr,
a summary line at the end.
"""

import argparse
import hashlib
import os
import sys
import warnings
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--demo", type=int, default=30, help="how many demo practices (default 30)")
    args = parser.parse_args()

    sys.path.insert(0, str(BASE_DIR))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kunnskapsbase.settings.base")
    os.environ.setdefault("SECRET_KEY", "fingerprints-" + "x" * 50)
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    warnings.filterwarnings("ignore")
    import django

    django.setup()
    from django.conf import settings
    from django.test import Client
    from wagtail.models import Page

    from practices.models import ArticlePage, PracticePage, ReportPage

    settings.PAGE_CACHE_SECONDS = 0
    practices = PracticePage.objects.live()
    addresses = [
        *(page.url for page in practices.exclude(slug__startswith="demo-")),
        *(page.url for page in practices.filter(slug__startswith="demo-").order_by("pk")[: args.demo]),
        *(page.url for page in ReportPage.objects.live()),
        *(page.url for page in ArticlePage.objects.live()),
        *(page.url for page in Page.objects.live().filter(depth__lte=3)),
        "/sok/?q=bolig", "/stikkord/husleierestanser/", "/lover/sosialtjenesteloven/",
        "/finnes/ikke/", "/praksiseksempler/finnes-ikke/",
    ]
    client = Client()
    for number, address in enumerate(addresses, 1):
        response = client.get(address)
        print(response.status_code, hashlib.sha256(response.content).hexdigest()[:16], address)
        if number % 20 == 0:
            print(f"{number}/{len(addresses)} adresser", file=sys.stderr)
    print(f"Ferdig: {len(addresses)} adresser.", file=sys.stderr)


if __name__ == "__main__":
    main()
