"""Staff pages of the organization tree: list (and Excel), detail, create, edit, deactivate,
history."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.history import history_rows
from branches import services
from branches.exports import organizations_export
from branches.forms import (
    OrganizationEditForm,
    OrganizationForm,
)
from branches.models import Member, Organization, Position, Reorganization, RoleAssignment
from branches.permissions import (
    ACTION_ROLES,
    Action,
    has_perm,
    has_perm_anywhere,
    require_perm,
    role_required,
)
from branches.reorganization import summary_lines
from branches.selectors import (
    ancestors_of,
    get_organization_for,
    organization_list_for,
    organizations_visible_to,
    parents_by_path,
    with_subtree_member_counts,
)
from rendering.exports import export_response
from web.forms import bound, form_errors_from, picker_answer

PAGE_SIZE = 50


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
    form, organizations, filtered = organization_list_for(request.user, request.GET)
    if request.GET.get("format") == "xlsx":
        return export_response(organizations_export(request.user, request.GET, "xlsx"))
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
    ancestors = list(ancestors_of(organization))
    reorganizations = list(
        Reorganization.objects.filter(Q(sources=organization) | Q(targets=organization)).distinct()
    )
    for record in reorganizations:
        record.lines = summary_lines(record)
    return render(
        request,
        "branches/organization_detail.html",
        {
            "organization": organization,
            "level_name": organization.level_name(ancestors[-1] if ancestors else None),
            "successor_url": reverse(
                "branches:organization_detail", args=[organization.successor_id]
            )
            if organization.successor_id
            else "",
            "predecessors": organization.predecessors.order_by("path"),
            "reorganizations": reorganizations,
            "ancestors": [a for a in ancestors if has_perm(request.user, a, Action.VIEW)],
            "children": children,
            "positions": positions,
            "roles": roles,
            "member_count": member_count,
            "can_manage": can_manage,
            "can_manage_roles": has_perm(request.user, organization, Action.MANAGE_ROLES),
            "can_manage_members": has_perm(request.user, organization, Action.MANAGE_MEMBERS),
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
    if answer := picker_answer(request, form):
        return answer
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
