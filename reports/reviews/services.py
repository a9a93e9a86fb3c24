"""Reviews: the branch's self-assessment (signed on submission), the committee's assessment
(optimistically locked), and the leader's finalization."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from audit.history import tracked
from audit.reasons import Reason
from branches.models import User
from branches.permissions import Action, require_perm
from criteria.models import Indicator, Plan
from partydocs.models import Signature
from partydocs.signing import Evidence, Signable, Signer, sign
from pledges.models import Registration
from pledges.selectors import deadline_for, is_past
from reports.meetings import services as meetings_services
from reports.meetings.models import Evidence as EvidenceFile
from reports.reviews.models import Review, ReviewScore
from reports.reviews.selectors import (
    compute_result,
    pledge_in_force,
    review_sheet,
    submission_content,
    undecided_members,
)
from vietnamese.dates import short_date
from vietnamese.numbers import number as _points

Role = Signature.Role
Kind = {Review.Round.INTERIM: "interim_review", Review.Round.FINAL: "final_review"}


def review_deadline(registration: Registration, round: str, year: int):
    """The plan's deadline for that round and year, or the organization's extension if later."""
    return deadline_for(registration.plan, registration.organization, Kind[round], year)


@transaction.atomic
def review_open(*, actor: User, registration: Registration, year: int, round: str) -> Review:
    """Start (or return) the review of a registered organization for a year and round."""
    require_perm(actor, registration.organization, Action.ACT_FOR_BRANCH)
    plan = registration.plan
    if plan.status != Plan.Status.PUBLISHED:
        raise ValidationError(_("Kế hoạch chưa ban hành hoặc đã kết thúc."))
    if not registration.is_active:
        raise ValidationError(_("Đăng ký đã được rút."))
    if year not in plan.years:
        raise ValidationError(
            _("Năm %(year)s không thuộc thời gian thực hiện kế hoạch.") % {"year": year}
        )
    if year != registration.year:
        # A plan over several years is reviewed year by year, each year on its own pledge.
        raise ValidationError(
            _(
                "Đăng ký này là của năm %(registered)s; năm %(year)s được đánh giá theo đăng ký "
                "và bản cam kết của năm %(year)s."
            )
            % {"registered": registration.year, "year": year}
        )
    if round == Review.Round.INTERIM and plan.interim_review_deadline is None:
        raise ValidationError(_("Kế hoạch không có đợt sơ kết."))
    if pledge_in_force(registration) is None:
        raise ValidationError(_("Chưa có bản cam kết đã ký; ký cam kết trước khi tự đánh giá."))
    review, created = Review.objects.get_or_create(
        registration=registration, year=year, round=round
    )
    if created:
        indicators = Indicator.objects.filter(criterion__plan=plan)
        ReviewScore.objects.bulk_create(
            ReviewScore(review=review, indicator=indicator) for indicator in indicators
        )
        tracked(review, actor=actor, reason=gettext_noop("Mở bản tự đánh giá"))
        review.save(update_fields=["status"])
    return review


def _check_score(value, points, label) -> None:
    if value is None:
        return
    if value < 0:
        raise ValidationError(_("Điểm chỉ tiêu %(code)s không thể âm.") % {"code": label})
    if value > points:
        raise ValidationError(
            _("Điểm chỉ tiêu %(code)s là %(value)s, vượt quá %(points)s điểm của chỉ tiêu.")
            % {"code": label, "value": _points(value), "points": _points(points)}
        )


@transaction.atomic
def review_save_self(*, actor: User, review: Review, rows: dict[int, dict]) -> Review:
    """Save the branch's scores, comments, achieved values and linked evidence (per indicator id).
    Nothing is written if any score is out of range."""
    require_perm(actor, review.registration.organization, Action.ACT_FOR_BRANCH)
    review = Review.objects.select_for_update().get(pk=review.pk)
    if not review.editable_by_branch:
        raise ValidationError(_("Bản tự đánh giá đã nộp; chỉ sửa được khi cấp ủy trả lại."))
    scores = {s.indicator_id: s for s in review.scores.select_related("indicator__criterion")}
    for indicator_id, values in rows.items():
        score = scores[indicator_id]
        _check_score(
            values.get("self_score"),
            score.indicator.points,
            f"{score.indicator.criterion.order}.{score.indicator.order}",
        )
    evidence = {
        e.pk: e
        for e in EvidenceFile.objects.filter(registration=review.registration, year=review.year)
    }
    reason = gettext_noop("Tự đánh giá")
    for indicator_id, values in rows.items():
        score = scores[indicator_id]
        for name in ["self_score", "self_comment", "achieved_yes", "achieved_number"]:
            if name in values:
                setattr(score, name, values[name])
        tracked(score, actor=actor, reason=reason)
        score.save()
        if "evidence" in values:
            chosen = [
                evidence[pk]
                for pk in values["evidence"]
                if pk in evidence and evidence[pk].indicator_id == indicator_id
            ]
            score.evidence.set(chosen)
    return review


def review_submit(
    *, signer: Signer, evidence: Evidence, review: Review, seen_hash: str, now=None
) -> Signature:
    """The secretary signs and submits the self-assessment they were shown (the same signing act
    as a pledge). A repeated submit returns the signature already made."""
    user = signer.user
    require_perm(user, review.registration.organization, Action.SIGN_FOR_BRANCH)

    def prepare(now) -> Signable | Signature:
        locked = (
            Review.objects.select_for_update(of=("self",))
            .select_related("registration__plan__issuer", "registration__organization")
            .get(pk=review.pk)
        )
        previous = list(locked.signatures.filter(role=Role.SIGNER).order_by("sequence"))
        if not locked.editable_by_branch:
            if previous and previous[-1].user_id == user.pk:
                return previous[-1]  # a repeated submit
            raise ValidationError(_("Bản tự đánh giá đã được nộp."))
        registration = locked.registration
        deadline = review_deadline(registration, locked.round, locked.year)
        if locked.status == Review.Status.DRAFT and is_past(deadline, timezone.localdate(now)):
            raise ValidationError(
                _(
                    "Đã quá hạn nộp bản tự đánh giá (%(date)s). Hãy đề nghị văn phòng cấp ủy gia hạn."
                )
                % {"date": short_date(deadline)}
            )
        sheet = review_sheet(locked)
        problems = []
        for row in sheet.rows:
            if row.score.self_score is None:
                problems.append(_("chỉ tiêu %(code)s chưa tự chấm điểm") % {"code": row.code})
            if row.indicator.evidence_required and not row.evidence:
                problems.append(_("chỉ tiêu %(code)s bắt buộc có minh chứng") % {"code": row.code})
        if problems:
            raise ValidationError(_("Chưa nộp được: %(list)s.") % {"list": "; ".join(problems)})
        content = submission_content(sheet, user, timezone.localdate(now))

        def after(signature: Signature) -> None:
            # Freeze what the automatic sources said at this moment.
            for row in sheet.rows:
                if row.auto is not None:
                    row.score.auto_note = row.auto.note
                    row.score.achieved_number = row.auto.achieved
                    row.score.save(update_fields=["auto_note", "achieved_number"])
            locked.status = Review.Status.SUBMITTED
            locked.self_total = Decimal(content["self_total"])
            tracked(locked, actor=user, reason=gettext_noop("Ký và nộp bản tự đánh giá"))
            locked.save(update_fields=["status", "self_total"])

        return Signable(
            document=locked,
            role=Role.SIGNER,
            sequence=len(previous) + 1,
            position=content["signer"]["position"],
            content=content,
            changed=_(
                "Nội dung bản tự đánh giá đã thay đổi kể từ lúc bạn xem. Hãy xem lại rồi ký."
            ),
            after=after,
        )

    return sign(signer=signer, evidence=evidence, seen_hash=seen_hash, prepare=prepare, now=now)


@transaction.atomic
def review_return(*, actor: User, review: Review, reason: str) -> Review:
    """The committee returns a submitted self-assessment for correction, with a reason."""
    require_perm(actor, review.registration.plan.issuer, Action.ASSESS)
    if not reason.strip():
        raise ValidationError({"reason": _("Hãy ghi lý do trả lại.")})
    review = Review.objects.select_for_update().get(pk=review.pk)
    if review.status not in (Review.Status.SUBMITTED, Review.Status.ASSESSED):
        raise ValidationError(_("Chỉ trả lại được bản tự đánh giá đã nộp và chưa chốt kết quả."))
    review.status = Review.Status.RETURNED
    review.return_reason = reason.strip()
    tracked(
        review,
        actor=actor,
        reason=Reason(gettext_noop("Trả lại: %(reason)s"), reason=reason.strip()),
    )
    review.save(update_fields=["status", "return_reason"])
    return review


def link_new_evidence(evidence) -> None:
    """New evidence of an indicator counts at once in the branch's self-assessment of that year
    that is still open (draft or returned): it is linked to that indicator's score, as if ticked
    (the branch may untick it there). Called by `reports.meetings.services.evidence_add`."""
    for score in ReviewScore.objects.filter(
        review__registration=evidence.registration,
        review__year=evidence.year,
        review__status__in=(Review.Status.DRAFT, Review.Status.RETURNED),
        indicator=evidence.indicator,
    ):
        score.evidence.add(evidence)


if link_new_evidence not in meetings_services.EVIDENCE_ADDED:
    meetings_services.EVIDENCE_ADDED.append(link_new_evidence)


class Conflict(ValidationError):
    """Someone else saved the assessment since this form was opened."""


@transaction.atomic
def review_assess(*, actor: User, review: Review, rows: dict[int, dict], revision: int) -> Review:
    """The committee's score and comment per indicator. `revision` is the one the form was opened
    at: if another person saved in between, nothing is written and Conflict is raised."""
    require_perm(actor, review.registration.plan.issuer, Action.ASSESS)
    claimed = Review.objects.filter(pk=review.pk, revision=revision).update(
        revision=F("revision") + 1
    )
    if not claimed:
        current = Review.objects.select_related("assessed_by").get(pk=review.pk)
        who = current.assessed_by.get_full_name() if current.assessed_by else _("người khác")
        raise Conflict(
            _(
                "%(who)s đã lưu phần thẩm định này lúc %(at)s, sau khi bạn mở trang. Chưa ghi gì; điểm bạn vừa nhập vẫn còn trên trang — hãy xem bản mới rồi lưu lại."
            )
            % {
                "who": who,
                "at": timezone.localtime(current.assessed_at).strftime("%H:%M %d/%m/%Y")
                if current.assessed_at
                else "?",
            }
        )
    review = Review.objects.select_for_update().get(pk=review.pk)
    if review.status not in (Review.Status.SUBMITTED, Review.Status.ASSESSED):
        raise ValidationError(_("Chỉ thẩm định được bản tự đánh giá đã nộp và chưa chốt kết quả."))
    scores = {s.indicator_id: s for s in review.scores.select_related("indicator__criterion")}
    for indicator_id, values in rows.items():
        score = scores[indicator_id]
        _check_score(
            values.get("assessed_score"),
            score.indicator.points,
            f"{score.indicator.criterion.order}.{score.indicator.order}",
        )
    for indicator_id, values in rows.items():
        score = scores[indicator_id]
        score.assessed_score = values.get("assessed_score")
        score.assessed_comment = values.get("assessed_comment", "")
        tracked(score, actor=actor, reason=gettext_noop("Thẩm định"))
        score.save(update_fields=["assessed_score", "assessed_comment"])
    review.status = Review.Status.ASSESSED
    review.assessed_by, review.assessed_at = actor, timezone.now()
    tracked(review, actor=actor, reason=gettext_noop("Thẩm định"))
    review.save(update_fields=["status", "assessed_by", "assessed_at"])
    return review


def apply_result(review: Review, sheet, result) -> None:
    """Write a computed result onto the review as finalized (not saved): the totals and whether
    the organization reaches the model, with the reason. The finalization and the synthetic
    province's bulk loader both record results through this."""
    review.total = result.total
    review.self_total = sheet.total("self_score")
    review.criterion_results = result.criterion_results
    review.reached_model = result.reached_model
    review.model_reason = result.model_reason
    review.status = Review.Status.FINALIZED


