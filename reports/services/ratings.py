"""Member ratings and the exceptions a leader may justify."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from branches.models import Member, Organization, User
from branches.services import tracked
from criteria.rules import Level
from reports.models import MemberRating, RuleException

FIELDS = {"self": "self_level", "proposed": "proposed_level", "decided": "decided_level"}


@transaction.atomic
def ratings_save(
    *, actor: User, branch: Organization, year: int, column: str, levels: dict[int, str]
) -> int:
    """Write one column (self / proposed / decided) of the branch's ratings for a year; returns
    how many changed. Each change is kept in the history."""
    field = FIELDS[column]
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
            reason=_("Xếp loại: %(column)s")
            % {"column": MemberRating._meta.get_field(field).verbose_name},
        )
        rating.save()
        changed += 1
    return changed


@transaction.atomic
def rule_exception_record(
    *, actor: User, organization: Organization, year: int, rule: str, reason: str
) -> RuleException:
    """A leader records why a breached rule is justified this year (kept with who and when)."""
    if not reason.strip():
        raise ValidationError({"reason": _("Hãy ghi rõ lý do của ngoại lệ.")})
    exception = RuleException(
        organization=organization, year=year, rule=rule, reason=reason.strip(), recorded_by=actor
    )
    exception.full_clean()
    tracked(exception, actor=actor, reason=_("Ghi nhận ngoại lệ"))
    exception.save()
    return exception
