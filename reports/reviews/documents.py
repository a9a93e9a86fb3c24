"""The branch's self-assessment sheet (signed and sealed like a pledge), the committee's
assessment sheet, both also as Excel, and the recognition decision (QĐ) with its annex."""

import datetime
import json

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from branches.signers import advising_heading, archive_of, organization_heading
from partydocs.format import SignerBlock, content_heading, recipient_lines, whole_name
from partydocs.models import Signature
from partydocs.sealing import sealed_document
from partydocs.verification import qr_data_uri, verify_url
from partydocs.word import WordDocument
from rendering.excel import NUMBER, Column, workbook_bytes
from rendering.pdf import Document, render_pdf
from reports.reviews.models import Nomination, RecognitionDecision, Review
from reports.reviews.recognition import recognized_reviews
from reports.reviews.selectors import ReviewSheet, submission_content
from vietnamese.dates import cited_date
from vietnamese.numbers import number


def _latest_submission(review: Review) -> Signature | None:
    return review.signatures.filter(role=Signature.Role.SIGNER).order_by("-sequence").first()


def self_assessment_content(
    review: Review, sheet: ReviewSheet, viewer
) -> tuple[dict, Signature | None]:
    """The content as signed, for a submitted review; as it would be signed today, for a draft."""
    signature = _latest_submission(review)
    if signature is not None and not review.editable_by_branch:
        return json.loads(signature.canonical), signature
    return submission_content(sheet, viewer, timezone.localdate()), None


def self_assessment_context(content: dict, signature: Signature | None, *, draft: bool) -> dict:
    context = {
        "content": content,
        "heading": content_heading(content),
        "period": [datetime.date.fromisoformat(d) for d in content["period"]],
        "signer": signature,
        "draft": draft,
    }
    if signature is not None:
        url = verify_url(signature.code)
        context.update(
            {
                "code": signature.code,
                "verify_url": url,
                "qr": qr_data_uri(url),
                "content_hash": signature.content_hash,
            }
        )
    return context


def self_assessment_pdf(review: Review, sheet: ReviewSheet, viewer) -> Document:
    content, signature = self_assessment_content(review, sheet, viewer)
    organization = sheet.organization
    filename = f"Tu-danh-gia-{review.round}-{review.year}-{organization.code}.pdf"
    context = self_assessment_context(content, signature, draft=signature is None)
    if signature is None:
        return render_pdf("reports/pdf/self_assessment.html", context, filename=filename)
    sealed = sealed_document(
        f"review-{review.pk}-{signature.sequence}",
        lambda: render_pdf("reports/pdf/self_assessment.html", context, filename=filename).content,
        reason=_("Bản tự đánh giá đã ký điện tử — mã xác minh %(code)s") % {"code": signature.code},
        location=content["place"],
        signature=signature,
    )
    return Document(content=sealed, filename=filename)


def assessment_pdf(review: Review, sheet: ReviewSheet) -> Document:
    """The appraisal sheet (phiếu thẩm định), issued by the committee's advising body and signed
    by its head; dated the day the result was finalized, a draft (no date, DỰ THẢO) before."""
    plan = sheet.plan
    issuer = plan.issuer
    day = timezone.localdate(review.finalized_at) if review.finalized_at else None
    assessor = review.assessed_by
    context = {
        "review": review,
        "sheet": sheet,
        "issuer": issuer,
        "heading": advising_heading(issuer, day=day, draft=day is None),
        "signer": SignerBlock(
            (issuer.advising_head_title.upper(),),
            whole_name(assessor.full_name if assessor else ""),
        ),
        "recipients": recipient_lines("", archive=archive_of(issuer)),
        "self_total": sheet.total("self_score"),
        "assessed_total": sheet.total("assessed_score"),
    }
    return render_pdf(
        "reports/pdf/assessment.html",
        context,
        filename=f"Tham-dinh-{review.round}-{review.year}-{sheet.organization.code}.pdf",
    )


