"""WSGI entry point (gunicorn kunnskapsbase.wsgi)."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kunnskapsbase.settings.production")

application = get_wsgi_application()

# What is loaded by now (Django, Wagtail and the project's modules: some 210 000 objects) lives as
# long as the process, yet each full pass of the cyclic garbage collector walked all of it: a
# pause of 140 ms for the request it fell on. Frozen, a full pass walks only what came later
# (2-7 ms at 10 000 practices; docs/ytelse.md, round 7). Done in each gunicorn worker, or once
# before the fork with --preload, where it also spares the workers' copies of those pages.
gc.freeze()
