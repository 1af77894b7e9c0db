"""Writing content files (docs/innholdsformat.md) for the importer tests.

The texts are built from lines so a test can say which line an error must point at:
``line_of(text, "county:")`` is the 1-based line number of the first line containing that text.
"""

import textwrap

PRACTICE_FRONT = """\
type: praksis
slug: {slug}
title: {title}
summary: Et prøveeksempel på tett oppfølging i Tromsø.
municipalities: [Tromsø]
responsible_unit: NAV Tromsø og Boligkontoret
county: Troms og Finnmark
period: {{start: 2013, end: 2016}}
status: avsluttet
legal_references:
  - {{law: sotjl., paragraph: "27", comment: med særlig fokus på midlertidig botilbud}}
  - {{law: boligsosialloven, paragraph: "6"}}
funding_sources: [Husbanken]
evidence_level: evaluert
tags: [prøvestikkord, Housing First]
"""

PRACTICE_BODY = """\
## Beskrivelse

{description}

## Trinn

### Trinn 1: Kartlegging
Veilederen kartlegger boligbehovet.

### Trinn 2
Boligkontoret finner en leilighet.

## Suksessfaktorer

- Tverrfaglig samhandling.
  Flere tjenester som jobber skulder mot skulder.
- Fast kontaktperson.

## Utfordringer

- Mangel på boliger.
"""

REPORT_TEXT = """\
---
type: rapport
report_type: sluttrapport
slug: {slug}
title: Sluttrapport fra prøveprosjektet
summary: En sluttrapport skrevet for testene.
published: 2022-03-01
municipalities: [Øksnes]
county: Nordland
period: {{start: 2021, end: 2023}}
related_practice: {related_practice}
tags: [sluttrapport, depositumgaranti]
---
## Innledning

Prosjektet fulgte opp brukere med depositumgaranti.

| Tiltak | Antall |
| --- | ---: |
| Hjemmebesøk | 120 |
| **Sum** | **120** |

> Vi ble sett for første gang.
>
> — Deltaker i prosjektet

::: faktaboks Om prosjektet
Prosjektet varte i tre år og hadde to ansatte.
:::

### Erfaringer

Tett oppfølging virker.
"""

ARTICLE_TEXT = """\
---
type: artikkel
slug: {slug}
title: Slik kommer du i gang
summary: En artikkel skrevet for testene.
date: 2024-02-01
tags: [kom i gang]
---
## Første steg

Begynn med kartlegging.

::: utvidbar Les mer om kartlegging
Kartleggingen gjøres sammen med brukeren.
:::
"""


def practice_front(slug="provepraksis", title="Fra bostedsløs til beboer i prøvebyen", extra="", replace=None):
    """The front matter of a valid practice (without the --- lines); ``replace`` maps a line prefix to a new line."""
    front = PRACTICE_FRONT.format(slug=slug, title=title) + textwrap.dedent(extra)
    for prefix, new_line in (replace or {}).items():
        lines = front.splitlines()
        matches = [i for i, line in enumerate(lines) if line.startswith(prefix)]
        assert matches, f"no front-matter line starts with {prefix!r}"
        lines[matches[0]] = new_line
        front = "\n".join(lines) + "\n"
    return front


def practice_text(
    slug="provepraksis",
    title="Fra bostedsløs til beboer i prøvebyen",
    description="Kommunen fulgte opp bostedsløse tett.",
    front_extra="",
    replace=None,
    body=None,
    body_extra="",
):
    body = PRACTICE_BODY.format(description=description) if body is None else body
    return f"---\n{practice_front(slug, title, front_extra, replace)}---\n{body}{body_extra}"


def report_text(slug="provepraksis-sluttrapport", related_practice="oppfolging-av-brukere-med-depositumgaranti"):
    return REPORT_TEXT.format(slug=slug, related_practice=related_practice)


def article_text(slug="slik-kommer-du-i-gang"):
    return ARTICLE_TEXT.format(slug=slug)


def write(directory, name, content):
    """Write ``content`` (str as UTF-8, or bytes as is) to ``directory/name`` and return the path."""
    path = directory / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def line_of(text, needle, after=None):
    """1-based number of the first line containing ``needle`` (after the first line containing ``after``)."""
    lines = text.splitlines()
    start = 0
    if after is not None:
        start = next(i for i, line in enumerate(lines) if after in line) + 1
    for index in range(start, len(lines)):
        if needle in lines[index]:
            return index + 1
    raise AssertionError(f"{needle!r} not in text")


def database_counts():
    """What an import may write: pages, revisions, tags (and taggings), legal references."""
    from taggit.models import Tag
    from wagtail.models import Page, Revision

    from practices.models import ArticlePage, PracticeLegalReference, PracticePage, ReportLegalReference, ReportPage

    counts = {
        "pages": Page.objects.count(),
        "revisions": Revision.objects.count(),
        "tags": Tag.objects.count(),
        "legal references": PracticeLegalReference.objects.count() + ReportLegalReference.objects.count(),
    }
    for model in (PracticePage, ReportPage, ArticlePage):
        counts[f"{model.__name__} taggings"] = model.tags.through.objects.count()
    return counts
