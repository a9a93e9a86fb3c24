"""The member list and the organization list as Excel (rendering.exports): the columns of their
imports, so an exported list imports back; written at once or by the task worker by size."""

from django.http import Http404
from django.utils.translation import gettext as _

from branches.imports import OrganizationImporter, member_workbook
from branches.models import Organization
from branches.selectors import member_list_for, organization_list_for, with_subtree_member_counts
from rendering.excel import workbook_bytes
from rendering.exports import Export, export_query


def members_export(user, params, fmt: str = "xlsx") -> Export:
    """The members the list page shows for `params`, in its order, within the user's scope."""
    if fmt != "xlsx":
        raise Http404
    _form, members = member_list_for(user, params)
    count = members.count()
    return Export(
        kind="members",
        fmt="xlsx",
        rows=count,
        title=_("Danh sách đảng viên (%(n)s người)") % {"n": count},
        filename=_("dang-vien.xlsx"),
        query=export_query(params),
        write=lambda: member_workbook(members),
    )


def organizations_export(user, params, fmt: str = "xlsx") -> Export:
    """The organizations the list page shows for `params`, with their parent's code and the
    active members of their subtree."""
    if fmt != "xlsx":
        raise Http404
    _form, organizations, _filtered = organization_list_for(user, params)
    count = organizations.count()
    return Export(
        kind="organizations",
        fmt="xlsx",
        rows=count,
        title=_("Danh sách tổ chức đảng (%(n)s tổ chức)") % {"n": count},
        filename=_("to-chuc-dang.xlsx"),
        query=export_query(params),
        write=lambda: _organizations_workbook(organizations),
    )


def _organizations_workbook(organizations) -> bytes:
    organizations = with_subtree_member_counts(organizations)
    parents = dict(
        Organization.objects.filter(path__in={o.parent_path for o in organizations}).values_list(
            "path", "code"
        )
    )
    for org in organizations:
        org.parent_code = parents.get(org.parent_path, "")
    table = OrganizationImporter.export_table(organizations)
    return workbook_bytes(sheets=[table.sheet(_("Tổ chức"))])
