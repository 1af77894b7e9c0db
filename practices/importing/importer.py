"""Turning a parsed content file into a published Wagtail page, all or nothing.

Every value is resolved and validated before anything is written; the write happens in one
transaction per file. Importing an unchanged file again changes nothing; a changed file
updates the page with the same slug and publishes a new revision.
"""

import datetime
import hashlib
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from ..blocks import article_blocks, body_blocks
from ..models import (
    ArticleIndexPage,
    ArticlePage,
    County,
    FundingSource,
    Law,
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
from ..models.article import ArticleKind
from ..models.practice import EvidenceLevel, PracticeStatus
from ..models.report import ReportType
from ..models.taxonomy import MunicipalitySize
from .content_file import ContentFileError, read_content_file
from .markdown import (
    MarkdownError,
    body_from_lines,
    render_rich_text,
    split_sections,
    statements_value,
    steps_value,
    stream_blocks,
)

IMPORTER_VERSION = "1"

COMMON_KEYS = {
    "type",
    "slug",
    "title",
    "summary",
    "tags",
    "themes",
    "target_groups",
    "source",
    "seo_title",
    "search_description",
}
ACTOR_KEYS = {"municipalities", "other_actor", "responsible_unit", "county", "period", "legal_references"}
PRACTICE_KEYS = (
    COMMON_KEYS
    | ACTOR_KEYS
    | {
        "municipality_size",
        "status",
        "funding_sources",
        "evidence_level",
        "resources",
        "contact",
        "last_reviewed",
        "related",
    }
)
REPORT_KEYS = COMMON_KEYS | ACTOR_KEYS | {"report_type", "published", "related_practice"}
ARTICLE_KEYS = COMMON_KEYS | {"date", "kind", "related"}

PRACTICE_SECTIONS = {
    "beskrivelse": "description",
    "resultater": "results",
    "bakgrunn": "background",
    "mål": "goals",
    "gjennomføring": "implementation",
    "trinn": "steps",
    "brukermedvirkning": "user_participation",
    "finansiering": "financing",
    "suksessfaktorer": "success_factors",
    "utfordringer": "challenges",
    "videreføring": "continuation",
}

# Model field -> front-matter key, to place model validation errors on the right line.
FIELD_KEYS = {
    "period_start": "period",
    "period_end": "period",
    "period_ongoing": "period",
    "source_url": "source",
    "source_publisher": "source",
    "source_title": "source",
    "source_published": "source",
    "source_updated": "source",
    "source_note": "source",
    "municipality_size": "municipality_size",
    "evidence_level": "evidence_level",
    "report_type": "report_type",
}


@dataclass
class ImportResult:
    path: str
    page: object
    created: bool
    changed: bool

    @property
    def action(self):
        if self.created:
            return "opprettet"
        return "oppdatert" if self.changed else "uendret"


MISSING = object()


class Front:
    """Typed, located access to the front matter of one file."""

    def __init__(self, content_file, allowed_keys):
        self.file = content_file
        self.data = content_file.front
        for key in self.data:
            if key not in allowed_keys:
                raise self.error(f"Ukjent felt. Tillatte felt er: {', '.join(sorted(allowed_keys))}.", key)

    def error(self, message, key):
        return self.file.error(message, key=key)

    def text(self, key, required=False, max_length=None):
        value = self.data.get(key)
        if value is None or value == "":
            if required:
                raise self.error("Feltet må fylles ut.", key)
            return ""
        if isinstance(value, (dict, list)):
            raise self.error("Feltet skal være tekst, ikke en liste.", key)
        value = str(value).strip()
        if max_length and len(value) > max_length:
            raise self.error(f"Teksten er for lang ({len(value)} tegn, høyst {max_length}).", key)
        return value

    def names(self, key, max_length=100):
        value = self.data.get(key)
        if value is None:
            return []
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, (str, int)) for v in value):
            raise self.error("Feltet skal være en liste med navn, f.eks. [a, b].", key)
        names = [str(v).strip() for v in value if str(v).strip()]
        for name in names:
            if len(name) > max_length:
                raise self.error(f"«{name[:40]}…» er for langt (høyst {max_length} tegn).", key)
        return names

    def mapping(self, key, allowed):
        value = self.data.get(key)
        if value is None:
            return {}
        if not isinstance(value, dict):
            raise self.error(f"Feltet skal ha underfeltene {', '.join(allowed)}.", key)
        for sub in value:
            if sub not in allowed:
                raise self.error(f"Ukjent underfelt «{sub}». Tillatte: {', '.join(allowed)}.", key)
        return value

    def date(self, key, value=MISSING, label=None):
        value = self.data.get(key) if value is MISSING else value
        if value is None or value == "":
            return None
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        try:
            return datetime.date.fromisoformat(str(value).strip())
        except ValueError:
            raise self.error(
                f"Ugyldig dato «{value}»{' i ' + label if label else ''}; skriv ÅÅÅÅ-MM-DD.", key
            ) from None

    def year(self, key, value, label):
        if value is None or value == "":
            return None
        if isinstance(value, bool) or not isinstance(value, int) or not 1900 <= value <= 2100:
            raise self.error(f"{label} må være et årstall, f.eks. 2013.", key)
        return value

    def choice(self, key, choices, default=""):
        value = self.text(key)
        if not value:
            return default
        wanted = value.casefold()
        for stored, label in choices:
            if wanted in {str(stored).casefold(), str(label).casefold(), str(label).split(" (")[0].casefold()}:
                return stored
        options = ", ".join(str(label).split(" (")[0].lower() for _stored, label in choices)
        raise self.error(f"Ukjent verdi «{value}». Velg en av: {options}.", key)


