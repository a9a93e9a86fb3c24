"""One truth per figure (issue 19, item 5): the headline, the registration list and the charts
count the same things (a returned pledge is not signed; an amendment being drafted does not
undo one in force); chart text stays readable (at least 11 px at 100% zoom) and the time axis
stops at the events drawn."""

import re

from django.urls import reverse

from branches.models import RoleAssignment
from pledges import services as pledges
from reports.summaries.charts import WIDTH, bar_chart, summary_charts
from reports.summaries.selectors import summary_data
from tests.conftest import PASSWORD, sign_pledge_directly
from tests.factories import UserFactory, give_role
from tests.servers import ROOT


def _countersign(world, pledge):
    leader = world.users["leader"]
    pledges.pledge_countersign(
        signer=pledges.Signer(
            user=leader, password=PASSWORD, full_name=leader.full_name, consent=True
        ),
        evidence=pledges.Evidence.at_address("10.0.0.2", "test"),
        pledge=pledge,
        seen_hash=pledges.preview_content(pledge, leader)[1],
    )


def test_the_headline_the_list_and_the_chart_count_the_same_signatures(world, live_plan, login):
    # Branch A: signed, returned, being amended — not signed now. Branch B: signed, accepted,
    # with an amendment being drafted — still signed (the accepted version is in force).
    a = pledges.registration_register(
        actor=world.users["secretary_own"], plan=live_plan, organization=world.branch_a
    )
    sign_pledge_directly(world, a)
    pledges.pledge_return(actor=world.users["leader"], pledge=a.pledges.get(), reason="Sửa 1.2")
    pledges.pledge_amend(actor=world.users["secretary_own"], pledge=a.pledges.get())
    secretary_b = UserFactory(username="bithu_b", full_name="Đỗ Văn Bình")
    give_role(secretary_b, world.branch_b, RoleAssignment.Role.SECRETARY)
    b = pledges.registration_register(
        actor=secretary_b, plan=live_plan, organization=world.branch_b
    )
    first = b.pledges.get()
    pledges.pledge_sign(
        signer=pledges.Signer(
            user=secretary_b, password=PASSWORD, full_name=secretary_b.full_name, consent=True
        ),
        evidence=pledges.Evidence.at_address("10.0.0.3", "test"),
        pledge=first,
        seen_hash=pledges.preview_content(first, secretary_b)[1],
    )
    first.refresh_from_db()
    _countersign(world, first)
    pledges.pledge_amend(actor=secretary_b, pledge=first)

    data = summary_data(live_plan, live_plan.start_year, "final")
    assert (data.counts["registered"], data.counts["signed"], data.counts["accepted"]) == (2, 1, 1)
    last = data.progress[-1]
    assert (last["registered"], last["signed"]) == (2, 1)  # the chart ends on the headline
    client = login(world.users["staff"])
    listing = client.get(reverse("pledges:registration_list", args=[live_plan.pk]))
    assert listing.context["counts"]["signed"] == 1 and listing.context["counts"]["accepted"] == 1
    home = client.get(reverse("home"), {"year": live_plan.start_year})
    (plan,) = home.context["plans"]
    assert (plan.n_registered, plan.n_signed, plan.n_accepted) == (2, 1, 1)
    # The axis starts and stops with the events: one week here, labelled with its full date.
    chart = str(summary_charts(data)["progress"])
    assert re.findall(r">(\d\d/\d\d/\d{4})<", chart)


def test_chart_text_is_at_least_11_px_at_its_narrowest():
    chart = str(bar_chart(title="Xếp loại", items=[("Hoàn thành xuất sắc nhiệm vụ", 2)]))
    sizes = [int(s) for s in re.findall(r'font-size="(\d+)"', chart)]
    assert sizes and min(sizes) >= 12
    with open(ROOT / "static/css/app.css", encoding="utf-8") as css:
        narrowest = int(re.search(r"\.chart-box > svg\.chart \{ min-width: (\d+)px", css.read())[1])
    assert min(sizes) * narrowest / WIDTH >= 11
