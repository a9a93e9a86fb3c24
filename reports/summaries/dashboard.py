"""What each role sees first. Every figure comes from set-wise queries: the number of queries does
not grow with the number of organizations."""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, OuterRef, Q, QuerySet
from django.db.models.functions import Substr
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from branches.models import Organization, RoleAssignment
from branches.permissions import ACTION_ROLES, Action, reached_paths
from branches.selectors import SubqueryCount as _count
from criteria.models import Plan
from criteria.rules import Level
from criteria.selectors import plans_visible_to
from pledges.models import DeadlineExtension, Pledge, Registration
from reports.meetings.models import Meeting
from reports.ratings.models import OrganizationRating
from reports.reviews.models import Review

IN_FORCE = [Pledge.Status.SIGNED, Pledge.Status.ACCEPTED]
SUBMITTED = [Review.Status.SUBMITTED, Review.Status.ASSESSED, Review.Status.FINALIZED]


def current_year() -> int:
    return timezone.localdate().year


def with_progress(plans: QuerySet[Plan], year: int) -> QuerySet[Plan]:
    """Each plan with its counts for the year, as correlated subqueries (one query in all)."""
    registrations = Registration.objects.filter(
        plan=OuterRef("pk"), status=Registration.Status.REGISTERED
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
                registration__status="registered",
                status__in=IN_FORCE,
            )
        ),
        n_accepted=_count(
            Pledge.objects.filter(
                registration__plan=OuterRef("pk"),
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
    if field_name in ("interim_review_deadline", "final_review_deadline"):
        return plan.deadline_for_year(field_name, year)
    return getattr(plan, field_name) if year == plan.start_year else None


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
            plan__in=plans, status=Registration.Status.REGISTERED
        ).values_list("plan_id", "organization_id")
    )
    signed = set(
        Pledge.objects.filter(registration__plan__in=plans, status__in=IN_FORCE).values_list(
            "registration__plan_id", "registration__organization_id"
        )
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
                late.append((plan, organization_id, labels[field_name], deadline))
                break
    late.sort(key=lambda item: (item[3], item[0].pk, item[1]))
    shown = late[:limit]
    organizations = Organization.objects.in_bulk([org_id for _p, org_id, _w, _d in shown])
    secretaries = defaultdict(list)
    for assignment in RoleAssignment.objects.filter(
        organization_id__in=organizations, role=RoleAssignment.Role.SECRETARY
    ).select_related("user"):
        secretaries[assignment.organization_id].append(assignment.user)
    return [
        Overdue(plan, organizations[org_id], what, deadline, secretaries[org_id])
        for plan, org_id, what, deadline in shown
    ], len(late)


@dataclass
class Rollup:
    organization: Organization
    targets: int = 0
    registered: int = 0
    signed: int = 0
    submitted: int = 0
    finalized: int = 0
    reached: int = 0

    @property
    def drillable(self) -> bool:
        return not self.organization.is_branch


def rollup(root: Organization, plans: QuerySet[Plan], year: int) -> list[Rollup]:
    """The figures of every plan covering the year, summed per child of `root` (a district sees
    each commune), in three queries whatever the size of the subtree."""
    length = (root.depth + 1) * Organization.steplen
    children = {c.path: Rollup(c) for c in Organization.objects.get_children(root).order_by("path")}
    # The plans once, as ids: as a subquery, the visibility test would run again in each count.
    plans = list(plans.values_list("pk", flat=True))

    def grouped(queryset, path_field, **counts):
        """{name: {prefix: n}} for each of `counts` (name=Count(…)), over the queryset's rows
        grouped by the child of `root` they fall under: one query for all the counts."""
        rows = (
            queryset.filter(
                **{
                    f"{path_field}__startswith": root.path,
                    f"{path_field.replace('path', 'depth')}__gt": root.depth,
                }
            )
            .annotate(prefix=Substr(path_field, 1, length))
            .values("prefix")
            .annotate(**counts)
        )
        result = {name: {} for name in counts}
        for row in rows:
            for name in counts:
                result[name][row["prefix"]] = row[name]
        return result

    final_reviews = Review.objects.filter(
        registration__plan__in=plans, year=year, round=Review.Round.FINAL
    )
    finalized = Q(status=Review.Status.FINALIZED)
    figures = {
        **grouped(
            Plan.targets.through.objects.filter(plan__in=plans),
            "organization__path",
            targets=Count("id"),
        ),
        # The registrations and their pledges in force, in one pass (the join repeats a
        # registration once per pledge version: counted distinct).
        **grouped(
            Registration.objects.filter(plan__in=plans, status=Registration.Status.REGISTERED),
            "organization__path",
            registered=Count("id", distinct=True),
            signed=Count("pledges", filter=Q(pledges__status__in=IN_FORCE)),
        ),
        # The final reviews' three figures from one pass over them.
        **grouped(
            final_reviews.filter(status__in=SUBMITTED),
            "registration__organization__path",
            submitted=Count("id"),
            finalized=Count("id", filter=finalized),
            reached=Count("id", filter=finalized & Q(reached_model=True)),
        ),
    }
    for name, counts in figures.items():
        for prefix, n in counts.items():
            if prefix in children:
                setattr(children[prefix], name, getattr(children[prefix], name) + n)
    return list(children.values())


def rollup_plans(user, year: int) -> QuerySet[Plan]:
    return plans_visible_to(user).filter(
        status__in=[Plan.Status.PUBLISHED, Plan.Status.CLOSED],
        start_year__lte=year,
        end_year__gte=year,
    )


@dataclass
class Step:
    text: str
    url: str
    done: bool = False


def secretary_steps(user, year: int) -> list[dict]:
    """For each branch the user is secretary of, and each plan it takes part in: what comes next."""
    branches = Organization.objects.filter(
        role_assignments__user=user,
        role_assignments__role=RoleAssignment.Role.SECRETARY,
        is_active=True,
    ).distinct()
    plans = list(
        Plan.objects.filter(
            targets__in=branches,
            status=Plan.Status.PUBLISHED,
            start_year__lte=year,
            end_year__gte=year,
        )
        .distinct()
        .select_related("issuer")
    )
    registrations = {
        (r.plan_id, r.organization_id): r
        for r in Registration.objects.filter(
            plan__in=plans, organization__in=branches, status=Registration.Status.REGISTERED
        )
    }
    pledges = {}
    for pledge in Pledge.objects.filter(registration__in=registrations.values()).order_by(
        "version"
    ):
        pledges[pledge.registration_id] = pledge
    reviews = {
        (r.registration_id, r.round): r
        for r in Review.objects.filter(registration__in=registrations.values(), year=year)
    }
    this_month = timezone.localdate().replace(day=1)
    met = set(
        Meeting.objects.filter(branch__in=branches, date__gte=this_month).values_list(
            "branch_id", flat=True
        )
    )
    targets = set(
        Plan.targets.through.objects.filter(plan__in=plans, organization__in=branches).values_list(
            "plan_id", "organization_id"
        )
    )
    panels = []
    for branch in branches:
        steps = []
        if branch.pk not in met:
            steps.append(
                Step(
                    _("Ghi sổ sinh hoạt chi bộ tháng %(m)s") % {"m": this_month.month},
                    reverse("reports:meeting_create", args=[branch.pk]),
                )
            )
        for plan in plans:
            if (plan.pk, branch.pk) not in targets:
                continue
            registration = registrations.get((plan.pk, branch.pk))
            if registration is None:
                steps.append(
                    Step(
                        _("Đăng ký xây dựng mô hình theo Kế hoạch %(n)s") % {"n": plan.number},
                        reverse("pledges:register", args=[plan.pk, branch.pk]),
                    )
                )
                continue
            pledge = pledges.get(registration.pk)
            if pledge is None or pledge.status in (Pledge.Status.DRAFT, Pledge.Status.RETURNED):
                text = (
                    _("Sửa và ký lại bản cam kết (%(n)s)")
                    if pledge and pledge.status == Pledge.Status.RETURNED
                    else _("Nhập mức cam kết và ký (%(n)s)")
                )
                steps.append(
                    Step(
                        text % {"n": plan.number},
                        reverse("pledges:pledge_detail", args=[pledge.pk])
                        if pledge
                        else reverse("pledges:registration_list", args=[plan.pk]),
                    )
                )
                continue
            for round in (Review.Round.INTERIM, Review.Round.FINAL):
                if round == Review.Round.INTERIM and not plan.interim_review_deadline:
                    continue
                review = reviews.get((registration.pk, round))
                label = Review.Round(round).label
                if review is None:
                    steps.append(
                        Step(
                            _("Tự đánh giá %(r)s năm %(y)s (%(n)s)")
                            % {"r": label.lower(), "y": year, "n": plan.number},
                            reverse("reports:plan_reviews", args=[plan.pk])
                            + f"?year={year}&round={round}",
                        )
                    )
                    break
                if review.editable_by_branch:
                    steps.append(
                        Step(
                            _("Hoàn thành và nộp bản tự đánh giá %(r)s (%(n)s)")
                            % {"r": label.lower(), "n": plan.number},
                            reverse("reports:review_detail", args=[review.pk]),
                        )
                    )
                    break
            steps.append(
                Step(
                    _("Minh chứng theo Kế hoạch %(n)s") % {"n": plan.number},
                    reverse("reports:evidence_list", args=[registration.pk]),
                )
            )
        panels.append({"branch": branch, "steps": steps})
    return panels
