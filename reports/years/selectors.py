"""Results year by year — of an organization (its registrations and pledges, the model's result,
its decided quality rating, its recognition as outstanding) and of a member (their decided
rating, self-review, attendance) — and the organizations and members with n consecutive years at
a level, which the proposals for a giấy khen or a bằng khen are made from (docs/rules.md,
"Several years and 'nhiều năm liền'").

Every figure is a record made elsewhere (a finalized review, a decided rating): nothing here is
computed anew, so a list says exactly what the decisions said."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from branches.models import Member, Organization
from criteria.models import Plan
from criteria.rules import Level
from pledges.models import Pledge, Registration
from reports.meetings.models import Attendance, Meeting
from reports.ratings.models import MemberRating, OrganizationRating
from reports.reviews.models import Nomination, RecognitionDecision, Review
from reports.selfreviews.models import SelfReview

Subject = OrganizationRating.Subject


@dataclass
class PlanYear:
    """One registration of the organization: the year's plan, pledge and model result."""

    registration: Registration
    pledge: Pledge | None = None
    interim: Review | None = None
    final: Review | None = None


@dataclass
class OrganizationYear:
    year: int
    plans: list[PlanYear] = field(default_factory=list)
    quality: str = ""  # the decided level of the organization (OrganizationRating)
    quality_score: object = None
    leadership: str = ""
    outstanding: list[str] = field(default_factory=list)  # plans that recognized it outstanding

    @property
    def quality_label(self) -> str:
        return Level(self.quality).label if self.quality else ""

    @property
    def leadership_label(self) -> str:
        return Level(self.leadership).label if self.leadership else ""

    @property
    def reached_model(self) -> bool:
        return any(p.final and p.final.reached_model for p in self.plans)


def organization_years(organization: Organization) -> list[OrganizationYear]:
    """The organization's results, one row per year it has any (latest first), in six queries."""
    rows: dict[int, OrganizationYear] = {}

    def row(year: int) -> OrganizationYear:
        return rows.setdefault(year, OrganizationYear(year))

    registrations = list(
        Registration.objects.filter(organization=organization)
        .select_related("plan")
        .order_by("year", "plan__issue_date")
    )
    pledges: dict[int, Pledge] = {}
    for pledge in Pledge.objects.filter(registration__in=registrations).order_by("version"):
        pledges[pledge.registration_id] = pledge
    plan_years: dict[tuple[int, int], PlanYear] = {}
    for registration in registrations:
        entry = PlanYear(registration, pledges.get(registration.pk))
        plan_years[(registration.pk, registration.year)] = entry
        row(registration.year).plans.append(entry)
    for review in Review.objects.filter(registration__in=registrations).order_by("year"):
        entry = plan_years.get((review.registration_id, review.year))
        if entry is None:
            # A review of another year than its registration's (a phase plan registered once,
            # before registrations were made year by year).
            registration = next(r for r in registrations if r.pk == review.registration_id)
            entry = plan_years[(review.registration_id, review.year)] = PlanYear(registration)
            row(review.year).plans.append(entry)
        setattr(entry, "interim" if review.round == Review.Round.INTERIM else "final", review)
    for rating in OrganizationRating.objects.filter(organization=organization).exclude(
        decided_level=""
    ):
        if rating.subject == Subject.ORGANIZATION:
            row(rating.year).quality = rating.decided_level
            row(rating.year).quality_score = rating.score
        else:
            row(rating.year).leadership = rating.decided_level
    issued = set(
        RecognitionDecision.objects.filter(status=RecognitionDecision.Status.ISSUED).values_list(
            "plan_id", "year"
        )
    )
    for nomination in Nomination.objects.filter(
        organization=organization, status=Nomination.Status.APPROVED
    ).select_related("plan"):
        if (nomination.plan_id, nomination.year) in issued:
            row(nomination.year).outstanding.append(nomination.plan.number)
    return sorted(rows.values(), key=lambda r: r.year, reverse=True)


@dataclass
class MemberYear:
    year: int
    branch: str = ""
    level: str = ""
    score: object = None
    self_review: SelfReview | None = None
    present: int = 0
    meetings: int = 0
    outstanding: list[str] = field(default_factory=list)

    @property
    def level_label(self) -> str:
        return Level(self.level).label if self.level else ""