def _normalise_name(name):
    return " ".join(str(name).casefold().replace("\u00a0", " ").split()).rstrip(".")


def _lookup_terms(front, key, model):
    by_name = {}
    for term in model.objects.all():
        by_name[_normalise_name(term.name)] = term
        by_name[_normalise_name(term.slug)] = term
    terms = []
    for name in front.names(key):
        term = by_name.get(_normalise_name(name))
        if term is None:
            known = ", ".join(sorted(t.name for t in model.objects.all())) or "ingen er registrert"
            raise front.error(f"Ukjent {model._meta.verbose_name} «{name}». Kjente: {known}.", key)
        terms.append(term)
    return terms


def _lookup_municipalities(front):
    found = []
    for name in front.names("municipalities"):
        municipality = (
            Municipality.objects.filter(number=name).first() or Municipality.objects.filter(name__iexact=name).first()
        )
        if municipality is None:
            raise front.error(f"Ukjent kommune «{name}». Registrer den under Taksonomier → Kommuner.", "municipalities")
        found.append(municipality)
    return found


def _lookup_county(front):
    name = front.text("county")
    if not name:
        return None
    county = County.objects.filter(number=name.zfill(2)).first() or County.objects.filter(name__iexact=name).first()
    if county is None:
        raise front.error(f"Ukjent fylke «{name}».", "county")
    return county


def law_index():
    """Every name of every law, normalised, to the law."""
    index = {}
    for law in Law.objects.prefetch_related("provisions"):
        for name in [law.slug, *law.all_names]:
            index[_normalise_name(name)] = law
    return index


def _legal_references(front, reference_model):
    value = front.data.get("legal_references")
    if value is None:
        return []
    if not isinstance(value, list):
        raise front.error("Feltet skal være en liste med {law: …, paragraph: …}.", "legal_references")
    laws = law_index()
    references = []
    for number, item in enumerate(value, start=1):
        if not isinstance(item, dict) or "law" not in item or "paragraph" not in item:
            raise front.error(f"Lovhenvisning nr. {number} må ha «law» og «paragraph».", "legal_references")
        unknown = set(item) - {"law", "paragraph", "comment"}
        if unknown:
            raise front.error(
                f"Lovhenvisning nr. {number} har ukjent underfelt «{sorted(unknown)[0]}».", "legal_references"
            )
        law = laws.get(_normalise_name(item["law"]))
        if law is None:
            raise front.error(f"Ukjent lov «{item['law']}» i lovhenvisning nr. {number}.", "legal_references")
        paragraph = str(item["paragraph"]).replace("§", "").replace("–", "-").strip()
        provision = next((p for p in law.provisions.all() if p.paragraph == paragraph), None)
        if provision is None:
            raise front.error(
                f"{law.short_name} § {paragraph} er ikke registrert. Legg paragrafen til under Taksonomier → Lover.",
                "legal_references",
            )
        comment = str(item.get("comment") or "").strip()
        if len(comment) > 255:
            raise front.error(f"Kommentaren i lovhenvisning nr. {number} er for lang.", "legal_references")
        references.append(reference_model(provision=provision, comment=comment))
    return references


def _related_pages(front, key, model, many=True):
    slugs = front.names(key)
    pages = []
    for slug in slugs:
        page = model.objects.filter(slug=slug).first()
        if page is None:
            raise front.error(f"Fant ingen {model._meta.verbose_name} med slug «{slug}». Importer den først.", key)
        pages.append(page)
    if not many:
        if len(pages) > 1:
            raise front.error("Oppgi bare én slug.", key)
        return pages[0] if pages else None
    return pages


