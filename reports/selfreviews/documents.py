"""The documents of Hướng dẫn 43-HD/BTCTW: a member's self-review (Mẫu 2A/2B/2C, 05) and a
collective's review report (Mẫu 01) — each printed from the content its signature covers and
sealed like a pledge once signed —, the branch's record of its vote, the re-rating decision
(Mẫu 03) and the list of the year's review records (Mẫu 04)."""

import datetime
import json
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from branches.models import Organization, Position
from branches.signers import archive_of, organization_heading, signer_lines, sitting_signers
from criteria.rules import Level
from partydocs.format import SignerBlock, content_heading, recipient_lines
from partydocs.models import Signature
from partydocs.numbering import term_for, term_label
from partydocs.sealing import sealed_document
from partydocs.verification import verification_marks
from rendering.pdf import Document, render_html, render_pdf
from reports.ratings.collective import collective_report_content
from reports.ratings.models import CollectiveReport, OrganizationRating, Rerating
from reports.ratings.selectors import (
    cap_pool_of,
    decided_by_committee,
    deciding_committee,
    reratings_within,
    rules_for,
)
from reports.selfreviews.models import ReviewRound, SelfReview
from reports.selfreviews.selectors import branch_rows
from reports.selfreviews.services import self_review_content

TEMPLATE = "reports/pdf/hd43_form.html"


def _latest(document) -> Signature | None:
    return document.signatures.filter(role=Signature.Role.SIGNER).order_by("-sequence").first()


def signed_or_current(document, build) -> tuple[dict, Signature | None]:
    """The content as signed, for a signed document; as it would be signed today, otherwise."""
    signature = _latest(document) if document.pk else None
    if signature is not None and not document.editable:
        return json.loads(signature.canonical), signature
    return build(), None


def form_context(content: dict, signature: Signature | None) -> dict:
    """A signed record's page: its header from the signed content (a draft: not dated, marked
    DỰ THẢO), and the signature's marks once signed."""
    context = {
        "content": content,
        "heading": content_heading(content, draft=signature is None),
        "signer": signature,
    }
    if signature is not None:
        context.update(verification_marks(signature))
    return context


def _render(content, signature, *, key: str, filename: str, reason: str) -> Document:
    context = form_context(content, signature)
    if signature is None:
        return render_pdf(TEMPLATE, context, filename=filename)
    sealed = sealed_document(
        f"{key}-{signature.sequence}",
        lambda: render_pdf(TEMPLATE, context, filename=filename).content,
        reason=reason % {"code": signature.code},
        location=content["place"],
        signature=signature,
    )
    return Document(content=sealed, filename=filename)


def self_review_filename(review: SelfReview) -> str:
    period = f"Q{review.round.quarter}-" if review.round.quarter else ""
    return f"Kiem-diem-{review.form}-{period}{review.round.year}-{review.member_id}.pdf"


def self_review_pdf(review: SelfReview, viewer) -> Document:
    content, signature = signed_or_current(
        review, lambda: self_review_content(review, viewer, timezone.localdate())
    )
    return _render(
        content,
        signature,
        key=f"selfreview-{review.pk}",
        filename=self_review_filename(review),
        reason=_("Bản tự kiểm điểm đã ký điện tử — mã xác minh %(code)s"),
    )


def self_review_preview(review: SelfReview, viewer, *, nonce: str) -> str:
    """The page shown inside the signing page: the document exactly as it will be signed."""
    content = self_review_content(review, viewer, timezone.localdate())
    return render_html(
        TEMPLATE, {**form_context(content, None), "screen": True, "csp_nonce": nonce}
    )


def collective_report_pdf(report: CollectiveReport, viewer) -> Document:
    def build():
        rating = OrganizationRating.objects.filter(
            organization=report.organization, year=report.year, subject=report.subject
        ).first()
        return collective_report_content(report, rating, viewer, timezone.localdate())

    content, signature = signed_or_current(report, build)
    return _render(
        content,
        signature,
        key=f"collective-{report.pk or 0}",
        filename=f"Bao-cao-kiem-diem-{report.year}-{report.subject}-{report.organization.code}.pdf",
        reason=_("Báo cáo kiểm điểm tập thể đã ký điện tử — mã xác minh %(code)s"),
    )


def collective_report_preview(report: CollectiveReport, viewer, *, nonce: str) -> str:
    rating = OrganizationRating.objects.filter(
        organization=report.organization, year=report.year, subject=report.subject
    ).first()
    content = collective_report_content(report, rating, viewer, timezone.localdate())
    return render_html(
        TEMPLATE, {**form_context(content, None), "screen": True, "csp_nonce": nonce}
    )


def _header(organization: Organization, day: datetime.date) -> dict:
    return {"organization": organization, "heading": organization_heading(organization, day=day)}


def _collective_signer(organization: Organization, name: str = "") -> SignerBlock:
    """T/M the organization's collective, BÍ THƯ, and the secretary's name when on record (a list
    or a draft decision the office completes)."""
    sitting = [p for p in sitting_signers(organization) if p.title == Position.Title.SECRETARY]
    name = name or (sitting[0].member.full_name if sitting else "")
    return SignerBlock(tuple(signer_lines(organization, "Bí thư")), name)


