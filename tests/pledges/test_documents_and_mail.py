import datetime
import io

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from pledges import services
from pledges.models import Reminder
from pledges.notifications import send_deadline_reminders
from tests.factories import administrator
from tests.pdf import text
from tests.sheets import split
from tests.test_mail import run_worker


@pytest.fixture
def registered(world, live_plan):
    return services.registration_register(
        actor=world.users["secretary_own"], plan=live_plan, organization=world.branch_a
    )


def test_draft_pdf_is_marked_and_unsealed(world, registered, login):
    from partydocs.verification import verify_pdf

    pledge = registered.pledges.get()
    content = (
        login(world.users["secretary_own"])
        .get(reverse("pledges:pledge_pdf", args=[pledge.pk]))
        .content
    )
    body = text(content)
    assert "DỰ THẢO" in body and "chưa ký" in body
    assert verify_pdf(content).reason == "no_signature"


def test_registration_list_pdf_and_excel(world, live_plan, registered, login):
    client = login(world.users["staff"])
    body = text(
        client.get(reverse("pledges:registration_export", args=[live_plan.pk, "pdf"])).content
    )
    assert "DANH SÁCH" in body and "Đã đăng ký: 1/2" in body
    assert (
        "Chi bộ thôn Phú Lộc" in body and "Chi bộ thôn Hương Mao" in body and "Chưa đăng ký" in body
    )
    sheet = load_workbook(
        io.BytesIO(
            client.get(reverse("pledges:registration_export", args=[live_plan.pk, "xlsx"])).content
        )
    ).active
    heading, rows = split(sheet)
    assert heading[0] == f"Danh sách đăng ký và ký cam kết — Kế hoạch số {live_plan.number}"
    assert rows[0][:2] == ["Tổ chức", "Đăng ký"]
    assert rows[1][:2] == ["Chi bộ thôn Phú Lộc", "Đã đăng ký"] and isinstance(
        rows[1][2], datetime.datetime
    )
    assert rows[2][:2] == ["Chi bộ thôn Hương Mao", "Chưa đăng ký"]


def test_late_registration_needs_staff_and_a_reason(world, live_plan):
    from django.core.exceptions import ValidationError

    live_plan.registration_deadline = timezone.localdate() - datetime.timedelta(days=1)
    live_plan.save(update_fields=["registration_deadline"])
    with pytest.raises(ValidationError) as error:
        services.registration_register(
            actor=world.users["secretary_own"], plan=live_plan, organization=world.branch_a
        )
    assert "Đã quá hạn đăng ký" in str(error.value)
    with pytest.raises(ValidationError) as error:
        services.registration_register(
            actor=world.users["staff"], plan=live_plan, organization=world.branch_a
        )
    assert "late_reason" in error.value.message_dict
    registration = services.registration_register(
        actor=world.users["staff"],
        plan=live_plan,
        organization=world.branch_a,
        late_reason="Chi bộ mới thành lập",
    )
    assert registration.is_late


def test_withdrawal_needs_a_reason_and_mails_staff(
    world, registered, django_capture_on_commit_callbacks
):
    from django.core.exceptions import ValidationError

    world.users["staff"].email = "staff@example.vn"
    world.users["staff"].save()
    with pytest.raises(ValidationError):
        services.registration_withdraw(
            actor=world.users["secretary_own"], registration=registered, reason=" "
        )
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_withdraw(
            actor=world.users["secretary_own"], registration=registered, reason="Chi bộ sáp nhập"
        )
    run_worker()  # the notice goes through the task worker
    assert len(mail.outbox) == 1 and "đã rút đăng ký" in mail.outbox[0].subject
    assert "Chi bộ sáp nhập" in mail.outbox[0].body


def test_reminders_before_deadlines_are_sent_once(
    world, live_plan, registered, django_capture_on_commit_callbacks
):
    world.users["secretary_other"].email = "x@example.vn"
    world.users["secretary_other"].save()
    secretary_b = world.users["secretary_own"].__class__.objects.create(
        username="bithu.b", full_name="Bí Thư B", email="b@example.vn"
    )
    from branches.services import role_assign

    role_assign(
        actor=administrator(), user=secretary_b, organization=world.branch_b, role="secretary"
    )
    world.users["secretary_own"].email = "a@example.vn"
    world.users["secretary_own"].save()
    today = live_plan.registration_deadline - datetime.timedelta(days=2)
    # Branch B has not registered (registration deadline in 2 days); branch A has not signed
    # (signing deadline in 12 days: too early).
    with django_capture_on_commit_callbacks(execute=True):
        assert send_deadline_reminders(today=today) == 1
    run_worker()
    assert mail.outbox[0].to == ["b@example.vn"] and "Nhắc hạn đăng ký" in mail.outbox[0].subject
    assert send_deadline_reminders(today=today) == 0  # idempotent
    signing_day = live_plan.signing_deadline - datetime.timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert send_deadline_reminders(today=signing_day) == 1
    run_worker()
    assert mail.outbox[-1].to == ["a@example.vn"] and "ký cam kết" in mail.outbox[-1].subject
    assert Reminder.objects.count() == 2


def test_the_reminder_command_runs(world, live_plan, capsys):
    from django.core.management import call_command

    call_command("send_reminders", "--days", "30")
    assert "Đã gửi" in capsys.readouterr().out
