"""Registration, pledges (fill, sign, accept, return, amend), documents and public verification."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.history import history_rows
from branches.models import Organization
from branches.permissions import Action, has_perm, reached_paths, require_perm
from branches.selectors import organizations_visible_to
from criteria.selectors import criteria_of, get_plan_for
from partydocs.forms import SignForm, signer_from
from partydocs.signing import Evidence
from pledges import services
from pledges.documents import (
    document_context,
    pledge_pdf,
)
from pledges.exports import registrations_export
from pledges.forms import ExtensionForm, LateRegistrationForm, PledgeForm
from pledges.models import DeadlineExtension, Pledge, PledgeCommitment, PledgeTarget
from pledges.selectors import (
    countersignature,
    deadline_for,
    get_pledge_for,
    get_registration_for,
    is_past,
    registration_counts,
    registration_rows,
    signer_signature,
)
from rendering.downloads import attachment
from rendering.exports import export_query, export_response
from rendering.pdf import render_html
from web.forms import bound, form_errors_from
from web.pages import reason_form_page
from web.ratelimits import limit_documents

Kind = DeadlineExtension.Kind


def _target_of(request, plan, org_pk) -> Organization:
    """A target organization of the plan that the user can see (404 otherwise)."""
    return get_object_or_404(
        organizations_visible_to(request.user).filter(pk__in=plan.targets.values("pk")), pk=org_pk
    )


@login_required
def registration_list(request, plan_pk):
    """Who has and has not registered and signed (x/y), with the actions staff may take."""
    plan = get_plan_for(request.user, plan_pk)
    rows = registration_rows(plan)
    if not has_perm(request.user, plan.issuer, Action.VIEW):
        # A branch secretary sees the plan through their branch, and only their branch's row.
        paths = reached_paths(request.user)
        rows = [r for r in rows if any(r["organization"].path.startswith(p) for p in paths)]
    for row in rows:
        row["can_act"] = has_perm(request.user, row["organization"], Action.ACT_FOR_BRANCH)
    return render(
        request,
        "pledges/registration_list.html",
        {
            "plan": plan,
            "rows": rows,
            "counts": registration_counts(rows),
            "can_manage": has_perm(request.user, plan.issuer, Action.MANAGE_PLANS)
            and not plan.is_closed,
            "registration_open": not is_past(plan.registration_deadline),
        },
    )


@login_required
@limit_documents
def registration_list_export(request, plan_pk, fmt):
    if fmt not in ("pdf", "xlsx"):
        raise Http404
    return export_response(
        registrations_export(request.user, export_query(request.GET, plan=plan_pk), fmt)
    )


@login_required
def register(request, plan_pk, org_pk):
    plan = get_plan_for(request.user, plan_pk)
    organization = _target_of(request, plan, org_pk)
    require_perm(request.user, organization, Action.ACT_FOR_BRANCH)
    deadline = deadline_for(plan, organization, Kind.REGISTRATION)
    late = is_past(deadline)
    form = LateRegistrationForm(*bound(request))
    if request.method == "POST" and form.is_valid():
        try:
            registration = services.registration_register(
                actor=request.user,
                plan=plan,
                organization=organization,
                late_reason=form.cleaned_data["late_reason"],
            )
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(
                request, _("%(name)s đã đăng ký xây dựng mô hình.") % {"name": organization.name}
            )
            return redirect(
                "pledges:pledge_detail", pk=registration.pledges.order_by("-version").first().pk
            )
    return render(
        request,
        "pledges/register.html",
        {
            "plan": plan,
            "organization": organization,
            "form": form,
            "late": late,
            "deadline": deadline,
        },
    )


@login_required
def withdraw(request, pk):
    registration = get_registration_for(request.user, pk)
    require_perm(request.user, registration.organization, Action.ACT_FOR_BRANCH)
    return reason_form_page(
        request,
        act=lambda reason: services.registration_withdraw(
            actor=request.user, registration=registration, reason=reason
        ),
        done=_("Đã rút đăng ký."),
        back=reverse("pledges:registration_list", args=[registration.plan_id]),
        title=_("Rút đăng ký"),
        subject=registration,
    )


@login_required
def extend(request, plan_pk, org_pk):
    plan = get_plan_for(request.user, plan_pk)
    organization = _target_of(request, plan, org_pk)
    require_perm(request.user, plan.issuer, Action.MANAGE_PLANS)
    form = ExtensionForm(*bound(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.deadline_extend(
                actor=request.user, plan=plan, organization=organization, **form.cleaned_data
            )
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("Đã gia hạn cho %(name)s.") % {"name": organization.name})
            return redirect("pledges:registration_list", plan_pk=plan.pk)
    return render(
        request,
        "includes/reason_form.html",
        {
            "form": form,
            "title": _("Gia hạn cho %(name)s") % {"name": organization.name},
            "subject": plan,
            "back": reverse("pledges:registration_list", args=[plan.pk]),
        },
    )


@login_required
def pledge_detail(request, pk):
    pledge = get_pledge_for(request.user, pk)
    registration = pledge.registration
    organization, plan = registration.organization, registration.plan
    content, seen_hash = services.preview_content(pledge, request.user)
    signer, counter = signer_signature(pledge), countersignature(pledge)
    can_act = has_perm(request.user, organization, Action.ACT_FOR_BRANCH) and registration.is_active
    can_decide = has_perm(request.user, plan.issuer, Action.DECIDE)
    versions = registration.pledges.order_by("-version")
    return render(
        request,
        "pledges/pledge_detail.html",
        {
            "pledge": pledge,
            "registration": registration,
            "plan": plan,
            "organization": organization,
            "content": content,
            "content_hash": seen_hash,
            "signer": signer,
            "counter": counter,
            "versions": versions,
            "can_edit": can_act and pledge.is_draft,
            "can_sign": has_perm(request.user, organization, Action.SIGN_FOR_BRANCH)
            and pledge.is_draft
            and registration.is_active,
            "can_decide": can_decide
            and pledge.status == Pledge.Status.SIGNED
            and registration.is_active,
            "can_amend": can_act
            and pledge.status
            in (Pledge.Status.SIGNED, Pledge.Status.ACCEPTED, Pledge.Status.RETURNED)
            and not versions.filter(status=Pledge.Status.DRAFT).exists(),
            "can_withdraw": can_act,
            "missing": services.missing_targets(pledge) if pledge.is_draft else [],
            "signing_deadline": deadline_for(plan, organization, Kind.SIGNING),
            "show_evidence": has_perm(request.user, organization, Action.VIEW),
        },
    )


@login_required
def pledge_edit(request, pk):
    pledge = get_pledge_for(request.user, pk)
    require_perm(request.user, pledge.registration.organization, Action.ACT_FOR_BRANCH)
    if not pledge.is_draft:
        messages.error(request, _("Bản cam kết đã ký thì không sửa được; hãy tạo bản sửa đổi."))
        return redirect("pledges:pledge_detail", pk=pledge.pk)
    criteria = criteria_of(pledge.registration.plan)
    form = PledgeForm(*bound(request), criteria=criteria, pledge=pledge)
    if request.method == "POST" and form.is_valid():
        try:
            services.pledge_save(
                actor=request.user,
                pledge=pledge,
                targets=form.targets(),
                commitments=form.commitments(),
            )
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("Đã lưu bản cam kết (dự thảo)."))
            return redirect("pledges:pledge_detail", pk=pledge.pk)
    return render(
        request,
        "pledges/pledge_form.html",
        {"form": form, "pledge": pledge, "registration": pledge.registration},
    )


@login_required
def pledge_preview(request, pk):
    """The document exactly as it will be signed (or as it was signed), for the signing page."""
    pledge = get_pledge_for(request.user, pk)
    content, _hash = services.preview_content(pledge, request.user)
    html = render_html(
        "pledges/pdf/pledge.html",
        {
            **document_context(pledge, content),
            "screen": True,
            "csp_nonce": str(request.csp_nonce),  # the preview's own <style> block
        },
    )
    response = HttpResponse(html)
    response.headers["X-Frame-Options"] = "SAMEORIGIN"  # shown only inside our own signing page
    return response


def _signing_page(request, pledge, *, title, action_url, form, seen_hash, countersign):
    registration = pledge.registration
    return render(
        request,
        "includes/sign.html",
        {
            "form": form,
            "title": title,
            "subtitle": _("%(org)s — lần %(n)s, Kế hoạch số %(number)s")
            % {
                "org": registration.organization.name,
                "n": pledge.version,
                "number": registration.plan.number,
            },
            "action_url": action_url,
            "back_url": reverse("pledges:pledge_detail", args=[pledge.pk]),
            "button": _("Ký xác nhận") if countersign else _("Ký cam kết"),
            "content_hash": seen_hash,
            "preview_url": reverse("pledges:pledge_preview", args=[pledge.pk]),
        },
    )


@login_required
def pledge_sign(request, pk):
    pledge = get_pledge_for(request.user, pk)
    require_perm(request.user, pledge.registration.organization, Action.SIGN_FOR_BRANCH)
    already = signer_signature(pledge)
    if already is not None and already.user_id == request.user.pk and request.method == "POST":
        # The second click of a double click: the pledge is signed, show it.
        return redirect("pledges:pledge_detail", pk=pledge.pk)
    if not pledge.is_draft:
        messages.info(request, _("Bản cam kết này đã được ký."))
        return redirect("pledges:pledge_detail", pk=pledge.pk)
    _content, seen_hash = services.preview_content(pledge, request.user)
    form = SignForm(*bound(request), initial={"content_hash": seen_hash})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            signature = services.pledge_sign(
                signer=signer_from(request, data),
                evidence=Evidence.from_request(request),
                pledge=pledge,
                seen_hash=data["content_hash"],
            )
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(
                request, _("Đã ký bản cam kết. Mã xác minh: %(code)s") % {"code": signature.code}
            )
            return redirect("pledges:pledge_detail", pk=pledge.pk)
    return _signing_page(
        request,
        pledge,
        title=_("Ký bản cam kết"),
        action_url=reverse("pledges:pledge_sign", args=[pledge.pk]),
        form=form,
        seen_hash=seen_hash,
        countersign=False,
    )


@login_required
def pledge_accept(request, pk):
    pledge = get_pledge_for(request.user, pk)
    require_perm(request.user, pledge.registration.plan.issuer, Action.DECIDE)
    already = countersignature(pledge)
    if already is not None and already.user_id == request.user.pk and request.method == "POST":
        return redirect("pledges:pledge_detail", pk=pledge.pk)
    if pledge.status != Pledge.Status.SIGNED:
        messages.info(request, _("Chỉ xác nhận được bản cam kết đã ký và đang chờ xác nhận."))
        return redirect("pledges:pledge_detail", pk=pledge.pk)
    _content, seen_hash = services.preview_content(pledge, request.user)
    form = SignForm(*bound(request), initial={"content_hash": seen_hash})
    form.fields.pop("drawing")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.pledge_countersign(
                signer=signer_from(request, data),
                evidence=Evidence.from_request(request),
                pledge=pledge,
                seen_hash=data["content_hash"],
            )
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("Đã xác nhận bản cam kết."))
            return redirect("pledges:pledge_detail", pk=pledge.pk)
    return _signing_page(
        request,
        pledge,
        title=_("Xác nhận bản cam kết"),
        action_url=reverse("pledges:pledge_accept", args=[pledge.pk]),
        form=form,
        seen_hash=seen_hash,
        countersign=True,
    )


@login_required
def pledge_return(request, pk):
    pledge = get_pledge_for(request.user, pk)
    require_perm(request.user, pledge.registration.plan.issuer, Action.DECIDE)
    return reason_form_page(
        request,
        act=lambda reason: services.pledge_return(actor=request.user, pledge=pledge, reason=reason),
        done=_("Đã trả lại bản cam kết để sửa."),
        back=reverse("pledges:pledge_detail", args=[pledge.pk]),
        title=_("Trả lại bản cam kết"),
        subject=pledge,
    )


@require_POST
@login_required
def pledge_amend(request, pk):
    pledge = get_pledge_for(request.user, pk)
    require_perm(request.user, pledge.registration.organization, Action.ACT_FOR_BRANCH)
    try:
        draft = services.pledge_amend(actor=request.user, pledge=pledge)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("pledges:pledge_detail", pk=pledge.pk)
    messages.success(request, _("Đã tạo bản sửa đổi lần %(n)s.") % {"n": draft.version})
    return redirect("pledges:pledge_edit", pk=draft.pk)


@login_required
@limit_documents
def pledge_pdf_view(request, pk):
    pledge = get_pledge_for(request.user, pk)
    document = pledge_pdf(pledge, viewer=request.user)
    return attachment(
        document.content, filename=document.filename, content_type=document.content_type
    )


@login_required
def pledge_history(request, pk):
    pledge = get_pledge_for(request.user, pk)
    records = history_rows(
        pledge.history.select_related("history_user")[:200],
        PledgeTarget.history.filter(pledge_id=pledge.pk).select_related("history_user")[:500],
        PledgeCommitment.history.filter(pledge_id=pledge.pk).select_related("history_user")[:200],
        pledge.registration.history.select_related("history_user")[:200],
    )
    return render(
        request,
        "branches/history.html",
        {"object": pledge, "records": records, "back": reverse("pledges:pledge_detail", args=[pk])},
    )
