"""Admin view «Importer rapport fra Word»: upload a .docx and get a draft report to review.

Registered in wagtail_hooks.py (URL and menu item). Only users who may add pages under the
report index see the menu item or get the form; the import itself is
``practices.importing.reports.import_word_report``.
"""

from django import forms
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from wagtail.admin import messages
from wagtail.admin.auth import permission_denied

from .importing import ContentFileError
from .importing.docx import MAX_FILE_SIZE, MAX_FILE_SIZE_LABEL
from .importing.reports import import_word_report
from .models import ReportIndexPage
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


def import_report_view(request):
    index = report_index_for(request.user)
    if index is None:
        return permission_denied(request)

    if request.method == "POST":
        form = ImportReportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                result = import_word_report(
                    upload,
                    upload.name,
                    parent=index,
                    user=request.user,
                    report_type=form.cleaned_data["report_type"] or None,
                )
            except ContentFileError as error:
                form.add_error("file", error.message)
            else:
                messages.success(
                    request,
                    f"Utkast opprettet fra «{upload.name}». Se gjennom og send til godkjenning.",
                )
                for warning in result.warnings:
                    messages.warning(request, warning)
                return redirect("wagtailadmin_pages:edit", result.page.pk)
        if form.errors:
            messages.error(request, "Rapporten ble ikke importert. Se feilen under.")
    else:
        form = ImportReportForm()

    return TemplateResponse(
        request,
        "practices/admin/import_report.html",
        {
            "form": form,
            "report_index": index,
            "form_action": reverse("practices_import_report"),
            "max_size": MAX_FILE_SIZE_LABEL,
        },
    )
