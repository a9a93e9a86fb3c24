"""Member and organization search served by an index on PostgreSQL (issue 21).

Search compares the folded text (no diacritics, lower case, NFC; vietnamese.text.fold) with the
folded key stored on each row: `search_key LIKE '%…%'`. A B-tree cannot serve a pattern that
starts with a wildcard; a trigram index (the pg_trgm extension that ships with PostgreSQL, a
"trusted" extension a database's owner may create since PostgreSQL 13) can, for LIKE as written.
SQLite has neither and scans, as before. The indexes are not declared on the models because
SQLite cannot create them; they are made here and only here.
"""

from django.db import migrations

INDEXES = [
    ("branches_member", "branches_member_search_trgm"),
    ("branches_organization", "branches_organization_search_trgm"),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for table, name in INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (search_key gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for _table, name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("branches", "0009_reorganization")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
