"""Data versions per unit (issue 21): a write in one commune no longer makes every cached figure
in the province unreachable.

The tables of UNIT_TABLES (caching.models; frozen here, as a migration must be) lose their
per-row triggers on the whole-database rows (reports 0004–0024) and get one per-row trigger that
finds the organization the row belongs to and gives a new random value to that organization's
unit row of `caching_unitversion`, for each scope the table is watched under. The unit is the
organization's ancestor at depth UNIT_DEPTH (a province's commune-level and block committees): its
path's first UNIT_DEPTH steps. A row whose organization cannot be found (a NULL, or an
organization deleted in the same transaction) changes the whole-database row, as before. TRUNCATE
keeps its statement triggers on the whole-database rows.

PostgreSQL: deferred constraint triggers, as 0004: the unit row is written at COMMIT, once per
transaction, unit and scope (a transaction-local setting remembers which), in the writer's
transaction. SQLite: per-row triggers, an UPSERT and a fallback UPDATE."""

import secrets

from django.db import migrations

STEPLEN = 4  # branches.Organization.steplen
UNIT_DEPTH = 2
ROW_TRIGGERS = {
    1: "bontot_data_version",
    2: "bontot_data_version_members",
    3: "bontot_data_version_summary",
}

_REGISTRATION = "(SELECT organization_id FROM pledges_registration WHERE id = {r})"
_REVIEW = (
    "(SELECT g.organization_id FROM reports_review v JOIN pledges_registration g"
    " ON g.id = v.registration_id WHERE v.id = {r})"
)
_PLEDGE = (
    "(SELECT g.organization_id FROM pledges_pledge p JOIN pledges_registration g"
    " ON g.id = p.registration_id WHERE p.id = {r})"
)
UNIT_TABLES = {
    "branches_member": ((2, 3), "R.branch_id"),
    "pledges_registration": ((1, 3), "R.organization_id"),
    "pledges_deadlineextension": ((1,), "R.organization_id"),
    "pledges_pledge": ((1, 3), _REGISTRATION.format(r="R.registration_id")),
    "pledges_signature": (
        (3,),
        "(SELECT CASE t.app_label || '.' || t.model"
        f" WHEN 'pledges.pledge' THEN {_PLEDGE.format(r='R.object_id')}"
        f" WHEN 'reports.review' THEN {_REVIEW.format(r='R.object_id')}"
        " WHEN 'reports.selfreview' THEN"
        " (SELECT branch_id FROM reports_selfreview WHERE id = R.object_id)"
        " WHEN 'reports.collectivereport' THEN"
        " (SELECT organization_id FROM reports_collectivereport WHERE id = R.object_id)"
        " END FROM django_content_type t WHERE t.id = R.content_type_id)",
    ),
    "reports_meeting": ((1,), "R.branch_id"),
    "reports_review": ((1, 3), _REGISTRATION.format(r="R.registration_id")),
    "reports_reviewscore": ((3,), _REVIEW.format(r="R.review_id")),
    "reports_organizationrating": ((1, 3), "R.organization_id"),
    "reports_memberrating": ((3,), "R.branch_id"),
    "reports_nomination": (
        (3,),
        "COALESCE(R.organization_id,"
        " (SELECT branch_id FROM branches_member WHERE id = R.member_id))",
    ),
    "reports_recognitiondecision": ((3,), "R.issuer_id"),
    "reports_selfreview": ((3,), "R.branch_id"),
    "reports_reviewround": ((3,), "R.committee_id"),
}

PG_BUMP = f"""
CREATE OR REPLACE FUNCTION bontot_bump_unit(scopes int[], org bigint) RETURNS void AS $$
DECLARE
    stamp text := txid_current()::text || '/' || statement_timestamp()::text;
    done text := current_setting('bontot.unit_bumps', true);
    p text;
    key text;
    s int;
    token text;
BEGIN
    IF done IS NULL OR split_part(done, '|', 1) <> stamp THEN
        done := stamp || '|,';
    END IF;
    IF org IS NOT NULL THEN
        SELECT path INTO p FROM branches_organization WHERE id = org;
    END IF;
    key := CASE WHEN p IS NULL THEN '*' ELSE substr(p, 1, {STEPLEN * UNIT_DEPTH}) END;
    FOREACH s IN ARRAY scopes LOOP
        token := s::text || ':' || key || ',';
        CONTINUE WHEN position(',' || token IN done) > 0;
        IF p IS NULL THEN
            UPDATE reports_dataversion SET value = floor(random() * 9e15)::bigint WHERE id = s;
        ELSE
            INSERT INTO caching_unitversion (scope, unit, root, value)
            VALUES (s, key, substr(p, 1, {STEPLEN}), floor(random() * 9e15)::bigint)
            ON CONFLICT (scope, unit) DO UPDATE SET value = EXCLUDED.value;
        END IF;
        done := done || token;
    END LOOP;
    PERFORM set_config('bontot.unit_bumps', done, true);
END $$ LANGUAGE plpgsql;
"""


