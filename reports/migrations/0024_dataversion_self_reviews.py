"""The work queue (issue 19) reads the members' self-reviews and their rounds (issue 17): a
member's own self-review to write or sign, the branch's votes to record, the quarters to decide.
Both tables get the summary's triggers (as 0023 did for the recognition decisions), so a
signature, a vote or a new round shows in every queue at once."""

from django.db import migrations

# Fixed here, as a migration must be; caching.models keeps the live list.
TABLES = ["reports_selfreview", "reports_reviewround"]
ROWS = {3: "bontot_data_version_summary"}


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for row, name in ROWS.items():
        bump = f"UPDATE reports_dataversion SET value = abs(random()) WHERE id = {row};"
        for table in TABLES:
            if vendor == "postgresql":
                schema_editor.execute(
                    f"CREATE CONSTRAINT TRIGGER {name} AFTER INSERT OR UPDATE OR DELETE ON {table} "
                    "DEFERRABLE INITIALLY DEFERRED "
                    f"FOR EACH ROW EXECUTE FUNCTION bontot_bump_data_version_row({row})"
                )
                schema_editor.execute(
                    f"CREATE TRIGGER {name}_truncate AFTER TRUNCATE ON {table} "
                    f"FOR EACH STATEMENT EXECUTE FUNCTION bontot_bump_data_version_row({row})"
                )
            elif vendor == "sqlite":
                # IF NOT EXISTS: 0020's `ensure_sqlite` reads this list too, and may have run first.
                for op in ("INSERT", "UPDATE", "DELETE"):
                    schema_editor.execute(
                        f"CREATE TRIGGER IF NOT EXISTS {name}_{table}_{op.lower()} AFTER {op} "
                        f"ON {table} BEGIN {bump} END"
                    )


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for name in ROWS.values():
        for table in TABLES:
            if vendor == "postgresql":
                for suffix in ("", "_truncate"):
                    schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}{suffix} ON {table}")
            elif vendor == "sqlite":
                for op in ("insert", "update", "delete"):
                    schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}_{table}_{op}")


class Migration(migrations.Migration):
    dependencies = [("reports", "0023_dataversion_recognition_decision")]

    operations = [migrations.RunPython(forward, backward)]
