"""The start page: a dashboard built from the user's roles."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from branches.models import Member, RoleAssignment
from branches.permissions import user_roles
from caching import figures
from rendering.exports import export_query, export_response
from reports.summaries import dashboard
from reports.summaries.charts import bar_chart
from reports.summaries.exports import dashboard_export
from reports.summaries.rollup import rollup_for
from reports.summaries.todo import HOME_GROUPS, HOME_ITEMS, queue_for
from reports.summaries.years import years_for
from web.mail import undelivered_for
from web.pages import asked_year, id_param, remember_year


def _figures(user, year: int, root_pk: int | None, plan_pk: int | None = None) -> dict:
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
    # Everyone who follows a subtree: the figures rolled up per subdivision, with rates, both
    # rounds, drill-down and the way back up (reports.summaries.rollup).
    view = rollup_for(user, year, root_pk, plan_pk)
    if view is not None:
        context.update(
            {
                "rollup_view": view,
                "rollup_root": view.root,
                "rollup": view.rows,
                "rollup_plan": plan_pk,
            }
        )
    return context


@login_required
def home(request):
    user = request.user
    # Without ?year= the page opens on the latest plan year in progress, not the calendar's
    # (reports.summaries.years), found with the figures and cached with them; the year shown
    # becomes the one the other pages open on.
    asked = asked_year(request)
    root_pk = id_param(request.GET["org"]) if request.GET.get("org") else None
    plan_pk = id_param(request.GET["plan"]) if request.GET.get("plan") else None

    # The figures, and the part of the page made from them, are cached under the data version
    # (reports.caching): any write to what they are computed from, by any process, gives a new
    # key. What differs per request (CSRF tokens, messages, the CSP nonce) stays outside, in
    # base.html. An unknown `org` raises 404, uncached.
    def compute():
        years = years_for(user)
        year = asked or years.default
        figures = _figures(user, year, root_pk, plan_pk)
        context = {
            **figures,
            "user": user,
            "year": year,
            "years": years.choices(year),
            "default_year": years.default,
            "year_has_data": year in years.with_data,
        }
        return {
            "figures": figures,
            "header": render_to_string("reports/_home_header.html", context),
            "html": render_to_string("reports/_home_figures.html", context),
            "roles": user_roles(user),
            "year": year,
        }

    # The name's number changes with the shape of what is stored.
    cached = figures.cached("dashboard-6", user, (asked, root_pk, plan_pk), compute)
    year = cached["year"]
    remember_year(request, year)
    if request.GET.get("format") == "xlsx":
        export = dashboard_export(user, export_query(request.GET, year=year))
        if export.rows:
            return export_response(export)
    # The user's roles were read with the figures (the version covers them): the navigation
    # (branches.context_processors) need not read them again.
    if getattr(user, "_bontot_roles", None) is None:
        user._bontot_roles = cached["roles"]
    # A member's own account (no role): their records are their start page.
    if not cached["roles"] and Member.objects.filter(user=user, is_active=True).exists():
        return redirect(reverse("reports:my_records") + f"?year={year}")
    queue = queue_for(user, request)
    context = {
        **cached["figures"],
        "year": year,
        "header_html": mark_safe(cached["header"]),
        "figures_html": mark_safe(cached["html"]),
        # The work queue's first items (reports.summaries.todo), cached on its own: it reads
        # more than the figures do.
        "queue": queue[:HOME_GROUPS],
        "queue_more_groups": max(0, len(queue) - HOME_GROUPS),
        "queue_total": sum(len(group.items) for group in queue),
        "queue_limit": HOME_ITEMS,
        "queue_checked": bool(cached["roles"]),
    }
    # Mail about the committee's organizations that the worker could not deliver (web/mail.py).
    staff_paths = [path for role, path in cached["roles"] if role == RoleAssignment.Role.STAFF]
    if staff_paths:
        context["undelivered_mail"] = undelivered_for(staff_paths).count()
    return render(request, "reports/home.html", context)
