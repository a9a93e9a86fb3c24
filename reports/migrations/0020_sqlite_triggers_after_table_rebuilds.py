"""On SQLite, adding NOT NULL columns with defaults (branches 0005 on branches_user, reports
0018–0019 on reports_meeting, criteria 0005 on criteria_indicator) rebuilt those tables without
their data-version triggers: put every missing one back (`_data_version_triggers`). Nothing on
PostgreSQL."""

from django.db import migrations

from reports.migrations import _data_version_triggers


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0019_resolution_book"),
        ("branches", "0005_user_must_change_password"),
        ("criteria", "0007_resolution_book"),
    ]

    operations = [migrations.RunPython(_data_version_triggers.ensure_sqlite, _data_version_triggers.noop)]
