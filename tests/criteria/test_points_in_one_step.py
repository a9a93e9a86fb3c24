"""Editing that works in one step (issue 19, item 10): a plan's criteria and indicator points are
edited together and checked once, so 25/25/25/25 becomes 30/20/25/25 in one save; a set that
does not add up is refused with every problem and nothing saved."""

from decimal import Decimal

from django.urls import reverse

from criteria.models import Criterion, Indicator


def _data(form) -> dict:
    return {
        name: "" if field.initial is None else str(field.initial)
        for name, field in form.fields.items()
    }


def test_a_new_distribution_is_saved_in_one_step(world, plan, login):
    client = login(world.users["staff"])
    url = reverse("criteria:plan_points", args=[plan.pk])
    form = client.get(url).context["form"]
    data = _data(form)
    criteria = list(plan.criteria.order_by("order"))
    first, second = criteria[0], criteria[1]
    before = {c.order: c.points for c in criteria}
    delta = Decimal(30) - before[1]  # criterion 1 goes to 30, criterion 2 gives the difference
    data[f"points_{first.pk}"] = "30"
    data[f"points_{second.pk}"] = str(before[2] - delta).replace(".", ",")
    first_indicator = first.indicators.order_by("order").first()
    second_indicator = second.indicators.order_by("order").first()
    data[f"indicator_{first_indicator.pk}"] = str(first_indicator.points + delta)
    data[f"indicator_{second_indicator.pk}"] = str(second_indicator.points - delta)
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    assert Criterion.objects.get(pk=first.pk).points == 30
    assert Indicator.objects.get(pk=first_indicator.pk).points == first_indicator.points + delta
    assert sum(c.points for c in plan.criteria.all()) == plan.total_points


def test_a_set_that_does_not_add_up_says_every_problem_and_saves_nothing(world, plan, login):
    client = login(world.users["staff"])
    url = reverse("criteria:plan_points", args=[plan.pk])
    data = _data(client.get(url).context["form"])
    first = plan.criteria.order_by("order").first()
    data[f"points_{first.pk}"] = str(first.points + 5)  # neither the total nor its indicators
    page = client.post(url, data)
    errors = page.context["form"].non_field_errors()
    assert page.status_code == 200 and len(errors) == 2
    assert any("tổng điểm của kế hoạch là 100" in e for e in errors)
    assert any(f"Tiêu chí {first.order}" in e and "các chỉ tiêu cộng lại" in e for e in errors)
    assert Criterion.objects.get(pk=first.pk).points == first.points
