"""The summary report (BC) as PDF and Excel, from one SummaryData."""

from django.utils import translation
from django.utils.translation import gettext as _

from branches.signers import archive_of, organization_heading
from partydocs.format import SignerBlock, recipient_lines, whole_name
from partydocs.word import WordDocument
from rendering.excel import NUMBER, Column, workbook_bytes
from rendering.pdf import render_pdf
from reports.summaries.charts import summary_charts
from reports.summaries.models import SummaryReport
from reports.summaries.narrative import prefilled, printed
from reports.summaries.selectors import SummaryData
from reports.summaries.tables import detail_table
from vietnamese.dates import cited_date
from vietnamese.numbers import number


def summary_filename(data: SummaryData, fmt: str) -> str:
    return f"Bao-cao-{data.round}-{data.year}-{data.plan.number.replace('/', '-')}.{fmt}"


FORMATS = ("pdf", "docx", "xlsx")


def summary_document(data: SummaryData, report: SummaryReport | None, fmt: str) -> bytes:
    """The report in one of its formats: the PDF (the record), the Word copy, the Excel tables."""
    if fmt == "pdf":
        return summary_pdf(data, report)
    if fmt == "docx":
        return summary_docx(data, report)
    return summary_xlsx(data)


def summary_pdf(data: SummaryData, report: SummaryReport | None = None) -> bytes:
    with translation.override("vi"):  # a document is in Vietnamese whoever downloads it
        table = detail_table(data, document=True)
        appendix = {
            "headers": table.headers(short=True),
            "body": table.body(),
            "width": table.width,
            "empty": _("Không có tổ chức nào phù hợp bộ lọc."),
        }
    return render_pdf(
        "reports/pdf/summary.html",
        {**summary_context(data, report), "appendix": appendix},
        filename=summary_filename(data, "pdf"),
    ).content


def summary_context(data: SummaryData, report: SummaryReport | None = None) -> dict:
    """The report as its PDF and Word copy show it. Issued: its number and date, its signer and
    the narrative as issued. A draft (not issued): no number and no date, DỰ THẢO, the narrative
    pre-filled from the figures, the plan's signer."""
    plan = data.plan
    issuer = plan.issuer
    source = report or plan
    signer = SignerBlock(
        (f"T/M {issuer.signing_body.upper()}", (source.signer_title or "BÍ THƯ").upper()),
        whole_name(source.signer_name),
    )
    sections = (report.sections or {}) if report else prefilled(data)
    return {
        "data": data,
        "plan": plan,
        "issuer": issuer,
        "report": report,
        "heading": organization_heading(
            issuer,
            day=report.issue_date if report else None,
            number=report.number if report else "",
            kind_code=SummaryReport.KIND_CODE,
            place=report.place_name if report else "",
            draft=report is None,
        ),
        "signer": signer,
        "narrative": printed(sections) if (report is None or report.sections) else [],
        "charts": summary_charts(data),
        "recipients": recipient_lines(
            report.recipients if report else plan.recipients, archive=archive_of(issuer)
        ),
    }


def summary_xlsx(data: SummaryData) -> bytes:
    counts = data.counts
    overview = [
        [_("Tổ chức thực hiện"), counts["targets"], None],
        [_("Đã đăng ký"), counts["registered"], counts["registered_rate"]],
        [_("Đã ký cam kết"), counts["signed"], counts["signed_rate"]],
        [_("Cấp ủy đã xác nhận cam kết"), counts["accepted"], None],
        [_("Đã nộp tự đánh giá"), counts["submitted"], None],
        [_("Cấp ủy đã quyết định kết quả"), counts["finalized"], None],
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
    plan = data.plan
    heading = [
        _("Báo cáo %(round)s năm %(year)s — %(issuer)s")
        % {"round": data.round_label.lower(), "year": data.year, "issuer": plan.issuer.name},
        _("Kế hoạch số %(number)s — %(title)s") % {"number": plan.number, "title": plan.title},
    ]
    if data.filters.active:
        heading.append(_("Lọc: %(filters)s") % {"filters": data.filters.description()})
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
                    Column(_("Tỷ lệ (%)"), 12, NUMBER),
                ],
                overview,
                heading,
            ),
            (*detail_table(data).sheet(_("Chi tiết")), heading),
            (
                _("Tiêu biểu"),
                [
                    Column(_("Loại"), 10),
                    Column(_("Tên"), 32),
                    Column(_("Chi bộ"), 32),
                    Column(_("Thành tích"), 50),
                ],
                outstanding,
                heading,
            ),
        ]
    )


