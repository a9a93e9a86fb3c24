"""Writes on plans and their criteria: create (from a template or an earlier plan), edit, target,
publish, close, and the lock that follows the first signed pledge."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from audit.history import tracked
from audit.reasons import Reason
from branches.models import Organization, User
from branches.permissions import Action, require_perm
from branches.signers import check_collective_signer
from criteria.models import ISSUER_KINDS, Criterion, Indicator, Plan, issuer_kind_error
from criteria.selectors import criteria_of, default_targets, indicator_sum_problem, point_problems
from criteria.standard import TEMPLATES, decimal
from partydocs.numbering import allocate_sequence, term_for
from vietnamese.numbers import number

COPIED_FIELDS = [
    "title",
    "purpose",
    "implementation",
    "total_points",
    "pass_total",
    "rule_set",
    "outstanding_collective_level",
    "outstanding_member_level",
    "model_min_level",
    "model_no_disciplined_member",
    "interim_pro_rata",
    "meeting_attendance_above",
    "meeting_min_minutes",
    "meeting_combined_min_minutes",
    "meeting_excused_in_a_row",
    "signer_on_behalf",
    "signer_title",
    "signer_name",
    "recipients",
]
INDICATOR_FIELDS = [
    "order",
    "text",
    "points",
    "guide",
    "target_kind",
    "unit",
    "default_target",
    "evidence_required",
    "auto_source",
    "score_rule",
    "score_step",
]


def _require_issuer_code(issuer: Organization) -> None:
    if issuer.kind not in ISSUER_KINDS:
        raise ValidationError({"issuer": issuer_kind_error(issuer)})
    if not issuer.issuer_code:
        raise ValidationError(
            {
                "issuer": _(
                    "%(name)s chưa có ký hiệu cơ quan ban hành (ví dụ ĐU); hãy cập nhật thông tin tổ chức trước."
                )
                % {"name": issuer.name}
            }
        )


@transaction.atomic
def plan_create(
    *,
    actor: User,
    issuer: Organization,
    model: str,
    issue_date: datetime.date,
    sequence: int | None = None,
    copy_from: Plan | None = None,
    **fields,
) -> Plan:
    """A new draft plan, numbered (the next free KH number unless one is given), with its criteria
    copied from `copy_from` or from the standard template of the model, and the default targets."""
    require_perm(actor, issuer, Action.MANAGE_PLANS)
    _require_issuer_code(issuer)
    term = term_for(issuer, issue_date)
    if sequence is None:
        sequence = allocate_sequence(Plan, issuer=issuer, term=term)
    plan = Plan(
        issuer=issuer,
        model=model,
        issue_date=issue_date,
        sequence=sequence,
        term=term,
        issuer_code=issuer.issuer_code,
        place_name=fields.pop("place_name", "") or issuer.place_name or issuer.name,
        created_by=actor,
    )
    template = TEMPLATES[model]
    defaults = (
        {name: getattr(copy_from, name) for name in COPIED_FIELDS}
        if copy_from
        else {
            "title": template.title,
            "purpose": template.purpose,
            "implementation": template.implementation,
            "pass_total": Decimal(template.pass_total),
        }
    )
    for name, value in {
        **defaults,
        **{k: v for k, v in fields.items() if v not in (None, "")},
    }.items():
        setattr(plan, name, value)
    plan.full_clean()
    tracked(
        plan,
        actor=actor,
        reason=Reason(gettext_noop("Sao chép từ kế hoạch %(number)s"), number=copy_from.number)
        if copy_from
        else gettext_noop("Tạo từ mẫu"),
    )
    plan.save()
    if copy_from:
        _copy_criteria(copy_from, plan)
    else:
        _criteria_from_template(template, plan)
    plan.targets.set(default_targets(issuer, model))
    return plan


def _criteria_from_template(template, plan: Plan) -> None:
    for order, spec in enumerate(template.criteria, start=1):
        criterion = Criterion.objects.create(
            plan=plan,
            order=order,
            name=spec.name,
            description=spec.description,
            points=Decimal(spec.points),
            min_points=Decimal(spec.min_points),
        )
        Indicator.objects.bulk_create(
            Indicator(
                criterion=criterion,
                order=index,
                text=item.text,
                points=Decimal(item.points),
                guide=item.guide,
                target_kind=item.target_kind,
                unit=item.unit,
                default_target=decimal(item.default_target),
                evidence_required=item.evidence_required,
                auto_source=item.auto_source,
                score_rule=item.score_rule,
                score_step=decimal(item.score_step),
            )
            for index, item in enumerate(spec.indicators, start=1)
        )


def _copy_criteria(source: Plan, plan: Plan) -> None:
    for old in criteria_of(source):
        criterion = Criterion.objects.create(
            plan=plan,
            order=old.order,
            name=old.name,
            description=old.description,
            points=old.points,
            min_points=old.min_points,
        )
        Indicator.objects.bulk_create(
            Indicator(
                criterion=criterion, **{name: getattr(indicator, name) for name in INDICATOR_FIELDS}
            )
            for indicator in old.indicators.all()
        )


def _require_editable(actor: User, plan: Plan) -> None:
    require_perm(actor, plan.issuer, Action.MANAGE_PLANS)
    if plan.is_closed:
        raise ValidationError(_("Kế hoạch đã kết thúc; chỉ còn xem và xuất văn bản."))


def _amendment_reason(plan: Plan, reason: str) -> Reason:
    """After the first signed pledge, a change of criteria is an amendment that needs a reason."""
    if plan.criteria_locked:
        if not reason.strip():
            raise ValidationError(
                {
                    "reason": _(
                        "Tiêu chí đã khóa vì đã có bản cam kết được ký; mọi thay đổi là một lần sửa đổi và cần ghi lý do."
                    )
                }
            )
        return Reason(gettext_noop("Sửa đổi tiêu chí: %(reason)s"), reason=reason.strip())
    return Reason(gettext_noop("Sửa tiêu chí"))


@transaction.atomic
def plan_update(*, actor: User, plan: Plan, **fields) -> Plan:
    """Edit a plan's texts, dates and rules. Model and years are fixed once it is published."""
    _require_editable(actor, plan)
    if not plan.is_draft and any(
        name in fields and fields[name] != getattr(plan, name)
        for name in ["model", "start_year", "end_year"]
    ):
        raise ValidationError(_("Kế hoạch đã ban hành: không đổi mô hình và thời gian thực hiện."))
    for name, value in fields.items():
        setattr(plan, name, value)
    plan.full_clean()
    if plan.signer_name:
        check_collective_signer(
            plan.issuer, position=plan.signer_title, name=plan.signer_name, day=plan.issue_date
        )
    tracked(plan, actor=actor, reason=gettext_noop("Sửa kế hoạch"))
    plan.save()
    return plan


