"""Loading the taxonomies in practices/taxonomy_data/*.yaml into their snippets, idempotently.

Existing rows are matched on their natural key (county and municipality number, law slug,
term slug) and updated; nothing an editor added is deleted.
"""

from pathlib import Path

import yaml
from django.db import transaction

from .models import County, FundingSource, Law, LegalProvision, Municipality, TargetGroup, Theme

DATA_DIR = Path(__file__).resolve().parent / "taxonomy_data"


def read_data(name):
    with open(DATA_DIR / f"{name}.yaml", encoding="utf-8") as handle:
        return yaml.safe_load(handle) or []


def load_counties():
    rows = read_data("counties")
    counties = {}
    for row in rows:
        counties[row["number"]], _ = County.objects.update_or_create(
            number=row["number"],
            defaults={
                "name": row["name"],
                "valid_from": row.get("valid_from"),
                "valid_to": row.get("valid_to"),
                "history": row.get("history", ""),
            },
        )
    for row in rows:
        if row.get("successors"):
            counties[row["number"]].successors.set([counties[number] for number in row["successors"]])
    return len(rows)


def load_municipalities():
    rows = read_data("municipalities")
    for row in rows:
        Municipality.objects.update_or_create(
            number=row["number"],
            defaults={
                "name": row["name"],
                "county": County.objects.get(number=row["county"]),
                **({"population": row["population"]} if row.get("population") else {}),
                **({"population_year": row["population_year"]} if row.get("population_year") else {}),
            },
        )
    return len(rows)


def load_laws():
    rows = read_data("laws")
    count = 0
    for row in rows:
        law, _ = Law.objects.update_or_create(
            slug=row["slug"],
            defaults={
                "name": row["name"],
                "short_name": row["short_name"],
                "abbreviation": row.get("abbreviation", ""),
                "aliases": "\n".join(row.get("aliases", [])),
                "lovdata_id": row["lovdata_id"],
                "citation": row.get("citation", ""),
                "in_force_from": row.get("in_force_from"),
            },
        )
        for order, provision in enumerate(row.get("provisions", [])):
            LegalProvision.objects.update_or_create(
                law=law,
                paragraph=str(provision["paragraph"]),
                defaults={
                    "title": provision.get("title", ""),
                    "repealed_on": provision.get("repealed_on"),
                    "sort_order": order,
                },
            )
            count += 1
    # Successors may belong to laws loaded later in the file: link them in a second pass.
    for row in rows:
        for provision in row.get("provisions", []):
            target = provision.get("replaced_by")
            if target:
                LegalProvision.objects.filter(law__slug=row["slug"], paragraph=str(provision["paragraph"])).update(
                    replaced_by=LegalProvision.objects.get(law__slug=target["law"], paragraph=str(target["paragraph"]))
                )
    return count


def load_terms(model, name):
    rows = read_data(name)
    for row in rows:
        model.objects.update_or_create(
            slug=row["slug"], defaults={"name": row["name"], "description": row.get("description", "")}
        )
    return len(rows)


@transaction.atomic
def load_taxonomies():
    """Load every taxonomy; returns {label: count} for the command's summary."""
    return {
        "fylker": load_counties(),
        "kommuner": load_municipalities(),
        "lovparagrafer": load_laws(),
        "temaer": load_terms(Theme, "themes"),
        "målgrupper": load_terms(TargetGroup, "target_groups"),
        "finansieringskilder": load_terms(FundingSource, "funding_sources"),
    }
