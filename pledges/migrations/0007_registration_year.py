"""A registration is for one year of its plan (issue 20: a plan over several years is registered
for, pledged and reviewed year by year). Every registration made before is the registration of
its plan's first year — the only year anyone could register for. On PostgreSQL a registration
with a signed pledge keeps its year as it keeps its plan and organization (0005)."""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery

FORWARD = r"""
CREATE OR REPLACE FUNCTION bontot_registration_identity() RETURNS trigger AS $$
BEGIN
    IF (NEW.plan_id <> OLD.plan_id OR NEW.organization_id <> OLD.organization_id
        OR NEW.year <> OLD.year)
       AND EXISTS (SELECT 1 FROM pledges_pledge WHERE registration_id = OLD.id AND status <> 'draft') THEN
        PERFORM bontot_refuse(format('registration %s has a signed pledge; its plan, organization and year cannot change', OLD.id));
    END IF;
    RETURN NEW;
END $$ LANGUAGE plpgsql;
"""

BACKWARD = r"""
CREATE OR REPLACE FUNCTION bontot_registration_identity() RETURNS trigger AS $$
BEGIN
    IF (NEW.plan_id <> OLD.plan_id OR NEW.organization_id <> OLD.organization_id)
       AND EXISTS (SELECT 1 FROM pledges_pledge WHERE registration_id = OLD.id AND status <> 'draft') THEN
        PERFORM bontot_refuse(format('registration %s has a signed pledge; its plan and organization cannot change', OLD.id));
    END IF;
    RETURN NEW;
END $$ LANGUAGE plpgsql;
"""


def _guarded(schema_editor, table: str) -> bool:
    """Whether the append-only trigger of the audit history (reports 0003) is on the table."""
    if schema_editor.connection.vendor != "postgresql":
        return False
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM information_schema.triggers "
            "WHERE trigger_name = 'history_append_only' AND event_object_table = %s",
            [table],
        )
        return cursor.fetchone() is not None


def first_year(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        # The data-version triggers are deferred to the commit (reports 0004): fire them with
        # each statement here, or the ALTER TABLE below finds trigger events still pending.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    Registration = apps.get_model("pledges", "Registration")
    Plan = apps.get_model("criteria", "Plan")
    start = Subquery(Plan.objects.filter(pk=OuterRef("plan_id")).values("start_year")[:1])
    Registration.objects.update(year=start)
    # The history rows get the year their registration has always meant: the only change made to
    # the audit history, with its guard lifted for this statement alone (as reports 0008 did).
    History = apps.get_model("pledges", "HistoricalRegistration")
    table = History._meta.db_table
    guarded = _guarded(schema_editor, table)
    if guarded:
        schema_editor.execute(f"ALTER TABLE {table} DISABLE TRIGGER history_append_only")
    History.objects.filter(year__isnull=True).update(year=start)
    if guarded:
        schema_editor.execute(f"ALTER TABLE {table} ENABLE TRIGGER history_append_only")


def identity_forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD, params=None)


def identity_backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("criteria", "0007_resolution_book"),
        ("pledges", "0006_registration_carried_over"),
    ]

    operations = [
        migrations.AddField(
            model_name="registration",
            name="year",
            field=models.PositiveSmallIntegerField(null=True, verbose_name="Năm"),
        ),
        migrations.AddField(
            model_name="historicalregistration",
            name="year",
            field=models.PositiveSmallIntegerField(null=True, verbose_name="Năm"),
        ),
        migrations.RunPython(first_year, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="registration",
            name="year",
            field=models.PositiveSmallIntegerField(verbose_name="Năm"),
        ),
        migrations.AlterField(
            model_name="historicalregistration",
            name="year",
            field=models.PositiveSmallIntegerField(verbose_name="Năm"),
        ),
        migrations.RemoveConstraint(model_name="registration", name="registration_unique"),
        migrations.AddConstraint(
            model_name="registration",
            constraint=models.UniqueConstraint(
                fields=("plan", "organization", "year"),
                name="registration_once_a_year",
                violation_error_message="Tổ chức đã đăng ký kế hoạch này cho năm này.",
            ),
        ),
        migrations.RunPython(identity_forward, identity_backward),
    ]
