"""A plan over several years: registered, pledged (each year's pledge signed on its own) and
reviewed year by year; an organization's and a member's results year by year; and the lists of
"nhiều năm liền" for the proposals of a giấy khen or a bằng khen, with the years shown."""

import datetime
import io
import zoneinfo
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from criteria import services as plans
from criteria.rules import Level
from partydocs.signing import Evidence, Signer
from pledges import services as pledges
from pledges.models import Pledge, Registration
from reports.ratings.models import MemberRating, OrganizationRating
from reports.reviews import services as reviews
from reports.years.selectors import (
    PROPOSALS_BY_KEY,
    member_streaks,
    member_years,
    organization_streaks,
    organization_years,
)
from tests.conftest import PASSWORD
from tests.factories import MemberFactory, make_org

TZ = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")


def _at(year, month, day):
    return datetime.datetime(year, month, day, 9, tzinfo=TZ)


@pytest.fixture
def phase_plan(world):
    plan = plans.plan_create(
        actor=world.users["staff"],
        issuer=world.committee,
        model="branch",
        issue_date=datetime.date(2024, 1, 10),
        start_year=2024,
        end_year=2026,
        title="về xây dựng mô hình “Chi bộ bốn tốt” giai đoạn 2024–2026",
        registration_deadline=datetime.date(2024, 2, 15),
        signing_deadline=datetime.date(2024, 2, 28),
        final_review_deadline=datetime.date(2024, 12, 15),
        signer_name="Nguyễn Văn Định",
    )
    plans.plan_publish(actor=world.users["staff"], plan=plan)
    return plan


def _sign(world, registration, now):
    user = world.users["secretary_own"]
    pledge = registration.pledges.get(status="draft")
    pledges.pledge_sign(
        signer=Signer(user=user, password=PASSWORD, full_name=user.full_name, consent=True),
        evidence=Evidence.at_address("10.0.0.1", "test"),
        pledge=pledge,
        seen_hash=pledges.preview_content(pledge, user, now.date())[1],
        now=now,
    )
    return Pledge.objects.get(pk=pledge.pk)


def test_each_year_of_a_phase_plan_is_registered_and_its_pledge_signed_on_its_own(
    world, phase_plan, login
):
    secretary = world.users["secretary_own"]
    first = pledges.registration_register(
        actor=secretary, plan=phase_plan, organization=world.branch_a, now=_at(2024, 1, 20)
    )
    assert first.year == 2024
    draft = first.pledges.get()
    target = draft.targets.filter(value_number__isnull=False).first()
    pledges.pledge_save(
        actor=secretary,
        pledge=draft,
        targets={target.indicator_id: {"value_number": Decimal("11")}},
        commitments={},
    )
    pledge_2024 = _sign(world, first, _at(2024, 1, 25))

    with pytest.raises(ValidationError) as error:
        pledges.registration_register(
            actor=secretary,
            plan=phase_plan,
            organization=world.branch_a,
            year=2026,
            now=_at(2025, 1, 20),
        )
    assert "Chưa đến năm 2026: mỗi năm đăng ký trong năm đó." in error.value.messages
    second = pledges.registration_register(
        actor=secretary, plan=phase_plan, organization=world.branch_a, now=_at(2025, 1, 20)
    )
    assert second.year == 2025 and second.pk != first.pk
    # Next year's draft starts from the targets pledged the year before.
    copied = second.pledges.get().targets.get(indicator_id=target.indicator_id)
    assert copied.value_number == Decimal("11")

    # The year's own deadline: 28 February of that year.
    late = second.pledges.get()
    with pytest.raises(ValidationError) as error:
        pledges.pledge_sign(
            signer=Signer(
                user=secretary, password=PASSWORD, full_name=secretary.full_name, consent=True
            ),
            evidence=Evidence.at_address("10.0.0.1", "test"),
            pledge=late,
            seen_hash=pledges.preview_content(late, secretary, datetime.date(2025, 3, 5))[1],
            now=_at(2025, 3, 5),
        )
    assert "Đã quá hạn ký cam kết (28/02/2025)" in " ".join(error.value.messages)
    pledge_2025 = _sign(world, second, _at(2025, 2, 20))

    signed = [p.signatures.get(role="signer") for p in (pledge_2024, pledge_2025)]
    assert signed[0].code != signed[1].code
    assert '"year":2024' in signed[0].canonical and '"year":2025' in signed[1].canonical
    assert Registration.objects.filter(plan=phase_plan, organization=world.branch_a).count() == 2

    # Each year is reviewed on that year's registration and pledge.
    with pytest.raises(ValidationError) as error:
        reviews.review_open(actor=secretary, registration=first, year=2025, round="final")
    assert "Đăng ký này là của năm 2024" in error.value.messages[0]
    assert reviews.review_open(actor=secretary, registration=second, year=2025, round="final")

    # The registration list shows one year at a time.
    client = login(world.users["staff"])
    url = reverse("pledges:registration_list", args=[phase_plan.pk])
    page = client.get(url, {"year": 2025})
    assert page.context["year"] == 2025 and page.context["counts"]["registered"] == 1
    assert page.context["signing_deadline"] == datetime.date(2025, 2, 28)
    page = client.get(url, {"year": 2026})
    assert page.context["counts"]["registered"] == 0
    assert "Kế hoạch nhiều năm" in page.content.decode()
    from tests.pdf import text

    pdf = client.get(reverse("pledges:pledge_pdf", args=[pledge_2025.pk])).content
    assert "năm 2025 (giai đoạn 2024–2026)" in text(pdf)


