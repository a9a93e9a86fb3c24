"""Staff pages: the organization tree, members, positions, roles, import and export."""

import secrets
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import connection
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from branches import services
from branches.forms import (
    EndPositionForm,
    ImportForm,
    LeaveForm,
    MemberCreateForm,
    MemberFilterForm,
    MemberForm,
    OrganizationEditForm,
    OrganizationFilterForm,
    OrganizationForm,
    PositionForm,
    RoleAssignForm,
    TransferForm,
    bound,
    form_errors_from,
)
from branches.health import worker_status
from branches.imports import IMPORTERS, FileProblem
from branches.models import Member, Organization, Position, RoleAssignment
from branches.permissions import (
    ACTION_ROLES,
    Action,
    has_perm,
    has_perm_anywhere,
    require_perm,
    role_required,
)
from branches.selectors import (
    ancestors_of,
    get_member_for,
    get_organization_for,
    get_role_assignment_for,
    history_rows,
    members_visible_to,
    organizations_visible_to,
    parents_by_path,
    role_assignments_visible_to,
    search_members,
    search_organizations,
    users_visible_to,
    with_subtree_member_counts,
)
from reports.excel import Column, workbook_bytes, xlsx_response

PAGE_SIZE = 50


@never_cache
@require_GET
def healthz(request):
    """200 when the database answers and a task worker keeps up; 503 otherwise. `?scope=web`
    checks the database only (for a load balancer choosing among application servers)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        worker = None if request.GET.get("scope") == "web" else worker_status()
    except Exception as error:  # noqa: BLE001 - any database failure means "not healthy"
        return JsonResponse(
            {"status": "error", "database": str(error.__class__.__name__)}, status=503
        )
    body = {"status": "ok", "database": "ok"}
    if worker is not None:
        body["worker"] = "ok" if worker.ok else "stale"
        body["worker_last_seen"] = worker.last_seen.isoformat() if worker.last_seen else None
        body["worker_busy"] = worker.busy
        body["queue_waiting_seconds"] = worker.waiting_seconds
        if not worker.ok:
            body["status"] = "error"
    return JsonResponse(body, status=200 if body["status"] == "ok" else 503)


def livez(request):
    """200 while the process serves requests, without touching the database: the liveness probe
    (restart when it fails), beside /healthz, the readiness probe."""
    return HttpResponse("ok", content_type="text/plain")


# Organizations ---------------------------------------------------------------------------------


def _managed_committees(user):
    roles = ACTION_ROLES[Action.MANAGE_ORGANIZATIONS]
    return (
        organizations_visible_to(user, roles=roles)
        .exclude(kind=Organization.Kind.BRANCH)
        .filter(is_active=True)
        .order_by("path")
    )


@role_required(Action.VIEW)
def organization_list(request):
    """The tree in path order (indented by depth), or a filtered flat list; paginated."""
    form = OrganizationFilterForm(request.GET or None)
    organizations = organizations_visible_to(request.user)
    filtered = False
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            organizations = search_organizations(organizations, data["q"])
            filtered = True
        if data["kind"]:
            organizations = organizations.filter(kind=data["kind"])
            filtered = True
        if data["active"]:
            organizations = organizations.filter(is_active=data["active"] == "1")
            filtered = True
    organizations = organizations.order_by("path")
    if request.GET.get("format") == "xlsx":
        return _organizations_xlsx(with_subtree_member_counts(organizations))
    page = Paginator(organizations, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = with_subtree_member_counts(page.object_list)
    parents = parents_by_path(page.object_list)
    min_depth = min((org.depth for org in page.object_list), default=1)
    rows = [
        {
            "org": org,
            "parent": parents.get(org.parent_path),
            "indent": 0 if filtered else org.depth - min_depth,
        }
        for org in page.object_list
    ]
    return render(
        request,
        "branches/organization_list.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "filtered": filtered,
            "can_manage": has_perm_anywhere(request.user, Action.MANAGE_ORGANIZATIONS),
            "query": request.GET.urlencode(),
        },
    )


def _organizations_xlsx(organizations):
    parents = dict(
        Organization.objects.filter(path__in={o.parent_path for o in organizations}).values_list(
            "path", "code"
        )
    )
    columns = [
        Column(_("Mã"), 16),
        Column(_("Tên"), 40),
        Column(_("Loại"), 22),
        Column(_("Mã tổ chức cấp trên"), 16),
        Column(_("Tên viết tắt"), 16),
        Column(_("Địa danh"), 16),
        Column(_("Ký hiệu cơ quan ban hành"), 12),
        Column(_("Tên cơ quan trên văn bản"), 30),
        Column(_("Đang hoạt động"), 10),
        Column(_("Số đảng viên"), 10),
    ]
    rows = (
        [
            org.code,
            org.name,
            org.get_kind_display(),
            parents.get(org.parent_path, ""),
            org.short_name,
            org.place_name,
            org.issuer_code,
            org.document_name,
            org.is_active,
            org.member_count,
        ]
        for org in organizations
    )
    data = workbook_bytes(sheets=[(_("Tổ chức"), columns, rows)])
    return xlsx_response(data, filename=_("to-chuc-dang.xlsx"))


@login_required
def organization_detail(request, pk):
    organization = get_organization_for(request.user, pk)
    children = with_subtree_member_counts(
        Organization.objects.get_children(organization).order_by("path")
    )
    positions = (
        Position.objects.filter(organization=organization, end_date__isnull=True)
        .select_related("member")
        .order_by("title", "member__sort_key")
    )
    roles = (
        RoleAssignment.objects.filter(organization=organization)
        .select_related("user")
        .order_by("role", "user__full_name")
    )
    member_count = Member.objects.filter(
        branch__path__startswith=organization.path, is_active=True
    ).count()
    can_manage = has_perm(request.user, organization, Action.MANAGE_ORGANIZATIONS)
    return render(
        request,
        "branches/organization_detail.html",
        {
            "organization": organization,
            "ancestors": [
                a for a in ancestors_of(organization) if has_perm(request.user, a, Action.VIEW)
            ],
            "children": children,
            "positions": positions,
            "roles": roles,
            "member_count": member_count,
            "can_manage": can_manage,
            "can_manage_roles": has_perm(request.user, organization, Action.MANAGE_ROLES),
        },
    )


@login_required
def organization_create(request, parent_pk):
    parent = get_organization_for(request.user, parent_pk)
    require_perm(request.user, parent, Action.MANAGE_ORGANIZATIONS)
    if parent.is_branch:
        messages.error(request, _("Chi bộ là cấp cuối cùng, không thể có tổ chức trực thuộc."))
        return redirect("branches:organization_detail", pk=parent.pk)
    initial = {
        "kind": Organization.Kind.BRANCH,
        "code": f"{parent.code}.{parent.numchild + 1:02d}",
        "place_name": parent.place_name,
    }
    form = OrganizationForm(*bound(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            organization = services.organization_create(
                actor=request.user, parent=parent, **form.cleaned_data
            )
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("Đã thêm %(name)s.") % {"name": organization.name})
            return redirect("branches:organization_detail", pk=organization.pk)
    return render(request, "branches/organization_form.html", {"form": form, "parent": parent})


@login_required
def organization_edit(request, pk):
    organization = get_organization_for(request.user, pk)
    require_perm(request.user, organization, Action.MANAGE_ORGANIZATIONS)
    parent = Organization.objects.get_parent(organization)
    # Only an organization inside the user's managed subtree (not its root) can be moved.
    movable = parent is not None and has_perm(request.user, parent, Action.MANAGE_ORGANIZATIONS)
    parent_choices = (
        _managed_committees(request.user).exclude(path__startswith=organization.path)
        if movable
        else None
    )
    form = OrganizationEditForm(
        *bound(request),
        instance=organization,
        initial={"parent": parent},
        parent_choices=parent_choices,
    )
    if not movable:
        form.fields.pop("parent")
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        new_parent = data.pop("parent", None)
        try:
            services.organization_update(
                actor=request.user, organization=organization, parent=new_parent, **data
            )
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("Đã lưu."))
            return redirect("branches:organization_detail", pk=organization.pk)
    return render(
        request, "branches/organization_form.html", {"form": form, "organization": organization}
    )


@require_POST
@login_required
def organization_set_active(request, pk):
    organization = get_organization_for(request.user, pk)
    require_perm(request.user, organization, Action.MANAGE_ORGANIZATIONS)
    active = request.POST.get("active") == "1"
    try:
        services.organization_set_active(
            actor=request.user, organization=organization, active=active
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Đã mở lại hoạt động.") if active else _("Đã ngừng hoạt động."))
    return redirect("branches:organization_detail", pk=organization.pk)


@login_required
def organization_history(request, pk):
    organization = get_organization_for(request.user, pk)
    records = organization.history.select_related("history_user").order_by("-history_date")[:200]
    return render(
        request,
        "branches/history.html",
        {
            "object": organization,
            "records": history_rows(records),
            "back": reverse("branches:organization_detail", args=[pk]),
        },
    )


# Members ---------------------------------------------------------------------------------------


@role_required(Action.VIEW)
def member_list(request):
    """Members in the user's subtrees, sorted the Vietnamese way (given name first); paginated."""
    organization_choices = organizations_visible_to(request.user).order_by("path")
    form = MemberFilterForm(
        request.GET or {"active": "1"}, organization_choices=organization_choices
    )
    members = members_visible_to(request.user).select_related("branch")
    if form.is_valid():
        data = form.cleaned_data
        members = search_members(members, data["q"])
        if data["organization"]:
            members = members.filter(branch__path__startswith=data["organization"].path)
        if data["status"]:
            members = members.filter(status=data["status"])
        if data["active"]:
            members = members.filter(is_active=data["active"] == "1")
    members = members.order_by("sort_key", "id")
    if request.GET.get("format") == "xlsx":
        return _members_xlsx(members)
    page = Paginator(members, PAGE_SIZE).get_page(request.GET.get("page"))
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


