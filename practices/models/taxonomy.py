"""Taxonomies edited as Wagtail snippets: counties with their history, municipalities,
laws with their provisions, themes, target groups and funding sources."""

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.functional import cached_property
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable
from wagtail.search import index

from ..chooser_panel import AutocompletePanel

LOVDATA_BASE_URL = "https://lovdata.no"
# Older laws have no number, only a date: forvaltningsloven is LOV-1967-02-10.
LOVDATA_ID_RE = re.compile(r"^LOV-(\d{4}-\d{2}-\d{2})(?:-(\d+))?$")
PARAGRAPH_RE = re.compile(r"^\d+(-\d+)?[a-z]?$")


class MunicipalitySize(models.TextChoices):
    """SSB's size bands for municipalities."""

    SMALL = "liten", "Liten (under 5 000 innbyggere)"
    MEDIUM = "mellomstor", "Mellomstor (5 000–19 999 innbyggere)"
    LARGE = "stor", "Stor (20 000 innbyggere eller flere)"

    @classmethod
    def for_population(cls, population):
        if population is None:
            return None
        if population < 5_000:
            return cls.SMALL
        if population < 20_000:
            return cls.MEDIUM
        return cls.LARGE


def period_label(name, valid_from, valid_to):
    """«Skedsmo (–2019)», «Lillestrøm (2020–2023)»: a former unit's name with its period."""
    if valid_to is None:
        return name
    start = valid_from.year if valid_from else ""
    return f"{name} ({start}–{valid_to.year})"


def current_successors(unit):
    """The units in force today that took over ``unit`` (itself if current), following
    ``successors`` through every later change (Skedsmo → Lillestrøm 2020 → Lillestrøm 2024)."""
    seen, frontier, current = {unit.pk}, [unit], []
    while frontier:
        item = frontier.pop(0)
        if item.valid_to is None:
            current.append(item)
            continue
        for successor in item.successors.all():
            if successor.pk not in seen:
                seen.add(successor.pk)
                frontier.append(successor)
    return current


def check_period(unit):
    if unit.valid_from and unit.valid_to and unit.valid_to < unit.valid_from:
        raise ValidationError({"valid_to": "«Gyldig til» kan ikke være før «gyldig fra»."})


class AutocompleteMixin:
    """What the searchable choosers in the page editor (wagtail-autocomplete, see
    practices/choosers.py) show and search: every word typed must occur in one of
    ``autocomplete_fields``."""

    autocomplete_fields = ("name",)

    def autocomplete_label(self):
        return str(self)

    @classmethod
    def autocomplete_custom_queryset_filter(cls, search_query, request=None):
        queryset = cls.objects.all()
        for word in search_query.split()[:10]:
            match = models.Q()
            for field in cls.autocomplete_fields:
                match |= models.Q(**{f"{field}__icontains": word})
            queryset = queryset.filter(match)
        if hasattr(cls, "valid_to"):  # today's first, then the latest former ones
            queryset = queryset.order_by(models.F("valid_to").desc(nulls_first=True), *cls._meta.ordering)
        return queryset


