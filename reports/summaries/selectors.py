"""The summary of a plan for one round: counts and rates, the per-organization table, the list that
reached the model, the outstanding collectives and individuals, the comparison with the previous
year, and the series the charts draw. Built once, in a fixed number of queries whatever the number
of organizations; the page, the PDF and the Excel file all read it."""

import datetime
import hashlib
import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import TruncDate
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from branches.models import Organization
from criteria.models import Criterion, Plan
from criteria.rules import Level
from criteria.selectors import plans_visible_to
from partydocs.models import Signature
from pledges.models import Pledge, Registration
from reports.ratings.models import MemberRating, OrganizationRating
from reports.ratings.selectors import LevelCounts
from reports.reviews.models import Nomination, Review
from reports.summaries.models import GeneratedDocument, SummaryReport
from vietnamese.text import fold

ZERO = Decimal(0)
SORTS = {
    "path": lambda row: row.organization.path,
    "name": lambda row: row.sort_name,
    "-total": lambda row: (row.total is None, -(row.total or ZERO), row.organization.path),
    "total": lambda row: (row.total is None, row.total or ZERO, row.organization.path),
}


@dataclass(frozen=True)
class SummaryFilters:
    reached: str = ""  # "", "yes", "no"
    level: str = ""
    q: str = ""
    sort: str = "path"
    scope_path: str = ""  # a subtree of the plan's targets (drill-down), "" for all

    @classmethod
    def from_query(cls, query, *, scope: Organization | None = None) -> "SummaryFilters":
        sort = query.get("sort", "path")
        return cls(
            reached=query.get("reached", "") if query.get("reached") in ("yes", "no") else "",
            level=query.get("level", "") if query.get("level") in Level.values else "",
            q=query.get("q", "").strip()[:100],
            sort=sort if sort in SORTS else "path",
            scope_path=scope.path if scope else "",
        )

    @property
    def active(self) -> bool:
        return bool(self.reached or self.level or self.q)

    def description(self) -> str:
        """The filters in words, for the documents: a filtered list says that it is filtered."""
        parts = []
        if self.reached:
            parts.append(_("đạt mô hình") if self.reached == "yes" else _("chưa đạt mô hình"))
        if self.level:
            parts.append(_("xếp loại %(level)s") % {"level": Level(self.level).label.lower()})
        if self.q:
            parts.append(_("tên hoặc mã có “%(q)s”") % {"q": self.q})
        return "; ".join(parts)

    def as_dict(self) -> dict:
        return {
            "reached": self.reached,
            "level": self.level,
            "q": self.q,
            "sort": self.sort,
            "scope_path": self.scope_path,
        }


@dataclass(frozen=True, slots=True)
class OrganizationBrief:
    """What the summary shows of an organization: read as plain values, not model instances (a
    district has over a thousand; the rows are also kept in the cache, where they must be cheap
    to load)."""

    pk: int
    name: str
    path: str
    code: str
    kind: str

    def __str__(self):
        return self.name


@dataclass(frozen=True, slots=True)
class ReviewBrief:
    """What the summary shows of a review: its status and the model's result, and beside them
    the organization's decided quality rating of the year (final round; OrganizationRating,
    never computed from the model)."""

    pk: int
    status: str
    reached_model: bool | None
    level: str

    @property
    def finalized(self) -> bool:
        return self.status == Review.Status.FINALIZED

    def get_status_display(self) -> str:
        return str(Review.Status(self.status).label)


@dataclass(slots=True)
class SummaryRow:
    organization: OrganizationBrief
    registered: bool
    pledge_status: str
    review: ReviewBrief | None
    criterion_scores: list[Decimal | None]
    self_total: Decimal | None
    total: Decimal | None

    @property
    def sort_name(self) -> str:
        return fold(self.organization.name)

    @property
    def reached(self) -> bool | None:
        return self.review.reached_model if self.review and self.review.finalized else None

    @property
    def level(self) -> str:
        """The decided quality rating of the year (empty until the committee above decides)."""
        return self.review.level if self.review else ""

    @property
    def level_label(self) -> str:
        return Level(self.level).label if self.level else ""

    @property
    def status_label(self) -> str:
        if not self.registered:
            return _("Chưa đăng ký")
        if self.review is None:
            return _("Chưa tự đánh giá")
        return self.review.get_status_display()