def _members_xlsx(members):
    columns = [
        Column(_("Họ và tên"), 28),
        Column(_("Giới tính"), 9),
        Column(_("Ngày sinh"), 12),
        Column(_("Số thẻ đảng viên"), 14),
        Column(_("Ngày vào Đảng"), 12),
        Column(_("Ngày chính thức"), 12),
        Column(_("Đảng viên"), 12),
        Column(_("Mã chi bộ"), 14),
        Column(_("Chi bộ"), 34),
        Column(_("Đang sinh hoạt"), 10),
    ]
    rows = (
        [
            m.full_name,
            m.get_gender_display(),
            m.birth_date,
            m.card_number or "",
            m.join_date,
            m.official_date,
            m.get_status_display(),
            m.branch.code,
            m.branch.name,
            m.is_active,
        ]
        for m in members.iterator(chunk_size=2000)
    )
    data = workbook_bytes(sheets=[(_("Đảng viên"), columns, rows)])
    return xlsx_response(data, filename=_("dang-vien.xlsx"))


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
    position = get_object_or_404(
        Position.objects.filter(member__in=members_visible_to(request.user)).select_related(
            "member__branch", "organization"
        ),
        pk=pk,
    )
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


# Roles -----------------------------------------------------------------------------------------


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
    return render(request, "branches/role_list.html", {"page": page})


