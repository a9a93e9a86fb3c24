import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from audit.reasons import describe
from criteria import services
from criteria.models import Criterion, Indicator, Plan
from criteria.selectors import plans_visible_to, point_problems
from tests.criteria.helpers import indicator_rows, plan_form_data
from tests.factories import staff, staff_of


def test_plan_from_the_standard_template_adds_up_and_targets_the_branches(world, plan):
    criteria = list(plan.criteria.order_by("order"))
    assert [c.name for c in criteria] == [
        "Lãnh đạo hoàn thành tốt nhiệm vụ",
        "Chất lượng sinh hoạt tốt",
        "Đoàn kết, kỷ luật tốt",
        "Đảng viên tốt",
    ]
    assert sum(c.points for c in criteria) == Decimal(100)
    for criterion in criteria:
        assert sum(i.points for i in criterion.indicators.all()) == criterion.points
    assert point_problems(plan) == []
    assert set(plan.targets.all()) == {world.branch_a, world.branch_b}
    assert plan.number == "98-KH/ĐU"
    assert plan.term == "2020–2025"


def test_next_number_is_allocated_per_committee_kind_and_term(world, plan):
    def create(day):
        return services.plan_create(
            actor=staff(),
            issuer=world.committee,
            model="branch",
            issue_date=day,
            start_year=day.year,
            end_year=day.year,
            registration_deadline=day,
            signing_deadline=day,
            final_review_deadline=day,
        )

    assert create(datetime.date(2024, 1, 10)).sequence == 99
    # 1 July 2025 opens the 2025–2030 term: numbering restarts at 01.
    fresh = create(datetime.date(2025, 9, 1))
    assert (fresh.sequence, fresh.number, fresh.term) == (1, "01-KH/ĐU", "2025–2030")
    # Another committee has its own numbers.
    from tests.factories import make_org

    other = services.plan_create(
        actor=staff_of(world.other_committee),
        issuer=world.other_committee,
        model="branch",
        issue_date=datetime.date(2024, 1, 10),
        start_year=2024,
        end_year=2024,
        registration_deadline=datetime.date(2024, 2, 1),
        signing_deadline=datetime.date(2024, 2, 1),
        final_review_deadline=datetime.date(2024, 12, 1),
    )
    assert other.sequence == 1
    assert make_org  # imported for symmetry with other tests


def test_duplicate_plan_number_is_refused(world, plan):
    with pytest.raises(ValidationError) as error:
        services.plan_create(
            actor=staff(),
            issuer=world.committee,
            model="branch",
            issue_date=datetime.date(2024, 3, 1),
            sequence=98,
            start_year=2024,
            end_year=2024,
            registration_deadline=datetime.date(2024, 3, 2),
            signing_deadline=datetime.date(2024, 3, 3),
            final_review_deadline=datetime.date(2024, 12, 1),
        )
    assert "Số kế hoạch này đã được dùng trong nhiệm kỳ." in str(error.value)
    assert Plan.objects.count() == 1


def test_deadline_before_issue_date_is_refused(world):
    with pytest.raises(ValidationError) as error:
        services.plan_create(
            actor=staff(),
            issuer=world.committee,
            model="branch",
            issue_date=datetime.date(2023, 7, 31),
            start_year=2023,
            end_year=2023,
            registration_deadline=datetime.date(2023, 7, 1),
            signing_deadline=datetime.date(2023, 8, 31),
            final_review_deadline=datetime.date(2023, 12, 15),
        )
    assert error.value.message_dict["registration_deadline"] == [
        "Hạn này không thể trước ngày ban hành kế hoạch (31/07/2023)."
    ]
    assert not Plan.objects.exists()


def test_a_branch_cannot_issue_a_plan(world):
    with pytest.raises(ValidationError):
        services.plan_create(
            actor=staff(),
            issuer=world.branch_a,
            model="branch",
            issue_date=datetime.date(2023, 7, 31),
            start_year=2023,
            end_year=2023,
            registration_deadline=datetime.date(2023, 8, 1),
            signing_deadline=datetime.date(2023, 8, 31),
            final_review_deadline=datetime.date(2023, 12, 15),
        )


