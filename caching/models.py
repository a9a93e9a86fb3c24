"""A row whose value changes, in the same transaction, whenever a table the dashboards read is
written. Cached figures are keyed by it (`caching.figures`): a write by any process, the admin, an
import, a bulk builder or a SQL prompt makes the old keys unreachable.

The row is changed by database triggers (migration reports 0004), not by the application, so no
write path can forget it. The value is random, not a counter: a rolled-back transaction or a
restored backup can never bring back a value whose cached figures belong to other data."""

from django.db import models

# The tables the dashboard reads (checked by tests/reports/test_dashboard_cache.py against the
# queries it actually runs). The user table only for the columns a dashboard shows or that grant
# rights: a login (last_login) must not empty every dashboard's cache.
WATCHED_TABLES = [
    "branches_organization",
    "branches_roleassignment",
    "criteria_plan",
    "criteria_plan_targets",
    "pledges_registration",
    "pledges_deadlineextension",
    "pledges_pledge",
    "reports_meeting",
    "reports_review",
    "reports_organizationrating",  # migration reports 0016
]
WATCHED_USER_COLUMNS = ["username", "full_name", "email", "is_active", "is_superuser", "is_staff"]


# Migration reports 0005: a second row, for the member counts of the organization pages.
MEMBERS_WATCHED_TABLES = ["branches_member", "branches_organization"]


# Migration reports 0006: a third row, for the summary pages (reports.summaries.views): the tables
# `summary_data` reads (checked by tests/reports/test_summary_cache.py against its queries).
SUMMARY_WATCHED_TABLES = [
    "branches_member",
    "branches_organization",
    "criteria_criterion",
    "criteria_indicator",
    "criteria_plan",
    "criteria_plan_targets",
    "pledges_pledge",
    "pledges_registration",
    "pledges_signature",
    "reports_memberrating",
    "reports_nomination",
    "reports_review",
    "reports_reviewscore",
    "reports_organizationrating",  # migration reports 0016
    "reports_recognitiondecision",  # migration reports 0023: the work queue reads it
    "reports_selfreview",  # migration reports 0024: the work queue reads them
    "reports_reviewround",
]


# Issue 21: versions per commune. A write to one of these tables is attributed to the unit of the
# organization it belongs to — the organization's ancestor at UNIT_DEPTH (a province committee's
# children: its commune-level committees and block committees) — and changes only that unit's row
# of `UnitVersion` for the scopes it is watched under, not the whole-database row. Figures of a
# commune are keyed by its own unit and the rows above it (caching.figures), so a secretary signing
# in one commune leaves every other commune's cached figures valid. Each value is a SQL expression
# of the row R (NEW or OLD in the triggers) giving its organization's id; NULL, or an organization
# gone by the time the trigger runs, falls back to the whole-database row (never less safe than
# before). The tables left out (organizations, roles, plans and their criteria, users) change
# rarely and change what a page shows across units: they keep the whole-database row.
# Frozen copies live in migration reports 0026; a test checks they agree.
UNIT_DEPTH = 2
_REGISTRATION = "(SELECT organization_id FROM pledges_registration WHERE id = {r})"
_REVIEW = (
    "(SELECT g.organization_id FROM reports_review v JOIN pledges_registration g"
    " ON g.id = v.registration_id WHERE v.id = {r})"
)
_PLEDGE = (
    "(SELECT g.organization_id FROM pledges_pledge p JOIN pledges_registration g"
    " ON g.id = p.registration_id WHERE p.id = {r})"
)
UNIT_TABLES: dict[str, tuple[tuple[int, ...], str]] = {
    "branches_member": ((2, 3), "R.branch_id"),
    "pledges_registration": ((1, 3), "R.organization_id"),
    "pledges_deadlineextension": ((1,), "R.organization_id"),
    "pledges_pledge": ((1, 3), _REGISTRATION.format(r="R.registration_id")),
    # A signature names its document by content type: the documents signed in a unit.
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


class DataVersion(models.Model):
    DASHBOARD = 1  # the tables above
    MEMBERS = 2  # MEMBERS_WATCHED_TABLES
    SUMMARY = 3  # SUMMARY_WATCHED_TABLES

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    value = models.BigIntegerField(default=0)

    class Meta:
        db_table = "reports_dataversion"
        verbose_name = "data version"

    def __str__(self):
        return str(self.value)


class UnitVersion(models.Model):
    """A unit's row of a data version (UNIT_TABLES above): `unit` is the path of the
    organization at UNIT_DEPTH (or of a shallower one, for a write attributed to it), `root` the
    path of the province committee above it. Written by the triggers of migration reports 0026,
    never by the application; the value is random, like DataVersion's."""

    scope = models.PositiveSmallIntegerField()
    unit = models.CharField(max_length=255)
    root = models.CharField(max_length=255)
    value = models.BigIntegerField()

    class Meta:
        verbose_name = "unit data version"
        constraints = [
            models.UniqueConstraint(fields=["scope", "unit"], name="unit_version_once"),
        ]
        indexes = [models.Index(fields=["scope", "root"], name="unit_version_root")]

    def __str__(self):
        return f"{self.scope}:{self.unit}={self.value}"
