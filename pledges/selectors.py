"""Reads for registrations and pledges: visibility, deadlines, and the canonical content a
signature covers."""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from branches.models import Organization, Position, RoleAssignment
from branches.selectors import scope_q
from branches.signers import signer_lines
from criteria.models import Indicator, Plan
from criteria.selectors import criteria_of
from partydocs import signing
from partydocs.models import Signature
from pledges.models import DeadlineExtension, Pledge, PledgeTarget, Registration
from vietnamese.numbers import number as vn_number
from vietnamese.numbers import plain as _decimal

Kind = DeadlineExtension.Kind


def registrations_visible_to(user) -> QuerySet[Registration]:
    """Registrations of organizations in the user's subtrees, or of plans issued inside them."""
    return Registration.objects.filter(
        scope_q(user, lookup="organization__path") | scope_q(user, lookup="plan__issuer__path")
    )


def get_registration_for(user, pk) -> Registration:
    return get_object_or_404(
        registrations_visible_to(user).select_related("plan__issuer", "organization"), pk=pk
    )


def pledges_visible_to(user) -> QuerySet[Pledge]:
    return Pledge.objects.filter(registration__in=registrations_visible_to(user))


def get_pledge_for(user, pk) -> Pledge:
    """The pledge version, if the user's roles reach its organization or its plan; 404 otherwise."""
    return get_object_or_404(
        pledges_visible_to(user).select_related(
            "registration__plan__issuer", "registration__organization"
        ),
        pk=pk,
    )


def deadline_for(
    plan: Plan, organization: Organization, kind: str, year: int | None = None
) -> datetime.date | None:
    """The plan's deadline of this kind for the organization in one of its years (a plan over
    several years repeats its dates every year: Plan.deadline_for_year), extensions included:
    an extension counts when it is later than that year's own deadline."""
    base = plan_deadline(plan, kind, year)
    extension = DeadlineExtension.objects.filter(
        plan=plan, organization=organization, kind=kind
    ).first()
    if extension is not None and (base is None or extension.until > base):
        return extension.until
    return base


def plan_deadline(plan: Plan, kind: str, year: int | None = None) -> datetime.date | None:
    """The plan's own deadline of this kind in `year` (its first year when None)."""
    field_name = DeadlineExtension.PLAN_FIELDS[Kind(kind)]
    return plan.deadline_for_year(field_name, year or plan.start_year)


@dataclass(frozen=True)
class DeadlineStatus:
    """A deadline as a page shows it before the work starts: when, how long is left, and —
    once it has passed — who can extend it."""

    label: str  # "ký cam kết", "tổng kết"
    date: datetime.date
    extended: bool
    issuer: Organization

    @property
    def days_left(self) -> int:
        return (self.date - timezone.localdate()).days

    @property
    def late(self) -> bool:
        return self.days_left < 0


def deadline_status(
    plan: Plan, organization: Organization, kind: str, year: int | None = None
) -> DeadlineStatus | None:
    """The deadline of `kind` for the organization (extension included), for a page."""
    day = deadline_for(plan, organization, kind, year)
    if day is None:
        return None
    return DeadlineStatus(
        label=str(Kind(kind).label).lower(),
        date=day,
        extended=day != plan_deadline(plan, kind, year),
        issuer=plan.issuer,
    )


def is_past(deadline: datetime.date | None, today: datetime.date | None = None) -> bool:
    return deadline is not None and (today or timezone.localdate()) > deadline


def current_pledge(registration: Registration) -> Pledge | None:
    """The newest version of the registration's pledge."""
    return registration.pledges.order_by("-version").first()


def registration_rows(plan: Plan, year: int | None = None) -> list[dict]:
    """Every target organization of the plan with its registration for the year (the plan's
    first by default) and newest pledge version — the registration list (page, PDF and Excel),
    in three queries."""
    registrations = {
        r.organization_id: r
        for r in plan.registrations.filter(year=year or plan.start_year)
        .select_related("organization")
        .prefetch_related(
            Prefetch("pledges", queryset=Pledge.objects.order_by("-version"), to_attr="versions")
        )
    }
    rows = []
    for organization in plan.targets.order_by("path"):
        registration = registrations.get(organization.pk)
        pledge = registration.versions[0] if registration and registration.versions else None
        rows.append({"organization": organization, "registration": registration, "pledge": pledge})
    return rows


