"""Synthetic demo content: many realistic-looking but clearly fictional practice examples,
for load tests, the search benchmark (scripts/benchmark_search.py) and demonstrations.
Used by ``manage.py generate_demo_content``; never by the site itself.

Every generated page is recognisable: its slug starts with «demo-», it carries the tag
«demodata», and its source note says it is generated. Municipalities are the ones already
registered (when one lies in the page's county) or a made-up «Kommune 123 (demo)» written as
``other_actor``; no municipality snippets and no population figures are invented.

Speed: pages are written in bulk, not through ``add_child`` and ``save_revision`` (≈ 20 ms a
page). The base ``wagtailcore_page`` rows are ``bulk_create``-d with tree paths computed the
way treebeard does, the practice rows are inserted as ``loaddata`` does (``save_base(raw=True)``,
which Wagtail's reference-index and search-index signal handlers ignore), and tags, themes,
target groups, funding sources and legal references are bulk-created; Wagtail's own (admin)
search index is fed with ``add_bulk`` per batch. Demo pages are live without revisions (like
imported legacy content). The caller rebuilds the site's search index once at the end
(``search.indexing.reindex``), not page by page through the publish signal.

Content is deterministic: page number *n* under seed *s* is always the same page, whatever
else is generated.
"""

import datetime
import random
import time
import uuid
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils.text import slugify
from taggit.models import Tag
from wagtail.models import Page
from wagtail.search.backends import get_search_backends

from .blocks import NORWEGIAN_LETTERS
from .models import (
    County,
    FundingSource,
    LegalProvision,
    Municipality,
    PracticeIndexPage,
    PracticeLegalReference,
    PracticePage,
    PracticePageTag,
    TargetGroup,
    Theme,
)
from .models.practice import EvidenceLevel, PracticeStatus
from .models.taxonomy import MunicipalitySize

SLUG_PREFIX = "demo-"
DEMO_SLUG_RE = rf"^{SLUG_PREFIX}[0-9]+-"  # demo-00042-housing-first-team
DEMO_TAG = "demodata"
SOURCE_NOTE = (
    "Syntetisk demoinnhold laget med «manage.py generate_demo_content». "
    "Dette er ikke et reelt praksiseksempel."
)
BATCH_SIZE = 250
FIRST_YEAR = 2012
LAST_YEAR = 2025
REPLACEMENT_YEAR = 2023  # boligsosialloven replaced sotjl. § 15 and hol. § 3-7 on 1 July 2023
SYNTHETIC_MUNICIPALITIES = 300
REAL_MUNICIPALITY_SHARE = 0.2


# --- the word bank -----------------------------------------------------------------------------

# Tags with a rough popularity (a few are common, most are rarer), as editors use them.
TAGS = {
    "tett oppfølging": 30,
    "Housing First": 12,
    "depositumgaranti": 10,
    "midlertidig botilbud": 12,
    "bostøtte": 10,
    "startlån": 9,
    "husleierestanser": 9,
    "boveiledning": 10,
    "boevne": 8,
    "hjemmebesøk": 9,
    "tverrfaglig samarbeid": 14,
    "økonomisk rådgivning": 10,
    "gjeldsrådgivning": 6,
    "utkastelse": 5,
    "kommunal utleiebolig": 9,
    "leie til eie": 4,
    "tilskudd til etablering": 4,
    "bosetting av flyktninger": 5,
    "ungdom": 8,
    "rus og psykisk helse": 10,
    "ACT-team": 3,
    "FACT-team": 4,
    "brukermedvirkning": 8,
    "erfaringskonsulent": 4,
    "boligsosial handlingsplan": 4,
    "kartlegging": 6,
    "Husbanken": 6,
    "sosiale tjenester i NAV": 7,
    "ettervern": 3,
    "løslatelse fra fengsel": 3,
    "barnefamilier": 6,
    "boligkontor": 5,
    "tildeling av bolig": 4,
    "varslingsrutiner": 3,
    "bomiljø": 4,
    "samlokaliserte boliger": 3,
    "kvalifiseringsprogrammet": 3,
    "digital veiledning": 2,
    "private utleiere": 4,
    "hybelhus": 1,
}


@dataclass(frozen=True)
class Archetype:
    """A kind of practice: what it is called, what it does, and how it is classified."""

    titles: tuple
    measure: str  # indefinite noun phrase: «et Housing First-team»
    aim: str  # «at flere bostedsløse får og beholder en egen bolig»
    activities: tuple  # sentences without a full stop
    tags: tuple
    themes: tuple  # theme slugs
    target_groups: tuple  # target group slugs
    provisions: tuple = ()  # ("law slug", "paragraph")
    funding: tuple = ()  # funding source slugs more likely than the others


