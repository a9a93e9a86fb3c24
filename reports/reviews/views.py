"""Reviews: the plan's overview (calibration), the branch's self-assessment and its signed
submission, the committee's assessment, the leader's finalization, and the sheets."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.history import history_rows
from branches.permissions import Action, has_perm, require_perm
from criteria.rules import Level, rules_for_year
from criteria.selectors import get_plan_for
from partydocs import signing
from partydocs.forms import SignForm, signer_from
from partydocs.signing import canonical_json, content_hash
from pledges.selectors import deadline_status, get_registration_for
from rendering.downloads import attachment, xlsx_response
from rendering.exports import export_query, export_response
from rendering.pdf import render_html
from reports.meetings.models import Evidence
from reports.ratings.selectors import quality_levels
from reports.reviews import services
from reports.reviews.documents import (
    assessment_pdf,
    review_xlsx,
    self_assessment_content,
    self_assessment_context,
    self_assessment_pdf,
)
from reports.reviews.exports import reviews_export
from reports.reviews.forms import AssessmentForm, FinalizeForm, SelfAssessmentForm
from reports.reviews.models import Review, ReviewScore
from reports.reviews.selectors import (
    calibration_for,
    compute_result,
    get_review_for,
    review_sheet,
    round_and_year_from,
    undecided_members,
)
from vietnamese.text import fold
from web.forms import bound, form_errors_from
from web.pages import reason_form_page, remember_year, working_year
from web.ratelimits import limit_documents

# The review statuses in the order of the work, "none" (not opened) first.
STATUS_ORDER = ["none", *Review.Status.values]

REVIEWS_PAGE_SIZE = 100


def _status_of(row) -> str:
    return row.review.status if row.review else "none"


ROW_SORTS = {
    "name": lambda row: fold(row.registration.organization.name),
    "status": lambda row: (STATUS_ORDER.index(_status_of(row)), row.registration.organization.path),
    "difference": lambda row: -abs(row.difference) if row.difference is not None else 0,
}


def round_and_year(request, plan):
    """The round and year a plan's page shows: the query's, else the plan's year in progress
    (the year the user works on when the plan has none); the year shown is remembered."""
    round, year = round_and_year_from(request.GET, plan, fallback_year=working_year(request))
    remember_year(request, year)
    return round, year


@login_required
def plan_reviews(request, plan_pk):
    """Every registered organization for one round: where the reviews stand, the distribution of
    results, the caps and the outliers, before the results are locked."""
    plan = get_plan_for(request.user, plan_pk)
    round, year = round_and_year(request, plan)
    if request.GET.get("format") == "xlsx":
        return export_response(
            reviews_export(request.user, export_query(request.GET, plan=plan.pk), "xlsx")
        )
    data = calibration_for(request.user, plan, year, round)
    # Filtered by status and sorted as asked (the counts above stay those of every row).
    status = request.GET.get("status", "")
    if status in STATUS_ORDER:
        data["rows"] = [row for row in data["rows"] if _status_of(row) == status]
    else:
        status = ""
    sort = request.GET.get("sort", "")
    if sort in ROW_SORTS:
        data["rows"].sort(key=ROW_SORTS[sort])
    # A page of rows at a time (a block committee's plan reaches thousands of branches); the
    # counts, the distribution and the Excel file cover every row.
    page = Paginator(data["rows"], REVIEWS_PAGE_SIZE).get_page(request.GET.get("page"))
    for row in page.object_list:
        row.can_act = has_perm(request.user, row.registration.organization, Action.ACT_FOR_BRANCH)
    return render(
        request,
        "reports/plan_reviews.html",
        {
            "plan": plan,
            "round": round,
            "year": year,
            "rounds": [
                r
                for r in Review.Round.choices
                if r[0] == Review.Round.FINAL or plan.interim_review_deadline
            ],
            "data": data,
            "page": page,
            "is_committee": has_perm(request.user, plan.issuer, Action.VIEW),
            "status": status,
            "sort": sort if sort in ROW_SORTS else "",
            "statuses": [("none", _("Chưa tự đánh giá")), *Review.Status.choices],
        },
    )


@require_POST
@login_required
def review_open(request, registration_pk):
    registration = get_registration_for(request.user, registration_pk)
    require_perm(request.user, registration.organization, Action.ACT_FOR_BRANCH)
    try:
        review = services.review_open(
            actor=request.user,
            registration=registration,
            year=int(request.POST.get("year", 0)),
            round=request.POST.get("round", ""),
        )
    except (ValidationError, ValueError) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        return redirect("pledges:registration_list", plan_pk=registration.plan_id)
    return redirect("reports:review_detail", pk=review.pk)


def _deadline(request, review):
    """The submission deadline of a draft self-assessment, before anyone types or signs; after
    it, who can extend it (a returned self-assessment may be submitted again at any time)."""
    if review.status != Review.Status.DRAFT:
        return {"deadline": None, "extend_url": ""}
    registration = review.registration
    plan, organization = registration.plan, registration.organization
    kind = services.Kind[review.round]
    extend_url = ""
    if has_perm(request.user, plan.issuer, Action.MANAGE_PLANS):
        extend_url = (
            reverse("pledges:extend", args=[plan.pk, organization.pk])
            + f"?kind={kind}&next={request.path}"
        )
    return {
        "deadline": deadline_status(plan, organization, kind, review.year),
        "extend_url": extend_url,
    }


def _capabilities(user, review, deadline=None):
    organization, issuer = review.registration.organization, review.registration.plan.issuer
    active = review.registration.is_active
    late = bool(deadline and deadline.late)
    return {
        "can_edit": active
        and review.editable_by_branch
        and has_perm(user, organization, Action.ACT_FOR_BRANCH),
        "can_submit": active
        and review.editable_by_branch
        and not late
        and has_perm(user, organization, Action.SIGN_FOR_BRANCH),
        "can_assess": review.status in (Review.Status.SUBMITTED, Review.Status.ASSESSED)
        and has_perm(user, issuer, Action.ASSESS),
        "can_finalize": review.status == Review.Status.ASSESSED
        and has_perm(user, issuer, Action.DECIDE),
    }


@login_required
def review_detail(request, pk):
    review = get_review_for(request.user, pk)
    sheet = review_sheet(review)
    deadline = _deadline(request, review)
    return render(
        request,
        "reports/review_detail.html",
        {
            "review": review,
            "sheet": sheet,
            "registration": review.registration,
            "signatures": review.signatures.order_by("-sequence"),
            "self_total": sheet.total("self_score"),
            "assessed_total": sheet.total("assessed_score"),
            "quality": _quality(review),
            "quality_rules": rules_for_year(review.year),
            **deadline,
            **_capabilities(request.user, review, deadline["deadline"]),
        },
    )


def _quality(review: Review) -> Level | None:
    """The organization's decided quality rating for the review's year (shown beside the
    model's result, never derived from it)."""
    level = quality_levels([review.registration.organization_id], review.year).get(
        review.registration.organization_id
    )
    return Level(level) if level else None


@login_required
def review_self(request, pk):
    review = get_review_for(request.user, pk)
    require_perm(request.user, review.registration.organization, Action.ACT_FOR_BRANCH)
    if not review.editable_by_branch:
        messages.error(request, _("Bản tự đánh giá đã nộp; chỉ sửa được khi cấp ủy trả lại."))
        return redirect("reports:review_detail", pk=review.pk)
    sheet = review_sheet(review)
    evidence = {}
    for item in Evidence.objects.filter(
        registration=review.registration, year=review.year
    ).order_by("uploaded_at"):
        evidence.setdefault(item.indicator_id, []).append(item)
    form = SelfAssessmentForm(*bound(request), sheet=sheet, evidence_by_indicator=evidence)
    if request.method == "POST" and form.is_valid():
        try:
            services.review_save_self(actor=request.user, review=review, rows=form.rows())
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("Đã lưu bản tự đánh giá."))
            return redirect("reports:review_detail", pk=review.pk)
    return render(
        request,
        "reports/review_self.html",
        {"review": review, "sheet": sheet, "form": form, **_deadline(request, review)},
    )