# The states a row of the registration list can be in, in the order the list sorts them.
ROW_STATES = {
    "unregistered": _("Chưa đăng ký"),
    "returned": _("Bị trả lại, chưa ký lại"),
    "draft": _("Chưa ký cam kết"),
    "signed": _("Đã ký, chờ xác nhận"),
    "accepted": _("Cấp ủy đã xác nhận"),
    "withdrawn": _("Đã rút đăng ký"),
}


def row_state(row: dict) -> str:
    """Where a row of the registration list stands (a key of ROW_STATES)."""
    registration = row["registration"]
    if registration is None:
        return "unregistered"
    if not registration.is_active:
        return "withdrawn"
    statuses = {p.status for p in registration.versions}
    if Pledge.Status.ACCEPTED in statuses:
        return "accepted"
    if Pledge.Status.SIGNED in statuses:
        return "signed"
    if Pledge.Status.RETURNED in statuses:
        return "returned"
    return "draft"


def with_states_and_extensions(plan: Plan, rows: list[dict], year: int | None = None) -> list[dict]:
    """Each row with its state, its deadlines of `year` (the plan's first by default; extensions
    granted to that organization included) and whether one it still has to meet has passed —
    one query for the extensions."""
    extensions = defaultdict(list)
    for extension in DeadlineExtension.objects.filter(plan=plan).order_by("kind"):
        extensions[extension.organization_id].append(extension)
    today = timezone.localdate()
    for row in rows:
        row["state"] = row_state(row)
        row["extensions"] = extensions.get(row["organization"].pk, [])
        granted = {e.kind: e.until for e in row["extensions"]}
        kind = {"unregistered": Kind.REGISTRATION, "draft": Kind.SIGNING}.get(
            row["state"], Kind.SIGNING if row["state"] == "returned" else None
        )
        deadline = None
        if kind is not None:
            base = plan_deadline(plan, kind, year)
            deadline = max(base, granted[kind]) if kind in granted and base else base
        row["deadline"] = deadline
        row["late"] = bool(deadline and deadline < today)
    return rows


def registration_counts(rows: list[dict]) -> dict[str, int]:
    """The headline of the registration list (page and PDF): registered, with a pledge in force
    (signed or accepted — an amendment being drafted does not undo it), accepted. The same
    definitions as the dashboards' and the summary's."""
    states = Counter(row_state(row) for row in rows)
    return {
        "targets": len(rows),
        "registered": len(rows) - states["unregistered"] - states["withdrawn"],
        "signed": states["signed"] + states["accepted"],
        "accepted": states["accepted"],
    }


def signer_position(user, organization: Organization) -> str:
    """How the signer's office is written under the signature: from the member's sitting position
    in that organization, else from their role there."""
    member = getattr(user, "member", None)  # no linked member record: None
    if member is not None:
        position = (
            Position.objects.filter(member=member, organization=organization, end_date__isnull=True)
            .select_related("organization")
            .order_by("title")
            .first()
        )
        if position is not None:
            return str(position.display_title)
    roles = set(
        RoleAssignment.objects.filter(
            user=user, organization__path__in=_ancestors_paths(organization)
        ).values_list("role", flat=True)
    )
    if RoleAssignment.Role.SECRETARY in roles:
        return "Bí thư chi bộ"
    if RoleAssignment.Role.LEADER in roles:
        return "Lãnh đạo cấp ủy"
    return "Cán bộ cấp ủy"


def _ancestors_paths(organization: Organization) -> list[str]:
    step = Organization.steplen
    return [organization.path[:i] for i in range(step, len(organization.path) + 1, step)]


def target_text(indicator: Indicator | dict, target: PledgeTarget | None) -> str:
    """How a target reads in the document: "Có", "12 kỳ", "100%"."""
    kind = indicator["kind"] if isinstance(indicator, dict) else indicator.target_kind
    unit = indicator["unit"] if isinstance(indicator, dict) else indicator.unit
    if target is None:
        return ""
    if kind == Indicator.TargetKind.YES_NO:
        return {True: "Có", False: "Không"}.get(target.value_yes, "")
    if target.value_number is None:
        return ""
    number = vn_number(target.value_number)
    return f"{number}%" if kind == Indicator.TargetKind.PERCENT else f"{number} {unit}".strip()


