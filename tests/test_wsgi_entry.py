"""The WSGI entry point gunicorn loads (kunnskapsbase.wsgi): what it has loaded is taken out of
the cyclic garbage collector's full passes, so a pass walks only what requests add later
instead of every module, class and function of Django, Wagtail and the project."""

import json

from tests.test_settings import production_env, run


def test_the_wsgi_entry_point_leaves_what_it_loaded_out_of_the_collectors_full_passes(tmp_path):
    code = (
        "import gc, json; import kunnskapsbase.wsgi as w; "
        "print(json.dumps({'frozen': gc.get_freeze_count(), 'walked': len(gc.get_objects()), "
        "'callable': callable(w.application)}))"
    )
    result = run(["-c", code], production_env(tmp_path))
    assert result.returncode == 0, result.stderr
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    assert figures["callable"]
    # Django and Wagtail alone are well over 100 000 objects; a full pass walks a few percent of that.
    assert figures["frozen"] > 100_000
    assert figures["walked"] < figures["frozen"] / 10
