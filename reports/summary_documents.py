"""The summary report (BC) as PDF and Excel, from one SummaryData."""

from django.utils import timezone
from django.utils.translation import gettext as _

from branches.models import Organization
from reports.charts import summary_charts
from reports.documents import date_line, render_pdf
from reports.excel import Column, workbook_bytes
from reports.models import SummaryReport
from reports.selectors.summary import SummaryData


def summary_filename(data: SummaryData, fmt: str) -> str:
    return f"Bao-cao-{data.round}-{data.year}-{data.plan.number.replace('/', '-')}.{fmt}"


def summary_pdf(data: SummaryData, report: SummaryReport | None = None) -> bytes:
    plan = data.plan
    issuer = plan.issuer
    context = {
        "data": data,
        "plan": plan,
        "issuer": issuer,
        "superior": Organization.objects.get_parent(issuer),
        "report": report,
        "date_line": date_line(
            report.place_name if report else (issuer.place_name or plan.place_name),
            report.issue_date if report else timezone.localdate(),
        ),
        "charts": summary_charts(data),
        "recipients": [
            line.strip(" -")
            for line in (report.recipients if report else "").splitlines()
            if line.strip(" -")
        ],
    }
    return render_pdf(
        "reports/pdf/summary.html", context, filename=summary_filename(data, "pdf")
    ).content


def summary_xlsx(data: SummaryData) -> bytes:
    counts = data.counts
    overview = [
        [_("Tổ chức thực hiện"), counts["targets"], None],
        [_("Đã đăng ký"), counts["registered"], counts["registered_rate"]],
        [_("Đã ký cam kết"), counts["signed"], counts["signed_rate"]],
        [_("Cấp ủy đã xác nhận cam kết"), counts["accepted"], None],
        [_("Đã nộp tự đánh giá"), counts["submitted"], None],
        [_("Đã chốt kết quả"), counts["finalized"], None],
        [_("Đạt mô hình"), counts["reached"], counts["reached_rate"]],
    ]
    if data.previous:
        overview.append(
            [
                _("Đạt mô hình năm %(year)s") % {"year": data.previous["year"]},
                data.previous["reached"],
                data.previous["reached_rate"],
            ]
        )
    detail_columns = [Column(_("STT"), 6), Column(_("Tổ chức"), 40), Column(_("Trạng thái"), 22)]
    detail_columns += [Column(f"{c.order}. {c.name}", 14, "0.##") for c in data.criteria]
    detail_columns += [
        Column(_("Tự chấm"), 10, "0.##"),
        Column(_("Tổng điểm"), 10, "0.##"),
        Column(_("Đạt mô hình"), 10),
        Column(_("Xếp loại"), 28),
    ]
    detail = [
        [
            index,
            row.organization.name,
            row.status_label,
            *row.criterion_scores,
            row.self_total,
            row.total,
            "" if row.reached is None else row.reached,
            row.level_label,
        ]
        for index, row in enumerate(data.rows, start=1)
    ]
    outstanding = [[_("Tập thể"), n.organization.name, "", n.reason] for n in data.collectives] + [
        [_("Cá nhân"), n.member.full_name, n.member.branch.name, n.reason] for n in data.individuals
    ]
    return workbook_bytes(
        sheets=[
            (
                _("Tổng hợp"),
                [
                    Column(_("Chỉ số"), 40),
                    Column(_("Số lượng"), 12),
                    Column(_("Tỷ lệ (%)"), 12, "0.0"),
                ],
                overview,
            ),
            (_("Chi tiết"), detail_columns, detail),
            (
                _("Tiêu biểu"),
                [
                    Column(_("Loại"), 10),
                    Column(_("Tên"), 32),
                    Column(_("Chi bộ"), 32),
                    Column(_("Thành tích"), 50),
                ],
                outstanding,
            ),
        ]
    )
