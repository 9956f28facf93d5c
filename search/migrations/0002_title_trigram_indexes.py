"""Trigram indexes for 'did you mean' on PostgreSQL: page titles and actor names.

Without them every suggestion compares the misspelt word with every title in the catalogue.
Nothing to do on SQLite, where suggestions come from difflib.
"""

from django.db import migrations

INDEXES = {
    "search_page_title_trgm": ("wagtailcore_page", "title"),
    "search_actor_name_trgm": ("cases_actor", "name"),
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name, (table, column) in INDEXES.items():
            schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ({column} gin_trgm_ops)")


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name in INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0001_trigram_extension"),
        ("wagtailcore", "0098_apitoken"),
        ("cases", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_indexes, drop_indexes, elidable=False)]
