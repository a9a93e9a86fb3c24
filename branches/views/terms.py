"""The terms of an issuing body: the list anyone who sees the organization may read, and the
entry staff make (from the congress, or from the founding)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from branches import terms
from branches.forms import CongressTermForm
from branches.permissions import Action, has_perm
from branches.selectors import get_organization_for
from partydocs.models import CongressTerm
from partydocs.numbering import term_for
from web.forms import bound, form_errors_from


@login_required
def term_list(request, pk):
    organization = get_organization_for(request.user, pk)
    can_manage = has_perm(request.user, organization, Action.MANAGE_ORGANIZATIONS)
    form = CongressTermForm(*bound(request), initial={"origin": CongressTerm.Origin.CONGRESS})
    if request.method == "POST":
        if not can_manage:
            return redirect("branches:term_list", pk=organization.pk)
        if form.is_valid():
            try:
                term = terms.congress_term_add(
                    actor=request.user, organization=organization, **form.cleaned_data
                )
            except ValidationError as error:
                form_errors_from(form, error)
            else:
                messages.success(request, _("Đã thêm nhiệm kỳ %(label)s.") % {"label": term.label})
                return redirect("branches:term_list", pk=organization.pk)
    return render(
        request,
        "branches/terms.html",
        {
            "organization": organization,
            "terms": terms.terms_of(organization),
            "current_key": term_for(organization, timezone.localdate()),
            "form": form,
            "can_manage": can_manage,
        },
    )


@require_POST
@login_required
def term_remove(request, pk):
    term = get_object_or_404(CongressTerm, pk=pk)
    organization = get_organization_for(request.user, term.organization_id)
    try:
        terms.congress_term_remove(actor=request.user, term=term)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Đã xóa nhiệm kỳ %(label)s.") % {"label": term.label})
    return redirect("branches:term_list", pk=organization.pk)
