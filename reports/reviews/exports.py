"""The reviews of a plan for one round, as Excel (rendering.exports): at once, or by the task
worker for a plan with many organizations."""

from django.http import Http404
from django.utils.translation import gettext as _

from criteria.selectors import get_plan_for
from rendering.excel import NUMBER, Column, workbook_bytes
from rendering.exports import Export, export_query
from reports.reviews.models import Review
from reports.reviews.selectors import calibration_for, round_and_year_from


def reviews_export(user, params, fmt: str = "xlsx") -> Export:
    """The rows of the plan's reviews page (`params`: plan, round, year), as the user sees them."""
    if fmt != "xlsx":
        raise Http404
    plan_pk = params.get("plan", "")
    if not plan_pk.isascii() or not plan_pk.isdigit():
        raise Http404
    plan = get_plan_for(user, int(plan_pk))
    round, year = round_and_year_from(params, plan)
    data = calibration_for(user, plan, year, round)
    label = str(Review.Round(round).label)
    title = _("Đánh giá %(round)s năm %(year)s — Kế hoạch %(number)s") % {
        "round": label.lower(),
        "year": year,
        "number": plan.number,
    }
    return Export(
        kind="reviews",
        fmt="xlsx",
        rows=len(data["rows"]),
        title=title,
        filename=f"danh-gia-{round}-{year}.xlsx",
        query=export_query(params, plan=plan.pk, round=round, year=year),
        write=lambda: _workbook(
            data["rows"], f"{label} {year}", [title, f"{plan.issuer.name} — {plan.title}"]
        ),
    )


def _workbook(rows, sheet_name: str, heading: list[str]) -> bytes:
    columns = [
        Column(_("Tổ chức"), 40),
        Column(_("Trạng thái"), 26),
        Column(_("Tự chấm"), 10, NUMBER),
        Column(_("Thẩm định"), 10, NUMBER),
        Column(_("Chênh lệch"), 10, NUMBER),
        Column(_("Đạt mô hình"), 10),
        Column(_("Xếp loại chất lượng (cấp trên quyết định)"), 28),
    ]
    values = (
        [
            r.registration.organization.name,
            r.review.get_status_display() if r.review else _("Chưa tự đánh giá"),
            r.review.self_total if r.review else None,
            r.review.total if r.review else None,
            r.difference,
            "" if not (r.review and r.review.finalized) else r.review.reached_model,
            r.quality_label,
        ]
        for r in rows
    )
    return workbook_bytes(sheets=[(sheet_name, columns, values, heading)])
