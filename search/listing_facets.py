"""The facets of a listing as a visitor sees them: checkboxes grouped and ordered by facet
(long ones folded under «Vis alle»), labels for values the index no longer counts, and the
active filters as removable links (law citations understood from the search text included).

A listing shows up to some 160 checkboxes; the panel and each facet's checkboxes are rendered by
Jinja2 (templates/jinja2/search/facets.html, which includes facet_choices.html per group,
autoescaped: ``facets_html``) rather than by a Django template per checkbox, which cost a third
of a search page's time."""

import dataclasses
import re

from django.template import engines
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from taggit.models import Tag

from practices.models.taxonomy import County, Law, TargetGroup, Theme

from .backends.base import FACETS
from .citations import tidy_remainder
from .listing_state import norwegian_number
from .service import FACET_LABELS, TYPE_LABELS

# The order facets are shown in: what kind of page, where (the way in most people take), what it is
# about, then size, law and year.
FACET_ORDER = ("type", "county", "theme", "target_group", "tag", "size", "law", "year")
assert set(FACET_ORDER) == set(FACETS)
SIZE_LABELS = {"liten": "Liten", "mellomstor": "Mellomstor", "stor": "Stor"}
LOGICAL_ORDER = {"size": tuple(SIZE_LABELS), "type": tuple(TYPE_LABELS)}
FACET_VISIBLE_OPTIONS = 6  # the top values; more options than this are folded into «Vis alle (n)»


def natural_key(text):
    """Sort «§ 3-7» before «§ 27» before «§ 100»."""
    return [int(part) if part.isdigit() else part.casefold() for part in re.split(r"(\d+)", text)]


def law_value_label(value):
    """«sosialtjenesteloven § 27» for the facet value «sosialtjenesteloven:27» (when no label is known)."""
    law, _, paragraph = value.partition(":")
    return f"{law} § {paragraph}" if paragraph else law


def remove_citation(q, source):
    """``q`` without the citation ``source`` (as the citation parser rendered it)."""
    if not source:
        return q
    if source in q:
        rest = q.replace(source, " ", 1)
    else:  # the parser may have normalised spacing or case: match leniently
        pattern = r"\s*".join(re.escape(ch) for ch in source if not ch.isspace())
        rest = re.sub(pattern, " ", q, count=1, flags=re.IGNORECASE) if pattern else q
    return tidy_remainder(rest)


@dataclasses.dataclass
class FacetChoice:
    value: str
    label: str
    count: int
    selected: bool
    from_query: bool  # active because the search text cites it (shown checked, not editable)
    input_id: str

    @property
    def count_text(self):
        return norwegian_number(self.count)


def facets_html(groups):
    """The facets panel: a fieldset of checkboxes per group, long ones folded under «Vis alle»."""
    template = engines["jinja2"].get_template("search/facets.html")
    return mark_safe(template.render({"groups": groups}))


@dataclasses.dataclass
class FacetGroup:
    name: str
    label: str
    choices: list
    more: list  # folded away under «Vis alle (n)»

    @property
    def total(self):
        """How many options there are, shown or folded away («Vis alle (n)»)."""
        return len(self.choices) + len(self.more)

    @property
    def selected_count(self):
        return sum(1 for choice in self.choices + self.more if choice.selected)


@dataclasses.dataclass
class ActiveFilter:
    facet_label: str
    label: str
    remove_url: str
    from_query: bool = False


def choice_label(facet, option):
    if facet == "type":
        return TYPE_LABELS.get(option.value, option.label)
    if facet == "size":
        return SIZE_LABELS.get(option.value, option.label)
    if facet == "law" and option.label == option.value:
        return law_value_label(option.value)
    return option.label