def member_years(member: Member) -> list[MemberYear]:
    """The member's results, one row per year they have any (latest first), in five queries."""
    rows: dict[int, MemberYear] = {}

    def row(year: int) -> MemberYear:
        return rows.setdefault(year, MemberYear(year))

    for rating in MemberRating.objects.filter(member=member).select_related("branch"):
        entry = row(rating.year)
        entry.branch, entry.level, entry.score = (
            rating.branch.name,
            rating.decided_level,
            rating.score,
        )
    for review in SelfReview.objects.filter(
        member=member, round__quarter__isnull=True
    ).select_related("round"):
        row(review.round.year).self_review = review
    attended = (
        Attendance.objects.filter(member=member, meeting__kind__in=Meeting.REGULAR_KINDS)
        .values("meeting__date__year", "meeting__branch__name")
        .annotate(
            meetings=Count("pk"), present=Count("pk", filter=Q(status=Attendance.Status.PRESENT))
        )
    )
    for counts in attended:
        entry = row(counts["meeting__date__year"])
        entry.meetings += counts["meetings"]
        entry.present += counts["present"]
        # A year not rated yet: the branch the member met in.
        entry.branch = entry.branch or counts["meeting__branch__name"]
    issued = set(
        RecognitionDecision.objects.filter(status=RecognitionDecision.Status.ISSUED).values_list(
            "plan_id", "year"
        )
    )
    for nomination in Nomination.objects.filter(
        member=member, status=Nomination.Status.APPROVED
    ).select_related("plan"):
        if (nomination.plan_id, nomination.year) in issued:
            row(nomination.year).outstanding.append(nomination.plan.number)
    return sorted(rows.values(), key=lambda r: r.year, reverse=True)


# ---------------------------------------------------------------------------------------------
# "Nhiều năm liền": n consecutive years at a level.

MEASURES = {
    "excellent": _("Hoàn thành xuất sắc nhiệm vụ"),
    "good": _("Hoàn thành tốt nhiệm vụ trở lên"),
    "model": _("Đạt mô hình “4 tốt”"),
}
LEVELS = {"excellent": [Level.EXCELLENT], "good": [Level.EXCELLENT, Level.GOOD]}


@dataclass(frozen=True)
class Proposal:
    """A kind of proposal made from a streak: who is proposed, on what record, for how many
    years, for which award, on what ground."""

    key: str
    subject: str  # "members" or "organizations"
    measure: str
    years: int
    award: str
    basis: str


# The proposals of Hướng dẫn 06-HD/TW (2025) mục 19 as the product reads them (docs/rules.md):
# members "hoàn thành xuất sắc nhiệm vụ" 5 years in a row get a giấy khen of the standing
# committee directly above their tổ chức cơ sở đảng, or a bằng khen of the provincial standing
# committee [text via press copies]; organizations "hoàn thành xuất sắc nhiệm vụ tiêu biểu" 5
# years in a row likewise (Công văn 19780-CV/VPTW of 2025 for a chi bộ) — "tiêu biểu" is the
# committee's choice among those listed; "4 tốt" n years in a row is a plan's own recognition.
PROPOSALS = [
    Proposal(
        "member-certificate",
        "members",
        "excellent",
        5,
        _("Giấy khen của Ban Thường vụ cấp ủy cấp trên trực tiếp của tổ chức cơ sở đảng"),
        _("Đảng viên hoàn thành xuất sắc nhiệm vụ 5 năm liền (Hướng dẫn 06-HD/TW, mục 19.2)"),
    ),
    Proposal(
        "member-merit",
        "members",
        "excellent",
        5,
        _("Bằng khen của Ban Thường vụ Tỉnh ủy, Thành ủy"),
        _("Đảng viên hoàn thành xuất sắc nhiệm vụ 5 năm liền (Hướng dẫn 06-HD/TW, mục 19.2)"),
    ),
    Proposal(
        "organization-certificate",
        "organizations",
        "excellent",
        5,
        _("Giấy khen của Ban Thường vụ cấp ủy cấp trên trực tiếp của tổ chức cơ sở đảng"),
        _(
            "Tổ chức đảng hoàn thành xuất sắc nhiệm vụ tiêu biểu 5 năm liền (Hướng dẫn 06-HD/TW; "
            "Công văn 19780-CV/VPTW)"
        ),
    ),
    Proposal(
        "organization-merit",
        "organizations",
        "excellent",
        5,
        _("Bằng khen của Ban Thường vụ Tỉnh ủy, Thành ủy"),
        _(
            "Tổ chức đảng hoàn thành xuất sắc nhiệm vụ tiêu biểu 5 năm liền (Hướng dẫn 06-HD/TW; "
            "Công văn 19780-CV/VPTW)"
        ),
    ),
    Proposal(
        "model-3",
        "organizations",
        "model",
        3,
        _("Biểu dương đạt mô hình “4 tốt” nhiều năm liền"),
        _("Đạt mô hình “4 tốt” 3 năm liền (theo kế hoạch của cấp ủy)"),
    ),
]
PROPOSALS_BY_KEY = {p.key: p for p in PROPOSALS}


