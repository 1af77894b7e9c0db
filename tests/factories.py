"""factory_boy / wagtail_factories factories for the content model, with realistic Norwegian values.

The session database already holds the taxonomies from ``practices/taxonomy_data`` and the
seed content, so the taxonomy factories look rows up by their natural key first
(``django_get_or_create``): ``CountyFactory(number="18")`` is the seeded Nordland.

Pages are created under the real index pages of the site tree by default::

    PracticePageFactory(
        title="Boligkontakt i Bodø",
        municipalities=["Bodø"],             # names, numbers or Municipality instances
        county="18",                         # number, name or County instance
        tags=["tett oppfølging", "Housing First"],
        themes=["tett-oppfolging"],          # slugs or instances
        legal_references=[("sosialtjenesteloven", "27"), ("boligsosialloven", "6")],
    )

``legal_references`` also accepts an int: that many distinct provisions are created.
``live=False`` gives a draft (never published, no ``first_published_at``).
"""

import datetime
import json

import factory
import wagtail_factories
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from factory.django import DjangoModelFactory
from wagtail import blocks
from wagtail.admin.rich_text import DraftailRichTextArea
from wagtail.fields import StreamField
from wagtail.rich_text import RichText
from wagtail.test.utils import WagtailTestUtils
from wagtail.test.utils.form_data import querydict_from_html

from practices.models import (
    ArticleIndexPage,
    ArticlePage,
    County,
    FundingSource,
    HomePage,
    Law,
    LegalProvision,
    Municipality,
    PracticeIndexPage,
    PracticeLegalReference,
    PracticePage,
    ReportIndexPage,
    ReportLegalReference,
    ReportPage,
    TargetGroup,
    Theme,
)

# Real municipalities (number, name, county number, population 1 January 2024, SSB).
MUNICIPALITIES = [
    ("4601", "Bergen", "46", 291_940),
    ("5001", "Trondheim", "50", 214_565),
    ("1103", "Stavanger", "11", 149_048),
    ("1804", "Bodø", "18", 53_712),
    ("1508", "Ålesund", "15", 67_114),
    ("3403", "Hamar", "34", 32_950),
    ("3405", "Lillehammer", "34", 29_044),
    ("5601", "Alta", "56", 21_890),
    ("5603", "Hammerfest", "56", 11_336),
    ("1806", "Narvik", "18", 21_568),
    ("5025", "Røros", "50", 5_562),
    ("3434", "Lom", "34", 2_253),
    ("1820", "Alstahaug", "18", 7_411),
    ("4204", "Kristiansand", "42", 116_986),
    ("3905", "Tønsberg", "39", 59_122),
    ("4020", "Midt-Telemark", "40", 10_706),
]

# (number, name) of counties in force, all present in practices/taxonomy_data/counties.yaml.
COUNTIES = [
    ("46", "Vestland"),
    ("50", "Trøndelag"),
    ("11", "Rogaland"),
    ("18", "Nordland"),
    ("15", "Møre og Romsdal"),
    ("34", "Innlandet"),
    ("56", "Finnmark"),
    ("42", "Agder"),
    ("39", "Vestfold"),
    ("40", "Telemark"),
]

TAGS = [
    "tett oppfølging",
    "Housing First",
    "bostedsløse",
    "depositumgaranti",
    "startlån",
    "husleierestanser",
    "boveiledning",
    "ungdom",
    "økonomisk rådgivning",
    "midlertidig botilbud",
    "tverrfaglig samarbeid",
    "leie før eie",
]

# Slugs of seeded themes and target groups, and seeded law provisions (two of them repealed and
# replaced), for pages with many taxonomy rows attached.
THEMES = ["bolig-og-bosetting", "tett-oppfolging", "housing-first", "tverrfaglig-samarbeid"]
TARGET_GROUPS = ["bostedslose", "vanskeligstilte-pa-boligmarkedet", "unge"]
PROVISIONS = [
    ("sosialtjenesteloven", "15"),
    ("sosialtjenesteloven", "17"),
    ("sosialtjenesteloven", "27"),
    ("helse-og-omsorgstjenesteloven", "3-7"),
    ("boligsosialloven", "6"),
]