@dataclass
class SummaryData:
    plan: Plan
    year: int
    round: str
    filters: SummaryFilters
    criteria: list[Criterion]
    counts: dict
    rows: list[SummaryRow]
    collectives: list[Nomination]
    individuals: list[Nomination]
    members: dict
    criterion_averages: list[dict]
    distribution: list[tuple[str, int]]
    previous: dict | None
    progress: list[dict] = field(default_factory=list)

    @property
    def reached_rows(self) -> list[SummaryRow]:
        return [row for row in self.rows if row.reached]

    @property
    def round_label(self) -> str:
        return str(Review.Round(self.round).label)

    def fingerprint(self) -> str:
        """Changes exactly when something the documents show changes."""
        payload = {
            "plan": [self.plan.pk, self.plan.number, self.plan.title],
            "year": self.year,
            "round": self.round,
            "filters": self.filters.as_dict(),
            "counts": self.counts,
            "rows": [
                [
                    r.organization.pk,
                    r.organization.name,
                    r.status_label,
                    [str(s) for s in r.criterion_scores],
                    str(r.self_total),
                    str(r.total),
                    r.reached,
                    r.level,
                ]
                for r in self.rows
            ],
            "nominations": [[n.pk, n.kind, n.reason] for n in self.collectives + self.individuals],
            "members": self.members,
            "previous": self.previous,
        }
        return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


