"""The summary's table of organizations, defined once: the summary page, the report's PDF
appendix and its Excel sheet "Chi tiết" all render from `detail_table` (rendering.tables)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from rendering.excel import NUMBER
from rendering.tables import Field, Table
from reports.summaries.selectors import SummaryData, SummaryRow
from vietnamese import numbers


def _reached(value: bool | None, *, document: bool) -> str:
    if value is None:
        return ""
    if value:
        return _("Đạt")
    return _("Chưa") if document else _("Chưa đạt")  # the document's column is narrow


def _criterion(index: int):
    return lambda row: row.criterion_scores[index]


def _review_link(row: SummaryRow) -> str:
    return reverse("reports:review_detail", args=[row.review.pk]) if row.review else ""


def detail_table(data: SummaryData, *, document: bool = False) -> Table:
    """`document`: the report's appendix, where a row's stage is noted only until its result is
    final (the page always shows it)."""

    def stage(row: SummaryRow) -> str:
        if document and row.review and row.review.finalized:
            return ""
        return row.status_label

    fields = [
        Field(
            _("Tổ chức"),
            lambda row: row.organization.name,
            width=40,
            note=stage,
            link=_review_link,
        ),
        Field(_("Trạng thái"), lambda row: row.status_label, width=22, page=False),
    ]
    fields += [
        Field(
            f"{c.order}. {c.name}",
            _criterion(index),
            short=_("TC%(order)s (%(points)s)")
            % {"order": c.order, "points": numbers.number(c.points)},
            width=14,
            number_format=NUMBER,
            numeric=True,
            css="d-none d-md-table-cell",
        )
        for index, c in enumerate(data.criteria)
    ]
    fields += [
        Field(
            _("Tự chấm"),
            lambda row: row.self_total,
            width=10,
            number_format=NUMBER,
            numeric=True,
            css="d-none d-md-table-cell",
        ),
        Field(
            _("Tổng điểm"),
            lambda row: row.total,
            short=_("Tổng"),
            width=10,
            number_format=NUMBER,
            numeric=True,
            strong=True,
        ),
        Field(
            _("Đạt mô hình"),
            lambda row: "" if row.reached is None else row.reached,
            short=_("Đạt"),
            width=10,
            display=lambda value: _reached(None if value == "" else value, document=document),
            css="d-none d-md-table-cell",
        ),
        Field(_("Xếp loại chất lượng"), lambda row: row.level_label, width=28),
    ]
    return Table(fields=fields, rows=data.rows, numbered=True, number_css="d-none d-md-table-cell")
