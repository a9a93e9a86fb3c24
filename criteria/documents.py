"""The plan's Word copy, from the same PlanDocument as its page and PDF (templates/criteria/pdf/
plan.html): the header, the body, the signer block and the criteria table annex."""

import html

from django.template.loader import render_to_string
from django.utils import translation

from criteria.selectors import PlanDocument
from partydocs.word import WordDocument
from vietnamese.dates import cited_date
from vietnamese.numbers import number


def target_text(indicator) -> str:
    """The suggested target as the annex writes it (templates/criteria/_target.html)."""
    if indicator.target_kind == indicator.TargetKind.YES_NO:
        return "Có"
    if indicator.default_target is None:
        return ""
    if indicator.target_kind == indicator.TargetKind.PERCENT:
        return f"{number(indicator.default_target)}%"
    return f"{number(indicator.default_target)} {indicator.unit}".strip()


def plan_docx(doc: PlanDocument) -> bytes:
    plan, issuer = doc.plan, doc.issuer
    period = (
        f"năm {plan.start_year}"
        if plan.start_year == plan.end_year
        else f"giai đoạn {plan.start_year} - {plan.end_year}"
    )
    word = WordDocument(doc.heading)
    word.kind("KẾ HOẠCH", plan.title)
    word.paragraph(
        f"Thực hiện Nghị quyết Đại hội Đảng bộ nhiệm kỳ {plan.term_label} và các văn bản chỉ đạo "
        f"của cấp trên, {issuer.signing_body} {issuer.issuing_name} ban hành kế hoạch xây dựng mô "
        f"hình “{plan.get_model_display()}” {period} như sau:"
    )
    word.section_title("I. MỤC ĐÍCH, YÊU CẦU")
    for line in filter(None, (line.strip() for line in plan.purpose.splitlines())):
        word.paragraph(line)
    word.section_title("II. NỘI DUNG")
    word.paragraph(
        f"Mô hình “{plan.get_model_display()}” gồm bốn tiêu chí, tổng cộng "
        f"{number(doc.total_points)} điểm (chi tiết các chỉ tiêu và thang điểm tại Phụ lục kèm theo):"
    )
    for c in doc.criteria:
        description = f": {c.description}" if c.description else ""
        word.runs(
            [(f"{c.order}. {c.name}", True), (f" ({number(c.points)} điểm){description}", False)]
        )
    with translation.override("vi"):
        rules = render_to_string("criteria/pdf/_plan_rules.html", {"doc": doc})
    word.paragraph(html.unescape(" ".join(rules.split())))
    word.section_title("III. THỜI GIAN THỰC HIỆN")
    word.paragraph(
        f"- Đăng ký xây dựng mô hình: trước ngày {cited_date(plan.registration_deadline)}."
    )
    word.paragraph(f"- Ký cam kết thực hiện: trước ngày {cited_date(plan.signing_deadline)}.")
    if plan.interim_review_deadline:
        word.paragraph(f"- Sơ kết 6 tháng: trước ngày {cited_date(plan.interim_review_deadline)}.")
    word.paragraph(
        f"- Tổng kết, đánh giá, công nhận: trước ngày {cited_date(plan.final_review_deadline)}"
        + (" (các năm sau cùng ngày, tháng)." if plan.start_year != plan.end_year else ".")
    )
    word.section_title("IV. TỔ CHỨC THỰC HIỆN")
    for line in filter(None, (line.strip() for line in plan.implementation.splitlines())):
        word.paragraph(line)
    if doc.targets:
        unit = "chi bộ" if plan.model == plan.Model.BRANCH else "đảng bộ"
        names = "; ".join(t.name for t in doc.targets)
        word.paragraph(f"Tổ chức thực hiện: {len(doc.targets)} {unit} trực thuộc ({names}).")
    word.signature(doc.signer, doc.recipients)
    word.page_break()
    word.paragraph("PHỤ LỤC", bold=True, center=True)
    word.paragraph(
        f"TIÊU CHÍ VÀ THANG ĐIỂM MÔ HÌNH “{plan.get_model_display().upper()}”",
        bold=True,
        center=True,
    )
    attached = (
        "Kèm theo dự thảo Kế hoạch"
        if doc.heading.draft
        else f"Kèm theo Kế hoạch số {plan.number}, ngày {cited_date(plan.issue_date)}"
    )
    word.paragraph(
        f"({attached} của {issuer.signing_body} {issuer.issuing_name})", italic=True, center=True
    )
    rows, bold = [], []
    for c in doc.criteria:
        bold.append(len(rows))
        rows.append(
            [
                str(c.order),
                f"{c.name} (tối thiểu {number(c.min_points)} điểm)",
                number(c.points),
                "",
                "",
            ]
        )
        for i in c.indicators.all():
            text = i.text + (f"\n{i.guide}" if i.guide else "")
            if i.auto_source:
                text += f"\n{i.rule_text}"
            rows.append(
                [
                    f"{c.order}.{i.order}",
                    text,
                    number(i.points),
                    target_text(i),
                    "Bắt buộc" if i.evidence_required else "",
                ]
            )
    bold.append(len(rows))
    rows.append(["", "Tổng cộng", number(doc.total_points), "", ""])
    word.table(
        ["STT", "Tiêu chí, chỉ tiêu", "Điểm", "Mức phấn đấu", "Minh chứng"],
        rows,
        widths=[1.2, 9.5, 1.5, 2.2, 2.0],
        bold_rows=bold,
    )
    return word.content()