ARCHETYPES = (
    Archetype(
        titles=("Housing First-team", "Bolig først i praksis", "Egen bolig uten krav om rusfrihet", "Hjem først"),
        measure="et Housing First-team som skaffer egen bolig uten krav om behandling",
        aim="at flere bostedsløse med rusproblemer får og beholder en egen bolig",
        activities=(
            "Teamet hjelper deltakeren med å finne en bolig på det ordinære leiemarkedet",
            "Deltakeren bestemmer selv tempoet i oppfølgingen",
            "Oppfølgingen fortsetter også om deltakeren mister boligen",
        ),
        tags=("Housing First", "tett oppfølging", "rus og psykisk helse"),
        themes=("housing-first", "tett-oppfolging"),
        target_groups=("bostedslose", "rus-og-psykisk-helse"),
        provisions=(("boligsosialloven", "6"), ("helse-og-omsorgstjenesteloven", "3-7")),
        funding=("husbanken",),
    ),
    Archetype(
        titles=(
            "Oppfølging av leietakere med depositumgaranti",
            "Depositumgaranti med oppfølging",
            "Trygg start i leid bolig",
        ),
        measure="en ordning der alle som får depositumgaranti, også får tilbud om oppfølging",
        aim="at leieforholdet varer og at garantien ikke blir utløst",
        activities=(
            "Veilederen tar kontakt med leietakeren i løpet av den første måneden",
            "Utleier har et fast kontaktpunkt i NAV-kontoret",
            "Hjemmebesøk avtales etter behov, fra hver uke til et par ganger i året",
        ),
        tags=("depositumgaranti", "hjemmebesøk", "private utleiere"),
        themes=("tett-oppfolging", "bolig-og-bosetting"),
        target_groups=("vanskeligstilte-pa-boligmarkedet",),
        provisions=(("husleieloven", "3-5"), ("sosialtjenesteloven", "17")),
        funding=("statsforvalteren",),
    ),
    Archetype(
        titles=("Tidlig varsling ved husleierestanser", "Fra restanse til avtale", "Forebygging av utkastelser"),
        measure="en rutine der utleier varsler NAV-kontoret allerede ved første ubetalte husleie",
        aim="å forebygge utkastelser ved å komme tidlig inn når husleien ikke blir betalt",
        activities=(
            "Boligkontoret sender en liste over nye restanser til NAV-kontoret hver uke",
            "Leietakeren får tilbud om en samtale om økonomi innen en uke",
            "Det settes opp en nedbetalingsavtale som leietakeren kan klare",
        ),
        tags=("husleierestanser", "utkastelse", "varslingsrutiner", "økonomisk rådgivning"),
        themes=("okonomisk-radgivning",),
        target_groups=("leietakere-med-husleierestanser",),
        provisions=(("sosialtjenesteloven", "17"),),
    ),
    Archetype(
        titles=(
            "Kvalitet i midlertidig botilbud",
            "Kortere opphold i midlertidig botilbud",
            "Fra nødbolig til varig bolig",
        ),
        measure="faste krav til kvalitet og varighet i det midlertidige botilbudet",
        aim="at ingen blir boende lenger enn tre måneder i et midlertidig botilbud",
        activities=(
            "Alle som får vedtak om midlertidig botilbud, får en plan for varig bolig",
            "Kommunen har avtaler bare med tilbydere som oppfyller kvalitetskravene",
            "Barnefamilier skal ikke bo på campinghytter eller hospits",
        ),
        tags=("midlertidig botilbud", "kartlegging"),
        themes=("midlertidig-botilbud",),
        target_groups=("bostedslose",),
        provisions=(("sosialtjenesteloven", "27"),),
    ),
    Archetype(
        titles=("Fra leie til eie med startlån", "Startlån til barnefamilier", "Leie til eie"),
        measure="en modell der leietakere i kommunale boliger kan kjøpe boligen med startlån",
        aim="at flere barnefamilier med lave inntekter kan eie sin egen bolig",
        activities=(
            "Boligkontoret kartlegger hvilke leietakere som kan betjene et startlån",
            "Familiene får økonomisk rådgivning før de søker",
            "Tilskudd til etablering brukes når startlånet ikke er nok",
        ),
        tags=("startlån", "leie til eie", "tilskudd til etablering", "Husbanken", "barnefamilier"),
        themes=("bolig-og-bosetting", "okonomisk-radgivning"),
        target_groups=("vanskeligstilte-pa-boligmarkedet",),
        provisions=(("boligsosialloven", "6"),),
        funding=("husbanken", "kommunen"),
    ),
    Archetype(
        titles=("Veiledning om bostøtte", "Flere får bostøtten de har rett til", "Bostøttedager på biblioteket"),
        measure="faste veiledningsdager der innbyggerne får hjelp til å søke bostøtte",
        aim="at flere med lave inntekter søker og får bostøtte",
        activities=(
            "Veiledere fra NAV-kontoret og boligkontoret sitter sammen med søkeren",
            "Søknaden fylles ut digitalt med hjelp der det trengs",
            "Alle som får avslag, får tilbud om en ny gjennomgang av økonomien",
        ),
        tags=("bostøtte", "digital veiledning", "økonomisk rådgivning"),
        themes=("okonomisk-radgivning",),
        target_groups=("langtidsmottakere-av-sosialhjelp", "vanskeligstilte-pa-boligmarkedet"),
        provisions=(("sosialtjenesteloven", "17"),),
        funding=("husbanken",),
    ),
    Archetype(
        titles=("Boveileder for unge", "Min første bolig", "Unge i egen bolig"),
        measure="en boveileder som følger opp unge i deres første egne bolig",
        aim="at unge mellom 18 og 25 år lærer å bo og blir boende",
        activities=(
            "Boveilederen lærer deltakerne å lage budsjett, handle og holde orden",
            "Deltakerne møtes i grupper for å lage mat sammen",
            "Oppfølgingen trappes ned etter hvert som boevnen øker",
        ),
        tags=("ungdom", "boveiledning", "boevne"),
        themes=("tett-oppfolging", "arbeid-og-aktivitet"),
        target_groups=("unge",),
        provisions=(("sosialtjenesteloven", "17"), ("boligsosialloven", "6")),
    ),
    Archetype(
        titles=("Bosetting av flyktninger i ordinære boliger", "Raskere bosetting", "Bolig og introduksjon"),
        measure="et samarbeid med private utleiere om boliger til flyktninger som bosettes",
        aim="at flyktninger bosettes raskt i boliger de kan bli boende i",
        activities=(
            "Flyktningtjenesten inngår rammeavtaler med private utleiere",
            "Nye beboere får opplæring i hvordan man bor i en norsk bolig",
            "Tolk brukes ved alle samtaler om leiekontrakten",
        ),
        tags=("bosetting av flyktninger", "private utleiere", "kommunal utleiebolig"),
        themes=("bolig-og-bosetting",),
        target_groups=("flyktninger",),
        provisions=(("boligsosialloven", "6"),),
        funding=("imdi",),
    ),
    Archetype(
        titles=("Bolig ved løslatelse", "Ingen løslatelse til gata", "Ettervern og bolig"),
        measure="et samarbeid med kriminalomsorgen om bolig og oppfølging ved løslatelse",
        aim="at ingen løslates uten et sted å bo",
        activities=(
            "Boligbehovet kartlegges seks måneder før løslatelsen",
            "NAV-veilederen møter den innsatte før løslatelsen",
            "Det første døgnet etter løslatelsen er planlagt i detalj",
        ),
        tags=("løslatelse fra fengsel", "ettervern", "tverrfaglig samarbeid"),
        themes=("tverrfaglig-samarbeid",),
        target_groups=("rus-og-psykisk-helse", "bostedslose"),
        provisions=(("sosialtjenesteloven", "27"), ("boligsosialloven", "6")),
    ),
    Archetype(
        titles=("Erfaringskonsulenter i boligteamet", "Brukerstemmen i boligarbeidet", "Likepersoner som boveiledere"),
        measure="erfaringskonsulenter ansatt i det boligsosiale teamet",
        aim="at tjenestene bygger på erfaringene til dem som bruker dem",
        activities=(
            "Erfaringskonsulentene deltar i kartleggingssamtaler",
            "Brukerne gir tilbakemeldinger på tjenestene to ganger i året",
            "Et brukerråd gir råd om nye tiltak",
        ),
        tags=("erfaringskonsulent", "brukermedvirkning"),
        themes=("brukermedvirkning",),
        target_groups=("rus-og-psykisk-helse",),
    ),
    Archetype(
        titles=("FACT-team i distriktet", "Oppsøkende behandling og bolig", "ACT-team og boligoppfølging"),
        measure="et FACT-team der kommunen og spesialisthelsetjenesten jobber sammen",
        aim="at personer med alvorlige psykiske lidelser og rusproblemer får hjelp der de bor",
        activities=(
            "Teamet møter brukerne hjemme og ikke på kontoret",
            "Behandling, bolig og økonomi planlegges samlet",
            "Teamet har felles journal og felles morgenmøter",
        ),
        tags=("FACT-team", "ACT-team", "rus og psykisk helse", "tett oppfølging"),
        themes=("tett-oppfolging", "tverrfaglig-samarbeid"),
        target_groups=("rus-og-psykisk-helse",),
        provisions=(("helse-og-omsorgstjenesteloven", "3-7"),),
        funding=("statsforvalteren",),
    ),
    Archetype(
        titles=("Godt bomiljø i samlokaliserte boliger", "Naboskap og bomiljø", "Bomiljøarbeid"),
        measure="en bomiljøarbeider som er til stede i og rundt de kommunale boligene",
        aim="færre konflikter og et tryggere bomiljø for alle beboerne",
        activities=(
            "Bomiljøarbeideren arrangerer beboermøter og dugnader",
            "Naboer får et nummer de kan ringe når noe skjer",
            "Vaktmestertjenesten melder fra om boliger som forfaller",
        ),
        tags=("bomiljø", "samlokaliserte boliger", "kommunal utleiebolig"),
        themes=("bolig-og-bosetting",),
        target_groups=("rus-og-psykisk-helse", "vanskeligstilte-pa-boligmarkedet"),
    ),
    Archetype(
        titles=(
            "Boligsosial handlingsplan i praksis",
            "Én dør inn til boligtjenestene",
            "Felles tildeling av boliger",
        ),
        measure="et felles boligkontor som tildeler alle kommunale boliger etter samme kriterier",
        aim="en helhetlig og rettferdig tildeling av kommunale boliger",
        activities=(
            "Alle søknader behandles i et felles tildelingsmøte",
            "Kriteriene for tildeling er beskrevet i den boligsosiale handlingsplanen",
            "Søkeren får svar innen fire uker",
        ),
        tags=("boligsosial handlingsplan", "tildeling av bolig", "boligkontor"),
        themes=("tverrfaglig-samarbeid", "bolig-og-bosetting"),
        target_groups=("vanskeligstilte-pa-boligmarkedet",),
        provisions=(("boligsosialloven", "6"), ("sosialtjenesteloven", "15")),
    ),
    Archetype(
        titles=("Gjeldsrådgivning for leietakere", "Økonomi og bolig", "Orden i økonomien"),
        measure="gjeldsrådgivning knyttet til kvalifiseringsprogrammet",
        aim="at deltakerne får oversikt over gjelden og kan betale husleien",
        activities=(
            "Rådgiveren går gjennom all gjeld sammen med deltakeren",
            "Deltakeren får hjelp til å forhandle med kreditorene",
            "Husleien trekkes fast før andre utgifter",
        ),
        tags=("gjeldsrådgivning", "kvalifiseringsprogrammet", "økonomisk rådgivning", "sosiale tjenester i NAV"),
        themes=("okonomisk-radgivning", "arbeid-og-aktivitet"),
        target_groups=("langtidsmottakere-av-sosialhjelp",),
        provisions=(("sosialtjenesteloven", "17"),),
    ),
    Archetype(
        titles=("Jobb og bolig for unge", "Hybelhus med aktivitet", "Bolig som grunnmur for arbeid"),
        measure="et hybelhus der beboerne også deltar i arbeid eller skole",
        aim="at unge uten fast bolig kommer i arbeid eller utdanning",
        activities=(
            "Beboerne har en fast aktivitet på dagtid",
            "NAV-veilederen har kontordag i hybelhuset",
            "Beboerne får hjelp til å finne egen bolig når de er klare",
        ),
        tags=("ungdom", "hybelhus", "kvalifiseringsprogrammet"),
        themes=("arbeid-og-aktivitet", "bolig-og-bosetting"),
        target_groups=("unge",),
        provisions=(("sosialtjenesteloven", "27"),),
    ),
    Archetype(
        titles=("Barnefamilier i kommunale boliger", "Trygge boforhold for barn", "Bedre boliger for barnefamilier"),
        measure="en gjennomgang av boforholdene til alle barnefamilier som leier av kommunen",
        aim="at barnefamilier bor trygt og stabilt, nær skole og fritidstilbud",
        activities=(
            "Hver familie får et hjemmebesøk der boforholdene kartlegges",
            "Familier i dårlige boliger får tilbud om en annen bolig",
            "Familiene får hjelp til å søke bostøtte og startlån",
        ),
        tags=("barnefamilier", "kommunal utleiebolig", "bostøtte", "kartlegging"),
        themes=("bolig-og-bosetting",),
        target_groups=("vanskeligstilte-pa-boligmarkedet",),
        provisions=(("boligsosialloven", "6"),),
        funding=("husbanken", "kommunen"),
    ),
)

