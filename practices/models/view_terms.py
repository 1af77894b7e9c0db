"""A page's named terms (themes, target groups, funding sources) and its tags read for its
view in one query instead of one per relation.

Each relation is read from its link table joined to the term's table, the parts put together
with UNION ALL and ordered as each relation orders itself (terms by name, tags in the order they
were added). The statement is made once per process and page type (practices/models/statements.py).
The rows become the page's prefetched relations, as ``prefetch_related`` leaves them:
``page.themes.all()`` and ``page.tags.all()`` answer from them without a query, and anything
else asked of a relation (a filter) queries as before."""

from django.db import models
from django.db.models import F, Value

_COLUMNS = ("id", "slug", "name", "description")


def _part(number, links, target, sort_name, sort_id, description=True):
    return (
        links.order_by()
        .annotate(
            kb_part=Value(number, output_field=models.IntegerField()),
            kb_id=F(f"{target}__id"),
            kb_slug=F(f"{target}__slug"),
            kb_name=F(f"{target}__name"),
            kb_description=(
                F(f"{target}__description") if description else Value(None, output_field=models.TextField())
            ),
            kb_sort_name=sort_name,
            kb_sort_id=sort_id,
        )
        .values_list("kb_part", "kb_id", "kb_slug", "kb_name", "kb_description", "kb_sort_name", "kb_sort_id")
    )


def _parts(model, relations, tags):
    """(name, term model, columns) of each part: the relations, then the tags."""
    described = [(relation, model._meta.get_field(relation).related_model, _COLUMNS) for relation in relations]
    return [*described, (tags, getattr(model, tags).through.tag_model(), ("id", "slug", "name"))]


def _union(model, relations, tags, pk):
    """The terms of every relation and the tags of the page ``pk`` of ``model``, as
    (part, id, slug, name, description, ordering…) rows."""
    parts = []
    for relation in relations:
        field = model._meta.get_field(relation)
        target = field.m2m_reverse_field_name()
        links = field.remote_field.through.objects.filter(**{field.m2m_field_name(): pk})
        by_name = (F(f"{target}__name"), Value(0, output_field=models.IntegerField()))
        parts.append(_part(len(parts), links, target, *by_name))
    links = getattr(model, tags).through.objects.filter(content_object_id=pk)
    in_order_added = (Value("", output_field=models.CharField()), F("id"))
    parts.append(_part(len(parts), links, "tag", *in_order_added, description=False))
    return parts[0].union(*parts[1:], all=True).order_by("kb_part", "kb_sort_name", "kb_sort_id")


def prefetch_terms(page, relations, tags="tags"):
    """Fill ``page``'s ``relations`` (many-to-many fields to terms with slug, name and
    description, ordered by name) and its ``tags`` from one query."""
    from .statements import page_rows

    model = type(page)
    relations = tuple(relations)
    rows = page_rows(("view_terms", model._meta.label, relations, tags),
                     lambda pk: _union(model, relations, tags, pk), page.pk)
    parts = _parts(model, relations, tags)
    found = [[] for _ in parts]
    for part, *values in rows:
        _relation, term_model, columns = parts[part]
        row = dict(zip(_COLUMNS, values, strict=False))
        # ``from_db`` takes the values in the order of the model's fields.
        names = [field.attname for field in term_model._meta.concrete_fields if field.attname in columns]
        found[part].append(term_model.from_db("default", names, [row[name] for name in names]))
    cache = page.__dict__.setdefault("_prefetched_objects_cache", {})
    for (relation, _model, _columns), objects in zip(parts, found, strict=True):
        queryset = getattr(page, relation).all()
        queryset._result_cache = objects
        queryset._prefetch_done = True
        cache[relation] = queryset
