"""The demo data holds the seed's year: Vĩnh Phúc's 2022 final review and Quế Phú's 2023 interim
review half done — and the summary report read back from it says so."""

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
    assert "Đạt mô hình “Chi bộ 4 tốt”: 6/6 (100%)" in body
    assert "Đảng viên hoàn thành xuất sắc nhiệm vụ: 13 (trên 65 đảng viên" in body
    assert (
        "Tập thể: Chi bộ Tổng hợp; Chi bộ Cơ yếu – Công nghệ thông tin." in body
        and f"Cá nhân: đồng chí {individual.member.full_name} (Chi bộ Tổng hợp)." in body
    )
    for review in final.select_related("registration__organization"):
        assert review.registration.organization.name in body
