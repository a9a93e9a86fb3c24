"""MemberStanding now lives in branches (its 0004): removed from this app's state only; its tables
(reports_memberstanding, reports_historicalmemberstanding) stay, with every row, constraint and
the history trigger. It moved down a floor so that meetings can leave exempt members out of the
attendance as ratings leave them out of the rating."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('reports', '0016_dataversion_organization_rating'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name='memberstanding',
                    name='member',
                ),
                migrations.RemoveField(
                    model_name='memberstanding',
                    name='recorded_by',
                ),
                migrations.DeleteModel(
                    name='HistoricalMemberStanding',
                ),
                migrations.DeleteModel(
                    name='MemberStanding',
                ),
            ],
            database_operations=[],
        ),
    ]
