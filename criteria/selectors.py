"""Reads of plans, scoped to the user's roles."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from branches.models import Organization
from branches.selectors import scope_q
from branches.signers import archive_of, organization_heading
from criteria.models import TARGET_KINDS, Criterion, Indicator, Plan
from partydocs.format import Heading, SignerBlock, recipient_lines, whole_name
from vietnamese.numbers import number as _points


def plans_visible_to(user) -> QuerySet[Plan]:
    """Plans issued inside the user's subtrees, and published or closed plans that target an
    organization inside them (a branch secretary sees the plan of the committee above)."""
    targeted = Plan.targets.through.objects.filter(
        scope_q(user, lookup="organization__path")
    ).values("plan_id")
    return Plan.objects.filter(
        scope_q(user, lookup="issuer__path") | (Q(pk__in=targeted) & ~Q(status=Plan.Status.DRAFT))
    )


def get_plan_for(user, pk) -> Plan:
    """The plan, if the user may see it; 404 otherwise."""
    return get_object_or_404(plans_visible_to(user).select_related("issuer"), pk=pk)


def default_targets(issuer: Organization, model: str) -> QuerySet[Organization]:
    """The issuer's direct, active subordinates of the model's kinds: branches for “Chi bộ 4 tốt”,
    commune-level, grassroots and partial committees for “Đảng bộ 4 tốt” (criteria.models)."""
    children = Organization.objects.get_children(issuer).filter(is_active=True)
    return children.filter(kind__in=TARGET_KINDS[model])


def target_candidates(plan: Plan) -> QuerySet[Organization]:
    """Organizations of the right kind inside the issuer's subtree that the plan may target."""
    candidates = Organization.objects.filter(
        path__startswith=plan.issuer.path, is_active=True
    ).exclude(pk=plan.issuer_id)
    return candidates.filter(kind__in=plan.target_kinds).order_by("path")


def criteria_of(plan: Plan) -> list[Criterion]:
    """The plan's criteria with their indicators, in two queries."""
    return list(
        plan.criteria.order_by("order").prefetch_related(
            Prefetch("indicators", queryset=Indicator.objects.order_by("order"))
        )
    )


def point_problems(plan: Plan, criteria: list[Criterion] | None = None) -> list[str]:
    """Every way the points fail to add up, each as a sentence (empty when all is well)."""
    criteria = criteria if criteria is not None else criteria_of(plan)
    problems = []
    if len(criteria) != 4:
        problems.append(
            _("Kế hoạch cần đủ 4 tiêu chí (hiện có %(count)s).") % {"count": len(criteria)}
        )
    criteria_total = sum((c.points for c in criteria), Decimal(0))
    if criteria_total != plan.total_points:
        problems.append(
            _("Các tiêu chí cộng lại %(sum)s điểm, nhưng tổng điểm của kế hoạch là %(total)s.")
            % {"sum": _points(criteria_total), "total": _points(plan.total_points)}
        )
    for criterion in criteria:
        indicators = list(criterion.indicators.all())
        if not indicators:
            problems.append(
                _("Tiêu chí %(order)s “%(name)s” chưa có chỉ tiêu nào.")
                % {"order": criterion.order, "name": criterion.name}
            )
            continue
        total = sum((i.points for i in indicators), Decimal(0))
        if total != criterion.points:
            problems.append(indicator_sum_problem(criterion, total))
    return problems


def indicator_sum_problem(criterion: Criterion, total: Decimal) -> str:
    return _(
        "Tiêu chí %(order)s “%(name)s”: các chỉ tiêu cộng lại %(sum)s điểm, nhưng tiêu chí có %(points)s điểm."
    ) % {
        "order": criterion.order,
        "name": criterion.name,
        "sum": _points(total),
        "points": _points(criterion.points),
    }


@dataclass
class PlanDocument:
    """Everything the plan's page, PDF and Excel show, built once."""

    plan: Plan
    issuer: Organization
    superior: Organization | None
    criteria: list[Criterion]
    targets: list[Organization]
    heading: Heading
    signer: SignerBlock
    recipients: list[str]

    @property
    def total_points(self) -> Decimal:
        return sum((c.points for c in self.criteria), Decimal(0))


def plan_document(plan: Plan) -> PlanDocument:
    """The plan as its page, PDF and Word copy show it: a draft carries no number and no date
    (partydocs.format), a published plan both."""
    issuer = plan.issuer
    draft = plan.status == Plan.Status.DRAFT
    return PlanDocument(
        plan=plan,
        issuer=issuer,
        superior=Organization.objects.get_parent(issuer),
        criteria=criteria_of(plan),
        targets=list(plan.targets.order_by("path")),
        heading=organization_heading(
            issuer,
            day=plan.issue_date,
            number=plan.number,
            kind_code=plan.KIND_CODE,
            place=plan.place_name,
            draft=draft,
        ),
        signer=plan_signer(plan),
        recipients=recipient_lines(plan.recipients, archive=archive_of(issuer)),
    )


def plan_signer(plan: Plan) -> SignerBlock:
    """T/M the issuer's collective, the signer's position and name, as recorded (checked when the
    plan is saved and published: criteria.services)."""
    return SignerBlock(
        (f"T/M {plan.issuer.signing_body.upper()}", plan.signer_title.upper()),
        whole_name(plan.signer_name),
    )
