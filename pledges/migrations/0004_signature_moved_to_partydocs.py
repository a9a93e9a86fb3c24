"""Signature now lives in partydocs (its 0001): removed from this app's state only; the table stays."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('pledges', '0003_generic_signature'),
        ('partydocs', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(
                    name='Signature',
                ),
            ],
            database_operations=[],
        ),
    ]