def _period(front):
    period = front.mapping("period", ["start", "end", "ongoing"])
    ongoing = period.get("ongoing", False)
    if not isinstance(ongoing, bool):
        raise front.error("«ongoing» skal være true eller false.", "period")
    return {
        "period_start": front.year("period", period.get("start"), "Startåret"),
        "period_end": front.year("period", period.get("end"), "Sluttåret"),
        "period_ongoing": ongoing,
    }


def _source(front):
    source = front.mapping("source", ["publisher", "title", "url", "published", "updated", "note"])
    values = {f"source_{key}": str(source.get(key) or "").strip() for key in ("publisher", "title", "url", "note")}
    values["source_published"] = front.date("source", source.get("published"), "source.published")
    values["source_updated"] = front.date("source", source.get("updated"), "source.updated")
    return values


def _body(content_file):
    return body_from_lines(content_file.body)


def _practice_sections(content_file):
    body = _body(content_file)
    values = {}
    for heading, token, tokens in split_sections(body):
        field = PRACTICE_SECTIONS.get(heading.casefold())
        if field is None:
            known = ", ".join(f"«{h.capitalize()}»" for h in PRACTICE_SECTIONS)
            raise MarkdownError(f"Ukjent seksjon «{heading}». Kjente seksjoner: {known}.", body.line_of(token))
        if field in values:
            raise MarkdownError(f"Seksjonen «{heading}» står to ganger.", body.line_of(token))
        if field == "steps":
            values[field] = steps_value(body, tokens, token)
        elif field in {"success_factors", "challenges"}:
            values[field] = statements_value(body, tokens, token)
        else:
            values[field] = render_rich_text(tokens)
    return values


class PageSpec:
    """What one file says about its page: scalar field values, relations and child objects."""

    def __init__(self, model, parent_model, front, fields, m2m, tags, children):
        self.model, self.parent_model, self.front = model, parent_model, front
        self.fields, self.m2m, self.tags, self.children = fields, m2m, tags, children


def _common(front):
    fields = {
        "title": front.text("title", required=True, max_length=255),
        "summary": front.text("summary"),
        "seo_title": front.text("seo_title", max_length=255),
        "search_description": front.text("search_description"),
        **_source(front),
    }
    m2m = {
        "themes": _lookup_terms(front, "themes", Theme),
        "target_groups": _lookup_terms(front, "target_groups", TargetGroup),
    }
    return fields, m2m, front.names("tags")


def _actor(front, fields, m2m):
    fields.update(
        other_actor=front.text("other_actor", max_length=200),
        responsible_unit=front.text("responsible_unit", max_length=200),
        county=_lookup_county(front),
        **_period(front),
    )
    m2m["municipalities"] = _lookup_municipalities(front)


def practice_spec(content_file):
    front = Front(content_file, PRACTICE_KEYS)
    fields, m2m, tags = _common(front)
    _actor(front, fields, m2m)
    fields.update(
        municipality_size=front.choice("municipality_size", MunicipalitySize.choices),
        status=front.choice("status", PracticeStatus.choices),
        evidence_level=front.choice("evidence_level", EvidenceLevel.choices, default=EvidenceLevel.DESCRIBED),
        resources=front.text("resources"),
        contact=front.text("contact"),
        last_reviewed=front.date("last_reviewed"),
    )
    sections = _practice_sections(content_file)
    for field in PRACTICE_SECTIONS.values():
        fields[field] = sections.get(field, [] if field in {"steps", "success_factors", "challenges"} else "")
    m2m["funding_sources"] = _lookup_terms(front, "funding_sources", FundingSource)
    m2m["related_practices"] = _related_pages(front, "related", PracticePage)
    children = {"legal_references": _legal_references(front, PracticeLegalReference)}
    return PageSpec(PracticePage, PracticeIndexPage, front, fields, m2m, tags, children)


def report_spec(content_file):
    front = Front(content_file, REPORT_KEYS)
    fields, m2m, tags = _common(front)
    _actor(front, fields, m2m)
    report_type = front.choice("report_type", ReportType.choices)
    if not report_type:
        raise front.error(
            "Feltet må fylles ut (prosjektrapport, erfaringsrapport, sluttrapport eller evaluering).", "report_type"
        )
    fields.update(
        report_type=report_type,
        published=front.date("published"),
        related_practice=_related_pages(front, "related_practice", PracticePage, many=False),
        body=stream_blocks(_body(content_file), {name for name, _block in body_blocks()}),
    )
    children = {"legal_references": _legal_references(front, ReportLegalReference)}
    return PageSpec(ReportPage, ReportIndexPage, front, fields, m2m, tags, children)


