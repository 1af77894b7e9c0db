"""What an installation holds, counted: written into a backup's manifest and printed after a
restore, so the operator sees at a glance that the restored site is the one backed up."""

from django.apps import apps
from django.db import connection

COUNTED = {
    "sider": "wagtailcore.Page",
    "sideversjoner": "wagtailcore.Revision",
    "bilder": "wagtailimages.Image",
    "dokumenter": "wagtaildocs.Document",
    "brukere": "auth.User",
    "fylker": "practices.County",
    "kommuner": "practices.Municipality",
    "lover": "practices.Law",
    "temaer": "practices.Theme",
    "målgrupper": "practices.TargetGroup",
    "finansieringskilder": "practices.FundingSource",
}


def counts():
    tables = set(connection.introspection.table_names())
    result = {}
    for label, model_label in COUNTED.items():
        model = apps.get_model(model_label)
        result[label] = model.objects.count() if model._meta.db_table in tables else 0
    return result


def has_content():
    """Whether the database holds more than what `migrate` creates (Wagtail's root and welcome page)."""
    found = counts()
    return found["sider"] > 2 or any(found[label] for label in ("brukere", "bilder", "dokumenter", "sideversjoner"))


def describe(found):
    return ", ".join(f"{count} {label}" for label, count in found.items())
