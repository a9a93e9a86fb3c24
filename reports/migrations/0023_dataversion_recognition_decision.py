"""The work queue (issue 19) is cached under the dashboard's and the summary's data versions
(rows 1 and 3), and it reads one table neither watched: the recognition decisions, whose draft
is a leader's "document to sign". The table gets the summary's triggers (as 0016 did for the
organizations' ratings), so issuing a decision shows at once."""

from django.db import migrations

# Fixed here, as a migration must be; caching.models keeps the live list.
TABLES = ["reports_recognitiondecision"]
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
    dependencies = [("reports", "0022_summary_report_sections")]

    operations = [migrations.RunPython(forward, backward)]
