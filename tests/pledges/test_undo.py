"""Undo where a tap can hurt (issue 19, item 4): an amendment is asked first and says what will
happen; a draft amendment can be discarded; the reason of a return stays on the draft that
answers it; the reason pages name their act and say what follows."""

import datetime

from django.urls import reverse
from django.utils import timezone

from pledges import services
from pledges.models import Pledge


def test_an_amendment_is_asked_first_then_made_and_can_be_discarded(
    world, signed_registration, login
):
    client = login(world.users["secretary_own"])
    signed = signed_registration.pledges.get()
    # One tap on "Tạo bản sửa đổi" opens a page; nothing is made yet.
    page = client.get(reverse("pledges:pledge_amend", args=[signed.pk]))
    html = page.content.decode()
    assert "Sẽ tạo bản sửa đổi lần 2" in html and "vẫn có hiệu lực" in html
    assert "Hạn ký cam kết" in html  # the deadline the amendment must be signed by
    assert signed_registration.pledges.count() == 1
    response = client.post(reverse("pledges:pledge_amend", args=[signed.pk]))
    draft = signed_registration.pledges.get(version=2)
    assert response["Location"] == reverse("pledges:pledge_edit", args=[draft.pk])
    page = client.get(reverse("pledges:pledge_detail", args=[draft.pk])).content.decode()
    assert reverse("pledges:pledge_discard", args=[draft.pk]) in page
    assert "Các mức đã nhập trong bản này sẽ mất" in page  # asked before the POST
    # Discarded: back to the version in force, which never changed.
    response = client.post(reverse("pledges:pledge_discard", args=[draft.pk]))
    assert response["Location"] == reverse("pledges:pledge_detail", args=[signed.pk])
    assert list(signed_registration.pledges.values_list("version", "status")) == [
        (1, Pledge.Status.SIGNED)
    ]
    record = Pledge.history.filter(id=draft.pk).order_by("-history_date").first()
    assert record.history_type == "-" and record.history_user == world.users["secretary_own"]


def test_a_first_draft_is_not_discarded_withdrawing_does_that(world, live_plan, login):
    registration = services.registration_register(
        actor=world.users["secretary_own"], plan=live_plan, organization=world.branch_a
    )
    draft = registration.pledges.get()
    response = login(world.users["secretary_own"]).post(
        reverse("pledges:pledge_discard", args=[draft.pk]), follow=True
    )
    assert "không hủy được; muốn thôi tham gia thì rút đăng ký" in response.content.decode()
    assert registration.pledges.count() == 1


def test_the_return_reason_stays_on_the_draft_that_answers_it(world, signed_registration, login):
    leader = world.users["leader"]
    signed = signed_registration.pledges.get()
    page = login(leader).get(reverse("pledges:pledge_return", args=[signed.pk])).content.decode()
    # The page names its act — not a bare "Xác nhận" like the acceptance — and says what follows.
    assert ">Trả lại để sửa</button>" in page and ">Xác nhận</button>" not in page
    assert "sửa thành bản sửa đổi lần 2 và ký lại" in page
    services.pledge_return(actor=leader, pledge=signed, reason="Chỉ tiêu 1.2 chưa sát thực tế")
    draft = services.pledge_amend(actor=world.users["secretary_own"], pledge=signed)
    client = login(world.users["secretary_own"])
    for url in ("pledges:pledge_detail", "pledges:pledge_edit"):
        html = client.get(reverse(url, args=[draft.pk])).content.decode()
        assert "Bản này sửa lại lần 1, cấp ủy trả lại vì:" in html, url
        assert "Chỉ tiêu 1.2 chưa sát thực tế" in html, url


def test_returning_after_the_signing_deadline_says_the_branch_needs_an_extension(
    world, signed_registration, login
):
    plan = signed_registration.plan
    plan.__class__.objects.filter(pk=plan.pk).update(
        signing_deadline=timezone.localdate() - datetime.timedelta(days=1)
    )
    signed = signed_registration.pledges.get()
    page = login(world.users["leader"]).get(reverse("pledges:pledge_return", args=[signed.pk]))
    assert "chi bộ chỉ ký lại được khi văn phòng cấp ủy gia hạn" in page.content.decode()


def test_the_current_version_link_follows_amendments(world, signed_registration, login):
    client = login(world.users["secretary_own"])
    url = reverse("pledges:current_pledge", args=[signed_registration.pk])
    signed = signed_registration.pledges.get()
    assert client.get(url)["Location"] == reverse("pledges:pledge_detail", args=[signed.pk])
    draft = services.pledge_amend(actor=world.users["secretary_own"], pledge=signed)
    assert client.get(url)["Location"] == reverse("pledges:pledge_detail", args=[draft.pk])
