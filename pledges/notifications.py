"""E-mail: staff hear when a pledge is signed or a registration withdrawn; secretaries when a
pledge is returned and before deadlines. Sent after the transaction commits."""

import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from criteria.models import Plan
from pledges.models import DeadlineExtension, Pledge, Reminder
from pledges.selectors import (
    deadline_for,
    registration_rows,
    secretary_emails,
    signer_signature,
    staff_emails,
)
from web.mail import queue_mail


def _send(template: str, context: dict, recipients: list[str], *, about) -> int:
    """Write the message (in Vietnamese) to the outbox; the task worker delivers it."""
    if not recipients:
        return 0
    with translation.override("vi"):
        subject = render_to_string(f"pledges/email/{template}_subject.txt", context).strip()
        body = render_to_string(
            f"pledges/email/{template}.txt", {**context, "site": settings.BONTOT_PUBLIC_URL}
        )
    queue_mail(
        kind=template, subject=subject, body=body, recipients=recipients, scope_path=about.path
    )
    return 1


def pledge_signed(pledge) -> int:
    registration = pledge.registration
    context = {
        "pledge": pledge,
        "registration": registration,
        "signature": signer_signature(pledge),
    }
    return _send(
        "pledge_signed",
        context,
        staff_emails(registration.plan.issuer),
        about=registration.organization,
    )


def registration_withdrawn(registration) -> int:
    return _send(
        "registration_withdrawn",
        {"registration": registration},
        staff_emails(registration.plan.issuer),
        about=registration.organization,
    )


def pledge_returned(pledge) -> int:
    registration = pledge.registration
    return _send(
        "pledge_returned",
        {"pledge": pledge, "registration": registration},
        secretary_emails(registration.organization),
        about=registration.organization,
    )


def send_deadline_reminders(*, today: datetime.date | None = None, days_before: int = 3) -> int:
    """Remind the secretaries of target branches that have not registered, or not signed, when a
    deadline is `days_before` days away or less (and not yet past). Each reminder is sent once
    per deadline, so running this every hour is harmless."""
    today = today or timezone.localdate()
    Kind = DeadlineExtension.Kind
    sent = 0
    for plan in Plan.objects.filter(status=Plan.Status.PUBLISHED).select_related("issuer"):
        year = plan.year_of(today)
        for row in registration_rows(plan, year):
            organization, registration, pledge = (
                row["organization"],
                row["registration"],
                row["pledge"],
            )
            if registration is None or not registration.is_active:
                kind = Kind.REGISTRATION
            elif pledge is None or pledge.status in (Pledge.Status.DRAFT, Pledge.Status.RETURNED):
                kind = Kind.SIGNING
            else:
                continue
            deadline = deadline_for(plan, organization, kind, year)
            if deadline is None or not (
                today <= deadline <= today + datetime.timedelta(days=days_before)
            ):
                continue
            try:
                with transaction.atomic():
                    Reminder.objects.create(
                        plan=plan, organization=organization, kind=kind, deadline=deadline
                    )
            except IntegrityError:
                continue  # already reminded for this deadline
            sent += deadline_reminder(
                plan, organization, kind, deadline, registration=registration, today=today
            )
    return sent


def deadline_reminder(
    plan: Plan,
    organization,
    kind: str,
    deadline: datetime.date,
    *,
    registration=None,
    year: int | None = None,
    today: datetime.date | None = None,
) -> int:
    """Write the reminder of one deadline (coming, or passed) to the organization's secretaries,
    with the address where the work is done: the registration, the pledge's current version,
    or the round's reviews."""
    today = today or timezone.localdate()
    Kind = DeadlineExtension.Kind
    if kind == Kind.REGISTRATION or registration is None:
        path = reverse("pledges:register", args=[plan.pk, organization.pk])
    elif kind == Kind.SIGNING:
        path = reverse("pledges:current_pledge", args=[registration.pk])
    else:
        round = "interim" if kind == Kind.INTERIM_REVIEW else "final"
        path = (
            reverse("reports:plan_reviews", args=[plan.pk])
            + f"?year={year or plan.start_year}&round={round}"
        )
    context = {
        "plan": plan,
        "organization": organization,
        "kind": Kind(kind).label,
        "year": year,
        "deadline": deadline,
        "days": (deadline - today).days,
        "late_days": (today - deadline).days,
        "path": path,
    }
    return _send("deadline_reminder", context, secretary_emails(organization), about=organization)