@login_required
def review_preview(request, pk):
    review = get_review_for(request.user, pk)
    content, signature = self_assessment_content(review, review_sheet(review), request.user)
    html = render_html(
        "reports/pdf/self_assessment.html",
        {
            **self_assessment_context(content, signature, draft=signature is None),
            "screen": True,
            "csp_nonce": str(request.csp_nonce),  # the preview's own <style> block
        },
    )
    response = HttpResponse(html)
    response.headers["X-Frame-Options"] = "SAMEORIGIN"
    return response


@login_required
def review_submit(request, pk):
    review = get_review_for(request.user, pk)
    require_perm(request.user, review.registration.organization, Action.SIGN_FOR_BRANCH)
    if not review.editable_by_branch:
        if request.method == "POST":
            return redirect(
                "reports:review_detail", pk=review.pk
            )  # the second click of a double click
        messages.info(request, _("Bản tự đánh giá đã được nộp."))
        return redirect("reports:review_detail", pk=review.pk)
    content, _signature = self_assessment_content(review, review_sheet(review), request.user)
    seen_hash = content_hash(canonical_json(content))
    form = SignForm(*bound(request), initial={"content_hash": seen_hash})
    form.fields.pop("drawing")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            signature = services.review_submit(
                signer=signer_from(request, data),
                evidence=signing.Evidence.from_request(request),
                review=review,
                seen_hash=data["content_hash"],
            )
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(
                request,
                _("Đã ký và nộp bản tự đánh giá. Mã xác minh: %(code)s") % {"code": signature.code},
            )
            return redirect("reports:review_detail", pk=review.pk)
    registration = review.registration
    return render(
        request,
        "includes/sign.html",
        {
            "form": form,
            "title": _("Ký và nộp bản tự đánh giá"),
            "subtitle": _("%(org)s — %(round)s năm %(year)s")
            % {
                "org": registration.organization.name,
                "round": review.get_round_display().lower(),
                "year": review.year,
            },
            "action_url": reverse("reports:review_submit", args=[review.pk]),
            "back_url": reverse("reports:review_detail", args=[review.pk]),
            "button": _("Ký và nộp"),
            "content_hash": seen_hash,
            "preview_url": reverse("reports:review_preview", args=[review.pk]),
            **_deadline(request, review),
        },
    )


