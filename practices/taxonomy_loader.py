"""Loading the registers in practices/taxonomy_data/*.yaml into their snippets, on every
deploy (``manage.py bootstrap``), without ever undoing an editor's change.

Each data row is matched to its database row through ``LoadedRow`` (what the loader wrote to
it last time) or, the first time, on its natural key (county and municipality number, law
slug, «law:paragraph», term slug). Then:

* no database row and none loaded before: the row is created;
* the database row still holds exactly the values last loaded: nobody has touched it, so it
  follows the data file (updated when the file has changed);
* the database row differs from what was last loaded: an editor has changed it, and it is
  left alone (their values win, also later);
* the row was loaded before and is gone: an editor deleted it, and it is not recreated;
* a row that existed before the loader kept ``LoadedRow`` (an older deploy): only its empty
  fields are filled from the file; it counts as changed by an editor unless it then equals
  the file.

Population (municipalities) is not part of this: the file's figure is only written where the
database has no figure, or one for an earlier year (``manage.py load_population`` loads SSB's).
Nothing is ever deleted. A row that cannot be written (e.g. a name an editor has given another
row) is reported and skipped; the rest is loaded.
"""

import dataclasses
import datetime
from pathlib import Path

import yaml
from django.db import IntegrityError, transaction

from .models import County, FundingSource, Law, LegalProvision, LoadedRow, Municipality, TargetGroup, Theme

DATA_DIR = Path(__file__).resolve().parent / "taxonomy_data"


def read_data(name, data_dir=None):
    with open(Path(data_dir or DATA_DIR) / f"{name}.yaml", encoding="utf-8") as handle:
        return yaml.safe_load(handle) or []


def _json(value):
    """A value as stored in ``LoadedRow.values`` (dates as ISO text, blanks as "")."""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if value is None:
        return None
    if isinstance(value, list | tuple):
        return sorted(str(item) for item in value)
    return str(value)


def _empty(value):
    return value in (None, "", [])


@dataclasses.dataclass
class RegisterReport:
    """What one register's load did, for the command's summary."""

    label: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    kept: list = dataclasses.field(default_factory=list)  # keys changed by an editor, left alone
    deleted: list = dataclasses.field(default_factory=list)  # keys deleted by an editor, not recreated
    problems: list = dataclasses.field(default_factory=list)  # «key: message»

    @property
    def total(self):
        return self.created + self.updated + self.unchanged + len(self.kept) + len(self.deleted)

    def summary(self):
        parts = [f"{self.total} {self.label}"]
        for count, text in (
            (self.created, "nye"),
            (self.updated, "oppdatert"),
            (len(self.kept), "endret av redaktør, beholdt"),
            (len(self.deleted), "slettet av redaktør, ikke gjenopprettet"),
            (len(self.problems), "med feil"),
        ):
            if count:
                parts.append(f"{count} {text}")
        return parts[0] + (f" ({', '.join(parts[1:])})" if len(parts) > 1 else "")


class Register:
    """How one data file maps onto one model. Subclasses say which fields a data row sets
    (``values``) and how to read and write them; relations to other rows of the same load
    (successors, replaced_by) are written in a second pass, once every row exists."""

    model = None
    label = ""
    relations = ()  # value names written in the second pass

    def __init__(self, report):
        self.report = report
        self.label_key = self.model._meta.label_lower
        self.records = {r.key: r for r in LoadedRow.objects.filter(model=self.label_key)}

    # --- to be defined per register
    def key(self, row):
        raise NotImplementedError

    def values(self, row):
        """The data row's values, in ``_json`` form."""
        raise NotImplementedError

    def read(self, obj):
        """The database row's values, in the same form as ``values``."""
        raise NotImplementedError

    def find(self, key, row):
        raise NotImplementedError

    def new(self, key, row):
        raise NotImplementedError

    def write(self, obj, values):
        """Set the non-relation values on ``obj`` (not saved)."""
        raise NotImplementedError

    def write_relations(self, obj, values):
        pass

    def after_save(self, obj, row):
        pass

    # --- the algorithm
    def load(self, rows):
        """Create, update or leave each row; returns {key: object} of the rows in the database."""
        objects, pending = {}, []
        for row in rows:
            key = self.key(row)
            try:
                result = self._load_row(key, row)
            except (IntegrityError, ValueError, LookupError) as error:
                self.report.problems.append(f"{key}: {error}")
                continue
            if result is not None:
                obj, write_relations, values = result
                objects[key] = obj
                if write_relations:
                    pending.append((key, obj, values))
        for key, obj, values in pending:
            try:
                with transaction.atomic():
                    self.write_relations(obj, values)
            except (IntegrityError, ValueError, LookupError) as error:
                self.report.problems.append(f"{key}: {error}")
                # Not as loaded: the next load sees a row without a record and fills the gap.
                LoadedRow.objects.filter(model=self.label_key, key=key).delete()
        return objects

    def _load_row(self, key, row):
        values = self.values(row)
        record = self.records.get(key)
        obj = None
        if record is not None:
            obj = self.model.objects.filter(pk=record.object_id).first()
            if obj is None:
                self.report.deleted.append(key)
                return None
        else:
            obj = self.find(key, row)

        with transaction.atomic():
            if obj is None:
                obj = self.new(key, row)
                self.write(obj, values)
                obj.save()
                outcome, write_relations = "created", True
            elif record is None:  # a row from before the loader kept records: fill its gaps only
                current = self.read(obj)
                gaps = {name: value for name, value in values.items() if _empty(current.get(name))}
                self.write(obj, {**current, **gaps})
                obj.save()
                outcome = "unchanged" if {**current, **gaps} == values else "kept"
                write_relations = any(name in gaps for name in self.relations)
            elif self.read(obj) != record.values:  # an editor has changed it: left alone
                self.after_save(obj, row)
                self.report.kept.append(key)
                return obj, False, values
            elif values != record.values:  # untouched, and the file has changed
                self.write(obj, values)
                obj.save()
                outcome, write_relations = "updated", True
            else:
                outcome, write_relations = "unchanged", False
            self.after_save(obj, row)
            LoadedRow.objects.update_or_create(
                model=self.label_key, key=key, defaults={"object_id": obj.pk, "values": values}
            )
        if outcome == "kept":
            self.report.kept.append(key)
        else:
            setattr(self.report, outcome, getattr(self.report, outcome) + 1)
        return obj, write_relations, values


