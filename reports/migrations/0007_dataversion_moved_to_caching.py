"""DataVersion now lives in caching (its 0001): removed from this app's state only; the table stays."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('reports', '0006_dataversion_summary'),
        ('caching', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(
                    name='DataVersion',
                ),
            ],
            database_operations=[],
        ),
    ]
