"""The work queue, "Việc cần làm" (issue 19, item 2): each role's items, registered one function
per kind; the one-click actions on late work (remind now, extend with a reason, open); the
count in the navigation; a cache that never shows what is already done."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from criteria import services as plans
from pledges import services as pledges
from pledges.models import DeadlineExtension
from reports.summaries.todo import queue_for
from tests.conftest import PASSWORD, sign_pledge_directly
from tests.factories import MemberFactory, staff, staff_of
from tests.reports.helpers import fill_and_submit
from tests.test_mail import run_worker
from web import worklist


@pytest.fixture(autouse=True)
def _vietnamese():
    """The queue's words are compared in the interface's source language."""
    with translation.override("vi"):
        yield


def titles(user, group=None):
    return [
        item.title for g in queue_for(user) if group is None or g.title == group for item in g.items
    ]


@pytest.fixture
def late_plan(world):
    """A published plan of the commune whose registration and signing deadlines have passed."""
    today = timezone.localdate()
    plan = plans.plan_create(
        actor=world.users["staff"],
        issuer=world.committee,
        model="branch",
        issue_date=today - datetime.timedelta(days=40),
        start_year=today.year,
        end_year=today.year,
        registration_deadline=today - datetime.timedelta(days=20),
        signing_deadline=today - datetime.timedelta(days=10),
        final_review_deadline=today + datetime.timedelta(days=60),
        signer_name="Nguyễn Văn Định",
    )
    plans.plan_publish(actor=staff(), plan=plan)
    return plan


def test_a_kind_of_work_is_one_registered_function_per_role(world):
    """What issue 17 will do for a member's self-review: register one selector."""

    def self_review(user):
        yield worklist.WorkItem(
            group="Tự đánh giá của đảng viên", title="Viết bản tự kiểm điểm", url="/"
        )

    worklist.provider(worklist.MEMBER)(self_review)
    try:
        member = MemberFactory(branch=world.branch_a, full_name="Võ Văn Mới")
        member.user = world.users["official"]  # any account, linked to a member
        member.save(update_fields=["user"])
        assert "Viết bản tự kiểm điểm" in titles(world.users["official"])
        assert "Viết bản tự kiểm điểm" not in titles(world.users["leader"])  # not a member
    finally:
        worklist._providers[worklist.MEMBER].remove(self_review)


def test_the_leader_countersigns_assesses_and_finalizes_from_the_queue(
    world, signed_registration, login
):
    leader = world.users["leader"]
    assert titles(leader, "Bản cam kết chờ ký xác nhận") == ["Chi bộ thôn Phú Lộc — lần 1"]
    client = login(leader)
    page = client.get(reverse("reports:worklist")).content.decode()
    pledge = signed_registration.pledges.get()
    assert reverse("pledges:pledge_detail", args=[pledge.pk]) in page
    # Countersigned: it leaves the queue at once (the cache follows the data).
    pledges.pledge_countersign(
        signer=pledges.Signer(
            user=leader, password=PASSWORD, full_name=leader.full_name, consent=True
        ),
        evidence=pledges.Evidence.at_address("10.0.0.2", "test"),
        pledge=pledge,
        seen_hash=pledges.preview_content(pledge, leader)[1],
    )
    assert titles(leader, "Bản cam kết chờ ký xác nhận") == []
    review = fill_and_submit(world, signed_registration, Decimal("0.9"))
    assert titles(leader, "Bản tự đánh giá chờ thẩm định") == ["Chi bộ thôn Phú Lộc"]
    assert titles(world.users["staff"], "Bản tự đánh giá chờ thẩm định") == ["Chi bộ thôn Phú Lộc"]
    from tests.reports.helpers import assess

    assess(world, review)
    assert titles(leader, "Kết quả chờ chốt") == ["Chi bộ thôn Phú Lộc"]
    # The count in the navigation, on any page.
    html = client.get(reverse("criteria:plan_list")).content.decode()
    assert 'href="/todo/">Việc cần làm <span class="badge' in html


