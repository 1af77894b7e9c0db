"""Admin forms of the page types: checks the model alone cannot make, such as «Beslektede
praksiseksempler» pointing only at published pages (imports may link drafts to drafts)."""

from wagtail.admin.forms import WagtailAdminPageForm


class RelatedPracticesForm(WagtailAdminPageForm):
    """A page form whose «Beslektede praksiseksempler» may hold only published practice examples
    and never the page itself."""

    def clean(self):
        cleaned_data = super().clean()
        related = cleaned_data.get("related_practices")
        if not related:
            return cleaned_data
        if self.instance.pk and any(page.pk == self.instance.pk for page in related):
            self.add_error("related_practices", "Et praksiseksempel kan ikke være beslektet med seg selv.")
        drafts = [page.title for page in related if not page.live]
        if drafts:
            names = ", ".join(f"«{title}»" for title in drafts)
            self.add_error(
                "related_practices",
                f"Bare publiserte praksiseksempler kan velges. Ikke publisert: {names}.",
            )
        return cleaned_data