@login_required
def review_return(request, pk):
    review = get_review_for(request.user, pk)
    require_perm(request.user, review.registration.plan.issuer, Action.ASSESS)
    return reason_form_page(
        request,
        act=lambda reason: services.review_return(actor=request.user, review=review, reason=reason),
        done=_("Đã trả lại bản tự đánh giá để sửa."),
        back=reverse("reports:review_detail", args=[review.pk]),
        title=_("Trả lại bản tự đánh giá"),
        subject=review,
        button=_("Trả lại để sửa"),
        danger=True,
        explain=_(
            "Bản tự đánh giá trở lại cho chi bộ sửa, rồi bí thư ký và nộp lại (kể cả khi đã quá hạn nộp). Điểm thẩm định đã nhập được giữ; bản đã ký trước đó vẫn được lưu."
        ),
    )


@login_required
def review_assess(request, pk):
    review = get_review_for(request.user, pk)
    require_perm(request.user, review.registration.plan.issuer, Action.ASSESS)
    sheet = review_sheet(review)
    form = AssessmentForm(*bound(request), sheet=sheet, initial={"revision": review.revision})
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            services.review_assess(
                actor=request.user,
                review=review,
                rows=form.rows(),
                revision=form.cleaned_data["revision"],
            )
        except services.Conflict as error:
            conflict = error.messages[0]
            # Show what the other person saved beside what this person typed (kept in the form).
            review = Review.objects.get(pk=review.pk)
            sheet = review_sheet(review)
            data = request.POST.copy()
            data["revision"] = review.revision
            form = AssessmentForm(data, sheet=sheet)
            form.is_valid()
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("Đã lưu phần thẩm định."))
            return redirect("reports:review_detail", pk=review.pk)
    return render(
        request,
        "reports/review_assess.html",
        {"review": review, "sheet": sheet, "form": form, "conflict": conflict},
    )


@login_required
def review_finalize(request, pk):
    review = get_review_for(request.user, pk)
    require_perm(request.user, review.registration.plan.issuer, Action.DECIDE)
    if review.finalized:
        messages.info(request, _("Kết quả đã được chốt."))
        return redirect("reports:review_detail", pk=review.pk)
    sheet = review_sheet(review)
    form = FinalizeForm(*bound(request))
    if request.method == "POST" and form.is_valid() and "preview" not in request.POST:
        try:
            services.review_finalize(actor=request.user, review=review)
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("Đã chốt kết quả."))
            return redirect("reports:review_detail", pk=review.pk)
    missing = [row.code for row in sheet.rows if row.score.assessed_score is None]
    result = None if missing else compute_result(sheet)
    return render(
        request,
        "reports/review_finalize.html",
        {
            "review": review,
            "sheet": sheet,
            "form": form,
            "result": result,
            "missing": missing,
            "organization": review.registration.organization,
            "undecided": len(undecided_members(review)),
        },
    )


@login_required
@limit_documents
def review_document(request, pk, sheet_name, fmt):
    review = get_review_for(request.user, pk)
    sheet = review_sheet(review)
    if fmt == "xlsx":
        return xlsx_response(
            review_xlsx(review, sheet),
            filename=f"Danh-gia-{review.round}-{review.year}-{sheet.organization.code}.xlsx",
        )
    if fmt != "pdf" or sheet_name not in ("self", "assessment"):
        raise Http404
    if sheet_name == "assessment" and review.status in (
        Review.Status.DRAFT,
        Review.Status.RETURNED,
        Review.Status.SUBMITTED,
    ):
        raise Http404
    document = (
        self_assessment_pdf(review, sheet, request.user)
        if sheet_name == "self"
        else assessment_pdf(review, sheet)
    )
    return attachment(
        document.content, filename=document.filename, content_type=document.content_type
    )


@login_required
def review_history(request, pk):
    review = get_review_for(request.user, pk)
    records = history_rows(
        review.history.select_related("history_user")[:200],
        ReviewScore.history.filter(review_id=review.pk).select_related("history_user")[:1000],
    )
    return render(
        request,
        "branches/history.html",
        {"object": review, "records": records, "back": reverse("reports:review_detail", args=[pk])},
    )
