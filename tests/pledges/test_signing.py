"""Signing refuses bad input with a clear answer and changes nothing."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from partydocs.models import Signature
from pledges import services
from pledges.models import DeadlineExtension, Pledge, PledgeTarget


@pytest.fixture
def draft(world, live_plan):
    registration = services.registration_register(
        actor=world.users["secretary_own"], plan=live_plan, organization=world.branch_a
    )
    return registration.pledges.get()


def _post_sign(client, pledge, data):
    return client.post(reverse("pledges:pledge_sign", args=[pledge.pk]), data)


@pytest.mark.parametrize(
    ("override", "field", "message"),
    [
        ({"password": "sai-mat-khau"}, "password", "Mật khẩu không đúng."),
        (
            {"full_name": "Phạm Văn Tai"},
            "full_name",
            "Họ tên gõ vào không khớp với họ tên của tài khoản (Phạm Văn Tài).",
        ),
        ({"consent": ""}, "consent", "Hãy đánh dấu xác nhận trước khi ký."),
    ],
)
def test_bad_evidence_is_refused_and_the_draft_stays(
    world, draft, login, sign_data, override, field, message
):
    client = login(world.users["secretary_own"])
    response = _post_sign(client, draft, sign_data(client, draft, **override))
    assert response.status_code == 200
    assert message in response.context["form"].errors[field]
    draft.refresh_from_db()
    assert draft.status == Pledge.Status.DRAFT and not Signature.objects.exists()
    # What was typed is kept (but never the password).
    page = response.content.decode()
    if field != "full_name":
        assert 'value="Phạm Văn Tài"' in page
    assert "sai-mat-khau" not in page


def test_name_match_ignores_case_and_nfd(world, draft, login, sign_data):
    import unicodedata

    client = login(world.users["secretary_own"])
    data = sign_data(client, draft, full_name=unicodedata.normalize("NFD", "PHẠM VĂN TÀI"))
    assert _post_sign(client, draft, data).status_code == 302


def test_wrong_passwords_count_towards_the_lock_out(world, draft, login, sign_data):
    client = login(world.users["secretary_own"])
    for _ in range(5):
        _post_sign(client, draft, sign_data(client, draft, password="sai"))
    response = _post_sign(client, draft, sign_data(client, draft))
    assert "Tài khoản tạm bị khóa" in str(response.context["form"].errors["password"])
    assert not Signature.objects.exists()


def test_the_secretary_of_another_branch_gets_404(world, draft, login, sign_data):
    client = login(world.users["secretary_other"])
    assert client.get(reverse("pledges:pledge_sign", args=[draft.pk])).status_code == 404
    assert (
        client.post(reverse("pledges:pledge_sign", args=[draft.pk]), {"password": "x"}).status_code
        == 404
    )


def test_staff_can_fill_but_not_sign(world, draft, login):
    client = login(world.users["staff"])
    assert client.get(reverse("pledges:pledge_edit", args=[draft.pk])).status_code == 200
    assert client.get(reverse("pledges:pledge_sign", args=[draft.pk])).status_code == 403


def test_signing_after_the_deadline_needs_an_extension(world, draft, login, sign_data, live_plan):
    client = login(world.users["secretary_own"])
    data = sign_data(client, draft)
    live_plan.signing_deadline = timezone.localdate() - datetime.timedelta(days=1)
    live_plan.save(update_fields=["signing_deadline"])
    response = _post_sign(client, draft, data)
    assert "Đã quá hạn ký cam kết" in str(response.context["form"].non_field_errors())
    assert not Signature.objects.exists()
    services.deadline_extend(
        actor=world.users["staff"],
        plan=live_plan,
        organization=world.branch_a,
        kind=DeadlineExtension.Kind.SIGNING,
        until=timezone.localdate() + datetime.timedelta(days=3),
        reason="Chi bộ đi tập huấn",
    )
    assert _post_sign(client, draft, sign_data(client, draft)).status_code == 302


def test_a_change_after_viewing_means_review_again(world, draft, login, sign_data):
    client = login(world.users["secretary_own"])
    data = sign_data(client, draft)
    target = draft.targets.filter(indicator__target_kind="number").first()
    services.pledge_save(
        actor=world.users["staff"],
        pledge=draft,
        targets={target.indicator_id: {"value_number": target.value_number + 1}},
        commitments={},
    )
    response = _post_sign(client, draft, data)
    assert "Nội dung bản cam kết đã thay đổi kể từ lúc bạn xem" in str(
        response.context["form"].non_field_errors()
    )


def test_missing_targets_are_named(world, draft, login, sign_data):
    draft.targets.filter(indicator__criterion__order=2, indicator__order=1).update(
        value_number=None
    )
    client = login(world.users["secretary_own"])
    response = _post_sign(client, draft, sign_data(client, draft))
    assert "Chưa nhập mức cam kết cho các chỉ tiêu: 2.1." in str(
        response.context["form"].non_field_errors()
    )


def test_double_click_signs_once(world, draft, login, sign_data):
    client = login(world.users["secretary_own"])
    data = sign_data(client, draft)
    first = _post_sign(client, draft, data)
    second = _post_sign(client, draft, data)
    assert first.status_code == second.status_code == 302
    assert Signature.objects.count() == 1


def test_editing_a_signed_pledge_through_the_form_or_a_crafted_post_is_refused(
    world, draft, login, sign_data
):
    client = login(world.users["secretary_own"])
    _post_sign(client, draft, sign_data(client, draft))
    target = draft.targets.first()
    before = (target.value_yes, target.value_number)
    response = client.post(
        reverse("pledges:pledge_edit", args=[draft.pk]), {f"target_{target.indicator_id}": "0"}
    )
    assert response.status_code == 302  # back to the pledge, with a message
    with pytest.raises(ValidationError):
        services.pledge_save(
            actor=world.users["secretary_own"],
            pledge=draft,
            targets={target.indicator_id: {"value_yes": False}},
            commitments={},
        )
    target.refresh_from_db()
    assert (target.value_yes, target.value_number) == before


def test_the_admin_cannot_change_signed_content(world, draft, login, sign_data, admin_client):
    client = login(world.users["secretary_own"])
    _post_sign(client, draft, sign_data(client, draft))
    assert admin_client.get(reverse("admin:partydocs_signature_changelist")).status_code == 200
    signature = Signature.objects.get()
    page = admin_client.get(reverse("admin:partydocs_signature_change", args=[signature.pk]))
    assert page.status_code == 200 and b'name="content_hash"' not in page.content  # read-only
    assert (
        admin_client.post(
            reverse("admin:partydocs_signature_delete", args=[signature.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    assert Signature.objects.filter(pk=signature.pk).exists()


def test_signed_targets_cannot_be_changed_by_the_database_layer_either(
    world, draft, login, sign_data, django_db_blocker
):
    from django.db import IntegrityError, connection, transaction

    client = login(world.users["secretary_own"])
    _post_sign(client, draft, sign_data(client, draft))
    if connection.vendor != "postgresql":
        pytest.skip("the database-level refusal is a PostgreSQL trigger")
    with pytest.raises(IntegrityError), transaction.atomic():
        PledgeTarget.objects.filter(pledge=draft).update(value_number=99)
    with pytest.raises(IntegrityError), transaction.atomic():
        PledgeTarget.objects.filter(pledge=draft).delete()
    with pytest.raises(IntegrityError), transaction.atomic():
        Signature.objects.filter(pk__in=draft.signatures.values("pk")).update(
            full_name="Người khác"
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Signature.objects.filter(pk__in=draft.signatures.values("pk")).delete()
    with pytest.raises(IntegrityError), transaction.atomic():
        Pledge.objects.filter(pk=draft.pk).update(status="draft")
    # Moving forward is allowed.
    Pledge.objects.filter(pk=draft.pk).update(status="accepted")
