"""A third data version row (id 3), for the summary pages: changed, in the writer's transaction,
by any write to the tables the summary is computed from. Kept apart from rows 1 and 2 so that the
dashboards' and the member counts' caches do not empty when scores are entered. The triggers work
as those of 0004 and 0005 (deferred, once per transaction, with the function of 0005)."""

from django.db import migrations

TABLES = [
    "branches_member",
    "branches_organization",
    "criteria_criterion",
    "criteria_indicator",
    "criteria_plan",
    "criteria_plan_targets",
    "pledges_pledge",
    "pledges_registration",
    "pledges_signature",
    "reports_memberrating",
    "reports_nomination",
    "reports_review",
    "reports_reviewscore",
]
SQLITE_BUMP = "UPDATE reports_dataversion SET value = abs(random()) WHERE id = 3;"


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    apps.get_model("reports", "DataVersion").objects.create(id=3, value=1)
    if vendor == "postgresql":
        for table in TABLES:
            schema_editor.execute(
                "CREATE CONSTRAINT TRIGGER bontot_data_version_summary AFTER INSERT OR UPDATE OR "
                f"DELETE ON {table} DEFERRABLE INITIALLY DEFERRED "
                "FOR EACH ROW EXECUTE FUNCTION bontot_bump_data_version_row(3)"
            )
            schema_editor.execute(
                f"CREATE TRIGGER bontot_data_version_summary_truncate AFTER TRUNCATE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION bontot_bump_data_version_row(3)"
            )
    elif vendor == "sqlite":
        for table in TABLES:
            for op in ("INSERT", "UPDATE", "DELETE"):
                schema_editor.execute(
                    f"CREATE TRIGGER bontot_data_version_summary_{table}_{op.lower()} AFTER {op} "
                    f"ON {table} BEGIN {SQLITE_BUMP} END"
                )


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        for table in TABLES:
            for suffix in ("", "_truncate"):
                schema_editor.execute(
                    f"DROP TRIGGER IF EXISTS bontot_data_version_summary{suffix} ON {table}"
                )
    elif vendor == "sqlite":
        for table in TABLES:
            for op in ("insert", "update", "delete"):
                schema_editor.execute(
                    f"DROP TRIGGER IF EXISTS bontot_data_version_summary_{table}_{op}"
                )
    apps.get_model("reports", "DataVersion").objects.filter(id=3).delete()


class Migration(migrations.Migration):
    dependencies = [("reports", "0005_dataversion_members")]

    operations = [migrations.RunPython(forward, backward)]