def review_xlsx(review: Review, sheet: ReviewSheet) -> bytes:
    """Both sheets' numbers in one table: pledged, achieved, self score, committee score."""
    columns = [
        Column(_("STT"), 7),
        Column(_("Tiêu chí, chỉ tiêu"), 56),
        Column(_("Điểm tối đa"), 9, NUMBER),
        Column(_("Cam kết"), 14),
        Column(_("Kết quả đạt được"), 16),
        Column(_("Tự chấm"), 9, NUMBER),
        Column(_("Giải trình"), 30),
        Column(_("Thẩm định"), 10, NUMBER),
        Column(_("Nhận xét của cấp ủy"), 30),
        Column(_("Minh chứng"), 30),
    ]
    rows = []
    for block in sheet.blocks:
        criterion = block.criterion
        rows.append(
            [
                str(criterion.order),
                criterion.name,
                criterion.points,
                None,
                None,
                block.total("self_score"),
                "",
                block.total("assessed_score"),
                "",
                "",
            ]
        )
        for row in block.rows:
            rows.append(
                [
                    row.code,
                    row.indicator.text,
                    row.indicator.points,
                    row.target_text,
                    row.achieved_text,
                    row.score.self_score,
                    row.score.self_comment,
                    row.score.assessed_score,
                    row.score.assessed_comment,
                    "; ".join(e.original_name or e.note[:60] for e in row.evidence),
                ]
            )
    rows.append(
        [
            "",
            _("Tổng cộng"),
            sheet.plan.total_points,
            None,
            None,
            sheet.total("self_score"),
            "",
            sheet.total("assessed_score"),
            "",
            "",
        ]
    )
    title = f"{review.get_round_display()} {review.year}"
    heading = [
        _("Đánh giá %(round)s năm %(year)s — %(name)s")
        % {
            "round": review.get_round_display().lower(),
            "year": review.year,
            "name": sheet.organization.name,
        },
        _("Kế hoạch số %(number)s — %(title)s")
        % {"number": sheet.plan.number, "title": sheet.plan.title},
    ]
    return workbook_bytes(sheets=[(title, columns, rows, heading)])


def decision_context(decision: RecognitionDecision) -> dict:
    """The recognition decision as its PDF and Word copy show it: the formula (Căn cứ Điều lệ
    Đảng; the committee's Quy chế làm việc; the plan; the results; Xét đề nghị của the advising
    body; QUYẾT ĐỊNH: Điều 1 … the last article on its effect from signing), the signer block and
    "Nơi nhận" beginning "Như Điều …"; a draft has no number and no date."""
    plan = decision.plan
    issuer = decision.issuer
    reviews = list(recognized_reviews(plan, decision.year))
    nominations = list(
        Nomination.objects.filter(plan=plan, year=decision.year, status=Nomination.Status.APPROVED)
        .select_related("organization", "member__branch")
        .order_by("kind", "organization__path", "member__sort_key")
    )
    collectives = [n for n in nominations if n.kind == Nomination.Kind.COLLECTIVE]
    individuals = [n for n in nominations if n.kind == Nomination.Kind.INDIVIDUAL]
    draft = decision.status == RecognitionDecision.Status.DRAFT
    last_article = 3 if collectives or individuals else 2
    proposer = f"{issuer.advising_body_name} Đảng ủy"
    return {
        "decision": decision,
        "plan": plan,
        "issuer": issuer,
        "units": "chi bộ" if plan.model == plan.Model.BRANCH else "đảng bộ",
        "term_label": decision.term_label,
        "proposer": proposer,
        "proposer_short": proposer,
        "last_article": last_article,
        "heading": organization_heading(
            issuer,
            day=decision.issue_date,
            number=decision.number,
            kind_code=decision.KIND_CODE,
            place=decision.place_name,
            draft=draft,
        ),
        "signer": SignerBlock(
            (f"T/M {issuer.signing_body.upper()}", decision.signer_title.upper()),
            whole_name(decision.signer_name),
        ),
        "reviews": reviews,
        "collectives": collectives,
        "individuals": individuals,
        "recipients": recipient_lines(
            f"Như Điều {last_article}\n{decision.recipients}", archive=archive_of(issuer)
        ),
    }


def decision_pdf(decision: RecognitionDecision) -> Document:
    return render_pdf(
        "reports/pdf/decision.html",
        decision_context(decision),
        filename=f"Quyet-dinh-{decision.number.replace('/', '-')}.pdf",
    )