def test_staff_remind_extend_and_open_late_work_in_one_click(
    world, late_plan, login, django_capture_on_commit_callbacks
):
    world.users["secretary_own"].email = "bithu.phuloc@example.vn"
    world.users["secretary_own"].save(update_fields=["email"])
    staff_user = world.users["staff"]
    late = {g.title: g for g in queue_for(staff_user)}["Quá hạn"].items
    assert {i.title for i in late} == {
        "Chi bộ thôn Phú Lộc — Chưa đăng ký",
        "Chi bộ thôn Hương Mao — Chưa đăng ký",
    }
    item = next(i for i in late if i.organization == "Chi bộ thôn Phú Lộc")
    assert item.overdue and [a.label for a in item.actions] == ["Nhắc ngay", "Gia hạn"]
    client = login(staff_user)
    page = client.get(reverse("reports:worklist")).content.decode()
    assert f'name="item" value="{item.key}"' in page  # the bulk reminder's checkbox

    # Remind now: the secretary gets the reminder at once, saying it is late and who extends.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("pledges:remind"), {"item": [item.key], "next": "/todo/"}, follow=True
        )
    assert "Đã gửi thư nhắc đến bí thư: Chi bộ thôn Phú Lộc." in response.content.decode()
    run_worker()
    (message,) = mail.outbox
    assert message.to == ["bithu.phuloc@example.vn"] and "đã quá hạn 20 ngày" in message.body
    assert f"/plans/{late_plan.pk}/register/{world.branch_a.pk}/" in message.body
    # Hương Mao's secretary has no account: the reminder says so instead of pretending.
    other = next(i for i in late if i.organization == "Chi bộ thôn Hương Mao")
    response = client.post(reverse("pledges:remind"), {"item": [other.key]}, follow=True)
    assert "chưa có bí thư có địa chỉ thư điện tử" in response.content.decode()

    # Extend with a reason: the form opens on the late deadline and comes back to the queue.
    extend = next(a for a in item.actions if a.label == "Gia hạn")
    form = client.get(extend.url)
    assert form.context["form"]["kind"].value() == DeadlineExtension.Kind.REGISTRATION
    until = timezone.localdate() + datetime.timedelta(days=5)
    response = client.post(
        extend.url,
        {
            "kind": "registration",
            "until": until.strftime("%d%m%Y"),
            "reason": "Chi bộ mới kiện toàn",
        },
    )
    assert response.status_code == 302 and response["Location"] == "/todo/"
    assert "Chi bộ thôn Phú Lộc — Chưa đăng ký" not in titles(staff_user, "Quá hạn")
    # The registration list shows the extension on that branch's row, and filters by state.
    listing = client.get(
        reverse("pledges:registration_list", args=[late_plan.pk]), {"state": "late"}
    )
    assert [r["organization"] for r in listing.context["rows"]] == [world.branch_b]
    listing = client.get(reverse("pledges:registration_list", args=[late_plan.pk]))
    assert "Gia hạn đăng ký đến" in listing.content.decode()
    assert "Chi bộ mới kiện toàn" in listing.content.decode()


def test_a_reminder_is_for_the_committee_staff_only(world, late_plan, login):
    key = f"{late_plan.pk}:{world.branch_a.pk}:registration:"
    response = login(world.users["secretary_own"]).post(reverse("pledges:remind"), {"item": [key]})
    assert response.status_code == 403
    outsider = staff_of(world.other_committee)  # staff of another commune: no such plan
    assert login(outsider).post(reverse("pledges:remind"), {"item": [key]}).status_code == 404


def test_the_secretary_sees_the_next_step_with_its_deadline_and_the_return_reason(
    world, late_plan, live_plan
):
    secretary = world.users["secretary_own"]
    work = titles(secretary, "Đăng ký, ký cam kết")
    assert f"Đăng ký xây dựng mô hình — Kế hoạch {live_plan.number}" in work
    late_item = next(
        i
        for g in queue_for(secretary)
        for i in g.items
        if i.title == f"Đăng ký xây dựng mô hình — Kế hoạch {late_plan.number}"
    )
    assert late_item.overdue and "Đảng bộ xã Quế Phú có thể gia hạn" in late_item.note
    registration = pledges.registration_register(
        actor=secretary, plan=live_plan, organization=world.branch_a
    )
    sign_pledge_directly(world, registration)
    pledges.pledge_return(
        actor=world.users["leader"],
        pledge=registration.pledges.get(),
        reason="Chỉ tiêu 2.1 thấp hơn năm trước",
    )
    (item,) = [
        i
        for g in queue_for(secretary)
        for i in g.items
        if i.title == f"Sửa và ký lại bản cam kết — Kế hoạch {live_plan.number}"
    ]
    assert "Chỉ tiêu 2.1 thấp hơn năm trước" in item.note
    # Staff follow the returned pledge until it is signed again.
    assert titles(world.users["staff"], "Bản cam kết bị trả lại, chờ chi bộ ký lại") == [
        "Chi bộ thôn Phú Lộc"
    ]


def test_the_official_sees_what_is_late_in_the_subtree_by_committee(world, late_plan):
    groups = {g.title: g for g in queue_for(world.users["official"])}
    group = groups["Quá hạn — Đảng bộ xã Quế Phú"]
    assert {i.organization for i in group.items} == {"Chi bộ thôn Phú Lộc", "Chi bộ thôn Hương Mao"}
    assert all(not i.actions for i in group.items)  # an official follows; staff act


def test_a_member_is_given_the_branch_plan_to_read(world, signed_registration, login):
    from tests.factories import UserFactory

    member = world.member_a
    account = UserFactory(username="dv.voanh", full_name=member.full_name)
    member.user = account
    member.save(update_fields=["user"])
    plan = signed_registration.plan
    assert titles(account) == [f"Kế hoạch số {plan.number} {plan.title}"]


@pytest.mark.parametrize("username", ["staff", "leader", "official", "secretary_own"])
def test_the_queue_page_reads_the_same_number_of_queries_at_10_and_300_branches(
    world, late_plan, login, username, django_assert_max_num_queries
):
    from tests.reports.test_dashboard import _grow

    """Computed afresh (every write changes the data version) at both sizes."""
    client = login(world.users[username])
    client.get(reverse("reports:worklist"))
    _grow(world, late_plan, 10)
    with CaptureQueriesContext(connection) as small:
        assert client.get(reverse("reports:worklist")).status_code == 200
    _grow(world, late_plan, 290)
    with django_assert_max_num_queries(len(small.captured_queries)):
        page = client.get(reverse("reports:worklist"))
    # Staff and the official see the 300 late signatures; the others their own few items.
    assert page.context["total"] >= {"staff": 300, "official": 300}.get(username, 0)
