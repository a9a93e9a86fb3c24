"""Members' self-reviews in the work queue (web.worklist): a member's own self-review to write,
sign or write again — for every account linked to a member, a secretary's too —; for the branch's
secretary and the committee's staff, the signed self-reviews waiting for the branch's vote; for a
leader, the quarters the branch has voted on and the committee has not decided. (The year's
decisions are the ratings' own item, reports/ratings/worklist.py.)"""

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from branches.models import Member, RoleAssignment
from branches.selectors import scope_q
from reports.ratings.selectors import left_out
from reports.selfreviews.models import SelfReview
from reports.selfreviews.selectors import rounds_of_member
from web import worklist

Role = RoleAssignment.Role
Status = SelfReview.Status
MINE = 5  # one's own self-review comes first


@worklist.provider(worklist.MEMBER)
def own_self_review(user):
    """The member's self-review in each round of their branch still to be written, signed, or
    written again after a return (with the branch's reason)."""
    member = Member.objects.filter(user=user, is_active=True).select_related("branch").first()
    if member is None:
        return
    today = timezone.localdate()
    for round, review in rounds_of_member(member):
        period = round.period_label.lower()
        common = {
            "group": _("Bản tự kiểm điểm của tôi"),
            "organization": member.branch.name,
            "year": round.year,
            "deadline": round.deadline,
            "order": MINE,
        }
        if review is None:
            if today > round.deadline or left_out([member], round.year):
                continue
            yield worklist.WorkItem(
                title=_("Viết và ký bản tự kiểm điểm %(period)s") % {"period": period},
                url=reverse("reports:my_records"),
                **common,
            )
        elif review.status == Status.DRAFT:
            yield worklist.WorkItem(
                title=_("Ký nộp bản tự kiểm điểm %(period)s") % {"period": period},
                url=reverse("reports:self_review_detail", args=[review.pk]),
                overdue=today > round.deadline,
                **common,
            )
        elif review.status == Status.RETURNED:
            yield worklist.WorkItem(
                title=_("Viết lại bản tự kiểm điểm %(period)s") % {"period": period},
                url=reverse("reports:self_review_edit", args=[review.pk]),
                note=_("Chi bộ trả lại: %(reason)s") % {"reason": review.return_reason},
                **common,
            )


def _by_branch(queryset):
    return (
        queryset.values("round_id", "round__year", "round__quarter", "branch_id", "branch__name")
        .annotate(n=Count("id"))
        .order_by("round__year", "branch__name")
    )


def _period(row) -> str:
    if row["round__quarter"]:
        return _("quý %(q)s năm %(year)s") % {
            "q": row["round__quarter"],
            "year": row["round__year"],
        }
    return _("năm %(year)s") % {"year": row["round__year"]}


@worklist.provider(Role.SECRETARY, Role.STAFF)
def self_reviews_to_vote(user):
    """Per branch and round: the signed self-reviews the branch has not voted on yet."""
    scope = scope_q(user, lookup="branch__path", roles={Role.SECRETARY, Role.STAFF})
    waiting = SelfReview.objects.filter(scope, status=Status.SUBMITTED, vote_date__isnull=True)
    for row in _by_branch(waiting):
        yield worklist.WorkItem(
            group=_("Bản tự kiểm điểm chờ chi bộ biểu quyết"),
            title=_("%(branch)s: %(n)s bản, %(period)s")
            % {"branch": row["branch__name"], "n": row["n"], "period": _period(row)},
            url=reverse("reports:round_branch", args=[row["round_id"], row["branch_id"]]),
            organization=row["branch__name"],
            year=row["round__year"],
            order=30,
        )


@worklist.provider(Role.LEADER)
def quarters_to_decide(user):
    """Per branch and quarter: the members the branch voted on whose quarter is not decided."""
    scope = scope_q(user, lookup="branch__path", roles={Role.LEADER})
    waiting = SelfReview.objects.filter(
        scope, round__quarter__isnull=False, vote_date__isnull=False, decided_level=""
    )
    for row in _by_branch(waiting):
        yield worklist.WorkItem(
            group=_("Xếp loại chờ quyết định"),
            title=_("%(branch)s: %(n)s đảng viên chờ quyết định xếp loại %(period)s")
            % {"branch": row["branch__name"], "n": row["n"], "period": _period(row)},
            url=reverse("reports:round_branch", args=[row["round_id"], row["branch_id"]]),
            organization=row["branch__name"],
            year=row["round__year"],
            order=42,
        )