def decision_docx(decision: RecognitionDecision) -> bytes:
    """The decision's Word copy: the same formula, articles, signer block and annex as its PDF."""
    c = decision_context(decision)
    plan, issuer, units = c["plan"], c["issuer"], c["units"]
    collectives, individuals = c["collectives"], c["individuals"]
    word = WordDocument(c["heading"])
    word.kind("QUYẾT ĐỊNH", decision.title)
    word.paragraph(f"{issuer.signing_body} {issuer.issuing_name}".upper(), bold=True, center=True)
    for line in (
        "- Căn cứ Điều lệ Đảng Cộng sản Việt Nam;",
        f"- Căn cứ Quy chế làm việc của Ban Chấp hành {issuer.name} nhiệm kỳ {c['term_label']};",
        f"- Căn cứ Kế hoạch số {plan.number}, ngày {cited_date(plan.issue_date)} của "
        f"{issuer.signing_body} {issuer.issuing_name} {plan.title};",
        f"- Căn cứ kết quả tự đánh giá của các {units} và kết quả thẩm định kết quả năm "
        f"{decision.year};",
        f"- Xét đề nghị của {c['proposer']},",
    ):
        word.paragraph(line)
    word.paragraph("QUYẾT ĐỊNH:", bold=True, center=True)
    model = plan.get_model_display()
    word.runs(
        [
            ("Điều 1. ", True),
            (
                f"Công nhận {len(c['reviews'])} {units} đạt mô hình “{model}” năm {decision.year} "
                "(có danh sách kèm theo).",
                False,
            ),
        ]
    )
    if collectives or individuals:
        parts = [f"{len(collectives)} tập thể tiêu biểu"] if collectives else []
        parts += [f"{len(individuals)} cá nhân tiêu biểu"] if individuals else []
        word.runs(
            [
                ("Điều 2. ", True),
                (
                    f"Công nhận {' và '.join(parts)} trong thực hiện mô hình năm {decision.year} "
                    "(có danh sách kèm theo).",
                    False,
                ),
            ]
        )
    named = "Điều 1, Điều 2" if collectives or individuals else "Điều 1"
    word.runs(
        [
            (f"Điều {c['last_article']}. ", True),
            (
                f"Quyết định có hiệu lực kể từ ngày ký. {c['proposer_short']}, các {units} trực "
                f"thuộc và các tập thể, cá nhân có tên tại {named} căn cứ Quyết định thi hành.",
                False,
            ),
        ]
    )
    word.signature(c["signer"], c["recipients"])
    word.page_break()
    word.paragraph("DANH SÁCH", bold=True, center=True)
    word.paragraph(
        f"{units.upper()} ĐẠT MÔ HÌNH “{model.upper()}” NĂM {decision.year}", bold=True, center=True
    )
    attached = (
        "Kèm theo dự thảo Quyết định"
        if c["heading"].draft
        else f"Kèm theo Quyết định số {decision.number}, ngày {cited_date(decision.issue_date)}"
    )
    word.paragraph(
        f"({attached} của {issuer.signing_body} {issuer.issuing_name})", italic=True, center=True
    )
    word.table(
        ["STT", "Tổ chức", "Tổng điểm"],
        [
            [str(n), r.registration.organization.name, number(r.total)]
            for n, r in enumerate(c["reviews"], start=1)
        ],
        widths=[1.5, 11, 3],
    )
    if collectives:
        word.paragraph("TẬP THỂ TIÊU BIỂU", bold=True, center=True)
        word.table(
            ["STT", "Tập thể", "Thành tích"],
            [[str(i), n.organization.name, n.reason] for i, n in enumerate(collectives, start=1)],
            widths=[1.5, 6.5, 8],
        )
    if individuals:
        word.paragraph("CÁ NHÂN TIÊU BIỂU", bold=True, center=True)
        word.table(
            ["STT", "Họ và tên", "Chi bộ", "Thành tích"],
            [
                [str(i), n.member.full_name, n.member.branch.name, n.reason]
                for i, n in enumerate(individuals, start=1)
            ],
            widths=[1.5, 4.5, 4.5, 5.5],
        )
    return word.content()


def decision_certificates_pdf(decision: RecognitionDecision) -> Document:
    """The giấy khen of a whole issued decision in one PDF, a landscape page each: every
    outstanding collective, and every outstanding member — members the committee rated
    "hoàn thành xuất sắc nhiệm vụ" (the plan's rule, Hướng dẫn 06-HD/TW mục 19.2) — with the
    issuing committee's header, the decision cited and its signer block."""
    if decision.status != RecognitionDecision.Status.ISSUED:
        raise ValidationError(_("Chỉ in giấy khen theo quyết định đã ban hành."))
    context = decision_context(decision)
    model = context["plan"].get_model_display()
    year = decision.year
    certificates = [
        {
            "person": False,
            "name": n.organization.name,
            "where": "",
            "merit": f"Đã có thành tích tiêu biểu trong thực hiện mô hình “{model}” năm {year}",
        }
        for n in context["collectives"]
    ] + [
        {
            "person": True,
            "name": n.member.full_name,
            "where": n.member.branch.name,
            "merit": f"Đã hoàn thành xuất sắc nhiệm vụ, tiêu biểu trong thực hiện mô hình "
            f"“{model}” năm {year}",
        }
        for n in context["individuals"]
    ]
    if not certificates:
        raise ValidationError(_("Quyết định không có tập thể, cá nhân tiêu biểu để in giấy khen."))
    return render_pdf(
        "reports/pdf/certificates.html",
        {**context, "certificates": certificates},
        filename=f"Giay-khen-{decision.number.replace('/', '-')}.pdf",
    )
