"""Population figures from Statistics Norway (SSB), table 07459 «Befolkning», as SSB's
statbank exports it, and the municipality size of the practice examples derived from them.

The export is CSV: cells separated by semicolons (or commas or tabs) and quoted, often a
title line before the column headings, the region as «3205 Lillestrøm» or «K-3205 Lillestrøm»
(«0231 Skedsmo (-2019)» for a former one), the year in a column of its own (or one column per
year), and SSB's symbols for missing figures («..» not available, «.» not applicable, «:»
confidential). Files come in UTF-8 or ISO-8859-1. Regions that are not municipalities (the
country, counties) are passed over.
"""

import csv
import dataclasses
import re

from django.db import transaction

from .models import Municipality, PracticePage
from .models.base import size_from_municipalities

MISSING = {"", "..", ".", ":", "…", "-", "x"}
REGION_RE = re.compile(r"^\s*(?:K-)?(\d{4})(?:\s|$)")
YEAR_RE = re.compile(r"^\s*(\d{4})\s*$")
YEAR_IN_HEADING_RE = re.compile(r"(?<!\d)((?:19|20|21)\d\d)(?!\d)")
YEAR_HEADINGS = {"år", "tid", "year"}
VALUE_HEADINGS = ("07459", "befolkning", "personer", "value")


class PopulationFileError(ValueError):
    """The file is not a population table this module can read (message in Norwegian)."""


def decode(data):
    """Text of the file: UTF-8 (with or without BOM), else ISO-8859-1."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("iso-8859-1")


def _delimiter(lines):
    sample = "\n".join(lines[:10])
    for delimiter in (";", "\t", ","):
        if delimiter in sample:
            return delimiter
    return ";"


def _number(text):
    """An integer from a cell, None for SSB's missing-value symbols; ValueError otherwise."""
    cleaned = re.sub(r"[\s\u00a0\u202f]", "", text or "")
    if cleaned in MISSING:
        return None
    return int(cleaned)


@dataclasses.dataclass
class Figure:
    number: str
    region: str
    year: int
    population: int | None


def read_table(text):
    """The municipalities' figures in ``text``: a list of ``Figure`` (one per municipality
    and year; rows split by further dimensions, such as sex or age, are added up) and the
    number of rows passed over (regions that are not municipalities)."""
    lines = text.splitlines()
    rows = list(csv.reader(lines, delimiter=_delimiter(lines)))
    header_at = next(
        (i for i, row in enumerate(rows) if any(cell.strip().casefold().startswith("region") for cell in row)), None
    )
    if header_at is None:
        raise PopulationFileError(
            "Fant ikke kolonneoverskriftene. Last ned tabell 07459 fra SSB som CSV med overskrift "
            "(kolonnene «region», «år» og befolkning)."
        )
    heading = [cell.strip().casefold() for cell in rows[header_at]]
    region_col = next(i for i, cell in enumerate(heading) if cell.startswith("region"))
    year_col = next((i for i, cell in enumerate(heading) if cell in YEAR_HEADINGS), None)
    if year_col is not None:
        value_col = next(
            (i for i, cell in enumerate(heading) if i not in (region_col, year_col) and any(
                word in cell for word in VALUE_HEADINGS
            ) and cell not in ("statistikkvariabel",)),
            len(heading) - 1,
        )
        value_cols = {value_col: None}
    else:  # one column per year: «Personer 2024»
        value_cols = {
            i: int(match.group(1))
            for i, cell in enumerate(heading)
            if i != region_col and (match := YEAR_IN_HEADING_RE.search(cell))
        }
        if not value_cols:
            raise PopulationFileError("Fant verken en «år»-kolonne eller kolonner med årstall i overskriften.")
    other_cols = [i for i in range(len(heading)) if i not in (region_col, year_col, *value_cols)]

    totals, passed_over, seen = {}, 0, set()
    for line_number, row in enumerate(rows[header_at + 1 :], header_at + 2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) < len(heading):
            passed_over += 1
            continue
        match = REGION_RE.match(row[region_col])
        if not match:
            passed_over += 1  # the country, a county, a note under the table
            continue
        dimensions = tuple(row[i] for i in other_cols)
        for col, year in value_cols.items():
            if year is None:
                year_match = YEAR_RE.match(row[year_col])
                if not year_match:
                    raise PopulationFileError(f"Linje {line_number}: «{row[year_col]}» er ikke et årstall.")
                year = int(year_match.group(1))
            if (match.group(1), year, dimensions) in seen:
                continue  # the same row twice
            seen.add((match.group(1), year, dimensions))
            try:
                value = _number(row[col])
            except ValueError:
                raise PopulationFileError(
                    f"Linje {line_number}: «{row[col]}» er ikke et innbyggertall."
                ) from None
            key = (match.group(1), year)
            figure = totals.setdefault(key, Figure(match.group(1), row[region_col].strip(), year, 0))
            if value is None or figure.population is None:
                figure.population = None  # one part missing: the total is not known
            else:
                figure.population += value
    return list(totals.values()), passed_over