def test_copy_from_an_earlier_plan_keeps_criteria_and_texts(world, plan):
    services.criterion_update(
        actor=staff(),
        criterion=plan.criteria.get(order=3),
        name="Đoàn kết, kỷ luật tốt (sửa)",
        description="",
        indicators=indicator_rows(plan.criteria.get(order=3)),
    )
    copy = services.plan_create(
        actor=staff(),
        issuer=world.committee,
        model="branch",
        issue_date=datetime.date(2024, 7, 1),
        copy_from=plan,
        start_year=2024,
        end_year=2024,
        registration_deadline=datetime.date(2024, 7, 15),
        signing_deadline=datetime.date(2024, 7, 31),
        final_review_deadline=datetime.date(2024, 12, 15),
    )
    assert copy.criteria.get(order=3).name == "Đoàn kết, kỷ luật tốt (sửa)"
    assert copy.title == plan.title and copy.signer_name == "Nguyễn Văn Định"
    assert (
        Indicator.objects.filter(criterion__plan=copy).count()
        == Indicator.objects.filter(criterion__plan=plan).count()
    )
    assert copy.sequence == 99


def test_indicator_points_that_do_not_add_up_are_refused_and_nothing_is_saved(plan):
    criterion = plan.criteria.get(order=2)
    rows = indicator_rows(criterion)
    rows[0]["points"] = Decimal(3)  # 8 → 3: the criterion would total 20, not 25
    rows[0]["text"] = "Đã sửa"
    with pytest.raises(ValidationError) as error:
        services.criterion_update(
            actor=staff(), criterion=criterion, name=criterion.name, description="", indicators=rows
        )
    (message,) = error.value.messages
    assert message.startswith(
        "Tiêu chí 2 “Chất lượng sinh hoạt tốt”: các chỉ tiêu cộng lại 20 điểm, nhưng tiêu chí có 25 điểm."
    )
    assert "Điểm tiêu chí và chỉ tiêu" in message  # where the whole set is edited at once
    assert not Indicator.objects.filter(text="Đã sửa").exists()


def test_adding_removing_and_reordering_indicators(plan):
    criterion = plan.criteria.get(order=3)
    rows = indicator_rows(criterion)
    rows[2]["DELETE"] = True  # remove 3.3 (5 points)
    rows.append(
        {
            "text": "Chỉ tiêu mới",
            "points": Decimal(5),
            "target_kind": "yes_no",
            "guide": "",
            "unit": "",
            "default_target": None,
            "evidence_required": False,
            "auto_source": "",
        }
    )
    services.criterion_update(
        actor=staff(), criterion=criterion, name=criterion.name, description="", indicators=rows
    )
    assert list(criterion.indicators.order_by("order").values_list("order", "text"))[-1] == (
        3,
        "Chỉ tiêu mới",
    )
    assert criterion.indicators.count() == 3


def test_criteria_points_must_add_up_to_the_plan_total(plan):
    criteria = list(plan.criteria.order_by("order"))
    points = {c.pk: (c.points, c.min_points) for c in criteria}
    points[criteria[0].pk] = (Decimal(25), Decimal(20))
    with pytest.raises(ValidationError) as error:
        services.criteria_points_update(actor=staff(), plan=plan, points=points)
    assert (
        "Các tiêu chí cộng lại 95 điểm, nhưng tổng điểm của kế hoạch là 100."
        in error.value.messages
    )


def test_publish_lists_every_problem(world, plan):
    criterion = plan.criteria.get(order=1)
    criterion.indicators.filter(order=1).update(points=Decimal(2))
    plan.targets.clear()
    with pytest.raises(ValidationError) as error:
        services.plan_publish(actor=staff(), plan=plan)
    assert error.value.messages == [
        "Tiêu chí 1 “Lãnh đạo hoàn thành tốt nhiệm vụ”: các chỉ tiêu cộng lại 24 điểm, nhưng tiêu chí có 30 điểm.",
        "Chưa chọn tổ chức thực hiện.",
    ]
    plan.refresh_from_db()
    assert plan.is_draft


def test_targets_outside_the_issuer_are_refused(world, plan):
    with pytest.raises(ValidationError) as error:
        services.plan_set_targets(
            actor=staff(), plan=plan, organizations=[world.branch_a, world.other_branch]
        )
    assert "Chi bộ thôn Một không thuộc Đảng bộ xã Quế Phú" in str(error.value)
    assert set(plan.targets.all()) == {world.branch_a, world.branch_b}


