"""Evidence per indicator of a registration: upload from a phone or a PC, download, delete."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from branches.forms import bound, form_errors_from
from branches.permissions import Action, has_perm, require_perm
from criteria.models import Indicator
from pledges.selectors import get_registration_for, registrations_visible_to
from reports.forms import EvidenceForm
from reports.models import Evidence
from reports.services import evidence as services
from reports.views.files import private_file


def _evidence_for(user, pk) -> Evidence:
    return get_object_or_404(
        Evidence.objects.filter(registration__in=registrations_visible_to(user)).select_related(
            "registration__organization"
        ),
        pk=pk,
    )


@login_required
def evidence_list(request, registration_pk):
    registration = get_registration_for(request.user, registration_pk)
    plan = registration.plan
    can_edit = (
        has_perm(request.user, registration.organization, Action.ACT_FOR_BRANCH)
        and registration.is_active
    )
    indicators = (
        Indicator.objects.filter(criterion__plan=plan)
        .select_related("criterion")
        .order_by("criterion__order", "order")
    )
    year = timezone.localdate().year
    form = EvidenceForm(
        *bound(request, files=True),
        indicators=indicators,
        years=plan.years,
        initial={
            "year": year if year in plan.years else plan.end_year,
            "indicator": request.GET.get("indicator"),
        },
    )
    if request.method == "POST":
        require_perm(request.user, registration.organization, Action.ACT_FOR_BRANCH)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.evidence_add(
                    actor=request.user,
                    registration=registration,
                    indicator=data["indicator"],
                    year=data["year"],
                    file=data["file"],
                    note=data["note"],
                )
            except ValidationError as error:
                form_errors_from(form, error)
            else:
                messages.success(request, _("Đã lưu minh chứng."))
                return redirect("reports:evidence_list", registration_pk=registration.pk)
    items = list(
        registration.evidence.select_related("indicator__criterion", "uploaded_by")
        .prefetch_related("scores__review")
        .order_by("indicator__criterion__order", "indicator__order", "-uploaded_at")
    )
    for item in items:
        item.frozen = any(s.review.status not in ("draft", "returned") for s in item.scores.all())
    return render(
        request,
        "reports/evidence_list.html",
        {
            "registration": registration,
            "plan": plan,
            "form": form,
            "items": items,
            "can_edit": can_edit,
        },
    )


@login_required
def evidence_file(request, pk):
    evidence = _evidence_for(request.user, pk)
    return private_file(
        evidence.file,
        filename=evidence.original_name or "minh-chung",
        content_type=evidence.content_type or "application/octet-stream",
    )


@require_POST
@login_required
def evidence_delete(request, pk):
    evidence = _evidence_for(request.user, pk)
    require_perm(request.user, evidence.registration.organization, Action.ACT_FOR_BRANCH)
    try:
        services.evidence_delete(actor=request.user, evidence=evidence)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Đã xóa minh chứng."))
    return redirect("reports:evidence_list", registration_pk=evidence.registration_id)
