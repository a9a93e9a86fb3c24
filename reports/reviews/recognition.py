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
from branches.selectors import acting_body
from branches.signers import check_collective_signer
from criteria.models import Plan
from criteria.rules import Level, Verdict
from partydocs.numbering import allocate_sequence, term_for
from pledges.models import Registration
from reports.ratings.models import MemberRating
from reports.ratings.selectors import left_out, quality_levels
from reports.reviews.models import Nomination, RecognitionDecision, Review
from vietnamese.numbers import number as vn_number


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
    registered = Registration.objects.filter(
        plan=plan, year=year, status=Registration.Status.REGISTERED
    )
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


def nomination_eligibility(nomination: Nomination) -> Verdict:
    """Whether the plan and the rating allow recognizing this proposal as outstanding: a
    collective that reached the model in its finalized final review and is rated at least the
    plan's `outstanding_collective_level`; a member the committee rated at least the plan's
    `outstanding_member_level` (and who is rated at all this year)."""
    plan, year = nomination.plan, nomination.year
    if nomination.kind == Nomination.Kind.COLLECTIVE:
        minimum = Level(plan.outstanding_collective_level)
        review = Review.objects.filter(
            registration__plan=plan,
            registration__organization=nomination.organization,
            year=year,
            round=Review.Round.FINAL,
            status=Review.Status.FINALIZED,
        ).first()
        if review is None:
            return Verdict(False, _("Chưa chốt kết quả tổng kết năm của tổ chức này."))
        if not review.reached_model:
            return Verdict(
                False,
                _("Tổ chức không đạt mô hình “%(model)s”.") % {"model": plan.get_model_display()},
            )
        # The quality rating the committee above decided (366), never a level from the model.
        decided = quality_levels([nomination.organization_id], year).get(nomination.organization_id)
        if not decided or not Level(decided).at_least(minimum):
            return Verdict(
                False,
                _(
                    "Tổ chức được cấp trên xếp loại chất lượng “%(level)s”; kế hoạch chỉ công nhận tập thể tiêu biểu xếp loại từ “%(minimum)s”."
                )
                % {
                    "level": Level(decided).label if decided else _("chưa xếp loại"),
                    "minimum": minimum.label,
                },
            )
        return Verdict(
            True,
            _("Đạt mô hình (%(total)s điểm), xếp loại chất lượng “%(level)s”.")
            % {"total": vn_number(review.total), "level": Level(decided).label},
        )
    minimum = Level(plan.outstanding_member_level)
    member = nomination.member
    why = left_out([member], year).get(member.pk)
    if why:
        return Verdict(False, _("Đảng viên không thuộc diện xếp loại: %(why)s.") % {"why": why})
    decided = (
        MemberRating.objects.filter(member=member, year=year)
        .values_list("decided_level", flat=True)
        .first()
    )
    if not decided or not Level(decided).at_least(minimum):
        return Verdict(
            False,
            _(
                "Đồng chí %(name)s được cấp ủy xếp loại “%(level)s”; kế hoạch chỉ công nhận cá nhân tiêu biểu xếp loại từ “%(minimum)s”."
            )
            % {
                "name": member.full_name,
                "level": Level(decided).label if decided else _("chưa xếp loại"),
                "minimum": minimum.label,
            },
        )
    return Verdict(True, _("Xếp loại “%(level)s”.") % {"level": Level(decided).label})


def _not_issued(nomination: Nomination) -> None:
    if RecognitionDecision.objects.filter(
        plan=nomination.plan, year=nomination.year, status=RecognitionDecision.Status.ISSUED
    ).exists():
        raise ValidationError(
            _("Quyết định công nhận năm %(year)s đã ban hành.") % {"year": nomination.year}
        )