def _known_labels(response):
    """Labels for selected values the index no longer counts (they come back labelled with
    their value): looked up only then, one query per facet concerned."""
    missing = {}
    for facet, options in response.facets.items():
        for option in options:
            if option.selected and option.count == 0 and option.label == option.value:
                missing.setdefault(facet, set()).add(option.value)
    labels = {}
    for facet, values in missing.items():
        if facet == "tag":
            found = dict(Tag.objects.filter(slug__in=values).values_list("slug", "name"))
        elif facet in ("theme", "target_group"):
            model = Theme if facet == "theme" else TargetGroup
            found = dict(model.objects.filter(slug__in=values).values_list("slug", "name"))
        elif facet == "county":
            found = {slugify(name): name for name in County.objects.values_list("name", flat=True)}
        elif facet == "law":
            slugs = {value.split(":")[0] for value in values}
            names = dict(Law.objects.filter(slug__in=slugs).values_list("slug", "short_name"))
            found = {}
            for value in values:
                law, _, paragraph = value.partition(":")
                if law in names:
                    found[value] = f"{names[law]} § {paragraph}" if paragraph else names[law]
        else:
            found = {}
        labels.update({(facet, value): found[value] for value in values if value in found})
    return labels


def facet_groups(response, shown):
    known = _known_labels(response)
    from_query = {}
    for reference in response.interpreted.law_references:
        facet, value = reference["filter"]
        from_query.setdefault(facet, set()).add(value)
    groups = []
    for facet in shown:
        options = response.facets.get(facet, [])
        if not options:
            continue
        choices = [
            FacetChoice(
                value=option.value,
                label=known.get((facet, option.value)) or choice_label(facet, option),
                count=option.count,
                selected=option.selected or option.value in from_query.get(facet, ()),
                from_query=option.value in from_query.get(facet, ()) and not option.selected,
                input_id=f"filter-{facet}-{index}",
            )
            for index, option in enumerate(options, 1)
        ]
        if facet == "year":
            choices.sort(key=lambda choice: choice.value, reverse=True)
        elif facet == "law":  # a law, then its paragraphs in order
            choices.sort(key=lambda choice: natural_key(choice.label))
        elif facet in LOGICAL_ORDER:  # small to large, practice before report before article
            order = LOGICAL_ORDER[facet]
            choices.sort(key=lambda choice: (order.index(choice.value) if choice.value in order else len(order)))
        else:
            choices.sort(key=lambda choice: (-choice.count, choice.label.casefold()))
        if len(choices) > FACET_VISIBLE_OPTIONS + 2:
            visible = [c for i, c in enumerate(choices) if i < FACET_VISIBLE_OPTIONS or c.selected]
            more = [c for i, c in enumerate(choices) if i >= FACET_VISIBLE_OPTIONS and not c.selected]
        else:
            visible, more = choices, []
        groups.append(FacetGroup(name=facet, label=FACET_LABELS.get(facet, facet), choices=visible, more=more))
    return groups


def active_filters(state, response, groups):
    labels = {(g.name, c.value): c.label for g in groups for c in g.choices + g.more}
    active = []
    for facet in FACET_ORDER:
        for value in state.filters.get(facet, ()):
            label = labels.get((facet, value)) or choice_label(facet, _Option(value, value))
            active.append(ActiveFilter(FACET_LABELS.get(facet, facet), label, state.without_value(facet, value).url))
    references = response.interpreted.law_references
    for reference in references:
        active.append(
            ActiveFilter(
                FACET_LABELS["law"],
                reference["label"],
                without_reference(state, references, reference).url,
                from_query=True,
            )
        )
    return active


@dataclasses.dataclass
class _Option:
    value: str
    label: str


def without_reference(state, references, reference):
    """The state without one law citation understood from the search text.

    The citation's text is taken out of the query; other paragraphs cited in the same breath
    («§§ 15, 17 og 27») stay, as filters (or as «§ 17» text where a filter cannot say it)."""
    q = remove_citation(state.q, reference["source"])
    filters = dict(state.filters)
    extra = []
    for other in references:
        if other is reference or other["source"] != reference["source"]:
            continue
        facet, value = other["filter"]
        if facet in FACETS:
            filters[facet] = tuple(dict.fromkeys([*filters.get(facet, ()), value]))
        else:
            extra.append(f"§ {other['paragraph']}")
    return state.changed(q=" ".join([q, *extra]).strip(), filters=filters)

