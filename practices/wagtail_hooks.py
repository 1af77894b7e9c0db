"""Admin registration: the taxonomies as snippet view sets, grouped under «Taksonomier»."""

from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import County, FundingSource, Law, Municipality, TargetGroup, Theme


class RegisterViewSet(SnippetViewSet):
    """A register's admin list. Its search box filters the rows in the database («Lill» finds
    Lillestrøm, «3205» its number): Wagtail's search backend cannot restrict a search to these
    columns on SQLite («no such column»), and the registers are small."""

    search_backend_name = None


class CountyViewSet(RegisterViewSet):
    model = County
    icon = "site"
    menu_label = "Fylker"
    list_display = ["name", "number", "valid_from", "valid_to"]
    list_filter = ["valid_to"]
    search_fields = ["name"]
    ordering = ["number"]


class MunicipalityViewSet(RegisterViewSet):
    model = Municipality
    icon = "home"
    menu_label = "Kommuner"
    list_display = ["name", "number", "county", "valid_from", "valid_to", "population", "population_year"]
    list_filter = ["county", "valid_to"]
    search_fields = ["name", "number", "aliases"]


class LawViewSet(RegisterViewSet):
    model = Law
    icon = "doc-full"
    menu_label = "Lover"
    list_display = ["short_name", "abbreviation", "lovdata_id"]
    search_fields = ["name", "short_name", "abbreviation", "aliases"]


class ThemeViewSet(RegisterViewSet):
    model = Theme
    icon = "tag"
    menu_label = "Temaer"
    list_display = ["name", "slug"]
    search_fields = ["name"]


class TargetGroupViewSet(RegisterViewSet):
    model = TargetGroup
    icon = "group"
    menu_label = "Målgrupper"
    list_display = ["name", "slug"]
    search_fields = ["name"]


class FundingSourceViewSet(RegisterViewSet):
    model = FundingSource
    icon = "pick"
    menu_label = "Finansieringskilder"
    list_display = ["name", "slug"]
    search_fields = ["name"]


class TaxonomyViewSetGroup(SnippetViewSetGroup):
    menu_label = "Taksonomier"
    menu_icon = "folder-open-inverse"
    menu_order = 300
    items = (
        LawViewSet,
        ThemeViewSet,
        TargetGroupViewSet,
        CountyViewSet,
        MunicipalityViewSet,
        FundingSourceViewSet,
    )


register_snippet(TaxonomyViewSetGroup)


# --- Searchable choosers in the page editor (practices/choosers.py) -----------------------------

from wagtail import hooks  # noqa: E402

from . import choosers  # noqa: E402


@hooks.register("register_admin_urls")
def register_chooser_urls():
    return choosers.admin_urls()


@hooks.register("insert_global_admin_js")
def chooser_texts_in_norwegian():
    return choosers.norwegian_texts_script()


# --- Report: practice examples due for review (practices/admin_reports.py) ----------------------

from . import admin_reports  # noqa: E402


@hooks.register("register_admin_urls")
def register_review_report_urls():
    return admin_reports.admin_urls()


@hooks.register("register_reports_menu_item")
def register_review_report_menu_item():
    return admin_reports.menu_item()


# --- Rich text: underline (Word imports keep it; Wagtail has no such feature) ------------------

from wagtail.admin.rich_text.converters.html_to_contentstate import InlineStyleElementHandler  # noqa: E402
from wagtail.admin.rich_text.editors.draftail import features as draftail_features  # noqa: E402


@hooks.register("register_rich_text_features")
def register_underline_feature(features):
    features.register_editor_plugin(
        "draftail",
        "underline",
        draftail_features.InlineStyleFeature(
            {
                "type": "UNDERLINE",
                "label": "U",
                "description": "Understreking",
                "style": {"textDecoration": "underline"},
            }
        ),
    )
    features.register_converter_rule(
        "contentstate",
        "underline",
        {
            "from_database_format": {"u": InlineStyleElementHandler("UNDERLINE")},
            "to_database_format": {"style_map": {"UNDERLINE": "u"}},
        },
    )


# --- Import from Word: «Importer rapport fra Word» (practices/admin_views.py) -------------------

from django.urls import path, reverse  # noqa: E402
from wagtail.admin.menu import MenuItem  # noqa: E402

from . import admin_views  # noqa: E402


class ImportReportMenuItem(MenuItem):
    """Shown only to users who may add reports under the report index."""

    def is_shown(self, request):
        return admin_views.report_index_for(request.user) is not None


@hooks.register("register_admin_urls")
def register_import_report_urls():
    return [path("rapporter/importer-fra-word/", admin_views.import_report_view, name="practices_import_report")]


@hooks.register("register_admin_menu_item")
def register_import_report_menu_item():
    # Right below «Sider» (order 100), where editors look for ways to add content.
    return ImportReportMenuItem(
        "Importer rapport fra Word",
        reverse("practices_import_report"),
        name="import-report-from-word",
        icon_name="upload",
        order=150,
    )


# --- Four eyes: Godkjennere do not publish their own changes (practices/four_eyes.py) ----------

from . import four_eyes  # noqa: E402

hooks.register("before_edit_page", four_eyes.explain_own_change)
hooks.register("before_publish_page", four_eyes.refuse_direct_publish)
hooks.register("construct_page_action_menu", four_eyes.hide_publish_button)
hooks.register("before_bulk_action", four_eyes.refuse_bulk_publish)


# --- Drafts' documents stay private (practices/media_privacy.py) ------------------------------

from .media_privacy import check_document  # noqa: E402


@hooks.register("before_serve_document", order=-1)  # before Wagtail's collection-restriction check
def hide_private_document(document, request):
    return check_document(document, request)


# --- «Del ditt eksempel»: submitted examples in the admin (practices/submissions/admin.py) ------

from .submissions import admin as _submissions_admin  # noqa: E402, F401