PRACTICE_TITLES = [
    "Boveileder for unge i egen bolig",
    "Fra leie til eie med startlån",
    "Tidlig innsats mot husleierestanser",
    "Boligteam for personer med rusproblemer",
    "Bolig først for bostedsløse",
    "Fast kontaktperson i NAV",
    "Samarbeid med private utleiere",
    "Kvalitet i midlertidig botilbud",
    "Gjeldsrådgivning på hjemmebesøk",
    "Boligskole for unge voksne",
]

UNITS = [
    "NAV {name}",
    "Boligkontoret i {name} kommune",
    "Tildelingskontoret, {name} kommune",
    "Rus- og psykisk helsetjenesten i {name}",
]


def norwegian_slug(text):
    """«Gode grep for tett oppfølging» -> «gode-grep-for-tett-oppfolging», like the seed slugs."""
    table = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "Æ": "Ae", "Ø": "O", "Å": "A"})
    return slugify(text.translate(table))


def rich(*paragraphs):
    return "".join(f"<p>{text}</p>" for text in paragraphs)


# --- Taxonomies ---------------------------------------------------------------------------


class CountyFactory(DjangoModelFactory):
    class Meta:
        model = County
        django_get_or_create = ("number",)

    number = factory.Iterator([number for number, _name in COUNTIES])
    name = factory.LazyAttribute(lambda o: dict(COUNTIES).get(o.number, f"Fylke {o.number}"))


class MunicipalityFactory(DjangoModelFactory):
    class Meta:
        model = Municipality
        django_get_or_create = ("number",)

    class Params:
        entry = factory.Iterator(MUNICIPALITIES)

    number = factory.LazyAttribute(lambda o: o.entry[0])
    name = factory.LazyAttribute(lambda o: o.entry[1])
    county = factory.LazyAttribute(lambda o: CountyFactory(number=o.entry[2]))
    population = factory.LazyAttribute(lambda o: o.entry[3])
    population_year = 2024

    @classmethod
    def _get_or_create(cls, model_class, *args, **kwargs):
        """The register bootstrap loads has every municipality, without population: the test's
        figure is entered on that row, as an editor (or load_population) would."""
        municipality = super()._get_or_create(model_class, *args, **kwargs)
        if municipality.population is None and kwargs.get("population") is not None:
            municipality.population = kwargs["population"]
            municipality.population_year = kwargs.get("population_year")
            municipality.save(update_fields=["population", "population_year"])
        return municipality


class LawFactory(DjangoModelFactory):
    """A law; the sequence makes distinct, well-formed Lovdata identifiers for made-up laws."""

    class Meta:
        model = Law
        django_get_or_create = ("slug",)

    short_name = factory.Sequence(lambda n: f"forsøksloven {n}")
    slug = factory.LazyAttribute(lambda o: norwegian_slug(o.short_name))
    name = factory.LazyAttribute(lambda o: f"Lov om forsøk i offentlig forvaltning ({o.short_name})")
    abbreviation = ""
    lovdata_id = factory.Sequence(lambda n: f"LOV-1993-06-{(n % 28) + 1:02d}-{700 + n}")
    citation = factory.LazyAttribute(lambda o: f"lov nr. {o.lovdata_id.rsplit('-', 1)[1]}")


class LegalProvisionFactory(DjangoModelFactory):
    class Meta:
        model = LegalProvision
        django_get_or_create = ("law", "paragraph")

    law = factory.SubFactory(LawFactory)
    paragraph = factory.Sequence(lambda n: str(n + 1))
    title = factory.LazyAttribute(lambda o: f"Forsøksbestemmelse {o.paragraph}")


def provision(law_slug, paragraph):
    """A seeded provision, e.g. ``provision("sosialtjenesteloven", "27")``."""
    return LegalProvision.objects.select_related("law").get(law__slug=law_slug, paragraph=paragraph)


