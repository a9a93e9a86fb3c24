"""Reads scoped to what a user's roles reach. Every view resolves ids through these."""

from bisect import bisect_left
from itertools import accumulate

from django.db.models import IntegerField, Q, QuerySet, Subquery, Value
from django.db.models.functions import Concat
from django.shortcuts import get_object_or_404

from branches.models import Member, MemberCount, Organization, Position, RoleAssignment, User
from branches.permissions import reached_paths
from caching.figures import get_or_compute
from caching.models import DataVersion
from vietnamese.text import fold


def under_paths(paths, *, lookup: str = "path") -> Q:
    """A filter matching rows whose organization path (reached through `lookup`) lies under
    one of `paths`. Matches nothing for no paths."""
    q = Q(pk__in=[])
    for path in paths:
        q |= Q(**{f"{lookup}__startswith": path})
    return q


def scope_q(user, *, lookup: str = "path", roles=None) -> Q:
    """A filter matching rows whose organization path (reached through `lookup`) lies in the
    user's subtrees. Matches nothing for a user without roles."""
    return under_paths(reached_paths(user, roles), lookup=lookup)


def organizations_visible_to(user, *, roles=None) -> QuerySet[Organization]:
    """Every organization (active or not) in the user's subtrees."""
    return Organization.objects.filter(scope_q(user, roles=roles))


def get_organization_for(user, pk) -> Organization:
    """The organization, if the user's roles reach it; 404 otherwise."""
    return get_object_or_404(organizations_visible_to(user), pk=pk)


def roots_visible_to(user) -> QuerySet[Organization]:
    """The top organizations of the user's subtrees (where their tree view starts)."""
    return Organization.objects.filter(path__in=reached_paths(user)).order_by("path")


def members_visible_to(user) -> QuerySet[Member]:
    """Members whose (current or last) branch lies in the user's subtrees."""
    return Member.objects.filter(scope_q(user, lookup="branch__path"))


def get_member_for(user, pk) -> Member:
    """The member, if the user's roles reach their branch; 404 otherwise."""
    return get_object_or_404(members_visible_to(user).select_related("branch"), pk=pk)


def get_position_for(user, pk) -> Position:
    """A position held by a member the user's roles reach; 404 otherwise."""
    return get_object_or_404(
        Position.objects.filter(member__in=members_visible_to(user)).select_related(
            "member__branch", "organization"
        ),
        pk=pk,
    )


def role_assignments_visible_to(user) -> QuerySet[RoleAssignment]:
    return RoleAssignment.objects.filter(scope_q(user, lookup="organization__path"))


def get_role_assignment_for(user, pk) -> RoleAssignment:
    return get_object_or_404(
        role_assignments_visible_to(user).select_related("organization", "user"), pk=pk
    )


def users_visible_to(user) -> QuerySet[User]:
    """Accounts holding a role inside the user's subtrees, or linked to a member there."""
    return User.objects.filter(
        Q(role_assignments__in=role_assignments_visible_to(user))
        | Q(member__in=members_visible_to(user))
    ).distinct()


def search_organizations(queryset: QuerySet[Organization], text: str) -> QuerySet[Organization]:
    """Case- and diacritic-insensitive search over name, short name and code."""
    folded = fold(text)
    return queryset.filter(search_key__contains=folded) if folded else queryset


def search_users(queryset: QuerySet[User], text: str) -> QuerySet[User]:
    """Accounts whose name, user name or e-mail contains the text, case and diacritics ignored
    ("pham van tai" finds Phạm Văn Tài). Accounts keep no folded key, so the names of the
    accounts in `queryset` (those the user reaches) are folded here, in one query."""
    folded = fold(text)
    if not folded:
        return queryset
    found = [
        pk
        for pk, full_name, username, email in queryset.values_list(
            "pk", "full_name", "username", "email"
        )
        if folded in fold(f"{full_name} {username} {email}")
    ]
    return queryset.filter(pk__in=found)


def matches_in_name_order(members: QuerySet[Member]) -> QuerySet[Member]:
    """A search's few matches in the list's order, the order applied after they are found.

    Ordered by `sort_key`, PostgreSQL walks the name-order index and tests each member against
    the search until a page is full: quick when many match ("Nguyễn Văn", "An"), a walk over most
    of 400,000 members when few do and their names sort late ("Thị Tuyết", 250 ms). Ordered by
    an expression no index holds, it must first find the matches — through the trigram index of
    the search key — then sort them (15 ms). The member list asks this of a search that matched
    at most a page-count's cap of members (web.pages.CappedPaginator)."""
    return members.order_by(Concat("sort_key", Value("")), "id")


