"""Members' self-reviews: the rounds a committee opens, the member's writing and signing (or
someone's for a member who cannot), the return for rework, the branch's vote and, for a quarter,
the committee's decision. The year's decision stays in reports.ratings (ratings_save)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from audit.history import tracked
from audit.reasons import Reason
from branches.models import Member, Organization, User
from branches.permissions import Action, has_perm, require_perm
from criteria.rules import Level, vote_result
from partydocs.models import Signature
from partydocs.signing import Evidence, Signable, Signer, sign
from pledges.selectors import signer_position
from reports.ratings.hd43 import FORMS, clean_sections, missing, sections_content
from reports.ratings.selectors import left_out
from reports.ratings.services import ratings_save, self_rating_record
from reports.selfreviews.models import VOTE_FIELDS, ReviewRound, SelfReview
from reports.selfreviews.selectors import (
    band,
    forms_for,
    is_own,
    member_frame,
    round_covers,
    vote_levels,
)
from vietnamese.dates import short_date
from vietnamese.numbers import plain

Role = Signature.Role
Status = SelfReview.Status
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


def _check_period(year: int, quarter: int | None, deadline: datetime.date) -> None:
    if not 2000 <= year <= 2100:
        raise ValidationError({"year": _("Năm không hợp lệ.")})
    if quarter is not None and quarter not in (1, 2, 3, 4):
        raise ValidationError({"quarter": _("Quý từ 1 đến 4.")})
    first = datetime.date(year, 3 * (quarter - 1) + 1 if quarter else 1, 1)
    if deadline < first or deadline.year > year + 1:
        raise ValidationError(
            {"deadline": _("Hạn nộp phải sau ngày bắt đầu kỳ đánh giá và không quá năm sau.")}
        )


@transaction.atomic
def round_open(
    *,
    actor: User,
    committee: Organization,
    year: int,
    quarter: int | None,
    deadline: datetime.date,
    note: str = "",
) -> ReviewRound:
    """A committee opens a round of self-reviews for the members of the branches under it: the
    year, or a quarter (Quy định 366-QĐ/TW lets a committee rate by quarters), with the deadline
    by which each member signs their self-review."""
    require_perm(actor, committee, Action.ASSESS)
    _check_period(year, quarter, deadline)
    round = ReviewRound(
        committee=committee,
        year=year,
        quarter=quarter,
        deadline=deadline,
        note=note.strip(),
        opened_by=actor,
    )
    try:
        with transaction.atomic():
            tracked(round, actor=actor, reason=gettext_noop("Mở đợt kiểm điểm"))
            round.save()
    except IntegrityError:
        raise ValidationError(
            _("%(committee)s đã mở đợt kiểm điểm %(period)s.")
            % {"committee": committee.name, "period": round.period_label.lower()}
        ) from None
    return round


@transaction.atomic
def round_update(
    *, actor: User, review_round: ReviewRound, deadline: datetime.date, note: str, reason: str
) -> ReviewRound:
    """The committee moves a round's deadline (or its note), with the reason kept in the history."""
    require_perm(actor, review_round.committee, Action.ASSESS)
    if not reason.strip():
        raise ValidationError({"reason": _("Hãy ghi lý do thay đổi.")})
    round = ReviewRound.objects.select_for_update().get(pk=review_round.pk)
    _check_period(round.year, round.quarter, deadline)
    round.deadline = deadline
    round.note = note.strip()
    tracked(
        round,
        actor=actor,
        reason=Reason(gettext_noop("Sửa đợt kiểm điểm: %(reason)s"), reason=reason.strip()),
    )
    round.save(update_fields=["deadline", "note"])
    return round


def _may_write(actor: User, review_member: Member) -> bool:
    """The member themself, or someone acting for the branch (its secretary, the committee's
    staff) for a member who cannot."""
    own = review_member.user_id is not None and review_member.user_id == actor.pk
    return own or has_perm(actor, review_member.branch, Action.ACT_FOR_BRANCH)


