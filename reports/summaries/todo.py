"""The work queue's page ("Việc cần làm") and its count in the navigation: every item the
registered kinds give the user (web.worklist), cached until the data they are read from
changes (the dashboard's and the summary's data versions)."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from branches.models import Member
from branches.permissions import user_roles
from caching import figures
from caching.models import DataVersion
from web import worklist

SCOPE = (DataVersion.DASHBOARD, DataVersion.SUMMARY)
HOME_ITEMS = 5  # per group, on the start page
HOME_GROUPS = 6  # groups on the start page; the queue page has them all
WORKLIST_GROUPS_PAGE = 25  # groups a page on the queue page (a province's official has hundreds)


def roles_of(user) -> set[str]:
    """The roles the user holds anywhere, and `worklist.MEMBER` for a member's own account."""
    roles = {role for role, _path in user_roles(user)}
    if Member.objects.filter(user=user, is_active=True).exists():
        roles.add(worklist.MEMBER)
    return roles


def queue_for(user, request=None) -> list[worklist.Group]:
    """The user's work, in groups, as of the last commit (read once per `request`: the page
    and the navigation's count share it)."""
    if not user.is_authenticated:
        return []
    if request is not None and hasattr(request, "_bontot_worklist"):
        return request._bontot_worklist
    groups = figures.cached(
        "worklist-1", user, (), lambda: worklist.collect(user, roles_of(user)), scope=SCOPE
    )
    if request is not None:
        request._bontot_worklist = groups
    return groups


def count_for(user, request=None) -> int:
    return sum(len(group.items) for group in queue_for(user, request))


@login_required
def worklist_page(request):
    groups = queue_for(request.user, request)
    page = Paginator(groups, WORKLIST_GROUPS_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "reports/worklist.html",
        {
            "groups": page.object_list,
            "page": page,
            # Group anchors count across pages (#group-31 is on page 2).
            "offset": page.start_index() - 1 if groups else 0,
            "total": sum(len(g.items) for g in groups),
            "overdue": sum(g.overdue for g in groups),
            "bulk": any(item.key for g in groups for item in g.items),
        },
    )
