"""Members as users (issue 17 item 1): staff create a branch's member accounts in bulk, each with
a temporary password changed at the first log-in; a member's account sees the member's own
records only — the year's rating, the attendance, the branch's plan."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from branches import services
from branches.models import Member, User
from reports.meetings.models import Meeting
from reports.meetings.services import meeting_save
from tests.factories import MemberFactory
from tests.pdf import text


def _create(world, login):
    MemberFactory(branch=world.branch_a, full_name="Nguyễn Thị Hoà")
    MemberFactory(branch=world.branch_a, full_name="Nguyễn Thị Hoà")  # the same name twice
    page = login(world.users["staff"]).post(
        reverse("branches:member_accounts", args=[world.branch_a.pk])
    )
    return page, page.context["created"]


def test_staff_create_the_missing_accounts_once_and_see_each_password_once(world, login):
    page, created = _create(world, login)
    body = page.content.decode()
    assert page.status_code == 200 and "Mật khẩu tạm chỉ hiện một lần." in body
    without = Member.objects.filter(branch=world.branch_a, is_active=True, user__isnull=True)
    assert not without.exists()
    usernames = [user.username for _m, user, _p in created]
    assert len(set(usernames)) == len(usernames) and all(u.isascii() for u in usernames)
    assert "dv.nguyenthihoa.01" in usernames and "dv.nguyenthihoa.012" in usernames
    for member, user, password in created:
        assert user.must_change_password and user.check_password(password)
        assert password in body and member.user == user
        assert not user.role_assignments.exists()  # a member's account carries no role
    # Again: nothing to create, nothing shown.
    again = login(world.users["staff"]).post(
        reverse("branches:member_accounts", args=[world.branch_a.pk])
    )
    assert again.context["created"] == [] and "Mọi đảng viên của chi bộ đã có tài khoản." in (
        again.content.decode()
    )


def test_only_the_branchs_staff_create_them_and_only_for_a_branch(world, login):
    from django.core.exceptions import PermissionDenied, ValidationError

    with pytest.raises(PermissionDenied):
        services.member_accounts_create(actor=world.users["secretary_own"], branch=world.branch_a)
    with pytest.raises(ValidationError, match="theo từng chi bộ"):
        services.member_accounts_create(actor=world.users["staff"], branch=world.committee)
    response = login(world.users["secretary_own"]).post(
        reverse("branches:member_accounts", args=[world.branch_a.pk])
    )
    assert response.status_code == 403
    assert Member.objects.filter(branch=world.branch_a, user__isnull=True).exists()


def test_the_first_log_in_changes_the_temporary_password_then_the_member_sees_their_records(
    world, login
):
    _page, created = _create(world, login)
    member, user, password = created[0]
    client = Client()
    client.post(reverse("login"), {"username": user.username, "password": password})
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"].startswith(
        reverse("password_change")
    )
    assert client.get(reverse("reports:my_records")).status_code == 302  # not before the change
    page = client.get(reverse("password_change"))
    assert "Tài khoản đang dùng mật khẩu tạm" in page.content.decode()
    new = "Hoa-Phu-Loc-2026!"
    client.post(
        reverse("password_change"),
        {"old_password": password, "new_password1": new, "new_password2": new},
    )
    user.refresh_from_db()
    assert not user.must_change_password and user.check_password(new)
    # The start page of a member's account is their own records.
    response = client.get(reverse("home"))
    assert response.status_code == 302 and reverse("reports:my_records") in response["Location"]
    # Their attendance, and nobody else's records (the page takes no member id).
    other = MemberFactory(branch=world.branch_a, full_name="Lê Văn Khác")
    meeting_save(
        actor=world.users["secretary_own"],
        branch=world.branch_a,
        date=datetime.date(2026, 3, 5),
        kind=Meeting.Kind.REGULAR,
        topic="Sinh hoạt tháng 3",
        duration_minutes=95,
        attendance={member.pk: "excused", other.pk: "present"},
    )
    body = client.get(reverse("reports:my_records") + "?year=2026").content.decode()
    assert member.full_name in body and "Vắng có lý do" in body and "Lê Văn Khác" not in body
    # Pages of the committee are not a member's: 404 or 403, never the page.
    for url in (
        reverse("branches:member_list"),
        reverse("branches:member_detail", args=[other.pk]),
        reverse("reports:meeting_list", args=[world.branch_a.pk]),
    ):
        assert client.get(url).status_code in (403, 404), url


def test_an_account_without_a_member_has_no_records_page(world, login):
    assert login(world.users["staff"]).get(reverse("reports:my_records")).status_code == 404


def test_the_member_downloads_their_branchs_plan_and_no_other(world, signed_registration, login):
    _page, created = _create(world, login)
    member, user, _password = created[0]
    User.objects.filter(pk=user.pk).update(must_change_password=False)
    client = login(User.objects.get(pk=user.pk))
    plan = signed_registration.plan
    page = client.get(reverse("reports:my_records") + f"?year={plan.start_year}")
    assert plan.number in page.content.decode()
    pdf = client.get(reverse("reports:my_plan_pdf", args=[plan.pk]))
    assert pdf.status_code == 200 and f"Số {plan.number}" in text(pdf.content)
    # A plan the branch is not registered in is not the member's to download.
    signed_registration.status = "withdrawn"
    signed_registration.save(update_fields=["status"])
    assert client.get(reverse("reports:my_plan_pdf", args=[plan.pk])).status_code == 404


def test_accounts_made_with_the_member_import_in_the_same_transaction(world, login):
    """Staff may create the accounts of the members a file imports, in the same commit: the
    passwords are shown once; if an account cannot be made, no member is imported either."""
    import io

    from branches.imports import MemberImporter
    from tests.branches.test_import import MEMBER_HEADER, member_row, xlsx

    client = login(world.users["staff"])
    upload = io.BytesIO(
        xlsx([MEMBER_HEADER, member_row(), member_row("Trần Văn Mới", card="49015556")])
    )
    upload.name = "dang-vien.xlsx"
    token = client.post(reverse("branches:import", args=["members"]), {"file": upload}).context[
        "token"
    ]
    page = client.post(
        reverse("branches:import_confirm", args=["members"]), {"token": token, "accounts": "1"}
    )
    assert page.status_code == 200 and "Mật khẩu tạm chỉ hiện một lần." in page.content.decode()
    created = page.context["created"]
    assert {m.full_name for m, _u, _p in created} == {"Nguyễn Thị Lan", "Trần Văn Mới"}
    for member, user, password in created:
        assert user.must_change_password and user.check_password(password)
        assert password in page.content.decode()
        assert Member.objects.get(pk=member.pk).user == user
    # Someone who cannot manage the members of a branch in the file gets nothing written.
    before = (Member.objects.count(), User.objects.count())
    importer = MemberImporter(actor=world.users["leader"], with_accounts=True)
    preview = importer.commit(xlsx([MEMBER_HEADER, member_row("Lê Thị Ba", card="49015557")]))
    assert not preview.ok  # the leader manages no member: the rows are refused, nothing written
    assert (Member.objects.count(), User.objects.count()) == before


def test_a_temporary_password_is_hashed_fast_and_rehashed_at_the_first_log_in(world, login):
    """Accounts made in bulk keep their random temporary password under a fast hash (it is
    replaced at the first log-in); a log-in re-hashes it with the preferred hasher."""
    from django.contrib.auth import authenticate
    from django.test import RequestFactory

    _page, created = _create(world, login)
    _member, user, password = created[0]
    user.refresh_from_db()
    assert user.password.startswith("pbkdf2_sha256_temporary$")
    request = RequestFactory().post("/")
    assert authenticate(request, username=user.username, password=password) == user
    user.refresh_from_db()
    assert not user.password.startswith("pbkdf2_sha256_temporary$")
    assert user.check_password(password)
