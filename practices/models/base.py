"""Fields and behaviour shared by the content pages: responsible actor, period, source,
legal references and the JSON shapes the API exposes for them."""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Prefetch, prefetch_related_objects
from django.utils import timezone
from modelcluster.fields import ParentalManyToManyField
from rest_framework import serializers
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList, TabbedInterface
from wagtail.api import APIField
from wagtail.models import Orderable, Page

from ..chooser_panel import AutocompletePanel
from ..forms import ContentPageForm, PersonalDataPanel
from .taxonomy import County, LegalProvision, Municipality, MunicipalitySize, TargetGroup, Theme

FIRST_YEAR = 1900
LAST_YEAR = 2100


def api_value(name, source):
    """An API field called ``name`` whose value is the (JSON-ready) attribute ``source``."""
    if name == source:
        return APIField(name, serializer=serializers.ReadOnlyField())
    return APIField(name, serializer=serializers.ReadOnlyField(source=source))


def term_list(terms):
    return [{"slug": term.slug, "name": term.name} for term in terms]


def classified_edit_handler(content_panels, classification_panels):
    """The editor's tabs of a practice or report: content, classification, publishing, settings."""
    return TabbedInterface(
        [
            ObjectList([PersonalDataPanel(), *content_panels], heading="Innhold"),
            ObjectList(classification_panels, heading="Klassifisering og kilde"),
            ObjectList(Page.promote_panels, heading="Publisering"),
            # Go-live and expiry dates (the «Planlegg publisering» dialog) and comments.
            ObjectList(Page.settings_panels, heading="Innstillinger"),
        ]
    )


class ClassifiedPage(Page):
    """A page with an introduction (ingress), themes, target groups and a source."""

    # Warns about identity numbers and mobile numbers before publishing (practices/personal_data.py).
    base_form_class = ContentPageForm
    # The page's relations to named terms its view and its search document show: read with its
    # tags in one query for the view (practices/models/view_terms.py), per batch in a rebuild
    # (search/indexing.py).
    view_terms = ("themes", "target_groups")

    @classmethod
    def api_queryset(cls, queryset):
        """``queryset`` with the related rows the api_fields read fetched once for a whole page of
        API results (kunnskapsbase/api.py), not once per page."""
        return queryset.select_related("locale").prefetch_related("tags", "themes", "target_groups")

    def get_view_restrictions(self):
        """Wagtail's, in one query instead of two for a page routing found
        (practices/models/routing.py)."""
        from .routing import view_restrictions

        restrictions = view_restrictions(self)
        return super().get_view_restrictions() if restrictions is None else restrictions

    summary = models.TextField("ingress", blank=True, help_text="Én til tre setninger som sier hva siden handler om.")
    themes = ParentalManyToManyField(Theme, blank=True, verbose_name="temaer", related_name="+")
    target_groups = ParentalManyToManyField(TargetGroup, blank=True, verbose_name="målgrupper", related_name="+")

    source_publisher = models.CharField("utgiver", max_length=200, blank=True)
    source_title = models.CharField("tittel hos utgiver", max_length=300, blank=True)
    source_url = models.URLField("adresse", max_length=500, blank=True)
    source_published = models.DateField("publisert", null=True, blank=True)
    source_updated = models.DateField("endret", null=True, blank=True)
    source_note = models.TextField("merknad om kilden", blank=True)
    import_checksum = models.CharField(
        "kontrollsum fra import",
        max_length=64,
        blank=True,
        editable=False,
        help_text="Settes av innholdsimporten; en uendret fil importeres ikke på nytt.",
    )

    source_panel = MultiFieldPanel(
        [
            FieldPanel("source_publisher"),
            FieldPanel("source_title"),
            FieldPanel("source_url"),
            FieldRowPanel([FieldPanel("source_published"), FieldPanel("source_updated")]),
            FieldPanel("source_note"),
        ],
        heading="Kilde",
        help_text="Hvor innholdet opprinnelig ble publisert.",
    )

    class Meta:
        abstract = True

    @property
    def source(self):
        fields = [self.source_publisher, self.source_title, self.source_url, self.source_published, self.source_note]
        if not any(fields):
            return None
        return {
            "publisher": self.source_publisher,
            "title": self.source_title,
            "url": self.source_url,
            "published": self.source_published.isoformat() if self.source_published else None,
            "updated": self.source_updated.isoformat() if self.source_updated else None,
            "note": self.source_note,
        }

    def own_date(self):
        """The date the content itself carries (a report's publication, the start of a practice,
        an article's date), or None; each page type says which."""
        return None

    @property
    def content_date(self):
        """The content's own date, by which «Nyeste» sorts: ``own_date``; else the date the source
        published it; else the first publication here (import day for imported material)."""
        date = self.own_date() or self.source_published
        if date is None and self.first_published_at:
            date = timezone.localdate(self.first_published_at)
        return date

    @property
    def api_content_date(self):
        date = self.content_date
        return date.isoformat() if date else None

    @property
    def api_themes(self):
        return term_list(self.themes.all())

    @property
    def api_target_groups(self):
        return term_list(self.target_groups.all())

    @property
    def api_tags(self):
        return [tag.name for tag in self.tags.all()]