def round_votes_pdf(round: ReviewRound, branch: Organization) -> Document:
    """The branch's record of the round: each member, the form, the level they proposed for
    themself, the branch's vote (counts) and the level it proposes, and the decision."""
    rows = branch_rows(round, branch)
    context = {
        **_header(branch, timezone.localdate()),
        "signer": _collective_signer(branch),
        "round": round,
        "rows": rows,
        "levels": list(Level),
    }
    return render_pdf(
        "reports/pdf/round_votes.html",
        context,
        filename=f"Bieu-quyet-xep-loai-{round.year}{'-Q' + str(round.quarter) if round.quarter else ''}-{branch.code}.pdf",
    )


def rerating_pdf(rerating: Rerating) -> Document:
    """The re-rating decision (Mẫu 03) as the office finishes it: the committee that decided,
    whom it re-rates, from which level to which, and why. The number is the office's to give."""
    rating = rerating.rating
    if rerating.member_rating_id:
        subject = _("đồng chí %(name)s, đảng viên %(branch)s") % {
            "name": rating.member.full_name,
            "branch": rating.branch.name,
        }
        committee = cap_pool_of(rating.branch)  # who decides a member: the pool's committee
        whom = "đảng viên"
    else:
        subject = rating.organization.name
        committee = deciding_committee(rating.organization)
        whom = "tổ chức đảng"
    context = {
        "organization": committee,
        # A draft for the office: numbered and dated when it issues it.
        "heading": organization_heading(committee, kind_code="QĐ", draft=True),
        "signer": _collective_signer(committee),
        "recipients": recipient_lines("Như Điều 2", archive=archive_of(committee)),
        "rerating": rerating,
        "year": rating.year,
        "subject": subject,
        "whom": whom,
        "old": Level(rerating.old_level).label,
        "new": Level(rerating.new_level).label,
        "rules": rules_for(rating.year),
        "body": committee.signing_body,
        "term_label": term_label(committee, term_for(committee, timezone.localdate())),
    }
    return render_pdf(
        "reports/pdf/rerating.html",
        context,
        filename=f"Quyet-dinh-xep-loai-lai-{rating.year}-{rerating.pk}.pdf",
    )


@dataclass
class RecordRow:
    """One record of the year's review file (Mẫu 04): what it is, whose, its state."""

    title: str
    owner: str
    state: str
    day: datetime.date | None


def review_records(committee: Organization, year: int) -> list[RecordRow]:
    """The records of the year's reviews kept for the committee (HD 43 Mẫu 04): the collective
    reports of the organizations it decides on, the members' self-reviews of its branches, the
    branches' votes and the re-rating decisions. A fixed number of queries."""
    organizations = decided_by_committee(committee)
    rows: list[RecordRow] = []
    reports = {
        (r.organization_id, r.subject): r
        for r in CollectiveReport.objects.filter(
            organization__in=[committee, *organizations], year=year
        )
    }
    for organization in [committee, *organizations]:
        for subject in OrganizationRating.Subject:
            report = reports.get((organization.pk, subject))
            if report is None:
                continue
            rows.append(
                RecordRow(
                    _("Báo cáo kiểm điểm, tự đánh giá, xếp loại chất lượng (Mẫu 01) — %(s)s")
                    % {"s": subject.label.lower()},
                    organization.name,
                    str(report.get_status_display()),
                    None,
                )
            )
    reviews = (
        SelfReview.objects.filter(
            round__year=year, round__quarter__isnull=True, branch__path__startswith=committee.path
        )
        .select_related("member", "branch")
        .order_by("branch__path", "member__sort_key")
    )
    for review in reviews:
        rows.append(
            RecordRow(
                _("Bản kiểm điểm, tự đánh giá, xếp loại cá nhân (Mẫu %(form)s)")
                % {"form": review.form},
                f"{review.member.full_name} — {review.branch.name}",
                str(review.get_status_display()),
                timezone.localdate(review.submitted_at) if review.submitted_at else None,
            )
        )
        if review.voted:
            rows.append(
                RecordRow(
                    _("Kết quả biểu quyết của chi bộ"),
                    f"{review.member.full_name} — {review.branch.name}",
                    str(Level(review.vote_result).label),
                    review.vote_date,
                )
            )
    for rerating in reratings_within(committee, year):
        rating = rerating.rating
        owner = rating.member.full_name if rerating.member_rating_id else rating.organization.name
        rows.append(
            RecordRow(
                _("Quyết định đánh giá, xếp loại lại (Mẫu 03)"),
                owner,
                f"{Level(rerating.old_level).label} → {Level(rerating.new_level).label}",
                timezone.localdate(rerating.decided_at),
            )
        )
    return rows


def review_records_pdf(committee: Organization, year: int) -> Document:
    context = {
        **_header(committee, timezone.localdate()),
        "signer": SignerBlock(("NGƯỜI LẬP DANH MỤC",), ""),
        "year": year,
        "rows": review_records(committee, year),
    }
    return render_pdf(
        "reports/pdf/review_records.html",
        context,
        filename=f"Danh-muc-ho-so-kiem-diem-{year}-{committee.code}.pdf",
    )
