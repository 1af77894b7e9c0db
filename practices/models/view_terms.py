"""A page's named terms (themes, target groups, funding sources) and its tags read for its
view in one query instead of one per relation.

Each relation is read from its link table joined to the term's table, the parts put together
with UNION ALL and ordered as each relation orders itself (terms by name, tags in the order they
were added). The rows become the page's prefetched relations, as ``prefetch_related`` leaves
them: ``page.themes.all()`` and ``page.tags.all()`` answer from them without a query, and
anything else asked of a relation (a filter) queries as before."""

from django.db import models
from django.db.models import F, Value

_COLUMNS = ("id", "slug", "name", "description")


def _part(number, link_queryset, target, sort_name, sort_id, description=True):
    return (
        link_queryset.order_by()
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


def prefetch_terms(page, relations, tags="tags"):
    """Fill ``page``'s ``relations`` (many-to-many fields to terms with slug, name and
    description, ordered by name) and its ``tags`` from one query."""
    parts, models_by_part = [], []
    for relation in relations:
        field = type(page)._meta.get_field(relation)
        through = field.remote_field.through
        target = field.m2m_reverse_field_name()
        parts.append(
            _part(
                len(parts), through.objects.filter(**{field.m2m_field_name(): page.pk}), target,
                F(f"{target}__name"), Value(0, output_field=models.IntegerField()),
            )
        )
        models_by_part.append((relation, field.related_model, _COLUMNS))
    manager = getattr(page, tags)
    through = manager.through
    parts.append(
        _part(
            len(parts), through.objects.filter(content_object_id=page.pk), "tag",
            Value("", output_field=models.CharField()), F("id"), description=False,
        )
    )
    models_by_part.append((tags, through.tag_model(), ("id", "slug", "name")))
    rows = parts[0].union(*parts[1:], all=True).order_by("kb_part", "kb_sort_name", "kb_sort_id")
    found = [[] for _ in parts]
    for part, *values in rows:
        _relation, model, columns = models_by_part[part]
        row = dict(zip(_COLUMNS, values, strict=False))
        # ``from_db`` takes the values in the order of the model's fields.
        names = [field.attname for field in model._meta.concrete_fields if field.attname in columns]
        found[part].append(model.from_db(rows.db, names, [row[name] for name in names]))
    cache = page.__dict__.setdefault("_prefetched_objects_cache", {})
    for (relation, _model, _columns), objects in zip(models_by_part, found, strict=True):
        queryset = getattr(page, relation).all()
        queryset._result_cache = objects
        queryset._prefetch_done = True
        cache[relation] = queryset
