"""Member ratings: per branch, per pool, and the checks of the rule set of the year rated.

One function counts a pool (`member_pool`): the ratings page that saves decisions, the
committee's page, the reviews' overview, the finalization and the documents all read it, so an
exception or a left-out member is seen the same everywhere."""

import calendar
import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from branches.models import Member, MemberStanding, Organization
from branches.selectors import under_paths
from criteria.rules import (
    CapVerdict,
    Level,
    PoolCounts,
    RuleSet,
    Verdict,
    rating_day,
    rules_for_year,
)
from reports.ratings.models import (
    MemberRating,
    OrganizationRating,
    Rerating,
    RuleException,
)
from vietnamese.dates import short_date


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
    # Counted once per level, then judged per level (four), not per member (thousands).
    count = {Level(level): n for level, n in Counter(levels).items() if level}
    return LevelCounts(
        rated=sum(count.values()),
        excellent=count.get(Level.EXCELLENT, 0),
        good_or_better=sum(n for level, n in count.items() if level.at_least(Level.GOOD)),
        completed_or_better=sum(n for level, n in count.items() if level.at_least(Level.COMPLETED)),
    )


def _decided(organization: Organization, year: int, *, within=None) -> list[tuple[int, str]]:
    """(branch id, decided level) of the rateable members under the organization: a self-rating
    or a branch's proposal is not a rating, and the left-out count nowhere. `within`: only
    under these organizations (a page of pools), not the whole subtree."""
    paths = [organization.path] if within is None else [pool.path for pool in within]
    branches = Organization.objects.filter(under_paths(paths)).values("pk")
    subtree = Member.objects.filter(branch__in=branches, is_active=True)
    excluded = left_out(subtree.only("id", "join_date"), year)
    return [
        (branch_id, level)
        for member_id, branch_id, level in MemberRating.objects.filter(
            branch__in=branches, year=year
        )
        .exclude(decided_level="")
        .values_list("member_id", "branch_id", "decided_level")
        if member_id not in excluded
    ]


def branch_level_counts(branch: Organization, year: int) -> LevelCounts:
    return level_counts([level for _b, level in _decided(branch, year)])


def committee_level_counts(committee: Organization, year: int) -> LevelCounts:
    """Decided levels across every branch in the committee's subtree."""
    return level_counts([level for _b, level in _decided(committee, year)])


def rules_for(year: int) -> RuleSet:
    """The rule set of the year rated (criteria.rules.rules_for_year), not of any plan."""
    return rules_for_year(year)