class SimpleTermFactory(DjangoModelFactory):
    class Meta:
        abstract = True
        django_get_or_create = ("slug",)

    slug = factory.LazyAttribute(lambda o: norwegian_slug(o.name))


class ThemeFactory(SimpleTermFactory):
    class Meta:
        model = Theme

    name = factory.Sequence(lambda n: f"Boligsosialt tema {n}")
    description = "Et tema for boligsosialt arbeid."


class TargetGroupFactory(SimpleTermFactory):
    class Meta:
        model = TargetGroup

    name = factory.Sequence(lambda n: f"Målgruppe {n}")


class FundingSourceFactory(SimpleTermFactory):
    class Meta:
        model = FundingSource

    name = factory.Sequence(lambda n: f"Tilskuddsordning {n}")


# --- Resolving taxonomy terms given by name ------------------------------------------------


def _county(value):
    if value is None or isinstance(value, County):
        return value
    return County.objects.filter(number=value).first() or County.objects.get(name=value, valid_to__isnull=True)


def _municipality(value):
    if isinstance(value, Municipality):
        return value
    found = Municipality.objects.filter(number=value).first() or Municipality.objects.filter(name=value).first()
    if found:
        return found
    for entry in MUNICIPALITIES:
        if value in (entry[0], entry[1]):
            return MunicipalityFactory(entry=entry)
    raise LookupError(f"Ukjent kommune: {value!r}")


def _term(model, value):
    if isinstance(value, model):
        return value
    return model.objects.filter(slug=value).first() or model.objects.get(name=value)


def _provision(value):
    if isinstance(value, LegalProvision):
        return value
    law_slug, paragraph = value
    return provision(law_slug, paragraph)


# --- Pages ----------------------------------------------------------------------------------


def _default_municipalities(page):
    """One municipality in the page's county, as a real example has (none without a county)."""
    if page.county is None:
        return []
    named = [e[0] for e in MUNICIPALITIES if e[2] == page.county.number and e[1] in page.responsible_unit]
    if named:
        return named[:1]
    seeded = Municipality.objects.filter(county=page.county).first()
    if seeded:
        return [seeded]
    return [entry[0] for entry in MUNICIPALITIES if entry[2] == page.county.number][:1]


def _first_published(o):
    return timezone.now() if o.live else None


class ContentPageFactory(wagtail_factories.PageFactory):
    """Base for the content pages: a live page (unless ``live=False``) with a summary."""

    class Meta:
        abstract = True

    slug = factory.LazyAttribute(lambda o: norwegian_slug(o.title))
    live = True
    first_published_at = factory.LazyAttribute(_first_published)
    last_published_at = factory.LazyAttribute(_first_published)
    summary = factory.LazyAttribute(lambda o: f"Slik arbeidet kommunen med «{o.title.lower()}».")

    @factory.post_generation
    def themes(obj, create, extracted, **kwargs):
        if extracted:
            obj.themes.set([_term(Theme, value) for value in extracted])

    @factory.post_generation
    def target_groups(obj, create, extracted, **kwargs):
        if extracted:
            obj.target_groups.set([_term(TargetGroup, value) for value in extracted])

    @factory.post_generation
    def tags(obj, create, extracted, **kwargs):
        if extracted:
            obj.tags.add(*extracted)

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        # The many-to-many values above live on the cluster until the page is saved.
        if create:
            instance.save()
            if instance.live:
                from search.tasks import index_pages_task

                index_pages_task.call([instance.pk])  # what publishing does for a live page


class ActorPageFactory(ContentPageFactory):
    class Meta:
        abstract = True

    class Params:
        place = factory.Iterator(MUNICIPALITIES)

    county = factory.LazyAttribute(lambda o: CountyFactory(number=o.place[2]))
    responsible_unit = factory.LazyAttribute(lambda o: UNITS[len(o.title) % len(UNITS)].format(name=o.place[1]))
    period_start = factory.Sequence(lambda n: 2010 + n % 12)
    period_end = factory.LazyAttribute(lambda o: o.period_start + 2)

    @classmethod
    def _adjust_kwargs(cls, **kwargs):
        kwargs["county"] = _county(kwargs.get("county"))
        return kwargs

    @factory.post_generation
    def municipalities(obj, create, extracted, **kwargs):
        if extracted is None:
            extracted = _default_municipalities(obj)
        obj.municipalities.set([_municipality(value) for value in extracted])


