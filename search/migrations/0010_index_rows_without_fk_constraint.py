"""PostgreSQL only: the facet and term rows keep their foreign key to the search document in
Django (deleting a document through the ORM still deletes its rows) but not as a database
constraint.

Django's constraints on PostgreSQL are DEFERRABLE INITIALLY DEFERRED: every inserted row queues
a check that runs at COMMIT, a query of its own per row. A page has some 140 term rows, so a
rebuild that writes every document anew (an emptied index, a changed analysis) spent 3.4 s of
15.7 in those checks at 10 000 practices. The index writes its rows only in search/indexing.py,
together with their document and in the same transaction, and deletes them there first; the
full-text table (search/engines/postgres_fts.py) has had no constraint from the start.

SQLite keeps the REFERENCES clause its tables were created with: there the check is one lookup
per row while inserting (0.3 s of 12.5 in the same rebuild), and removing it would copy both
tables (millions of rows at 50 000 practices) under the write lock while deploying."""

from django.db import migrations, models
import django.db.models.deletion


class AlterFieldOnPostgreSQL(migrations.AlterField):
    """AlterField whose database change is made on PostgreSQL only (the state changes everywhere)."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


def _document_without_constraint(model_name, related_name):
    return AlterFieldOnPostgreSQL(
        model_name=model_name,
        name="document",
        field=models.ForeignKey(
            db_constraint=False,
            on_delete=django.db.models.deletion.CASCADE,
            related_name=related_name,
            to="kb_search.searchdocument",
        ),
    )


class Migration(migrations.Migration):
    dependencies = [("kb_search", "0009_sqlrank2_fts_prefix_index")]

    operations = [
        _document_without_constraint("searchfacetvalue", "facet_values"),
        _document_without_constraint("searchterm", "terms"),
    ]
