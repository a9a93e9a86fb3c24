"""The summary report of a plan: the page, its exports (at once when small, in the background
when large) and the numbered report."""

import hashlib

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from branches.models import Organization
from branches.permissions import Action, has_perm, require_perm, user_roles
from branches.selectors import get_organization_for
from caching.figures import data_versions, get_or_compute
from caching.models import DataVersion
from criteria.rules import Level
from criteria.selectors import get_plan_for
from rendering.downloads import attachment, private_file
from reports.reviews.models import Review
from reports.reviews.views import round_and_year
from reports.summaries import jobs as documents
from reports.summaries.charts import summary_charts
from reports.summaries.documents import FORMATS, summary_document, summary_filename
from reports.summaries.exports import BUILDERS
from reports.summaries.forms import ReportIssueForm
from reports.summaries.models import GeneratedDocument, SummaryReport
from reports.summaries.narrative import prefilled
from reports.summaries.selectors import (
    SummaryFilters,
    get_job_for,
    get_report_for,
    summary_data,
)
from reports.summaries.services import report_issue
from reports.summaries.tables import detail_table
from web.forms import form_errors_from
from web.pages import id_param
from web.ratelimits import limit_documents

SUMMARY_PAGE_SIZE = 100


def _scope(request, plan) -> Organization | None:
    """The subtree to drill into (an organization inside the plan's issuer that the user reaches)."""
    scope_pk = request.GET.get("scope")
    if not scope_pk:
        return None
    scope = get_organization_for(request.user, id_param(scope_pk))
    if not scope.path.startswith(plan.issuer.path):
        raise Http404
    require_perm(request.user, scope, Action.VIEW)
    return scope


def _summary_for(request, plan_pk):
    plan = get_plan_for(request.user, plan_pk)
    require_perm(request.user, plan.issuer, Action.VIEW)
    round, year = round_and_year(request, plan)
    scope = _scope(request, plan)
    return plan, year, round, scope, SummaryFilters.from_query(request.GET, scope=scope)


@login_required
def summary(request, plan_pk, issue_form=None):
    plan, year, round, scope, filters = _summary_for(request, plan_pk)
    # The figures and the part of the page made from them are the same for everyone who may see
    # the plan: cached under the summary's data version (reports.caching; any write to what
    # they are computed from gives a new key), the plan, the round, the query string (filters,
    # page) and the language. The report notice and the issue form stay outside.
    query = sorted(request.GET.lists())

    def compute():
        data = summary_data(plan, year, round, filters)
        # The page shows the table a hundred rows at a time; the PDF and Excel hold every row.
        page = Paginator(data.rows, SUMMARY_PAGE_SIZE).get_page(request.GET.get("page"))
        table = detail_table(data)
        html = render_to_string(
            "reports/_summary_figures.html",
            {
                "data": data,
                "page": page,
                "table": {
                    "headers": table.headers(short=True),
                    "body": table.body(page.object_list, start=page.start_index()),
                    "width": table.width,
                },
                "charts": summary_charts(data),
                "scope": scope,
                "levels": Level.choices,
            },
            request=request,
        )
        return {"html": html, "rows": len(data.rows)}

    figures = get_or_compute(
        "summary-1",
        (plan.pk, year, round, translation.get_language(), query),
        compute,
        scope=DataVersion.SUMMARY,
        under=[filters.scope_path or plan.issuer.path],
    )
    report = (
        SummaryReport.objects.filter(plan=plan, year=year, round=round, scope=scope)
        .order_by("-issue_date")
        .first()
    )
    subdivisions = (
        Organization.objects.get_children(scope or plan.issuer)
        .exclude(kind=Organization.Kind.BRANCH)
        .order_by("path")
    )
    return render(
        request,
        "reports/summary.html",
        {
            "plan": plan,
            "year": year,
            "round": round,
            "round_label": Review.Round(round).label,
            "figures_html": mark_safe(figures["html"]),
            "scope": scope,
            "subdivisions": subdivisions,
            "query": request.GET.urlencode(),
            "report": report,
            "report_changed": report is not None
            and report.data_fingerprint != _fingerprint(plan, year, round, filters.scope_path),
            "issue_form": (issue_form or _issue_form(plan, year, round, filters.scope_path))
            if has_perm(request.user, plan.issuer, Action.DECIDE) and report is None
            else None,
            "background": figures["rows"] > settings.BONTOT_BACKGROUND_ROWS,
        },
    )


def _issue_form(plan, year, round, scope_path) -> ReportIssueForm:
    """The issue form, its narrative pre-filled from the figures (cached like them)."""
    sections = get_or_compute(
        "summary-narrative-1",
        (plan.pk, year, round, scope_path),
        lambda: prefilled(summary_data(plan, year, round, SummaryFilters(scope_path=scope_path))),
        scope=DataVersion.SUMMARY,
        under=[scope_path or plan.issuer.path],
    )
    return ReportIssueForm(
        initial={
            "issue_date": timezone.localdate(),
            "signer_title": plan.signer_title,
            "signer_name": plan.signer_name,
            "recipients": plan.recipients,
            **sections,
        }
    )


