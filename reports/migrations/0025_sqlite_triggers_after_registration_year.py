"""On SQLite, making Registration.year NOT NULL (pledges 0007) rebuilt pledges_registration
without its data-version triggers: put them back (`_data_version_triggers`). Nothing on
PostgreSQL."""

from django.db import migrations

from reports.migrations import _data_version_triggers


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0024_dataversion_self_reviews"),
        ("pledges", "0007_registration_year"),
    ]

    operations = [migrations.RunPython(_data_version_triggers.ensure_sqlite, _data_version_triggers.noop)]
