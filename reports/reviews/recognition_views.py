"""Outstanding collectives and individuals, and the recognition decision."""

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from branches.models import Member, Organization
from branches.permissions import Action, has_perm, require_perm
from criteria.selectors import get_plan_for
from partydocs.word import DOCX_CONTENT_TYPE
from pledges.models import Registration
from rendering.downloads import attachment
from reports.reviews import recognition as services
from reports.reviews.documents import decision_certificates_pdf, decision_docx, decision_pdf
from reports.reviews.forms import DecisionForm, NominationForm
from reports.reviews.models import Nomination, RecognitionDecision
from reports.reviews.recognition import recognized_reviews
from reports.reviews.selectors import get_decision_for, get_nomination_for
from reports.reviews.views import round_and_year
from web.forms import ReasonForm, bound, form_errors_from, picker_answer
from web.ratelimits import limit_documents


@login_required
def recognition(request, plan_pk):
    plan = get_plan_for(request.user, plan_pk)
    require_perm(request.user, plan.issuer, Action.VIEW)
    _round, year = round_and_year(request, plan)
    registered = Registration.objects.filter(
        plan=plan, year=year, status=Registration.Status.REGISTERED
    )
    organizations = Organization.objects.filter(pk__in=registered.values("organization")).order_by(
        "path"
    )
    members = (
        Member.objects.filter(is_active=True, branch__in=organizations)
        .select_related("branch")
        .order_by("sort_key")
    )
    form = NominationForm(*bound(request), organizations=organizations, members=members)
    if answer := picker_answer(request, form):
        return answer
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.nomination_propose(
                actor=request.user,
                plan=plan,
                year=year,
                kind=data["kind"],
                reason=data["reason"],
                organization=data["organization"],
                member=data["member"],
            )
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("Đã ghi đề nghị."))
            return redirect(reverse("reports:recognition", args=[plan.pk]) + f"?year={year}")
    decision = RecognitionDecision.objects.filter(plan=plan, year=year).first()
    can_decide = has_perm(request.user, plan.issuer, Action.DECIDE)
    decision_form = (
        DecisionForm(initial={"issue_date": timezone.localdate(), "signer_name": plan.signer_name})
        if can_decide and decision is None
        else None
    )
    nominations = list(
        Nomination.objects.filter(plan=plan, year=year)
        .select_related("organization", "member__branch", "plan")
        .order_by("kind", "status")
    )
    issued = decision is not None and decision.status == RecognitionDecision.Status.ISSUED
    for nomination in nominations:
        nomination.eligibility = services.nomination_eligibility(nomination)
        nomination.open = not issued and nomination.status != Nomination.Status.WITHDRAWN
    return render(
        request,
        "reports/recognition.html",
        {
            "plan": plan,
            "year": year,
            "form": form,
            "nominations": nominations,
            "recognized": recognized_reviews(plan, year),
            "decision": decision,
            "decision_form": decision_form,
            "can_decide": can_decide,
        },
    )


@require_POST
@login_required
def nomination_decide(request, pk):
    nomination = get_nomination_for(request.user, pk)
    back = reverse("reports:recognition", args=[nomination.plan_id]) + f"?year={nomination.year}"
    form = ReasonForm(request.POST)
    if not form.is_valid():  # a NUL byte or the like: refused before it reaches the database
        messages.error(request, " ".join(m for errors in form.errors.values() for m in errors))
        return redirect(back)
    reason = form.cleaned_data["reason"][:1000]
    try:
        if request.POST.get("approve") == "withdraw":
            services.nomination_withdraw(actor=request.user, nomination=nomination, reason=reason)
        else:
            services.nomination_decide(
                actor=request.user,
                nomination=nomination,
                approve=request.POST.get("approve") == "1",
                reason=reason,
            )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(back)


@require_POST
@login_required
def decision_create(request, plan_pk):
    plan = get_plan_for(request.user, plan_pk)
    require_perm(request.user, plan.issuer, Action.DECIDE)
    posted = request.POST.get("year", "")
    year = int(posted) if re.fullmatch(r"[0-9]{4}", posted) else None
    if year not in plan.years:
        messages.error(
            request,
            _("Năm %(year)s không thuộc thời gian thực hiện kế hoạch.") % {"year": posted[:12]},
        )
        return redirect(reverse("reports:recognition", args=[plan.pk]))
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            services.decision_create(actor=request.user, plan=plan, year=year, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    else:
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
    return redirect(reverse("reports:recognition", args=[plan.pk]) + f"?year={year}")


@require_POST
@login_required
def decision_issue(request, pk):
    decision = get_decision_for(request.user, pk)
    if not has_perm(request.user, decision.plan.issuer, Action.DECIDE):
        raise PermissionDenied
    try:
        services.decision_issue(actor=request.user, decision=decision)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("Đã ban hành Quyết định số %(number)s.") % {"number": decision.number}
        )
    return redirect(
        reverse("reports:recognition", args=[decision.plan_id]) + f"?year={decision.year}"
    )


@login_required
@limit_documents
def decision_document(request, pk):
    decision = get_decision_for(request.user, pk)
    document = decision_pdf(decision)
    return attachment(
        document.content, filename=document.filename, content_type=document.content_type
    )


@login_required
@limit_documents
def decision_certificates(request, pk):
    """The giấy khen of the decision's outstanding collectives and members, one PDF."""
    decision = get_decision_for(request.user, pk)
    try:
        document = decision_certificates_pdf(decision)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(
            reverse("reports:recognition", args=[decision.plan_id]) + f"?year={decision.year}"
        )
    return attachment(
        document.content, filename=document.filename, content_type=document.content_type
    )


@login_required
@limit_documents
def decision_word(request, pk):
    """The decision as Word, for the office to finish (the PDF stays the record)."""
    decision = get_decision_for(request.user, pk)
    return attachment(
        decision_docx(decision),
        filename=f"Quyet-dinh-{decision.number.replace('/', '-')}.docx",
        content_type=DOCX_CONTENT_TYPE,
    )
