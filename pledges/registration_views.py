"""Registration: who has registered and signed (filtered, sorted, with each organization's
extensions), registering, withdrawing, extending a deadline, reminding now, and the address of a
registration's current pledge."""

import datetime
from collections import Counter

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from branches.models import Organization
from branches.permissions import Action, has_perm, reached_paths, require_perm, role_required
from branches.selectors import organizations_visible_to
from criteria.selectors import get_plan_for
from pledges import services
from pledges.exports import registrations_export
from pledges.forms import ExtensionForm, LateRegistrationForm
from pledges.models import DeadlineExtension
from pledges.selectors import (
    ROW_STATES,
    deadline_status,
    get_registration_for,
    is_past,
    registration_counts,
    registration_rows,
    with_states_and_extensions,
)
from rendering.exports import export_query, export_response
from vietnamese.text import fold
from web.forms import bound, form_errors_from
from web.pages import id_param, reason_form_page, year_from
from web.ratelimits import limit_documents

Kind = DeadlineExtension.Kind

REGISTRATIONS_PAGE_SIZE = 100


def plan_year(request, plan) -> int:
    """The plan's year a page shows: `?year=` within the plan's years, else the year today
    falls in."""
    year = year_from(request, default=plan.year_of(timezone.localdate()))
    return min(max(year, plan.start_year), plan.end_year)


def _target_of(request, plan, org_pk) -> Organization:
    """A target organization of the plan that the user can see (404 otherwise)."""
    return get_object_or_404(
        organizations_visible_to(request.user).filter(pk__in=plan.targets.values("pk")), pk=org_pk
    )


SORTS = {
    "path": lambda row: row["organization"].path,
    "name": lambda row: fold(row["organization"].name),
    "state": lambda row: (list(ROW_STATES).index(row["state"]), row["organization"].path),
    "deadline": lambda row: (not row["late"], row["deadline"] or datetime.date.max),
}


@login_required
def registration_list(request, plan_pk):
    """Who has and has not registered and signed (x/y), with each organization's extensions and
    the actions staff may take; filtered by state (or late) and sorted as asked."""
    plan = get_plan_for(request.user, plan_pk)
    year = plan_year(request, plan)
    rows = with_states_and_extensions(plan, registration_rows(plan, year), year)
    if not has_perm(request.user, plan.issuer, Action.VIEW):
        # A branch secretary sees the plan through their branch, and only their branch's row.
        paths = reached_paths(request.user)
        rows = [r for r in rows if any(r["organization"].path.startswith(p) for p in paths)]
    counts = registration_counts(rows)
    state_counts = Counter(row["state"] for row in rows)
    late_count = sum(1 for row in rows if row["late"])
    state = request.GET.get("state", "")
    if state in ROW_STATES:
        rows = [row for row in rows if row["state"] == state]
    elif state == "late":
        rows = [row for row in rows if row["late"]]
    else:
        state = ""
    sort = request.GET.get("sort", "")
    rows.sort(key=SORTS.get(sort, SORTS["path"]))
    # A block committee's plan reaches thousands of branches: a page of them at a time (the
    # counts above, the filter and the PDF/Excel files cover every row).
    page = Paginator(rows, REGISTRATIONS_PAGE_SIZE).get_page(request.GET.get("page"))
    for row in page.object_list:
        row["can_act"] = has_perm(request.user, row["organization"], Action.ACT_FOR_BRANCH)
    return render(
        request,
        "pledges/registration_list.html",
        {
            "plan": plan,
            "rows": page.object_list,
            "page": page,
            "counts": counts,
            "states": [(key, label, state_counts[key]) for key, label in ROW_STATES.items()],
            "late_count": late_count,
            "state": state,
            "sort": sort if sort in SORTS else "path",
            "can_manage": has_perm(request.user, plan.issuer, Action.MANAGE_PLANS)
            and not plan.is_closed,
            "year": year,
            "registration_deadline": plan.deadline_for_year("registration_deadline", year),
            "signing_deadline": plan.deadline_for_year("signing_deadline", year),
            "registration_open": not is_past(plan.deadline_for_year("registration_deadline", year)),
            "can_register_year": year <= max(timezone.localdate().year, plan.start_year),
        },
    )


@login_required
@limit_documents
def registration_list_export(request, plan_pk, fmt):
    if fmt not in ("pdf", "xlsx"):
        raise Http404
    return export_response(
        registrations_export(request.user, export_query(request.GET, plan=plan_pk), fmt)
    )


