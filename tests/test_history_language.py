"""History in the language of the record: what a user does with the English interface is kept in
a language-independent form and read back in each reader's language (audit.reasons)."""

import json

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from audit.reasons import Reason, describe, encode, label
from pledges.models import Registration


def _register_in_english(world, live_plan, login):
    client = login(world.users["secretary_own"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(
        reverse("pledges:register", args=[live_plan.pk, world.branch_a.pk]), {"late_reason": ""}
    )
    assert response.status_code == 302
    return Registration.objects.get(plan=live_plan, organization=world.branch_a)


def test_a_registration_made_in_english_is_kept_coded_and_read_in_each_language(
    world, live_plan, login
):
    registration = _register_in_english(world, live_plan, login)
    stored = registration.history.first().history_change_reason
    assert json.loads(stored) == {"m": "Đăng ký"}  # neither "Register" nor any one language
    with translation.override("vi"):
        assert describe(stored) == "Đăng ký"
    with translation.override("en"):
        assert describe(stored) == "Register"


def test_the_history_page_reads_in_the_readers_language(world, live_plan, login):
    registration = _register_in_english(world, live_plan, login)
    pledge = registration.pledges.get()
    url = reverse("pledges:pledge_history", args=[pledge.pk])
    reader = login(world.users["staff"])
    reader.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
    assert "Tạo dự thảo" in reader.get(url).content.decode()
    reader.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = reader.get(url).content.decode()
    assert "Create draft" in page and "Tạo dự thảo" not in page


def test_parameters_and_labels_are_kept_and_translated():
    stored = encode(Reason("Trả lại: %(reason)s", reason="Thiếu chỉ tiêu 1.2"))
    with translation.override("en"):
        assert describe(stored) == "Returned: Thiếu chỉ tiêu 1.2"  # what was typed stays as typed
        from reports.reviews.models import Nomination

        # A label is kept by its Vietnamese source text even when written in English.
        coded = encode(
            Reason("Xếp loại: %(column)s", column=label(Nomination.Status.APPROVED.label))
        )
        assert json.loads(coded)["p"]["column"] == {"m": "Được công nhận"}
        assert describe(coded) == "Rating: Recognized"


def test_a_reason_stored_before_the_coded_form_is_shown_as_it_was():
    assert describe("Nhập từ tệp (cũ)") == "Nhập từ tệp (cũ)"
    assert describe("") == "" and describe(None) == ""


def test_the_admin_history_shows_the_reason_in_the_readers_language(
    world, live_plan, login, admin_client
):
    registration = _register_in_english(world, live_plan, login)
    url = reverse("admin:pledges_registration_history", args=[registration.pk])
    page = admin_client.get(url).content.decode()
    assert "Đăng ký" in page and '{"m"' not in page


def test_history_shows_labels_and_names_never_codes_or_ids(world, live_plan, login):
    """The plan's status reads "Dự thảo → Đã ban hành", not "draft → published"; a review's
    assessor is a name, not "— → 3"; dates and numbers are written the Vietnamese way."""
    from decimal import Decimal

    from tests.reports.helpers import assess, fill_and_submit

    client = login(world.users["staff"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
    page = client.get(reverse("criteria:plan_history", args=[live_plan.pk])).content.decode()
    assert "Dự thảo → Đã ban hành" in page and "draft" not in page.split("<main")[1]
    from tests.conftest import sign_pledge_directly

    registration = _register_in_english(world, live_plan, login)
    sign_pledge_directly(world, registration)
    review = assess(world, fill_and_submit(world, registration, Decimal("0.9")))
    client = login(world.users["staff"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
    html = client.get(reverse("reports:review_history", args=[review.pk])).content.decode()
    assessor = review.assessed_by.get_full_name()
    assert f"— → {assessor}" in html
    assert f"— → {review.assessed_by_id}<" not in html
    assert "Đã nộp, chờ thẩm định → Đã thẩm định" in html
