"""The page editor's form for content pages: the checks the model alone cannot make.

- Before a page is published, sent for review or approved, the personal data found in its text
  (practices/personal_data.py) must be confirmed by the editor; saving a draft is never blocked.
- «Beslektede praksiseksempler» may point only at published practice examples, never at the page
  itself (imports may link drafts to drafts).
"""

from django import forms
from django.utils.functional import cached_property
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel

from .personal_data import find_in_page, find_in_values

CONFIRMATION_LABEL = "Jeg har kontrollert funnene: ingen av dem er personopplysninger som ikke skal publiseres"
CONFIRMATION_REQUIRED = (
    "Teksten ser ut til å inneholde personopplysninger ({findings}). Fjern dem, eller kryss av for at du "
    "har kontrollert at de kan publiseres."
)
# The editor's buttons that make a page public or send it on its way there.
PUBLISHING_BUTTONS = ("action-publish", "action-submit", "action-restart-workflow")
PUBLISHING_WORKFLOW_ACTIONS = {"approve"}


class ContentPageForm(WagtailAdminPageForm):
    personal_data_checked = forms.BooleanField(label=CONFIRMATION_LABEL, required=False)

    @property
    def is_publishing(self):
        if any(self.data.get(button) for button in PUBLISHING_BUTTONS):
            return True
        return bool(self.data.get("action-workflow-action")) and (
            self.data.get("workflow-action-name") in PUBLISHING_WORKFLOW_ACTIONS
        )

    def clean(self):
        cleaned_data = super().clean()
        self.check_related_practices(cleaned_data.get("related_practices"))
        self.personal_data_findings = find_in_values(self._meta.model, cleaned_data)
        if self.personal_data_findings and self.is_publishing and not cleaned_data.get("personal_data_checked"):
            summary = "; ".join(str(finding) for finding in self.personal_data_findings)
            self.add_error("personal_data_checked", CONFIRMATION_REQUIRED.format(findings=summary))
        return cleaned_data

    def check_related_practices(self, related):
        if not related:
            return
        if self.instance.pk and any(page.pk == self.instance.pk for page in related):
            self.add_error("related_practices", "Et praksiseksempel kan ikke være beslektet med seg selv.")
        drafts = [page.title for page in related if not page.live]
        if drafts:
            names = ", ".join(f"«{title}»" for title in drafts)
            self.add_error(
                "related_practices", f"Bare publiserte praksiseksempler kan velges. Ikke publisert: {names}."
            )


class PersonalDataPanel(FieldPanel):
    """The findings in the page's text and the editor's confirmation; shown only when there are any."""

    def __init__(self, field_name="personal_data_checked", **kwargs):
        kwargs.setdefault("heading", "Personopplysninger")
        super().__init__(field_name, **kwargs)

    class BoundPanel(FieldPanel.BoundPanel):
        template_name = "practices/admin/personal_data_panel.html"

        @cached_property
        def findings(self):
            if self.form.is_bound and hasattr(self.form, "personal_data_findings"):
                return self.form.personal_data_findings
            return find_in_page(self.instance)

        def is_shown(self):
            if self.form is None:
                # Bound without a form (the revision comparison): the confirmation is not stored.
                return False
            return super().is_shown() and bool(self.findings or self.bound_field.errors)

        def get_comparison(self):
            # The confirmation is a form-only field: there is nothing to compare between revisions.
            return []

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["findings"] = self.findings
            context["confirmation_label"] = CONFIRMATION_LABEL
            return context

        def id_for_label(self):
            """The panel's heading «Personopplysninger» is a heading, not the checkbox's label: the
            checkbox is labelled beside it with what the editor confirms."""
            return ""
