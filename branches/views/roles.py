"""Roles: the list of who holds what (and Excel), giving a role (with a new account if needed),
taking it back."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from branches import services
from branches.forms import (
    RoleAssignForm,
)
from branches.permissions import (
    ACTION_ROLES,
    Action,
    require_perm,
    role_required,
)
from branches.selectors import (
    get_organization_for,
    get_role_assignment_for,
    organizations_visible_to,
    role_assignments_visible_to,
    search_organizations,
    search_users,
    users_visible_to,
)
from rendering.downloads import xlsx_response
from rendering.excel import Column, workbook_bytes
from web.forms import bound, form_errors_from, picker_answer

PAGE_SIZE = 50
SEARCH_LIMIT = 50


@role_required(Action.MANAGE_ROLES)
def role_list(request):
    assignments = (
        role_assignments_visible_to(request.user)
        .select_related("user", "organization")
        .order_by("organization__path", "role", "user__full_name")
    )
    if request.GET.get("format") == "xlsx":
        columns = [
            Column(_("Tổ chức"), 40),
            Column(_("Vai trò"), 26),
            Column(_("Họ và tên"), 28),
            Column(_("Tên đăng nhập"), 20),
            Column(_("Thư điện tử"), 28),
        ]
        rows = (
            [
                a.organization.name,
                a.get_role_display(),
                a.user.full_name,
                a.user.username,
                a.user.email,
            ]
            for a in assignments
        )
        return xlsx_response(
            workbook_bytes(sheets=[(_("Phân quyền"), columns, rows)]), filename="phan-quyen.xlsx"
        )
    page = Paginator(assignments, PAGE_SIZE).get_page(request.GET.get("page"))
    # Giving a role starts from the organization: found by typing part of its name or code.
    org_q = request.GET.get("org_q", "").strip()[:100]
    organizations = (
        search_organizations(
            organizations_visible_to(request.user, roles=ACTION_ROLES[Action.MANAGE_ROLES]).filter(
                is_active=True
            ),
            org_q,
        ).order_by("path")[:SEARCH_LIMIT]
        if org_q
        else []
    )
    return render(
        request,
        "branches/role_list.html",
        {"page": page, "org_q": org_q, "organizations": organizations},
    )


@login_required
def role_assign(request, pk):
    organization = get_organization_for(request.user, pk)
    require_perm(request.user, organization, Action.MANAGE_ROLES)
    # The person is found by typing part of the name, the user name or the e-mail (`q`): the
    # list below then holds the matches, not every account of the province.
    q = request.GET.get("q", "").strip()[:100]
    people = search_users(users_visible_to(request.user), q).order_by("full_name")
    # The list holds every account found; past PICKER_MAX_OPTIONS it is searched as one types.
    form = RoleAssignForm(*bound(request), user_choices=people)
    if answer := picker_answer(request, form):
        return answer
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = data["user"] or services.user_create(
                actor=request.user,
                username=data["username"],
                full_name=data["full_name"],
                email=data["email"],
                password=data["password"] or None,
            )
            services.role_assign(
                actor=request.user, user=user, organization=organization, role=data["role"]
            )
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("Đã phân quyền cho %(user)s.") % {"user": user})
            return redirect("branches:organization_detail", pk=organization.pk)
    return render(
        request,
        "branches/role_form.html",
        {"form": form, "organization": organization, "q": q},
    )


@require_POST
@login_required
def role_revoke(request, pk):
    assignment = get_role_assignment_for(request.user, pk)
    try:
        services.role_revoke(actor=request.user, assignment=assignment)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Đã thu hồi quyền."))
    return redirect("branches:organization_detail", pk=assignment.organization_id)