UNITS = (
    "NAV-kontoret",
    "Boligkontoret",
    "Tjenestekontoret",
    "Enhet for psykisk helse og rus",
    "Flyktningtjenesten",
    "Boligsosialt team",
    "Tildelingsenheten",
    "Helse- og velferdskontoret",
)
PARTNERS = (
    "Husbanken",
    "boligkontoret",
    "psykisk helsetjeneste",
    "kriminalomsorgen",
    "private utleiere",
    "frivillige organisasjoner",
    "spesialisthelsetjenesten",
    "flyktningtjenesten",
    "Statsforvalteren",
    "fastlegene",
)
PROBLEMS = (
    "mangel på egnede utleieboliger",
    "høye husleier i det private leiemarkedet",
    "lange ventelister på kommunale boliger",
    "at tjenestene jobbet hver for seg",
    "mange og lange opphold i midlertidige botilbud",
    "økende husleierestanser",
    "at mange mistet boligen etter kort tid",
    "at brukerne måtte fortelle historien sin til mange ulike kontorer",
)
RESULTS = (
    "færre utkastelser",
    "flere som bor stabilt i egen bolig",
    "kortere opphold i midlertidig botilbud",
    "bedre boevne hos deltakerne",
    "lavere husleierestanser",
    "færre henvendelser om akutt bolig",
    "mer fornøyde utleiere",
    "at flere har kommet i arbeid eller aktivitet",
)
SUCCESS_FACTORS = (
    ("Forankring i ledelsen.", "Ledelsen i kommunen og NAV-kontoret stilte seg bak arbeidet fra starten."),
    ("Tett og forutsigbar oppfølging.", "Deltakerne visste når de ville få besøk, og hvem som kom."),
    ("Én kontaktperson.", "Brukerne slapp å forholde seg til mange ulike saksbehandlere."),
    ("Samarbeid på tvers.", "Faste møter mellom tjenestene gjorde det lett å løse saker raskt."),
    ("Fleksible rammer.", "Oppfølgingen kunne økes og trappes ned etter behov."),
    ("Gode relasjoner.", "Tillit og respekt var grunnlaget for alt arbeidet."),
    ("Erfaringskompetanse.", "Medarbeidere med egen erfaring nådde fram der andre ikke gjorde det."),
    ("Gode avtaler med utleiere.", "Utleierne hadde noen å ringe når det oppsto problemer."),
)
CHALLENGES = (
    ("Mangel på boliger.", "Det tok ofte lang tid å finne en bolig som passet."),
    ("Usikker finansiering.", "Prosjektmidlene ble gitt for ett år om gangen."),
    ("Turnover blant ansatte.", "Nye medarbeidere måtte læres opp flere ganger i prosjektperioden."),
    ("Dokumentasjon.", "Det var vanskelig å vise resultatene med statistikk."),
    ("Taushetsplikt.", "Samarbeidet krevde samtykke fra brukerne før opplysninger kunne deles."),
    ("Sikkerhet ved hjemmebesøk.", "Noen besøk måtte gjøres av to medarbeidere."),
    ("Lange avstander.", "Reisetiden mellom brukerne tok mye av arbeidstiden."),
)
DETAILS = (  # occasional detail sentences: some words in the index are rare
    "En tolketjeneste ble brukt i samtaler med deltakere som ikke snakket norsk.",
    "Vaktmestertjenesten hjalp til med små reparasjoner og snørydding.",
    "Deltakerne fikk låne møbler fra et kommunalt møbellager.",
    "Et samarbeid med det lokale idrettslaget ga deltakerne tilbud om trening.",
    "Kommunen leide inn en advokat for å gå gjennom standardkontraktene.",
    "Noen deltakere fikk hjelp til å skaffe seg bankkort og BankID.",
)
COMMENT_FOCUS = (
    "individuell bistand",
    "oppfølging i boligen",
    "økonomisk rådgivning",
    "boliger til vanskeligstilte",
    "samarbeid mellom tjenestene",
)
RESOURCES = (
    "ett årsverk",
    "to årsverk",
    "tre årsverk fordelt på fire ansatte",
    "en halv stilling som boveileder",
    "to personer ansatt i prosjektet",
    "innenfor ordinært budsjett",
)


