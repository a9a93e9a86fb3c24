"""On PostgreSQL the audit history (django-simple-history's historical tables) is append-only:
the database refuses UPDATE and DELETE of its rows, whoever asks — the application, the admin or
someone with a SQL prompt and the application's credentials.

INSERT stays allowed (every change writes a row; restoring a backup writes them back), and so
does TRUNCATE (emptying a test database). A user who appears in the history can therefore not be
deleted (Django would blank the rows' history_user): deactivate the account instead. A future
data migration that must rewrite history rows disables the trigger for its duration, as
pledges/0003 does for signatures."""

from django.db import migrations

OUR_APPS = {"branches", "criteria", "pledges", "reports"}

FUNCTION = r"""
CREATE OR REPLACE FUNCTION bontot_history_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'bontot: % is audit history; % refused', TG_TABLE_NAME, lower(TG_OP)
        USING ERRCODE = 'check_violation';
END $$ LANGUAGE plpgsql;
"""


def history_tables(apps) -> list[str]:
    return sorted(
        model._meta.db_table
        for model in apps.get_models()
        if model._meta.app_label in OUR_APPS and model.__name__.startswith("Historical")
    )


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION, params=None)  # no client-side formatting of its "%"
    for table in history_tables(apps):
        schema_editor.execute(
            f"CREATE TRIGGER history_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION bontot_history_append_only()"
        )


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in history_tables(apps):
        schema_editor.execute(f"DROP TRIGGER IF EXISTS history_append_only ON {table}")
    schema_editor.execute("DROP FUNCTION IF EXISTS bontot_history_append_only()")


class Migration(migrations.Migration):
    dependencies = [
        ("branches", "0002_historicalorganization_document_name_and_more"),
        ("criteria", "0001_initial"),
        ("pledges", "0003_generic_signature"),
        ("reports", "0002_generateddocument_summaryreport"),
    ]

    operations = [migrations.RunPython(forward, backward)]
