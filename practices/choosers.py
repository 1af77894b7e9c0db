"""The searchable choosers of the page editor: type «Lill» and pick Lillestrøm.

Municipalities, law provisions, themes, target groups, funding sources and related practice
examples are chosen with wagtail-autocomplete's ``AutocompletePanel`` (as wrapped in
chooser_panel.py, so the form holds the chosen values before the widget's script mounts) on the existing fields
(the county, a foreign key to a snippet, keeps Wagtail's own snippet chooser). What each model
shows and how it is searched is defined on the model (``autocomplete_label``,
``autocomplete_custom_queryset_filter``; see ``AutocompleteMixin`` in models/taxonomy.py).

The add-on's own admin URLs answer for any model in the database; here its views are mounted
(at /admin/autocomplete/, where its widget looks) for the models the editor's choosers use only.
"""

import unicodedata

from django.http import HttpResponseBadRequest
from django.templatetags.static import static
from django.urls import path
from django.utils.html import format_html
from wagtail.admin.auth import require_admin_access
from wagtailautocomplete import views

CHOOSABLE_MODELS = {
    "practices.county",
    "practices.municipality",
    "practices.legalprovision",
    "practices.theme",
    "practices.targetgroup",
    "practices.fundingsource",
    "practices.practicepage",
}


MAX_RESULTS = 50


def _choosable(view, parameters):
    def checked(request, *args, **kwargs):
        data = getattr(request, parameters)
        if data.get("type", "").casefold() not in CHOOSABLE_MODELS:
            return HttpResponseBadRequest("Ukjent register.")
        if request.method == "POST":  # a search: printable text, and a sane number of results
            data = data.copy()
            data["query"] = "".join(ch for ch in data.get("query", "") if unicodedata.category(ch)[0] != "C")[:200]
            try:
                limit = int(data.get("limit", MAX_RESULTS))
            except ValueError:
                limit = MAX_RESULTS
            data["limit"] = str(min(max(limit, 1), MAX_RESULTS))
            request.POST = data
        return view(request, *args, public=False, **kwargs)

    return require_admin_access(checked)


search = _choosable(views.search, "POST")
objects = _choosable(views.objects, "GET")


def norwegian_texts_script():
    """The widget's two fixed English texts in Norwegian (see the script)."""
    return format_html('<script src="{}" defer></script>', static("practices/autocomplete-nb.js"))


def admin_urls():
    return [
        path("autocomplete/search/", search, name="practices_autocomplete_search"),
        path("autocomplete/objects/", objects, name="practices_autocomplete_objects"),
    ]
