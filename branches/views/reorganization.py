"""The reorganization page: one form per kind (merge, split, rename, move), a preview of exactly
what the change will do, and the confirmation that carries out what was previewed."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from branches.models import Reorganization
from branches.permissions import ACTION_ROLES, Action, require_perm
from branches.reorganization import (
    Change,
    questions_for,
    reorganization_carry_out,
    reorganization_preview,
)
from branches.reorganization_forms import FORMS
from branches.selectors import get_organization_for, organizations_visible_to
from web.forms import bound, form_errors_from, picker_answer


@login_required
def reorganize(request, pk, kind):
    organization = get_organization_for(request.user, pk)
    require_perm(request.user, organization, Action.MANAGE_ORGANIZATIONS)
    if kind not in FORMS or not organization.is_active:
        raise Http404
    managed = organizations_visible_to(
        request.user, roles=ACTION_ROLES[Action.MANAGE_ORGANIZATIONS]
    )
    form_class = FORMS[kind]
    asked = questions_for(
        Change(
            kind=kind,
            sources=[organization],
            effective_date=timezone.localdate(),
            decision="",
        )
    )
    form = form_class(*bound(request), organization=organization, managed=managed, questions=asked)
    if answer := picker_answer(request, form):
        return answer
    preview = None
    if request.method == "POST" and form.is_valid():
        change = form.change()
        # The choices left to the user depend on the organizations chosen (a merge's others).
        now_asked = questions_for(change)
        if now_asked != asked:
            form = form_class(
                request.POST, organization=organization, managed=managed, questions=now_asked
            )
            change = form.change() if form.is_valid() else None
        if change is not None:
            try:
                if "confirm" in request.POST:
                    record = reorganization_carry_out(
                        actor=request.user,
                        change=change,
                        fingerprint=request.POST.get("fingerprint", ""),
                    )
                    messages.success(
                        request,
                        _("Đã sắp xếp tổ chức (%(kind)s) theo %(decision)s.")
                        % {"kind": record.get_kind_display().lower(), "decision": record.decision},
                    )
                    after = change.targets[0] if change.kind == "merge" else organization
                    return redirect("branches:organization_detail", pk=after.pk)
                preview = reorganization_preview(actor=request.user, change=change)
            except ValidationError as error:
                form_errors_from(form, error)
    return render(
        request,
        "branches/reorganize.html",
        {
            "organization": organization,
            "form": form,
            "kind": kind,
            "kind_label": Reorganization.Kind(kind).label,
            "preview": preview,
            "split_keys": getattr(form, "assigned", []),
        },
    )
