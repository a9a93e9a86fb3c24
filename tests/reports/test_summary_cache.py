"""The summary page's figures are cached under their own data version (reports 0006), which
database triggers change in the writer's transaction: a score, a finalization, a name or a raw
update shows on the next request, and the triggers cover every table the summary reads. Real
database, no mocks; run on SQLite and PostgreSQL."""

import re
from decimal import Decimal
from importlib import import_module

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from branches.models import Organization
from caching.figures import data_version
from caching.models import SUMMARY_WATCHED_TABLES, WATCHED_TABLES, DataVersion
from reports.reviews import services as reviews
from reports.reviews.models import Review, ReviewScore
from reports.summaries.selectors import SummaryFilters, summary_data
from reports.summaries.views import _fingerprint
from tests.reports.helpers import assess, decide_quality, fill_and_submit

TABLE = re.compile(r'(?:FROM|JOIN)\s+"(\w+)"', re.IGNORECASE)


@pytest.fixture
def submitted(world, signed_registration):
    return fill_and_submit(world, signed_registration, Decimal("0.9"))


def _page(client, review, **query):
    plan = review.registration.plan
    url = reverse("reports:summary", args=[plan.pk])
    response = client.get(url, {"year": plan.start_year, "round": "final", **query})
    assert response.status_code == 200
    return response.content.decode()


def _figures(client, review, **query) -> str:
    """The cached part of the page (the rest holds the CSRF tokens)."""
    plan = review.registration.plan
    url = reverse("reports:summary", args=[plan.pk])
    response = client.get(url, {"year": plan.start_year, "round": "final", **query})
    return str(response.context["figures_html"])


def _queries(client, review) -> int:
    with CaptureQueriesContext(connection) as context:
        _page(client, review)
    return len(context.captured_queries)


def test_a_warm_summary_is_served_without_computing_it_again(world, submitted, login):
    client = login(world.users["leader"])
    cold = _queries(client, submitted)
    warm = _queries(client, submitted)
    assert warm < cold - 8  # summary_data alone runs more than ten queries
    assert _figures(client, submitted) == _figures(client, submitted)
    # Another filter is another key, computed, and the filter holds.
    assert "Chi bộ thôn Phú Lộc" in _figures(client, submitted)
    assert "Chi bộ thôn Phú Lộc" not in _figures(client, submitted, q="Hương Mao")


def test_assessing_finalizing_and_a_raw_update_show_at_once(world, submitted, login):
    client = login(world.users["leader"])
    assert "Đã nộp, chờ thẩm định" in _page(client, submitted)

    review = assess(world, submitted)
    page = _page(client, review)
    assert "Đã thẩm định" in page and "Đã nộp, chờ thẩm định" not in page

    reviews.review_finalize(actor=world.users["leader"], review=review)
    page = _page(client, review)
    assert "Đã chốt kết quả" in page
    # The quality rating is decided apart from the model: the summary shows it at once (in the
    # organization's row, besides the filter's option and the chart's legend).
    before = page.count("Hoàn thành tốt nhiệm vụ")
    decide_quality(world, review.registration.organization, review.year)
    page = _page(client, review)
    assert page.count("Hoàn thành tốt nhiệm vụ") == before + 1
    assert 'fw-semibold">90</td>' in page  # the row's assessed total

    # No service, no signal: straight to the tables, as a SQL prompt would.
    ReviewScore.objects.filter(review=review).update(assessed_score=0)
    page = _page(client, review)
    assert 'fw-semibold">0</td>' in page and 'fw-semibold">90</td>' not in page
    Organization.objects.filter(pk=world.branch_a.pk).update(name="Chi bộ thôn Đổi Tên")
    assert "Chi bộ thôn Đổi Tên" in _page(client, review)


def test_an_issued_report_sees_a_later_change_through_the_cache(world, submitted, login):
    plan = submitted.registration.plan
    before = _fingerprint(plan, plan.start_year, "final", "")
    assert before == _fingerprint(plan, plan.start_year, "final", "")
    Review.objects.filter(pk=submitted.pk).update(status=Review.Status.RETURNED)
    assert _fingerprint(plan, plan.start_year, "final", "") != before


def test_score_entry_leaves_the_dashboard_cache_alone(world, submitted):
    dashboard, summary = data_version(DataVersion.DASHBOARD), data_version(DataVersion.SUMMARY)
    ReviewScore.objects.filter(review=submitted).update(self_score=1)
    assert data_version(DataVersion.SUMMARY) != summary
    assert data_version(DataVersion.DASHBOARD) == dashboard
    assert "reports_reviewscore" not in WATCHED_TABLES


@pytest.mark.parametrize(
    "filters",
    [
        SummaryFilters(),
        SummaryFilters(reached="yes", level="excellent", q="phú", sort="-total"),
        SummaryFilters(scope_path="x"),  # replaced by the commune's path below
    ],
)
def test_the_triggers_cover_every_table_the_summary_reads(world, submitted, filters):
    review = assess(world, submitted)
    reviews.review_finalize(actor=world.users["leader"], review=review)
    plan = review.registration.plan
    if filters.scope_path:
        filters = SummaryFilters(scope_path=world.committee.path)
    with CaptureQueriesContext(connection) as context:
        summary_data(plan, plan.start_year, "final", filters).fingerprint()
        summary_data(plan, plan.start_year - 1, "interim", filters)
    read = {t for q in context.captured_queries for t in TABLE.findall(q["sql"])}
    # Content types are made by migrations and never change.
    assert read - {"django_content_type"} <= set(SUMMARY_WATCHED_TABLES), read - set(
        SUMMARY_WATCHED_TABLES
    )
    migration = import_module("reports.migrations.0006_dataversion_summary")
    added = import_module("reports.migrations.0016_dataversion_organization_rating")
    decisions = import_module("reports.migrations.0023_dataversion_recognition_decision")
    self_reviews = import_module("reports.migrations.0024_dataversion_self_reviews")
    assert (
        migration.TABLES + added.TABLES + decisions.TABLES + self_reviews.TABLES
        == SUMMARY_WATCHED_TABLES
    )
