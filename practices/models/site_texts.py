"""Site-wide texts edited in the admin («Innstillinger → Tekster på nettstedet»): the
organisation's name, the footer text, contact e-mail and the pages the footer links to.

Templates read them through ``wagtail.contrib.settings`` (``settings.practices.SiteTexts``);
nothing a visitor reads in the footer is written in a template. ``bootstrap`` fills empty
fields once (practices/site_pages.py) and never overwrites what an editor has written."""

from django.db import models
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField


@register_setting(icon="doc-full")
class SiteTexts(BaseSiteSetting):
    organisation_name = models.CharField(
        "organisasjonens navn",
        max_length=150,
        blank=True,
        help_text="Hvem som står bak nettstedet, f.eks. i bunnteksten.",
    )
    tagline = models.CharField("undertittel", max_length=150, blank=True, help_text="Vises under navnet i toppen.")
    footer_text = RichTextField("bunntekst", blank=True, features=["bold", "italic", "link"])
    contact_email = models.EmailField("e-post for kontakt", blank=True)
    feedback_email = models.EmailField(
        "e-post for tilbakemelding om tilgjengelighet",
        blank=True,
        help_text="Brukes i tilgjengelighetserklæringen. Tom: e-post for kontakt.",
    )
    about_page = models.ForeignKey(
        "wagtailcore.Page", verbose_name="om-siden", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    contact_page = models.ForeignKey(
        "wagtailcore.Page", verbose_name="kontaktsiden", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    privacy_page = models.ForeignKey(
        "wagtailcore.Page", verbose_name="personvernsiden", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    accessibility_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name="tilgjengelighetserklæringen",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    panels = [
        MultiFieldPanel(
            [FieldPanel("organisation_name"), FieldPanel("tagline"), FieldPanel("footer_text")], heading="Tekster"
        ),
        MultiFieldPanel([FieldPanel("contact_email"), FieldPanel("feedback_email")], heading="Kontakt"),
        MultiFieldPanel(
            [
                FieldPanel("about_page"),
                FieldPanel("contact_page"),
                FieldPanel("privacy_page"),
                FieldPanel("accessibility_page"),
            ],
            heading="Lenker i bunnteksten",
        ),
    ]

    class Meta:
        verbose_name = "tekster på nettstedet"
        verbose_name_plural = "tekster på nettstedet"

    @property
    def accessibility_email(self):
        return self.feedback_email or self.contact_email

    def footer_pages(self, request=None):
        """The linked pages that are live and public, in footer order (one query, and one for the
        view restrictions unless ``request`` has read them already: practices/models/public.py)."""
        from wagtail.models import Page

        from .public import public_pages

        ids = [self.about_page_id, self.contact_page_id, self.privacy_page_id, self.accessibility_page_id]
        pages = public_pages(Page.objects.live(), request).in_bulk([pk for pk in ids if pk])
        return [pages[pk] for pk in ids if pk in pages]