@login_required
def role_assign(request, pk):
    organization = get_organization_for(request.user, pk)
    require_perm(request.user, organization, Action.MANAGE_ROLES)
    form = RoleAssignForm(
        *bound(request), user_choices=users_visible_to(request.user).order_by("full_name")
    )
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
    return render(request, "branches/role_form.html", {"form": form, "organization": organization})


@require_POST
@login_required
def role_revoke(request, pk):
    assignment = get_role_assignment_for(request.user, pk)
    require_perm(request.user, assignment.organization, Action.MANAGE_ROLES)
    if assignment.user_id == request.user.pk:
        messages.error(request, _("Không thể tự thu hồi quyền của chính mình."))
    else:
        services.role_revoke(actor=request.user, assignment=assignment)
        messages.success(request, _("Đã thu hồi quyền."))
    return redirect("branches:organization_detail", pk=assignment.organization_id)


# Import ----------------------------------------------------------------------------------------

_IMPORT_ACTIONS = {"organizations": Action.MANAGE_ORGANIZATIONS, "members": Action.MANAGE_MEMBERS}
_IMPORT_TITLES = {
    "organizations": gettext_lazy("Nhập tổ chức từ tệp"),
    "members": gettext_lazy("Nhập đảng viên từ tệp"),
}


def _import_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _check_import_kind(request, kind):
    if kind not in IMPORTERS:
        raise Http404
    if not has_perm_anywhere(request.user, _IMPORT_ACTIONS[kind]):
        raise PermissionDenied


