"""The branch's self-assessment sheet (signed and sealed like a pledge), the committee's
assessment sheet, both also as Excel, and the recognition decision (QĐ) with its annex."""

import datetime
import json

from django.utils import timezone
from django.utils.translation import gettext as _

from branches.models import Organization
from partydocs.models import Signature
from partydocs.sealing import sealed_document
from partydocs.verification import qr_data_uri, verify_url
from rendering.excel import Column, workbook_bytes
from rendering.pdf import Document, render_pdf
from reports.reviews.models import Nomination, RecognitionDecision, Review
from reports.reviews.recognition import recognized_reviews
from reports.reviews.selectors import ReviewSheet, submission_content
from vietnamese.dates import date_line


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
        "date_line": date_line(content["place"], datetime.date.fromisoformat(content["date"])),
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
    plan = sheet.plan
    issuer = plan.issuer
    context = {
        "review": review,
        "sheet": sheet,
        "issuer": issuer,
        "superior": Organization.objects.get_parent(issuer),
        "date_line": date_line(
            issuer.place_name or plan.place_name,
            timezone.localdate(review.finalized_at or review.assessed_at or timezone.now()),
        ),
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
        Column(_("Điểm tối đa"), 9, "0.##"),
        Column(_("Cam kết"), 14),
        Column(_("Kết quả đạt được"), 16),
        Column(_("Tự chấm"), 9, "0.##"),
        Column(_("Giải trình"), 30),
        Column(_("Thẩm định"), 10, "0.##"),
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
    return workbook_bytes(sheets=[(title, columns, rows)])


def decision_pdf(decision: RecognitionDecision) -> Document:
    plan = decision.plan
    issuer = decision.issuer
    reviews = list(recognized_reviews(plan, decision.year))
    nominations = list(
        Nomination.objects.filter(plan=plan, year=decision.year, status=Nomination.Status.APPROVED)
        .select_related("organization", "member__branch")
        .order_by("kind", "organization__path", "member__sort_key")
    )
    context = {
        "decision": decision,
        "plan": plan,
        "issuer": issuer,
        "superior": Organization.objects.get_parent(issuer),
        "date_line": date_line(decision.place_name, decision.issue_date),
        "reviews": reviews,
        "collectives": [n for n in nominations if n.kind == Nomination.Kind.COLLECTIVE],
        "individuals": [n for n in nominations if n.kind == Nomination.Kind.INDIVIDUAL],
        "recipients": [
            line.strip(" -") for line in decision.recipients.splitlines() if line.strip(" -")
        ],
        "draft": decision.status == RecognitionDecision.Status.DRAFT,
    }
    return render_pdf(
        "reports/pdf/decision.html",
        context,
        filename=f"Quyet-dinh-{decision.number.replace('/', '-')}.pdf",
    )
