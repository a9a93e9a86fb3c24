"""Reads for registrations and pledges: visibility, deadlines, and the canonical content a
signature covers."""

import datetime

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from branches.models import Organization, Position, RoleAssignment
from branches.selectors import scope_q
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


def deadline_for(plan: Plan, organization: Organization, kind: str) -> datetime.date | None:
    """The plan's deadline of this kind for the organization, extensions included."""
    extension = DeadlineExtension.objects.filter(
        plan=plan, organization=organization, kind=kind
    ).first()
    if extension is not None:
        return extension.until
    return getattr(plan, DeadlineExtension.PLAN_FIELDS[Kind(kind)])


def is_past(deadline: datetime.date | None, today: datetime.date | None = None) -> bool:
    return deadline is not None and (today or timezone.localdate()) > deadline


def current_pledge(registration: Registration) -> Pledge | None:
    """The newest version of the registration's pledge."""
    return registration.pledges.order_by("-version").first()


def registration_rows(plan: Plan) -> list[dict]:
    """Every target organization of the plan with its registration and newest pledge version —
    the registration list (page, PDF and Excel), in three queries."""
    registrations = {
        r.organization_id: r
        for r in plan.registrations.select_related("organization").prefetch_related(
            Prefetch("pledges", queryset=Pledge.objects.order_by("-version"), to_attr="versions")
        )
    }
    rows = []
    for organization in plan.targets.order_by("path"):
        registration = registrations.get(organization.pk)
        pledge = registration.versions[0] if registration and registration.versions else None
        rows.append({"organization": organization, "registration": registration, "pledge": pledge})
    return rows


def registration_counts(rows: list[dict]) -> dict[str, int]:
    active = [r for r in rows if r["registration"] and r["registration"].is_active]
    signed = [
        r
        for r in active
        if r["pledge"] and r["pledge"].status in (Pledge.Status.SIGNED, Pledge.Status.ACCEPTED)
    ]
    accepted = [r for r in active if r["pledge"] and r["pledge"].status == Pledge.Status.ACCEPTED]
    return {
        "targets": len(rows),
        "registered": len(active),
        "signed": len(signed),
        "accepted": len(accepted),
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
        "plan": {
            "number": plan.number,
            "issue_date": plan.issue_date.isoformat(),
            "issuer": plan.issuer.issuing_name,
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
        "signer": {"name": signer_name, "position": signer_position},
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
