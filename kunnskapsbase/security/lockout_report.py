"""The admin report «Innloggingssperrer»: failed admin logins recorded by django-axes, newest
first, marking those that locked an account or address out. Superusers only.

Registered in ``wagtail_hooks.py`` (URLs and the Reports menu). Unlocking is done with
``manage.py axes_reset`` (see docs/drift.md); the report only shows.
"""

from axes.helpers import get_cool_off
from axes.models import AccessAttempt, AccessFailureLog
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.reports import ReportView

TITLE = "Innloggingssperrer"
URL_NAME = "security_lockout_report"


def can_see_lockouts(user):
    return user.is_authenticated and user.is_active and user.is_superuser


def norwegian_datetime(value):
    return date_format(timezone.localtime(value), "j. F Y \\k\\l. H:i") if value else ""


class LockoutReportView(ReportView):
    page_title = TITLE
    template_name = "security/lockout_report.html"
    header_icon = "lock"
    index_url_name = URL_NAME
    index_results_url_name = f"{URL_NAME}_results"
    paginate_by = 50
    columns = [
        Column("attempt_time", label="Tidspunkt", accessor=lambda entry: norwegian_datetime(entry.attempt_time)),
        Column("username", label="Brukernavn"),
        Column("ip_address", label="IP-adresse"),
        Column("locked_out", label="Sperret", accessor=lambda entry: "Ja, sperret" if entry.locked_out else "Nei"),
        Column("user_agent", label="Nettleser"),
    ]
    list_export = ["attempt_time", "username", "ip_address", "locked_out", "user_agent"]
    export_headings = {
        "attempt_time": "Tidspunkt",
        "username": "Brukernavn",
        "ip_address": "IP-adresse",
        "locked_out": "Sperret",
        "user_agent": "Nettleser",
    }
    export_filename = "innloggingssperrer"

    def dispatch(self, request, *args, **kwargs):
        if not can_see_lockouts(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return AccessFailureLog.objects.order_by("-attempt_time", "-pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        limit = settings.AXES_FAILURE_LIMIT
        context["locked_now"] = AccessAttempt.objects.filter(failures_since_start__gte=limit).order_by(
            "-attempt_time"
        )
        context["failure_limit"] = limit
        cool_off = get_cool_off(self.request)
        context["cooloff_minutes"] = int(cool_off.total_seconds() // 60) if cool_off else None
        return context

    @property
    def no_results_message(self):
        return "Ingen mislykkede innlogginger er registrert."


class LockoutMenuItem(MenuItem):
    def is_shown(self, request):
        return can_see_lockouts(request.user)


def admin_urls():
    return [
        path("reports/innloggingssperrer/", LockoutReportView.as_view(), name=URL_NAME),
        path(
            "reports/innloggingssperrer/results/",
            LockoutReportView.as_view(results_only=True),
            name=f"{URL_NAME}_results",
        ),
    ]


def menu_item():
    return LockoutMenuItem(TITLE, reverse(URL_NAME), name="innloggingssperrer", icon_name="lock", order=1200)
