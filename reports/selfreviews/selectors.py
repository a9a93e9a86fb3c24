"""Reads of the members' self-reviews: which round a member reviews in, who may see what, and
each branch's and committee's status at a glance."""

import datetime
from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from branches.models import Member, Organization
from branches.permissions import reached_paths
from branches.selectors import scope_q
from criteria.rules import Frame, Level, Verdict
from reports.ratings.hd43 import FORMS, INDIVIDUAL_FORMS, FormSpec
from reports.ratings.models import MemberRating, Rerating
from reports.ratings.selectors import left_out, rules_for
from reports.selfreviews.models import ReviewRound, SelfReview

Status = SelfReview.Status


def member_frame(year: int) -> Frame:
    """The scoring frame of a member for the year (366: common 30 + results 70)."""
    return rules_for(year).frames["member"]


def form_spec(review: SelfReview) -> FormSpec:
    return FORMS[review.form]


def forms_for(round: ReviewRound) -> list[str]:
    """The forms a member may write in a round: Mẫu 05 for a quarter, 2A/2B/2C for the year."""
    return ["05"] if round.is_quarterly else list(INDIVIDUAL_FORMS)


def _ancestor_paths(organization: Organization) -> list[str]:
    step = Organization.steplen
    return [organization.path[:i] for i in range(step, len(organization.path) + 1, step)]


def rounds_for_branch(branch: Organization, year: int | None = None) -> list[ReviewRound]:
    """The rounds a branch's members review in: per period (year, quarter), the round of the
    nearest committee above the branch that opened one."""
    rounds = ReviewRound.objects.filter(committee__path__in=_ancestor_paths(branch)).select_related(
        "committee"
    )
    if year is not None:
        rounds = rounds.filter(year=year)
    nearest: dict[tuple, ReviewRound] = {}
    for round in rounds.order_by("committee__depth"):
        nearest[(round.year, round.quarter)] = round  # deeper committees come later and win
    return sorted(nearest.values(), key=lambda r: (-r.year, -(r.quarter or 5)))


def round_covers(round: ReviewRound, branch: Organization) -> bool:
    """Whether the branch's members review in this round (it is the nearest for its period)."""
    return any(r.pk == round.pk for r in rounds_for_branch(branch, round.year))


def rounds_visible_to(user) -> QuerySet[ReviewRound]:
    """Rounds of committees in the user's subtrees, and rounds of committees above them (a
    branch's secretary sees the round the committee opened for the branch)."""
    paths = reached_paths(user)
    above = set()
    for path in paths:
        step = Organization.steplen
        above |= {path[:i] for i in range(step, len(path), step)}
    return ReviewRound.objects.filter(
        scope_q(user, lookup="committee__path") | Q(committee__path__in=above)
    ).select_related("committee")


def get_round_for(user, pk) -> ReviewRound:
    return get_object_or_404(rounds_visible_to(user), pk=pk)


def self_reviews_visible_to(user) -> QuerySet[SelfReview]:
    """Self-reviews of the branches in the user's subtrees, and the user's own (a member's
    account has no role: it reaches its own self-reviews and nothing else)."""
    own = Q(member__user=user) if user.is_authenticated else Q(pk__in=[])
    return SelfReview.objects.filter(scope_q(user, lookup="branch__path") | own).select_related(
        "round__committee", "member", "branch"
    )


def get_self_review_for(user, pk) -> SelfReview:
    """The self-review, if it is the user's own or the user's roles reach its branch; 404
    otherwise."""
    return get_object_or_404(self_reviews_visible_to(user), pk=pk)


def is_own(review: SelfReview, user) -> bool:
    return review.member.user_id is not None and review.member.user_id == user.pk


def band(review: SelfReview) -> Verdict | None:
    """The level the points alone reach (the most a member may propose for themself)."""
    if review.score is None:
        return None
    rules = rules_for(review.round.year)
    return rules.band(review.score, member_frame(review.round.year).total)


@dataclass
class MemberRow:
    """One member of a branch in a round: their self-review (if opened) and, for the year,
    their rating record."""

    member: Member
    review: SelfReview | None
    rating: MemberRating | None
    left_out: str

    @property
    def state(self) -> str:
        """not_started / draft / returned / submitted / voted / decided (or left_out)."""
        if self.left_out:
            return "left_out"
        review = self.review
        decided = (
            (review.decided_level if review else "")
            if review and review.round.is_quarterly
            else (self.rating.decided_level if self.rating else "")
        )
        if decided:
            return "decided"
        if review is None:
            return "not_started"
        if review.status != Status.SUBMITTED:
            return review.status
        return "voted" if review.voted else "submitted"


