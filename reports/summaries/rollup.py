"""The roll-up an official follows (and everyone who follows a subtree): the figures of the
plans covering a year summed per child of an organization — with rates, the interim and the
final round — from which one goes down to each child and back up to the organizations above."""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Substr
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from branches.models import Organization
from branches.permissions import Action, has_perm_anywhere, reached_paths
from branches.selectors import organizations_visible_to, roots_visible_to
from criteria.models import Plan
from criteria.selectors import plans_visible_to
from pledges.models import Registration
from reports.reviews.models import Review
from reports.summaries.dashboard import IN_FORCE, SUBMITTED

FIGURES = (
    "targets",
    "registered",
    "signed",
    "interim_submitted",
    "interim_finalized",
    "submitted",
    "finalized",
    "reached",
)


def rate(part: int, whole: int) -> Decimal | None:
    """part / whole in percent, one decimal (None when there is no whole)."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)


@dataclass
class Rollup:
    organization: Organization
    targets: int = 0
    registered: int = 0
    signed: int = 0
    interim_submitted: int = 0
    interim_finalized: int = 0
    submitted: int = 0  # the final round's
    finalized: int = 0
    reached: int = 0

    @property
    def drillable(self) -> bool:
        return not self.organization.is_branch

    # The rates the summary report uses: registered of the targets, the rest of the registered.
    @property
    def registered_rate(self):
        return rate(self.registered, self.targets)

    @property
    def signed_rate(self):
        return rate(self.signed, self.registered)

    @property
    def interim_rate(self):
        return rate(self.interim_submitted, self.registered)

    @property
    def submitted_rate(self):
        return rate(self.submitted, self.registered)

    @property
    def reached_rate(self):
        return rate(self.reached, self.registered)


@dataclass
class RollupView:
    """What the page and the Excel show: the organization, the way up to it, the plans counted,
    a row per child and their total."""

    root: Organization
    above: list[Organization]
    plans: list[Plan]
    rows: list[Rollup]
    total: Rollup = field(init=False)
    has_interim: bool = False

    def __post_init__(self):
        self.total = Rollup(self.root)
        for row in self.rows:
            for name in FIGURES:
                setattr(self.total, name, getattr(self.total, name) + getattr(row, name))


def rollup(root: Organization, plans: list[int], year: int) -> list[Rollup]:
    """The figures of the plans (ids) for the year, summed per child of `root` (a district sees
    each commune), in three queries whatever the size of the subtree."""
    length = (root.depth + 1) * Organization.steplen
    children = {c.path: Rollup(c) for c in Organization.objects.get_children(root).order_by("path")}

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

    finalized = Q(status=Review.Status.FINALIZED)
    final, interim = Q(round=Review.Round.FINAL), Q(round=Review.Round.INTERIM)
    figures = {
        **grouped(
            Plan.targets.through.objects.filter(plan__in=plans),
            "organization__path",
            targets=Count("id"),
        ),
        # The registrations and their pledges in force, in one pass (the join repeats a
        # registration once per pledge version: counted distinct).
        **grouped(
            Registration.objects.filter(
                plan__in=plans, year=year, status=Registration.Status.REGISTERED
            ),
            "organization__path",
            registered=Count("id", distinct=True),
            signed=Count("pledges", filter=Q(pledges__status__in=IN_FORCE)),
        ),
        # Both rounds' reviews of the year, in one pass over them.
        **grouped(
            Review.objects.filter(
                registration__plan__in=plans,
                registration__status=Registration.Status.REGISTERED,
                registration__year=year,
                year=year,
                status__in=SUBMITTED,
            ),
            "registration__organization__path",
            interim_submitted=Count("id", filter=interim),
            interim_finalized=Count("id", filter=interim & finalized),
            submitted=Count("id", filter=final),
            finalized=Count("id", filter=final & finalized),
            reached=Count("id", filter=final & finalized & Q(reached_model=True)),
        ),
    }
    for name, counts in figures.items():
        for prefix, n in counts.items():
            if prefix in children:
                setattr(children[prefix], name, getattr(children[prefix], name) + n)
    # An organization merged into `root` (kept under it, inactive) shows only in the years it
    # has figures of its own.
    return [
        row
        for row in children.values()
        if row.organization.is_active
        or any((row.targets, row.registered, row.signed, row.submitted))
    ]


def rollup_plans(user, year: int) -> QuerySet[Plan]:
    """The issued plans the user sees that cover the year."""
    return plans_visible_to(user).filter(
        status__in=[Plan.Status.PUBLISHED, Plan.Status.CLOSED],
        start_year__lte=year,
        end_year__gte=year,
    )


def rollup_view(user, root: Organization, year: int, plan_pk: int | None = None) -> RollupView:
    """The roll-up under `root` for the year — of one plan if asked (one the user sees that
    covers the year), else of all of them — with the organizations above `root` the user
    reaches, to go back up."""
    plans = list(rollup_plans(user, year).select_related("issuer").order_by("issuer__path"))
    if plan_pk is not None:
        plans = [plan for plan in plans if plan.pk == plan_pk]
    rows = rollup(root, [plan.pk for plan in plans], year)
    reached = reached_paths(user)
    step = Organization.steplen
    paths = [root.path[:i] for i in range(step, len(root.path), step)]
    above = [
        org
        for org in Organization.objects.filter(path__in=paths).order_by("depth")
        if any(org.path.startswith(path) for path in reached)
    ]
    return RollupView(
        root=root,
        above=above,
        plans=plans,
        rows=rows,
        has_interim=any(plan.interim_review_deadline for plan in plans),
    )


def rollup_for(user, year: int, org_pk: int | None, plan_pk: int | None) -> RollupView | None:
    """The roll-up a user asks for (`org`: an organization they reach, 404 otherwise; by
    default the top committee they follow), or None for someone who follows no subtree."""
    if not has_perm_anywhere(user, Action.VIEW):
        return None
    root = (
        get_object_or_404(organizations_visible_to(user), pk=org_pk)
        if org_pk
        else roots_visible_to(user).exclude(kind=Organization.Kind.BRANCH).first()
    )
    if root is None:
        return None
    return rollup_view(user, root, year, plan_pk)


def rollup_title(view: RollupView, year: int) -> str:
    return _("Tổng hợp theo đơn vị năm %(year)s — %(name)s") % {
        "year": year,
        "name": view.root.name,
    }
