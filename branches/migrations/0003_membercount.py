"""Active members per branch, kept by triggers on branches_member in the writer's transaction:
an insert, a delete, a leave (is_active) or a move (branch) by any path — services, imports, the
admin, a SQL prompt — adjusts the counts of the branches concerned. Filled from the members once.

PostgreSQL: row triggers (an upsert per changed member row: writers of one branch queue on its
count row only), and TRUNCATE of the members empties the counts. SQLite: the same per row."""

import django.db.models.deletion
from django.db import migrations, models

PG = """
CREATE OR REPLACE FUNCTION bontot_member_count() RETURNS trigger AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.is_active THEN
        UPDATE branches_membercount SET active = active - 1 WHERE branch_id = OLD.branch_id;
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') AND NEW.is_active THEN
        INSERT INTO branches_membercount (branch_id, active) VALUES (NEW.branch_id, 1)
            ON CONFLICT (branch_id) DO UPDATE SET active = branches_membercount.active + 1;
    END IF;
    RETURN NULL;
END $$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION bontot_member_count_truncate() RETURNS trigger AS $$
BEGIN
    DELETE FROM branches_membercount;
    RETURN NULL;
END $$ LANGUAGE plpgsql;

CREATE TRIGGER bontot_member_count_insert_delete AFTER INSERT OR DELETE ON branches_member
    FOR EACH ROW EXECUTE FUNCTION bontot_member_count();
CREATE TRIGGER bontot_member_count_update AFTER UPDATE OF branch_id, is_active ON branches_member
    FOR EACH ROW WHEN (OLD.branch_id IS DISTINCT FROM NEW.branch_id
                       OR OLD.is_active IS DISTINCT FROM NEW.is_active)
    EXECUTE FUNCTION bontot_member_count();
CREATE TRIGGER bontot_member_count_truncate AFTER TRUNCATE ON branches_member
    FOR EACH STATEMENT EXECUTE FUNCTION bontot_member_count_truncate();
"""
PG_DROP = """
DROP TRIGGER IF EXISTS bontot_member_count_insert_delete ON branches_member;
DROP TRIGGER IF EXISTS bontot_member_count_update ON branches_member;
DROP TRIGGER IF EXISTS bontot_member_count_truncate ON branches_member;
DROP FUNCTION IF EXISTS bontot_member_count();
DROP FUNCTION IF EXISTS bontot_member_count_truncate();
"""

SQLITE_ADD = (
    "INSERT INTO branches_membercount (branch_id, active) VALUES (NEW.branch_id, 1) "
    "ON CONFLICT (branch_id) DO UPDATE SET active = active + 1;"
)
SQLITE_REMOVE = (
    "UPDATE branches_membercount SET active = active - 1 WHERE branch_id = OLD.branch_id;"
)
SQLITE = [
    "CREATE TRIGGER bontot_member_count_insert AFTER INSERT ON branches_member "
    f"WHEN NEW.is_active BEGIN {SQLITE_ADD} END",
    "CREATE TRIGGER bontot_member_count_delete AFTER DELETE ON branches_member "
    f"WHEN OLD.is_active BEGIN {SQLITE_REMOVE} END",
    # An update that moves a member or changes is_active: out of the old count, into the new.
    "CREATE TRIGGER bontot_member_count_update_old AFTER UPDATE OF branch_id, is_active "
    "ON branches_member WHEN OLD.is_active AND "
    "(OLD.branch_id IS NOT NEW.branch_id OR OLD.is_active IS NOT NEW.is_active) "
    f"BEGIN {SQLITE_REMOVE} END",
    "CREATE TRIGGER bontot_member_count_update_new AFTER UPDATE OF branch_id, is_active "
    "ON branches_member WHEN NEW.is_active AND "
    "(OLD.branch_id IS NOT NEW.branch_id OR OLD.is_active IS NOT NEW.is_active) "
    f"BEGIN {SQLITE_ADD} END",
]
SQLITE_DROP = [
    f"DROP TRIGGER IF EXISTS bontot_member_count_{name}"
    for name in ("insert", "delete", "update_old", "update_new")
]
FILL = (
    "INSERT INTO branches_membercount (branch_id, active) SELECT branch_id, COUNT(*) "
    "FROM branches_member WHERE is_active GROUP BY branch_id"
)


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG, params=None)
    elif vendor == "sqlite":
        for statement in SQLITE:
            schema_editor.execute(statement)
    schema_editor.execute(FILL)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_DROP, params=None)
    elif vendor == "sqlite":
        for statement in SQLITE_DROP:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("branches", "0002_historicalorganization_document_name_and_more"),
    ]

    operations = [
        migrations.CreateModel(
            name="MemberCount",
            fields=[
                (
                    "branch",
                    models.OneToOneField(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to="branches.organization",
                    ),
                ),
                ("active", models.IntegerField(default=0)),
            ],
            options={"verbose_name": "member count"},
        ),
        migrations.RunPython(forward, backward),
    ]