# --- the taxonomies as they are in the database ------------------------------------------------


@dataclass
class Taxonomies:
    counties: list
    current_counties: dict  # county pk -> [County]
    municipalities: list
    sizes: dict  # municipality pk -> size band known from registered data, or ""
    themes: dict  # slug -> Theme
    target_groups: dict
    funding_sources: dict
    provisions: dict  # (law slug, paragraph) -> LegalProvision

    @classmethod
    def load(cls):
        counties = list(County.objects.prefetch_related("successors").order_by("number"))
        if not counties:
            raise DemoContentError("Fant ingen fylker. Kjør «manage.py bootstrap» først.")
        municipalities = list(
            Municipality.objects.exclude(county=None).filter(valid_to=None).order_by("number", "name")
        )
        sizes = {}
        for municipality in municipalities:
            size = municipality.size or next(
                (
                    practice.municipality_size
                    for practice in PracticePage.objects.filter(municipalities=municipality)
                    .exclude(slug__regex=DEMO_SLUG_RE)
                    .exclude(municipality_size="")
                    .order_by("pk")[:1]
                ),
                "",
            )
            sizes[municipality.pk] = size
        return cls(
            counties=counties,
            current_counties={county.pk: county.current_counties() for county in counties},
            municipalities=municipalities,
            sizes=sizes,
            themes={t.slug: t for t in Theme.objects.order_by("slug")},
            target_groups={t.slug: t for t in TargetGroup.objects.order_by("slug")},
            funding_sources={f.slug: f for f in FundingSource.objects.order_by("slug")},
            provisions={
                (p.law.slug, p.paragraph): p
                for p in LegalProvision.objects.select_related("law").order_by("law__slug", "paragraph")
            },
        )

    def years_valid(self, county):
        start = max(FIRST_YEAR, county.valid_from.year if county.valid_from else FIRST_YEAR)
        end = min(LAST_YEAR, county.valid_to.year if county.valid_to else LAST_YEAR)
        return start, end


