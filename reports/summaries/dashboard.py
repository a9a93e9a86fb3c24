"""What each role sees first. Every figure comes from set-wise queries: the number of queries does
not grow with the number of organizations."""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from branches.models import Organization, RoleAssignment
from branches.permissions import ACTION_ROLES, Action, reached_paths
from branches.selectors import SubqueryCount as _count
from criteria.models import Plan
from criteria.rules import Level
from pledges.models import DeadlineExtension, Pledge, Registration
from reports.ratings.models import OrganizationRating
from reports.reviews.models import Review

IN_FORCE = [Pledge.Status.SIGNED, Pledge.Status.ACCEPTED]
SUBMITTED = [Review.Status.SUBMITTED, Review.Status.ASSESSED, Review.Status.FINALIZED]


def with_progress(plans: QuerySet[Plan], year: int) -> QuerySet[Plan]:
    """Each plan with its counts for the year, as correlated subqueries (one query in all)."""
    registrations = Registration.objects.filter(
        plan=OuterRef("pk"), year=year, status=Registration.Status.REGISTERED
    )
    reviews = Review.objects.filter(
        registration__plan=OuterRef("pk"),
        year=year,
        registration__status=Registration.Status.REGISTERED,
    )
    return plans.annotate(
        n_targets=_count(Plan.targets.through.objects.filter(plan=OuterRef("pk"))),
        n_registered=_count(registrations),
        n_signed=_count(
            Pledge.objects.filter(
                registration__plan=OuterRef("pk"),
                registration__year=year,
                registration__status="registered",
                status__in=IN_FORCE,
            )
        ),
        n_accepted=_count(
            Pledge.objects.filter(
                registration__plan=OuterRef("pk"),
                registration__year=year,
                registration__status="registered",
                status=Pledge.Status.ACCEPTED,
            )
        ),
        n_self_assessed=_count(reviews.filter(status__in=SUBMITTED)),
        n_assessed=_count(
            reviews.filter(status__in=[Review.Status.ASSESSED, Review.Status.FINALIZED])
        ),
        n_finalized=_count(
            reviews.filter(status=Review.Status.FINALIZED, round=Review.Round.FINAL)
        ),
        n_reached=_count(
            reviews.filter(
                status=Review.Status.FINALIZED, round=Review.Round.FINAL, reached_model=True
            )
        ),
    )


def committee_plans(user, year: int) -> QuerySet[Plan]:
    """Published plans issued by committees where the user is staff or a leader, covering `year`."""
    roles = ACTION_ROLES[Action.MANAGE_PLANS] | ACTION_ROLES[Action.DECIDE]
    paths = reached_paths(user, roles)
    if not paths:
        return Plan.objects.none()
    scope = Q()
    for path in paths:
        scope |= Q(issuer__path__startswith=path)
    return (
        Plan.objects.filter(
            scope, status=Plan.Status.PUBLISHED, start_year__lte=year, end_year__gte=year
        )
        .select_related("issuer")
        .order_by("issuer__path", "-issue_date")
    )


def result_distribution(plans: list[Plan], year: int) -> dict[int, list[tuple[str, int]]]:
    """The decided quality ratings of the year (OrganizationRating) of each plan's registered
    organizations, in one query: the committee's decisions, not anything the model computes."""
    rows = (
        OrganizationRating.objects.filter(
            year=year,
            subject=OrganizationRating.Subject.ORGANIZATION,
            organization__registrations__plan__in=plans,
            organization__registrations__status=Registration.Status.REGISTERED,
        )
        .exclude(decided_level="")
        .values("organization__registrations__plan_id", "decided_level")
        .annotate(n=Count("id"))
    )
    result: dict[int, Counter] = defaultdict(Counter)
    for row in rows:
        result[row["organization__registrations__plan_id"]][row["decided_level"]] += row["n"]
    return {
        plan.pk: [(str(level.label), result[plan.pk][level.value]) for level in Level]
        for plan in plans
    }


@dataclass
class Deadline:
    plan: Plan
    label: str
    date: datetime.date


DEADLINE_FIELDS = [
    ("registration_deadline", DeadlineExtension.Kind.REGISTRATION),
    ("signing_deadline", DeadlineExtension.Kind.SIGNING),
    ("interim_review_deadline", DeadlineExtension.Kind.INTERIM_REVIEW),
    ("final_review_deadline", DeadlineExtension.Kind.FINAL_REVIEW),
]


def _plan_deadline(plan: Plan, field_name: str, year: int) -> datetime.date | None:
    """A plan over several years registers, pledges and reviews every year: each deadline
    repeats on the same date of each of its years."""
    return plan.deadline_for_year(field_name, year) if year in plan.years else None