class PracticePageFactory(ActorPageFactory):
    class Meta:
        model = PracticePage

    parent = factory.LazyFunction(lambda: PracticeIndexPage.objects.get())
    title = factory.LazyAttributeSequence(
        lambda o, n: f"{PRACTICE_TITLES[n % len(PRACTICE_TITLES)]} i {o.place[1]} ({n})"
    )
    status = "avsluttet"
    evidence_level = "beskrevet"
    description = factory.LazyAttribute(
        lambda o: rich(
            f"{o.responsible_unit} startet arbeidet i {o.period_start}.",
            "Målet var at flere skulle få og beholde en egnet bolig.",
        )
    )
    results = rich("Færre husstander bodde i midlertidig botilbud etter prosjektperioden.")
    steps = factory.LazyFunction(
        lambda: [
            ("step", {"title": "Kartlegging", "text": RichText("<p>Alle i midlertidig botilbud ble kartlagt.</p>")}),
            ("step", {"title": "Oppfølging", "text": RichText("<p>Hver bruker fikk en fast kontaktperson.</p>")}),
        ]
    )
    success_factors = factory.LazyFunction(
        lambda: [("item", {"statement": "Tverrfaglig samarbeid.", "elaboration": "Tjenestene møttes ukentlig."})]
    )
    challenges = factory.LazyFunction(
        lambda: [("item", {"statement": "Mangel på kommunale boliger.", "elaboration": ""})]
    )
    resources = "to årsverk"
    contact = "Prosjektleder, tlf. 22 00 00 00"
    last_reviewed = datetime.date(2024, 3, 1)

    @factory.post_generation
    def funding_sources(obj, create, extracted, **kwargs):
        if extracted:
            obj.funding_sources.set([_term(FundingSource, value) for value in extracted])

    @factory.post_generation
    def legal_references(obj, create, extracted, **kwargs):
        if not create or not extracted:
            return
        if isinstance(extracted, int):
            extracted = [LegalProvisionFactory() for _ in range(extracted)]
        for order, value in enumerate(extracted):
            comment = ""
            if isinstance(value, dict):
                value, comment = value["provision"], value.get("comment", "")
            PracticeLegalReference.objects.create(
                page=obj, provision=_provision(value), comment=comment, sort_order=order
            )


class ReportPageFactory(ActorPageFactory):
    class Meta:
        model = ReportPage

    parent = factory.LazyFunction(lambda: ReportIndexPage.objects.get())
    title = factory.Sequence(lambda n: f"Erfaringsrapport fra boligprosjektet, år {n + 1}")
    report_type = "erfaringsrapport"
    published = factory.LazyAttribute(lambda o: datetime.date(o.period_end + 1, 1, 25))
    body = factory.LazyFunction(
        lambda: [
            ("heading", {"text": "Innledning", "level": "h2"}),
            ("paragraph", RichText("<p>Prosjektet har fulgt opp leietakere med husleierestanser.</p>")),
        ]
    )

    @factory.post_generation
    def legal_references(obj, create, extracted, **kwargs):
        if not create or not extracted:
            return
        if isinstance(extracted, int):
            extracted = [LegalProvisionFactory() for _ in range(extracted)]
        for order, value in enumerate(extracted):
            ReportLegalReference.objects.create(page=obj, provision=_provision(value), sort_order=order)


