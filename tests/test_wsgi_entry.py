"""The WSGI entry point gunicorn loads (kunnskapsbase.wsgi): what it has loaded is taken out of
the cyclic garbage collector's full passes, so a pass walks only what requests add later
instead of every module, class and function of Django, Wagtail and the project."""

import json
import os
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


def test_the_wsgi_entry_point_leaves_what_it_loaded_out_of_the_collectors_full_passes(tmp_path):
    env = {key: value for key, value in os.environ.items() if not key.startswith(("SECURE_", "DJANGO_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="kunnskapsbase.settings.production",
        SECRET_KEY="k" * 60,
        ALLOWED_HOSTS="kunnskapsbase.example.no",
        DATABASE_URL=f"sqlite:///{tmp_path / 'wsgi.sqlite3'}",
    )
    code = (
        "import gc, json; import kunnskapsbase.wsgi as w; "
        "print(json.dumps({'frozen': gc.get_freeze_count(), 'walked': len(gc.get_objects()), "
        "'callable': callable(w.application)}))"
    )
    output = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True, cwd=BASE_DIR
    )
    figures = json.loads(output.stdout.strip().splitlines()[-1])
    assert figures["callable"]
    # Django and Wagtail alone are well over 100 000 objects; a full pass walks a few percent of that.
    assert figures["frozen"] > 100_000
    assert figures["walked"] < figures["frozen"] / 10
