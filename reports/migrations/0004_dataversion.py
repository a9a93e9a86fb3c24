"""The data version (reports.models.dataversion): one row, and triggers on every table the
dashboards read that give it a new random value whenever a transaction writes to them.

PostgreSQL: deferred constraint triggers (DEFERRABLE INITIALLY DEFERRED, per row; TRUNCATE by a
plain statement trigger), so the version row is updated at COMMIT, once per transaction — a
writer does not hold the row from its first write to its commit, and concurrent writers (two
secretaries signing) do not queue on it. The update is still part of the writer's transaction:
readers see the new value exactly when they see the new data. A test transaction that never
commits makes them IMMEDIATE (`SET CONSTRAINTS … IMMEDIATE`); then each writing statement bumps
once. SQLite (tests, development): per-row triggers; SQLite has one writer at a time anyway."""

from django.db import migrations, models

# Fixed here, as a migration must be; reports.models.dataversion keeps the live list (a test
# checks they agree and that they cover what the dashboard reads).
TABLES = [
    "branches_organization",
    "branches_roleassignment",
    "criteria_plan",
    "criteria_plan_targets",
    "pledges_registration",
    "pledges_deadlineextension",
    "pledges_pledge",
    "reports_meeting",
    "reports_review",
]
USER_COLUMNS = ["username", "full_name", "email", "is_active", "is_superuser", "is_staff"]

PG_FUNCTION = """
CREATE OR REPLACE FUNCTION bontot_bump_data_version() RETURNS trigger AS $$
DECLARE
    stamp text := txid_current()::text || '/' || statement_timestamp()::text;
BEGIN
    -- The deferred events of one transaction all fire in its COMMIT statement: bump once.
    IF current_setting('bontot.data_version_1', true) IS DISTINCT FROM stamp THEN
        PERFORM set_config('bontot.data_version_1', stamp, true);
        UPDATE reports_dataversion SET value = floor(random() * 9e15)::bigint WHERE id = 1;
    END IF;
    RETURN NULL;
END $$ LANGUAGE plpgsql;
"""
SQLITE_BUMP = "UPDATE reports_dataversion SET value = abs(random()) WHERE id = 1;"


def _triggers(vendor):
    users = ", ".join(USER_COLUMNS)
    if vendor == "postgresql":
        for table in TABLES:
            yield (
                "CREATE CONSTRAINT TRIGGER bontot_data_version AFTER INSERT OR UPDATE OR DELETE "
                f"ON {table} DEFERRABLE INITIALLY DEFERRED "
                "FOR EACH ROW EXECUTE FUNCTION bontot_bump_data_version()"
            )
            yield (
                f"CREATE TRIGGER bontot_data_version_truncate AFTER TRUNCATE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION bontot_bump_data_version()"
            )
        yield (
            "CREATE CONSTRAINT TRIGGER bontot_data_version AFTER INSERT OR DELETE OR UPDATE OF "
            f"{users} ON branches_user DEFERRABLE INITIALLY DEFERRED "
            "FOR EACH ROW EXECUTE FUNCTION bontot_bump_data_version()"
        )
    elif vendor == "sqlite":
        for table in TABLES:
            for op in ("INSERT", "UPDATE", "DELETE"):
                yield (
                    f"CREATE TRIGGER bontot_data_version_{table}_{op.lower()} AFTER {op} ON "
                    f"{table} BEGIN {SQLITE_BUMP} END"
                )
        for op in ("INSERT", "DELETE", f"UPDATE OF {users}"):
            name = op.split()[0].lower()
            yield (
                f"CREATE TRIGGER bontot_data_version_branches_user_{name} AFTER {op} ON "
                f"branches_user BEGIN {SQLITE_BUMP} END"
            )


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    apps.get_model("reports", "DataVersion").objects.create(id=1, value=1)
    if vendor == "postgresql":
        schema_editor.execute(PG_FUNCTION, params=None)
    for statement in _triggers(vendor):
        schema_editor.execute(statement)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        for table in [*TABLES, "branches_user"]:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS bontot_data_version ON {table}")
            schema_editor.execute(f"DROP TRIGGER IF EXISTS bontot_data_version_truncate ON {table}")
        schema_editor.execute("DROP FUNCTION IF EXISTS bontot_bump_data_version()")
    elif vendor == "sqlite":
        for table in TABLES:
            for op in ("insert", "update", "delete"):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS bontot_data_version_{table}_{op}")
        for op in ("insert", "delete", "update"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS bontot_data_version_branches_user_{op}")


class Migration(migrations.Migration):
    dependencies = [("reports", "0003_audit_history_append_only")]

    operations = [
        migrations.CreateModel(
            name="DataVersion",
            fields=[
                (
                    "id",
                    models.PositiveSmallIntegerField(default=1, primary_key=True, serialize=False),
                ),
                ("value", models.BigIntegerField(default=0)),
            ],
            options={"verbose_name": "data version", "db_table": "reports_dataversion"},
        ),
        migrations.RunPython(forward, backward),
    ]