def _rate(part: int, whole: int) -> Decimal:
    return (
        (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        if whole
        else ZERO
    )


def _round_results(
    plan: Plan, year: int, round: str, targets: QuerySet, criteria: list[Criterion]
) -> dict[int, tuple[ReviewBrief, list, list]]:
    """The round's reviews by organization, each with its self and assessed sums per criterion
    (in the order of `criteria`): one query, one row per review, summed in SQL."""
    sums = {}
    for criterion in criteria:
        of_criterion = Q(scores__indicator__criterion_id=criterion.pk)
        sums[f"self_{criterion.pk}"] = Sum("scores__self_score", filter=of_criterion)
        sums[f"assessed_{criterion.pk}"] = Sum("scores__assessed_score", filter=of_criterion)
    rows = (
        Review.objects.filter(
            registration__plan=plan,
            year=year,
            round=round,
            registration__organization__in=targets.values("pk"),
        )
        .order_by()
        .annotate(quality=_decided_quality(year) if round == Review.Round.FINAL else Value(""))
        .values_list("registration__organization_id", "pk", "status", "reached_model", "quality")
        .annotate(**sums)
    )
    results = {}
    for organization_id, pk, status, reached_model, level, *scores in rows:
        results[organization_id] = (
            ReviewBrief(pk=pk, status=status, reached_model=reached_model, level=level or ""),
            scores[0::2],  # self, per criterion
            scores[1::2],  # assessed
        )
    return results


def _decided_quality(year: int) -> Subquery:
    """The decided quality rating of a review's organization for `year`, as a subquery."""
    return Subquery(
        OrganizationRating.objects.filter(
            organization_id=OuterRef("registration__organization_id"),
            year=year,
            subject=OrganizationRating.Subject.ORGANIZATION,
        )
        .exclude(decided_level="")
        .values("decided_level")[:1]
    )


def _previous(plan: Plan, year: int, round: str, scope_path: str) -> dict | None:
    """The same round a year earlier: this plan's previous year in a phase, else the issuer's
    previous plan of the same model."""
    source = (
        plan
        if year - 1 in plan.years
        else (
            Plan.objects.filter(issuer=plan.issuer, model=plan.model, end_year=year - 1)
            .exclude(pk=plan.pk)
            .order_by("-issue_date")
            .first()
        )
    )
    if source is None:
        return None
    reviews = Review.objects.filter(
        registration__plan=source, year=year - 1, round=round, status=Review.Status.FINALIZED
    )
    if scope_path:
        reviews = reviews.filter(registration__organization__path__startswith=scope_path)
    values = list(
        reviews.annotate(quality=_decided_quality(year - 1)).values_list(
            "reached_model", "total", "quality"
        )
    )
    if not values:
        return None
    registered = Registration.objects.filter(
        plan=source, year=year - 1, status=Registration.Status.REGISTERED
    )
    if scope_path:
        registered = registered.filter(organization__path__startswith=scope_path)
    registered = registered.count()
    reached = sum(1 for r, _t, _l in values if r)
    totals = [t for _r, t, _l in values if t is not None]
    return {
        "year": year - 1,
        "plan": source.number,
        "registered": registered,
        "reached": reached,
        "reached_rate": _rate(reached, registered),
        "average": (sum(totals, ZERO) / len(totals)).quantize(Decimal("0.01")) if totals else None,
        "levels": dict(Counter(level for _r, _t, level in values if level)),
    }


def _progress(plan: Plan, year: int, registered_ids: set[int], signed_ids: set[int]) -> list[dict]:
    """The year's registrations and signatures per week, cumulated, for the progress chart — of exactly the
    organizations the headline counts (registered and not withdrawn; with a pledge in force), so
    the chart ends where the headline stands. An organization counts as signed from its first
    signature, whichever version is in force now. The axis runs from the week of the first
    event to the week of the last, never past the plan's last year."""
    registered = Registration.objects.filter(
        plan=plan,
        year=year,
        status=Registration.Status.REGISTERED,
        organization__in=registered_ids,
    )
    pledges = dict(
        Pledge.objects.filter(
            registration__plan=plan,
            registration__year=year,
            registration__organization__in=signed_ids,
        ).values_list("pk", "registration__organization_id")
    )
    first_signed: dict[int, datetime.date] = {}
    for object_id, signed_at in Signature.objects.filter(
        content_type=ContentType.objects.get_for_model(Pledge),
        object_id__in=list(pledges),
        role=Signature.Role.SIGNER,
    ).values_list("object_id", "signed_at"):
        day = timezone.localdate(signed_at)
        organization = pledges[object_id]
        first_signed[organization] = min(day, first_signed.get(organization, day))

    day = TruncDate("registered_at", tzinfo=timezone.get_current_timezone())
    events = [
        ("registered", row["day"], row["n"])
        for row in registered.order_by().annotate(day=day).values("day").annotate(n=Count("pk"))
    ]
    events += [("signed", day, 1) for day in first_signed.values()]
    last_day = datetime.date(plan.end_year, 12, 31)
    events = [event for event in events if event[1] <= last_day]
    if not events:
        return []
    start = min(day for _kind, day, _n in events)
    start -= datetime.timedelta(days=start.weekday())
    weeks: dict[datetime.date, Counter] = defaultdict(Counter)
    for kind, day, n in events:
        weeks[day - datetime.timedelta(days=day.weekday())][kind] += n
    # At most 60 points: a longer span is drawn in steps of several weeks, never cut short.
    last = max(weeks)
    step = datetime.timedelta(weeks=max(1, -(-((last - start).days // 7 + 1) // 60)))
    series, registered_total, signed_total = [], 0, 0
    week = start
    while week <= last:
        for kind_week, counts in weeks.items():
            if week <= kind_week < week + step:
                registered_total += counts["registered"]
                signed_total += counts["signed"]
        series.append({"week": week, "registered": registered_total, "signed": signed_total})
        week += step
    return series


def get_job_for(user, pk) -> GeneratedDocument:
    """A document job of a plan the user can see; 404 otherwise."""
    return get_object_or_404(
        GeneratedDocument.objects.filter(
            Q(plan__in=plans_visible_to(user)) | Q(plan__isnull=True, requested_by=user)
        ),
        pk=pk,
    )


def get_report_for(user, plan: Plan, pk) -> SummaryReport:
    """An issued report of `plan` (which the caller has resolved for the user); 404 otherwise."""
    return get_object_or_404(SummaryReport.objects.filter(plan=plan), pk=pk)


def summary_data(
    plan: Plan, year: int, round: str, filters: SummaryFilters | None = None
) -> SummaryData:
    filters = filters or SummaryFilters()
    targets = plan.targets.all()
    if filters.scope_path:
        targets = targets.filter(path__startswith=filters.scope_path)
    organizations = [
        OrganizationBrief(pk=pk, name=name, path=path, code=code, kind=kind)
        for pk, name, path, code, kind in targets.order_by("path").values_list(
            "pk", "name", "path", "code", "kind"
        )
    ]
    registrations = set(
        Registration.objects.filter(
            plan=plan,
            year=year,
            status=Registration.Status.REGISTERED,
            organization__in=targets.values("pk"),
        ).values_list("organization_id", flat=True)
    )
    pledge_status = dict(
        Pledge.objects.filter(
            registration__plan=plan,
            registration__year=year,
            registration__status=Registration.Status.REGISTERED,
            registration__organization__in=targets.values("pk"),
            status__in=[Pledge.Status.SIGNED, Pledge.Status.ACCEPTED],
        ).values_list("registration__organization_id", "status")
    )
    criteria = list(plan.criteria.order_by("order"))
    results = _round_results(plan, year, round, targets, criteria)
    all_rows = []
    for organization in organizations:
        review, self_scores, assessed = results.get(organization.pk, (None, None, None))
        if review is None:
            self_scores = assessed = [None] * len(criteria)
        all_rows.append(
            SummaryRow(
                organization=organization,
                registered=organization.pk in registrations,
                pledge_status=pledge_status.get(organization.pk, ""),
                review=review,
                criterion_scores=assessed,
                self_total=None
                if not review or any(s is None for s in self_scores)
                else sum(self_scores, ZERO),
                total=None
                if not review or any(a is None for a in assessed)
                else sum(assessed, ZERO),
            )
        )
    statuses = Counter(r.review.status for r in all_rows if r.review)
    submitted = sum(
        statuses[s]
        for s in (Review.Status.SUBMITTED, Review.Status.ASSESSED, Review.Status.FINALIZED)
    )
    finalized_rows = [r for r in all_rows if r.review and r.review.finalized]
    reached = sum(1 for r in finalized_rows if r.reached)
    n_targets, n_registered = len(organizations), len(registrations)
    counts = {
        "targets": n_targets,
        "registered": n_registered,
        "registered_rate": _rate(n_registered, n_targets),
        "signed": len(pledge_status),
        "signed_rate": _rate(len(pledge_status), n_registered),
        "accepted": sum(1 for s in pledge_status.values() if s == Pledge.Status.ACCEPTED),
        "submitted": submitted,
        "assessed": statuses[Review.Status.ASSESSED] + statuses[Review.Status.FINALIZED],
        "finalized": len(finalized_rows),
        "reached": reached,
        "reached_rate": _rate(reached, n_registered),
    }
    distribution = Counter(r.level for r in all_rows if r.level)
    averages = []
    for index, criterion in enumerate(criteria):
        values = [
            r.criterion_scores[index]
            for r in finalized_rows
            if r.criterion_scores[index] is not None
        ]
        average = sum(values, ZERO) / len(values) if values else None
        averages.append(
            {
                "order": criterion.order,
                "name": criterion.name,
                "points": criterion.points,
                "average": average.quantize(Decimal("0.01")) if average is not None else None,
                "share": (average * 100 / criterion.points).quantize(Decimal("0.1"))
                if average is not None and criterion.points
                else None,
            }
        )
    nominations = Nomination.objects.filter(plan=plan, year=year, status=Nomination.Status.APPROVED)
    if filters.scope_path:
        nominations = nominations.filter(
            Q(organization__path__startswith=filters.scope_path)
            | Q(member__branch__path__startswith=filters.scope_path)
        )
    nominations = list(
        nominations.select_related("organization", "member__branch").order_by(
            "kind", "organization__path", "member__sort_key"
        )
    )
    ratings = MemberRating.objects.filter(
        year=year, branch__path__startswith=filters.scope_path or plan.issuer.path
    )
    # Counted in SQL: a district holds tens of thousands of ratings.
    members = level_counts_in(ratings)
    rows = _filtered(all_rows, filters)
    return SummaryData(
        plan=plan,
        year=year,
        round=round,
        filters=filters,
        criteria=criteria,
        counts=counts,
        rows=rows,
        collectives=[n for n in nominations if n.kind == Nomination.Kind.COLLECTIVE],
        individuals=[n for n in nominations if n.kind == Nomination.Kind.INDIVIDUAL],
        members={
            "rated": members.rated,
            "excellent": members.excellent,
            "good_or_better": members.good_or_better,
        },
        criterion_averages=averages,
        distribution=[(level.value, distribution.get(level.value, 0)) for level in Level],
        previous=_previous(plan, year, round, filters.scope_path),
        # Each year of a plan is registered and signed for: its summary shows that year's.
        progress=_progress(plan, year, registrations, set(pledge_status)),
    )


def level_counts_in(ratings: QuerySet[MemberRating]) -> LevelCounts:
    """The decided level counts of the ratings, grouped in SQL. Only a decision is a rating: a
    self-rating or a proposal is never counted as one (Quy định 366-QĐ/TW, Điều 12)."""
    by_level = Counter(
        dict(
            ratings.exclude(decided_level="")
            .order_by()
            .values("decided_level")
            .annotate(n=Count("id"))
            .values_list("decided_level", "n")
        )
    )
    excellent, good, completed = (
        by_level[x] for x in (Level.EXCELLENT, Level.GOOD, Level.COMPLETED)
    )
    return LevelCounts(
        rated=sum(n for code, n in by_level.items() if code),
        excellent=excellent,
        good_or_better=excellent + good,
        completed_or_better=excellent + good + completed,
    )


def _filtered(rows: list[SummaryRow], filters: SummaryFilters) -> list[SummaryRow]:
    if filters.reached == "yes":
        rows = [r for r in rows if r.reached]
    elif filters.reached == "no":
        rows = [r for r in rows if r.reached is False]
    if filters.level:
        rows = [r for r in rows if r.level == filters.level]
    if filters.q:
        wanted = fold(filters.q)
        rows = [r for r in rows if wanted in fold(f"{r.organization.name} {r.organization.code}")]
    return sorted(rows, key=SORTS[filters.sort])
