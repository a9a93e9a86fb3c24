"""Pledges: fill, sign, accept, return, amend or discard an amendment, the document and the
history (registration is pledges.registration_views)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.history import history_rows
from branches.permissions import Action, has_perm, require_perm
from criteria.selectors import criteria_of
from partydocs.forms import SignForm, signer_from
from partydocs.signing import Evidence
from pledges import services
from pledges.documents import (
    document_context,
    pledge_pdf,
)
from pledges.forms import PledgeForm
from pledges.models import DeadlineExtension, Pledge, PledgeCommitment, PledgeTarget
from pledges.registration_views import extend_url
from pledges.selectors import (
    countersignature,
    deadline_for,
    deadline_status,
    get_pledge_for,
    is_past,
    signer_signature,
)
from rendering.downloads import attachment
from rendering.pdf import render_html
from vietnamese.dates import short_date
from web.forms import bound, form_errors_from
from web.pages import reason_form_page
from web.ratelimits import limit_documents

Kind = DeadlineExtension.Kind


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
    deadline = (
        deadline_status(plan, organization, Kind.SIGNING, registration.year)
        if pledge.is_draft and registration.is_active
        else None
    )
    may_sign = has_perm(request.user, organization, Action.SIGN_FOR_BRANCH)
    # The version this draft answers, when the committee returned it: its reason stays in view.
    answers = (
        versions.filter(version__lt=pledge.version, status=Pledge.Status.RETURNED).first()
        if pledge.is_draft
        else None
    )
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
            "can_sign": may_sign
            and pledge.is_draft
            and registration.is_active
            and not (deadline and deadline.late),
            "deadline": deadline,
            "extend_url": extend_url(request, plan, organization, Kind.SIGNING),
            "can_decide": can_decide
            and pledge.status == Pledge.Status.SIGNED
            and registration.is_active,
            "can_amend": can_act
            and pledge.status
            in (Pledge.Status.SIGNED, Pledge.Status.ACCEPTED, Pledge.Status.RETURNED)
            and not versions.filter(status=Pledge.Status.DRAFT).exists(),
            "can_withdraw": can_act,
            "can_discard": can_act and pledge.is_draft and pledge.version > 1,
            "answers": answers,
            "missing": services.missing_targets(pledge) if pledge.is_draft else [],
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
    registration = pledge.registration
    return render(
        request,
        "pledges/pledge_form.html",
        {
            "form": form,
            "pledge": pledge,
            "registration": registration,
            "answers": registration.pledges.filter(
                version__lt=pledge.version, status=Pledge.Status.RETURNED
            )
            .order_by("-version")
            .first(),
            "deadline": deadline_status(
                registration.plan, registration.organization, Kind.SIGNING, registration.year
            ),
            "extend_url": extend_url(
                request, registration.plan, registration.organization, Kind.SIGNING
            ),
        },
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
    plan, organization = registration.plan, registration.organization
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
            # The deadline, before the signer types anything (none for the countersignature).
            "deadline": None
            if countersign
            else deadline_status(plan, organization, Kind.SIGNING, registration.year),
            "extend_url": extend_url(request, plan, organization, Kind.SIGNING),
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
        button=_("Trả lại để sửa"),
        danger=True,
        explain=_return_explanation(pledge),
    )


def _return_explanation(pledge) -> str:
    """What returning does, said before it is done — and, after the signing deadline, that the
    branch can sign again only once the committee's staff extend it."""
    registration = pledge.registration
    text = _(
        "Bản cam kết lần %(n)s sẽ không được xác nhận: bí thư chi bộ nhận thư kèm lý do, sửa thành bản sửa đổi lần %(next)s và ký lại."
    ) % {"n": pledge.version, "next": pledge.version + 1}
    deadline = deadline_for(
        registration.plan, registration.organization, Kind.SIGNING, registration.year
    )
    if is_past(deadline):
        text += " " + _(
            "Hạn ký cam kết (%(date)s) đã qua: chi bộ chỉ ký lại được khi văn phòng cấp ủy gia hạn cho chi bộ."
        ) % {"date": short_date(deadline)}
    return text


@login_required
def pledge_amend(request, pk):
    """An amendment, asked first: the page says what will happen (a new draft copying this
    version, which stays in force until the amendment is signed; the signing deadline; that the
    draft can be discarded) and the draft is made only when that is confirmed."""
    pledge = get_pledge_for(request.user, pk)
    registration = pledge.registration
    require_perm(request.user, registration.organization, Action.ACT_FOR_BRANCH)
    if request.method != "POST":
        return render(
            request,
            "pledges/amend_confirm.html",
            {
                "pledge": pledge,
                "registration": registration,
                "next_version": registration.pledges.order_by("-version").first().version + 1,
                "in_force": pledge.status in (Pledge.Status.SIGNED, Pledge.Status.ACCEPTED),
                "deadline": deadline_status(
                    registration.plan, registration.organization, Kind.SIGNING, registration.year
                ),
                "extend_url": extend_url(
                    request, registration.plan, registration.organization, Kind.SIGNING
                ),
            },
        )
    try:
        draft = services.pledge_amend(actor=request.user, pledge=pledge)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("pledges:pledge_detail", pk=pledge.pk)
    messages.success(request, _("Đã tạo bản sửa đổi lần %(n)s.") % {"n": draft.version})
    return redirect("pledges:pledge_edit", pk=draft.pk)


@require_POST
@login_required
def pledge_discard(request, pk):
    """Discard a draft amendment (asked first, on the pledge's page); back to the newest
    version left."""
    pledge = get_pledge_for(request.user, pk)
    require_perm(request.user, pledge.registration.organization, Action.ACT_FOR_BRANCH)
    version = pledge.version
    try:
        older = services.pledge_discard(actor=request.user, pledge=pledge)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("pledges:pledge_detail", pk=pledge.pk)
    messages.success(request, _("Đã hủy bản sửa đổi lần %(n)s.") % {"n": version})
    return redirect("pledges:pledge_detail", pk=older.pk)


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