def _rate_member(member, years, level=Level.EXCELLENT):
    for year in years:
        MemberRating.objects.update_or_create(
            member=member,
            year=year,
            defaults={"branch": member.branch, "decided_level": level, "score": Decimal(93)},
        )


def _rate_organization(organization, years, level=Level.EXCELLENT):
    for year in years:
        OrganizationRating.objects.create(
            organization=organization, year=year, decided_level=level, score=Decimal(92)
        )


def test_an_organization_and_a_member_year_by_year(world, phase_plan, login):
    _rate_organization(world.branch_a, [2023, 2024])
    _rate_member(world.member_a, [2022, 2024])
    pledges.registration_register(
        actor=world.users["secretary_own"],
        plan=phase_plan,
        organization=world.branch_a,
        now=_at(2024, 1, 20),
    )
    rows = organization_years(world.branch_a)
    assert [r.year for r in rows] == [2024, 2023]
    assert rows[0].plans[0].registration.plan == phase_plan and rows[0].plans[0].pledge.is_draft
    assert rows[1].quality_label == "Hoàn thành xuất sắc nhiệm vụ"
    assert [(r.year, r.level) for r in member_years(world.member_a)] == [
        (2024, "excellent"),
        (2022, "excellent"),
    ]
    client = login(world.users["staff"])
    page = client.get(reverse("reports:organization_years", args=[world.branch_a.pk])).content
    assert phase_plan.number in page.decode() and "2023" in page.decode()
    page = client.get(reverse("reports:member_years", args=[world.member_a.pk])).content.decode()
    assert "Hoàn thành xuất sắc nhiệm vụ" in page and "2022" in page
    # Someone of another commune does not see them.
    outsider = login(world.users["secretary_other"])
    assert (
        outsider.get(reverse("reports:member_years", args=[world.member_a.pk])).status_code == 404
    )


