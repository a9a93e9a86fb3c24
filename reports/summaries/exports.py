"""Every list that can be downloaded, by name: the builders the task worker calls to write a
large one (rendering.exports; `manage.py render_document`), and the dashboard's own."""

from django.http import Http404
from django.utils.translation import gettext as _

from branches.exports import members_export, organizations_export
from pledges.exports import registrations_export
from rendering.excel import NUMBER, Column, workbook_bytes
from rendering.exports import Export, export_query
from reports.reviews.exports import reviews_export
from reports.summaries import dashboard
from reports.summaries.rollup import rollup_for, rollup_title
from web.pages import id_param, year_of


def dashboard_export(user, params, fmt: str = "xlsx") -> Export:
    """The start page's tables for the year (`params["year"]`): each of the user's committee
    plans with its progress, and everyone late (all of them, not the page's first 50)."""
    if fmt != "xlsx":
        raise Http404
    year = year_of(params)
    plans = list(dashboard.with_progress(dashboard.committee_plans(user, year), year))
    late_total = dashboard.overdue(plans, year, limit=0)[1] if plans else 0
    org = id_param(params["org"]) if params.get("org") else None
    plan = id_param(params["plan"]) if params.get("plan") else None
    view = rollup_for(user, year, org, plan)
    return Export(
        kind="dashboard",
        fmt="xlsx",
        rows=(len(plans) + late_total if plans else 0) + (len(view.rows) if view else 0),
        title=_("Tiến độ năm %(year)s") % {"year": year},
        filename=f"tien-do-{year}.xlsx",
        query=export_query(params, year=year),
        write=lambda: _dashboard_workbook(plans, year, view),
    )


def _dashboard_workbook(plans, year: int, view=None) -> bytes:
    """The dashboard's tables: each plan's progress, everyone late (not only the first 50), and
    the roll-up per organization, as the page shows them."""
    progress = [
        Column(_("Kế hoạch"), 14),
        Column(_("Cấp ủy"), 32),
        Column(_("Tổ chức thực hiện"), 10),
        Column(_("Đăng ký"), 10),
        Column(_("Ký cam kết"), 10),
        Column(_("Xác nhận"), 10),
        Column(_("Tự đánh giá"), 10),
        Column(_("Thẩm định"), 10),
        Column(_("Chốt"), 10),
        Column(_("Đạt"), 10),
    ]
    rows = (
        [
            p.number,
            p.issuer.name,
            p.n_targets,
            p.n_registered,
            p.n_signed,
            p.n_accepted,
            p.n_self_assessed,
            p.n_assessed,
            p.n_finalized,
            p.n_reached,
        ]
        for p in plans
    )
    late, _total = dashboard.overdue(plans, year, limit=100_000)
    late_columns = [
        Column(_("Tổ chức"), 36),
        Column(_("Việc quá hạn"), 30),
        Column(_("Hạn"), 12),
        Column(_("Kế hoạch"), 14),
        Column(_("Bí thư"), 28),
        Column(_("Thư điện tử"), 28),
    ]
    late_rows = (
        [
            o.organization.name,
            o.what,
            o.deadline,
            o.plan.number,
            ", ".join(s.full_name for s in o.secretaries),
            ", ".join(s.email for s in o.secretaries if s.email),
        ]
        for o in late
    )
    heading = [_("Tiến độ các kế hoạch năm %(year)s") % {"year": year}]
    sheets = []
    if plans:
        sheets += [
            (_("Tiến độ"), progress, rows, heading),
            (_("Quá hạn"), late_columns, late_rows, heading),
        ]
    if view is not None:
        sheets.append(_rollup_sheet(view, year))
    return workbook_bytes(sheets=sheets)


def _rollup_sheet(view, year: int) -> tuple:
    """The roll-up as the page shows it: every child of the organization, then the total."""
    columns = [
        Column(_("Đơn vị"), 40),
        Column(_("Tổ chức thực hiện"), 10),
        Column(_("Đăng ký"), 10),
        Column(_("Tỷ lệ đăng ký (%)"), 10, NUMBER),
        Column(_("Ký cam kết"), 10),
        Column(_("Tỷ lệ ký (%)"), 10, NUMBER),
    ]
    if view.has_interim:
        columns += [Column(_("Nộp sơ kết"), 10), Column(_("Chốt sơ kết"), 10)]
    columns += [
        Column(_("Nộp tổng kết"), 10),
        Column(_("Tỷ lệ nộp tổng kết (%)"), 10, NUMBER),
        Column(_("Chốt tổng kết"), 10),
        Column(_("Đạt mô hình"), 10),
        Column(_("Tỷ lệ đạt (%)"), 10, NUMBER),
    ]

    def values(row, name):
        cells = [
            name,
            row.targets,
            row.registered,
            row.registered_rate,
            row.signed,
            row.signed_rate,
        ]
        if view.has_interim:
            cells += [row.interim_submitted, row.interim_finalized]
        return cells + [
            row.submitted,
            row.submitted_rate,
            row.finalized,
            row.reached,
            row.reached_rate,
        ]

    rows = [values(row, row.organization.name) for row in view.rows]
    rows.append(values(view.total, _("Tổng cộng")))
    heading = [
        rollup_title(view, year),
        _("Kế hoạch: %(plans)s")
        % {"plans": "; ".join(f"{p.number} ({p.issuer.name})" for p in view.plans) or "—"},
    ]
    return (_("Tổng hợp theo đơn vị"), columns, rows, heading)


# The name each builder's `Export.kind` carries, as `reports:export` and the worker look it up.
BUILDERS = {
    "members": members_export,
    "organizations": organizations_export,
    "registrations": registrations_export,
    "reviews": reviews_export,
    "dashboard": dashboard_export,
}
