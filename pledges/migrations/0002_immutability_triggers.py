"""On PostgreSQL the database itself refuses to change a signed pledge: its targets and
commitments cannot be updated or deleted, a signature row can never be updated or deleted, and a
signed version's status only moves forward (signed → accepted/returned/superseded,
accepted → superseded), never back to draft.

INSERT is left alone so that a restore (loaddata, pg_restore) can write rows back; what was signed
is the canonical content stored in the signature, which nothing can alter."""

from django.db import migrations

FORWARD = r"""
CREATE OR REPLACE FUNCTION bontot_refuse(message text) RETURNS void AS $$
BEGIN
    RAISE EXCEPTION 'bontot: %', message USING ERRCODE = 'check_violation';
END $$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION bontot_pledge_part_frozen() RETURNS trigger AS $$
DECLARE old_status text;
DECLARE new_status text;
BEGIN
    SELECT status INTO old_status FROM pledges_pledge WHERE id = OLD.pledge_id;
    IF old_status IS DISTINCT FROM 'draft' THEN
        PERFORM bontot_refuse(format('pledge %s is signed; %s of %s refused', OLD.pledge_id, lower(TG_OP), TG_TABLE_NAME));
    END IF;
    IF TG_OP = 'UPDATE' THEN
        SELECT status INTO new_status FROM pledges_pledge WHERE id = NEW.pledge_id;
        IF new_status IS DISTINCT FROM 'draft' THEN
            PERFORM bontot_refuse(format('pledge %s is signed; moving rows into it refused', NEW.pledge_id));
        END IF;
        RETURN NEW;
    END IF;
    RETURN OLD;
END $$ LANGUAGE plpgsql;

CREATE TRIGGER pledgetarget_frozen BEFORE UPDATE OR DELETE ON pledges_pledgetarget
    FOR EACH ROW EXECUTE FUNCTION bontot_pledge_part_frozen();
CREATE TRIGGER pledgecommitment_frozen BEFORE UPDATE OR DELETE ON pledges_pledgecommitment
    FOR EACH ROW EXECUTE FUNCTION bontot_pledge_part_frozen();

CREATE OR REPLACE FUNCTION bontot_signature_frozen() RETURNS trigger AS $$
BEGIN
    PERFORM bontot_refuse(format('signature %s is evidence; %s refused', OLD.id, lower(TG_OP)));
    RETURN NULL;
END $$ LANGUAGE plpgsql;

CREATE TRIGGER signature_frozen BEFORE UPDATE OR DELETE ON pledges_signature
    FOR EACH ROW EXECUTE FUNCTION bontot_signature_frozen();

CREATE OR REPLACE FUNCTION bontot_pledge_transition() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF OLD.status <> 'draft' THEN
            PERFORM bontot_refuse(format('pledge %s is signed; delete refused', OLD.id));
        END IF;
        RETURN OLD;
    END IF;
    IF OLD.status = 'draft' THEN
        RETURN NEW;
    END IF;
    IF NEW.registration_id <> OLD.registration_id OR NEW.version <> OLD.version OR NEW.created_at <> OLD.created_at THEN
        PERFORM bontot_refuse(format('pledge %s is signed; its identity cannot change', OLD.id));
    END IF;
    IF NOT (
        NEW.status = OLD.status
        OR (OLD.status = 'signed' AND NEW.status IN ('accepted', 'returned', 'superseded'))
        OR (OLD.status = 'accepted' AND NEW.status = 'superseded')
    ) THEN
        PERFORM bontot_refuse(format('pledge %s: %s to %s refused', OLD.id, OLD.status, NEW.status));
    END IF;
    IF OLD.status IN ('returned', 'superseded') AND NEW.return_reason IS DISTINCT FROM OLD.return_reason THEN
        PERFORM bontot_refuse(format('pledge %s: the return reason is part of the record', OLD.id));
    END IF;
    RETURN NEW;
END $$ LANGUAGE plpgsql;

CREATE TRIGGER pledge_transition BEFORE UPDATE OR DELETE ON pledges_pledge
    FOR EACH ROW EXECUTE FUNCTION bontot_pledge_transition();
"""

BACKWARD = r"""
DROP TRIGGER IF EXISTS pledge_transition ON pledges_pledge;
DROP TRIGGER IF EXISTS signature_frozen ON pledges_signature;
DROP TRIGGER IF EXISTS pledgecommitment_frozen ON pledges_pledgecommitment;
DROP TRIGGER IF EXISTS pledgetarget_frozen ON pledges_pledgetarget;
DROP FUNCTION IF EXISTS bontot_pledge_transition();
DROP FUNCTION IF EXISTS bontot_signature_frozen();
DROP FUNCTION IF EXISTS bontot_pledge_part_frozen();
DROP FUNCTION IF EXISTS bontot_refuse(text);
"""


def _run(schema_editor, sql):
    # A plain cursor: the SQL holds literal % signs (format()), which must not be read as
    # parameter placeholders.
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(sql)


def forward(apps, schema_editor):
    _run(schema_editor, FORWARD)


def backward(apps, schema_editor):
    _run(schema_editor, BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("pledges", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