def test_members_and_organizations_five_years_in_a_row_are_found_with_their_years(world):
    years = [2021, 2022, 2023, 2024, 2025]
    streak = MemberFactory(branch=world.branch_a, full_name="Võ Văn Liền")
    _rate_member(streak, years)
    gap = MemberFactory(branch=world.branch_a, full_name="Lê Thị Gián")
    _rate_member(gap, [2021, 2022, 2024, 2025])
    _rate_member(gap, [2023], Level.GOOD)
    outside = MemberFactory(branch=world.other_branch, full_name="Trần Văn Ngoài")
    _rate_member(outside, years)
    found = member_streaks(world.committee, measure="excellent", count=5, until=2025)
    assert [s.subject for s in found] == [streak]
    assert found[0].unit == "Chi bộ thôn Phú Lộc"
    assert found[0].years == [(y, "Hoàn thành xuất sắc nhiệm vụ") for y in years]
    good = member_streaks(world.committee, measure="good", count=5, until=2025)
    assert {s.subject for s in good} == {streak, gap}

    _rate_organization(world.branch_a, years)
    _rate_organization(world.branch_b, years[1:])
    found = organization_streaks(world.district, measure="excellent", count=5, until=2025)
    assert [s.subject for s in found] == [world.branch_a]
    assert found[0].unit == "Đảng bộ xã Quế Phú"
    assert [
        s.subject
        for s in organization_streaks(world.district, measure="excellent", count=4, until=2025)
    ] == [world.branch_a, world.branch_b]


def test_the_proposal_list_page_and_its_excel(world, login, django_assert_max_num_queries):
    years = [2021, 2022, 2023, 2024, 2025]
    client = login(world.users["staff"])
    url = reverse("reports:streaks", args=[world.committee.pk])
    query = {"proposal": "member-certificate", "until": 2025}

    def grow(n):
        for _i in range(n):
            _rate_member(MemberFactory(branch=world.branch_a), years)

    grow(2)
    client.get(url, query)  # the session's first page writes its year; measure the next one
    with django_assert_max_num_queries(16):
        small = client.get(url, query)
    grow(30)
    with django_assert_max_num_queries(16):
        large = client.get(url, query)
    assert len(small.context["streaks"]) == 2 and len(large.context["streaks"]) == 32
    html = large.content.decode()
    assert "Giấy khen của Ban Thường vụ cấp ủy cấp trên trực tiếp của tổ chức cơ sở đảng" in html
    assert "Hướng dẫn 06-HD/TW, mục 19.2" in html and "2021–2025" in html
    workbook = load_workbook(
        io.BytesIO(
            client.get(reverse("reports:streaks_xlsx", args=[world.committee.pk]), query).content
        )
    )
    rows = list(workbook["Danh sách"].iter_rows(values_only=True))
    assert rows[0] == ("STT", "Họ và tên", "Chi bộ", "2021", "2022", "2023", "2024", "2025")
    assert len(rows) == 33 and rows[1][2] == "Chi bộ thôn Phú Lộc"
    assert rows[1][3:] == ("Hoàn thành xuất sắc nhiệm vụ",) * 5
    about = dict(workbook["Căn cứ"].iter_rows(min_row=2, values_only=True))
    assert about["Tiêu chuẩn"] == "Hoàn thành xuất sắc nhiệm vụ 5 năm liền (2021–2025)"
    # "Chi bộ bốn tốt" 3 years in a row, from finalized final reviews.
    assert PROPOSALS_BY_KEY["model-3"].years == 3
    page = client.get(url, {"proposal": "model-3", "until": 2025})
    assert page.status_code == 200 and page.context["streaks"] == []


def test_a_commune_s_streaks_reach_its_branches_only(world):
    other = make_org(
        world.district, "QS.QT", "Đảng bộ xã Quế Thuận", world.committee.Kind.GRASSROOTS
    )
    branch = make_org(other, "QS.QT.01", "Chi bộ thôn Hai")
    member = MemberFactory(branch=branch)
    _rate_member(member, [2023, 2024, 2025])
    assert member_streaks(world.committee, measure="excellent", count=3, until=2025) == []
    assert [s.subject for s in member_streaks(other, measure="excellent", count=3, until=2025)] == [
        member
    ]
