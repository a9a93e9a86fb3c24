"""Member ratings and the exceptions a leader may justify."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from audit.history import tracked
from audit.reasons import Reason, label
from branches.models import Member, MemberStanding, Organization, Position, User
from branches.permissions import Action, require_perm
from criteria.rules import Level, rating_day
from reports.ratings.models import (
    CollectiveReport,
    MemberRating,
    OrganizationRating,
    Rerating,
    RuleException,
)
from reports.ratings.selectors import (
    cap_pool_of,
    collective_pool,
    deciding_committee,
    left_out,
    member_pool,
    organization_rating_status,
    rules_for,
)

FIELDS = {"self": "self_level", "proposed": "proposed_level", "decided": "decided_level"}


COLUMNS = {
    # who writes which column: the member/branch their self-rating and the branch's proposal,
    # the committee its decision
    "self": Action.ACT_FOR_BRANCH,
    "proposed": Action.ACT_FOR_BRANCH,
    "decided": Action.DECIDE,
}


def _excess(status) -> int:
    return max(0, status.counts.excellent - status.verdict.allowed)


@transaction.atomic
def ratings_save(
    *,
    actor: User,
    branch: Organization,
    year: int,
    column: str,
    levels: dict[int, str],
    reason: str = "",
) -> int:
    """Write one column (self / proposed / decided) of the branch's ratings for a year; returns
    how many changed. Each change is kept in the history. Refused whole, with the rule and the
    numbers, when:

    - a member who is not rated this year (exempt, suspended, admitted less than six months
      before) is given a decided level;
    - a decided level is changed without a reason: that is a re-rating, a new decision (Hướng
      dẫn 43-HD/BTCTW, Mẫu 03), and the history keeps both;
    - the decisions would put more members at "xuất sắc" than the cap allows in the pool (the
      members of the tổ chức cơ sở đảng): 20% of those rated "hoàn thành tốt nhiệm vụ", up to 25%
      by a recorded decision on the unit's outstanding results, never more (criteria.rules).
      The pool is locked for the save, so two saves at once cannot pass it together."""
    require_perm(actor, branch, COLUMNS[column])
    field = FIELDS[column]
    pool = cap_pool_of(branch)
    Organization.objects.select_for_update().filter(pk=pool.pk).first()  # one save per pool
    before = member_pool(pool, year) if column == "decided" else None
    members = {m.pk: m for m in Member.objects.filter(pk__in=levels, branch=branch)}
    if set(levels) - set(members):
        raise ValidationError(_("Có người không thuộc chi bộ trong danh sách xếp loại."))
    excluded = left_out(members.values(), year)
    heads_waiting = _heads_waiting(members.values(), year) if column == "decided" else {}
    existing = {
        r.member_id: r
        for r in MemberRating.objects.select_for_update().filter(
            branch=branch, year=year, member_id__in=levels
        )
    }
    reason = reason.strip()
    changed = 0
    for member_id, level in levels.items():
        if level and level not in Level.values:
            raise ValidationError(_("Mức xếp loại không hợp lệ."))
        rating = existing.get(member_id) or MemberRating(
            member=members[member_id], branch=branch, year=year
        )
        old = getattr(rating, field)
        if old == level:
            continue
        if column == "decided" and level and member_id in excluded:
            raise ValidationError(
                _("Chưa lưu: đồng chí %(name)s không thuộc diện xếp loại năm %(year)s (%(why)s).")
                % {"name": members[member_id].full_name, "year": year, "why": excluded[member_id]}
            )
        if column == "decided" and level:
            _check_facts(rating, Level(level), members[member_id], reason, year)
            if member_id in heads_waiting:
                raise ValidationError(
                    _(
                        "Chưa lưu: đồng chí %(name)s là bí thư của %(org)s; tập thể lãnh đạo được xếp loại trước người đứng đầu (Quy định 366-QĐ/TW, Điều 12 khoản 2). Hãy quyết định xếp loại tập thể lãnh đạo trước."
                    )
                    % {"name": members[member_id].full_name, "org": heads_waiting[member_id]}
                )
        if column == "decided" and old and not reason:
            raise ValidationError(
                _(
                    "Chưa lưu: đồng chí %(name)s đã được cấp ủy quyết định xếp loại “%(old)s”. Đổi mức là xếp loại lại (Mẫu 03, Hướng dẫn 43-HD/BTCTW): hãy ghi lý do xếp loại lại."
                )
                % {"name": members[member_id].full_name, "old": Level(old).label}
            )
        setattr(rating, field, level)
        tracked(
            rating,
            actor=actor,
            reason=Reason(gettext_noop("Xếp loại lại: %(reason)s"), reason=reason)
            if column == "decided" and old
            else Reason(
                gettext_noop("Xếp loại: %(column)s"),
                column=label(MemberRating._meta.get_field(field).verbose_name),
            ),
        )
        rating.save()
        if column == "decided" and old and level:
            _rerating_record(rating=rating, old=old, new=level, reason=reason, actor=actor)
        changed += 1
    if before is not None and changed:
        after = member_pool(pool, year)
        if after.blocking and _excess(after) > _excess(before):
            raise ValidationError(
                _("Chưa lưu: %(reason)s (%(rules)s; tính trên toàn %(pool)s.)")
                % {
                    "reason": after.verdict.reason.rstrip("."),
                    "rules": rules_for(year).label,
                    "pool": pool.name,
                }
            )
    return changed


def _rerating_record(*, rating, old: str, new: str, reason: str, actor: User) -> Rerating:
    """A decided level changed to another: the re-rating decision (HD 43 Mẫu 03) as a record of
    its own, beside the history row."""
    field = "member_rating" if isinstance(rating, MemberRating) else "organization_rating"
    rerating = Rerating(
        **{field: rating},
        old_level=old,
        new_level=new,
        reason=reason,
        decided_by=actor,
        decided_at=timezone.now(),
    )
    rerating.full_clean()
    rerating.save()
    return rerating


def _heads_waiting(members, year: int) -> dict[int, str]:
    """Quy định 366-QĐ/TW Điều 12 khoản 2: a leadership collective is rated before its head.
    {member id: organization name} for the members who, at the rating day, are secretary of an
    organization whose leadership collective is being rated this year (it has a rating record)
    and is not decided yet. Where no collective is rated (a branch without a chi ủy), nothing
    waits [reading]. One query for the whole save."""
    day = rating_day(year)
    return dict(
        Position.objects.filter(
            member__in=[m.pk for m in members],
            title=Position.Title.SECRETARY,
            start_date__lte=day,
            organization__quality_ratings__year=year,
            organization__quality_ratings__subject=OrganizationRating.Subject.LEADERSHIP,
            organization__quality_ratings__decided_level="",
        )
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=day))
        .values_list("member_id", "organization__name")
    )


def _check_facts(rating: MemberRating, level: Level, member: Member, reason: str, year: int):
    """A decision within what the sheet's score and conditions allow (366 Điều 11): above is
    refused with the reason; below needs a reason; "xuất sắc" needs a sheet at all (its score
    and its share of tasks exceeding target)."""
    facts = rating.facts()
    name = member.full_name
    if facts is None:
        if level == Level.EXCELLENT:
            raise ValidationError(
                _(
                    "Chưa lưu: đồng chí %(name)s chưa có phiếu đánh giá theo khung điểm. Mức hoàn thành xuất sắc nhiệm vụ cần từ 90 điểm, 100%% nhiệm vụ đúng tiến độ và ít nhất 30%% vượt yêu cầu (Quy định 366-QĐ/TW, Điều 11): hãy nhập phiếu trước."
                )
                % {"name": name}
            )
        return
    allowed = rules_for(year).rate_member(facts)
    if level.rank < allowed.level.rank:
        raise ValidationError(
            _("Chưa lưu: đồng chí %(name)s không đủ điều kiện mức “%(level)s”. %(why)s")
            % {"name": name, "level": level.label, "why": allowed.reason}
        )
    if level.rank > allowed.level.rank and not reason:
        raise ValidationError(
            _(
                "Chưa lưu: đồng chí %(name)s đủ điều kiện mức “%(allowed)s” (%(why)s) — quyết định mức thấp hơn cần ghi lý do."
            )
            % {"name": name, "allowed": allowed.level.label, "why": allowed.reason.rstrip(".")}
        )


@transaction.atomic
def self_rating_record(
    *, actor: User, member: Member, year: int, level: str, score
) -> MemberRating:
    """The member's own level and score for the year, as the member's signed self-review
    (HD 43 Mẫu 2A/2B/2C) gives them: written by the member (or whoever signed the review for a
    member who cannot) into the year's rating record, the first of its three columns."""
    own = member.user_id is not None and member.user_id == actor.pk
    if not own:
        require_perm(actor, member.branch, Action.ACT_FOR_BRANCH)
    if level not in Level.values:
        raise ValidationError(_("Mức xếp loại không hợp lệ."))
    rating = MemberRating.objects.select_for_update().filter(member=member, year=year).first()
    rating = rating or MemberRating(member=member, branch=member.branch, year=year)
    rating.self_level = level
    rating.self_score = score
    tracked(rating, actor=actor, reason=gettext_noop("Tự đánh giá, xếp loại (bản kiểm điểm)"))
    rating.save()
    return rating


