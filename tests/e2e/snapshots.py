"""Whole-database snapshots for the browser tests, on PostgreSQL.

A browser test is transactional: the live server reads its data from another thread, so the
data is committed, and Django puts the database back afterwards by emptying it (a TRUNCATE of
every table, about 0.7 s here) and loading a serialization of its pristine contents again (about
1.6 s a test, after serializing them when the databases are set up), after which the test's own
fixture builds its data afresh (the ten-case catalogue, about 5 s). Here all of that comes from
copies kept inside the test database instead: `take(name)` copies every table into a schema of
its own with `CREATE TABLE … AS SELECT`, and `restore(name)` empties the tables and copies the
rows back with `INSERT … SELECT`, sequences included, in a fraction of a second.
tests/e2e/conftest.py copies the pristine database (the site tree included: every test database
is a copy of tests/template_db.py's template, which holds it) before the first browser test of a
process and restores it after each test (so it is also left pristine for the next run that
reuses it); a data fixture wrapped
in `restored()` is built by the first test that asks for it and copied back for the others, which
get the same rows under the same ids.

On SQLite (which `make e2e` does not use) nothing is copied: Django's serialized rollback puts
the database back and every fixture builds its data.
"""

from django.db import connection, models, transaction

SCHEMA = "e2e_snapshot_{}"
_taken = {}  # name: the SQL that puts snapshot `name` back, for the snapshots this process took
_values = {}  # name: what the data fixture's build returned


def supported():
    return connection.vendor == "postgresql"


def _tables(cursor):
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
    return [row[0] for row in cursor.fetchall()]


def _quoted(name):
    return connection.ops.quote_name(name)


def take(name):
    """Copy every table of the database that has rows, and its sequences' positions, under `name`."""
    schema = _quoted(SCHEMA.format(name))
    with connection.cursor() as cursor:
        cursor.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}")
        tables, copied = _tables(cursor), []
        for table in tables:
            cursor.execute(f"CREATE TABLE {schema}.{_quoted(table)} AS SELECT * FROM public.{_quoted(table)}")
            if cursor.rowcount:
                copied.append(table)
        cursor.execute(
            "SELECT sequencename, COALESCE(last_value, 1), last_value IS NOT NULL "
            "FROM pg_sequences WHERE schemaname = 'public'"
        )
        sequences = cursor.fetchall()
    # The whole restore as one batch of statements, sent in one round trip. The tables are emptied
    # with DELETE: TRUNCATE gives each table new files, which cost PostgreSQL 0.68 s for these 116
    # tables, where deleting their few thousand rows took 0.01–0.06 s and 0.13 s to commit.
    statements = [f"DELETE FROM public.{_quoted(t)}" for t in tables]
    statements += [f"INSERT INTO public.{_quoted(t)} SELECT * FROM {schema}.{_quoted(t)}" for t in copied]
    statements += [
        f"SELECT setval('public.{_quoted(sequence)}', {int(value)}, {'true' if called else 'false'})"
        for sequence, value, called in sequences
    ]
    _taken[name] = "; ".join(statements)


def restore(name):
    """Put the database back as `take(name)` found it: the same rows under the same ids."""
    # One transaction: the foreign keys are checked at its end, when every table is full again.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(_taken[name])


def restored(name, build):
    """What `build()` returns, with the rows it writes: built once per process, then copied back."""
    if not supported():
        return build()
    if name in _taken:
        restore(name)
        return _read_again(_values[name])
    value = build()
    take(name)
    _values[name] = value
    return value


def _read_again(value):
    """`value` with every model instance in it read again from the database (the restored rows)."""
    if isinstance(value, models.Model):
        return type(value)._default_manager.get(pk=value.pk)
    if isinstance(value, dict):
        return {key: _read_again(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_read_again(item) for item in value)
    return value