def _months_before(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` earlier (the month's last day when it has fewer days)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    return datetime.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def left_out(members, year: int, *, ids=None) -> dict[int, str]:
    """The members among `members` who are not rated for `year`, each with the reason: exempt
    from party work and meetings, or suspended, on the day the year is rated (with the decision
    that says so), or admitted less than six months before it. They count in no cap, no share and
    no order check."""
    rules = rules_for_year(year)
    day = rating_day(year)
    newest = _months_before(day, rules.new_member_months)
    # Asked of a queryset, the database finds the new members and the standings (a subquery),
    # not Python over thousands of rows (issue 21: a commune's pool holds ~2,400 members).
    # `ids`: the members' ids as a subquery, when the caller has the members' queryset.
    if isinstance(members, QuerySet):
        ids = members.values("pk") if ids is None else ids
        joined = members.filter(join_date__gt=newest).values_list("pk", "join_date")
    else:
        members = list(members)
        ids = [m.pk for m in members] if ids is None else ids
        joined = [(m.pk, m.join_date) for m in members]
    return _left_out(joined, ids, year)


def _left_out(joined, ids, year: int) -> dict[int, str]:
    """`left_out` of the members `ids` (a list or a subquery), `joined` their (id, join date)
    pairs (or those of the newest only)."""
    rules = rules_for_year(year)
    day = rating_day(year)
    newest = _months_before(day, rules.new_member_months)
    reasons: dict[int, str] = {}
    for member_id, join_date in joined:
        if join_date is None or join_date <= newest:
            continue
        reasons[member_id] = _(
            "vào Đảng ngày %(day)s, chưa đủ %(months)s tháng đến ngày đánh giá"
        ) % {"day": short_date(join_date), "months": rules.new_member_months}
    standings = MemberStanding.objects.filter(
        member__in=ids,
        kind__in=MemberStanding.LEFT_OUT,
        start_date__lte=day,
    ).filter(Q(end_date__isnull=True) | Q(end_date__gte=day))
    for standing in standings.order_by("start_date"):
        reasons.setdefault(
            standing.member_id,
            _("%(kind)s từ ngày %(day)s (%(decision)s)")
            % {
                "kind": standing.get_kind_display(),
                "day": short_date(standing.start_date),
                "decision": standing.decision,
            },
        )
    return reasons


def pool_members(pool: Organization):
    """The active members a pool counts: every branch in its subtree — for a commune-level
    committee, every branch but those of the grassroots committees under it, which are pools of
    their own."""
    members = Member.objects.filter(branch__path__startswith=pool.path, is_active=True)
    if pool.kind == Organization.Kind.COMMUNE:
        for path in Organization.objects.filter(
            path__startswith=pool.path, kind=Organization.Kind.GRASSROOTS
        ).values_list("path", flat=True):
            members = members.exclude(branch__path__startswith=path)
    return members


@dataclass
class PoolStatus:
    """One pool's decided levels, who is left out (with why) and who is not decided yet."""

    pool: Organization
    year: int
    counts: PoolCounts
    verdict: CapVerdict
    exception: RuleException | None
    left_out: dict[int, str] = field(default_factory=dict)
    undecided: list[int] = field(default_factory=list)  # member ids, Vietnamese order
    decided: dict[int, str] = field(default_factory=dict)  # {member id: decided level}

    @property
    def blocking(self) -> bool:
        return not self.verdict.ok


def member_pool(pool: Organization, year: int) -> PoolStatus:
    """The cap on "xuất sắc" over a pool's members, counted on decided levels of the rateable
    members only, with the pool's decision on outstanding results (25%) if one is recorded."""
    return member_pools([pool], year)[0]


def member_pools(pools: list[Organization], year: int) -> list[PoolStatus]:
    """`member_pool` of each pool, in six queries whatever their number (issue 21: a page of
    commune-level pools holds ten thousand members, a block committee's plan a dozen pools).
    The members of a pool are those `pool_members` names."""
    if not pools:
        return []
    paths = {pool.path for pool in pools}
    organizations = list(
        Organization.objects.filter(under_paths(sorted(paths)))
        .filter(kind__in=(Organization.Kind.BRANCH, Organization.Kind.GRASSROOTS))
        .values_list("pk", "path", "kind")
    )
    grassroots = {path for _pk, path, kind in organizations if kind == Organization.Kind.GRASSROOTS}
    communes = {pool.path for pool in pools if pool.kind == Organization.Kind.COMMUNE}
    step = Organization.steplen

    def counted_in(branch_path: str) -> list[str]:
        """The pools among `paths` a branch's members count in: those above it, but not a
        commune-level committee when a grassroots committee between them is a pool of its own."""
        above = [branch_path[:i] for i in range(step, len(branch_path) + 1, step)]
        between = [p for p in above if p in grassroots]
        return [
            path
            for path in above
            if path in paths and not (path in communes and any(g.startswith(path) for g in between))
        ]

    pools_of = {
        pk: counted_in(path) for pk, path, kind in organizations if kind == Organization.Kind.BRANCH
    }
    # By branch ids, which the members' index serves, not by a dozen path patterns.
    in_pools = Member.objects.filter(
        branch__in=[pk for pk, found in pools_of.items() if found], is_active=True
    )
    ids = in_pools.values("pk")
    rows = list(in_pools.values_list("pk", "branch_id", "join_date"))  # Vietnamese order
    excluded = _left_out([(pk, joined) for pk, _b, joined in rows], ids, year)
    decided = dict(
        MemberRating.objects.filter(member__in=ids, year=year)
        .exclude(decided_level="")
        .values_list("member_id", "decided_level")
    )
    exceptions: dict[int, RuleException] = {}
    for exception in RuleException.objects.filter(
        organization__in=pools, year=year, rule=RuleException.Rule.OUTSTANDING_RESULTS
    ).order_by("pk"):
        exceptions.setdefault(exception.organization_id, exception)
    rateable: dict[str, list[int]] = {path: [] for path in paths}
    left: dict[str, dict[int, str]] = {path: {} for path in paths}
    levels: dict[str, dict[int, str]] = {path: {} for path in paths}
    for pk, branch_id, _joined in rows:
        for path in pools_of.get(branch_id, ()):
            if pk in excluded:
                left[path][pk] = excluded[pk]
            else:
                rateable[path].append(pk)
            if pk in decided:
                levels[path][pk] = decided[pk]
    rules = rules_for_year(year)
    statuses = []
    for pool in pools:
        members = rateable[pool.path]
        counts = PoolCounts.of(
            [levels[pool.path][pk] for pk in members if pk in levels[pool.path]], len(members)
        )
        exception = exceptions.get(pool.pk)
        statuses.append(
            PoolStatus(
                pool=pool,
                year=year,
                counts=counts,
                verdict=rules.excellent_cap(counts, outstanding=exception is not None),
                exception=exception,
                left_out=left[pool.path],
                undecided=[pk for pk in members if pk not in levels[pool.path]],
                decided=levels[pool.path],
            )
        )
    return statuses


# The committees whose members are counted as one pool: a đảng bộ cơ sở, and a commune-level
# committee for the branches directly under it, whose đảng ủy acts as their grassroots committee
# (Quy định 298-QĐ/TW: the level above "tổ chức cơ sở đảng, chi bộ trực thuộc") [reading].
POOL_KINDS = (Organization.Kind.GRASSROOTS, Organization.Kind.COMMUNE)


def pools_within(organization: Organization) -> list[Organization]:
    """The pools an organization's page shows: its own pool if it is inside one, else every
    pool in its subtree (each đảng bộ cơ sở and commune-level committee, and each chi bộ cơ sở
    under an upper committee)."""
    if not organization.is_upper_level:
        return [cap_pool_of(organization)]
    subtree = Organization.objects.filter(path__startswith=organization.path, is_active=True)
    pools = list(subtree.filter(kind__in=POOL_KINDS).order_by("path"))
    uppers = set(
        subtree.filter(kind__in=Organization.UPPER_LEVEL_KINDS)
        .exclude(kind=Organization.Kind.COMMUNE)
        .values_list("path", flat=True)
    )
    # The chi bộ cơ sở: branches right under an upper committee, found by the database (a
    # province holds thousands of branches, few of them directly under an upper committee).
    directly_under = Q()
    for path in uppers:
        directly_under |= Q(path__startswith=path, depth=len(path) // Organization.steplen + 1)
    branches = list(subtree.filter(directly_under, kind=Organization.Kind.BRANCH)) if uppers else []
    return sorted(pools + branches, key=lambda o: o.path)


def cap_pool_of(branch: Organization) -> Organization:
    """The grassroots organization whose members the 20% cap is counted over: the nearest
    "đảng bộ cơ sở" (or commune-level committee) at or above the organization, or the branch
    itself when it is a grassroots branch (chi bộ cơ sở, directly under an upper committee)."""
    if branch.kind in POOL_KINDS:
        return branch
    step = Organization.steplen
    paths = [branch.path[:i] for i in range(step, len(branch.path), step)]
    pool = (
        Organization.objects.filter(path__in=paths, kind__in=POOL_KINDS).order_by("-depth").first()
    )
    return pool or branch


@dataclass
class RuleCheck:
    verdict: Verdict
    exception: RuleException | None

    @property
    def blocking(self) -> bool:
        return not self.verdict.ok and self.exception is None


def member_cap_check(organization: Organization, year: int) -> PoolStatus:
    """The cap over the pool the organization belongs to (member_pool of cap_pool_of)."""
    return member_pool(cap_pool_of(organization), year)


def undecided_in_branch(branch: Organization, year: int) -> list[Member]:
    """The rateable members of the branch with no decided level for the year (Quy định
    366-QĐ/TW Điều 12 khoản 2: they are rated before the branch) — the branch's part of its
    pool's `undecided`, read for the branch alone."""
    members = Member.objects.filter(branch=branch, is_active=True)
    excluded = left_out(members, year)
    decided = MemberRating.objects.filter(year=year).exclude(decided_level="")
    return [
        m
        for m in members.exclude(pk__in=decided.values("member_id")).only(
            "id", "full_name", "branch_id"
        )
        if m.pk not in excluded
    ]


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


def level_counts_by_branch(
    committee: Organization, year: int, *, within=None
) -> dict[int, LevelCounts]:
    """Decided counts for every branch under the committee (or under the organizations
    `within` it), from one pass."""
    by_branch: dict[int, list[str]] = {}
    for branch_id, level in _decided(committee, year, within=within):
        by_branch.setdefault(branch_id, []).append(level)
    return {branch_id: level_counts(levels) for branch_id, levels in by_branch.items()}


# ---------------------------------------------------------------------------------------------
# The quality rating of organizations and leadership collectives (Quy định 366-QĐ/TW).

Subject = OrganizationRating.Subject


def deciding_committee(organization: Organization) -> Organization:
    """Who decides an organization's rating: the committee directly above it — the nearest
    đảng bộ cơ sở or upper committee (a đảng bộ bộ phận appraises but does not decide; its
    branches are decided by the đảng ủy cơ sở, Hướng dẫn 43-HD/BTCTW) — or the organization
    itself at the top of the tree the product holds."""
    step = Organization.steplen
    paths = [organization.path[:i] for i in range(step, len(organization.path), step)]
    above = (
        Organization.objects.filter(path__in=paths)
        .exclude(kind=Organization.Kind.PARTIAL)
        .order_by("-depth")
        .first()
    )
    return above or organization


def decided_by_committee(committee: Organization) -> list[Organization]:
    """The active organizations whose rating `committee` decides: its children, and the
    children of its đảng bộ bộ phận."""
    children = list(subordinates_of(committee))
    partials = Q()
    for child in children:
        if child.kind == Organization.Kind.PARTIAL:
            partials |= Q(path__startswith=child.path, depth=committee.depth + 2)
    under_partials = list(Organization.objects.filter(partials, is_active=True)) if partials else []
    return children + under_partials


def subordinates_of(organization: Organization):
    """The active organizations directly under one (whose ratings come before its own)."""
    return Organization.objects.filter(
        path__startswith=organization.path, depth=organization.depth + 1, is_active=True
    ).order_by("path")


def quality_levels(organization_ids, year: int, subject: str = Subject.ORGANIZATION) -> dict:
    """{organization id: decided level} for the year (only decided levels are ratings)."""
    return dict(
        OrganizationRating.objects.filter(
            organization_id__in=list(organization_ids), year=year, subject=subject
        )
        .exclude(decided_level="")
        .values_list("organization_id", "decided_level")
    )


def collective_pool(
    committee: Organization, year: int, subject: str, organizations=None
) -> CapVerdict | None:
    """The cap on "xuất sắc" among the organizations (or leadership collectives) one committee
    decides on for the year: 20% of those rated "hoàn thành tốt nhiệm vụ", 25% by the recorded
    decision on the committee's outstanding results, never more (366: "tập thể, cá nhân"). None
    under a rule set that caps members only (132 / HD 21). `organizations`: those the committee
    decides on, when the caller has them already."""
    rules = rules_for_year(year)
    if not rules.caps_collectives:
        return None
    if organizations is None:
        organizations = decided_by_committee(committee)
    levels = quality_levels([o.pk for o in organizations], year, subject).values()
    outstanding = RuleException.objects.filter(
        organization=committee, year=year, rule=RuleException.Rule.OUTSTANDING_RESULTS
    ).exists()
    return rules.excellent_cap(PoolCounts.of(levels, len(organizations)), outstanding=outstanding)


@dataclass
class OrganizationRatingStatus:
    """What the rating page and the decision need: the record, the frame of the year's rule
    set, the level the appraisal allows, what must be decided first, and the pool."""

    organization: Organization
    year: int
    subject: str
    rating: OrganizationRating | None
    rules: RuleSet
    deciding: Organization
    allowed: Verdict | None  # the level the appraised score and conditions allow
    waiting_for: list[str]  # who must be decided first (Điều 12 khoản 2), by name
    members_check: Verdict | None  # HD 21, for "xuất sắc"
    members_exception: RuleException | None
    pool: CapVerdict | None

    @property
    def frame(self):
        return self.rules.frames[self.subject]

    @property
    def stale(self) -> str:
        """Why a decided "xuất sắc" no longer holds under HD 21 (members or subordinate
        organizations were rated down after it, with no exception recorded), or ''."""
        rating, check = self.rating, self.members_check
        if (
            rating
            and rating.decided_level == Level.EXCELLENT
            and check is not None
            and not check.ok
            and self.members_exception is None
        ):
            return check.reason
        return ""


def organization_rating_status(
    organization: Organization, year: int, subject: str = Subject.ORGANIZATION
) -> OrganizationRatingStatus:
    rules = rules_for_year(year)
    rating = OrganizationRating.objects.filter(
        organization=organization, year=year, subject=subject
    ).first()
    facts = rating.facts() if rating else None
    allowed = rules.rate_collective(facts) if facts else None
    waiting_for: list[str] = []
    members_check = None
    exception = None
    if subject == Subject.ORGANIZATION:
        if organization.is_branch:
            waiting_for = [m.full_name for m in undecided_in_branch(organization, year)]
            check = branch_members_check(organization, year, rules, Level.EXCELLENT)
            members_check, exception = check.verdict, check.exception
        else:
            subordinates = list(subordinates_of(organization))
            decided = quality_levels([o.pk for o in subordinates], year)
            waiting_for = [o.name for o in subordinates if o.pk not in decided]
            counts = level_counts(list(decided.values()))
            members_check = rules.check_committee_against_subordinates(
                level=Level.EXCELLENT,
                organizations=len(subordinates),
                completed_or_better=counts.completed_or_better,
                good_or_better=counts.good_or_better,
            )
            exception = RuleException.objects.filter(
                organization=organization, year=year, rule=RuleException.Rule.BRANCH_MEMBERS
            ).first()
    deciding = deciding_committee(organization)
    return OrganizationRatingStatus(
        organization=organization,
        year=year,
        subject=subject,
        rating=rating,
        rules=rules,
        deciding=deciding,
        allowed=allowed,
        waiting_for=waiting_for,
        members_check=members_check,
        members_exception=exception,
        pool=collective_pool(deciding, year, subject) if deciding != organization else None,
    )


def reratings_within(organization: Organization, year: int) -> list[Rerating]:
    """The re-rating decisions (HD 43 Mẫu 03) of the year for members and organizations in the
    organization's subtree, oldest first."""
    return list(
        Rerating.objects.filter(
            Q(member_rating__year=year, member_rating__branch__path__startswith=organization.path)
            | Q(
                organization_rating__year=year,
                organization_rating__organization__path__startswith=organization.path,
            )
        )
        .select_related("member_rating__member", "organization_rating__organization")
        .order_by("decided_at", "pk")
    )