@transaction.atomic
def self_review_open(*, actor: User, review_round: ReviewRound, member: Member) -> SelfReview:
    """Start (or return) a member's self-review in a round. Refused for a member the round does
    not cover, one who has left, and one who is not reviewed this year (Quy định 366-QĐ/TW
    Điều 5: exempt from party work and meetings, suspended, admitted less than six months
    before)."""
    if not _may_write(actor, member):
        require_perm(actor, member.branch, Action.ACT_FOR_BRANCH)
    round = review_round
    existing = SelfReview.objects.filter(round=round, member=member).first()
    if existing is not None:
        return existing
    if not member.is_active:
        raise ValidationError(
            _("Đồng chí %(name)s không còn sinh hoạt.") % {"name": member.full_name}
        )
    if not round_covers(round, member.branch):
        raise ValidationError(
            _("Đợt kiểm điểm này không dành cho %(branch)s.") % {"branch": member.branch.name}
        )
    why = left_out([member], round.year).get(member.pk)
    if why:
        raise ValidationError(
            _("Đồng chí %(name)s không thuộc diện kiểm điểm, đánh giá năm %(year)s: %(why)s.")
            % {"name": member.full_name, "year": round.year, "why": why}
        )
    previous = (
        SelfReview.objects.filter(member=member, round__quarter__isnull=True)
        .exclude(form=SelfReview.Form.PERIOD)
        .order_by("-round__year")
        .values_list("form", flat=True)
        .first()
    )
    forms = forms_for(round)
    review = SelfReview(
        round=round,
        member=member,
        branch=member.branch,
        form=previous if previous in forms else forms[-1],
    )
    tracked(review, actor=actor, reason=gettext_noop("Mở bản tự kiểm điểm"))
    review.save()
    return review


@transaction.atomic
def self_review_save(
    *,
    actor: User,
    self_review: SelfReview,
    form: str,
    sections: dict,
    parts: dict,
    proposed_level: str,
    on_behalf_reason: str = "",
) -> SelfReview:
    """Save what the member (or someone for them) wrote: the form, its sections, the points on
    the year's frame and the level proposed. A level above what the points reach is refused
    (366 Điều 11: the bands of the frame)."""
    if not _may_write(actor, self_review.member):
        require_perm(actor, self_review.branch, Action.ACT_FOR_BRANCH)
    review = (
        SelfReview.objects.select_for_update()
        .select_related("round", "member")
        .get(pk=self_review.pk)
    )
    if not review.editable:
        raise ValidationError(
            _("Bản tự kiểm điểm đã ký nộp; chỉ viết lại được khi chi bộ trả lại.")
        )
    if form not in forms_for(review.round):
        raise ValidationError({"form": _("Mẫu không dùng cho đợt kiểm điểm này.")})
    frame = member_frame(review.round.year)
    errors = frame.errors(parts)
    if errors:
        raise ValidationError({f"part_{code}": message for code, message in errors.items()})
    if proposed_level and proposed_level not in Level.values:
        raise ValidationError({"proposed_level": _("Mức xếp loại không hợp lệ.")})
    review.form = form
    review.sections = clean_sections(FORMS[form], sections)
    review.parts = {code: plain(value) for code, value in parts.items() if value is not None}
    review.score = frame.score(parts)
    review.proposed_level = proposed_level
    allowed = band(review)
    if proposed_level and allowed and Level(proposed_level).rank < allowed.level.rank:
        raise ValidationError(
            {
                "proposed_level": _("Tổng điểm tự chấm chỉ đạt mức “%(level)s” (%(why)s).")
                % {"level": allowed.level.label, "why": allowed.reason.rstrip(".")}
            }
        )
    if not is_own(review, actor):
        review.on_behalf_reason = on_behalf_reason.strip()
    tracked(review, actor=actor, reason=gettext_noop("Viết bản tự kiểm điểm"))
    review.save()
    return review


def self_review_content(review: SelfReview, user, day: datetime.date) -> dict:
    """The self-review as data — exactly what the signature covers, in Vietnamese whatever the
    writer's language: the form, the member, the sections, the points and the level proposed,
    and who wrote it for the member if it was not the member."""
    member = review.member
    round = review.round
    spec = FORMS[review.form]
    frame = member_frame(round.year)
    superior = Organization.objects.get_parent(review.branch)
    own = is_own(review, user)
    with translation.override("vi"):
        return {
            "document": "self_review",
            "form": spec.code,
            "form_title": spec.title,
            "form_subtitle": str(spec.subtitle),
            "source": spec.source,
            "year": round.year,
            "quarter": round.quarter,
            "period": f"Quý {ROMAN[round.quarter]} năm {round.year}"
            if round.quarter
            else f"Năm {round.year}",
            "member": {
                "name": member.full_name,
                "birth_date": member.birth_date.isoformat() if member.birth_date else None,
                "card_number": member.card_number or "",
                "branch": review.branch.name,
            },
            "organization": {
                "name": review.branch.name,
                "issuing_name": review.branch.issuing_name,
                "superior": superior.name if superior else "",
            },
            "sections": sections_content(spec, review.sections),
            "frame": {
                "source": str(frame.source),
                "parts": [
                    {
                        "name": str(part.name),
                        "points": plain(part.points),
                        "score": review.parts.get(part.code),
                    }
                    for part in frame.parts
                ],
                "points": plain(frame.total),
                "score": plain(review.score),
            },
            "level": str(Level(review.proposed_level).label) if review.proposed_level else "",
            "level_code": review.proposed_level,
            "on_behalf": None
            if own
            else {
                "name": user.full_name,
                "position": signer_position(user, review.branch),
                "reason": review.on_behalf_reason,
            },
            "place": review.branch.place_name,
            "date": day.isoformat(),
            "signer": {
                "name": user.full_name,
                "position": "Đảng viên" if own else signer_position(user, review.branch),
                "lines": [spec.signer_title if own else "NGƯỜI LẬP THAY"],
            },
        }