class County(AutocompleteMixin, index.Indexed, ClusterableModel):
    number = models.CharField("fylkesnummer", max_length=2, unique=True)
    name = models.CharField("navn", max_length=100)
    valid_from = models.DateField("gyldig fra", null=True, blank=True)
    valid_to = models.DateField(
        "gyldig til", null=True, blank=True, help_text="Tom hvis fylket fortsatt finnes."
    )
    successors = models.ManyToManyField(
        "self",
        symmetrical=False,
        related_name="predecessors",
        blank=True,
        verbose_name="etterfølgere",
        help_text="Fylkene dette fylket ble delt i eller slått sammen til.",
    )
    history = models.TextField("historikk", blank=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("number"),
        MultiFieldPanel(
            [FieldPanel("valid_from"), FieldPanel("valid_to"), FieldPanel("successors"), FieldPanel("history")],
            heading="Historikk",
        ),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["number"]
        verbose_name = "fylke"
        verbose_name_plural = "fylker"

    autocomplete_fields = ("name", "number")

    def __str__(self):
        return period_label(self.name, self.valid_from, self.valid_to)

    @property
    def is_current(self):
        return self.valid_to is None

    def clean(self):
        check_period(self)

    def current_counties(self):
        """The counties in force today that cover this county's area (itself if current)."""
        return current_successors(self)


class Municipality(AutocompleteMixin, index.Indexed, models.Model):
    number = models.CharField(
        "kommunenummer", max_length=4, unique=True, null=True, blank=True, help_text="Fire sifre, f.eks. 5501."
    )
    name = models.CharField("navn", max_length=100)
    county = models.ForeignKey(
        County, verbose_name="fylke", null=True, blank=True, on_delete=models.SET_NULL, related_name="municipalities"
    )
    aliases = models.TextField(
        "andre navn",
        blank=True,
        help_text="Ett navn per linje, f.eks. samisk eller kvensk navn. Brukes når redaktører søker etter kommunen.",
    )
    valid_from = models.DateField("gyldig fra", null=True, blank=True)
    valid_to = models.DateField(
        "gyldig til", null=True, blank=True, help_text="Tom hvis kommunen fortsatt finnes."
    )
    successors = models.ManyToManyField(
        "self",
        symmetrical=False,
        related_name="predecessors",
        blank=True,
        verbose_name="etterfølgere",
        help_text="Kommunen eller kommunene denne kommunen ble slått sammen med, delt i eller fikk nytt nummer som.",
    )
    history = models.TextField("historikk", blank=True)
    population = models.PositiveIntegerField("innbyggertall", null=True, blank=True)
    population_year = models.PositiveSmallIntegerField("innbyggertall per år", null=True, blank=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("number"),
        FieldPanel("county"),
        FieldPanel("aliases"),
        MultiFieldPanel(
            [
                FieldPanel("valid_from"),
                FieldPanel("valid_to"),
                AutocompletePanel("successors"),
                FieldPanel("history"),
            ],
            heading="Historikk",
        ),
        MultiFieldPanel(
            [FieldPanel("population"), FieldPanel("population_year")],
            heading="Innbyggertall (SSB)",
            help_text="Lastes inn fra SSBs tabell 07459 med «manage.py load_population». "
            "Kommunestørrelsen på praksiseksemplene regnes ut av dette.",
        ),
    ]
    search_fields = [index.SearchField("name"), index.SearchField("aliases"), index.AutocompleteField("name")]
    autocomplete_fields = ("name", "number", "aliases")

    class Meta:
        ordering = ["name", "number"]
        verbose_name = "kommune"
        verbose_name_plural = "kommuner"

    def __str__(self):
        return period_label(self.name, self.valid_from, self.valid_to)

    def clean(self):
        if self.number and not re.fullmatch(r"\d{4}", self.number):
            raise ValidationError({"number": "Kommunenummeret må være fire sifre."})
        if self.population is not None and self.population_year is None:
            raise ValidationError({"population_year": "Skriv hvilket år innbyggertallet gjelder."})
        check_period(self)

    @property
    def is_current(self):
        return self.valid_to is None

    @property
    def size(self):
        return MunicipalitySize.for_population(self.population)

    def current_municipalities(self):
        """The municipalities in force today that took over this one (itself if current)."""
        return current_successors(self)

    @property
    def name_today(self):
        """«Skedsmo (nå: Lillestrøm)» for a former municipality, the name for a current one."""
        if self.is_current:
            return self.name
        names = list(dict.fromkeys(m.name for m in self.current_municipalities()))
        if not names or names == [self.name]:
            return self.name
        return f"{self.name} (nå: {' og '.join(names)})"

    def current_counties(self):
        """Today's counties of the municipalities that took over this one; the registered
        county's successors where no later municipality is known."""
        counties = []
        for municipality in self.current_municipalities():
            if municipality.county_id:
                counties += municipality.county.current_counties()
        if not counties and self.county_id:
            counties = self.county.current_counties()
        return list({county.pk: county for county in counties}.values())


class Law(AutocompleteMixin, index.Indexed, ClusterableModel):
    slug = models.SlugField("kortnavn i adresser", unique=True)
    name = models.CharField("fullt navn", max_length=255)
    short_name = models.CharField("korttittel", max_length=100, help_text="F.eks. «sosialtjenesteloven».")
    abbreviation = models.CharField("forkortelse", max_length=30, blank=True, help_text="F.eks. «sotjl.».")
    aliases = models.TextField(
        "andre navn",
        blank=True,
        help_text="Ett navn per linje: alle måter folk skriver lovens navn på. Brukes når søk tolker lovhenvisninger.",
    )
    lovdata_id = models.CharField(
        "Lovdata-identifikator", max_length=40, unique=True, help_text="F.eks. LOV-2009-12-18-131."
    )
    citation = models.CharField(
        "henvisning", max_length=100, blank=True, help_text="F.eks. «lov 18. desember 2009 nr. 131»."
    )
    in_force_from = models.DateField("i kraft fra", null=True, blank=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("short_name"),
        FieldPanel("abbreviation"),
        FieldPanel("slug"),
        FieldPanel("aliases"),
        MultiFieldPanel(
            [FieldPanel("lovdata_id"), FieldPanel("citation"), FieldPanel("in_force_from")], heading="Lovdata"
        ),
        InlinePanel("provisions", heading="Paragrafer", label="paragraf"),
    ]
    search_fields = [
        index.SearchField("name"),
        index.SearchField("short_name"),
        index.SearchField("abbreviation"),
        index.SearchField("aliases"),
        index.AutocompleteField("short_name"),
    ]
    autocomplete_fields = ("short_name", "name", "abbreviation", "aliases")

    class Meta:
        ordering = ["short_name"]
        verbose_name = "lov"
        verbose_name_plural = "lover"

    def __str__(self):
        return self.short_name

    def clean(self):
        if not LOVDATA_ID_RE.match(self.lovdata_id or ""):
            raise ValidationError(
                {"lovdata_id": "Lovdata-identifikatoren må ha formen LOV-ÅÅÅÅ-MM-DD-NR (eldre lover uten nummer: "
                 "LOV-ÅÅÅÅ-MM-DD)."}
            )

    @property
    def lovdata_url(self):
        match = LOVDATA_ID_RE.match(self.lovdata_id or "")
        if not match:
            return LOVDATA_BASE_URL
        date, number = match.groups()
        return f"{LOVDATA_BASE_URL}/lov/{date}-{number}" if number else f"{LOVDATA_BASE_URL}/lov/{date}"

    @cached_property
    def all_names(self):
        """Every name of the law, for the citation parser: short name, abbreviation, aliases."""
        names = [self.short_name, self.abbreviation, *self.aliases.splitlines()]
        return [name.strip() for name in names if name and name.strip()]


class LegalProvision(AutocompleteMixin, Orderable):
    law = ParentalKey(Law, on_delete=models.CASCADE, related_name="provisions", verbose_name="lov")
    paragraph = models.CharField("paragraf", max_length=20, help_text="Bare nummeret, f.eks. «27» eller «3-7».")
    title = models.CharField("overskrift", max_length=255, blank=True)
    repealed_on = models.DateField("opphevet fra", null=True, blank=True)
    replaced_by = models.ForeignKey(
        "self",
        verbose_name="erstattet av",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="replaces",
    )

    panels = [FieldPanel("paragraph"), FieldPanel("title"), FieldPanel("repealed_on"), AutocompletePanel("replaced_by")]
    autocomplete_fields = ("law__short_name", "law__abbreviation", "law__aliases", "paragraph", "title")

    class Meta(Orderable.Meta):
        verbose_name = "lovparagraf"
        verbose_name_plural = "lovparagrafer"
        constraints = [models.UniqueConstraint(fields=["law", "paragraph"], name="unique_paragraph_per_law")]

    def __str__(self):
        return self.label

    def autocomplete_label(self):
        label = f"{self.label} {self.title}".strip() if self.title else self.label
        return f"{label} (opphevet)" if self.is_repealed else label

    @classmethod
    def autocomplete_custom_queryset_filter(cls, search_query, request=None):
        # «§ 27» and «sotjl. § 27» are typed as citations: the signs are not part of any field.
        words = search_query.replace("§", " ").replace(".", " ")
        return super().autocomplete_custom_queryset_filter(words, request).select_related("law")

    def clean(self):
        if not PARAGRAPH_RE.match(self.paragraph or ""):
            raise ValidationError({"paragraph": "Skriv paragrafnummeret uten §, f.eks. «27» eller «3-7»."})
        if self.replaced_by_id and self.replaced_by_id == self.pk:
            raise ValidationError({"replaced_by": "En paragraf kan ikke erstatte seg selv."})

    @property
    def label(self):
        return f"{self.law.short_name} § {self.paragraph}"

    @property
    def lovdata_url(self):
        return f"{self.law.lovdata_url}/§{self.paragraph}"

    @property
    def is_repealed(self):
        return self.repealed_on is not None


class SimpleTerm(AutocompleteMixin, index.Indexed, models.Model):
    """A named term with a slug and an optional explanation (themes, target groups, funding sources)."""

    slug = models.SlugField("kortnavn i adresser", unique=True)
    name = models.CharField("navn", max_length=150, unique=True)
    description = models.TextField("beskrivelse", blank=True)

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("description")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self):
        return self.name


class Theme(SimpleTerm):
    class Meta(SimpleTerm.Meta):
        verbose_name = "tema"
        verbose_name_plural = "temaer"


class TargetGroup(SimpleTerm):
    class Meta(SimpleTerm.Meta):
        verbose_name = "målgruppe"
        verbose_name_plural = "målgrupper"


class FundingSource(SimpleTerm):
    class Meta(SimpleTerm.Meta):
        verbose_name = "finansieringskilde"
        verbose_name_plural = "finansieringskilder"