class ActorPage(ClassifiedPage):
    """A page about work done by a responsible actor in a period: practices and reports."""

    @classmethod
    def api_queryset(cls, queryset):
        references = cls._meta.get_field("legal_references").related_model  # the page type's own
        return super().api_queryset(queryset).select_related("county").prefetch_related(
            "municipalities__county",
            # Former municipalities' names today (Skedsmo → Lillestrøm 2020 → Lillestrøm 2024).
            "municipalities__successors__county",
            "municipalities__successors__successors__county",
            # Former counties' successors today (Troms → Troms og Finnmark → Troms, Finnmark): for
            # the page's own county and for a municipality no later one is known for.
            "county__successors__successors",
            "municipalities__county__successors__successors",
            Prefetch(
                "legal_references",
                queryset=references.objects.select_related("provision__law", "provision__replaced_by__law"),
            ),
        )

    municipalities = ParentalManyToManyField(
        Municipality, blank=True, verbose_name="ansvarlig(e) kommune(r)", related_name="+"
    )
    other_actor = models.CharField(
        "annen ansvarlig aktør",
        max_length=200,
        blank=True,
        help_text="F.eks. en bydel i Oslo eller en interkommunal tjeneste.",
    )
    responsible_unit = models.CharField(
        "ansvarlig enhet", max_length=200, blank=True, help_text="F.eks. «NAV Tromsø og Boligkontoret»."
    )
    county = models.ForeignKey(
        County,
        verbose_name="fylke",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Fylket slik det var da arbeidet ble gjort. Søk finner det også under dagens fylker.",
    )
    period_start = models.PositiveSmallIntegerField("startår", null=True, blank=True)
    period_end = models.PositiveSmallIntegerField("sluttår", null=True, blank=True)
    period_ongoing = models.BooleanField("pågår fortsatt", default=False)

    actor_panel = MultiFieldPanel(
        [
            AutocompletePanel("municipalities"),
            FieldPanel("other_actor"),
            FieldPanel("responsible_unit"),
            FieldPanel("county"),
            FieldRowPanel([FieldPanel("period_start"), FieldPanel("period_end"), FieldPanel("period_ongoing")]),
        ],
        heading="Hvem, hvor og når",
    )

    class Meta:
        abstract = True

    # Joined in when routing fetches the page (practices/models/routing.py).
    view_select_related = ("county",)

    def prefetch_for_view(self, request):
        """Fetch the rows the page view shows once, before the templates read them: responsible
        municipalities with their counties (and successors for former ones), the registered
        county, legal references with their provisions and laws (a query each), and the terms
        (``view_terms``) with the tags (one query). Without it the templates asked for the same
        rows two or three times (actor label, «nå:» names, counties today). A preview keeps the
        draft's unsaved relations (modelcluster holds them in memory), so it is left as it is."""
        from .view_terms import prefetch_terms

        if getattr(request, "is_preview", False) or not self.pk or hasattr(self, "_cluster_related_objects"):
            return
        references = type(self)._meta.get_field("legal_references").related_model
        prefetch_related_objects(
            [self],
            Prefetch("municipalities", queryset=Municipality.objects.select_related("county")),
            Prefetch(
                "legal_references",
                queryset=references.objects.select_related("provision__law", "provision__replaced_by__law"),
            ),
        )
        # In the order the templates show them (taggit's own prefetch loses the tags' order on PostgreSQL).
        prefetch_terms(self, self.view_terms)
        # Successors only where a municipality or the county has been merged or split since.
        former = [m for m in self.municipalities.all() if not m.is_current]
        if former:
            with_county = Municipality.objects.select_related("county")
            prefetch_related_objects(
                former,
                Prefetch("successors", queryset=with_county),
                Prefetch("successors__successors", queryset=with_county),
            )
        if self.county_id and not self.county.is_current:
            prefetch_related_objects([self.county], "successors__successors")

    def cited_legal_references(self):
        """The legal references with provision, law and successor provision: the prefetched ones
        (``prefetch_for_view``), or one query of their own."""
        if "legal_references" in getattr(self, "_prefetched_objects_cache", {}):
            return list(self.legal_references.all())
        return self.legal_references.select_related("provision__law", "provision__replaced_by__law")

    def clean(self):
        super().clean()
        errors = {}
        for field in ("period_start", "period_end"):
            year = getattr(self, field)
            if year is not None and not FIRST_YEAR <= year <= LAST_YEAR:
                errors[field] = f"Skriv et årstall mellom {FIRST_YEAR} og {LAST_YEAR}."
        if self.period_start and self.period_end and self.period_end < self.period_start:
            errors["period_end"] = "Sluttåret kan ikke være før startåret."
        if self.period_ongoing and self.period_end:
            errors["period_ongoing"] = "Et arbeid som pågår, har ikke sluttår."
        if errors:
            raise ValidationError(errors)

    @property
    def actor_label(self):
        names = [m.name for m in self.municipalities.all()]
        if names:
            label = " og ".join([", ".join(names[:-1]), names[-1]]) if len(names) > 1 else names[0]
            label = f"{label} kommune" if len(names) == 1 else f"{label} kommuner"
            return f"{label}, {self.other_actor}" if self.other_actor else label
        return self.other_actor

    @property
    def municipalities_today(self):
        """The names today of the responsible municipalities («Lillestrøm» for Skedsmo), or an
        empty list when none of them has been merged, split or renumbered since."""
        municipalities = list(self.municipalities.all())
        if all(m.is_current for m in municipalities):
            return []
        current = [c for m in municipalities for c in m.current_municipalities()]
        return list(dict.fromkeys(m.name for m in current))

    @property
    def municipalities_today_label(self):
        names = self.municipalities_today
        return " og ".join([", ".join(names[:-1]), names[-1]]) if len(names) > 1 else "".join(names)

    @property
    def county_today_label(self):
        """«Troms, Finnmark» for a former county (Troms og Finnmark); empty for a current one, or
        when today's county has the same name (Akershus before 2020 and since 2024)."""
        if not self.county_id or self.county.is_current:
            return ""
        names = [county.name for county in self.current_counties()]
        return "" if names == [self.county.name] else ", ".join(names)

    @property
    def responsible_actor(self):
        return {
            "label": self.actor_label,
            "municipalities": [
                {
                    "name": m.name,
                    "number": m.number,
                    "population": m.population,
                    "valid_to": m.valid_to.isoformat() if m.valid_to else None,
                    "current": [c.name for c in m.current_municipalities()],
                }
                for m in self.municipalities.all()
            ],
            "other": self.other_actor,
        }

    def current_counties(self):
        """Today's counties for this work: those of the municipalities that are responsible or
        took over from them (Skedsmo: Akershus), else the registered county's successors
        (Troms og Finnmark: Troms, Finnmark)."""
        counties = [county for m in self.municipalities.all() for county in m.current_counties()]
        if not counties and self.county_id:
            counties = self.county.current_counties()
        return list({county.pk: county for county in counties}.values())

    def own_date(self):
        """The start of the work (1 January of its start year)."""
        return datetime.date(self.period_start, 1, 1) if self.period_start else None

    @property
    def period_label(self):
        if not self.period_start:
            return ""
        if self.period_ongoing:
            return f"{self.period_start}–"
        if not self.period_end:
            return f"Fra {self.period_start}"
        if self.period_end and self.period_end != self.period_start:
            return f"{self.period_start}–{self.period_end}"
        return str(self.period_start)

    @property
    def period(self):
        return {"start": self.period_start, "end": self.period_end, "ongoing": self.period_ongoing}

    @property
    def api_county(self):
        if not self.county_id:
            return None
        county = self.county
        return {
            "number": county.number,
            "name": county.name,
            "valid_from": county.valid_from.isoformat() if county.valid_from else None,
            "valid_to": county.valid_to.isoformat() if county.valid_to else None,
            "current": [c.name for c in self.current_counties()],
        }

    @property
    def api_legal_references(self):
        return [reference.as_dict() for reference in self.legal_references.all()]


