"""Member ratings of a branch for a year, and the committee's view with the rule checks."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from branches.models import Organization
from branches.permissions import Action, has_perm
from branches.selectors import get_organization_for
from criteria.rules import Level
from rendering.downloads import xlsx_response
from rendering.excel import Column, workbook_bytes
from reports.ratings import services
from reports.ratings.forms import ExceptionForm, RatingsForm
from reports.ratings.models import RuleException
from reports.ratings.selectors import (
    branch_level_counts,
    branch_members_check,
    branch_ratings,
    level_counts,
    level_counts_by_branch,
    member_cap_check,
    rules_for,
)
from web.forms import bound, form_errors_from
from web.pages import year_from

COLUMNS = services.COLUMNS


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
            workbook_bytes(sheets=[(str(year), columns, data)]),
            filename=f"xep-loai-{branch.code}-{year}.xlsx",
        )
    form = RatingsForm(*bound(request), rows=rows, column=column)
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
    rules = rules_for(branch)
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
            "years": range(year - 2, year + 2),
        },
    )


@login_required
def committee_ratings(request, org_pk):
    """The 20% cap over the committee's members, and each branch's counts."""
    committee = get_organization_for(request.user, org_pk)
    year = year_from(request)
    rules = rules_for(committee)
    cap = member_cap_check(committee, year, rules)
    form = ExceptionForm(*bound(request))
    if request.method == "POST":
        if not has_perm(request.user, committee, Action.DECIDE):
            raise PermissionDenied
        if form.is_valid():
            try:
                services.rule_exception_record(
                    actor=request.user,
                    organization=committee,
                    year=year,
                    rule=RuleException.Rule.MEMBER_CAP,
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as error:
                form_errors_from(form, error)
            else:
                messages.success(request, _("Đã ghi nhận ngoại lệ."))
                return redirect(
                    reverse("reports:committee_ratings", args=[committee.pk]) + f"?year={year}"
                )
    branches = Organization.objects.filter(
        path__startswith=committee.path, kind=Organization.Kind.BRANCH, is_active=True
    ).order_by("path")
    counts = level_counts_by_branch(committee, year)
    return render(
        request,
        "reports/committee_ratings.html",
        {
            "committee": committee,
            "year": year,
            "cap": cap,
            "rules": rules,
            "branches": [(b, counts.get(b.pk) or level_counts([])) for b in branches],
            "form": form,
            "can_decide": has_perm(request.user, committee, Action.DECIDE),
            "years": range(year - 2, year + 2),
        },
    )