class DemoContentError(Exception):
    pass


# --- one page ---------------------------------------------------------------------------------


@dataclass
class PracticeSpec:
    number: int
    fields: dict
    tags: list
    themes: list = field(default_factory=list)
    target_groups: list = field(default_factory=list)
    funding_sources: list = field(default_factory=list)
    municipalities: list = field(default_factory=list)
    legal_references: list = field(default_factory=list)  # (provision, comment)


def rng_for(seed, number):
    """The random generator of page ``number`` under ``seed`` (str seeds are hashed with SHA-512,
    so this is stable across runs and Python processes)."""
    return random.Random(f"kunnskapsbase-demo:{seed}:{number}")


def _sentence(text):
    text = text.strip()
    return text[0].upper() + text[1:] + ("" if text.endswith((".", "!", "?")) else ".")


def _paragraphs(*sentences):
    return "".join(f"<p>{_sentence(s)}</p>" for s in sentences if s)


def _pick(rng, items, low, high):
    items = list(items)
    return rng.sample(items, min(len(items), rng.randint(low, high)))


def _weighted_tags(rng, count, exclude):
    names = [name for name in TAGS if name not in exclude]
    chosen = []
    while len(chosen) < count and names:
        name = rng.choices(names, weights=[TAGS[n] for n in names])[0]
        names.remove(name)
        chosen.append(name)
    return chosen


def _block_id(rng):
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _statements(rng, pool, low, high):
    return [
        {"type": "item", "id": _block_id(rng), "value": {"statement": statement, "elaboration": elaboration}}
        for statement, elaboration in _pick(rng, pool, low, high)
    ]