SHEET_FIELDS = [
    "self_score",
    "score",
    "tasks_on_time",
    "exceeding_share",
    "unfinished_share",
    "disciplined",
    "shortcomings_fixed",
]


@transaction.atomic
def rating_sheet_save(*, actor: User, member: Member, year: int, data: dict) -> MemberRating:
    """The member's rating sheet for the year (score on the 100-point frame and the conditions
    of Điều 11). Written by the branch while nothing is decided; once the committee has decided,
    only the committee, and never so that the sheet no longer allows the decided level (change
    the level first, by a re-rating)."""
    rating = MemberRating.objects.select_for_update().filter(member=member, year=year).first()
    rating = rating or MemberRating(member=member, branch=member.branch, year=year)
    require_perm(
        actor, member.branch, Action.DECIDE if rating.decided_level else Action.ACT_FOR_BRANCH
    )
    if left_out([member], year):
        raise ValidationError(
            _("Đồng chí %(name)s không thuộc diện xếp loại năm %(year)s.")
            % {"name": member.full_name, "year": year}
        )
    for name in SHEET_FIELDS:
        setattr(rating, name, data[name])
    for name in ("self_score", "score"):
        value = getattr(rating, name)
        if value is not None and not (0 <= value <= 100):
            raise ValidationError({name: _("Điểm theo khung 100 điểm: từ 0 đến 100.")})
    if rating.decided_level:
        allowed = rules_for(year).rate_member(rating.facts()) if rating.facts() else None
        if allowed and Level(rating.decided_level).rank < allowed.level.rank:
            raise ValidationError(
                _(
                    "Chưa lưu: với phiếu này đồng chí %(name)s không còn đủ điều kiện mức đã quyết định “%(level)s” (%(why)s). Hãy xếp loại lại trước."
                )
                % {
                    "name": member.full_name,
                    "level": Level(rating.decided_level).label,
                    "why": allowed.reason.rstrip("."),
                }
            )
    tracked(rating, actor=actor, reason=gettext_noop("Phiếu đánh giá theo khung điểm"))
    rating.save()
    return rating


