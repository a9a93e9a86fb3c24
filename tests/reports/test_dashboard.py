"""Dashboards: figures equal direct counts; queries do not grow with the number of organizations."""

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from branches.models import Organization, User
from pledges.models import Pledge, Registration
from reports.reviews.models import Review


@pytest.fixture
def demo(db, settings):
    from django.core.management import call_command

    settings.DEMO_MODE = True
    call_command("load_demo", stdout=io.StringIO())


def test_dashboard_figures_equal_a_direct_count_over_the_demo(demo, client):
    leader = User.objects.get(username="lanhdao.quephu")
    client.force_login(leader)
    page = client.get(reverse("home"), {"year": 2023})
    plan = page.context["plans"][0]
    registrations = Registration.objects.filter(plan=plan, status="registered")
    assert plan.n_targets == plan.targets.count() == 15
    assert plan.n_registered == registrations.count() == 15
    assert (
        plan.n_signed
        == Pledge.objects.filter(
            registration__in=registrations, status__in=["signed", "accepted"]
        ).count()
        == 12
    )
    assert (
        plan.n_accepted
        == Pledge.objects.filter(registration__in=registrations, status="accepted").count()
        == 9
    )
    assert (
        plan.n_self_assessed
        == Review.objects.filter(
            registration__plan=plan, year=2023, status__in=["submitted", "assessed", "finalized"]
        ).count()
        == 6
    )
    assert (
        plan.n_assessed
        == Review.objects.filter(registration__plan=plan, year=2023, status="assessed").count()
        == 3
    )
    # Everyone not registered or not signed after the deadline is listed, with the secretary.
    late = page.context["overdue"]
    assert (
        page.context["overdue_total"] == 15
    )  # 3 unsigned + 12 without a submitted review by the deadlines
    unsigned = {o.organization.name for o in late if o.what == "Chưa ký cam kết"}
    assert unsigned == {
        r.organization.name
        for r in registrations.exclude(pledges__status__in=["signed", "accepted"])
    }
    assert all(o.secretaries for o in late)


def test_official_rollup_and_drill_down(demo, client):
    client.force_login(User.objects.get(username="theodoi.vinhphuc"))
    page = client.get(reverse("home"), {"year": 2022})
    rows = {r.organization.code: r for r in page.context["rollup"]}
    vptu = rows["VP.VPTU"]
    assert (vptu.targets, vptu.registered, vptu.signed, vptu.finalized, vptu.reached) == (
        6,
        6,
        6,
        6,
        6,
    )
    drilled = client.get(
        reverse("home"), {"year": 2022, "org": Organization.objects.get(code="VP.VPTU").pk}
    )
    assert (
        sum(r.reached for r in drilled.context["rollup"]) == 6
        and len(drilled.context["rollup"]) == 6
    )
    # An official cannot drill outside the subtree they follow.
    assert (
        client.get(reverse("home"), {"org": Organization.objects.get(code="QS").pk}).status_code
        == 404
    )


def test_secretary_sees_what_to_do_next(demo, client):
    client.force_login(
        User.objects.get(username="bithu.quephu14")
    )  # a branch that has not signed yet
    queue = client.get(reverse("home")).context["queue"]
    texts = [item.title for group in queue for item in group.items]
    assert "Nhập mức cam kết và ký — Kế hoạch 98-KH/ĐU" in texts


def _grow(world, plan, n):
    """n more branches under the committee, targets of the plan, registered."""
    from pledges.models import Registration

    parent = Organization.objects.get(pk=world.committee.pk)
    start = parent.numchild
    orgs = []
    for i in range(start, start + n):
        org = Organization(
            name=f"Chi bộ số {i}",
            kind="branch",
            code=f"QS.QP.G{i}",
            depth=parent.depth + 1,
            path=Organization._get_path(parent.path, parent.depth + 1, i + 1),
        )
        org.set_derived_fields()
        orgs.append(org)
    Organization.objects.bulk_create(orgs)
    Organization.objects.filter(pk=parent.pk).update(numchild=start + n)
    plan.targets.add(*orgs)
    Registration.objects.bulk_create(
        Registration(
            plan=plan,
            organization=o,
            year=plan.start_year,
            registered_at=datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC),
            registered_by=world.users["staff"],
        )
        for o in orgs
    )


@pytest.mark.parametrize("username", ["leader", "official", "secretary_own"])
def test_dashboard_queries_equal_at_10_and_1000_organizations(world, live_plan, login, username):
    client = login(world.users[username])

    def count():
        with CaptureQueriesContext(connection) as context:
            assert client.get(reverse("home")).status_code == 200
        return len(context.captured_queries)

    client.get(reverse("home"))  # the session's first visit keeps the year shown, once
    _grow(world, live_plan, 10)
    small = count()
    _grow(world, live_plan, 990)
    assert count() == small


def test_every_table_exports_to_excel(demo, client):
    """Vietnamese headers, dates as dates, numbers as numbers."""
    from openpyxl import load_workbook

    from criteria.models import Plan
    from tests.sheets import table

    client.force_login(User.objects.get(username="lanhdao.quephu"))
    plan = Plan.objects.get(sequence=98)
    branch = Organization.objects.get(code="QS.QP.01")
    urls = [
        (reverse("home") + "?year=2023&format=xlsx", "Kế hoạch"),
        (reverse("criteria:plan_list") + "?format=xlsx", "Số"),
        (reverse("reports:meeting_list", args=[branch.pk]) + "?year=2023&format=xlsx", "Ngày"),
        (
            reverse("reports:branch_ratings", args=[branch.pk]) + "?year=2023&format=xlsx",
            "Họ và tên",
        ),
        (
            reverse("reports:plan_reviews", args=[plan.pk])
            + "?year=2023&round=interim&format=xlsx",
            "Tổ chức",
        ),
    ]
    for url, first_header in urls:
        response = client.get(url)
        assert response["Content-Type"].startswith("application/vnd.openxmlformats"), url
        sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
        assert table(sheet)[0][0] == first_header, url
        assert sheet.title[0].isupper() and "final" not in sheet.title, url  # Vietnamese names
    meetings = table(load_workbook(io.BytesIO(client.get(urls[2][0]).content)).worksheets[0])
    assert isinstance(meetings[1][0], datetime.datetime) and isinstance(meetings[1][3], int)
    overdue = load_workbook(io.BytesIO(client.get(urls[0][0]).content))["Quá hạn"]
    assert len(table(overdue)) - 1 == 15