def self_review_submit(
    *, signer: Signer, evidence: Evidence, self_review: SelfReview, seen_hash: str, now=None
) -> Signature:
    """The member signs and submits the self-review they were shown (the same signing act as a
    pledge); for a member who cannot, the secretary or the committee's staff who wrote it signs
    as the one who made it for them, with the reason. Refused after the round's deadline (a
    returned review may be signed again), while a required part is empty, the points are not
    all given or no level is proposed. A repeated submit returns the signature already made."""
    user = signer.user
    review = self_review
    if not _may_write(user, review.member):
        require_perm(user, review.branch, Action.ACT_FOR_BRANCH)

    def prepare(now) -> Signable | Signature:
        locked = (
            SelfReview.objects.select_for_update(of=("self",))
            .select_related("round", "member", "branch")
            .get(pk=review.pk)
        )
        previous = list(locked.signatures.filter(role=Role.SIGNER).order_by("sequence"))
        if not locked.editable:
            if previous and previous[-1].user_id == user.pk:
                return previous[-1]  # a repeated submit
            raise ValidationError(_("Bản tự kiểm điểm đã được ký nộp."))
        today = timezone.localdate(now)
        if locked.status == Status.DRAFT and today > locked.round.deadline:
            raise ValidationError(
                _(
                    "Đã quá hạn nộp bản tự kiểm điểm (%(date)s). Hãy đề nghị văn phòng %(committee)s gia hạn."
                )
                % {
                    "date": short_date(locked.round.deadline),
                    "committee": locked.round.committee.name,
                }
            )
        problems = [
            _("phần %(n)s chưa viết") % {"n": number}
            for number in missing(FORMS[locked.form], locked.sections)
        ]
        if locked.score is None:
            problems.append(_("chưa tự chấm đủ điểm theo khung"))
        if not locked.proposed_level:
            problems.append(_("chưa tự nhận mức xếp loại"))
        own = is_own(locked, user)
        if not own and not locked.on_behalf_reason:
            problems.append(_("chưa ghi lý do lập thay cho đảng viên"))
        if problems:
            raise ValidationError(_("Chưa ký được: %(list)s.") % {"list": "; ".join(problems)})
        content = self_review_content(locked, user, today)

        def after(signature: Signature) -> None:
            locked.status = Status.SUBMITTED
            locked.submitted_at = now
            locked.on_behalf_by = None if own else user
            if own:
                locked.on_behalf_reason = ""
            tracked(locked, actor=user, reason=gettext_noop("Ký và nộp bản tự kiểm điểm"))
            locked.save(
                update_fields=["status", "submitted_at", "on_behalf_by", "on_behalf_reason"]
            )
            if not locked.round.is_quarterly:
                self_rating_record(
                    actor=user,
                    member=locked.member,
                    year=locked.round.year,
                    level=locked.proposed_level,
                    score=locked.score,
                )

        return Signable(
            document=locked,
            role=Role.SIGNER,
            sequence=len(previous) + 1,
            position=content["signer"]["position"],
            content=content,
            changed=_(
                "Nội dung bản tự kiểm điểm đã thay đổi kể từ lúc bạn xem. Hãy xem lại rồi ký."
            ),
            after=after,
        )

    return sign(signer=signer, evidence=evidence, seen_hash=seen_hash, prepare=prepare, now=now)


@transaction.atomic
def self_review_return(*, actor: User, self_review: SelfReview, reason: str) -> SelfReview:
    """The branch (its secretary, or the committee's staff) returns a signed self-review for the
    member to write again, with the reason, before the branch has voted on it."""
    require_perm(actor, self_review.branch, Action.ACT_FOR_BRANCH)
    if not reason.strip():
        raise ValidationError({"reason": _("Hãy ghi lý do trả lại.")})
    review = SelfReview.objects.select_for_update().get(pk=self_review.pk)
    if review.status != Status.SUBMITTED:
        raise ValidationError(_("Chỉ trả lại được bản tự kiểm điểm đã ký nộp."))
    if review.voted:
        raise ValidationError(
            _("Chi bộ đã biểu quyết về bản tự kiểm điểm này; không trả lại được.")
        )
    review.status = Status.RETURNED
    review.return_reason = reason.strip()
    tracked(
        review,
        actor=actor,
        reason=Reason(gettext_noop("Trả lại bản tự kiểm điểm: %(reason)s"), reason=reason.strip()),
    )
    review.save(update_fields=["status", "return_reason"])
    return review