@dataclasses.dataclass
class PopulationReport:
    updated: list = dataclasses.field(default_factory=list)  # Municipality
    unchanged: int = 0
    unknown: list = dataclasses.field(default_factory=list)  # region labels not in the register
    missing: list = dataclasses.field(default_factory=list)  # region labels without a figure («..»)
    newer_kept: list = dataclasses.field(default_factory=list)  # an editor's figure for a later year
    passed_over: int = 0
    sizes_changed: int = 0


def latest_figures(figures):
    """Per municipality number, the figure for the latest year that has one (else the latest)."""
    latest = {}
    for figure in sorted(figures, key=lambda f: f.year):
        if figure.population is not None or figure.number not in latest or latest[figure.number].population is None:
            latest[figure.number] = figure
    return latest


@transaction.atomic
def load_population(data, progress=None):
    """Set population and population_year from an SSB file (bytes); returns a PopulationReport.

    A figure is written when the register has none, or one for the same or an earlier year; a
    figure an editor entered for a later year is kept. ``progress(done, total)`` is called as it
    goes. The municipality size of the practice examples concerned is then derived anew."""
    figures, passed_over = read_table(decode(data))
    report = PopulationReport(passed_over=passed_over)
    latest = latest_figures(figures)
    municipalities = {m.number: m for m in Municipality.objects.filter(number__in=latest)}
    total = len(latest)
    for done, (number, figure) in enumerate(sorted(latest.items()), 1):
        municipality = municipalities.get(number)
        if municipality is None:
            report.unknown.append(figure.region)
        elif figure.population is None:
            report.missing.append(figure.region)
        elif municipality.population_year and municipality.population_year > figure.year:
            report.newer_kept.append(municipality)
        elif (municipality.population, municipality.population_year) == (figure.population, figure.year):
            report.unchanged += 1
        else:
            municipality.population, municipality.population_year = figure.population, figure.year
            municipality.save(update_fields=["population", "population_year"])
            report.updated.append(municipality)
        if progress and (done % 50 == 0 or done == total):
            progress(done, total)
    report.sizes_changed = len(update_practice_sizes([m.pk for m in report.updated]))
    return report


def update_practice_sizes(municipality_ids):
    """Derive the municipality size anew for the practice examples of these municipalities
    whose municipalities all have a population; returns the pages changed. Their search entries
    are brought up to date once the transaction commits."""
    pages = (
        PracticePage.objects.filter(municipalities__in=municipality_ids)
        .distinct()
        .prefetch_related("municipalities")
    )
    changed = []
    for page in pages:
        size = size_from_municipalities(page.municipalities.all())
        if size and size != page.municipality_size:
            PracticePage.objects.filter(pk=page.pk).update(municipality_size=size)
            changed.append(page.pk)
    if changed:
        from search.signals import reindex_pages  # search imports the models: import when used

        reindex_pages(changed)
    return changed
