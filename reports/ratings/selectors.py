"""Member ratings: per branch, per committee, and the checks of the plan's rule set."""

from dataclasses import dataclass

from branches.models import Member, Organization
from criteria.models import Plan
from criteria.rules import DEFAULT_RULE_SET, Level, RuleSet, Verdict, rule_set
from reports.ratings.models import MemberRating, RuleException


def branch_ratings(branch: Organization, year: int) -> list[tuple[Member, MemberRating | None]]:
    """The branch's active members (Vietnamese order) with their rating for the year, if any."""
    ratings = {r.member_id: r for r in MemberRating.objects.filter(branch=branch, year=year)}
    members = Member.objects.filter(branch=branch, is_active=True).order_by("sort_key", "id")
    return [(member, ratings.get(member.pk)) for member in members]


@dataclass
class LevelCounts:
    rated: int
    excellent: int
    good_or_better: int
    completed_or_better: int

    @property
    def failed(self) -> int:
        return self.rated - self.completed_or_better


def level_counts(levels: list[str]) -> LevelCounts:
    levels = [Level(level) for level in levels if level]
    return LevelCounts(
        rated=len(levels),
        excellent=sum(1 for level in levels if level == Level.EXCELLENT),
        good_or_better=sum(1 for level in levels if level.at_least(Level.GOOD)),
        completed_or_better=sum(1 for level in levels if level.at_least(Level.COMPLETED)),
    )


def _levels(ratings) -> list[str]:
    return [r.decided_level or r.proposed_level or r.self_level for r in ratings]


def branch_level_counts(branch: Organization, year: int) -> LevelCounts:
    return level_counts(_levels(MemberRating.objects.filter(branch=branch, year=year)))


def committee_level_counts(committee: Organization, year: int) -> LevelCounts:
    """Across every branch in the committee's subtree (the pool the 20% cap is counted on)."""
    return level_counts(
        _levels(MemberRating.objects.filter(branch__path__startswith=committee.path, year=year))
    )


def rules_for(organization: Organization) -> RuleSet:
    """The rule set of the newest plan issued at or above the organization (the default otherwise)."""
    step = Organization.steplen
    paths = [organization.path[:i] for i in range(step, len(organization.path) + 1, step)]
    plan = Plan.objects.filter(issuer__path__in=paths).order_by("-issue_date").first()
    return plan.rules if plan else rule_set(DEFAULT_RULE_SET)


def cap_pool_of(branch: Organization) -> Organization:
    """The grassroots organization whose members the 20% cap is counted over: the nearest
    "đảng bộ cơ sở" above the branch, or the branch itself when it is a grassroots branch
    (chi bộ cơ sở, directly under an upper committee)."""
    step = Organization.steplen
    paths = [branch.path[:i] for i in range(step, len(branch.path), step)]
    pool = (
        Organization.objects.filter(path__in=paths, kind=Organization.Kind.GRASSROOTS)
        .order_by("-depth")
        .first()
    )
    return pool or branch


@dataclass
class RuleCheck:
    verdict: Verdict
    exception: RuleException | None

    @property
    def blocking(self) -> bool:
        return not self.verdict.ok and self.exception is None


def member_cap_check(committee: Organization, year: int, rules: RuleSet) -> RuleCheck:
    counts = committee_level_counts(committee, year)
    verdict = rules.check_member_excellent_cap(
        excellent=counts.excellent, good_or_better=counts.good_or_better
    )
    exception = RuleException.objects.filter(
        organization=committee, year=year, rule=RuleException.Rule.MEMBER_CAP
    ).first()
    return RuleCheck(verdict, exception)


def branch_members_verdict(counts: LevelCounts, rules: RuleSet, level: Level) -> Verdict:
    """Whether a branch's members' ratings allow the branch's level."""
    return rules.check_branch_against_members(
        level=level,
        members=counts.rated,
        completed_or_better=counts.completed_or_better,
        good_or_better=counts.good_or_better,
    )


def branch_members_check(
    branch: Organization, year: int, rules: RuleSet, level: Level
) -> RuleCheck:
    verdict = branch_members_verdict(branch_level_counts(branch, year), rules, level)
    exception = RuleException.objects.filter(
        organization=branch, year=year, rule=RuleException.Rule.BRANCH_MEMBERS
    ).first()
    return RuleCheck(verdict, exception)


def level_counts_by_branch(committee: Organization, year: int) -> dict[int, LevelCounts]:
    """Counts for every branch under the committee, from one query."""
    by_branch: dict[int, list[str]] = {}
    for rating in MemberRating.objects.filter(
        branch__path__startswith=committee.path, year=year
    ).only("branch_id", "self_level", "proposed_level", "decided_level"):
        by_branch.setdefault(rating.branch_id, []).append(
            rating.decided_level or rating.proposed_level or rating.self_level
        )
    return {branch_id: level_counts(levels) for branch_id, levels in by_branch.items()}
