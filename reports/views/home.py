from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from branches.models import RoleAssignment


@login_required
def home(request):
    """The start page: the user's roles, each with the organization it reaches."""
    assignments = (
        RoleAssignment.objects.filter(user=request.user, organization__is_active=True)
        .select_related("organization")
        .order_by("organization__path", "role")
    )
    return render(request, "reports/home.html", {"assignments": assignments})
