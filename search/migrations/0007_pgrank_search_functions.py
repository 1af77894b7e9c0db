"""PostgreSQL only: the two read queries of the full-text index as SQL functions, so they can
carry their own planner settings (search/engines/postgres_fts.py calls them).

The planner costs a sequential scan of kb_search_fulltext by its small heap and does not count
the TOASTed vectors it must decompress to test ``@@``: it scanned all 10 000 vectors (60-95 ms)
for a word the GIN index answers in 3 ms. ``enable_seqscan = off`` for the length of the
function (and nowhere else) makes it take the index; ``jit = off`` because compiling never pays
for queries this short. PL/pgSQL keeps each query's plan for the session, and a separate query
for "only among these ids" lets that one use the primary key. The ranking reads each matching vector once (no second read to test
``@@``), takes the best ``wanted`` by score with ties, and only those are joined to the
documents for the tie-break by title, instead of reading the whole documents table.
Nothing happens on SQLite."""

from django.db import migrations

# Written out here (not imported from search/engines/) so the migration stays as it was.
RANKED = """
    SELECT r.document_id, r.score FROM (
        SELECT f.document_id, ts_rank_cd(weights, f.vector, query, normalization) AS score
        FROM kb_search_fulltext f
        WHERE f.vector @@ query{among}
          AND EXISTS (SELECT FROM kb_search_searchdocument e WHERE e.page_id = f.document_id)
        ORDER BY score DESC FETCH FIRST (wanted) ROWS WITH TIES
    ) r JOIN kb_search_searchdocument d ON d.page_id = r.document_id
    ORDER BY r.score DESC, d.title_sort, d.page_id LIMIT wanted
"""
FUNCTIONS = [
    f"""
    CREATE OR REPLACE FUNCTION kb_search_matching(query tsquery, among integer[] DEFAULT NULL)
    RETURNS integer[] LANGUAGE plpgsql STABLE
    SET enable_seqscan = off SET jit = off
    AS $$
    BEGIN
        IF among IS NULL THEN
            RETURN (SELECT coalesce(array_agg(f.document_id), '{{}}') FROM kb_search_fulltext f
                    WHERE f.vector @@ query);
        END IF;
        RETURN (SELECT coalesce(array_agg(f.document_id), '{{}}') FROM kb_search_fulltext f
                WHERE f.document_id = ANY(among) AND f.vector @@ query);
    END
    $$
    """,
    f"""
    CREATE OR REPLACE FUNCTION kb_search_ranked(
        query tsquery, weights real[], normalization integer, wanted integer, among integer[] DEFAULT NULL
    )
    RETURNS TABLE (document_id integer, score real) LANGUAGE plpgsql STABLE
    SET enable_seqscan = off SET jit = off
    AS $$
    #variable_conflict use_column
    BEGIN
        IF among IS NULL THEN
            RETURN QUERY {RANKED.format(among="")};
        ELSE
            RETURN QUERY {RANKED.format(among=" AND f.document_id = ANY(among)")};
        END IF;
    END
    $$
    """,
]
DROP = [
    "DROP FUNCTION IF EXISTS kb_search_matching(tsquery, integer[])",
    "DROP FUNCTION IF EXISTS kb_search_ranked(tsquery, real[], integer, integer, integer[])",
]


def create_functions(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in FUNCTIONS:
            schema_editor.execute(statement)


def drop_functions(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in DROP:
            schema_editor.execute(statement)


class Migration(migrations.Migration):

    dependencies = [
        ("kb_search", "0006_parity_fts_per_column_ranking"),
    ]

    operations = [migrations.RunPython(create_functions, drop_functions)]