def build_content(
    pledge: Pledge,
    *,
    signer_name: str,
    signer_position: str,
    day: datetime.date,
    criteria: list | None = None,
) -> dict:
    """The pledge as data — exactly what a signature covers. Everything shown in the document is
    here, so the page, the PDF and the hash all come from it. `criteria` (the plan's, as
    `criteria_of` gives them) spares their queries when many pledges of one plan are built."""
    registration = pledge.registration
    plan = registration.plan
    organization = registration.organization
    superior = Organization.objects.get_parent(organization)
    targets = {t.indicator_id: t for t in pledge.targets.all()}
    commitments = {c.criterion_id: c.text for c in pledge.commitments.all()}
    blocks = []
    for criterion in criteria if criteria is not None else criteria_of(plan):
        indicators = []
        for indicator in criterion.indicators.all():
            target = targets.get(indicator.pk)
            indicators.append(
                {
                    "code": f"{criterion.order}.{indicator.order}",
                    "text": indicator.text,
                    "points": _decimal(indicator.points),
                    "kind": indicator.target_kind,
                    "unit": indicator.unit,
                    "value": (
                        target.value_yes
                        if indicator.target_kind == Indicator.TargetKind.YES_NO
                        else _decimal(target.value_number)
                    )
                    if target
                    else None,
                    "target": target_text(indicator, target),
                    "note": target.note if target else "",
                }
            )
        blocks.append(
            {
                "order": criterion.order,
                "name": criterion.name,
                "points": _decimal(criterion.points),
                "commitment": commitments.get(criterion.pk, ""),
                "indicators": indicators,
            }
        )
    return {
        "document": "pledge",
        "version": pledge.version,
        # The year pledged for: a plan over several years is pledged year by year.
        "year": registration.year,
        "plan": {
            "number": plan.number,
            "issue_date": plan.issue_date.isoformat(),
            "issuer": plan.issuer.issuing_name,
            "issuer_body": plan.issuer.signing_body,
            "title": plan.title,
            "model": str(plan.get_model_display()),
            "period": plan.period_label,
        },
        "organization": {
            "code": organization.code,
            "name": organization.name,
            "issuing_name": organization.issuing_name,
            "superior": superior.name if superior else "",
        },
        "place": organization.place_name or plan.place_name,
        "date": day.isoformat(),
        "criteria": blocks,
        "signer": {
            "name": signer_name,
            "position": signer_position,
            "lines": signer_lines(organization, signer_position),
        },
    }


def signer_signature(pledge: Pledge) -> Signature | None:
    return next((s for s in pledge.signatures.all() if s.role == Signature.Role.SIGNER), None)


def countersignature(pledge: Pledge) -> Signature | None:
    return next(
        (s for s in pledge.signatures.all() if s.role == Signature.Role.COUNTERSIGNER), None
    )


def signed_content(pledge: Pledge) -> dict | None:
    """For a signed version: the content exactly as signed (never rebuilt from today's data)."""
    return signing.signed_content(signer_signature(pledge))


def verification_status(signature: Signature) -> str:
    """valid / superseded / returned / withdrawn, for the public verification page."""
    return signature.document.verification_status(signature)


def staff_emails(committee: Organization) -> list[str]:
    """E-mail addresses of the staff of the committee that runs a plan."""
    return list(
        RoleAssignment.objects.filter(
            organization=committee, role=RoleAssignment.Role.STAFF, user__is_active=True
        )
        .exclude(user__email="")
        .values_list("user__email", flat=True)
        .distinct()
    )


def secretary_emails(organization: Organization) -> list[str]:
    return list(
        RoleAssignment.objects.filter(
            organization=organization, role=RoleAssignment.Role.SECRETARY, user__is_active=True
        )
        .exclude(user__email="")
        .values_list("user__email", flat=True)
        .distinct()
    )
