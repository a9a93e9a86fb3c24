from branches.permissions import Action, has_perm_anywhere


def roles(request):
    """What the navigation may offer this user (links to pages they would be refused are hidden)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "nav": {
            "view": has_perm_anywhere(user, Action.VIEW),
            "manage_roles": has_perm_anywhere(user, Action.MANAGE_ROLES),
        }
    }