# The abbreviations the Party's lists use for the levels (HTXSNV …), for narrow tables.
SHORT = {
    Level.EXCELLENT: "HTXSNV",
    Level.GOOD: "HTTNV",
    Level.COMPLETED: "HTNV",
    Level.FAILED: "KHTNV",
}


@dataclass
class Streak:
    """A member or an organization with every year of the streak at the level: the years and
    what each year's record says."""

    subject: Member | Organization
    unit: str  # the branch (member) or the parent (organization), as it is today
    years: list[tuple[int, str]]  # (year, the record's label)

    @property
    def short_years(self) -> list[tuple[int, str, str]]:
        """(year, abbreviation, label): the levels abbreviated as the Party's lists write them."""
        by_label = {str(level.label): short for level, short in SHORT.items()}
        return [(year, by_label.get(label, label), label) for year, label in self.years]


def _years(until: int, count: int) -> list[int]:
    return list(range(until - count + 1, until + 1))


def member_streaks(scope: Organization, *, measure: str, count: int, until: int) -> list[Streak]:
    """The active members under `scope` whose decided rating is at the measure's level in each of
    the `count` years ending with `until` (the years counted in SQL: one query for who, one for
    their records)."""
    years = _years(until, count)
    ratings = MemberRating.objects.filter(
        member__branch__path__startswith=scope.path,
        member__is_active=True,
        year__in=years,
        decided_level__in=LEVELS[measure],
    )
    who = list(
        ratings.values("member")
        .annotate(n=Count("year", distinct=True))
        .filter(n=count)
        .values_list("member", flat=True)
    )
    by_member: dict[int, dict[int, str]] = defaultdict(dict)
    for member_id, year, level in ratings.filter(member__in=who).values_list(
        "member", "year", "decided_level"
    ):
        by_member[member_id][year] = str(Level(level).label)
    members = (
        Member.objects.filter(pk__in=who)
        .select_related("branch")
        .order_by("branch__path", "sort_key", "pk")
    )
    return [Streak(m, m.branch.name, [(y, by_member[m.pk][y]) for y in years]) for m in members]


def _organization_records(scope: Organization, measure: str, years: list[int]) -> dict:
    """{organization id: {year: label}} of the years each organization under `scope` met the
    measure."""
    records: dict[int, dict[int, str]] = defaultdict(dict)
    if measure == "model":
        finals = Review.objects.filter(
            registration__organization__path__startswith=scope.path,
            year__in=years,
            round=Review.Round.FINAL,
            status=Review.Status.FINALIZED,
            reached_model=True,
        ).values_list("registration__organization", "year", "registration__plan__model")
        for organization_id, year, model in finals:
            records[organization_id][year] = str(Plan.Model(model).label)
        return records
    ratings = OrganizationRating.objects.filter(
        organization__path__startswith=scope.path,
        subject=Subject.ORGANIZATION,
        year__in=years,
        decided_level__in=LEVELS[measure],
    ).values_list("organization", "year", "decided_level")
    for organization_id, year, level in ratings:
        records[organization_id][year] = str(Level(level).label)
    return records


def organization_streaks(
    scope: Organization, *, measure: str, count: int, until: int
) -> list[Streak]:
    """The organizations under `scope` (not `scope` itself) whose record meets the measure in
    each of the `count` years ending with `until`: a decided quality rating at the level, or the
    model reached in a finalized final review."""
    years = _years(until, count)
    records = _organization_records(scope, measure, years)
    ids = [pk for pk, by_year in records.items() if len(by_year) == count and pk != scope.pk]
    organizations = Organization.objects.filter(pk__in=ids).order_by("path")
    parents = {
        o.path: o.name
        for o in Organization.objects.filter(path__in={o.parent_path for o in organizations})
    }
    return [
        Streak(o, parents.get(o.parent_path, ""), [(y, records[o.pk][y]) for y in years])
        for o in organizations
    ]


def streaks_for(scope: Organization, proposal: Proposal, until: int, count: int | None = None):
    """The candidates of a proposal under `scope`, over `count` years (the proposal's own by
    default) ending with `until`."""
    find = member_streaks if proposal.subject == "members" else organization_streaks
    return find(scope, measure=proposal.measure, count=count or proposal.years, until=until)