def _publication(rng, period_start):
    """A publication time after the work started, inside the span the knowledge base covers."""
    first = datetime.date(max(period_start, 2018), 1, 1)
    last = datetime.date(LAST_YEAR, 12, 31)
    day = first + datetime.timedelta(days=rng.randrange((last - first).days + 1))
    moment = datetime.time(rng.randrange(7, 17), rng.randrange(60), rng.randrange(60))
    return datetime.datetime.combine(day, moment, tzinfo=datetime.UTC)


def build_spec(number, seed, taxonomies):
    """Everything page ``number`` says and how it is classified (no database access)."""
    rng = rng_for(seed, number)
    archetype = rng.choice(ARCHETYPES)

    # Where and when: a county as it was when the work started.
    county = rng.choice(taxonomies.counties)
    first_year, last_year = taxonomies.years_valid(county)
    period_start = rng.randint(first_year, last_year)
    status = rng.choices(
        [PracticeStatus.ONGOING, PracticeStatus.COMPLETED, PracticeStatus.CONTINUED], weights=[30, 45, 25]
    )[0]
    ongoing = status == PracticeStatus.ONGOING or (period_start >= LAST_YEAR - 1 and rng.random() < 0.5)
    if ongoing:
        status, period_end = PracticeStatus.ONGOING, None
    else:
        period_end = min(LAST_YEAR, period_start + rng.choice([0, 1, 2, 2, 3, 3, 4]))

    area = {c.pk for c in taxonomies.current_counties[county.pk]} | {county.pk}
    local = [m for m in taxonomies.municipalities if m.county_id in area]
    municipalities, size = [], ""
    if local and rng.random() < REAL_MUNICIPALITY_SHARE:
        municipality = rng.choice(local)
        municipalities = [municipality]
        place = f"{municipality.name} kommune"
        other_actor = ""
        size = taxonomies.sizes.get(municipality.pk, "")
    else:
        synthetic = rng.randint(1, SYNTHETIC_MUNICIPALITIES)
        place = other_actor = f"Kommune {synthetic} (demo)"
        # A made-up municipality always has the same size band.
        size = random.Random(f"size:{synthetic}").choices(
            [MunicipalitySize.SMALL, MunicipalitySize.MEDIUM, MunicipalitySize.LARGE], weights=[45, 35, 20]
        )[0]
    units = _pick(rng, UNITS, 1, 2)
    responsible_unit = " og ".join(units)

    # Classification.
    tags = [*_pick(rng, archetype.tags, 1, min(3, len(archetype.tags)))]
    tags += _weighted_tags(rng, rng.randint(1, 3), exclude=set(tags))
    themes = [taxonomies.themes[s] for s in archetype.themes if s in taxonomies.themes]
    if rng.random() < 0.4:
        themes.append(rng.choice(list(taxonomies.themes.values())))
    target_groups = [taxonomies.target_groups[s] for s in archetype.target_groups if s in taxonomies.target_groups]
    if rng.random() < 0.3:
        target_groups.append(rng.choice(list(taxonomies.target_groups.values())))
    funding = [taxonomies.funding_sources[s] for s in archetype.funding if s in taxonomies.funding_sources]
    if rng.random() < 0.5:
        funding.append(rng.choice(list(taxonomies.funding_sources.values())))
    funding = _pick(rng, dict.fromkeys(funding), 0, 2) if funding else []

    references = []
    candidates = [taxonomies.provisions[p] for p in archetype.provisions if p in taxonomies.provisions]
    if rng.random() < 0.3:
        candidates.append(rng.choice(list(taxonomies.provisions.values())))
    for provision in dict.fromkeys(candidates):
        # Cite what was in force: repealed provisions before 2023, their successors after.
        if provision.repealed_on and period_start > REPLACEMENT_YEAR:
            continue
        if provision.law.in_force_from and (period_end or LAST_YEAR) < provision.law.in_force_from.year:
            continue
        if rng.random() < 0.8:
            comment = f"med særlig fokus på {rng.choice(COMMENT_FOCUS)}" if rng.random() < 0.3 else ""
            references.append((provision, comment))

    # Text.
    title = rng.choice(archetype.titles)
    if rng.random() < 0.5:
        title = f"{title} i {place}"
    partner, partner2 = rng.sample(PARTNERS, 2)
    problem = rng.choice(PROBLEMS)
    result, result2 = rng.sample(RESULTS, 2)
    participants = rng.randint(6, 140)
    activities = list(archetype.activities)
    rng.shuffle(activities)
    since = f"siden {period_start}" if ongoing else f"i {period_start}"
    summary = rng.choice(
        [
            f"{place} har {since} prøvd ut {archetype.measure}. "
            f"Målet er {archetype.aim}.",
            f"{responsible_unit} i {place} startet i {period_start} med {archetype.measure}. "
            f"Tiltaket skal bidra til {archetype.aim}.",
            f"Hvordan kan kommunen få til {archetype.aim}? {place} har svart med {archetype.measure}.",
        ]
    )
    description = _paragraphs(
        f"{responsible_unit} har ansvaret for arbeidet, i samarbeid med {partner}",
        f"Tiltaket har så langt hatt {participants} deltakere",
        activities[0],
    )
    background = _paragraphs(
        f"Bakgrunnen var {problem}",
        rng.choice(
            [
                f"En kartlegging i {max(FIRST_YEAR, period_start - 1)} viste at mange ikke fikk den hjelpen de trengte",
                f"Både brukere og ansatte pekte på behovet for {archetype.measure.split(' ', 1)[1]}",
                "Kommunen ønsket å prøve ut en ny måte å jobbe på",
            ]
        ),
    )
    goals = _paragraphs(
        rng.choice(["Målet er {aim}", "Tiltaket skal bidra til {aim}", "Kommunen ønsker {aim}"]).format(
            aim=archetype.aim
        )
    )
    step_texts = activities[1:]
    if rng.random() < 0.5:
        step_texts.append("Erfaringene ble oppsummert og delt med samarbeidspartnerne")
    steps = [
        {"type": "step", "id": _block_id(rng), "value": {"title": title_, "text": _paragraphs(text)}}
        # At most three steps: the texts beyond the third are left out.
        for title_, text in zip(["Oppstart", "Oppfølging", "Evaluering"], step_texts, strict=False)
    ]
    results = _paragraphs(
        f"Arbeidet har gitt {result} og {result2}",
        rng.choice(
            [
                f"{rng.randint(40, 90)} prosent av deltakerne bodde fortsatt i boligen etter ett år",
                "Deltakerne sier at de har fått bedre livskvalitet",
                "Samarbeidet mellom tjenestene er blitt bedre",
            ]
        ),
    )
    user_participation = (
        _paragraphs(rng.choice(["Deltakerne var med på å utforme tiltaket", "Et brukerråd ga råd underveis"]))
        if rng.random() < 0.5
        else ""
    )
    financing_text = _paragraphs(
        f"Arbeidet er finansiert av {' og '.join(f.name for f in funding)}" if funding
        else "Arbeidet er finansiert innenfor kommunens ordinære budsjett"
    )
    implementation = _paragraphs(rng.choice(DETAILS)) if rng.random() < 0.15 else ""
    continuation = ""
    if status == PracticeStatus.CONTINUED:
        continuation = _paragraphs(f"Tiltaket er nå en fast del av tjenestetilbudet, i samarbeid med {partner2}")
    elif status == PracticeStatus.COMPLETED and rng.random() < 0.5:
        continuation = _paragraphs("Erfaringene brukes i det videre boligsosiale arbeidet i kommunen")

    published = _publication(rng, period_start)
    slug_words = slugify(title.translate(NORWEGIAN_LETTERS))[:60].strip("-")
    fields = {
        "title": title,
        "draft_title": title,
        "slug": f"{SLUG_PREFIX}{number:05d}-{slug_words}",
        "summary": summary,
        "other_actor": other_actor,
        "responsible_unit": responsible_unit,
        "county_id": county.pk,
        "period_start": period_start,
        "period_end": period_end,
        "period_ongoing": ongoing,
        "municipality_size": size,
        "status": status,
        "description": description,
        "results": results,
        "background": background,
        "goals": goals,
        "implementation": implementation,
        "steps": steps,
        "user_participation": user_participation,
        "financing": financing_text,
        "success_factors": _statements(rng, SUCCESS_FACTORS, 2, 3),
        "challenges": _statements(rng, CHALLENGES, 1, 2),
        "continuation": continuation,
        "evidence_level": rng.choices(
            [EvidenceLevel.DESCRIBED, EvidenceLevel.EVALUATED, EvidenceLevel.EFFECT], weights=[70, 25, 5]
        )[0],
        "resources": rng.choice(RESOURCES),
        "source_note": SOURCE_NOTE,
        "last_reviewed": (published + datetime.timedelta(days=rng.randrange(30, 400))).date()
        if rng.random() < 0.4 else None,
        "first_published_at": published,
        "last_published_at": published,
        "translation_key": uuid.UUID(int=rng.getrandbits(128), version=4),
    }
    return PracticeSpec(
        number=number,
        fields=fields,
        tags=[DEMO_TAG, *tags],
        themes=list(dict.fromkeys(themes)),
        target_groups=list(dict.fromkeys(target_groups)),
        funding_sources=funding,
        municipalities=municipalities,
        legal_references=references,
    )


