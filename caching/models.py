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
]


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