def upcoming_deadlines(plans: list[Plan], year: int, *, days: int = 30) -> list[Deadline]:
    today = timezone.localdate()
    found = []
    for plan in plans:
        for field_name, kind in DEADLINE_FIELDS:
            day = _plan_deadline(plan, field_name, year)
            if day and today <= day <= today + datetime.timedelta(days=days):
                found.append(Deadline(plan, str(kind.label), day))
    return sorted(found, key=lambda d: d.date)


@dataclass
class Overdue:
    plan: Plan
    organization: Organization
    what: str
    deadline: datetime.date
    secretaries: list = field(default_factory=list)
    kind: str = ""  # the DeadlineExtension kind that is late


def overdue(plans: list[Plan], year: int, *, limit: int = 50) -> tuple[list[Overdue], int]:
    """Who is late, with the responsible secretary: not registered, not signed, or not submitted
    after the deadline (extensions granted count). Returns the first `limit` and the total."""
    today = timezone.localdate()
    plan_by_id = {p.pk: p for p in plans}
    targets = list(
        Plan.targets.through.objects.filter(plan__in=plans).values_list(
            "plan_id", "organization_id"
        )
    )
    registered = set(
        Registration.objects.filter(
            plan__in=plans, year=year, status=Registration.Status.REGISTERED
        ).values_list("plan_id", "organization_id")
    )
    signed = set(
        Pledge.objects.filter(
            registration__plan__in=plans, registration__year=year, status__in=IN_FORCE
        ).values_list("registration__plan_id", "registration__organization_id")
    )
    submitted = defaultdict(set)
    for plan_id, organization_id, round in Review.objects.filter(
        registration__plan__in=plans, year=year, status__in=SUBMITTED
    ).values_list("registration__plan_id", "registration__organization_id", "round"):
        submitted[round].add((plan_id, organization_id))
    extensions = {
        (e.plan_id, e.organization_id, e.kind): e.until
        for e in DeadlineExtension.objects.filter(plan__in=plans)
    }

    # Each plan's own deadlines, and the labels, once: the loop below runs once per target (a
    # district has over a thousand). An extension only moves a deadline later, so a check whose
    # own deadline has not passed cannot be late, whatever the extensions.
    labels = {
        "registration_deadline": _("Chưa đăng ký"),
        "signing_deadline": _("Chưa ký cam kết"),
        "interim_review_deadline": _("Chưa nộp tự đánh giá sơ kết"),
        "final_review_deadline": _("Chưa nộp tự đánh giá tổng kết"),
    }
    passed = {
        plan.pk: {
            field_name: (day, kind)
            for field_name, kind in DEADLINE_FIELDS
            if (day := _plan_deadline(plan, field_name, year)) and day < today
        }
        for plan in plans
    }

    def late_for(plan_id, organization_id, field_name):
        """The deadline of the check if it has passed, else None."""
        if field_name not in passed[plan_id]:
            return None
        base, kind = passed[plan_id][field_name]
        extended = extensions.get((plan_id, organization_id, kind))
        deadline = max(base, extended) if extended else base
        return deadline if deadline < today else None

    late = []
    interim, final = submitted[Review.Round.INTERIM], submitted[Review.Round.FINAL]
    for plan_id, organization_id in targets:
        if not passed[plan_id]:
            continue
        plan = plan_by_id[plan_id]
        key = (plan_id, organization_id)
        if key not in registered:
            checks = ["registration_deadline"]
        elif key not in signed:
            checks = ["signing_deadline"]
        else:
            checks = []
            if plan.interim_review_deadline and key not in interim and key not in final:
                checks.append("interim_review_deadline")
            if key not in final:
                checks.append("final_review_deadline")
        for field_name in checks:
            deadline = late_for(plan_id, organization_id, field_name)
            if deadline:
                late.append((plan, organization_id, field_name, deadline))
                break
    late.sort(key=lambda item: (item[3], item[0].pk, item[1]))
    shown = late[:limit]
    organizations = Organization.objects.in_bulk([org_id for _p, org_id, _w, _d in shown])
    secretaries = defaultdict(list)
    for assignment in RoleAssignment.objects.filter(
        organization_id__in=organizations, role=RoleAssignment.Role.SECRETARY
    ).select_related("user"):
        secretaries[assignment.organization_id].append(assignment.user)
    kinds = dict(DEADLINE_FIELDS)
    return [
        Overdue(
            plan,
            organizations[org_id],
            labels[field_name],
            deadline,
            secretaries[org_id],
            kinds[field_name],
        )
        for plan, org_id, field_name, deadline in shown
    ], len(late)