@login_required
def register(request, plan_pk, org_pk):
    plan = get_plan_for(request.user, plan_pk)
    organization = _target_of(request, plan, org_pk)
    require_perm(request.user, organization, Action.ACT_FOR_BRANCH)
    year = plan_year(request, plan)
    status = deadline_status(plan, organization, Kind.REGISTRATION, year)
    deadline = status.date if status else None
    late = is_past(deadline)
    form = LateRegistrationForm(*bound(request))
    if request.method == "POST" and form.is_valid():
        try:
            registration = services.registration_register(
                actor=request.user,
                plan=plan,
                organization=organization,
                late_reason=form.cleaned_data["late_reason"],
                year=year,
            )
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(
                request, _("%(name)s đã đăng ký xây dựng mô hình.") % {"name": organization.name}
            )
            return redirect(
                "pledges:pledge_detail", pk=registration.pledges.order_by("-version").first().pk
            )
    return render(
        request,
        "pledges/register.html",
        {
            "plan": plan,
            "organization": organization,
            "form": form,
            "late": late,
            # Before the deadline: when it is; after it, only the committee's staff register a
            # branch late (with a reason), and the page says so before anything is typed.
            "deadline": status,
            "may_register_late": has_perm(request.user, plan.issuer, Action.MANAGE_PLANS),
            "extend_url": extend_url(request, plan, organization, Kind.REGISTRATION),
            "year": year,
        },
    )


@login_required
def withdraw(request, pk):
    registration = get_registration_for(request.user, pk)
    require_perm(request.user, registration.organization, Action.ACT_FOR_BRANCH)
    return reason_form_page(
        request,
        act=lambda reason: services.registration_withdraw(
            actor=request.user, registration=registration, reason=reason
        ),
        done=_("Đã rút đăng ký."),
        back=reverse("pledges:registration_list", args=[registration.plan_id])
        + f"?year={registration.year}",
        title=_("Rút đăng ký"),
        subject=registration,
        button=_("Rút đăng ký"),
        danger=True,
        explain=_(
            "%(org)s sẽ không còn thực hiện Kế hoạch %(number)s: không ký cam kết, không tự đánh giá theo kế hoạch này. Các bản cam kết đã ký vẫn được lưu, ghi là đã rút đăng ký. Muốn tham gia lại phải đăng ký lại (sau hạn đăng ký: văn phòng cấp ủy nhận đăng ký muộn)."
        )
        % {"org": registration.organization.name, "number": registration.plan.number},
    )


def _next_url(request, default: str) -> str:
    """Where to go back to: the `next` the page was opened with, if it is a path of ours (never
    another site, and never a bare word `redirect` would take for a view's name)."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if (
        target.startswith("/")
        and "\x00" not in target
        and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return target
    return default


@login_required
def extend(request, plan_pk, org_pk):
    plan = get_plan_for(request.user, plan_pk)
    organization = _target_of(request, plan, org_pk)
    require_perm(request.user, plan.issuer, Action.MANAGE_PLANS)
    back = _next_url(request, reverse("pledges:registration_list", args=[plan.pk]))
    kind = request.GET.get("kind", "")
    form = ExtensionForm(*bound(request), initial={"kind": kind} if kind in Kind.values else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.deadline_extend(
                actor=request.user, plan=plan, organization=organization, **form.cleaned_data
            )
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("Đã gia hạn cho %(name)s.") % {"name": organization.name})
            return redirect(back)
    return render(
        request,
        "includes/reason_form.html",
        {
            "form": form,
            "title": _("Gia hạn cho %(name)s") % {"name": organization.name},
            "subject": plan,
            "back": back,
            "next": back,
            "extensions": DeadlineExtension.objects.filter(plan=plan, organization=organization),
        },
    )


@require_POST
@role_required(Action.MANAGE_PLANS)
def remind(request):
    """Remind now: the secretaries of each checked late item (`item`: plan:organization:kind:year,
    as `pledges.worklist.reminder_key` writes it) get the reminder e-mail at once."""
    back = _next_url(request, reverse("reports:worklist"))
    sent, refused = [], []
    for item in request.POST.getlist("item")[:500]:
        plan_pk, org_pk, kind, year = (item.split(":") + ["", "", "", ""])[:4]
        plan = get_plan_for(request.user, id_param(plan_pk))
        organization = _target_of(request, plan, id_param(org_pk))
        try:
            services.reminder_send(
                actor=request.user,
                plan=plan,
                organization=organization,
                kind=kind,
                year=int(year) if year.isascii() and year.isdigit() else None,
            )
        except ValidationError as error:
            refused.extend(error.messages)
        else:
            sent.append(organization.name)
    if sent:
        messages.success(
            request,
            _("Đã gửi thư nhắc đến bí thư: %(names)s.") % {"names": ", ".join(sent)},
        )
    for message in dict.fromkeys(refused):
        messages.error(request, message)
    if not sent and not refused:
        messages.info(request, _("Chưa chọn việc nào để nhắc."))
    return redirect(back)


@login_required
def current_pledge(request, pk):
    """The registration's pledge as it stands now: its newest version. E-mails link here, so a
    link sent before an amendment still opens the version being worked on."""
    registration = get_registration_for(request.user, pk)
    newest = registration.pledges.order_by("-version").first()
    if newest is None:
        raise Http404
    return redirect("pledges:pledge_detail", pk=newest.pk)


def extend_url(request, plan, organization, kind) -> str:
    """The extension form for this deadline, coming back to this page — for committee staff."""
    if not has_perm(request.user, plan.issuer, Action.MANAGE_PLANS):
        return ""
    return (
        reverse("pledges:extend", args=[plan.pk, organization.pk])
        + f"?kind={kind}&next={request.path}"
    )
