"""The collective's review report (HD 43 Mẫu 01): written by the organization beside its own
scores on the quality rating page, signed by its secretary, returned by the advising body."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from branches.permissions import Action, has_perm, require_perm
from branches.selectors import get_organization_for
from partydocs.pages import signing_page
from rendering.downloads import attachment
from reports.ratings import collective
from reports.ratings.hd43 import COLLECTIVE_FORM, reading_view
from reports.ratings.models import OrganizationRating
from reports.ratings.selectors import deciding_committee, organization_rating_status
from reports.selfreviews import documents
from reports.selfreviews.forms import CollectiveReportForm
from web.forms import bound, form_errors_from
from web.pages import reason_form_page, year_from
from web.ratelimits import limit_documents

Subject = OrganizationRating.Subject


def _report(request, org_pk):
    organization = get_organization_for(request.user, org_pk)
    subject = request.GET.get("subject") or Subject.ORGANIZATION
    if subject not in Subject.values:
        raise Http404
    return collective.report_for(organization, year_from(request), subject)


def _query(report) -> str:
    return f"?year={report.year}&subject={report.subject}"


def _url(name: str, report) -> str:
    return reverse(f"reports:{name}", args=[report.organization_id]) + _query(report)


@login_required
def collective_report(request, org_pk):
    report = _report(request, org_pk)
    organization = report.organization
    may_write = report.editable and has_perm(request.user, organization, Action.ACT_FOR_BRANCH)
    form = CollectiveReportForm(*bound(request), spec=COLLECTIVE_FORM, sections=report.sections)
    if request.method == "POST":
        if not may_write:
            raise PermissionDenied
        if form.is_valid():
            try:
                report = collective.collective_report_save(
                    actor=request.user,
                    organization=organization,
                    year=report.year,
                    subject=report.subject,
                    sections=form.sections(),
                )
            except ValidationError as error:
                form_errors_from(form, error)
            else:
                if request.POST.get("then") == "sign":
                    return redirect(_url("collective_report_sign", report))
                messages.success(request, _("Đã lưu báo cáo (chưa ký)."))
                return redirect(_url("collective_report", report))
    signature = (
        report.signatures.filter(role="signer").order_by("-sequence").first() if report.pk else None
    )
    rating = OrganizationRating.objects.filter(
        organization=organization, year=report.year, subject=report.subject
    ).first()
    content, _signed = documents.signed_or_current(
        report,
        lambda: collective.collective_report_content(
            report, rating, request.user, timezone.localdate()
        ),
    )
    return render(
        request,
        "reports/selfreviews/collective.html",
        {
            "report": report,
            "organization": organization,
            "form": form if may_write else None,
            "signature": signature,
            "content": content,
            "view": reading_view(
                content, organization_rating_status(organization, report.year, report.subject).frame
            ),
            "subject_label": Subject(report.subject).label,
            "may_sign": report.editable
            and has_perm(request.user, organization, Action.SIGN_FOR_BRANCH),
            "may_return": report.status == report.Status.SUBMITTED
            and has_perm(request.user, deciding_committee(organization), Action.ASSESS),
            "rating_url": reverse("reports:organization_rating", args=[organization.pk])
            + _query(report),
            "query": _query(report),
        },
    )


@login_required
def collective_report_preview(request, org_pk):
    report = _report(request, org_pk)
    response = HttpResponse(
        documents.collective_report_preview(report, request.user, nonce=str(request.csp_nonce))
    )
    response.headers["X-Frame-Options"] = "SAMEORIGIN"
    return response


@login_required
def collective_report_sign(request, org_pk):
    report = _report(request, org_pk)
    organization = report.organization
    require_perm(request.user, organization, Action.SIGN_FOR_BRANCH)
    back = _url("collective_report", report)
    if not report.editable:
        if request.method != "POST":
            messages.info(request, _("Báo cáo đã được ký."))
        return redirect(back)
    rating = OrganizationRating.objects.filter(
        organization=organization, year=report.year, subject=report.subject
    ).first()
    return signing_page(
        request,
        content=collective.collective_report_content(
            report, rating, request.user, timezone.localdate()
        ),
        sign=lambda **proof: collective.collective_report_submit(
            organization=organization, year=report.year, subject=report.subject, **proof
        ),
        done=_("Đã ký báo cáo. Mã xác minh: %(code)s"),
        success_url=back,
        page={
            "title": _("Ký báo cáo kiểm điểm tập thể"),
            "subtitle": _("%(org)s — năm %(year)s")
            % {"org": organization.name, "year": report.year},
            "action_url": _url("collective_report_sign", report),
            "back_url": back,
            "button": _("Ký báo cáo"),
            "preview_url": _url("collective_report_preview", report),
        },
    )


@login_required
def collective_report_return(request, org_pk):
    report = _report(request, org_pk)
    require_perm(request.user, deciding_committee(report.organization), Action.ASSESS)
    if report.pk is None:
        raise Http404
    back = _url("collective_report", report)
    return reason_form_page(
        request,
        act=lambda reason: collective.collective_report_return(
            actor=request.user, report=report, reason=reason
        ),
        done=_("Đã trả lại báo cáo để sửa."),
        back=back,
        title=_("Trả lại báo cáo kiểm điểm tập thể"),
        button=_("Trả lại để sửa"),
        explain=_("Tổ chức sửa báo cáo và phần tự đánh giá rồi ký lại; bản đã ký vẫn được lưu."),
        subject=f"{report.organization.name} — {report.year}",
    )


@login_required
@limit_documents
def collective_report_pdf(request, org_pk):
    report = _report(request, org_pk)
    document = documents.collective_report_pdf(report, request.user)
    return attachment(
        document.content, filename=document.filename, content_type=document.content_type
    )
