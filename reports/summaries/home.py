"""The start page: a dashboard built from the user's roles."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from branches.models import Member, RoleAssignment
from branches.permissions import Action, has_perm_anywhere, user_roles
from branches.selectors import organizations_visible_to, roots_visible_to
from caching import figures
from rendering.exports import export_query, export_response
from reports.summaries import dashboard
from reports.summaries.charts import bar_chart
from reports.summaries.exports import dashboard_export
from web.mail import undelivered_for
from web.pages import id_param, year_from


def _figures(user, year: int, root_pk: int | None) -> dict:
    """Everything the dashboard shows, computed from the database (cached by `home`)."""
    context = {
        "assignments": list(
            RoleAssignment.objects.filter(user=user, organization__is_active=True)
            .select_related("organization")
            .order_by("organization__path", "role")
        )
    }
    # Committee staff and leaders: their plans' progress, deadlines, who is late, results.
    plans = list(dashboard.with_progress(dashboard.committee_plans(user, year), year))
    if plans:
        distribution = dashboard.result_distribution(plans, year)
        late, late_total = dashboard.overdue(plans, year)
        context.update(
            {
                "plans": plans,
                # Per plan with results: the chart and, beside it, its numbers as a table.
                "distribution": [
                    (
                        plan,
                        bar_chart(
                            title=_(
                                "Xếp loại chất lượng năm %(year)s (cấp trên đã quyết định) — Kế hoạch %(number)s"
                            )
                            % {"year": year, "number": plan.number},
                            items=distribution[plan.pk],
                            ident=f"dist-{plan.pk}",
                        ),
                        distribution[plan.pk],
                    )
                    for plan in plans
                    if any(n for _l, n in distribution[plan.pk])
                ],
                "deadlines": dashboard.upcoming_deadlines(plans, year),
                "overdue": late,
                "overdue_total": late_total,
            }
        )
    # Everyone who follows a subtree: the figures rolled up per subdivision, with drill-down.
    if has_perm_anywhere(user, Action.VIEW):
        root = (
            get_object_or_404(organizations_visible_to(user), pk=root_pk)
            if root_pk
            else roots_visible_to(user).exclude(kind="branch").first()
        )
        if root is not None:
            context["rollup_root"] = root
            context["rollup"] = dashboard.rollup(root, dashboard.rollup_plans(user, year), year)
    context["secretary_panels"] = dashboard.secretary_steps(user, year)
    return context


@login_required
def home(request):
    user = request.user
    year = year_from(request)
    root_pk = id_param(request.GET["org"]) if request.GET.get("org") else None
    if request.GET.get("format") == "xlsx":
        export = dashboard_export(user, export_query(request.GET, year=year))
        if export.rows:
            return export_response(export)

    # The figures, and the part of the page made from them, are cached under the data version
    # (reports.caching): any write to what they are computed from, by any process, gives a new
    # key. What differs per request (CSRF tokens, messages, the CSP nonce) stays outside, in
    # base.html. An unknown `org` raises 404, uncached.
    def compute():
        figures = _figures(user, year, root_pk)
        html = render_to_string(
            "reports/_home_figures.html",
            {**figures, "user": user, "year": year, "years": range(year - 3, year + 2)},
        )
        return {"figures": figures, "html": html, "roles": user_roles(user)}

    # The name's number changes with the shape of what is stored.
    cached = figures.cached("dashboard-3", user, (year, root_pk), compute)
    # The user's roles were read with the figures (the version covers them): the navigation
    # (branches.context_processors) need not read them again.
    if getattr(user, "_bontot_roles", None) is None:
        user._bontot_roles = cached["roles"]
    # A member's own account (no role): their records are their start page.
    if not cached["roles"] and Member.objects.filter(user=user, is_active=True).exists():
        return redirect(reverse("reports:my_records") + f"?year={year}")
    context = {**cached["figures"], "year": year, "figures_html": mark_safe(cached["html"])}
    # Mail about the committee's organizations that the worker could not deliver (web/mail.py).
    staff_paths = [path for role, path in cached["roles"] if role == RoleAssignment.Role.STAFF]
    if staff_paths:
        context["undelivered_mail"] = undelivered_for(staff_paths).count()
    return render(request, "reports/home.html", context)
