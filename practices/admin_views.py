"""Admin view «Importer rapport fra Word»: upload a .docx and get a report draft in review.

Registered in wagtail_hooks.py (URL and menu item). Only users who may add pages under the
report index see the menu item or get the form; the import itself is
``practices.importing.reports.import_word_report``. The draft is sent into the workflow
«Faglig godkjenning» as the uploading user; only a user who may publish reports directly (a
superuser, or publish rights outside the four-eyes groups; not a Godkjenner, whose own import is
approved by another Godkjenner) may tick «Publiser med en gang». A file imported before is
recognised by its SHA-256: the view says «Denne filen er allerede importert som …» and offers
to update that report instead of making a second copy; a report edited since its import gets
the file's version as a draft for review.
"""

from django import forms
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from wagtail.admin import messages
from wagtail.admin.auth import permission_denied

from .importing import REVIEW_DRAFT, ContentFileError
from .importing.docx import MAX_FILE_SIZE, MAX_FILE_SIZE_LABEL
from .importing.history import describe_revision, may_publish_directly, norwegian_datetime, user_label
from .importing.reports import AlreadyImported, import_word_report
from .models import ReportIndexPage, ReportPage
from .models.report import ReportType

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def report_index_for(user):
    """The report index if ``user`` may add reports under it, else None."""
    index = ReportIndexPage.objects.first()
    if index is None or not index.permissions_for_user(user).can_add_subpage():
        return None
    return index


class ImportReportForm(forms.Form):
    file = forms.FileField(
        label="Word-dokument",
        help_text=(
            f"Bare Word-dokumenter i .docx-format, høyst {MAX_FILE_SIZE_LABEL}. Eldre .doc-filer og "
            "passordbeskyttede dokumenter må lagres som vanlig .docx i Word først."
        ),
        error_messages={
            "required": "Velg et Word-dokument (.docx) å importere.",
            "empty": "Filen er tom.",
            "invalid": "Filen kom ikke fram. Prøv igjen.",
            "missing": "Filen kom ikke fram. Prøv igjen.",
        },
        widget=forms.FileInput(attrs={"accept": f".docx,{DOCX_CONTENT_TYPE}"}),
    )
    report_type = forms.ChoiceField(
        label="Rapporttype",
        choices=[("", "Gjett ut fra tittelen"), *ReportType.choices],
        required=False,
        help_text="Kan endres etterpå. Uten valg blir det sluttrapport, evaluering eller erfaringsrapport "
        "når tittelen sier det, ellers prosjektrapport.",
    )

    publish = forms.BooleanField(
        label="Publiser med en gang",
        required=False,
        help_text="Uten kryss blir rapporten et utkast som sendes til godkjenning («Faglig godkjenning»).",
    )
    update = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, may_publish=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not may_publish:
            del self.fields["publish"]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".docx"):
            raise forms.ValidationError(
                "Velg en Word-fil som slutter på .docx. Andre formater (.doc, .odt, .pdf) må lagres som "
                ".docx i Word først."
            )
        if upload.size > MAX_FILE_SIZE:
            size = f"{upload.size / 1024 / 1024:.1f}".replace(".", ",")
            raise forms.ValidationError(
                f"Filen er for stor ({size} MB). Største tillatte størrelse er {MAX_FILE_SIZE_LABEL}."
            )
        return upload


def _target(form, user):
    """The report the form asks to update (the hidden «update» field), if the user may edit it."""
    page_id = form.cleaned_data.get("update")
    if not page_id:
        return None
    page = ReportPage.objects.filter(pk=page_id).first()
    if page is None or not page.permissions_for_user(user).can_edit():
        raise ContentFileError(form.cleaned_data["file"].name, "Rapporten som skulle oppdateres, finnes ikke lenger.")
    return page


def _already_imported(error):
    """What the view says about a file imported before: the report, its state, when and by whom."""
    page, record = error.page, error.record
    if page.live and not page.has_unpublished_changes:
        state = "publisert"
    elif page.live:
        state = "publisert, med et utkast som ikke er publisert"
    else:
        state = "utkast, ikke publisert"
    return {
        "page": page,
        "state": state,
        "imported": norwegian_datetime(record.created_at),
        "imported_by": user_label(record.user) if record.user_id else "",
        "edit_url": reverse("wagtailadmin_pages:edit", args=[page.pk]),
    }


def _success_message(result, filename):
    title = result.page.title
    if result.action == "uendret":
        if result.edit is not None:
            who, when = describe_revision(result.edit)
            return (
                f"«{title}» er allerede importert fra «{filename}». Den er redigert av {who} {when}; "
                "endringene står."
            )
        return f"«{title}» er allerede importert fra «{filename}», og filen er uendret. Ingenting ble endret."
    if result.action == "til gjennomgang":
        who, when = describe_revision(result.edit)
        workflow = f" og sendt til «{result.workflow}»" if result.workflow else ""
        return (
            f"«{title}» er redigert av {who} {when}, etter forrige import. Filens versjon er lagret som et utkast "
            f"til gjennomgang{workflow}; den er ikke publisert, og endringene er ikke overskrevet."
        )
    verb = "opprettet" if result.action == "opprettet" else "oppdatert"
    if result.outcome == "publisert":
        return f"Rapporten «{title}» er {verb} fra «{filename}» og publisert."
    workflow = f" og sendt til godkjenning («{result.workflow}»)" if result.workflow else ""
    what = "Utkast opprettet" if verb == "opprettet" else f"«{title}» er oppdatert som utkast"
    return f"{what} fra «{filename}»{workflow}. Se gjennom utkastet."


def import_report_view(request):
    index = report_index_for(request.user)
    if index is None:
        return permission_denied(request)
    # As in the page editor: a Godkjenner's own import goes to another Godkjenner (four eyes), so
    # the checkbox is not offered and a posted «publish» is not a field of the form (ignored).
    may_publish = may_publish_directly(request.user, index)
    already = None

    if request.method == "POST":
        form = ImportReportForm(request.POST, request.FILES, may_publish=may_publish)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                target = _target(form, request.user)
                result = import_word_report(
                    upload,
                    upload.name,
                    parent=index,
                    user=request.user,
                    publish=bool(form.cleaned_data.get("publish")),
                    report_type=form.cleaned_data["report_type"] or None,
                    target=target,
                    existing="ask",
                    on_edited=REVIEW_DRAFT,
                )
            except AlreadyImported as error:
                already = _already_imported(error)
                # Browsers cannot send a file back: the editor chooses it again to confirm the update.
                initial = {**{k: v for k, v in form.cleaned_data.items() if k != "file"}, "update": error.page.pk}
                form = ImportReportForm(initial=initial, may_publish=may_publish)
            except ContentFileError as error:
                form.add_error("file", error.message)
            else:
                messages.success(request, _success_message(result, upload.name))
                for warning in result.warnings:
                    messages.warning(request, warning)
                return redirect("wagtailadmin_pages:edit", result.page.pk)
        if form.errors and already is None:
            messages.error(request, "Rapporten ble ikke importert. Se feilen under.")
    else:
        form = ImportReportForm(may_publish=may_publish)

    return TemplateResponse(
        request,
        "practices/admin/import_report.html",
        {
            "form": form,
            "report_index": index,
            "form_action": reverse("practices_import_report"),
            "max_size": MAX_FILE_SIZE_LABEL,
            "already": already,
            "may_publish": may_publish,
        },
    )