# --- writing pages in bulk ----------------------------------------------------------------------


def demo_pages():
    """The demo practice pages (all of them, live or not): slugs «demo-<number>-…»."""
    return PracticePage.objects.filter(slug__regex=DEMO_SLUG_RE)


def next_number(index):
    """The number after the highest demo page number under ``index`` (1 for the first)."""
    highest = 0
    for slug in index.get_children().filter(slug__regex=DEMO_SLUG_RE).values_list("slug", flat=True).iterator():
        digits = slug[len(SLUG_PREFIX):].split("-", 1)[0]
        if digits.isdigit():
            highest = max(highest, int(digits))
    return highest + 1


def _tags_by_name(names):
    """Tag rows for ``names``, created when missing (tags are case-insensitive here)."""
    found = {}
    for name in names:
        tag = Tag.objects.filter(name__iexact=name).order_by("pk").first()
        if tag is None:
            tag = Tag.objects.create(name=name)
        found[name] = tag
    return found


def _m2m_rows(field_name, pairs):
    remote = PracticePage._meta.get_field(field_name)
    through = remote.remote_field.through
    return through, [
        through(**{remote.m2m_column_name(): page_id, remote.m2m_reverse_name(): target.pk})
        for page_id, target in pairs
    ]


def _write_batch(specs, index, first_step, content_type_id, tags):
    """Insert one batch of pages with their relations; returns the created page ids."""
    db = connection.alias
    depth = index.depth + 1
    practices = []
    for offset, spec in enumerate(specs):
        values = dict(spec.fields)
        steps = {name: values.pop(name) for name in ("steps", "success_factors", "challenges")}
        page = PracticePage(
            **values,
            path=PracticePage._get_path(index.path, depth, first_step + offset),
            depth=depth,
            numchild=0,
            url_path=f"{index.url_path}{values['slug']}/",
            content_type_id=content_type_id,
            locale_id=index.locale_id,
            live=True,
            has_unpublished_changes=False,
        )
        for name, value in steps.items():
            setattr(page, name, value)
        practices.append(page)

    page_fields = [f for f in Page._meta.concrete_fields if not f.primary_key]
    bases = Page.objects.bulk_create(
        [Page(**{f.attname: getattr(p, f.attname) for f in page_fields}) for p in practices]
    )
    if any(base.pk is None for base in bases):  # a database that cannot return ids from bulk inserts
        ids = dict(Page.objects.filter(path__in=[b.path for b in bases]).values_list("path", "pk"))
        for base in bases:
            base.pk = ids[base.path]
    for page, base in zip(practices, bases, strict=True):
        page.id = page.page_ptr_id = base.pk
        page._state.adding = True
        # As loaddata does: the practice table only; raw saves are skipped by Wagtail's
        # reference-index and search-index signal handlers.
        page.save_base(raw=True, force_insert=True, using=db)
        page._state.adding = False

    ids = [page.pk for page in practices]
    PracticePageTag.objects.bulk_create(
        PracticePageTag(content_object_id=page_id, tag=tags[name])
        for page_id, spec in zip(ids, specs, strict=True)
        for name in spec.tags
    )
    PracticeLegalReference.objects.bulk_create(
        PracticeLegalReference(page_id=page_id, provision=provision, comment=comment, sort_order=order)
        for page_id, spec in zip(ids, specs, strict=True)
        for order, (provision, comment) in enumerate(spec.legal_references)
    )
    for name in ("themes", "target_groups", "funding_sources", "municipalities"):
        pairs = ((pid, t) for pid, spec in zip(ids, specs, strict=True) for t in getattr(spec, name))
        through, rows = _m2m_rows(name, pairs)
        through.objects.bulk_create(rows)
    _add_to_admin_search(ids)
    return ids


