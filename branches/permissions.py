"""Who may do what, in one place.

A role assignment (user, organization, role) reaches the organization's subtree. Visibility
(selectors) answers "may this user see it at all?" — outsiders get 404. The actions below answer
"may this insider do this here?" — insiders without the right get 403. Every write service checks
its own action with `require_perm` (views only resolve objects through the selectors and show
what the service answers); `role_required` is the same check as a view decorator.

The system administrator (an active superuser, who holds the Django admin and with it every
table) may also set up the tree, the members and the roles through the services — the first
root organization and its first staff are made that way. Signing, deciding and assessing need a
role: an administrator is nobody's secretary or leader.
"""

from enum import StrEnum
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from branches.models import Organization, RoleAssignment

Role = RoleAssignment.Role


class Action(StrEnum):
    VIEW = "view"
    MANAGE_ORGANIZATIONS = "manage_organizations"
    MANAGE_MEMBERS = "manage_members"
    MANAGE_ROLES = "manage_roles"
    MANAGE_PLANS = "manage_plans"
    ACT_FOR_BRANCH = "act_for_branch"
    SIGN_FOR_BRANCH = "sign_for_branch"
    DECIDE = "decide"
    ASSESS = "assess"


ACTION_ROLES: dict[Action, frozenset[str]] = {
    Action.VIEW: frozenset({Role.STAFF, Role.SECRETARY, Role.LEADER, Role.OFFICIAL}),
    Action.MANAGE_ORGANIZATIONS: frozenset({Role.STAFF}),
    Action.MANAGE_MEMBERS: frozenset({Role.STAFF}),
    Action.MANAGE_ROLES: frozenset({Role.STAFF}),
    Action.MANAGE_PLANS: frozenset({Role.STAFF}),
    # Registering, filling the pledge, meetings, evidence, self-assessment: the secretary, or
    # committee staff entering data on the branch's behalf.
    Action.ACT_FOR_BRANCH: frozenset({Role.SECRETARY, Role.STAFF}),
    # A signature is personal: only the branch's secretary signs for it.
    Action.SIGN_FOR_BRANCH: frozenset({Role.SECRETARY}),
    # Accepting pledges, finalizing results, deciding ratings and recognition.
    Action.DECIDE: frozenset({Role.LEADER}),
    # The committee's assessment of a self-assessment: its staff prepare it, its leaders too.
    Action.ASSESS: frozenset({Role.STAFF, Role.LEADER}),
}


def user_roles(user) -> list[tuple[str, str]]:
    """(role, organization path) for every active assignment of the user; one query per request."""
    if user is None or not user.is_authenticated or not user.is_active:
        return []
    cached = getattr(user, "_bontot_roles", None)
    if cached is None:
        cached = list(
            RoleAssignment.objects.filter(user=user, organization__is_active=True).values_list(
                "role", "organization__path"
            )
        )
        user._bontot_roles = cached
    return cached


def reached_paths(user, roles=None) -> list[str]:
    """Paths of the subtrees the user reaches (through the given roles, or any role)."""
    paths = sorted({path for role, path in user_roles(user) if roles is None or role in roles})
    # Drop a path already covered by its ancestor, so scope filters stay short.
    kept: list[str] = []
    for path in paths:
        if not any(path.startswith(prefix) for prefix in kept):
            kept.append(path)
    return kept


# What the system administrator may do through the services without a role.
ADMINISTRATOR_ACTIONS = frozenset(
    {Action.MANAGE_ORGANIZATIONS, Action.MANAGE_MEMBERS, Action.MANAGE_ROLES}
)


def is_administrator(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.is_superuser)


def has_perm(user, organization: Organization, action: Action) -> bool:
    """True if one of the user's roles allowing `action` reaches `organization`."""
    if action in ADMINISTRATOR_ACTIONS and is_administrator(user):
        return True
    allowed = ACTION_ROLES[action]
    return any(
        role in allowed and organization.path.startswith(path) for role, path in user_roles(user)
    )


def has_perm_anywhere(user, action: Action) -> bool:
    if action in ADMINISTRATOR_ACTIONS and is_administrator(user):
        return True
    allowed = ACTION_ROLES[action]
    return any(role in allowed for role, _path in user_roles(user))


def require_perm(user, organization: Organization, action: Action) -> None:
    """Raise PermissionDenied (403) unless the user may do `action` on `organization`."""
    if not has_perm(user, organization, action):
        raise PermissionDenied


def role_required(action: Action):
    """View decorator: log-in required, and a role allowing `action` somewhere (403 otherwise).

    Views that act on one object resolve it through a scoped selector (404 for outsiders) and
    then call `require_perm` on its organization.
    """

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(request, *args, **kwargs):
            if not has_perm_anywhere(request.user, action):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
