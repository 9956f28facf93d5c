"""Keep the search index's title and body vectors inside their rows on PostgreSQL (storage MAIN).

Each index row also holds the title and body as text, so most rows are too wide to keep the
body vector in line and PostgreSQL moved it out to the TOAST table. Every search then fetched
it from there again for every matched row and every test of it (the phrase check, the scoring),
several index lookups each time: at 100,000 cases the larger part of a search. With storage
MAIN the vectors stay in the row and the texts, which search never reads, move out instead.

Rows already written keep their layout until rewritten, so they are rewritten here, and
vacuumed after (outside a transaction) so that the table does not carry the old rows along.
Nothing to do on SQLite.
"""

from django.db import migrations

TABLE = "wagtailsearch_indexentry"
COLUMNS = ("title", "body")


def inline_vectors(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    columns = ", ".join(f"ALTER COLUMN {column} SET STORAGE MAIN" for column in COLUMNS)
    schema_editor.execute(f"ALTER TABLE {TABLE} {columns}")
    # Concatenating an empty vector gives an equal value that is stored anew, by the new rule.
    rewrite = ", ".join(f"{column} = {column} || ''::tsvector" for column in COLUMNS)
    schema_editor.execute(f"UPDATE {TABLE} SET {rewrite}")
    schema_editor.execute(f"VACUUM ANALYZE {TABLE}")


def default_storage(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        columns = ", ".join(f"ALTER COLUMN {column} SET STORAGE EXTENDED" for column in COLUMNS)
        schema_editor.execute(f"ALTER TABLE {TABLE} {columns}")


class Migration(migrations.Migration):
    # VACUUM cannot run inside a transaction.
    atomic = False

    dependencies = [
        ("search", "0003_covering_indexes"),
        ("wagtailsearch", "0010_add_text_fields"),
    ]

    operations = [migrations.RunPython(inline_vectors, default_storage, elidable=False)]
