"""The summary report (BC) as PDF and Excel, from one SummaryData."""

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from branches.models import Organization
from rendering.excel import Column, workbook_bytes
from rendering.pdf import render_pdf
from reports.summaries.charts import summary_charts
from reports.summaries.models import SummaryReport
from reports.summaries.selectors import SummaryData
from reports.summaries.tables import detail_table
from vietnamese.dates import date_line


def summary_filename(data: SummaryData, fmt: str) -> str:
    return f"Bao-cao-{data.round}-{data.year}-{data.plan.number.replace('/', '-')}.{fmt}"


def summary_pdf(data: SummaryData, report: SummaryReport | None = None) -> bytes:
    with translation.override("vi"):  # a document is in Vietnamese whoever downloads it
        table = detail_table(data, document=True)
        appendix = {
            "headers": table.headers(short=True),
            "body": table.body(),
            "width": table.width,
            "empty": _("Không có tổ chức nào phù hợp bộ lọc."),
        }
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
        "appendix": appendix,
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
            detail_table(data).sheet(_("Chi tiết")),
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