def _fingerprint(plan, year, round, scope_path) -> str:
    """The fingerprint of the whole subtree's figures, as an issued report recorded it."""
    return get_or_compute(
        "summary-fingerprint-1",
        (plan.pk, year, round, scope_path, translation.get_language()),
        lambda: summary_data(
            plan, year, round, SummaryFilters(scope_path=scope_path)
        ).fingerprint(),
        scope=DataVersion.SUMMARY,
        under=[scope_path or plan.issuer.path],
    )


@login_required
@limit_documents
def summary_export(request, plan_pk, fmt):
    if fmt not in FORMATS:
        raise Http404
    plan, year, round, scope, filters = _summary_for(request, plan_pk)
    report = None
    if request.GET.get("report"):
        report = get_report_for(request.user, plan, id_param(request.GET["report"]))
    data = summary_data(plan, year, round, filters)
    filename = summary_filename(data, fmt)
    if len(data.rows) <= settings.BONTOT_BACKGROUND_ROWS:
        return attachment(
            summary_document(data, report, fmt),
            filename=filename,
            content_type=documents.CONTENT_TYPES[fmt],
        )
    params = {
        "plan": plan.pk,
        "year": year,
        "round": round,
        "filters": filters.as_dict(),
        "report": report.pk if report else None,
    }
    job = documents.request_document(
        kind="summary",
        fmt=fmt,
        params=params,
        fingerprint=data.fingerprint(),
        title=_("Báo cáo %(round)s %(year)s — %(number)s")
        % {"round": data.round_label.lower(), "year": year, "number": plan.number},
        filename=filename,
        plan=plan,
        user=request.user,
    )
    return redirect("reports:document_status", pk=job.pk)


def _job_for(request, pk) -> GeneratedDocument:
    job = get_job_for(request.user, pk)
    if job.plan is not None:
        require_perm(request.user, job.plan.issuer, Action.VIEW)
    elif job.params.get("roles") != _role_key(request.user):
        raise Http404  # made under roles the user no longer has: ask again
    return job


def _role_key(user) -> list:
    """The user's roles as a job records them: a file made under other roles is not theirs."""
    return sorted([role, path] for role, path in user_roles(user))


@limit_documents
@login_required
def export(request, kind, fmt):
    """A large list as a file, written by the task worker (a list page sends it here when it
    has more than BONTOT_BACKGROUND_ROWS rows): the builder of the list, called now for its scope
    checks, its title and its count, and again in the worker to write it — with the same
    filters, and as the person who asked sees it. Asked again, the same file is given until the
    data it is read from changes."""
    builder = BUILDERS.get(kind)
    if builder is None:
        raise Http404
    found = builder(request.user, request.GET, fmt)
    job = documents.request_document(
        kind=kind,
        fmt=found.fmt,
        # Per person (a job without a plan is only its requester's) and per roles: a file made
        # under roles the person no longer has is not theirs any more.
        params={
            "query": found.query.urlencode(),
            "user": request.user.pk,
            "roles": _role_key(request.user),
        },
        fingerprint=_export_fingerprint(request.user),
        title=found.title,
        filename=found.filename,
        plan=None,
        user=request.user,
    )
    return redirect("reports:document_status", pk=job.pk)


def _export_fingerprint(user) -> str:
    """A new file after any write the lists read (the database triggers' three data versions:
    organizations and members, registrations and pledges, reviews and ratings), in the units
    the person reaches."""
    versions = data_versions(
        (DataVersion.DASHBOARD, DataVersion.MEMBERS, DataVersion.SUMMARY), under=user
    )
    return hashlib.sha256(repr(versions).encode()).hexdigest()


@login_required
def document_status(request, pk):
    job = documents.check_stale(_job_for(request, pk))
    return render(
        request,
        "reports/document_status.html",
        {"job": job, "waiting_too_long": documents.waiting_too_long(job)},
    )


@login_required
def document_download(request, pk):
    job = _job_for(request, pk)
    if job.status != GeneratedDocument.Status.READY:
        return redirect("reports:document_status", pk=job.pk)
    return private_file(job.file, filename=job.filename, content_type=job.content_type)


@require_POST
@login_required
def document_retry(request, pk):
    job = _job_for(request, pk)
    documents.retry_document(job=job)
    return redirect("reports:document_status", pk=job.pk)


@require_POST
@login_required
def summary_issue(request, plan_pk):
    plan, year, round, scope, _filters = _summary_for(request, plan_pk)
    require_perm(request.user, plan.issuer, Action.DECIDE)
    form = ReportIssueForm(request.POST)
    if form.is_valid():
        try:
            report = report_issue(
                actor=request.user,
                plan=plan,
                year=year,
                round=round,
                scope=scope,
                **form.issue_arguments(),
            )
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(
                request, _("Đã ban hành Báo cáo số %(number)s.") % {"number": report.number}
            )
    if form.errors:
        # Shown again on the page with what was typed: nothing is lost.
        return summary(request, plan_pk, issue_form=form)
    return redirect(
        reverse("reports:summary", args=[plan.pk])
        + f"?year={year}&round={round}"
        + (f"&scope={scope.pk}" if scope else "")
    )