@login_required
def import_template(request, kind):
    _check_import_kind(request, kind)
    data = IMPORTERS[kind](actor=request.user).template_bytes()
    return xlsx_response(data, filename=f"mau-nhap-{kind}.xlsx")


@login_required
def import_upload(request, kind):
    """Step 1: upload; the file is checked in full and shown as a preview, nothing is written."""
    _check_import_kind(request, kind)
    importer = IMPORTERS[kind](actor=request.user)
    form = ImportForm(*bound(request, files=True))
    preview = None
    token = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data["file"].read()
        try:
            preview = importer.validate(data)
        except FileProblem as problem:
            form.add_error("file", str(problem))
        else:
            if preview.ok:
                token = secrets.token_urlsafe(16)
                (_import_dir() / token).write_bytes(data)
                request.session[f"import-{kind}"] = token
    return render(
        request,
        "branches/import.html",
        {
            "form": form,
            "preview": preview,
            "token": token,
            "kind": kind,
            "title": _IMPORT_TITLES[kind],
            "shown_rows": preview.rows[:200] if preview else [],
        },
    )


@require_POST
@login_required
def import_confirm(request, kind):
    """Step 2: the same file, checked again and written in one transaction (or not at all)."""
    _check_import_kind(request, kind)
    token = request.POST.get("token", "")
    if not token or request.session.get(f"import-{kind}") != token:
        messages.error(request, _("Phiên nhập tệp đã hết hạn; hãy tải tệp lên lại."))
        return redirect("branches:import", kind=kind)
    path = _import_dir() / token
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        messages.error(request, _("Phiên nhập tệp đã hết hạn; hãy tải tệp lên lại."))
        return redirect("branches:import", kind=kind)
    importer = IMPORTERS[kind](actor=request.user)
    try:
        preview = importer.commit(data)
    except FileProblem as problem:
        messages.error(request, str(problem))
        return redirect("branches:import", kind=kind)
    if not preview.ok:
        # The data changed since the preview (someone else added a card number, say).
        form = ImportForm()
        messages.error(
            request,
            _("Dữ liệu đã thay đổi từ lúc xem trước; chưa ghi gì. Hãy xem các lỗi dưới đây."),
        )
        return render(
            request,
            "branches/import.html",
            {
                "form": form,
                "preview": preview,
                "kind": kind,
                "title": _IMPORT_TITLES[kind],
                "shown_rows": preview.rows[:200],
            },
        )
    path.unlink(missing_ok=True)
    del request.session[f"import-{kind}"]
    messages.success(request, _("Đã nhập %(count)s dòng.") % {"count": len(preview.rows)})
    return redirect(
        "branches:organization_list" if kind == "organizations" else "branches:member_list"
    )


def robots(request):
    return HttpResponse("User-agent: *\nDisallow: /\n", content_type="text/plain")
