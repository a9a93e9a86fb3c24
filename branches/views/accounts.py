"""Accounts: the password change that also ends a temporary password, and the members'
accounts a branch's staff create in bulk (issue 17)."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.utils.translation import gettext as _

from branches import services
from branches.models import Member
from branches.permissions import Action, require_perm
from branches.selectors import get_organization_for


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's view; choosing a password ends the temporary one."""

    def form_valid(self, form):
        form.user.must_change_password = False
        return super().form_valid(form)

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "first": self.request.user.must_change_password,
        }


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    def form_valid(self, form):
        form.user.must_change_password = False
        return super().form_valid(form)


@login_required
def member_accounts(request, pk):
    """The branch's members and their accounts; creating the missing ones shows each temporary
    password once (to print or read out), never again."""
    branch = get_organization_for(request.user, pk)
    require_perm(request.user, branch, Action.MANAGE_MEMBERS)
    created = []
    if request.method == "POST":
        try:
            created = services.member_accounts_create(actor=request.user, branch=branch)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            if not created:
                messages.info(request, _("Mọi đảng viên của chi bộ đã có tài khoản."))
    members = list(
        Member.objects.filter(branch=branch, is_active=True)
        .select_related("user")
        .order_by("sort_key", "pk")
    )
    return render(
        request,
        "branches/member_accounts.html",
        {
            "branch": branch,
            "members": members,
            "created": created,
            "missing": sum(1 for m in members if m.user_id is None),
        },
    )
