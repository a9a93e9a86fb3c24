"""The official's roll-up (issue 19, item 9): rates beside the counts, the plans counted (one can
be chosen), the interim and the final round, a link down to every organization and back up, and
the same table in Excel."""

import io
from decimal import Decimal

from django.urls import reverse
from openpyxl import load_workbook

from reports.summaries.rollup import rollup_view
from tests.reports.helpers import fill_and_submit
from tests.sheets import split


def test_the_rollup_has_rates_both_rounds_links_down_and_up_and_excel(
    world, signed_registration, login
):
    plan = signed_registration.plan
    fill_and_submit(world, signed_registration, Decimal("0.9"))  # branch A's final self-assessment
    official = world.users["official"]
    client = login(official)
    year = plan.start_year

    # The district: one row per commune, the total, the plan counted, rates of the registered.
    page = client.get(reverse("home"), {"year": year})
    view = page.context["rollup_view"]
    assert view.root == world.district and view.above == [] and view.plans == [plan]
    (commune, other) = view.rows
    assert (commune.targets, commune.registered, commune.signed, commune.submitted) == (2, 1, 1, 1)
    assert commune.registered_rate == Decimal("50.0") and commune.submitted_rate == Decimal("100.0")
    assert view.total.targets == 2 and other.targets == 0 and other.registered_rate is None
    html = page.content.decode()
    assert f'href="?year={year}&amp;org={world.committee.pk}"' in html  # down to the commune
    assert "50%" in html and "Tổng cộng" in html

    # Down to the commune: its branches link to their pages, and the way back up is there.
    page = client.get(reverse("home"), {"year": year, "org": world.committee.pk})
    view = page.context["rollup_view"]
    assert view.above == [world.district]
    html = page.content.decode()
    assert reverse("branches:organization_detail", args=[world.branch_a.pk]) in html
    assert f'href="?year={year}&amp;org={world.district.pk}"' in html  # back up

    # The same table in Excel, with what it counts in its heading.
    response = client.get(
        reverse("home"), {"year": year, "org": world.committee.pk, "format": "xlsx"}
    )
    sheet = load_workbook(io.BytesIO(response.content))["Tổng hợp theo đơn vị"]
    heading, rows = split(sheet)
    assert heading[0] == f"Tổng hợp theo đơn vị năm {year} — Đảng bộ xã Quế Phú"
    assert plan.number in heading[1]
    assert rows[1][:6] == ["Chi bộ thôn Phú Lộc", 1, 1, 100, 1, 100]
    assert rows[-1][0] == "Tổng cộng" and rows[-1][1] == 2


def test_one_plan_can_be_chosen_and_an_interim_round_gets_its_columns(world, plan, login):
    from criteria import services
    from tests.factories import staff

    services.plan_publish(actor=staff(), plan=plan)  # 98-KH/ĐU has an interim round
    view = rollup_view(world.users["official"], world.district, 2023)
    assert view.has_interim and view.plans == [plan]
    assert (
        rollup_view(world.users["official"], world.district, 2023, plan_pk=plan.pk + 999).plans
        == []
    )
    html = login(world.users["official"]).get(reverse("home"), {"year": 2023}).content.decode()
    assert "Sơ kết: nộp / chốt" in html
