"""The data-version rows move here from reports (reports 0004–0006 made the table and its triggers):
the same table, nothing written."""

from django.db import migrations, models


def move_content_type(apps, schema_editor):
    """The content type (and so the admin's log entries and permissions) follows the model."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label="caching", model="dataversion").exists():
        ContentType.objects.filter(app_label="reports", model="dataversion").update(app_label="caching")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('reports', '0006_dataversion_summary'),
    ]

    operations = [
        migrations.RunPython(move_content_type, migrations.RunPython.noop),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='DataVersion',
                    fields=[
                        ('id', models.PositiveSmallIntegerField(default=1, primary_key=True, serialize=False)),
                        ('value', models.BigIntegerField(default=0)),
                    ],
                    options={
                        'verbose_name': 'data version',
                        'db_table': 'reports_dataversion',
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
