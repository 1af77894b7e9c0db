"""The admin side of «Del ditt eksempel»: the list «Innsendte eksempler», the dashboard panel,
and the e-mail to the submitter when the example is published or the editors have a question.

Registered from practices/wagtail_hooks.py. Godkjennere may see and change submissions (their
permissions come from practices/editorial.py): the status («Avvist» starts the period after which
``purge_submissions`` deletes it) and «Spørsmål til innsender», which is e-mailed when saved.
"""

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.signals import page_published

from ..models import Submission, SubmissionStatus
from . import notify


class SubmissionEditView(generic.EditView):
    def save_instance(self):
        before = Submission.objects.get(pk=self.object.pk)
        submission = self.form.instance
        if submission.status == SubmissionStatus.REJECTED and before.status != SubmissionStatus.REJECTED:
            submission.rejected_at = timezone.now()
        elif submission.status != SubmissionStatus.REJECTED:
            submission.rejected_at = None
        question = submission.question_to_submitter.strip()
        send_question = bool(question) and question != before.question_to_submitter.strip()
        if send_question:
            submission.question_sent_at = timezone.now()
        submission = super().save_instance()
        if send_question:
            notify.send_question(submission, self.request.user)
        return submission

    def get_success_message(self):
        instance = self.object
        if instance.question_sent_at and "question_to_submitter" in self.form.changed_data:
            return f"Spørsmålet om «{instance}» er sendt til innsenderen."
        return f"«{instance}» er lagret."


class SubmissionInspectView(generic.InspectView):
    """Empty fields as «–» and times in the site's time zone, as in the list."""

    def get_field_display_value(self, field_name, field):
        value = getattr(self.object, field_name, None)
        if value is None or value == "":
            return "–"
        if isinstance(value, datetime.datetime):
            return date_format(timezone.localtime(value), "j. F Y \\k\\l. H:i")
        return super().get_field_display_value(field_name, field)


class SubmissionViewSet(ModelViewSet):
    model = Submission
    icon = "mail"
    menu_label = "Innsendte eksempler"
    menu_order = 160
    add_to_admin_menu = True
    copy_view_enabled = False
    inspect_view_enabled = True
    edit_view_class = SubmissionEditView
    inspect_view_class = SubmissionInspectView
    form_fields = ["status", "question_to_submitter"]
    list_display = ["title", "municipality", "status", "created_at", "confirmed_at"]
    list_filter = ["status"]
    search_fields = ["title", "unit"]
    search_backend_name = None
    inspect_view_fields = [
        "title", "municipality", "unit", "status", "created_at", "confirmed_at", "published_at",
        "rejected_at", "page", "contact_name", "email", "question_to_submitter", "question_sent_at",
    ]


submission_viewset = SubmissionViewSet("innsendte_eksempler", url_prefix="innsendte-eksempler")


class NewSubmissionsPanel(Component):
    """The dashboard: confirmed submissions waiting for «Faglig vurdering»."""

    name = "new_submissions"
    template_name = "contribute/admin/dashboard_panel.html"
    order = 210  # just above Wagtail's «Venter på din gjennomgang»

    def get_context_data(self, parent_context):
        return {
            "submissions": Submission.objects.filter(status=SubmissionStatus.CONFIRMED)
            .select_related("municipality")
            .order_by("-confirmed_at")[:10],
            "list_url": reverse(submission_viewset.get_url_name("index")),
        }


@hooks.register("register_admin_viewset")
def register_submission_viewset():
    return submission_viewset


@hooks.register("construct_homepage_panels")
def add_new_submissions_panel(request, panels):
    if request.user.has_perm("practices.change_submission"):
        panels.append(NewSubmissionsPanel())


def tell_submitter_when_published(sender, instance, **kwargs):
    """``page_published``: the first publication of a submitted example is e-mailed to its sender."""
    for submission in Submission.objects.filter(page_id=instance.pk, status=SubmissionStatus.CONFIRMED):
        submission.status = SubmissionStatus.PUBLISHED
        submission.published_at = timezone.now()
        submission.save(update_fields=["status", "published_at"])
        notify.send_published(submission, instance)


page_published.connect(tell_submitter_when_published, dispatch_uid="practices.submissions.published")
