"""The year pages open on (issue 19, item 1): the plan years in progress for the user's
organizations, whatever the calendar says — never an empty January or a late branch vanishing;
the switcher lists every year with data; an empty year says so and links to the latest one."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from branches.models import User
from criteria.models import Plan
from reports.reviews import services as reviews
from reports.reviews.models import Review
from reports.reviews.progress import plan_years_in_progress, round_in_progress
from reports.summaries.years import years_for
from tests.factories import staff
from tests.reports.helpers import assess, decide_members, fill_and_submit


def test_a_year_stays_in_progress_until_every_final_review_is_finalized(world, signed_registration):
    plan = signed_registration.plan
    year = plan.start_year
    next_january = datetime.date(year + 1, 1, 10)
    # In January the year before is still the work in progress: its final review is not done.
    assert [(p.plan, p.year) for p in plan_years_in_progress([plan], today=next_january)] == [
        (plan, year)
    ]
    review = assess(world, fill_and_submit(world, signed_registration, Decimal("0.9")))
    assert plan_years_in_progress([plan], today=next_january)  # assessed, not finalized
    decide_members(world, world.branch_a, year)
    reviews.review_finalize(actor=world.users["leader"], review=review)
    assert plan_years_in_progress([plan], today=next_january) == []
    # A closed plan is over whatever its reviews.
    assert plan_years_in_progress([Plan(status=Plan.Status.CLOSED)]) == []


def test_a_phase_plan_counts_each_year_that_has_begun_and_its_first_year_at_once(world):
    from criteria import services

    plan = services.plan_create(
        actor=world.users["staff"],
        issuer=world.committee,
        model="branch",
        issue_date=datetime.date(2026, 12, 1),
        start_year=2027,
        end_year=2030,
        registration_deadline=datetime.date(2026, 12, 20),
        signing_deadline=datetime.date(2026, 12, 30),
        final_review_deadline=datetime.date(2027, 12, 15),
        signer_name="Nguyễn Văn Định",
    )
    services.plan_publish(actor=staff(), plan=plan)
    # Issued in December for next year: registration is open, so 2027 is in progress already.
    assert [p.year for p in plan_years_in_progress([plan], today=datetime.date(2026, 12, 6))] == [
        2027
    ]
    assert [p.year for p in plan_years_in_progress([plan], today=datetime.date(2029, 3, 1))] == [
        2027,
        2028,
        2029,
    ]


def test_the_round_in_progress_is_the_interim_until_the_final_begins(world, plan):
    from criteria import services
    from pledges import services as pledges
    from tests.conftest import sign_pledge_directly
    from tests.reports.helpers import open_review

    services.plan_publish(actor=staff(), plan=plan)
    assert round_in_progress(plan, 2023) == Review.Round.INTERIM
    registration = pledges.registration_register(
        actor=world.users["staff"],
        plan=plan,
        organization=world.branch_a,
        late_reason="Chi bộ họp muộn",
    )
    sign_pledge_directly(
        world, registration, now=timezone.make_aware(datetime.datetime(2023, 8, 20))
    )
    open_review(world, registration, round=Review.Round.FINAL)
    assert round_in_progress(plan, 2023) == Review.Round.FINAL


@pytest.fixture
def demo(db, settings, capsys):
    """The demo, loaded as `make run` does — and its output is the list of accounts only: no
    e-mail printed (mail goes to the outbox, even with the console backend), no debug output."""
    settings.DEMO_MODE = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    printed = capsys.readouterr().out + out.getvalue()
    assert "MIME-Version" not in printed and "Content-Type" not in printed
    assert printed.startswith("Đã nạp dữ liệu mẫu.")


def test_every_start_page_of_the_demo_opens_on_a_year_in_progress(demo, client):
    """Today is years after the demo's data: each role still lands on the work in progress, the
    switcher offers every year with data (Vĩnh Phúc's 2022 included), and the lists follow."""
    this_year = timezone.localdate().year
    assert this_year > 2025  # the demo's plans are over: the calendar year would be empty

    client.force_login(User.objects.get(username="lanhdao.quephu"))
    page = client.get(reverse("home"))
    assert page.context["year"] == 2023
    assert page.context["plans"][0].n_signed == 12  # the figures of 2023, not zeros
    assert [o.what for o in page.context["overdue"]]  # overdue items of an earlier year
    # The plan's pages open on the year and the round in progress: 2023, the interim round.
    reviews_page = client.get(reverse("reports:plan_reviews", args=[page.context["plans"][0].pk]))
    assert (reviews_page.context["year"], reviews_page.context["round"]) == (2023, "interim")

    client.force_login(User.objects.get(username="lanhdao.vpvp"))
    page = client.get(reverse("home"))
    years = years_for(User.objects.get(username="lanhdao.vpvp"))
    assert years.with_data == [2022, 2023, 2024, 2025]  # 2022, done, is still offered
    assert years.in_progress_years == {2023, 2024, 2025}  # the phase plan's later years
    assert page.context["year"] == 2025
    html = page.content.decode()
    assert 'href="?year=2022"' in html and "(đang thực hiện)" in html
    # The year the start page showed is the one the next pages open on.
    branch = User.objects.get(username="bithu.tonghop").role_assignments.get().organization
    assert client.get(reverse("reports:meeting_list", args=[branch.pk])).context["year"] == 2025
    assert client.get(reverse("home"), {"year": 2022}).context["year"] == 2022
    assert client.get(reverse("reports:meeting_list", args=[branch.pk])).context["year"] == 2022

    # A year without data says so, and links to the year in progress.
    empty = client.get(reverse("home"), {"year": 2019}).content.decode()
    assert "Năm 2019 không có kế hoạch nào" in empty and 'href="?year=2025"' in empty

    client.force_login(User.objects.get(username="theodoi.queson"))
    page = client.get(reverse("home"))
    assert page.context["year"] == 2023
    assert sum(r.signed for r in page.context["rollup"]) == 12  # not all zeros

    client.force_login(User.objects.get(username="dv.dinhhuutrung.01"))
    assert client.get(reverse("home"))["Location"] == reverse("reports:my_records") + "?year=2022"