class CountyRegister(Register):
    model = County
    label = "fylker"
    relations = ("successors",)

    def key(self, row):
        return str(row["number"])

    def values(self, row):
        return {
            "number": _json(row["number"]),
            "name": _json(row["name"]),
            "valid_from": _json(row.get("valid_from")),
            "valid_to": _json(row.get("valid_to")),
            "history": _json(row.get("history", "")),
            "successors": _json(row.get("successors", [])),
        }

    def read(self, obj):
        return {
            "number": obj.number,
            "name": obj.name,
            "valid_from": _json(obj.valid_from),
            "valid_to": _json(obj.valid_to),
            "history": obj.history,
            "successors": _json([s.number for s in obj.successors.all()]) if obj.pk else [],
        }

    def find(self, key, row):
        return self.model.objects.filter(number=key).first()

    def new(self, key, row):
        return self.model(number=key)

    def write(self, obj, values):
        obj.number = values["number"]
        obj.name = values["name"]
        obj.valid_from = values["valid_from"]
        obj.valid_to = values["valid_to"]
        obj.history = values["history"]

    def write_relations(self, obj, values):
        successors = []
        for number in values["successors"]:
            successor = self.lookup(number)
            if successor is None:
                raise LookupError(f"ukjent etterfølger «{number}»")
            successors.append(successor)
        obj.successors.set(successors)

    def lookup(self, number):
        record = self.records.get(number) or LoadedRow.objects.filter(model=self.label_key, key=number).first()
        if record is not None:
            found = self.model.objects.filter(pk=record.object_id).first()
            if found is not None:
                return found
        return self.model.objects.filter(number=number).first()


class MunicipalityRegister(CountyRegister):
    model = Municipality
    label = "kommuner"

    def __init__(self, report, counties):
        super().__init__(report)
        self.counties = counties  # the CountyRegister of the same load, to look counties up
        self.population_changed = []  # pks of municipalities the file gave a (newer) figure

    def values(self, row):
        return {
            **super().values(row),
            "county": _json(row.get("county")),
            "aliases": "\n".join(row.get("aliases", [])),
        }

    def read(self, obj):
        return {
            **super().read(obj),
            "county": obj.county.number if obj.county_id else None,
            "aliases": obj.aliases,
        }

    def write(self, obj, values):
        super().write(obj, values)
        obj.aliases = values["aliases"]
        county = None
        if values["county"]:
            county = self.counties.lookup(values["county"])
            if county is None:
                raise LookupError(f"ukjent fylke «{values['county']}»")
        obj.county = county

    def after_save(self, obj, row):
        population, year = row.get("population"), row.get("population_year")
        if population is not None and year and (obj.population_year is None or int(year) > obj.population_year):
            obj.population, obj.population_year = int(population), int(year)
            obj.save(update_fields=["population", "population_year"])
            self.population_changed.append(obj.pk)


class LawRegister(Register):
    model = Law
    label = "lover"

    def key(self, row):
        return row["slug"]

    def values(self, row):
        return {
            "slug": _json(row["slug"]),
            "name": _json(row["name"]),
            "short_name": _json(row["short_name"]),
            "abbreviation": _json(row.get("abbreviation", "")),
            "aliases": "\n".join(row.get("aliases", [])),
            "lovdata_id": _json(row["lovdata_id"]),
            "citation": _json(row.get("citation", "")),
            "in_force_from": _json(row.get("in_force_from")),
        }

    FIELDS = ("slug", "name", "short_name", "abbreviation", "aliases", "lovdata_id", "citation", "in_force_from")

    def read(self, obj):
        values = {name: getattr(obj, name) for name in self.FIELDS}
        return {**values, "in_force_from": _json(obj.in_force_from)}

    def find(self, key, row):
        return self.model.objects.filter(slug=key).first()

    def new(self, key, row):
        return self.model()

    def write(self, obj, values):
        for name, value in values.items():
            setattr(obj, name, value)