STATES = {
    "not_started": _("Chưa viết"),
    "draft": _("Đang viết"),
    "returned": _("Trả lại để viết lại"),
    "submitted": _("Đã ký, chờ chi bộ biểu quyết"),
    "voted": _("Chi bộ đã biểu quyết, chờ cấp ủy quyết định"),
    "decided": _("Cấp ủy đã quyết định"),
    "left_out": _("Không thuộc diện đánh giá"),
}


def branch_rows(round: ReviewRound, branch: Organization) -> list[MemberRow]:
    """Every active member of the branch in the round, in the Vietnamese order, with the state
    of their self-review; three queries whatever the branch's size."""
    members = list(Member.objects.filter(branch=branch, is_active=True).order_by("sort_key", "id"))
    reviews = {
        r.member_id: r
        for r in SelfReview.objects.filter(round=round, member__in=members).select_related("round")
    }
    ratings = (
        {}
        if round.is_quarterly
        else {
            r.member_id: r for r in MemberRating.objects.filter(year=round.year, member__in=members)
        }
    )
    excluded = left_out(members, round.year)
    return [
        MemberRow(m, reviews.get(m.pk), ratings.get(m.pk), excluded.get(m.pk, "")) for m in members
    ]


@dataclass
class BranchStatus:
    branch: Organization
    members: int
    counts: Counter

    @property
    def not_started(self) -> int:
        return self.members - sum(self.counts.values())


def committee_overview(round: ReviewRound, branches: list[Organization]) -> list[BranchStatus]:
    """Per branch: its active members and its self-reviews by status (submitted ones split by
    whether the branch voted). Two queries whatever the number of branches."""
    members = dict(
        Member.objects.filter(branch__in=branches, is_active=True)
        .values_list("branch")
        .annotate(n=Count("id"))
    )
    counts: dict[int, Counter] = {b.pk: Counter() for b in branches}
    for branch_id, status, voted in (
        SelfReview.objects.filter(round=round, branch__in=branches, member__is_active=True)
        .annotate(voted=Q(vote_date__isnull=False))
        .values_list("branch_id", "status", "voted")
    ):
        key = "voted" if status == Status.SUBMITTED and voted else status
        counts[branch_id][key] += 1
    return [BranchStatus(b, members.get(b.pk, 0), counts[b.pk]) for b in branches]


def branches_of_round(round: ReviewRound) -> list[Organization]:
    """The active branches whose members review in this round."""
    branches = Organization.objects.filter(
        path__startswith=round.committee.path, kind=Organization.Kind.BRANCH, is_active=True
    ).order_by("path")
    # A deeper committee's round for the same period takes its branches.
    deeper = ReviewRound.objects.filter(
        year=round.year,
        quarter=round.quarter,
        committee__path__startswith=round.committee.path,
        committee__depth__gt=round.committee.depth,
    ).values_list("committee__path", flat=True)
    deeper = list(deeper)
    return [b for b in branches if not any(b.path.startswith(p) for p in deeper)]


def rounds_of_member(member: Member) -> list[tuple[ReviewRound, SelfReview | None]]:
    """The member's rounds (newest first), each with the member's self-review if opened."""
    rounds = rounds_for_branch(member.branch)
    reviews = {
        r.round_id: r
        for r in SelfReview.objects.filter(member=member, round__in=[r.pk for r in rounds])
    }
    return [(r, reviews.get(r.pk)) for r in rounds]


def is_past_deadline(round: ReviewRound, today: datetime.date) -> bool:
    return today > round.deadline


def vote_levels(review: SelfReview) -> dict[Level, int]:
    return {
        Level.EXCELLENT: review.vote_excellent,
        Level.GOOD: review.vote_good,
        Level.COMPLETED: review.vote_completed,
        Level.FAILED: review.vote_failed,
    }


def reratings_visible_to(user) -> QuerySet[Rerating]:
    """Re-rating decisions of members and organizations in the user's subtrees."""
    return Rerating.objects.filter(
        scope_q(user, lookup="member_rating__branch__path")
        | scope_q(user, lookup="organization_rating__organization__path")
    ).select_related(
        "member_rating__member", "member_rating__branch", "organization_rating__organization"
    )
