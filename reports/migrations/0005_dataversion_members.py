"""A second data version row (id 2), for the member counts shown on the organization pages:
changed, in the writer's transaction, by any write to members or organizations (a move changes
which subtree a member counts in). Kept apart from row 1 so that editing members does not empty
the dashboards' cache. The triggers work as those of 0004 (deferred, once per transaction)."""

from django.db import migrations

TABLES = ["branches_member", "branches_organization"]

PG_FUNCTION = """
CREATE OR REPLACE FUNCTION bontot_bump_data_version_row() RETURNS trigger AS $$
DECLARE
    stamp text := txid_current()::text || '/' || statement_timestamp()::text;
    setting text := 'bontot.data_version_' || TG_ARGV[0];
BEGIN
    IF current_setting(setting, true) IS DISTINCT FROM stamp THEN
        PERFORM set_config(setting, stamp, true);
        UPDATE reports_dataversion SET value = floor(random() * 9e15)::bigint
            WHERE id = TG_ARGV[0]::int;
    END IF;
    RETURN NULL;
END $$ LANGUAGE plpgsql;
"""
SQLITE_BUMP = "UPDATE reports_dataversion SET value = abs(random()) WHERE id = 2;"


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    apps.get_model("reports", "DataVersion").objects.create(id=2, value=1)
    if vendor == "postgresql":
        schema_editor.execute(PG_FUNCTION, params=None)
        for table in TABLES:
            schema_editor.execute(
                "CREATE CONSTRAINT TRIGGER bontot_data_version_members AFTER INSERT OR UPDATE OR "
                f"DELETE ON {table} DEFERRABLE INITIALLY DEFERRED "
                "FOR EACH ROW EXECUTE FUNCTION bontot_bump_data_version_row(2)"
            )
            schema_editor.execute(
                f"CREATE TRIGGER bontot_data_version_members_truncate AFTER TRUNCATE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION bontot_bump_data_version_row(2)"
            )
    elif vendor == "sqlite":
        for table in TABLES:
            for op in ("INSERT", "UPDATE", "DELETE"):
                schema_editor.execute(
                    f"CREATE TRIGGER bontot_data_version_members_{table}_{op.lower()} AFTER {op} "
                    f"ON {table} BEGIN {SQLITE_BUMP} END"
                )


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        for table in TABLES:
            for suffix in ("", "_truncate"):
                schema_editor.execute(
                    f"DROP TRIGGER IF EXISTS bontot_data_version_members{suffix} ON {table}"
                )
        schema_editor.execute("DROP FUNCTION IF EXISTS bontot_bump_data_version_row()")
    elif vendor == "sqlite":
        for table in TABLES:
            for op in ("insert", "update", "delete"):
                schema_editor.execute(
                    f"DROP TRIGGER IF EXISTS bontot_data_version_members_{table}_{op}"
                )
    apps.get_model("reports", "DataVersion").objects.filter(id=2).delete()


class Migration(migrations.Migration):
    dependencies = [("reports", "0004_dataversion")]

    operations = [migrations.RunPython(forward, backward)]