@transaction.atomic
def nomination_decide(
    *, actor: User, nomination: Nomination, approve: bool, reason: str = ""
) -> Nomination:
    """The committee recognizes a proposal — only if the plan and the rating allow it
    (`nomination_eligibility`) — or refuses it with a reason; either can be changed (a
    recognition withdrawn, with a reason) until the year's decision is issued."""
    if not has_perm(actor, nomination.plan.issuer, Action.DECIDE):
        raise PermissionDenied
    nomination = Nomination.objects.select_for_update().get(pk=nomination.pk)
    _not_issued(nomination)
    if nomination.status == Nomination.Status.WITHDRAWN:
        raise ValidationError(_("Đề nghị đã được rút."))
    reason = reason.strip()
    if approve:
        verdict = nomination_eligibility(nomination)
        if not verdict.ok:
            raise ValidationError(_("Không công nhận được: %(why)s") % {"why": verdict.reason})
    elif not reason:
        raise ValidationError(_("Hãy ghi lý do không công nhận."))
    nomination.status = Nomination.Status.APPROVED if approve else Nomination.Status.REJECTED
    nomination.decision_reason = "" if approve else reason
    nomination.decided_by, nomination.decided_at = actor, timezone.now()
    tracked(nomination, actor=actor, reason=label(Nomination.Status(nomination.status).label))
    nomination.save(update_fields=["status", "decision_reason", "decided_by", "decided_at"])
    return nomination


@transaction.atomic
def nomination_withdraw(*, actor: User, nomination: Nomination, reason: str) -> Nomination:
    """Whoever proposed (the branch, the committee's staff) or the committee takes a proposal
    back, with a reason, until the year's decision is issued."""
    subject = nomination.organization or nomination.member.branch
    if not (
        has_perm(actor, subject, Action.ACT_FOR_BRANCH)
        or has_perm(actor, nomination.plan.issuer, Action.ASSESS)
        or has_perm(actor, nomination.plan.issuer, Action.DECIDE)
    ):
        raise PermissionDenied
    nomination = Nomination.objects.select_for_update().get(pk=nomination.pk)
    _not_issued(nomination)
    if not reason.strip():
        raise ValidationError(_("Hãy ghi lý do rút đề nghị."))
    nomination.status = Nomination.Status.WITHDRAWN
    nomination.decision_reason = reason.strip()
    tracked(nomination, actor=actor, reason=gettext_noop("Rút đề nghị"))
    nomination.save(update_fields=["status", "decision_reason"])
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
    # A plan of a committee merged since is carried on by its successor, which issues it.
    issuer = acting_body(plan.issuer)
    term = term_for(issuer, issue_date)
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


@transaction.atomic
def decision_issue(*, actor: User, decision: RecognitionDecision) -> RecognitionDecision:
    """Issue the decision once every final review of the year is finalized and every approved
    outstanding collective or individual is still eligible. The quality ratings and their caps
    are not this decision's: they are decided on their own (reports.ratings)."""
    if not has_perm(actor, decision.plan.issuer, Action.DECIDE):
        raise PermissionDenied
    decision = RecognitionDecision.objects.select_for_update().get(pk=decision.pk)
    if decision.status == RecognitionDecision.Status.ISSUED:
        raise ValidationError(_("Quyết định đã ban hành."))
    # Who signs: the secretary or a deputy of the issuing committee (on record, where recorded).
    check_collective_signer(
        decision.issuer,
        position=decision.signer_title,
        name=decision.signer_name,
        day=decision.issue_date,
    )
    registered = Registration.objects.filter(
        plan=decision.plan, year=decision.year, status=Registration.Status.REGISTERED
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
    unearned = [
        f"{n.organization.name if n.organization else n.member.full_name}: "
        f"{nomination_eligibility(n).reason.rstrip('.')}"
        for n in Nomination.objects.filter(
            plan=decision.plan, year=decision.year, status=Nomination.Status.APPROVED
        ).select_related("organization", "member", "plan")
        if not nomination_eligibility(n).ok
    ]
    if unearned:
        raise ValidationError(
            _(
                "Chưa ban hành: có tập thể, cá nhân tiêu biểu không còn đủ điều kiện — %(names)s. Hãy rút hoặc không công nhận các đề nghị này."
            )
            % {"names": "; ".join(unearned)}
        )
    decision.status = RecognitionDecision.Status.ISSUED
    decision.issued_by, decision.issued_at = actor, timezone.now()
    tracked(decision, actor=actor, reason=gettext_noop("Ban hành"))
    decision.save(update_fields=["status", "issued_by", "issued_at"])
    return decision
