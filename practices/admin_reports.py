"""The admin report «Praksiseksempler som bør gjennomgås»: live practice examples not reviewed
for more than two years (or never), oldest first, with CSV and XLSX export.

Registered in ``wagtail_hooks.py`` (URLs and the Reports menu). Shown to those who may edit the
practice examples: Redaktører, Godkjennere and superusers.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import DateField, Q
from django.db.models.functions import Coalesce, TruncDate
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.reports import ReportView

from .models import PracticeIndexPage, PracticePage
from .models.practice import REVIEW_INTERVAL_YEARS, review_cutoff

TITLE = "Praksiseksempler som bør gjennomgås"
URL_NAME = "practices_review_report"
NEVER = "Aldri"


def can_review_practices(user):
    """Whether ``user`` may see the report: anyone who may edit the practice examples."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    index = PracticeIndexPage.objects.first()
    return index is not None and index.permissions_for_user(user).can_edit()


def stale_practices(today=None):
    """Live practices last reviewed before today two years ago, or never; oldest first.

    A practice never reviewed is placed by its source's published date, else by when it was
    first published here."""
    cutoff = review_cutoff(today)
    return (
        PracticePage.objects.live()
        .filter(Q(last_reviewed__lt=cutoff) | Q(last_reviewed__isnull=True))
        .annotate(
            review_basis=Coalesce(
                "last_reviewed", "source_published", TruncDate("first_published_at"), output_field=DateField()
            )
        )
        .prefetch_related("municipalities")
        .order_by("review_basis", "title", "pk")
    )


def norwegian_date(value):
    if not value:
        return ""
    if hasattr(value, "hour"):
        value = timezone.localdate(value)
    return date_format(value, "j. F Y")


class StalePracticesReportView(ReportView):
    page_title = TITLE
    header_icon = "time"
    index_url_name = URL_NAME
    index_results_url_name = f"{URL_NAME}_results"
    paginate_by = 50
    columns = [
        TitleColumn("title", label="Tittel", url_name="wagtailadmin_pages:edit"),
        Column("actor_label", label="Ansvarlig aktør"),
        Column(
            "last_reviewed", label="Sist gjennomgått", accessor=lambda page: norwegian_date(page.last_reviewed) or NEVER
        ),
        Column(
            "last_published_at", label="Sist publisert", accessor=lambda page: norwegian_date(page.last_published_at)
        ),
    ]
    list_export = ["title", "actor_label", "last_reviewed", "last_published_at", "full_url"]
    export_headings = {
        "title": "Tittel",
        "actor_label": "Ansvarlig aktør",
        "last_reviewed": "Sist gjennomgått",
        "last_published_at": "Sist publisert",
        "full_url": "Adresse",
    }
    export_filename = "praksiseksempler-som-bor-gjennomgas"

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.custom_field_preprocess = {
            **self.custom_field_preprocess,
            "last_reviewed": {
                self.FORMAT_CSV: lambda v: v.isoformat() if v else NEVER,
                self.FORMAT_XLSX: lambda v: v or NEVER,
            },
            "last_published_at": {
                self.FORMAT_CSV: lambda v: timezone.localdate(v).isoformat() if v else "",
                self.FORMAT_XLSX: lambda v: timezone.localdate(v) if v else "",
            },
        }

    def dispatch(self, request, *args, **kwargs):
        if not can_review_practices(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return stale_practices()

    @property
    def no_results_message(self):
        return f"Alle praksiseksempler er gjennomgått de siste {REVIEW_INTERVAL_YEARS} årene."


class StalePracticesMenuItem(MenuItem):
    def is_shown(self, request):
        return can_review_practices(request.user)


def admin_urls():
    return [
        path("reports/praksiseksempler-til-gjennomgang/", StalePracticesReportView.as_view(), name=URL_NAME),
        path(
            "reports/praksiseksempler-til-gjennomgang/results/",
            StalePracticesReportView.as_view(results_only=True),
            name=f"{URL_NAME}_results",
        ),
    ]


def menu_item():
    return StalePracticesMenuItem(
        TITLE, reverse(URL_NAME), name="praksiseksempler-til-gjennomgang", icon_name="time", order=1150
    )