@transaction.atomic
def rule_exception_record(
    *,
    actor: User,
    organization: Organization,
    year: int,
    rule: str,
    reason: str,
    decision: str = "",
) -> RuleException:
    """A leader records a decision that changes what a rule allows this year, with its reason
    (kept with who and when): that a tổ chức cơ sở đảng's results were outstanding (its cap on
    "xuất sắc" members becomes 25%, never more — not under a rule set without that exception), or
    why a branch keeps "xuất sắc" despite the HD 21 condition on its members."""
    require_perm(actor, organization, Action.DECIDE)
    if not reason.strip():
        raise ValidationError({"reason": _("Hãy ghi rõ lý do của ngoại lệ.")})
    rules = rules_for(year)
    if rule == RuleException.Rule.OUTSTANDING_RESULTS:
        if rules.excellent_share_outstanding is None:
            raise ValidationError(
                _("%(rules)s không cho nâng tỷ lệ hoàn thành xuất sắc nhiệm vụ quá 20%%.")
                % {"rules": rules.label}
            )
        if organization != cap_pool_of(organization):
            raise ValidationError(
                _("Kết quả nổi trội được ghi nhận cho tổ chức cơ sở đảng (%(pool)s).")
                % {"pool": cap_pool_of(organization).name}
            )
    exception = RuleException(
        organization=organization,
        year=year,
        rule=rule,
        reason=reason.strip(),
        decision=decision.strip(),
        recorded_by=actor,
    )
    exception.full_clean()
    tracked(exception, actor=actor, reason=gettext_noop("Ghi nhận ngoại lệ"))
    exception.save()
    return exception


