"""The work on registrations and pledges, for the work queue (web.worklist): pledges a leader
has to countersign, returned pledges the staff follow, and each secretary's registration and
signing. The one-click actions staff take on late work (remind now, extend) are built here."""

import datetime
from collections import defaultdict

from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from branches.models import Organization, RoleAssignment
from branches.selectors import scope_q
from criteria.models import Plan
from pledges.models import DeadlineExtension, Pledge, Registration
from vietnamese.dates import short_date
from web import worklist

Role = RoleAssignment.Role
Kind = DeadlineExtension.Kind
IN_FORCE = (Pledge.Status.SIGNED, Pledge.Status.ACCEPTED)
QUEUE_URL = "/todo/"


def reminder_key(plan_id: int, organization_id: int, kind: str, year: int | None) -> str:
    """What the reminder of one late item names (pledges.registration_views.remind reads it)."""
    return f"{plan_id}:{organization_id}:{kind}:{year or ''}"


def late_actions(plan_id: int, organization_id: int, kind: str, year: int | None, *, late: bool):
    """Remind now, and — once the deadline has passed — extend it with a reason."""
    actions = [
        worklist.Action(
            _("Nhắc ngay"),
            reverse("pledges:remind"),
            fields=(("item", reminder_key(plan_id, organization_id, kind, year)),),
        )
    ]
    if late:
        actions.append(
            worklist.Action(
                _("Gia hạn"),
                reverse("pledges:extend", args=[plan_id, organization_id])
                + f"?kind={kind}&next={QUEUE_URL}",
            )
        )
    return tuple(actions)


def deadline_note(deadline: datetime.date | None, issuer: Organization, *, today=None) -> str:
    """ "Hạn 31/08/2023", or, once it has passed, who can extend it."""
    if deadline is None:
        return ""
    if deadline < (today or timezone.localdate()):
        return _("Quá hạn từ %(date)s — văn phòng %(issuer)s có thể gia hạn.") % {
            "date": short_date(deadline),
            "issuer": issuer.name,
        }
    return _("Hạn %(date)s.") % {"date": short_date(deadline)}


def _extensions(plans) -> dict[tuple[int, int, str], datetime.date]:
    return {
        (e.plan_id, e.organization_id, e.kind): e.until
        for e in DeadlineExtension.objects.filter(plan__in=plans)
    }


def _deadline(
    plan: Plan, organization_id: int, kind: str, extensions, year: int
) -> datetime.date | None:
    """The deadline of `year` (a plan over several years repeats its dates every year), an
    extension counting when later — as pledges.selectors.deadline_for reads it, from the
    extensions read once."""
    base = plan.deadline_for_year(DeadlineExtension.PLAN_FIELDS[Kind(kind)], year)
    extended = extensions.get((plan.pk, organization_id, kind))
    return max(base, extended) if base and extended else (base or extended)


@worklist.provider(Role.LEADER)
def pledges_to_countersign(user):
    """Signed pledges of the plans the leader's committees issued, waiting for acceptance."""
    pledges = (
        Pledge.objects.filter(
            scope_q(user, lookup="registration__plan__issuer__path", roles={Role.LEADER}),
            status=Pledge.Status.SIGNED,
            registration__status=Registration.Status.REGISTERED,
            registration__plan__status=Plan.Status.PUBLISHED,
        )
        .select_related("registration__organization", "registration__plan")
        .prefetch_related("signatures")
        .order_by("registration__organization__path")
    )
    for pledge in pledges:
        registration = pledge.registration
        signed = next((s.signed_at for s in pledge.signatures.all() if s.role == "signer"), None)
        yield worklist.WorkItem(
            group=_("Bản cam kết chờ ký xác nhận"),
            title=_("%(org)s — lần %(n)s")
            % {"org": registration.organization.name, "n": pledge.version},
            url=reverse("pledges:pledge_detail", args=[pledge.pk]),
            organization=registration.organization.name,
            year=registration.year,
            note=_("Kế hoạch %(number)s; bí thư đã ký ngày %(date)s.")
            % {
                "number": registration.plan.number,
                "date": short_date(timezone.localdate(signed)) if signed else "—",
            },
            order=10,
        )


