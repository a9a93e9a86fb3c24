"""Member ratings of a branch for a year, and the committee's view with the rule checks."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from branches.models import Member, Organization
from branches.permissions import Action, has_perm
from branches.selectors import (
    get_member_for,
    get_organization_for,
    organizations_visible_to,
    under_paths,
)
from criteria.rules import Level
from rendering.downloads import attachment, xlsx_response
from rendering.excel import NUMBER, Column, workbook_bytes
from reports.ratings import services
from reports.ratings.documents import rating_results, rating_results_pdf
from reports.ratings.forms import (
    AppraisalForm,
    DecideForm,
    ExceptionForm,
    OrganizationSelfForm,
    RatingsForm,
    RatingSheetForm,
    ResultsDocumentForm,
    StandingForm,
)
from reports.ratings.models import MemberRating, OrganizationRating, RuleException
from reports.ratings.selectors import (
    branch_level_counts,
    branch_members_check,
    branch_ratings,
    collective_pool,
    decided_by_committee,
    left_out,
    level_counts,
    level_counts_by_branch,
    member_cap_check,
    member_pools,
    organization_rating_status,
    pools_within,
    reratings_within,
    rules_for,
)
from web.forms import bound, form_errors_from
from web.pages import year_from
from web.ratelimits import limit_documents

COLUMNS = services.COLUMNS
Subject = OrganizationRating.Subject

POOLS_PAGE_SIZE = 5


@login_required
def branch_ratings_view(request, branch_pk):
    branch = get_organization_for(request.user, branch_pk)
    if not branch.is_branch:
        return redirect("reports:committee_ratings", org_pk=branch.pk)
    year = year_from(request)
    column = (
        request.GET.get("column")
        or request.POST.get("column")
        or ("decided" if has_perm(request.user, branch, Action.DECIDE) else "proposed")
    )
    if column not in COLUMNS:
        column = "proposed"
    editable = has_perm(request.user, branch, COLUMNS[column])
    rows = branch_ratings(branch, year)
    excluded = left_out([member for member, _rating in rows], year)
    rules = rules_for(year)
    for member, rating in rows:
        member.left_out_reason = excluded.get(member.pk, "")
        facts = rating.facts() if rating else None
        member.allowed = rules.rate_member(facts) if facts else None
    if request.GET.get("format") == "xlsx":
        columns = [
            Column(_("Họ và tên"), 28),
            Column(_("Tự đánh giá"), 28),
            Column(_("Chi bộ đề xuất"), 28),
            Column(_("Cấp ủy quyết định"), 28),
        ]
        data = (
            [
                m.full_name,
                r.get_self_level_display() if r else "",
                r.get_proposed_level_display() if r else "",
                r.get_decided_level_display() if r else "",
            ]
            for m, r in rows
        )
        return xlsx_response(
            workbook_bytes(sheets=[(_("Xếp loại %(year)s") % {"year": year}, columns, data)]),
            filename=f"xep-loai-{branch.code}-{year}.xlsx",
        )
    form = RatingsForm(*bound(request), rows=rows, column=column, left_out=excluded)
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        if form.is_valid():
            try:
                changed = services.ratings_save(
                    actor=request.user,
                    branch=branch,
                    year=year,
                    column=column,
                    levels=form.levels(),
                    reason=form.cleaned_data.get("reason", ""),
                )
            except ValidationError as error:
                form_errors_from(form, error)
            else:
                messages.success(request, _("Đã lưu %(n)s thay đổi.") % {"n": changed})
                return redirect(
                    reverse("reports:branch_ratings", args=[branch.pk])
                    + f"?year={year}&column={column}"
                )
    counts = branch_level_counts(branch, year)
    rules = rules_for(year)
    pool = member_cap_check(branch, year)
    return render(
        request,
        "reports/branch_ratings.html",
        {
            "branch": branch,
            "year": year,
            "form": form,
            "column": column,
            "columns": [
                (key, label)
                for key, label in [
                    ("self", _("Tự đánh giá")),
                    ("proposed", _("Chi bộ đề xuất")),
                    ("decided", _("Cấp ủy quyết định")),
                ]
                if has_perm(request.user, branch, COLUMNS[key])
            ],
            "editable": editable,
            "counts": counts,
            "branch_check": branch_members_check(branch, year, rules, Level.EXCELLENT),
            "rules": rules,
            "pool": pool,
            # A branch's secretary does not reach the committee that holds the pool: its name
            # is shown without a link to a page they may not open.
            "pool_reachable": organizations_visible_to(request.user)
            .filter(pk=pool.pool.pk)
            .exists(),
            "years": range(year - 2, year + 2),
        },
    )


@login_required
def committee_ratings(request, org_pk):
    """The cap on "xuất sắc" in each pool (tổ chức cơ sở đảng) of the organization, who is left
    out and who is not decided yet, each branch's counts, and the decision on outstanding
    results (25%) a leader may record for a pool."""
    committee = get_organization_for(request.user, org_pk)
    year = year_from(request)
    rules = rules_for(year)
    within = pools_within(committee)
    form = ExceptionForm(*bound(request))
    if request.method == "POST" and not any(
        has_perm(request.user, pool, Action.DECIDE) for pool in within
    ):
        raise PermissionDenied
    if request.method == "POST" and form.is_valid():
        pool = next((p for p in within if p.pk == form.cleaned_data["pool"]), None)
        if pool is None:
            raise Http404
        if not has_perm(request.user, pool, Action.DECIDE):
            raise PermissionDenied
        try:
            services.rule_exception_record(
                actor=request.user,
                organization=pool,
                year=year,
                rule=RuleException.Rule.OUTSTANDING_RESULTS,
                reason=form.cleaned_data["reason"],
                decision=form.cleaned_data["decision"],
            )
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("Đã ghi nhận kết quả nổi trội."))
            return redirect(
                reverse("reports:committee_ratings", args=[committee.pk]) + f"?year={year}"
            )
    if request.GET.get("format") == "xlsx":
        shown = within
    else:
        # A province holds hundreds of pools and thousands of branches: a page of pools at a
        # time, with the branches inside them (issue 21); the Excel file has every one.
        page = Paginator(within, POOLS_PAGE_SIZE).get_page(request.GET.get("page"))
        shown = list(page.object_list)
    pools = member_pools(shown, year)
    member_names = dict(
        Member.objects.filter(pk__in={pk for p in pools for pk in p.left_out}).values_list(
            "pk", "full_name"
        )
    )
    collectives = decided_by_committee(committee)
    collective_ratings = {
        r.organization_id: r
        for r in OrganizationRating.objects.filter(
            organization__in=collectives, year=year, subject=Subject.ORGANIZATION
        )
    }
    if request.GET.get("format") == "xlsx":
        return _committee_ratings_xlsx(committee, year, pools, collectives, collective_ratings)
    branches = Organization.objects.filter(
        under_paths([pool.path for pool in shown]),
        path__startswith=committee.path,
        kind=Organization.Kind.BRANCH,
        is_active=True,
    ).order_by("path")
    counts = level_counts_by_branch(committee, year, within=shown)
    return render(
        request,
        "reports/committee_ratings.html",
        {
            "committee": committee,
            "reratings": reratings_within(committee, year),
            "document_form": ResultsDocumentForm(
                initial={
                    "issue_date": timezone.localdate(),
                    "signer_name": request.user.full_name
                    if has_perm(request.user, committee, Action.DECIDE)
                    else "",
                }
            ),
            "collectives": [(o, collective_ratings.get(o.pk)) for o in collectives],
            "collective_pool": collective_pool(
                committee, year, Subject.ORGANIZATION, organizations=collectives
            ),
            "year": year,
            "pools": [
                {
                    "status": p,
                    "left_out": [(member_names.get(pk, ""), why) for pk, why in p.left_out.items()],
                    "can_record": p.exception is None
                    and rules.excellent_share_outstanding is not None
                    and has_perm(request.user, p.pool, Action.DECIDE),
                }
                for p in pools
            ],
            "rules": rules,
            "branches": [(b, counts.get(b.pk) or level_counts([])) for b in branches],
            "page": page,
            "form": form,
            "years": range(year - 2, year + 2),
        },
    )


@login_required
def member_rating_sheet(request, member_pk):
    """One member's rating sheet for a year: the score on the frame and the conditions of
    Điều 11, and the level they allow, in words."""
    member = get_member_for(request.user, member_pk)
    year = year_from(request)
    rating = MemberRating.objects.filter(member=member, year=year).first()
    standing_form = StandingForm(
        request.POST if request.POST.get("action") == "standing" else None, prefix="standing"
    )
    may_manage = has_perm(request.user, member.branch, Action.MANAGE_MEMBERS)
    if request.POST.get("action") == "standing":
        if not may_manage:
            raise PermissionDenied
        if standing_form.is_valid():
            try:
                services.member_standing_record(
                    actor=request.user, member=member, **standing_form.cleaned_data
                )
            except ValidationError as error:
                form_errors_from(standing_form, error)
            else:
                messages.success(request, _("Đã ghi nhận."))
                return redirect(
                    reverse("reports:member_rating_sheet", args=[member.pk]) + f"?year={year}"
                )
    form = RatingSheetForm(
        request.POST if request.method == "POST" and "action" not in request.POST else None,
        initial=RatingSheetForm.initial_for(rating),
    )
    may_edit = has_perm(
        request.user,
        member.branch,
        Action.DECIDE if rating and rating.decided_level else Action.ACT_FOR_BRANCH,
    )
    if request.method == "POST" and "action" not in request.POST:
        if not may_edit:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.rating_sheet_save(
                    actor=request.user, member=member, year=year, data=form.sheet()
                )
            except ValidationError as error:
                form_errors_from(form, error)
            else:
                messages.success(request, _("Đã lưu phiếu đánh giá."))
                return redirect(
                    reverse("reports:member_rating_sheet", args=[member.pk]) + f"?year={year}"
                )
    rules = rules_for(year)
    facts = rating.facts() if rating else None
    return render(
        request,
        "reports/member_rating_sheet.html",
        {
            "member": member,
            "year": year,
            "rating": rating,
            "form": form,
            "may_edit": may_edit,
            "rules": rules,
            "allowed": rules.rate_member(facts) if facts else None,
            "left_out": left_out([member], year).get(member.pk, ""),
            "standings": member.standings.order_by("-start_date"),
            "standing_form": standing_form if may_manage else None,
            "years": range(year - 2, year + 2),
        },
    )


@login_required
def organization_rating(request, org_pk):
    """The quality rating of an organization (or of its leadership collective) for a year, in
    the three steps of Điều 12: its own assessment, the appraisal by the advising body of the
    committee above, and that committee's decision — with the frame of the year's rule set, the
    level the appraisal allows in words, what must be decided first, and the cap's pool."""
    organization = get_organization_for(request.user, org_pk)
    year = year_from(request)
    subject = request.GET.get("subject") or Subject.ORGANIZATION
    if subject not in Subject.values:
        subject = Subject.ORGANIZATION
    status = organization_rating_status(organization, year, subject)
    rating, frame = status.rating, status.frame
    action = request.POST.get("action", "")
    may = {
        "self": has_perm(request.user, organization, Action.ACT_FOR_BRANCH)
        and not (rating and rating.decided_level),
        "appraise": status.deciding != organization
        and has_perm(request.user, status.deciding, Action.ASSESS),
        "decide": status.deciding != organization
        and has_perm(request.user, status.deciding, Action.DECIDE),
    }
    forms_ = {
        "self": OrganizationSelfForm(
            request.POST if action == "self" else None, frame=frame, rating=rating, prefix="self"
        ),
        "appraise": AppraisalForm(
            request.POST if action == "appraise" else None,
            frame=frame,
            rating=rating,
            prefix="appraise",
        ),
        "decide": DecideForm(
            request.POST if action == "decide" else None,
            initial={
                # what is decided, else proposed, else what the appraisal allows
                "level": (
                    rating.decided_level
                    or rating.proposed_level
                    or (status.allowed.level if status.allowed else "")
                )
                if rating
                else "",
                "decision": rating.decision if rating else "",
            },
            prefix="decide",
        ),
    }
    if request.method == "POST":
        if action not in may or not may[action]:
            raise PermissionDenied
        form = forms_[action]
        if form.is_valid():
            where = {"actor": request.user, "organization": organization, "year": year}
            try:
                if action == "self":
                    services.organization_self_rating_save(
                        **where, subject=subject, data=form.cleaned_data
                    )
                elif action == "appraise":
                    services.organization_appraisal_save(
                        **where, subject=subject, data=form.appraisal()
                    )
                else:
                    services.organization_rating_decide(
                        **where, subject=subject, **form.cleaned_data
                    )
            except ValidationError as error:
                form_errors_from(form, error)
            else:
                messages.success(request, _("Đã lưu."))
                return redirect(
                    reverse("reports:organization_rating", args=[organization.pk])
                    + f"?year={year}&subject={subject}"
                )
    return render(
        request,
        "reports/organization_rating.html",
        {
            "organization": organization,
            "year": year,
            "subject": subject,
            "subjects": Subject.choices,
            "status": status,
            "rating": rating,
            "frame": frame,
            "self_parts": [
                (part, (rating.self_parts if rating else {}).get(part.code)) for part in frame.parts
            ],
            "parts": [
                (part, (rating.parts if rating else {}).get(part.code)) for part in frame.parts
            ],
            "forms": {key: form for key, form in forms_.items() if may[key]},
            "years": range(year - 2, year + 2),
        },
    )


