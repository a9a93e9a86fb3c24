"""The two standard templates, the plan's lifecycle (draft → published → closed) and the lock that
the first signed pledge puts on the criteria."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from audit.reasons import describe
from criteria import services
from criteria.models import Criterion, Indicator, Plan
from criteria.selectors import point_problems
from criteria.standard import TEMPLATES
from tests.conftest import sign_pledge_directly
from tests.criteria.helpers import indicator_rows, plan_form_data
from tests.factories import staff, staff_of
from tests.pdf import text


def test_dang_bo_template_adds_up_and_targets_the_subordinate_committees(world):
    plan = services.plan_create(
        actor=staff_of(world.district),
        issuer=world.district,
        model=Plan.Model.COMMITTEE,
        issue_date=datetime.date(2024, 2, 1),
        start_year=2024,
        end_year=2024,
        registration_deadline=datetime.date(2024, 2, 20),
        signing_deadline=datetime.date(2024, 3, 1),
        final_review_deadline=datetime.date(2024, 12, 15),
    )
    assert plan.number == "01-KH/HU" and plan.get_model_display() == "Đảng bộ cơ sở bốn tốt"
    assert [c.name for c in plan.criteria.order_by("order")] == [
        "Lãnh đạo hoàn thành tốt nhiệm vụ chính trị",
        "Chất lượng sinh hoạt tốt",
        "Đoàn kết, kỷ luật tốt",
        "Cán bộ, đảng viên tốt",
    ]
    assert point_problems(plan) == []
    assert Indicator.objects.filter(criterion__plan=plan).count() >= 8
    # “Đảng bộ 4 tốt” is carried out by the committees below, not by branches.
    assert set(plan.targets.all()) == {world.committee, world.other_committee}
    with pytest.raises(ValidationError) as error:
        services.plan_set_targets(
            actor=staff_of(world.district), plan=plan, organizations=[world.branch_a]
        )
    assert "Chi bộ thôn Phú Lộc không phải đảng bộ" in str(error.value)
    assert set(plan.targets.all()) == {world.committee, world.other_committee}


@pytest.mark.parametrize("model", list(TEMPLATES))
def test_every_indicator_of_a_standard_template_can_be_adopted_as_is(model):
    """Points add up, and each indicator has a scoring guide and a target of its kind."""
    template = TEMPLATES[model]
    assert len(template.criteria) == 4
    assert sum(Decimal(c.points) for c in template.criteria) == 100
    for criterion in template.criteria:
        assert sum(Decimal(i.points) for i in criterion.indicators) == Decimal(criterion.points)
        assert Decimal(criterion.min_points) <= Decimal(criterion.points)
        for indicator in criterion.indicators:
            assert Decimal(indicator.points) > 0 and indicator.guide, indicator.text
            if indicator.target_kind == Indicator.TargetKind.NUMBER:
                assert indicator.unit and indicator.default_target, indicator.text
            if indicator.target_kind == Indicator.TargetKind.PERCENT:
                assert 0 <= Decimal(indicator.default_target) <= 100, indicator.text


def test_a_closed_plan_is_read_only_but_still_exportable(world, plan, login):
    services.plan_publish(actor=staff(), plan=plan)
    services.plan_close(actor=staff(), plan=plan)
    criterion = plan.criteria.get(order=1)
    with pytest.raises(ValidationError):
        services.criterion_update(
            actor=staff(),
            criterion=criterion,
            name="Khác",
            description="",
            indicators=indicator_rows(criterion),
        )
    assert Criterion.objects.get(pk=criterion.pk).name == "Lãnh đạo hoàn thành tốt nhiệm vụ"
    for user in ("staff", "secretary_own", "official"):
        client = login(world.users[user])
        response = client.get(reverse("criteria:plan_pdf", args=[plan.pk]))
        assert response.status_code == 200, user
        assert "Số 98-KH/ĐU" in text(response.content)
        assert client.get(reverse("criteria:plan_xlsx", args=[plan.pk])).status_code == 200
    assert (
        login(world.users["secretary_other"])
        .get(reverse("criteria:plan_pdf", args=[plan.pk]))
        .status_code
        == 404
    )


def test_signing_the_first_pledge_locks_the_criteria(world, live_plan, login):
    from pledges import services as pledges

    assert not live_plan.criteria_locked
    criterion = live_plan.criteria.get(order=2)
    registration = pledges.registration_register(
        actor=world.users["secretary_own"], plan=live_plan, organization=world.branch_a
    )
    # Registering alone does not lock anything.
    live_plan.refresh_from_db()
    assert not live_plan.criteria_locked
    sign_pledge_directly(world, registration)
    live_plan.refresh_from_db()
    assert live_plan.criteria_locked

    rows = indicator_rows(criterion)
    rows[0]["text"] = "Sinh hoạt chi bộ thường kỳ đủ 12 kỳ (đã sửa)"
    with pytest.raises(ValidationError) as error:
        services.criterion_update(
            actor=staff(), criterion=criterion, name=criterion.name, description="", indicators=rows
        )
    assert "Tiêu chí đã khóa" in " ".join(error.value.message_dict["reason"])
    points = {c.pk: (c.points, c.min_points) for c in live_plan.criteria.all()}
    with pytest.raises(ValidationError):
        services.criteria_points_update(actor=staff(), plan=live_plan, points=points)
    assert not Indicator.objects.filter(text__endswith="(đã sửa)").exists()

    # Through the page: the form asks for the reason and keeps everything else unsaved.
    client = login(world.users["staff"])
    page = client.get(reverse("criteria:criterion_edit", args=[live_plan.pk, 2]))
    assert "reason" in page.context["form"].fields

    # With a reason it is an amendment, kept in the history.
    services.criterion_update(
        actor=staff(),
        criterion=criterion,
        name=criterion.name,
        description="",
        indicators=rows,
        reason="Điều chỉnh theo Hướng dẫn mới",
    )
    changed = Indicator.objects.get(text__endswith="(đã sửa)")
    assert (
        describe(changed.history.first().history_change_reason)
        == "Sửa đổi tiêu chí: Điều chỉnh theo Hướng dẫn mới"
    )
    assert Decimal(sum(i.points for i in criterion.indicators.all())) == criterion.points


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ({"sequence": "98"}, "Số kế hoạch này đã được dùng trong nhiệm kỳ."),
        (
            {"registration_deadline": "01/07/2023"},
            "Hạn này không thể trước ngày ban hành kế hoạch (31/07/2023).",
        ),
    ],
)
def test_bad_plan_input_through_the_page_is_explained_and_nothing_saved(
    world, plan, login, override, message
):
    data = plan_form_data(world, **override)
    response = login(world.users["staff"]).post(reverse("criteria:plan_create"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert list(Plan.objects.all()) == [plan]
    assert Criterion.objects.filter(plan__in=Plan.objects.exclude(pk=plan.pk)).count() == 0