@transaction.atomic
def plan_set_targets(*, actor: User, plan: Plan, organizations) -> Plan:
    """Choose the organizations that carry out the plan (inside the issuer's subtree)."""
    _require_editable(actor, plan)
    organizations = list(organizations)
    for organization in organizations:
        if not organization.path.startswith(plan.issuer.path) or organization.pk == plan.issuer_id:
            raise ValidationError(
                _("%(name)s không thuộc %(issuer)s nên không thể là tổ chức thực hiện.")
                % {"name": organization.name, "issuer": plan.issuer.name}
            )
        if organization.kind not in plan.target_kinds:
            raise ValidationError(
                _("%(name)s không phải %(kind)s, không thực hiện mô hình “%(model)s”.")
                % {
                    "name": organization.name,
                    "kind": _("chi bộ")
                    if plan.model == Plan.Model.BRANCH
                    else _("đảng bộ xã, phường, đặc khu, đảng bộ cơ sở hay đảng bộ bộ phận"),
                    "model": plan.get_model_display(),
                }
            )
    tracked(plan, actor=actor, reason=gettext_noop("Chọn tổ chức thực hiện"))
    plan.targets.set(organizations)  # simple-history records the change of targets
    return plan


@transaction.atomic
def criteria_points_update(
    *,
    actor: User,
    plan: Plan,
    points: dict[int, tuple[Decimal, Decimal]],
    indicator_points: dict[int, Decimal] | None = None,
    reason: str = "",
) -> None:
    """Set the points and minimum of every criterion and the points of their indicators at once.
    The sums are checked once, on the whole set: the criteria add up to the plan's total, each
    criterion's indicators to the criterion's points — every problem is reported together, and
    nothing is saved unless all hold."""
    _require_editable(actor, plan)
    change_reason = _amendment_reason(plan, reason)
    criteria = criteria_of(plan)
    indicator_points = indicator_points or {}
    problems = []
    total = sum((value for value, _minimum in points.values()), Decimal(0))
    if total != plan.total_points:
        problems.append(
            _("Các tiêu chí cộng lại %(sum)s điểm, nhưng tổng điểm của kế hoạch là %(total)s.")
            % {"sum": number(total), "total": number(plan.total_points)}
        )
    changed = []
    for criterion in criteria:
        value, minimum = points[criterion.pk]
        criterion.points, criterion.min_points = value, minimum
        try:
            criterion.full_clean()
        except ValidationError as error:
            problems.extend(
                _("Tiêu chí %(order)s: %(error)s") % {"order": criterion.order, "error": message}
                for message in error.messages
            )
        indicators = list(criterion.indicators.all())
        for indicator in indicators:
            if indicator.pk in indicator_points:
                indicator.points = indicator_points[indicator.pk]
                changed.append(indicator)
                try:
                    indicator.full_clean()
                except ValidationError as error:
                    problems.extend(
                        _("Chỉ tiêu %(code)s: %(error)s") % {"code": indicator.code, "error": m}
                        for m in error.messages
                    )
        indicator_total = sum((i.points for i in indicators), Decimal(0))
        if indicator_total != value:
            problems.append(indicator_sum_problem(criterion, indicator_total))
    if problems:
        raise ValidationError(problems)
    for criterion in criteria:
        tracked(criterion, actor=actor, reason=change_reason)
        criterion.save(update_fields=["points", "min_points"])
    for indicator in changed:
        tracked(indicator, actor=actor, reason=change_reason)
        indicator.save(update_fields=["points"])


