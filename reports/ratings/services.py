"""Member ratings and the exceptions a leader may justify."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from audit.history import tracked
from audit.reasons import Reason, label
from branches.models import Member, Organization, User
from branches.permissions import Action, require_perm
from criteria.rules import Level
from reports.ratings.models import MemberRating, RuleException
from reports.ratings.selectors import (
    cap_pool_of,
    committee_level_counts,
    member_cap_check,
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


@transaction.atomic
def ratings_save(
    *, actor: User, branch: Organization, year: int, column: str, levels: dict[int, str]
) -> int:
    """Write one column (self / proposed / decided) of the branch's ratings for a year; returns
    how many changed. Each change is kept in the history.

    The committee's decisions may not raise the number of members rated "xuất sắc" beyond 20% of
    those rated "hoàn thành tốt" or better in the grassroots organization (the pool counts the
    "xuất sắc" members themselves: 13 of 65 passes, 13 of 64 does not) unless a leader has
    recorded a justified exception for the year: such a save is refused whole, with the reason."""
    require_perm(actor, branch, COLUMNS[column])
    field = FIELDS[column]
    pool = cap_pool_of(branch)
    excellent_before = committee_level_counts(pool, year).excellent
    members = {m.pk: m for m in Member.objects.filter(pk__in=levels, branch=branch)}
    if set(levels) - set(members):
        raise ValidationError(_("Có người không thuộc chi bộ trong danh sách xếp loại."))
    existing = {
        r.member_id: r
        for r in MemberRating.objects.select_for_update().filter(
            branch=branch, year=year, member_id__in=levels
        )
    }
    changed = 0
    for member_id, level in levels.items():
        if level and level not in Level.values:
            raise ValidationError(_("Mức xếp loại không hợp lệ."))
        rating = existing.get(member_id) or MemberRating(
            member=members[member_id], branch=branch, year=year
        )
        if getattr(rating, field) == level:
            continue
        setattr(rating, field, level)
        tracked(
            rating,
            actor=actor,
            reason=Reason(
                gettext_noop("Xếp loại: %(column)s"),
                column=label(MemberRating._meta.get_field(field).verbose_name),
            ),
        )
        rating.save()
        changed += 1
    if column == "decided" and changed:
        check = member_cap_check(pool, year, rules_for(branch))
        if check.blocking:
            counts = committee_level_counts(pool, year)
            if counts.excellent > excellent_before:
                raise ValidationError(
                    _(
                        "Chưa lưu: %(reason)s (tính trên toàn %(pool)s). Hãy giảm số đảng viên hoàn thành xuất sắc nhiệm vụ, hoặc lãnh đạo cấp ủy ghi nhận ngoại lệ có lý do trước."
                    )
                    % {"reason": check.verdict.reason.rstrip("."), "pool": pool.name}
                )
    return changed


@transaction.atomic
def rule_exception_record(
    *, actor: User, organization: Organization, year: int, rule: str, reason: str
) -> RuleException:
    """A leader records why a breached rule is justified this year (kept with who and when)."""
    require_perm(actor, organization, Action.DECIDE)
    if not reason.strip():
        raise ValidationError({"reason": _("Hãy ghi rõ lý do của ngoại lệ.")})
    exception = RuleException(
        organization=organization, year=year, rule=rule, reason=reason.strip(), recorded_by=actor
    )
    exception.full_clean()
    tracked(exception, actor=actor, reason=gettext_noop("Ghi nhận ngoại lệ"))
    exception.save()
    return exception
