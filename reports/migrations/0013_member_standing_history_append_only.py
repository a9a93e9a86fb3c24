"""The history of members' standing (reports/0010) is audit history like the rest: on PostgreSQL
the same append-only trigger as reports/0003 guards it. Written to guard every history table that
lacks the trigger, so a later model's migration can run the same function."""

from django.db import migrations

from reports.migrations import _history_guard


class Migration(migrations.Migration):
    dependencies = [("reports", "0012_outstanding_within_the_rules")]

    operations = [migrations.RunPython(_history_guard.guard_all, _history_guard.noop)]