def search_members(queryset: QuerySet[Member], text: str) -> QuerySet[Member]:
    """Case- and diacritic-insensitive search over full name and card number."""
    folded = fold(text)
    return queryset.filter(search_key__contains=folded) if folded else queryset


def acting_body(organization: Organization) -> Organization:
    """The organization that acts today for one merged into another (branches.reorganization):
    its successor, followed while that one was merged too; or the organization itself. A
    decision or report issued today for a plan of a merged committee is its successor's."""
    seen = set()
    while organization.successor_id and organization.pk not in seen:
        seen.add(organization.pk)
        organization = organization.successor
    return organization


def ancestors_of(organization: Organization) -> list[Organization]:
    """The organization's ancestors, root first, in one query."""
    steplen = Organization.steplen
    paths = [organization.path[:i] for i in range(steplen, len(organization.path), steplen)]
    return list(Organization.objects.filter(path__in=paths).order_by("depth"))


def parents_by_path(organizations) -> dict[str, Organization]:
    """Parents of a page of organizations, keyed by path, in one query (no query per row)."""
    parent_paths = {org.parent_path for org in organizations if org.depth > 1}
    return {org.path: org for org in Organization.objects.filter(path__in=parent_paths)}


class SubqueryCount(Subquery):
    """COUNT(*) of a correlated queryset, as an annotation. (A plain `.values(n=Count("*"))`
    subquery gets GROUP BY on every column, counting groups of one.)"""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) AS counted)"
    output_field = IntegerField()

    def __init__(self, queryset, **extra):
        super().__init__(queryset.order_by().values("pk"), **extra)


def with_subtree_member_counts(organizations) -> list[Organization]:
    """The organizations, each with `member_count`: active members in its whole subtree.

    Cached under the members' data version (caching.figures; database triggers change it with
    any write to members or organizations), keyed by the organizations' paths. Computed in one
    query whatever the number of rows: the active members of each branch under the topmost of
    the paths (MemberCount, kept by triggers on the members), summed per subtree over the sorted
    branch paths (a subtree is a contiguous range of paths). The correlated subquery it replaces
    scanned the organization table once per row, with a pattern no index can serve, and counted
    the root's 150,000 members each time."""
    organizations = list(organizations)
    paths = sorted({o.path for o in organizations})
    counts = get_or_compute(
        "member-counts",
        tuple(paths),
        lambda: _member_counts(paths),
        scope=DataVersion.MEMBERS,
        under=paths,
    )
    for organization in organizations:
        organization.member_count = counts[organization.path]
    return organizations


def _member_counts(paths: list[str]) -> dict[str, int]:
    tops: list[str] = []
    for path in paths:
        if not tops or not path.startswith(tops[-1]):
            tops.append(path)
    rows: list[tuple[str, int]] = []
    if tops:
        scope = Q()
        for path in tops:
            scope |= Q(branch__path__startswith=path)
        # Per branch, as the triggers keep them: one row per branch, not per member.
        rows = sorted(
            MemberCount.objects.filter(scope, active__gt=0).values_list("branch__path", "active")
        )
    branch_paths = [path for path, _n in rows]
    sums = list(accumulate((n for _p, n in rows), initial=0))
    return {
        path: sums[bisect_left(branch_paths, path + "\U0010ffff")]  # after every descendant
        - sums[bisect_left(branch_paths, path)]
        for path in paths
    }


def organization_list_for(user, params) -> tuple:
    """The organization list as `params` filters it, within the user's subtrees, in path order:
    (the filter form, the organizations, whether a filter applied). The page and its Excel file
    (at once or in the background) read it from here."""
    from branches.forms import OrganizationFilterForm

    form = OrganizationFilterForm(params or None)
    organizations = organizations_visible_to(user)
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
    return form, organizations.order_by("path"), filtered


def member_list_for(user, params) -> tuple:
    """The member list as `params` (a query string's values) filters it, within the user's
    subtrees, in the list's order: (the filter form, the members). The page, its Excel file and
    the background export all read it from here."""
    from branches.forms import MemberFilterForm

    organization_choices = organizations_visible_to(user).order_by("path")
    form = MemberFilterForm(params or {"active": "1"}, organization_choices=organization_choices)
    members = members_visible_to(user).select_related("branch")
    if form.is_valid():
        data = form.cleaned_data
        members = search_members(members, data["q"])
        if data["organization"]:
            members = members.filter(branch__path__startswith=data["organization"].path)
        if data["status"]:
            members = members.filter(status=data["status"])
        if data["active"]:
            members = members.filter(is_active=data["active"] == "1")
    return form, members.order_by("sort_key", "id")