class ProvisionRegister(Register):
    model = LegalProvision
    label = "lovparagrafer"
    relations = ("replaced_by",)

    def __init__(self, report, laws):
        super().__init__(report)
        self.laws = laws  # law slug in the file -> Law in the database

    def key(self, row):
        return f"{row['law']}:{row['paragraph']}"

    def values(self, row):
        target = row.get("replaced_by")
        return {
            "paragraph": str(row["paragraph"]),
            "title": _json(row.get("title", "")),
            "repealed_on": _json(row.get("repealed_on")),
            "replaced_by": f"{target['law']}:{target['paragraph']}" if target else None,
        }

    def read(self, obj):
        replaced_by = obj.replaced_by
        record = None
        if replaced_by is not None:
            record = LoadedRow.objects.filter(model=self.label_key, object_id=replaced_by.pk).first()
        return {
            "paragraph": obj.paragraph,
            "title": obj.title,
            "repealed_on": _json(obj.repealed_on),
            "replaced_by": (record.key if record else f"{replaced_by.law.slug}:{replaced_by.paragraph}")
            if replaced_by
            else None,
        }

    def find(self, key, row):
        return self.model.objects.filter(law=self.laws[row["law"]], paragraph=str(row["paragraph"])).first()

    def new(self, key, row):
        return self.model(law=self.laws[row["law"]], sort_order=row["order"])

    def write(self, obj, values):
        obj.paragraph = values["paragraph"]
        obj.title = values["title"]
        obj.repealed_on = values["repealed_on"]

    def write_relations(self, obj, values):
        target = values["replaced_by"]
        successor = None
        if target:
            record = self.records.get(target)
            successor = record and self.model.objects.filter(pk=record.object_id).first()
            if successor is None:
                law, _, paragraph = target.partition(":")
                successor = self.model.objects.filter(law__slug=law, paragraph=paragraph).first()
            if successor is None:
                raise LookupError(f"ukjent etterfølger «{target}»")
        obj.replaced_by = successor
        obj.save(update_fields=["replaced_by"])


class TermRegister(Register):
    relations = ()

    def __init__(self, report, model):
        self.model = model
        super().__init__(report)

    def key(self, row):
        return row["slug"]

    def values(self, row):
        return {"slug": row["slug"], "name": _json(row["name"]), "description": _json(row.get("description", ""))}

    def read(self, obj):
        return {"slug": obj.slug, "name": obj.name, "description": obj.description}

    def find(self, key, row):
        return self.model.objects.filter(slug=key).first()

    def new(self, key, row):
        return self.model()

    def write(self, obj, values):
        obj.slug, obj.name, obj.description = values["slug"], values["name"], values["description"]


@dataclasses.dataclass
class LoadReport:
    registers: list
    population_changed: list  # pks of municipalities whose population the file set

    def counts(self):
        return {register.label: register.total for register in self.registers}

    @property
    def problems(self):
        return [f"{register.label}: {problem}" for register in self.registers for problem in register.problems]

    def lines(self):
        return [register.summary() for register in self.registers]


@transaction.atomic
def load_taxonomies(data_dir=None):
    """Load every register from ``data_dir`` (default practices/taxonomy_data); returns a
    ``LoadReport``."""
    reports = []

    def report(label):
        reports.append(RegisterReport(label))
        return reports[-1]

    counties = CountyRegister(report("fylker"))
    counties.load(read_data("counties", data_dir))

    municipalities = MunicipalityRegister(report("kommuner"), counties)
    municipalities.load(read_data("municipalities", data_dir))

    law_rows = read_data("laws", data_dir)
    laws = LawRegister(report("lover")).load(law_rows)
    provision_rows = [
        {**provision, "law": row["slug"], "order": order}
        for row in law_rows
        if row["slug"] in laws
        for order, provision in enumerate(row.get("provisions", []))
    ]
    ProvisionRegister(report("lovparagrafer"), laws).load(provision_rows)

    for model, name, label in (
        (Theme, "themes", "temaer"),
        (TargetGroup, "target_groups", "målgrupper"),
        (FundingSource, "funding_sources", "finansieringskilder"),
    ):
        TermRegister(report(label), model).load(read_data(name, data_dir))

    if municipalities.population_changed:
        from .population import update_practice_sizes  # the pages module imports the models

        update_practice_sizes(municipalities.population_changed)
    return LoadReport(reports, municipalities.population_changed)
