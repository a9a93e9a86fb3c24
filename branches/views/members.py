"""Staff pages of members: list (and Excel), detail, create, edit, transfer, leaving,
positions, history."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from audit.history import history_rows
from branches import services
from branches.exports import members_export
from branches.forms import (
    EndPositionForm,
    LeaveForm,
    MemberCreateForm,
    MemberForm,
    PositionForm,
    TransferForm,
)
from branches.models import Member, Organization
from branches.permissions import (
    ACTION_ROLES,
    Action,
    has_perm,
    has_perm_anywhere,
    require_perm,
    role_required,
)
from branches.selectors import (
    get_member_for,
    get_position_for,
    matches_in_name_order,
    member_list_for,
    organizations_visible_to,
)
from rendering.exports import export_response
from web.forms import bound, form_errors_from, picker_answer
from web.pages import CappedPaginator

PAGE_SIZE = 50
# A search counts its matches up to this many: past it, the page says "more than" and asks for
# more of the name (issue 21: "Nguyễn" matches tens of thousands of a province's members).
SEARCH_COUNT_CAP = 10_000


@role_required(Action.VIEW)
def member_list(request):
    """Members in the user's subtrees, sorted the Vietnamese way (given name first); paginated."""
    form, members = member_list_for(request.user, request.GET)
    if answer := picker_answer(request, form):
        return answer
    if request.GET.get("format") == "xlsx":
        return export_response(members_export(request.user, request.GET))
    if form.is_valid() and form.cleaned_data["q"]:
        paginator = CappedPaginator(members, PAGE_SIZE, cap=SEARCH_COUNT_CAP)
        if not paginator.capped:
            paginator.object_list = matches_in_name_order(members)
    else:
        paginator = Paginator(members, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "branches/member_list.html",
        {
            "form": form,
            "page": page,
            "can_manage": has_perm_anywhere(request.user, Action.MANAGE_MEMBERS),
            "query": request.GET.urlencode(),
        },
    )


def _managed_branches(user):
    roles = ACTION_ROLES[Action.MANAGE_MEMBERS]
    return (
        organizations_visible_to(user, roles=roles)
        .filter(kind=Organization.Kind.BRANCH, is_active=True)
        .order_by("path")
    )


@login_required
def member_detail(request, pk):
    member = get_member_for(request.user, pk)
    return render(
        request,
        "branches/member_detail.html",
        {
            "member": member,
            "memberships": member.memberships.select_related("branch"),
            "positions": member.positions.select_related("organization").order_by("-start_date"),
            "can_manage": has_perm(request.user, member.branch, Action.MANAGE_MEMBERS),
        },
    )


@role_required(Action.MANAGE_MEMBERS)
def member_create(request):
    branch_choices = _managed_branches(request.user)
    initial = {}
    if request.GET.get("branch"):
        initial["branch"] = branch_choices.filter(pk=request.GET["branch"]).first()
    form = MemberCreateForm(*bound(request), initial=initial, branch_choices=branch_choices)
    if answer := picker_answer(request, form):
        return answer
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            member = services.member_create(actor=request.user, **data)
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("Đã thêm đảng viên %(name)s.") % {"name": member.full_name})
            return redirect("branches:member_detail", pk=member.pk)
    return render(request, "branches/member_form.html", {"form": form})


def _member_for_manage(request, pk) -> Member:
    member = get_member_for(request.user, pk)
    require_perm(request.user, member.branch, Action.MANAGE_MEMBERS)
    return member


@login_required
def member_edit(request, pk):
    member = _member_for_manage(request, pk)
    form = MemberForm(*bound(request), instance=member)
    if request.method == "POST" and form.is_valid():
        try:
            services.member_update(actor=request.user, member=member, **form.cleaned_data)
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("Đã lưu."))
            return redirect("branches:member_detail", pk=member.pk)
    return render(request, "branches/member_form.html", {"form": form, "member": member})


@login_required
def member_transfer(request, pk):
    member = _member_for_manage(request, pk)
    form = TransferForm(
        *bound(request),
        branch_choices=_managed_branches(request.user).exclude(pk=member.branch_id),
    )
    if answer := picker_answer(request, form):
        return answer
    if request.method == "POST" and form.is_valid():
        try:
            services.member_transfer(actor=request.user, member=member, **form.cleaned_data)
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("Đã chuyển sinh hoạt."))
            return redirect("branches:member_detail", pk=member.pk)
    return render(
        request,
        "branches/member_action.html",
        {"form": form, "member": member, "title": _("Chuyển sinh hoạt")},
    )


@login_required
def member_leave(request, pk):
    member = _member_for_manage(request, pk)
    form = LeaveForm(*bound(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.member_leave(actor=request.user, member=member, **form.cleaned_data)
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("Đã ghi nhận thôi sinh hoạt. Hồ sơ vẫn được lưu."))
            return redirect("branches:member_detail", pk=member.pk)
    return render(
        request,
        "branches/member_action.html",
        {"form": form, "member": member, "title": _("Thôi sinh hoạt")},
    )


@login_required
def position_create(request, pk):
    member = _member_for_manage(request, pk)
    choices = Organization.objects.filter(
        path__in=[
            member.branch.path[:i]
            for i in range(Organization.steplen, len(member.branch.path) + 1, Organization.steplen)
        ]
    )
    choices = [org.pk for org in choices if has_perm(request.user, org, Action.MANAGE_MEMBERS)]
    form = PositionForm(
        *bound(request),
        initial={"organization": member.branch},
        organization_choices=Organization.objects.filter(pk__in=choices).order_by("path"),
    )
    if answer := picker_answer(request, form):
        return answer
    if request.method == "POST" and form.is_valid():
        try:
            services.position_assign(actor=request.user, member=member, **form.cleaned_data)
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("Đã ghi chức vụ."))
            return redirect("branches:member_detail", pk=member.pk)
    return render(
        request,
        "branches/member_action.html",
        {"form": form, "member": member, "title": _("Giao chức vụ")},
    )


@login_required
def position_end(request, pk):
    position = get_position_for(request.user, pk)
    require_perm(request.user, position.organization, Action.MANAGE_MEMBERS)
    form = EndPositionForm(*bound(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.position_end(actor=request.user, position=position, **form.cleaned_data)
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("Đã kết thúc chức vụ."))
            return redirect("branches:member_detail", pk=position.member_id)
    return render(
        request,
        "branches/member_action.html",
        {
            "form": form,
            "member": position.member,
            "title": _("Kết thúc chức vụ %(title)s") % {"title": position.display_title},
        },
    )


@login_required
def member_history(request, pk):
    member = get_member_for(request.user, pk)
    records = member.history.select_related("history_user").order_by("-history_date")[:200]
    return render(
        request,
        "branches/history.html",
        {
            "object": member,
            "records": history_rows(records),
            "back": reverse("branches:member_detail", args=[pk]),
        },
    )
