"""Plans: list, create from a template or an earlier plan, edit, criteria, targets, publish,
close, the plan document (PDF) and the criteria table (Excel)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.history import history_rows
from branches.permissions import (
    ACTION_ROLES,
    Action,
    has_perm,
    has_perm_anywhere,
    require_perm,
    role_required,
)
from branches.selectors import organizations_visible_to
from criteria import services
from criteria.documents import plan_docx
from criteria.forms import (
    CriteriaPointsForm,
    CriterionForm,
    IndicatorFormSet,
    PlanCreateForm,
    PlanEditForm,
    TargetsForm,
)
from criteria.models import ISSUER_KINDS, Criterion, Indicator, Plan
from criteria.selectors import (
    get_plan_for,
    plan_document,
    plans_visible_to,
    point_problems,
    target_candidates,
)
from partydocs.word import DOCX_CONTENT_TYPE
from rendering.downloads import attachment, xlsx_response
from rendering.excel import NUMBER, Column, workbook_bytes
from rendering.pdf import render_pdf
from web.forms import bound, form_errors_from
from web.ratelimits import limit_documents

PAGE_SIZE = 30


@role_required(Action.VIEW)
def plan_list(request):
    plans = (
        plans_visible_to(request.user)
        .select_related("issuer")
        .annotate(target_count=Count("targets"))
        .order_by("-issue_date", "-sequence")
    )
    status = request.GET.get("status", "")
    if status in Plan.Status.values:
        plans = plans.filter(status=status)
    if request.GET.get("format") == "xlsx":
        columns = [
            Column(_("Số"), 14),
            Column(_("Trích yếu"), 60),
            Column(_("Mô hình"), 16),
            Column(_("Thời gian"), 12),
            Column(_("Cấp ủy ban hành"), 36),
            Column(_("Ngày ban hành"), 14),
            Column(_("Số tổ chức thực hiện"), 12),
            Column(_("Trạng thái"), 16),
        ]
        rows = (
            [
                p.number,
                p.title,
                p.get_model_display(),
                p.period_label,
                p.issuer.name,
                p.issue_date,
                p.target_count,
                p.get_status_display(),
            ]
            for p in plans
        )
        return xlsx_response(
            workbook_bytes(sheets=[(_("Kế hoạch"), columns, rows)]), filename="ke-hoach.xlsx"
        )
    page = Paginator(plans, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "criteria/plan_list.html",
        {
            "page": page,
            "status": status,
            "statuses": Plan.Status.choices,
            "can_create": has_perm_anywhere(request.user, Action.MANAGE_PLANS),
        },
    )


def _issuers_for(user):
    roles = ACTION_ROLES[Action.MANAGE_PLANS]
    return (
        organizations_visible_to(user, roles=roles)
        .filter(kind__in=ISSUER_KINDS, is_active=True)
        .order_by("path")
    )


@role_required(Action.MANAGE_PLANS)
def plan_create(request):
    issuers = _issuers_for(request.user)
    earlier = (
        Plan.objects.filter(issuer__in=issuers)
        .select_related("issuer")
        .order_by("-issue_date")[:50]
    )
    form = PlanCreateForm(*bound(request), issuers=issuers, earlier_plans=earlier)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("source")
        try:
            plan = services.plan_create(actor=request.user, **data)
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(
                request, _("Đã tạo dự thảo kế hoạch %(number)s.") % {"number": plan.number}
            )
            return redirect("criteria:plan_detail", pk=plan.pk)
    return render(request, "criteria/plan_create.html", {"form": form})


def _plan_for_manage(request, pk) -> Plan:
    plan = get_plan_for(request.user, pk)
    require_perm(request.user, plan.issuer, Action.MANAGE_PLANS)
    return plan


@login_required
def plan_detail(request, pk):
    plan = get_plan_for(request.user, pk)
    doc = plan_document(plan)
    can_manage = has_perm(request.user, plan.issuer, Action.MANAGE_PLANS)
    return render(
        request,
        "criteria/plan_detail.html",
        {
            "plan": plan,
            "doc": doc,
            "can_manage": can_manage and not plan.is_closed,
            "problems": point_problems(plan, doc.criteria)
            if can_manage and not plan.is_closed
            else [],
        },
    )


@login_required
def plan_edit(request, pk):
    plan = _plan_for_manage(request, pk)
    form = PlanEditForm(*bound(request), instance=plan)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.changed_data}
        try:
            services.plan_update(actor=request.user, plan=Plan.objects.get(pk=plan.pk), **fields)
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("Đã lưu."))
            return redirect("criteria:plan_detail", pk=plan.pk)
    return render(
        request, "criteria/plan_form.html", {"form": form, "plan": plan, "title": _("Sửa kế hoạch")}
    )


@login_required
def plan_targets(request, pk):
    plan = _plan_for_manage(request, pk)
    form = TargetsForm(
        *bound(request),
        candidates=target_candidates(plan),
        initial={"organizations": plan.targets.all()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_set_targets(
                actor=request.user, plan=plan, organizations=form.cleaned_data["organizations"]
            )
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("Đã lưu danh sách tổ chức thực hiện."))
            return redirect("criteria:plan_detail", pk=plan.pk)
    return render(
        request,
        "criteria/plan_form.html",
        {"form": form, "plan": plan, "title": _("Tổ chức thực hiện")},
    )


@login_required
def plan_points(request, pk):
    plan = _plan_for_manage(request, pk)
    criteria = list(plan.criteria.order_by("order").prefetch_related("indicators"))
    form = CriteriaPointsForm(*bound(request), plan=plan, criteria=criteria)
    if request.method == "POST" and form.is_valid():
        try:
            services.criteria_points_update(
                actor=request.user,
                plan=plan,
                points=form.points(),
                indicator_points=form.indicator_points(),
                reason=form.cleaned_data.get("reason", ""),
            )
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("Đã lưu điểm các tiêu chí và chỉ tiêu."))
            return redirect("criteria:plan_detail", pk=plan.pk)
    return render(request, "criteria/plan_points.html", {"form": form, "plan": plan})


@login_required
def criterion_edit(request, pk, order):
    plan = _plan_for_manage(request, pk)
    try:
        criterion = plan.criteria.get(order=order)
    except Criterion.DoesNotExist:
        raise Http404 from None
    form = CriterionForm(*bound(request), instance=criterion, prefix="criterion")
    formset = IndicatorFormSet(
        *bound(request),
        instance=criterion,
        queryset=criterion.indicators.order_by("order"),
        prefix="indicators",
    )
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        rows = [f.cleaned_data for f in formset.forms if f.has_changed() or f.instance.pk]
        try:
            services.criterion_update(
                actor=request.user,
                criterion=Criterion.objects.get(pk=criterion.pk),
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
                indicators=rows,
                reason=form.cleaned_data.get("reason", ""),
            )
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("Đã lưu tiêu chí %(order)s.") % {"order": criterion.order})
            return redirect("criteria:plan_detail", pk=plan.pk)
    return render(
        request,
        "criteria/criterion_form.html",
        {"form": form, "formset": formset, "plan": plan, "criterion": criterion},
    )


@require_POST
@login_required
def plan_publish(request, pk):
    plan = _plan_for_manage(request, pk)
    try:
        services.plan_publish(actor=request.user, plan=plan)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("Đã ban hành kế hoạch %(number)s; các tổ chức thực hiện đã thấy kế hoạch.")
            % {"number": plan.number},
        )
    return redirect("criteria:plan_detail", pk=plan.pk)


@require_POST
@login_required
def plan_close(request, pk):
    plan = _plan_for_manage(request, pk)
    try:
        services.plan_close(actor=request.user, plan=plan)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Đã kết thúc kế hoạch."))
    return redirect("criteria:plan_detail", pk=plan.pk)


def plan_filename(plan: Plan, extension: str) -> str:
    return f"Ke-hoach-{plan.number.replace('/', '-')}.{extension}"


@login_required
@limit_documents
def plan_pdf(request, pk):
    plan = get_plan_for(request.user, pk)
    document = render_pdf(
        "criteria/pdf/plan.html", {"doc": plan_document(plan)}, filename=plan_filename(plan, "pdf")
    )
    return attachment(
        document.content, filename=document.filename, content_type=document.content_type
    )


@login_required
@limit_documents
def plan_word(request, pk):
    """The plan as Word, for the office to finish (the PDF stays the record)."""
    plan = get_plan_for(request.user, pk)
    return attachment(
        plan_docx(plan_document(plan)),
        filename=plan_filename(plan, "docx"),
        content_type=DOCX_CONTENT_TYPE,
    )


@login_required
@limit_documents
def plan_xlsx(request, pk):
    plan = get_plan_for(request.user, pk)
    doc = plan_document(plan)
    columns = [
        Column(_("STT"), 7),
        Column(_("Tiêu chí, chỉ tiêu"), 60),
        Column(_("Điểm"), 8, NUMBER),
        Column(_("Loại chỉ tiêu"), 12),
        Column(_("Mức phấn đấu gợi ý"), 12),
        Column(_("Đơn vị"), 10),
        Column(_("Bắt buộc minh chứng"), 10),
        Column(_("Nguồn tự động"), 28),
        Column(_("Hướng dẫn chấm"), 50),
    ]
    rows = []
    for criterion in doc.criteria:
        rows.append(
            [
                str(criterion.order),
                criterion.name,
                criterion.points,
                None,
                None,
                None,
                None,
                None,
                criterion.description,
            ]
        )
        for indicator in criterion.indicators.all():
            rows.append(
                [
                    f"{criterion.order}.{indicator.order}",
                    indicator.text,
                    indicator.points,
                    indicator.get_target_kind_display(),
                    indicator.default_target,
                    indicator.unit,
                    indicator.evidence_required,
                    indicator.get_auto_source_display() if indicator.auto_source else "",
                    indicator.guide,
                ]
            )
    rows.append(["", _("Tổng cộng"), doc.total_points, None, None, None, None, None, ""])
    data = workbook_bytes(sheets=[(_("Tiêu chí"), columns, rows)])
    return xlsx_response(data, filename=plan_filename(plan, "xlsx"))


@login_required
def plan_history(request, pk):
    plan = get_plan_for(request.user, pk)
    criteria = Criterion.history.filter(plan_id=plan.pk).select_related("history_user")
    indicators = Indicator.history.filter(
        criterion_id__in=Criterion.objects.filter(plan=plan).values("pk")
    ).select_related("history_user")
    records = history_rows(
        plan.history.select_related("history_user")[:500],
        criteria[:500],
        indicators[:1000],
        label=_history_label,
    )
    return render(
        request,
        "branches/history.html",
        {"object": plan, "records": records, "back": reverse("criteria:plan_detail", args=[pk])},
    )


def _history_label(record) -> str:
    if record.instance_type is Criterion:
        return _("Tiêu chí %(order)s") % {"order": record.order}
    if record.instance_type is Indicator:
        return _("Chỉ tiêu %(text)s") % {"text": record.text[:60]}
    return ""