@transaction.atomic
def criterion_update(
    *,
    actor: User,
    criterion: Criterion,
    name: str,
    description: str,
    indicators: list[dict],
    reason: str = "",
) -> Criterion:
    """Rename a criterion and replace its indicators (kept, changed, added, removed) — their points
    must add up to the criterion's points."""
    plan = criterion.plan
    _require_editable(actor, plan)
    change_reason = _amendment_reason(plan, reason)
    kept = [row for row in indicators if not row.get("DELETE")]
    total = sum((row["points"] for row in kept), Decimal(0))
    if total != criterion.points:
        raise ValidationError(
            indicator_sum_problem(criterion, total)
            + " "
            + _(
                "Muốn đổi điểm của tiêu chí cùng các chỉ tiêu, dùng trang “Điểm tiêu chí và chỉ tiêu”: cả bộ điểm được kiểm tra một lần khi lưu."
            )
        )
    criterion.name, criterion.description = name, description
    criterion.full_clean()
    tracked(criterion, actor=actor, reason=change_reason)
    criterion.save(update_fields=["name", "description"])
    existing = {i.pk: i for i in criterion.indicators.all()}
    for row in indicators:
        if row.get("DELETE") and row.get("id"):
            removed = existing[row["id"].pk]
            tracked(removed, actor=actor, reason=change_reason)
            removed.delete()
    # Orders are renumbered 1..n in the order shown; moving them out of the way first keeps the
    # unique (criterion, order) constraint from seeing two rows with one order mid-way.
    Indicator.objects.filter(criterion=criterion).update(order=F("order") + 1000)
    for order, row in enumerate(kept, start=1):
        instance = existing.get(row["id"].pk) if row.get("id") else Indicator(criterion=criterion)
        for field in INDICATOR_FIELDS:
            if field != "order":
                setattr(instance, field, row.get(field, getattr(instance, field)))
        instance.order = order
        instance.full_clean(validate_unique=False)
        tracked(instance, actor=actor, reason=change_reason)
        instance.save()
    return criterion


@transaction.atomic
def plan_publish(*, actor: User, plan: Plan) -> Plan:
    """Issue the plan: target organizations see it and registration opens. Refused, with every
    reason, while points do not add up or no organization is targeted."""
    require_perm(actor, plan.issuer, Action.MANAGE_PLANS)
    if not plan.is_draft:
        raise ValidationError(_("Chỉ kế hoạch dự thảo mới ban hành được."))
    problems = point_problems(plan)
    if not plan.targets.exists():
        problems.append(_("Chưa chọn tổ chức thực hiện."))
    if not plan.signer_name:
        problems.append(_("Chưa ghi người ký kế hoạch."))
    try:
        plan.full_clean()
        if plan.signer_name:
            check_collective_signer(
                plan.issuer, position=plan.signer_title, name=plan.signer_name, day=plan.issue_date
            )
    except ValidationError as error:
        problems.extend(error.messages)
    if problems:
        raise ValidationError(problems)
    plan.status = Plan.Status.PUBLISHED
    plan.published_at = timezone.now()
    tracked(plan, actor=actor, reason=gettext_noop("Ban hành"))
    plan.save(update_fields=["status", "published_at"])
    return plan


@transaction.atomic
def plan_close(*, actor: User, plan: Plan, reason: str = "") -> Plan:
    """End the plan: it stays readable and exportable, nothing can change. `reason` is kept in
    its history (a plan ended early, when its committee was merged, says why)."""
    require_perm(actor, plan.issuer, Action.MANAGE_PLANS)
    if plan.status != Plan.Status.PUBLISHED:
        raise ValidationError(_("Chỉ kế hoạch đã ban hành mới kết thúc được."))
    plan.status = Plan.Status.CLOSED
    plan.closed_at = timezone.now()
    tracked(
        plan,
        actor=actor,
        reason=Reason(gettext_noop("Kết thúc: %(reason)s"), reason=reason.strip())
        if reason.strip()
        else gettext_noop("Kết thúc"),
    )
    plan.save(update_fields=["status", "closed_at"])
    return plan


def plan_lock_criteria(*, plan: Plan) -> None:
    """A step of signing a pledge, not an act of its own (it has no actor: the signing service
    that calls it checked the signer): in the transaction that signs a plan's first pledge, lock
    the criteria, so that from then on a change of them is an amendment with a reason."""
    Plan.objects.filter(pk=plan.pk, criteria_locked_at__isnull=True).update(
        criteria_locked_at=timezone.now()
    )
