"""The dashboards (data version row 1) and the summaries (row 3) now read the organizations'
decided quality ratings (reports_organizationrating) where they used to read a level on the
review: that table gets the triggers of 0004 and 0006, so a decision shows at once."""

from django.db import migrations

# Fixed here, as a migration must be; caching.models keeps the live lists (tests check that
# 0004 + this and 0006 + this give them, and that they cover what the pages read).
TABLES = ["reports_organizationrating"]
ROWS = {1: "bontot_data_version", 3: "bontot_data_version_summary"}


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
                for op in ("INSERT", "UPDATE", "DELETE"):
                    schema_editor.execute(
                        f"CREATE TRIGGER {name}_{table}_{op.lower()} AFTER {op} ON {table} "
                        f"BEGIN {bump} END"
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
    dependencies = [("reports", "0015_review_level_to_organization_rating")]

    operations = [migrations.RunPython(forward, backward)]
