"""On PostgreSQL a registration with a signed pledge keeps its plan and organization: otherwise
an UPDATE (or the admin) could move the signed documents under another organization's name, and
the public verification page would show them there. The rows of a signed self-assessment keep
their registration, year and round in the same way. Registration.save refuses it on every
database; this makes a plain SQL UPDATE refuse it too."""

from django.db import migrations

FORWARD = r"""
CREATE OR REPLACE FUNCTION bontot_registration_identity() RETURNS trigger AS $$
BEGIN
    IF (NEW.plan_id <> OLD.plan_id OR NEW.organization_id <> OLD.organization_id)
       AND EXISTS (SELECT 1 FROM pledges_pledge WHERE registration_id = OLD.id AND status <> 'draft') THEN
        PERFORM bontot_refuse(format('registration %s has a signed pledge; its plan and organization cannot change', OLD.id));
    END IF;
    RETURN NEW;
END $$ LANGUAGE plpgsql;

CREATE TRIGGER registration_identity BEFORE UPDATE ON pledges_registration
    FOR EACH ROW EXECUTE FUNCTION bontot_registration_identity();

CREATE OR REPLACE FUNCTION bontot_review_identity() RETURNS trigger AS $$
BEGIN
    IF (NEW.registration_id <> OLD.registration_id OR NEW.year <> OLD.year OR NEW.round <> OLD.round)
       AND EXISTS (
           SELECT 1 FROM pledges_signature s JOIN django_content_type t ON t.id = s.content_type_id
           WHERE t.app_label = 'reports' AND t.model = 'review' AND s.object_id = OLD.id
       ) THEN
        PERFORM bontot_refuse(format('review %s is signed; what it is the review of cannot change', OLD.id));
    END IF;
    RETURN NEW;
END $$ LANGUAGE plpgsql;

CREATE TRIGGER review_identity BEFORE UPDATE ON reports_review
    FOR EACH ROW EXECUTE FUNCTION bontot_review_identity();
"""

BACKWARD = r"""
DROP TRIGGER IF EXISTS registration_identity ON pledges_registration;
DROP FUNCTION IF EXISTS bontot_registration_identity();
DROP TRIGGER IF EXISTS review_identity ON reports_review;
DROP FUNCTION IF EXISTS bontot_review_identity();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("pledges", "0004_signature_moved_to_partydocs"),
        ("reports", "0008_history_reasons_coded"),
    ]

    operations = [migrations.RunPython(forward, backward)]