def _add_to_admin_search(ids):
    """Wagtail's own search index (the admin's page search), in bulk: ≈ 1.5 ms a page."""
    pages = list(
        PracticePage.objects.filter(pk__in=ids).select_related("county").prefetch_related("tags", "municipalities")
    )
    for backend in get_search_backends(with_auto_update=True):
        backend.add_bulk(PracticePage, pages)


@dataclass
class GenerationResult:
    created: int
    first_number: int
    seed: object
    seconds: float

    @property
    def pages_per_second(self):
        return self.created / self.seconds if self.seconds else 0.0


def generate(count, seed=0, progress=None, batch_size=BATCH_SIZE):
    """Create ``count`` live demo practice pages under the practices index, in one transaction.

    ``progress(done, total)`` is called after each batch. The search index is not touched:
    call ``search.indexing.reindex`` afterwards.
    """
    started = time.perf_counter()
    index = PracticeIndexPage.objects.first()
    if index is None:
        raise DemoContentError("Fant ingen oversikt over praksiseksempler. Kjør «manage.py bootstrap» først.")
    taxonomies = Taxonomies.load()
    content_type_id = ContentType.objects.get_for_model(PracticePage).pk
    with transaction.atomic():
        index = PracticeIndexPage.objects.select_for_update().get(pk=index.pk)
        first_number = next_number(index)
        last_child = index.get_last_child()
        step = PracticePage._str2int(last_child.path[-PracticePage.steplen:]) + 1 if last_child else 1
        tags = _tags_by_name([DEMO_TAG, *TAGS])
        done = 0
        while done < count:
            size = min(batch_size, count - done)
            specs = [build_spec(first_number + done + i, seed, taxonomies) for i in range(size)]
            _write_batch(specs, index, step + done, content_type_id, tags)
            done += size
            if progress:
                progress(done, count)
        Page.objects.filter(pk=index.pk).update(numchild=index.get_children().count())
    return GenerationResult(
        created=count, first_number=first_number, seed=seed, seconds=time.perf_counter() - started
    )


def clear(progress=None):
    """Delete every demo page (slug prefix «demo-»); returns how many there were.

    The pages' search documents go with them (on_delete=CASCADE)."""
    ids = list(demo_pages().values_list("pk", flat=True))
    total = len(ids)
    done = 0
    with transaction.atomic():
        for start in range(0, total, 500):
            chunk = ids[start : start + 500]
            Page.objects.filter(pk__in=chunk).delete()
            done += len(chunk)
            if progress:
                progress(done, total)
    return total
