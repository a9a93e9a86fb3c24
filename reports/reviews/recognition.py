"""Outstanding collectives and individuals, and the numbered recognition decision (QĐ)."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from audit.history import tracked
from audit.reasons import label
from branches.models import Member, Organization, User
from branches.permissions import Action, has_perm
from criteria.models import Plan
from criteria.rules import Level
from partydocs.numbering import allocate_sequence, term_of
from pledges.models import Registration
from reports.ratings.models import RuleException
from reports.ratings.selectors import branch_members_verdict, level_counts, level_counts_by_branch
from reports.reviews.models import Nomination, RecognitionDecision, Review


@transaction.atomic
def nomination_propose(
    *,
    actor: User,
    plan: Plan,
    year: int,
    kind: str,
    reason: str,
    organization: Organization | None = None,
    member: Member | None = None,
) -> Nomination:
    """Propose an outstanding collective (a registered organization) or individual (a member of one)."""
    if not reason.strip():
        raise ValidationError({"reason": _("Hãy ghi thành tích.")})
    registered = Registration.objects.filter(plan=plan, status=Registration.Status.REGISTERED)
    if kind == Nomination.Kind.COLLECTIVE:
        if organization is None or not registered.filter(organization=organization).exists():
            raise ValidationError(
                {"organization": _("Chỉ đề nghị tổ chức đã đăng ký kế hoạch này.")}
            )
        subject = organization
    else:
        if member is None or not registered.filter(organization__path=member.branch.path).exists():
            raise ValidationError(
                {"member": _("Chỉ đề nghị đảng viên của tổ chức đã đăng ký kế hoạch này.")}
            )
        subject = member.branch
    if not has_perm(actor, subject, Action.ACT_FOR_BRANCH) and not has_perm(
        actor, plan.issuer, Action.ASSESS
    ):
        raise PermissionDenied
    nomination = Nomination(
        plan=plan,
        year=year,
        kind=kind,
        organization=organization if kind == Nomination.Kind.COLLECTIVE else None,
        member=member if kind == Nomination.Kind.INDIVIDUAL else None,
        reason=reason.strip(),
        proposed_by=actor,
    )
    nomination.full_clean()
    tracked(nomination, actor=actor, reason=gettext_noop("Đề nghị"))
    nomination.save()
    return nomination


@transaction.atomic
def nomination_decide(*, actor: User, nomination: Nomination, approve: bool) -> Nomination:
    if not has_perm(actor, nomination.plan.issuer, Action.DECIDE):
        raise PermissionDenied
    if RecognitionDecision.objects.filter(
        plan=nomination.plan, year=nomination.year, status=RecognitionDecision.Status.ISSUED
    ).exists():
        raise ValidationError(
            _("Quyết định công nhận năm %(year)s đã ban hành.") % {"year": nomination.year}
        )
    nomination.status = Nomination.Status.APPROVED if approve else Nomination.Status.REJECTED
    nomination.decided_by, nomination.decided_at = actor, timezone.now()
    tracked(nomination, actor=actor, reason=label(Nomination.Status(nomination.status).label))
    nomination.save(update_fields=["status", "decided_by", "decided_at"])
    return nomination


def recognized_reviews(plan: Plan, year: int):
    """The finalized final reviews that reached the model, in tree order."""
    return (
        Review.objects.filter(
            registration__plan=plan,
            year=year,
            round=Review.Round.FINAL,
            status=Review.Status.FINALIZED,
            reached_model=True,
        )
        .select_related("registration__organization")
        .order_by("registration__organization__path")
    )


def _default_title(plan: Plan, year: int) -> str:
    """The decision's summary line, in the document's language whoever drafts it."""
    with translation.override("vi"):
        return _("về việc công nhận %(kind)s đạt mô hình “%(model)s” năm %(year)s") % {
            "kind": _("chi bộ") if plan.model == Plan.Model.BRANCH else _("đảng bộ"),
            "model": plan.get_model_display(),
            "year": year,
        }


@transaction.atomic
def decision_create(
    *,
    actor: User,
    plan: Plan,
    year: int,
    issue_date: datetime.date,
    signer_name: str,
    sequence: int | None = None,
    title: str = "",
    recipients: str = "",
) -> RecognitionDecision:
    """A draft recognition decision, numbered (the next free QĐ number unless one is given)."""
    if not has_perm(actor, plan.issuer, Action.DECIDE):
        raise PermissionDenied
    issuer = plan.issuer
    term = term_of(issue_date)
    decision = RecognitionDecision(
        issuer=issuer,
        plan=plan,
        year=year,
        sequence=sequence or allocate_sequence(RecognitionDecision, issuer=issuer, term=term),
        term=term,
        issuer_code=issuer.issuer_code,
        issue_date=issue_date,
        place_name=issuer.place_name or issuer.name,
        title=title or _default_title(plan, year),
        signer_name=signer_name,
        recipients=recipients,
    )
    decision.full_clean()
    tracked(decision, actor=actor, reason=gettext_noop("Tạo dự thảo quyết định"))
    decision.save()
    return decision


def _excellent_without_their_members(plan: Plan, year: int, reviews: list[Review]) -> list[str]:
    """The recognized branches rated "xuất sắc" whose members' ratings no longer allow it (the
    ratings were changed after the finalization), with no exception recorded: "name — reason".
    The same rule as the finalization (reports.selectors.reviews), over counts read once."""
    excellent = [
        r for r in reviews if r.level == Level.EXCELLENT and r.registration.organization.is_branch
    ]
    if not excellent:
        return []
    counts = level_counts_by_branch(plan.issuer, year)
    excepted = set(
        RuleException.objects.filter(
            organization__in=[r.registration.organization_id for r in excellent],
            year=year,
            rule=RuleException.Rule.BRANCH_MEMBERS,
        ).values_list("organization_id", flat=True)
    )
    stale = []
    for review in excellent:
        organization = review.registration.organization
        if organization.pk in excepted or review.exception_reason:
            continue
        verdict = branch_members_verdict(
            counts.get(organization.pk) or level_counts([]), plan.rules, Level.EXCELLENT
        )
        if not verdict.ok:
            stale.append(f"{organization.name} — {verdict.reason.rstrip('.')}")
    return stale


@transaction.atomic
def decision_issue(*, actor: User, decision: RecognitionDecision) -> RecognitionDecision:
    """Issue the decision once every final review of the year is finalized, and while the
    "xuất sắc" ratings of the recognized branches still rest on their members' ratings."""
    if not has_perm(actor, decision.plan.issuer, Action.DECIDE):
        raise PermissionDenied
    decision = RecognitionDecision.objects.select_for_update().get(pk=decision.pk)
    if decision.status == RecognitionDecision.Status.ISSUED:
        raise ValidationError(_("Quyết định đã ban hành."))
    registered = Registration.objects.filter(
        plan=decision.plan, status=Registration.Status.REGISTERED
    ).count()
    finalized = Review.objects.filter(
        registration__plan=decision.plan,
        year=decision.year,
        round=Review.Round.FINAL,
        status=Review.Status.FINALIZED,
    ).count()
    if finalized < registered:
        raise ValidationError(
            _(
                "Mới chốt kết quả tổng kết %(done)s/%(total)s tổ chức; chốt hết rồi mới ban hành quyết định."
            )
            % {"done": finalized, "total": registered}
        )
    recognized = list(recognized_reviews(decision.plan, decision.year))
    if not recognized:
        raise ValidationError(_("Không có tổ chức nào đạt mô hình để công nhận."))
    stale = _excellent_without_their_members(decision.plan, decision.year, recognized)
    if stale:
        raise ValidationError(
            _(
                "Chưa ban hành: xếp loại đảng viên đã thay đổi sau khi chốt kết quả. %(names)s. Hãy xem lại xếp loại đảng viên, hoặc lãnh đạo cấp ủy ghi nhận ngoại lệ có lý do."
            )
            % {"names": "; ".join(stale)}
        )
    decision.status = RecognitionDecision.Status.ISSUED
    decision.issued_by, decision.issued_at = actor, timezone.now()
    tracked(decision, actor=actor, reason=gettext_noop("Ban hành"))
    decision.save(update_fields=["status", "issued_by", "issued_at"])
    return decision