def summary_docx(data: SummaryData, report: SummaryReport | None = None) -> bytes:
    """The report's Word copy, for the office to finish: the same header, figures, narrative,
    lists, signer block and appendix table as the PDF (the charts stay in the PDF)."""
    c = summary_context(data, report)
    plan, issuer, counts = c["plan"], c["issuer"], data.counts
    model = plan.get_model_display()
    round_label = data.round_label.lower()
    word = WordDocument(c["heading"])
    title = (
        report.title
        if report
        else f"kết quả {round_label} năm {data.year} thực hiện mô hình “{model}”"
    )
    word.kind("BÁO CÁO", title)
    word.paragraph(
        f"Thực hiện Kế hoạch số {plan.number}, ngày {cited_date(plan.issue_date)} của "
        f"{issuer.signing_body} {issuer.issuing_name} {plan.title}, {issuer.signing_body} báo cáo "
        f"kết quả {round_label} năm {data.year} như sau:"
    )
    word.section_title("I. KẾT QUẢ THỰC HIỆN")
    word.section_title("1. Tình hình chung")
    figures = [
        ("Tổ chức thực hiện", f"{counts['targets']}"),
        (
            "Đã đăng ký xây dựng mô hình",
            f"{counts['registered']}/{counts['targets']} ({number(counts['registered_rate'])}%)",
        ),
        (
            "Đã ký cam kết",
            f"{counts['signed']}/{counts['registered']} ({number(counts['signed_rate'])}%)",
        ),
        ("Đã nộp bản tự đánh giá", f"{counts['submitted']}"),
        ("Cấp ủy đã quyết định kết quả", f"{counts['finalized']}"),
        (
            f"Đạt mô hình “{model}”",
            f"{counts['reached']}/{counts['registered']} ({number(counts['reached_rate'])}%)",
        ),
    ]
    for label, value in figures:
        word.paragraph(f"- {label}: {value}.")
    for number_, section in enumerate((s for s in c["narrative"] if s["key"] != "tasks"), start=2):
        word.section_title(f"{number_}. {section['title']}")
        for paragraph in section["paragraphs"] or ["(Chưa có nội dung.)"]:
            word.paragraph(paragraph)
    word.section_title("II. DANH SÁCH ĐẠT MÔ HÌNH")
    reached = data.reached_rows
    word.paragraph(
        "; ".join(
            f"{n}. {row.organization.name} ({number(row.total)} điểm)"
            for n, row in enumerate(reached, start=1)
        )
        + "."
        if reached
        else "Chưa có tổ chức nào.",
        indent=False,
    )
    word.section_title("III. TẬP THỂ, CÁ NHÂN TIÊU BIỂU")
    if data.collectives:
        word.paragraph(
            "Tập thể: " + "; ".join(n.organization.name for n in data.collectives) + ".",
            indent=False,
        )
    if data.individuals:
        word.paragraph(
            "Cá nhân: "
            + "; ".join(
                f"đồng chí {n.member.full_name} ({n.member.branch.name})" for n in data.individuals
            )
            + ".",
            indent=False,
        )
    if not data.collectives and not data.individuals:
        word.paragraph("Chưa có.", indent=False)
    for section in (s for s in c["narrative"] if s["key"] == "tasks"):
        word.section_title(f"IV. {section['title'].upper()}")
        for paragraph in section["paragraphs"] or ["(Chưa có nội dung.)"]:
            word.paragraph(paragraph)
    word.signature(c["signer"], c["recipients"])
    word.landscape_section()
    word.paragraph("PHỤ LỤC: KẾT QUẢ TỪNG TỔ CHỨC", bold=True, center=True)
    with translation.override("vi"):
        table = detail_table(data, document=True)
        word.table(
            [h.text for h in table.headers(short=True)],
            [[cell.text for cell in row] for row in table.body()],
        )
    return word.content()