class ArticlePageFactory(ContentPageFactory):
    class Meta:
        model = ArticlePage

    parent = factory.LazyFunction(lambda: ArticleIndexPage.objects.get())
    title = factory.Sequence(lambda n: f"Slik lykkes NAV-kontoret med tett oppfølging, del {n + 1}")
    kind = "fagartikkel"
    date = factory.Sequence(lambda n: datetime.date(2020, 1, 1) + datetime.timedelta(days=n))
    body = factory.LazyFunction(
        lambda: [
            ("heading", {"text": "En fast kontaktperson", "level": "h2"}),
            ("paragraph", RichText("<p>Den samme veilederen følger brukeren hele veien.</p>")),
        ]
    )

    @factory.post_generation
    def related_practices(obj, create, extracted, **kwargs):
        if extracted:
            obj.related_practices.set(extracted)


def home_page():
    return HomePage.objects.get()


# --- Admin form data ---------------------------------------------------------------------------


def block_form_data(block, value, prefix, data):
    """The POST data the admin's StreamField widget sends for ``value``.

    Wagtail renders StreamFields with JavaScript, so the edit view's HTML holds no inputs for them
    and ``assertPageIsPreviewable`` cannot scrape them (it fails with KeyError '<field>-count');
    this builds them from the page's stored value instead.
    """
    if isinstance(block, blocks.BaseStreamBlock):
        children = list(value or [])
        data[f"{prefix}-count"] = str(len(children))
        for i, child in enumerate(children):
            data.update(
                {
                    f"{prefix}-{i}-type": child.block_type,
                    f"{prefix}-{i}-id": child.id or "",
                    f"{prefix}-{i}-order": str(i),
                    f"{prefix}-{i}-deleted": "",
                }
            )
            block_form_data(child.block, child.value, f"{prefix}-{i}-value", data)
    elif isinstance(block, blocks.StructBlock):
        for name, child_block in block.child_blocks.items():
            block_form_data(child_block, value.get(name), f"{prefix}-{name}", data)
    elif isinstance(block, blocks.ListBlock):
        items = list(value or [])
        data[f"{prefix}-count"] = str(len(items))
        for i, item in enumerate(items):
            data.update({f"{prefix}-{i}-order": str(i), f"{prefix}-{i}-deleted": "", f"{prefix}-{i}-id": ""})
            block_form_data(block.child_block, item, f"{prefix}-{i}-value", data)
    else:
        form_value = block.value_for_form(value) if value is not None else ""
        if isinstance(block.field.widget, DraftailRichTextArea):
            form_value = block.field.widget.format_value(form_value)
        elif hasattr(form_value, "pk"):
            form_value = form_value.pk
        data[prefix] = "" if form_value is None else form_value


def autocomplete_values(html, form_id):
    """What the searchable choosers (wagtail-autocomplete) in a form post unchanged: their
    script turns each ``data-autocomplete-input`` element into a hidden input named
    ``data-autocomplete-input-name`` holding the JSON of ``data-autocomplete-input-value``."""
    form = WagtailTestUtils.get_soup(html).find("form", attrs={"id": form_id})
    values = {}
    for element in form.select("[data-autocomplete-input]"):
        name = element["data-autocomplete-input-name"]
        if "__prefix__" not in name:  # the template for forms added with «Legg til»
            values[name] = element["data-autocomplete-input-value"]
    return values


def chosen(*objects):
    """What a searchable chooser posts for ``objects`` (one object: a single-choice chooser)."""
    if len(objects) == 1 and not isinstance(objects[0], list | tuple):
        return json.dumps({"pk": objects[0].pk, "title": str(objects[0])})
    return json.dumps([{"pk": obj.pk, "title": str(obj)} for obj in (objects[0] if objects else [])])


def edit_form_data(client, page):
    """What the edit form would post for ``page`` unchanged (client must be logged in)."""
    response = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    data = querydict_from_html(html, form_id="page-edit-form")
    data.update(autocomplete_values(html, "page-edit-form"))
    page = page.get_latest_revision_as_object()
    for field in page._meta.get_fields():
        if isinstance(field, StreamField):
            stream = {}
            block_form_data(field.stream_block, getattr(page, field.name), field.name, stream)
            data.update(stream)
    return data