@transaction.atomic
def self_review_vote(
    *,
    actor: User,
    self_review: SelfReview,
    vote_date: datetime.date,
    present: int,
    votes: dict[str, int],
    comment: str = "",
    today: datetime.date | None = None,
) -> SelfReview:
    """Record the branch's discussion and vote (biểu quyết) on a signed self-review: the official
    members present and voting, the votes for each level and the blank or invalid ballots, which
    must add up to those present; the level proposed is the best one more than half of those
    present agree with (criteria.rules.vote_result). For the year it becomes the branch's
    proposal in the rating record. Refused once the committee has decided."""
    require_perm(actor, self_review.branch, Action.ACT_FOR_BRANCH)
    review = (
        SelfReview.objects.select_for_update()
        .select_related("round", "member")
        .get(pk=self_review.pk)
    )
    if review.status != Status.SUBMITTED:
        raise ValidationError(_("Chi bộ biểu quyết trên bản tự kiểm điểm đã ký nộp."))
    today = today or timezone.localdate()
    if vote_date > today:
        raise ValidationError({"vote_date": _("Ngày biểu quyết chưa tới.")})
    if review.submitted_at and vote_date < timezone.localdate(review.submitted_at):
        raise ValidationError({"vote_date": _("Ngày biểu quyết trước ngày nộp bản tự kiểm điểm.")})
    counts = {name: int(votes.get(name) or 0) for name in VOTE_FIELDS}
    if present < 1:
        raise ValidationError({"present": _("Cần có đảng viên có mặt biểu quyết.")})
    voters = Member.objects.filter(
        branch=review.branch, is_active=True, status=Member.Status.FULL
    ).count()
    if present > voters:
        raise ValidationError(
            {
                "present": _(
                    "Chi bộ có %(n)s đảng viên chính thức; số có mặt biểu quyết không thể nhiều hơn (đảng viên dự bị không biểu quyết)."
                )
                % {"n": voters}
            }
        )
    if sum(counts.values()) != present:
        raise ValidationError(
            _(
                "Số phiếu không khớp: %(sum)s phiếu (các mức và phiếu trắng, không hợp lệ) nhưng %(present)s đảng viên có mặt biểu quyết."
            )
            % {"sum": sum(counts.values()), "present": present}
        )
    decided = (
        review.decided_level
        if review.round.is_quarterly
        else review.member.ratings.filter(year=review.round.year)
        .values_list("decided_level", flat=True)
        .first()
    )
    if decided:
        raise ValidationError(_("Cấp ủy đã quyết định xếp loại; không sửa kết quả biểu quyết."))
    for name, value in counts.items():
        setattr(review, name, value)
    result = vote_result(vote_levels(review), present)
    if not result.ok:
        raise ValidationError(
            _("Chưa có kết quả: %(why)s Chi bộ cần biểu quyết lại.") % {"why": result.reason}
        )
    review.vote_date = vote_date
    review.vote_present = present
    review.vote_result = result.level
    review.vote_comment = comment.strip()
    review.vote_recorded_by = actor
    tracked(review, actor=actor, reason=gettext_noop("Ghi kết quả biểu quyết của chi bộ"))
    review.save()
    if not review.round.is_quarterly:
        ratings_save(
            actor=actor,
            branch=review.branch,
            year=review.round.year,
            column="proposed",
            levels={review.member_id: result.level},
        )
    return review


@transaction.atomic
def quarter_decide(
    *, actor: User, self_review: SelfReview, level: str, reason: str = ""
) -> SelfReview:
    """The committee decides a member's rating for a quarter, after the branch has voted
    (366 Điều 12: self-assessment, then the branch, then the competent level). A change of a
    decided quarter needs a reason. The year's rating is decided in the rating record."""
    require_perm(actor, self_review.branch, Action.DECIDE)
    review = SelfReview.objects.select_for_update().select_related("round").get(pk=self_review.pk)
    if not review.round.is_quarterly:
        raise ValidationError(_("Xếp loại năm được quyết định ở trang xếp loại đảng viên."))
    if not review.voted:
        raise ValidationError(_("Chi bộ chưa biểu quyết đề xuất mức xếp loại."))
    if level not in Level.values:
        raise ValidationError({"level": _("Mức xếp loại không hợp lệ.")})
    if review.decided_level and review.decided_level != level and not reason.strip():
        raise ValidationError({"reason": _("Đổi mức đã quyết định cần ghi lý do.")})
    old = review.decided_level
    review.decided_level = level
    tracked(
        review,
        actor=actor,
        reason=Reason(gettext_noop("Xếp loại lại: %(reason)s"), reason=reason.strip())
        if old
        else gettext_noop("Quyết định xếp loại quý"),
    )
    review.save(update_fields=["decided_level"])
    return review