def _committee_ratings_xlsx(committee, year, pools, collectives, ratings) -> object:
    """The year's rating results as a list an office finishes: the organizations the committee
    decides on with each step's level and the appraised score, and the cap on "xuất sắc" in each
    members' pool and among the collectives (the 20% figures, both ways)."""
    levels = dict(Level.choices)
    organizations = [
        Column(_("Tổ chức"), 40),
        Column(_("Tự xếp loại"), 26),
        Column(_("Điểm thẩm định"), 12, NUMBER),
        Column(_("Mức đề xuất sau thẩm định"), 26),
        Column(_("Cấp ủy cấp trên quyết định"), 26),
        Column(_("Quyết định (số, ngày)"), 30),
    ]
    rows = (
        [
            o.name,
            levels.get(r.self_level, "") if r else "",
            r.score if r else None,
            levels.get(r.proposed_level, "") if r else "",
            levels.get(r.decided_level, "") if r else "",
            r.decision if r else "",
        ]
        for o, r in ((o, ratings.get(o.pk)) for o in collectives)
    )
    caps = [
        Column(_("Nhóm tính tỷ lệ"), 40),
        Column(_("Thuộc diện xếp loại"), 12),
        Column(_("Đã quyết định"), 12),
        Column(_("Hoàn thành xuất sắc"), 12),
        Column(_("Hoàn thành tốt"), 12),
        Column(_("Tốt trở lên"), 12),
        Column(_("Tỷ lệ áp dụng"), 10, "0%"),
        Column(_("Tối đa được xuất sắc"), 12),
        Column(_("Kết luận"), 60),
    ]
    cap_rows = [
        [
            _("Đảng viên — %(pool)s") % {"pool": p.pool.name},
            p.counts.rated,
            p.counts.decided,
            p.counts.excellent,
            p.counts.good,
            p.verdict.base_good_or_better,
            p.verdict.share,
            p.verdict.allowed,
            p.verdict.reason,
        ]
        for p in pools
    ]
    pool = collective_pool(committee, year, Subject.ORGANIZATION, organizations=collectives)
    if pool is not None:
        cap_rows.append(
            [
                _("Tổ chức do %(name)s quyết định") % {"name": committee.name},
                len(collectives),
                len([r for r in ratings.values() if r.decided_level]),
                pool.excellent,
                pool.base_good,
                pool.base_good_or_better,
                pool.share,
                pool.allowed,
                pool.reason,
            ]
        )
    return xlsx_response(
        workbook_bytes(
            sheets=[
                (_("Tổ chức %(year)s") % {"year": year}, organizations, rows),
                (_("Tỷ lệ xuất sắc %(year)s") % {"year": year}, caps, cap_rows),
            ]
        ),
        filename=f"xep-loai-chat-luong-{committee.code}-{year}.xlsx",
    )


@login_required
@limit_documents
def rating_results_document(request, org_pk):
    """The year's rating results of what the committee decides, as the list or the decision
    (PDF, reports.ratings.documents): from the decisions recorded, marked DỰ THẢO until all are
    decided and every cap holds. Bad input goes back to the page with the message."""
    committee = get_organization_for(request.user, org_pk)
    year = year_from(request)
    form = ResultsDocumentForm(request.GET)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(reverse("reports:committee_ratings", args=[committee.pk]) + f"?year={year}")
    data = form.cleaned_data
    document = rating_results_pdf(
        rating_results(committee, year),
        decision=data["kind"] == "decision",
        issue_date=data["issue_date"],
        signer_name=data["signer_name"],
        recipients=data["recipients"],
        proposer=data["proposer"],
    )
    return attachment(
        document.content, filename=document.filename, content_type=document.content_type
    )