def _pg_function(table, scopes, expression):
    array = "ARRAY[" + ", ".join(str(s) for s in scopes) + "]"
    new, old = expression.replace("R.", "NEW."), expression.replace("R.", "OLD.")
    return f"""
CREATE OR REPLACE FUNCTION bontot_unit_version_{table}() RETURNS trigger AS $$
DECLARE
    n bigint;
    o bigint;
BEGIN
    IF TG_OP <> 'DELETE' THEN
        n := {new};
        PERFORM bontot_bump_unit({array}, n);
    END IF;
    IF TG_OP <> 'INSERT' THEN
        o := {old};
        IF TG_OP = 'DELETE' OR o IS DISTINCT FROM n THEN
            PERFORM bontot_bump_unit({array}, o);
        END IF;
    END IF;
    RETURN NULL;
END $$ LANGUAGE plpgsql;
"""


def sqlite_triggers() -> dict[str, str]:
    """{name: CREATE TRIGGER} of the unit triggers on SQLite (also read by
    `_data_version_triggers.current`)."""
    statements = {}
    length = STEPLEN * UNIT_DEPTH
    for table, (scopes, expression) in UNIT_TABLES.items():
        for op in ("INSERT", "UPDATE", "DELETE"):
            rows = {"INSERT": ["NEW"], "UPDATE": ["NEW", "OLD"], "DELETE": ["OLD"]}[op]
            body = []
            for row in rows:
                org = expression.replace("R.", f"{row}.")
                for s in scopes:
                    body.append(
                        "INSERT INTO caching_unitversion (scope, unit, root, value)"
                        f" SELECT {s}, substr(o.path, 1, {length}), substr(o.path, 1, {STEPLEN}),"
                        f" abs(random()) FROM branches_organization o WHERE o.id = ({org})"
                        " ON CONFLICT (scope, unit) DO UPDATE SET value = excluded.value;"
                    )
                    body.append(
                        f"UPDATE reports_dataversion SET value = abs(random()) WHERE id = {s}"
                        f" AND NOT EXISTS (SELECT 1 FROM branches_organization o WHERE o.id = ({org}));"
                    )
            name = f"bontot_unit_version_{table}_{op.lower()}"
            statements[name] = (
                f"CREATE TRIGGER IF NOT EXISTS {name} AFTER {op} ON {table} BEGIN {' '.join(body)} END"
            )
    return statements


def _drop_row_triggers(schema_editor, vendor, table, scopes):
    for s in scopes:
        name = ROW_TRIGGERS[s]
        if vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
        else:
            for op in ("insert", "update", "delete"):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}_{table}_{op}")


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_BUMP, params=None)
    for table, (scopes, expression) in UNIT_TABLES.items():
        _drop_row_triggers(schema_editor, vendor, table, scopes)
        if vendor == "postgresql":
            schema_editor.execute(_pg_function(table, scopes, expression), params=None)
            schema_editor.execute(
                "CREATE CONSTRAINT TRIGGER bontot_unit_version AFTER INSERT OR UPDATE OR DELETE "
                f"ON {table} DEFERRABLE INITIALLY DEFERRED "
                f"FOR EACH ROW EXECUTE FUNCTION bontot_unit_version_{table}()"
            )
    if vendor == "sqlite":
        for statement in sqlite_triggers().values():
            schema_editor.execute(statement)
    # Every figure cached before is keyed without units: make them unreachable.
    for s in ROW_TRIGGERS:
        schema_editor.execute(
            "UPDATE reports_dataversion SET value = %s WHERE id = %s",
            params=[secrets.randbelow(2**53), s],
        )


def backward(apps, schema_editor):
    """The whole-database triggers back on these tables, as 0004–0024 made them."""
    vendor = schema_editor.connection.vendor
    for table, (scopes, _expression) in UNIT_TABLES.items():
        if vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS bontot_unit_version ON {table}")
            schema_editor.execute(f"DROP FUNCTION IF EXISTS bontot_unit_version_{table}()")
            for s in scopes:
                schema_editor.execute(
                    f"CREATE CONSTRAINT TRIGGER {ROW_TRIGGERS[s]} AFTER INSERT OR UPDATE OR DELETE "
                    f"ON {table} DEFERRABLE INITIALLY DEFERRED "
                    f"FOR EACH ROW EXECUTE FUNCTION bontot_bump_data_version_row({s})"
                )
        else:
            for op in ("insert", "update", "delete"):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS bontot_unit_version_{table}_{op}")
    if vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS bontot_bump_unit(int[], bigint)")
    else:
        from reports.migrations import _data_version_triggers

        _data_version_triggers.ensure_sqlite(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0025_sqlite_triggers_after_registration_year"),
        ("caching", "0002_unitversion"),
        ("partydocs", "0002_congress_term"),
        ("branches", "0010_trigram_search"),
    ]

    operations = [migrations.RunPython(forward, backward)]