def article_spec(content_file):
    front = Front(content_file, ARTICLE_KEYS)
    fields, m2m, tags = _common(front)
    date = front.date("date")
    if date is None:
        raise front.error("Feltet må fylles ut med publiseringsdatoen (ÅÅÅÅ-MM-DD).", "date")
    fields.update(
        date=date,
        kind=front.choice("kind", ArticleKind.choices, default=ArticleKind.PROFESSIONAL),
        body=stream_blocks(_body(content_file), {name for name, _block in article_blocks()}),
    )
    m2m["related_practices"] = _related_pages(front, "related", PracticePage)
    return PageSpec(ArticlePage, ArticleIndexPage, front, fields, m2m, tags, {})


SPEC_BUILDERS = {"praksis": practice_spec, "rapport": report_spec, "artikkel": article_spec}


def build_spec(content_file):
    page_type = content_file.front.get("type")
    builder = SPEC_BUILDERS.get(str(page_type).strip().casefold() if page_type else None)
    if builder is None:
        raise content_file.error("Feltet «type» må være praksis, rapport eller artikkel.", key="type")
    slug = content_file.front.get("slug")
    if not isinstance(slug, str) or not slug or slugify(slug) != slug:
        raise content_file.error(
            "Slug må være små bokstaver, tall og bindestrek, f.eks. «fra-bostedslos-til-beboer».", key="slug"
        )
    try:
        return builder(content_file)
    except MarkdownError as exc:
        raise ContentFileError(content_file.path, exc.message, line=exc.line, field="tekst") from exc


def checksum(content_file):
    return hashlib.sha256(IMPORTER_VERSION.encode() + content_file.raw).hexdigest()


def _write(spec, content_file, publish):
    slug = content_file.front["slug"]
    parent = spec.parent_model.objects.first()
    if parent is None:
        raise content_file.error(
            f"Fant ingen «{spec.parent_model._meta.verbose_name}». Kjør «manage.py bootstrap» først.", key="type"
        )
    existing = parent.get_children().filter(slug=slug).specific().first()
    if existing is not None and not isinstance(existing, spec.model):
        raise content_file.error(f"Slug «{slug}» brukes allerede av en side av en annen type.", key="slug")

    digest = checksum(content_file)
    # An unchanged file changes nothing, unless it was imported as a draft and is now to be published.
    if existing is not None and existing.import_checksum == digest and (existing.live or not publish):
        return ImportResult(str(content_file.path), existing, created=False, changed=False)

    page = existing or spec.model(slug=slug, live=publish)
    for name, value in spec.fields.items():
        setattr(page, name, value)
    for name, values in spec.m2m.items():
        getattr(page, name).set(values)
    page.tags.set(spec.tags)
    for name, children in spec.children.items():
        setattr(page, name, children)
    page.import_checksum = digest

    try:
        page.full_clean(exclude=["path", "depth", "url_path"] if existing is None else None)
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        key = FIELD_KEYS.get(field, field)
        raise content_file.error(" ".join(messages), key=key if key in content_file.key_lines else None) from exc

    if existing is None:
        parent.add_child(instance=page)
    revision = page.save_revision(log_action=True)
    if publish:
        revision.publish()
    return ImportResult(str(content_file.path), page, created=existing is None, changed=True)


def import_file(path, publish=True):
    """Import one file: all of it, or (on any error) nothing of it. Raises ContentFileError."""
    content_file = read_content_file(path)
    with transaction.atomic():
        spec = build_spec(content_file)
        return _write(spec, content_file, publish)


def _import_order(path):
    """Practices first, so reports and articles can refer to them."""
    try:
        page_type = read_content_file(path).front.get("type")
    except ContentFileError:
        page_type = None
    return ({"praksis": 0, "rapport": 1, "artikkel": 2}.get(page_type, 3), str(path))


def import_files(paths, publish=True, on_result=None, on_error=None):
    """Import many files, each in its own transaction; returns (results, errors)."""
    results, errors = [], []
    for path in sorted(paths, key=_import_order):
        try:
            result = import_file(path, publish=publish)
        except ContentFileError as error:
            errors.append(error)
            if on_error:
                on_error(error)
        else:
            results.append(result)
            if on_result:
                on_result(result)
    return results, errors
