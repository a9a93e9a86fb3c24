"""The whole pledge flow through the pages: register → fill → sign → return → amend → sign → accept."""

import json

from django.core import mail
from django.urls import reverse

from partydocs.models import Signature
from partydocs.signing import canonical_json, content_hash
from pledges.models import Pledge, Registration
from tests.conftest import PASSWORD
from tests.pdf import text
from tests.test_mail import run_worker


def test_register_fill_sign_return_amend_sign_accept(
    world, live_plan, login, sign_data, django_capture_on_commit_callbacks
):
    secretary, leader = world.users["secretary_own"], world.users["leader"]
    world.users["staff"].email = "staff@example.vn"
    world.users["staff"].save()
    branch = world.branch_a

    # Register.
    client = login(secretary)
    response = client.post(reverse("pledges:register", args=[live_plan.pk, branch.pk]))
    registration = Registration.objects.get(plan=live_plan, organization=branch)
    pledge = registration.pledges.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "pledges:pledge_detail", args=[pledge.pk]
    )

    # Fill: the first draft starts from the plan's suggested targets; change some.
    page = client.get(reverse("pledges:pledge_edit", args=[pledge.pk]))
    form = page.context["form"]
    data = {
        name: (field.initial if field.initial is not None else "")
        for name, field in form.fields.items()
    }
    data = {k: ("1" if v is True else v) for k, v in data.items()}
    regular = next(
        i for g in form.groups for i, _t, _n in g["rows"] if i.auto_source == "regular_meetings"
    )
    data[f"target_{regular.pk}"] = "12"
    first_criterion = form.groups[0]["criterion"]
    data[f"commitment_{first_criterion.pk}"] = "Lãnh đạo hoàn thành 100% chỉ tiêu nghị quyết năm."
    assert client.post(reverse("pledges:pledge_edit", args=[pledge.pk]), data).status_code == 302

    # Sign (the draft shown is exactly what gets signed).
    data = sign_data(client, pledge)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("pledges:pledge_sign", args=[pledge.pk]),
            data,
            REMOTE_ADDR="10.1.2.3",
            HTTP_USER_AGENT="Firefox test",
        )
    assert response.status_code == 302
    pledge.refresh_from_db()
    assert pledge.status == Pledge.Status.SIGNED
    signature = pledge.signatures.get()
    assert (
        signature.full_name,
        signature.position,
        signature.ip_address,
        signature.user_agent,
    ) == ("Phạm Văn Tài", "Bí thư chi bộ", "10.1.2.3", "Firefox test")
    assert signature.content_hash == content_hash(signature.canonical)
    content = json.loads(signature.canonical)
    assert (
        content["criteria"][0]["commitment"] == "Lãnh đạo hoàn thành 100% chỉ tiêu nghị quyết năm."
    )
    assert canonical_json(content) == signature.canonical
    run_worker()  # the notices go through the task worker
    assert [m.subject for m in mail.outbox] == [
        f"Chi bộ thôn Phú Lộc đã ký bản cam kết ({live_plan.number})"
    ]
    live_plan.refresh_from_db()
    assert live_plan.criteria_locked  # the first signature locks the plan's criteria

    # The leader returns it with a reason.
    client = login(leader)
    assert (
        client.post(
            reverse("pledges:pledge_return", args=[pledge.pk]), {"reason": "Chỉ tiêu 1.2 chưa sát."}
        ).status_code
        == 302
    )
    pledge.refresh_from_db()
    assert (pledge.status, pledge.return_reason) == (
        Pledge.Status.RETURNED,
        "Chỉ tiêu 1.2 chưa sát.",
    )

    # The secretary amends: a new version, copied, then signed again.
    client = login(secretary)
    response = client.post(reverse("pledges:pledge_amend", args=[pledge.pk]))
    amended = registration.pledges.get(version=2)
    assert response["Location"] == reverse("pledges:pledge_edit", args=[amended.pk])
    assert amended.targets.count() == pledge.targets.count()
    response = client.post(
        reverse("pledges:pledge_sign", args=[amended.pk]), sign_data(client, amended)
    )
    assert response.status_code == 302
    amended.refresh_from_db()
    assert amended.status == Pledge.Status.SIGNED

    # The leader accepts by countersigning.
    client = login(leader)
    data = sign_data(client, amended, url_name="pledges:pledge_accept", full_name="Nguyễn Văn Định")
    assert client.post(reverse("pledges:pledge_accept", args=[amended.pk]), data).status_code == 302
    amended.refresh_from_db()
    assert amended.status == Pledge.Status.ACCEPTED
    counter = amended.signatures.get(role=Signature.Role.COUNTERSIGNER)
    assert counter.content_hash == amended.signatures.get(role=Signature.Role.SIGNER).content_hash

    # Every version stays readable, the returned one with its reason.
    page = client.get(reverse("pledges:pledge_detail", args=[pledge.pk])).content.decode()
    assert "Chỉ tiêu 1.2 chưa sát." in page and "Lần 2" in page

    # The accepted PDF shows both signatures, the targets and the code.
    pdf = client.get(reverse("pledges:pledge_pdf", args=[amended.pk])).content
    body = text(pdf)
    code = amended.signatures.get(role=Signature.Role.SIGNER).code
    assert "BẢN CAM KẾT" in body and "Chi bộ thôn Phú Lộc" in body
    assert "12 kỳ" in body and "Phạm Văn Tài" in body and "Nguyễn Văn Định" in body
    assert f"Mã xác minh: {code}" in body and body.count("Đã ký điện tử") == 2
    assert "Bản sửa đổi lần 2" in body
    assert PASSWORD not in body


def test_registration_counts_on_the_list(world, live_plan, login):
    client = login(world.users["staff"])
    client.post(reverse("pledges:register", args=[live_plan.pk, world.branch_a.pk]))
    page = client.get(reverse("pledges:registration_list", args=[live_plan.pk])).content.decode()
    assert "1/2" in page  # registered 1 of 2 targets


def test_a_target_typed_with_a_comma_or_a_point_is_six_and_a_half(world, live_plan, login):
    """The pledge form shows its numbers with a decimal comma, as the labels beside them, and
    reads "6,5" and "6.5" alike in either interface language — never 65."""
    from decimal import Decimal

    from pledges import services

    registration = services.registration_register(
        actor=world.users["secretary_own"], plan=live_plan, organization=world.branch_a
    )
    pledge = registration.pledges.get()
    client = login(world.users["secretary_own"])
    page = client.get(reverse("pledges:pledge_edit", args=[pledge.pk]))
    form = page.context["form"]
    data = {n: (f.initial if f.initial is not None else "") for n, f in form.fields.items()}
    data = {k: ("1" if v is True else v) for k, v in data.items()}
    percent = next(i for g in form.groups for i, _t, _n in g["rows"] if i.target_kind == "percent")
    for language, typed in [("vi", "66,5"), ("en", "66.5"), ("en", "66,5"), ("vi", "66.5")]:
        client.cookies["django_language"] = language
        data[f"target_{percent.pk}"] = typed
        response = client.post(reverse("pledges:pledge_edit", args=[pledge.pk]), data)
        assert response.status_code == 302, typed
        assert pledge.targets.get(indicator=percent).value_number == Decimal("66.5"), typed
    client.cookies["django_language"] = "vi"
    html = client.get(reverse("pledges:pledge_edit", args=[pledge.pk])).content.decode()
    assert f'name="target_{percent.pk}" value="66,5"' in html
