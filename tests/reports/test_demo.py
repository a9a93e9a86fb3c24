"""The demo data holds the seed's year: Vĩnh Phúc's 2022 final review and Quế Phú's 2023 interim
review half done — and the summary report read back from it says so."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from branches.models import Member, RoleAssignment, User
from criteria.models import Plan
from criteria.rules import Level
from reports.ratings.models import MemberRating, OrganizationRating
from reports.ratings.selectors import committee_level_counts, member_cap_check
from reports.reviews.models import Nomination, Review
from tests.pdf import text


@pytest.fixture
def demo(db, settings):
    settings.DEMO_MODE = True
    call_command("load_demo", stdout=io.StringIO())


def test_the_demo_matches_the_seed_and_the_summary_reads_it_back(demo, client):
    vinh_phuc = Plan.objects.get(issuer__name="Đảng bộ Văn phòng Tỉnh ủy Vĩnh Phúc")
    final = Review.objects.filter(registration__plan=vinh_phuc, year=2022, round="final")
    assert vinh_phuc.targets.count() == 6
    assert final.count() == 6 and final.filter(status="finalized", reached_model=True).count() == 6
    collectives = Nomination.objects.filter(
        plan=vinh_phuc, year=2022, kind="collective", status="approved"
    )
    assert {n.organization.name for n in collectives} == {
        "Chi bộ Tổng hợp",
        "Chi bộ Cơ yếu – Công nghệ thông tin",
    }
    individual = Nomination.objects.get(
        plan=vinh_phuc, year=2022, kind="individual", status="approved"
    )
    secretary = individual.member.user
    assert RoleAssignment.objects.filter(
        user=secretary, organization=individual.member.branch, role="secretary"
    ).exists()
    assert (
        MemberRating.objects.filter(
            branch__path__startswith=vinh_phuc.issuer.path, year=2022, decided_level=Level.EXCELLENT
        ).count()
        == 13
    )
    counts = committee_level_counts(vinh_phuc.issuer, 2022)
    assert (counts.excellent, counts.good_or_better) == (13, 65)  # exactly at the cap
    # 2022 is rated under 132 / HD 21 (the year, not the plan, picks the regulation). Counted as
    # Vĩnh Phúc counted (tốt and above, the demo's setting), 13 of 65 is exactly at the cap; as
    # the text reads (of the 52 rated "tốt"), the page says it is over, with both shares.
    with override_settings(BONTOT_RATING_CAP_BASE="good_or_better"):
        assert member_cap_check(vinh_phuc.issuer, 2022).verdict.ok
    with override_settings(BONTOT_RATING_CAP_BASE="good"):
        verdict = member_cap_check(vinh_phuc.issuer, 2022).verdict
        assert not verdict.ok and "so với 52 hoàn thành tốt nhiệm vụ: 25%" in verdict.reason
    assert vinh_phuc.decisions.get(year=2022).status == "issued"
    # Each branch's 2022 quality rating, a record apart from the model: appraised and decided.
    decided = sorted(
        OrganizationRating.objects.filter(
            organization__path__startswith=vinh_phuc.issuer.path, year=2022
        ).values_list("decided_level", flat=True)
    )
    assert decided == sorted([Level.EXCELLENT] * 2 + [Level.GOOD] * 4)
    # Chi bộ Tổng hợp's members have their own accounts (README: dv.dinhhuutrung.01, 2022
    # "xuất sắc" with 93 points), with no role.
    member_user = User.objects.get(username="dv.dinhhuutrung.01")
    assert not member_user.role_assignments.exists() and not member_user.must_change_password
    rating = MemberRating.objects.get(member__user=member_user, year=2022)
    assert (rating.decided_level, rating.score) == (Level.EXCELLENT, 93)
    assert member_user.member.branch.name == "Chi bộ Tổng hợp"
    assert not Member.objects.filter(
        branch=member_user.member.branch, is_active=True, user__isnull=True
    ).exists()
    # Quế Phú 2023: the interim review half done — some assessed, some submitted, some drafts.
    que_phu = Plan.objects.get(issuer__name="Đảng bộ xã Quế Phú")
    interim = Review.objects.filter(registration__plan=que_phu, year=2023, round="interim")
    statuses = {s: interim.filter(status=s).count() for s in ("draft", "submitted", "assessed")}
    assert all(statuses.values()) and not interim.filter(status="finalized").exists()
    # The summary PDF read back holds the counts and the names.
    client.force_login(User.objects.get(username="lanhdao.vpvp"))
    response = client.get(
        reverse("reports:summary_export", args=[vinh_phuc.pk, "pdf"]) + "?year=2022&round=final"
    )
    assert response["Content-Type"] == "application/pdf"
    body = text(response.content)
    assert "Đã đăng ký xây dựng mô hình: 6/6 (100%)" in body
    assert "Đạt mô hình “Chi bộ bốn tốt”: 6/6 (100%)" in body
    assert "Đảng viên hoàn thành xuất sắc nhiệm vụ: 13 (trên 65 đảng viên" in body
    assert (
        "Tập thể: Chi bộ Tổng hợp; Chi bộ Cơ yếu – Công nghệ thông tin." in body
        and f"Cá nhân: đồng chí {individual.member.full_name} (Chi bộ Tổng hợp)." in body
    )
    for review in final.select_related("registration__organization"):
        assert review.registration.organization.name in body


def test_the_demo_self_reviews_are_as_the_readme_tells(demo, client):
    """Every demo branch's members have accounts; Quế Phú's round of 2023 holds signed, voted,
    returned, written-for and draft self-reviews under the accounts the README names."""
    from reports.selfreviews.models import ReviewRound, SelfReview

    assert not Member.objects.filter(is_active=True, user__isnull=True).exists()
    round = ReviewRound.objects.get(committee__code="QS.QP", year=2023, quarter=None)
    reviews = {
        r.member.user.username: r
        for r in SelfReview.objects.filter(round=round).select_related("member__user")
    }
    for username in ("dv.vocongan.01", "dv.nguyentrongan.01"):
        assert reviews[username].status == "submitted" and reviews[username].vote_result == "good"
        rating = MemberRating.objects.get(member=reviews[username].member, year=2023)
        assert (rating.self_level, rating.proposed_level) == ("good", "good")
    for username in ("dv.toducan.01", "dv.vongocan.01"):
        assert reviews[username].status == "submitted" and not reviews[username].voted
    assert reviews["dv.nguyencongbinh.01"].status == "returned"
    assert reviews["dv.nguyencongbinh.01"].return_reason
    assert reviews["dv.ngothigiang.01"].status == "draft"
    written_for = SelfReview.objects.get(round=round, member__full_name="Trần Thanh Đạt")
    assert written_for.on_behalf_by.username == "bithu.quephu01"
    assert written_for.signatures.get().user == written_for.on_behalf_by
    assert SelfReview.objects.filter(round=round, branch__code="QS.QP.02").count() == 2
    client.force_login(reviews["dv.nguyencongbinh.01"].member.user)
    page = client.get(reverse("reports:my_records")).content.decode()
    assert "Chi bộ trả lại:" in page and "Phần hạn chế, khuyết điểm còn chung chung" in page


def test_the_current_committee_is_alive_on_the_day_the_demo_is_loaded(demo, client):
    """Đảng bộ xã Quế Sơn, founded on 1/7/2025 by merging two of the old huyện's committees (kept,
    inactive, under it), numbers from its founding and its congress, and runs its 2026–2030 plan
    in the current year: registrations, pledges to countersign, meetings this month, the interim
    review open — and members rated "xuất sắc" five years in a row across the merger."""
    from django.utils import timezone

    from branches.models import Organization, Reorganization
    from partydocs.models import CongressTerm
    from partydocs.verification import verify_pdf
    from pledges.documents import pledge_pdf
    from pledges.models import Pledge, Registration
    from reports.meetings.models import Meeting
    from reports.years.selectors import member_streaks

    today = timezone.localdate()
    commune = Organization.objects.get(code="DN.QS")
    assert commune.kind == "commune" and Organization.objects.get_parent(commune).kind == "province"
    old = Organization.objects.filter(code__in=["QS.DP", "QS.QM"])
    assert {(o.is_active, o.successor_id) for o in old} == {(False, commune.pk)}
    assert all(o.path.startswith(commune.path) for o in old)
    merger = Reorganization.objects.get(kind="merge")
    assert set(merger.sources.all()) == set(old) and list(merger.targets.all()) == [commune]
    assert sorted(
        CongressTerm.objects.filter(organization=commune).values_list("origin", "start_date")
    ) == [("congress", datetime.date(2025, 7, 24)), ("founding", datetime.date(2025, 7, 1))]

    plan = Plan.objects.get(issuer=commune)
    assert (plan.number, plan.start_year, plan.status) == ("01-KH/ĐU", today.year, "published")
    registrations = Registration.objects.filter(plan=plan, year=today.year)
    assert registrations.count() == 6 and plan.targets.count() == 7
    newest = {}
    for pledge in Pledge.objects.filter(registration__in=registrations).order_by("version"):
        newest[pledge.registration_id] = pledge
    assert sorted(p.status for p in newest.values()) == sorted(
        ["accepted"] * 3 + ["signed"] * 2 + ["draft"]
    )
    month = today.replace(day=1)
    assert (
        Meeting.objects.filter(branch__path__startswith=commune.path, date__gte=month)
        .values("branch")
        .distinct()
        .count()
        == 5
    )
    interim = Review.objects.filter(registration__plan=plan, year=today.year, round="interim")
    assert sorted(interim.values_list("status", flat=True)) == ["draft", "submitted"]
    signed = next(p for p in newest.values() if p.status == "accepted")
    assert verify_pdf(
        pledge_pdf(signed, viewer=User.objects.get(username="canbo.xaqueson")).content
    ).ok

    # The newcomer's first screen has work on it.
    client.force_login(User.objects.get(username="canbo.xaqueson"))
    home = client.get(reverse("home")).content.decode()
    assert "01-KH/ĐU" in home and "Quá hạn (1)" in home and "Chưa đăng ký" in home
    streaks = member_streaks(commune, measure="excellent", count=5, until=today.year - 1)
    assert len(streaks) == 6
    assert all(s.subject.branch.path.startswith(commune.path) for s in streaks)
    page = client.get(reverse("reports:streaks", args=[commune.pk])).content.decode()
    assert "6 trường hợp" in page