@transaction.atomic
def member_standing_record(
    *,
    actor: User,
    member: Member,
    kind: str,
    start_date,
    end_date=None,
    decision: str,
) -> MemberStanding:
    """Staff record that a member is exempt from party work and meetings, suspended, or
    temporarily attached elsewhere, from a date (to a date), with the decision that says so.
    Those exempt or suspended on the last day of a year are not rated for it."""
    require_perm(actor, member.branch, Action.MANAGE_MEMBERS)
    if not decision.strip():
        raise ValidationError({"decision": _("Hãy ghi quyết định (số, ngày, cơ quan ban hành).")})
    standing = MemberStanding(
        member=member,
        kind=kind,
        start_date=start_date,
        end_date=end_date,
        decision=decision.strip(),
        recorded_by=actor,
    )
    standing.full_clean()
    tracked(standing, actor=actor, reason=gettext_noop("Ghi nhận diện không đánh giá"))
    standing.save()
    return standing


def _parts(frame, data: dict, field: str) -> dict[str, str]:
    scores = {part.code: data.get(f"{field}_{part.code}") for part in frame.parts}
    errors = frame.errors(scores)
    if errors:
        raise ValidationError({f"{field}_{code}": message for code, message in errors.items()})
    return {code: str(value) for code, value in scores.items() if value is not None}


def _locked_status(organization, year, subject):
    """The rating row locked for the save (if it exists), its status, and the row to write."""
    OrganizationRating.objects.select_for_update().filter(
        organization=organization, year=year, subject=subject
    ).first()
    status = organization_rating_status(organization, year, subject)
    return status, status.rating or OrganizationRating(
        organization=organization, year=year, subject=subject
    )


@transaction.atomic
def organization_self_rating_save(
    *, actor: User, organization: Organization, year: int, subject: str, data: dict
) -> OrganizationRating:
    """The organization's own scores on the year's frame and the level it proposes for itself
    (the first of the three steps of Điều 12: self-assessment → appraisal → decision). Written
    by the organization (its secretary or the staff acting for it) until the decision."""
    require_perm(actor, organization, Action.ACT_FOR_BRANCH)
    status, rating = _locked_status(organization, year, subject)
    if rating.decided_level:
        raise ValidationError(
            _("Cấp ủy cấp trên đã quyết định xếp loại; không sửa phần tự đánh giá.")
        )
    report = CollectiveReport.objects.filter(
        organization=organization, year=year, subject=subject
    ).first()
    if report is not None and not report.editable:
        raise ValidationError(
            _(
                "Báo cáo kiểm điểm của tập thể (Mẫu 01) đã ký cùng phần tự đánh giá này; chỉ sửa được khi báo cáo được trả lại."
            )
        )
    rating.self_parts = _parts(status.frame, data, "self")
    rating.self_score = status.frame.score(rating.self_parts)
    rating.self_level = data.get("self_level") or ""
    tracked(rating, actor=actor, reason=gettext_noop("Tự đánh giá, xếp loại chất lượng"))
    rating.save()
    return rating


@transaction.atomic
def organization_appraisal_save(
    *, actor: User, organization: Organization, year: int, subject: str, data: dict
) -> OrganizationRating:
    """The appraisal (thẩm định) by the advising body of the committee that decides: the scores
    it accepts on the frame, the conditions of Điều 11 and the level it proposes — never above
    what those allow. After the decision, never so that the decided level is no longer allowed
    (change the level first, by a re-rating)."""
    deciding = deciding_committee(organization)
    require_perm(actor, deciding, Action.ASSESS)
    status, rating = _locked_status(organization, year, subject)
    rating.parts = _parts(status.frame, data, "score")
    rating.score = status.frame.score(rating.parts)
    rating.all_tasks_done = bool(data.get("all_tasks_done"))
    rating.late_share = data.get("late_share") or 0
    rating.exceeding_share = data.get("exceeding_share")
    rating.disciplined = bool(data.get("disciplined"))
    rating.proposed_level = data.get("proposed_level") or ""
    facts = rating.facts()
    allowed = status.rules.rate_collective(facts) if facts else None
    for level in (rating.proposed_level, rating.decided_level):
        if level and allowed and Level(level).rank < allowed.level.rank:
            raise ValidationError(
                _(
                    "Chưa lưu: với điểm và điều kiện này, %(org)s không đủ điều kiện mức “%(level)s”. %(why)s"
                )
                % {"org": organization.name, "level": Level(level).label, "why": allowed.reason}
            )
    tracked(rating, actor=actor, reason=gettext_noop("Thẩm định xếp loại chất lượng"))
    rating.save()
    return rating