def test_locked_criteria_need_a_reason_and_keep_it_in_history(plan):
    services.plan_publish(actor=staff(), plan=plan)
    services.plan_lock_criteria(plan=plan)
    plan.refresh_from_db()
    criterion = plan.criteria.get(order=4)
    with pytest.raises(ValidationError) as error:
        services.criterion_update(
            actor=staff(),
            criterion=criterion,
            name="Cán bộ, đảng viên tốt",
            description="",
            indicators=indicator_rows(criterion),
        )
    assert "reason" in error.value.message_dict
    criterion.refresh_from_db()
    assert criterion.name == "Đảng viên tốt"
    services.criterion_update(
        actor=staff(),
        criterion=criterion,
        name="Cán bộ, đảng viên tốt",
        description="",
        indicators=indicator_rows(criterion),
        reason="Theo Nghị quyết Đảng ủy",
    )
    assert (
        describe(criterion.history.first().history_change_reason)
        == "Sửa đổi tiêu chí: Theo Nghị quyết Đảng ủy"
    )


def test_closed_plan_is_read_only(plan):
    services.plan_publish(actor=staff(), plan=plan)
    services.plan_close(actor=staff(), plan=plan)
    with pytest.raises(ValidationError) as error:
        services.plan_update(actor=staff(), plan=plan, title="Khác")
    assert "Kế hoạch đã kết thúc" in str(error.value)


def test_secretary_sees_the_published_plan_of_the_committee_above_but_not_a_draft(world, plan):
    secretary = world.users["secretary_own"]
    assert not plans_visible_to(secretary).exists()
    services.plan_publish(actor=staff(), plan=plan)
    assert list(plans_visible_to(secretary)) == [plan]
    outsider = world.users["official"]  # district official: sees it through the issuer
    assert list(plans_visible_to(outsider)) == [plan]


def test_staff_edits_a_criterion_through_the_page(world, plan, login):
    client = login(world.users["staff"])
    criterion = plan.criteria.get(order=3)
    indicators = list(criterion.indicators.order_by("order"))
    data = {
        "criterion-name": "Đoàn kết, kỷ luật tốt",
        "criterion-description": "Mới",
        "indicators-TOTAL_FORMS": "4",
        "indicators-INITIAL_FORMS": "3",
        "indicators-MIN_NUM_FORMS": "0",
        "indicators-MAX_NUM_FORMS": "1000",
        # the empty extra form, as a browser posts it (its selects at their first option)
        "indicators-3-target_kind": "yes_no",
        "indicators-3-score_rule": "proportional",
    }
    for n, indicator in enumerate(indicators):
        data.update(
            {
                f"indicators-{n}-id": indicator.pk,
                f"indicators-{n}-text": indicator.text,
                f"indicators-{n}-points": str(indicator.points),
                f"indicators-{n}-target_kind": indicator.target_kind,
                f"indicators-{n}-guide": "",
                f"indicators-{n}-unit": "",
                f"indicators-{n}-auto_source": "",
                f"indicators-{n}-score_rule": indicator.score_rule,
            }
        )
    data["indicators-0-points"] = "10"  # 8 → 10 makes 22 ≠ 20
    response = client.post(reverse("criteria:criterion_edit", args=[plan.pk, 3]), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "các chỉ tiêu cộng lại 22 điểm, nhưng tiêu chí có 20 điểm" in page
    assert (
        Criterion.objects.get(pk=criterion.pk).description == criterion.description
    )  # nothing saved
    data["indicators-0-points"] = "8"
    response = client.post(reverse("criteria:criterion_edit", args=[plan.pk, 3]), data)
    assert response.status_code == 302
    assert Criterion.objects.get(pk=criterion.pk).description == "Mới"


def test_staff_creates_a_plan_through_the_page(world, login):
    client = login(world.users["staff"])
    response = client.post(
        reverse("criteria:plan_create"),
        plan_form_data(world),
    )
    plan = Plan.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "criteria:plan_detail", args=[plan.pk]
    )
    assert plan.number == "01-KH/ĐU" and plan.criteria.count() == 4


@pytest.mark.parametrize(
    ("today", "year"),
    [(datetime.date(2026, 3, 10), 2026), (datetime.date(2026, 12, 6), 2027)],
)
def test_a_new_plan_proposes_deadlines_inside_the_year_it_is_for(today, year):
    """Never a plan for one year with the next year's deadlines: from November on the plan being
    drafted is next year's, and so are its year and its review deadlines."""
    from criteria.forms import PlanCreateForm

    proposed = PlanCreateForm.proposed(today)
    assert proposed["start_year"] == proposed["end_year"] == year
    assert (
        proposed["interim_review_deadline"].year == proposed["final_review_deadline"].year == year
    )
    assert proposed["final_review_deadline"] > proposed["signing_deadline"] > today