@worklist.provider(Role.STAFF)
def returned_pledges(user):
    """Pledges the committee returned that no newer signed version answers yet."""
    registrations = (
        Registration.objects.filter(
            scope_q(user, lookup="plan__issuer__path", roles={Role.STAFF}),
            status=Registration.Status.REGISTERED,
            plan__status=Plan.Status.PUBLISHED,
            pledges__status=Pledge.Status.RETURNED,
        )
        .exclude(pledges__status__in=IN_FORCE)
        .select_related("organization", "plan__issuer")
        .prefetch_related(
            Prefetch("pledges", queryset=Pledge.objects.order_by("-version"), to_attr="versions")
        )
        .distinct()
    )
    registrations = list(registrations)
    extensions = _extensions({r.plan for r in registrations})
    today = timezone.localdate()
    for registration in registrations:
        plan, organization = registration.plan, registration.organization
        newest = registration.versions[0]
        returned = next(p for p in registration.versions if p.status == Pledge.Status.RETURNED)
        deadline = _deadline(plan, organization.pk, Kind.SIGNING, extensions, registration.year)
        late = bool(deadline and deadline < today)
        yield worklist.WorkItem(
            group=_("Bản cam kết bị trả lại, chờ chi bộ ký lại"),
            title=organization.name,
            url=reverse("pledges:pledge_detail", args=[newest.pk]),
            organization=organization.name,
            year=registration.year,
            deadline=deadline,
            overdue=late,
            note=_("Kế hoạch %(number)s; lý do trả lại: %(reason)s")
            % {"number": plan.number, "reason": returned.return_reason},
            actions=late_actions(plan.pk, organization.pk, Kind.SIGNING, None, late=late),
            key=reminder_key(plan.pk, organization.pk, Kind.SIGNING, None),
            order=20,
        )


def secretary_branches(user):
    """The active organizations the user is secretary of."""
    return Organization.objects.filter(
        role_assignments__user=user,
        role_assignments__role=Role.SECRETARY,
        is_active=True,
    ).distinct()


@worklist.provider(Role.SECRETARY)
def registration_and_signing(user):
    """For each branch of the secretary and each issued plan that targets it: registering, and
    signing the pledge (or signing again what the committee returned) — with the deadline, and
    who can extend it once it has passed."""
    branches = list(secretary_branches(user))
    if not branches:
        return
    targets = defaultdict(list)
    for plan_id, organization_id in Plan.targets.through.objects.filter(
        organization__in=branches, plan__status=Plan.Status.PUBLISHED
    ).values_list("plan_id", "organization_id"):
        targets[plan_id].append(organization_id)
    plans = Plan.objects.filter(pk__in=targets).select_related("issuer")
    today = timezone.localdate()
    # A plan over several years is registered for and pledged year by year: the year today
    # falls in is the one to do.
    registrations = {
        (r.plan_id, r.organization_id): r
        for r in Registration.objects.filter(plan__in=plans, organization__in=branches)
        .select_related("plan")
        .prefetch_related(
            Prefetch("pledges", queryset=Pledge.objects.order_by("-version"), to_attr="versions")
        )
        if r.year == r.plan.year_of(today)
    }
    extensions = _extensions(plans)
    names = {b.pk: b.name for b in branches}
    for plan in plans:
        year = plan.year_of(today)
        for organization_id in targets[plan.pk]:
            registration = registrations.get((plan.pk, organization_id))
            if registration is None:
                deadline = _deadline(plan, organization_id, Kind.REGISTRATION, extensions, year)
                yield worklist.WorkItem(
                    group=_("Đăng ký, ký cam kết"),
                    title=_("Đăng ký xây dựng mô hình — Kế hoạch %(number)s")
                    % {"number": plan.number},
                    url=reverse("pledges:register", args=[plan.pk, organization_id])
                    + f"?year={year}",
                    organization=names[organization_id],
                    year=year,
                    deadline=deadline,
                    overdue=deadline < today,
                    note=deadline_note(deadline, plan.issuer, today=today),
                    order=10,
                )
                continue
            if not registration.is_active or any(
                p.status in IN_FORCE for p in registration.versions
            ):
                continue
            newest = registration.versions[0]
            returned = next(
                (p for p in registration.versions if p.status == Pledge.Status.RETURNED), None
            )
            deadline = _deadline(plan, organization_id, Kind.SIGNING, extensions, year)
            note = deadline_note(deadline, plan.issuer, today=today)
            if returned is not None:
                note = (
                    _("Cấp ủy trả lại: %(reason)s") % {"reason": returned.return_reason}
                    + " "
                    + note
                )
            yield worklist.WorkItem(
                group=_("Đăng ký, ký cam kết"),
                title=(
                    _("Sửa và ký lại bản cam kết — Kế hoạch %(number)s")
                    if returned
                    else _("Nhập mức cam kết và ký — Kế hoạch %(number)s")
                )
                % {"number": plan.number},
                url=reverse("pledges:pledge_detail", args=[newest.pk]),
                organization=names[organization_id],
                year=year,
                deadline=deadline,
                overdue=bool(deadline and deadline < today),
                note=note,
                order=10,
            )