class LegalReference(Orderable):
    """A citation of a law provision, with an optional comment («med særlig fokus på …»)."""

    provision = models.ForeignKey(
        LegalProvision, verbose_name="lovparagraf", on_delete=models.PROTECT, related_name="+"
    )
    comment = models.CharField("kommentar", max_length=255, blank=True)

    panels = [AutocompletePanel("provision"), FieldPanel("comment")]

    class Meta(Orderable.Meta):
        abstract = True
        verbose_name = "lovhenvisning"
        verbose_name_plural = "lovhenvisninger"

    def as_dict(self):
        provision = self.provision
        replaced_by = provision.replaced_by
        return {
            "law": provision.law.slug,
            "law_name": provision.law.short_name,
            "paragraph": provision.paragraph,
            "title": provision.title,
            "label": provision.label,
            "url": provision.lovdata_url,
            "comment": self.comment,
            "repealed_on": provision.repealed_on.isoformat() if provision.repealed_on else None,
            "replaced_by": replaced_by.label if replaced_by else None,
        }


def size_from_municipalities(municipalities):
    # Population is summed over the municipalities as registered (a former municipality keeps
    # the last figure SSB gave for it): the size of the place the work was done in.
    """SSB size band from the total population, when every municipality's population is known."""
    municipalities = list(municipalities)
    if not municipalities or any(m.population is None for m in municipalities):
        return None
    return MunicipalitySize.for_population(sum(m.population for m in municipalities))
