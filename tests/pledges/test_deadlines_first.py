"""Deadlines first (issue 19, item 3): every page where work with a deadline starts says when it
is due — and, once it has passed, that the system will refuse and who can extend it — before
anything is typed or drawn; a refused signing keeps the name, the consent and the drawing."""

import base64
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from criteria import services as plans
from pledges import services
from tests.conftest import sign_pledge_directly
from tests.factories import staff
from tests.reports.helpers import open_review

TODAY = timezone.localdate


def _plan(world, *, signing_in_days: int, registration_in_days: int):
    today = TODAY()
    plan = plans.plan_create(
        actor=world.users["staff"],
        issuer=world.committee,
        model="branch",
        issue_date=today - datetime.timedelta(days=40),
        start_year=today.year,
        end_year=today.year,
        registration_deadline=today + datetime.timedelta(days=registration_in_days),
        signing_deadline=today + datetime.timedelta(days=signing_in_days),
        final_review_deadline=today + datetime.timedelta(days=max(signing_in_days, 0) + 30),
        signer_name="Nguyễn Văn Định",
    )
    plans.plan_publish(actor=staff(), plan=plan)
    return plan


@pytest.fixture
def late_signing(world):
    """Branch A registered in time; the signing deadline passed yesterday."""
    plan = _plan(world, signing_in_days=20, registration_in_days=10)
    registration = services.registration_register(
        actor=world.users["secretary_own"], plan=plan, organization=world.branch_a
    )
    yesterday = TODAY() - datetime.timedelta(days=1)
    plan.__class__.objects.filter(pk=plan.pk).update(
        registration_deadline=yesterday - datetime.timedelta(days=1), signing_deadline=yesterday
    )
    return registration


def test_the_pledge_page_says_when_signing_is_due_before_anything_is_typed(world, live_plan, login):
    registration = services.registration_register(
        actor=world.users["secretary_own"], plan=live_plan, organization=world.branch_a
    )
    pledge = registration.pledges.get()
    client = login(world.users["secretary_own"])
    due = live_plan.signing_deadline.strftime("%d/%m/%Y")
    for url in ("pledge_detail", "pledge_edit", "pledge_sign"):
        page = client.get(reverse(f"pledges:{url}", args=[pledge.pk])).content.decode()
        assert f"Hạn ký cam kết: {due}" in page and "còn 20 ngày" in page, url


def test_after_the_deadline_the_secretary_is_told_before_signing_and_who_can_extend(
    world, late_signing, login
):
    pledge = late_signing.pledges.get()
    client = login(world.users["secretary_own"])
    page = client.get(reverse("pledges:pledge_detail", args=[pledge.pk])).content.decode()
    assert (
        "Đã quá hạn ký cam kết" in page and "Chỉ văn phòng Đảng bộ xã Quế Phú gia hạn được" in page
    )
    assert reverse("pledges:pledge_sign", args=[pledge.pk]) not in page  # no button to a refusal
    signing = client.get(reverse("pledges:pledge_sign", args=[pledge.pk])).content.decode()
    assert "Đã quá hạn ký cam kết" in signing and 'name="password"' not in signing
    # Staff see the same notice with the extension, which brings them back to the pledge.
    page = login(world.users["staff"]).get(reverse("pledges:pledge_detail", args=[pledge.pk]))
    extend = reverse("pledges:extend", args=[late_signing.plan.pk, world.branch_a.pk])
    assert f"{extend}?kind=signing&amp;next=/pledges/{pledge.pk}/" in page.content.decode()


def test_a_late_registration_is_refused_on_the_page_not_after_the_click(world, login):
    plan = _plan(world, signing_in_days=10, registration_in_days=5)
    plan.__class__.objects.filter(pk=plan.pk).update(
        registration_deadline=TODAY() - datetime.timedelta(days=2)
    )
    url = reverse("pledges:register", args=[plan.pk, world.branch_a.pk])
    page = login(world.users["secretary_own"]).get(url).content.decode()
    assert "Đã quá hạn đăng ký" in page and '<form method="post"' not in page.split("<main")[1]
    page = login(world.users["staff"]).get(url).content.decode()
    assert 'name="late_reason"' in page  # staff register a branch late, with a reason


def test_a_late_draft_review_offers_no_submit_and_says_who_extends(
    world, signed_registration, login
):
    review = open_review(world, signed_registration)
    plan = signed_registration.plan
    plan.__class__.objects.filter(pk=plan.pk).update(
        final_review_deadline=TODAY() - datetime.timedelta(days=1)
    )
    client = login(world.users["secretary_own"])
    page = client.get(reverse("reports:review_detail", args=[review.pk])).content.decode()
    assert "Đã quá hạn tổng kết" in page
    assert reverse("reports:review_submit", args=[review.pk]) not in page
    page = client.get(reverse("reports:review_submit", args=[review.pk])).content.decode()
    assert "Đã quá hạn tổng kết" in page and 'name="password"' not in page


def _drawing() -> str:
    out = io.BytesIO()
    Image.new("RGBA", (600, 200), (255, 255, 255, 0)).save(out, "PNG")
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode()


def test_a_refused_signing_keeps_the_name_the_consent_and_the_drawing(
    world, live_plan, login, sign_data
):
    registration = services.registration_register(
        actor=world.users["secretary_own"], plan=live_plan, organization=world.branch_a
    )
    pledge = registration.pledges.get()
    client = login(world.users["secretary_own"])
    drawing = _drawing()
    data = sign_data(client, pledge, password="sai-mat-khau", drawing=drawing)
    page = client.post(reverse("pledges:pledge_sign", args=[pledge.pk]), data)
    html = page.content.decode()
    assert page.status_code == 200 and "Mật khẩu không đúng." in html
    assert f'value="{drawing}"' in html  # signature-pad.js paints it back on the canvas
    assert 'value="Phạm Văn Tài"' in html and 'name="consent"' in html
    assert page.context["form"]["consent"].value() is True
    # The password alone is typed again: it is never sent back to the browser.
    assert "sai-mat-khau" not in html
    sign_pledge_directly(world, registration)  # and with the right one it signs