@transaction.atomic
def organization_rating_decide(
    *,
    actor: User,
    organization: Organization,
    year: int,
    subject: str,
    level: str,
    reason: str = "",
    decision: str = "",
) -> OrganizationRating:
    """The decision of the committee directly above (Quy định 366-QĐ/TW Điều 12). Refused, with
    the rule and the numbers, when the members or the subordinate organizations are not all
    decided yet (khoản 2: they come first), when there is no appraisal, when the level is above
    what the appraised score and the conditions of Điều 11 allow (below is allowed with a reason),
    when a "xuất sắc" branch or đảng bộ fails the HD 21 condition without a recorded exception,
    when a decided level is changed without a reason (a re-rating, HD 43 Mẫu 03), or when the
    decision would pass the cap on "xuất sắc" among the collectives the committee decides on.
    The deciding committee is locked, so two decisions at once cannot pass the cap together."""
    deciding = deciding_committee(organization)
    require_perm(actor, deciding, Action.DECIDE)
    if deciding == organization:
        raise ValidationError(_("Tổ chức này do cấp trên ngoài hệ thống quyết định xếp loại."))
    Organization.objects.select_for_update().filter(pk=deciding.pk).first()
    if level not in Level.values:
        raise ValidationError({"level": _("Mức xếp loại không hợp lệ.")})
    level = Level(level)
    status, rating = _locked_status(organization, year, subject)
    reason = reason.strip()
    if status.waiting_for:
        names = ", ".join(status.waiting_for[:5]) + ("…" if len(status.waiting_for) > 5 else "")
        raise ValidationError(
            _(
                "Chưa quyết định được: đảng viên và tổ chức trực thuộc được xếp loại trước (Quy định 366-QĐ/TW, Điều 12 khoản 2). Còn %(n)s chưa có quyết định: %(names)s."
            )
            % {"n": len(status.waiting_for), "names": names}
        )
    facts = rating.facts()
    if facts is None:
        raise ValidationError(
            _("Chưa quyết định được: %(org)s chưa được thẩm định theo khung điểm.")
            % {"org": organization.name}
        )
    old = rating.decided_level
    if old == level:
        return rating
    if old and not reason:
        raise ValidationError(
            _(
                "Chưa lưu: %(org)s đã được quyết định xếp loại “%(old)s”. Đổi mức là xếp loại lại (Mẫu 03, Hướng dẫn 43-HD/BTCTW): hãy ghi lý do."
            )
            % {"org": organization.name, "old": Level(old).label}
        )
    allowed = status.allowed
    if level.rank < allowed.level.rank:
        raise ValidationError(
            _("Chưa lưu: %(org)s không đủ điều kiện mức “%(level)s”. %(why)s")
            % {"org": organization.name, "level": level.label, "why": allowed.reason}
        )
    if level.rank > allowed.level.rank and not reason:
        raise ValidationError(
            _(
                "Chưa lưu: %(org)s đủ điều kiện mức “%(allowed)s” (%(why)s) — quyết định mức thấp hơn cần ghi lý do."
            )
            % {
                "org": organization.name,
                "allowed": allowed.level.label,
                "why": allowed.reason.rstrip("."),
            }
        )
    if (
        level == Level.EXCELLENT
        and status.members_check is not None
        and not status.members_check.ok
        and status.members_exception is None
    ):
        raise ValidationError(_("Chưa lưu: %(why)s") % {"why": status.members_check.reason})
    before = status.pool
    rating.decided_level = level
    rating.decision = decision.strip()
    rating.decided_by = actor
    rating.decided_at = timezone.now()
    tracked(
        rating,
        actor=actor,
        reason=Reason(gettext_noop("Xếp loại lại: %(reason)s"), reason=reason)
        if old
        else Reason(gettext_noop("Quyết định xếp loại: %(reason)s"), reason=reason or level.label),
    )
    rating.save()
    if old:
        _rerating_record(rating=rating, old=old, new=level, reason=reason, actor=actor)
    after = collective_pool(deciding, year, subject)
    passed = (
        after is not None
        and before is not None
        and not after.ok
        and after.excellent - after.allowed > max(0, before.excellent - before.allowed)
    )
    if passed:
        raise ValidationError(
            _(
                "Chưa lưu: %(reason)s (%(rules)s; tính trên các tổ chức do %(committee)s quyết định.)"
            )
            % {
                "reason": after.reason.rstrip("."),
                "rules": status.rules.label,
                "committee": deciding.name,
            }
        )
    return rating
