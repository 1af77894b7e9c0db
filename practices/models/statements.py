"""Fixed-shape queries of a page view, their SQL made once per process and run again with
another page's id.

Django compiles a queryset's SQL anew for each query, and for the small queries a page view
makes the compiling costs several times what the database takes to answer: the union of a
practice's four term tables takes about 1.4 ms of CPU to compile and 0.15 ms to run, and each
``Exists`` of a practice's lists adds a quarter of a millisecond. ``page_rows`` builds such a
queryset once, for a stand-in id, keeps its SQL and parameters, and runs them with the page's id
where the stand-in was. Only for querysets whose SQL does not depend on the id's value (it is
compared for equality) and that give plain values (``values_list``): the rows come back as the
database driver gives them, without Django's converters."""

from django.db import connections

# Never a row's id: marks where the page's id goes in a statement's parameters.
STAND_IN = -987_654_321

_statements = {}


def page_rows(key, build, pk=None, using="default"):
    """The rows of ``build(STAND_IN)`` (a ``values_list`` queryset) with ``pk`` for the stand-in
    (``build()`` and no id for a query of no page). ``key`` names the statement; the same key
    must always build the same query."""
    statement = _statements.get((using, key))
    if statement is None:
        sql, params = (build() if pk is None else build(STAND_IN)).query.sql_with_params()
        positions = [n for n, param in enumerate(params) if param == STAND_IN]
        if pk is not None and not positions:
            raise ValueError(f"Spørringen {key!r} bruker ikke sidens id som parameter.")
        statement = _statements[(using, key)] = (sql, tuple(params), positions)
    sql, params, positions = statement
    params = list(params)
    for position in positions:
        params[position] = pk
    with connections[using].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()
