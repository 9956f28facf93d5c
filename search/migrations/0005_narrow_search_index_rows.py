"""Narrower, compacted search index rows on PostgreSQL: the texts out of line, the vectors in.

Every search reads the matched rows of Wagtail's index table, a quarter to a half of them for
a common word or a phrase. Those rows also hold the title and body as text (which search never
reads), so at 100,000 cases the table is twice the size of PostgreSQL's shared buffers and each
search reads most of it again from the operating system. A lower TOAST target moves the texts
out of line; the title and body vectors stay in the row (storage MAIN, migration 0004), the few
largest compressed with lz4, which is quick to decompress. The rows are rewritten under the new
rule and the table compacted: a third of its former size, and about a third faster to search.

VACUUM FULL locks the table while it runs (seconds at 100,000 cases). Nothing to do on SQLite.
"""

from django.db import migrations

TABLE = "wagtailsearch_indexentry"
# Bytes a row may take before PostgreSQL moves its largest text out of line (default about 2,000).
TOAST_TARGET = 1200
VECTORS = ("title", "body")


def _has_lz4(schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_setting('server_version_num')::int >= 140000 AND EXISTS ("
            "SELECT 1 FROM pg_settings WHERE name = 'default_toast_compression' AND 'lz4' = ANY(enumvals))"
        )
        return cursor.fetchone()[0]


def narrow_rows(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    changes = [f"SET (toast_tuple_target = {TOAST_TARGET})"]
    if _has_lz4(schema_editor):
        changes += [f"ALTER COLUMN {column} SET COMPRESSION lz4" for column in VECTORS]
    schema_editor.execute(f"ALTER TABLE {TABLE} {', '.join(changes)}")
    # Equal values stored anew, so that each row is laid out by the new rule.
    schema_editor.execute(
        f"UPDATE {TABLE} SET title = title || ''::tsvector, body = body || ''::tsvector, "
        "autocomplete = autocomplete || ''::tsvector, title_text = title_text || '', body_text = body_text || ''"
    )
    schema_editor.execute(f"VACUUM FULL {TABLE}")
    schema_editor.execute(f"ANALYZE {TABLE}")


def default_layout(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    changes = ["RESET (toast_tuple_target)"]
    if _has_lz4(schema_editor):
        changes += [f"ALTER COLUMN {column} SET COMPRESSION default" for column in VECTORS]
    schema_editor.execute(f"ALTER TABLE {TABLE} {', '.join(changes)}")


class Migration(migrations.Migration):
    # VACUUM cannot run inside a transaction.
    atomic = False

    dependencies = [("search", "0004_inline_search_vectors")]

    operations = [migrations.RunPython(narrow_rows, default_layout, elidable=False)]
