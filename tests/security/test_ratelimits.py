"""Rate limits on the costly endpoints: documents generated on request and the public
verification upload answer 429 with a Vietnamese page once the budget is spent."""

from django.test import override_settings
from django.urls import reverse

from tests.test_access import _with_pledges

# Every endpoint that builds a PDF or an Excel file on request.
DOCUMENTS = {
    "criteria:plan_pdf": lambda w: [w.plan.pk],
    "criteria:plan_xlsx": lambda w: [w.plan.pk],
    "pledges:registration_export": lambda w: [w.plan.pk, "xlsx"],
    "pledges:pledge_pdf": lambda w: [w.signed.pk],
    "reports:review_document": lambda w: [w.review.pk, "self", "pdf"],
    "reports:decision_pdf": lambda w: [w.decision.pk],
    "reports:summary_export": lambda w: [w.plan.pk, "xlsx"],
}


def _is_429_page(response):
    body = response.content.decode()
    return (
        response.status_code == 429
        and "Quá nhiều yêu cầu trong thời gian ngắn" in body
        and response["Retry-After"] == "60"  # the window of the default "…/m" rates
    )


@override_settings(BONTOT_RATE_DOCUMENTS="0/5m")
def test_retry_after_is_the_longest_window(world, plan, login):
    response = login(world.users["staff"]).get(reverse("criteria:plan_xlsx", args=[plan.pk]))
    assert response.status_code == 429 and response["Retry-After"] == "300"


@override_settings(BONTOT_RATE_DOCUMENTS="0/m", BONTOT_RATE_VERIFY_UPLOAD="0/m")
def test_every_costly_endpoint_is_rate_limited(world, plan, login, pdf_upload):
    _with_pledges(world, plan)
    client = login(world.users["staff"])
    for name, args in DOCUMENTS.items():
        response = client.get(reverse(name, args=args(world)))
        assert _is_429_page(response), name
    response = client.post(reverse("partydocs:verify_upload"), {"file": pdf_upload("x.pdf")})
    assert _is_429_page(response)


@override_settings(BONTOT_RATE_DOCUMENTS="2/m")
def test_documents_share_one_budget_per_user(world, plan, login, client):
    _with_pledges(world, plan)
    staff = login(world.users["staff"])
    url = reverse("criteria:plan_xlsx", args=[plan.pk])
    assert [staff.get(url).status_code for _ in range(2)] == [200, 200]
    assert _is_429_page(staff.get(url))
    assert _is_429_page(staff.get(reverse("criteria:plan_pdf", args=[plan.pk])))
    # Somebody else is not held up by it.
    client.logout()
    assert login(world.users["leader"]).get(url).status_code == 200


@override_settings(BONTOT_RATE_VERIFY_UPLOAD="1/m")
def test_verification_uploads_are_limited_per_address(client, db, pdf_upload):
    url = reverse("partydocs:verify_upload")
    assert (
        client.post(url, {"file": pdf_upload("a.pdf")}, REMOTE_ADDR="10.1.1.1").status_code == 200
    )
    assert _is_429_page(client.post(url, {"file": pdf_upload("b.pdf")}, REMOTE_ADDR="10.1.1.1"))
    assert client.get(url, REMOTE_ADDR="10.1.1.1").status_code == 200  # the form itself is free
    assert (
        client.post(url, {"file": pdf_upload("c.pdf")}, REMOTE_ADDR="10.2.2.2").status_code == 200
    )