@transaction.atomic
def review_finalize(*, actor: User, review: Review) -> Review:
    """A leader locks the model's result: totals, and whether the organization reaches the model
    by the plan's rule, with the reason. Done once. The quality rating is decided on its own
    page (reports.ratings.services.organization_rating_decide)."""
    plan = review.registration.plan
    require_perm(actor, plan.issuer, Action.DECIDE)
    review = (
        Review.objects.select_for_update()
        .select_related("registration__plan__issuer", "registration__organization")
        .get(pk=review.pk)
    )
    if review.finalized:
        raise ValidationError(
            _("Kết quả đã được chốt lúc %(at)s.")
            % {"at": timezone.localtime(review.finalized_at).strftime("%H:%M %d/%m/%Y")}
        )
    if review.status != Review.Status.ASSESSED:
        raise ValidationError(_("Chỉ chốt kết quả sau khi cấp ủy đã thẩm định."))
    sheet = review_sheet(review)
    missing = [row.code for row in sheet.rows if row.score.assessed_score is None]
    if missing:
        raise ValidationError(
            _("Chưa thẩm định các chỉ tiêu: %(codes)s.") % {"codes": ", ".join(missing)}
        )
    organization = review.registration.organization
    # Quy định 366-QĐ/TW, Điều 12 khoản 2: members are rated before their organization.
    if undecided := undecided_members(review):
        names = ", ".join(m.full_name for m in undecided[:5])
        raise ValidationError(
            _(
                "Chưa chốt được: đảng viên được xếp loại trước tổ chức (Quy định 366-QĐ/TW, Điều 12). Còn %(n)s đảng viên của %(org)s chưa có quyết định xếp loại: %(names)s%(more)s."
            )
            % {
                "n": len(undecided),
                "org": organization.name,
                "names": names,
                "more": "…" if len(undecided) > 5 else "",
            }
        )
    with translation.override("vi"):  # the reason is part of the record
        result = compute_result(sheet)
    apply_result(review, sheet, result)
    review.finalized_by, review.finalized_at = actor, timezone.now()
    tracked(review, actor=actor, reason=gettext_noop("Chốt kết quả"))
    review.save()
    return review
