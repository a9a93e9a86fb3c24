"""The pledge PDF (Party format, electronic-signature blocks, verification code and QR, PAdES
seal) and the registration list (PDF and Excel)."""

import base64

import segno
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from branches.signers import organization_heading
from criteria.models import Plan
from partydocs.format import content_heading
from partydocs.sealing import sealed_document
from pledges.models import Pledge
from pledges.selectors import countersignature, registration_counts, signer_signature
from pledges.services import preview_content
from rendering.excel import Column, workbook_bytes
from rendering.pdf import Document, render_pdf


def verify_url(code: str) -> str:
    return f"{settings.BONTOT_PUBLIC_URL}/verify/{code}"


def qr_data_uri(url: str) -> str:
    return segno.make(url, error="m").svg_data_uri(scale=4, border=1)


def _png_data_uri(data: bytes | None) -> str | None:
    return "data:image/png;base64," + base64.b64encode(bytes(data)).decode() if data else None


def document_context(pledge: Pledge, content: dict) -> dict:
    """What the pledge template needs: the signed (or to-be-signed) content and the evidence."""
    signer, counter = signer_signature(pledge), countersignature(pledge)
    context = {
        "content": content,
        "heading": content_heading(content),
        "draft": pledge.is_draft,
        "signer": signer,
        "counter": counter,
        "status": pledge.get_status_display(),
        "superseded": pledge.status in (Pledge.Status.SUPERSEDED, Pledge.Status.RETURNED),
    }
    if signer is not None:
        url = verify_url(signer.code)
        context.update(
            {
                "code": signer.code,
                "verify_url": url,
                "qr": qr_data_uri(url),
                "drawing": _png_data_uri(signer.drawing),
                "content_hash": signer.content_hash,
            }
        )
    return context


def _filename(pledge: Pledge) -> str:
    registration = pledge.registration
    return f"Cam-ket-{registration.organization.code}-{registration.plan.number.replace('/', '-')}-lan-{pledge.version}.pdf"


def pledge_pdf(pledge: Pledge, *, viewer) -> Document:
    """A draft renders on the fly, marked DỰ THẢO and unsealed. A signed version renders from the
    content exactly as signed, is sealed, and is kept: every download of it is the same file,
    until its status changes (accepted, superseded…) and a new file is made."""
    content, _hash = preview_content(pledge, viewer)
    context = document_context(pledge, content)
    filename = _filename(pledge)
    if pledge.is_draft:
        return render_pdf("pledges/pdf/pledge.html", context, filename=filename)
    signer = context["signer"]
    sealed = sealed_document(
        f"pledge-{pledge.pk}-{pledge.status}",
        lambda: render_pdf("pledges/pdf/pledge.html", context, filename=filename).content,
        reason=_("Bản cam kết đã ký điện tử — mã xác minh %(code)s") % {"code": signer.code},
        location=content["place"],
        signature=signer,
    )
    return Document(content=sealed, filename=filename)


def _row_values(row) -> list:
    registration, pledge = row["registration"], row["pledge"]
    signer = signer_signature(pledge) if pledge else None
    return [
        row["organization"].name,
        registration.get_status_display() if registration else _("Chưa đăng ký"),
        timezone.localtime(registration.registered_at) if registration else None,
        registration.late_reason if registration else "",
        pledge.version if pledge else None,
        pledge.get_status_display() if pledge else "",
        signer.full_name if signer else "",
        timezone.localtime(signer.signed_at) if signer else None,
        signer.code if signer else "",
    ]


def _rows_with_signatures(rows) -> list:
    pledges = [r["pledge"] for r in rows if r["pledge"]]
    by_id = {
        p.pk: p
        for p in Pledge.objects.filter(pk__in=[p.pk for p in pledges]).prefetch_related(
            "signatures"
        )
    }
    for row in rows:
        if row["pledge"]:
            row["pledge"] = by_id[row["pledge"].pk]
    return rows


def registration_list_xlsx(plan: Plan, rows: list[dict]) -> bytes:
    rows = _rows_with_signatures(rows)
    columns = [
        Column(_("Tổ chức"), 36),
        Column(_("Đăng ký"), 14),
        Column(_("Thời điểm đăng ký"), 17),
        Column(_("Lý do đăng ký muộn"), 24),
        Column(_("Lần cam kết"), 8),
        Column(_("Trạng thái cam kết"), 26),
        Column(_("Người ký"), 22),
        Column(_("Thời điểm ký"), 17),
        Column(_("Mã xác minh"), 26),
    ]
    heading = [
        _("Danh sách đăng ký và ký cam kết — Kế hoạch số %(number)s") % {"number": plan.number},
        f"{plan.issuer.name} — {plan.title}",
    ]
    return workbook_bytes(sheets=[(_("Đăng ký"), columns, [_row_values(r) for r in rows], heading)])


def registration_list_pdf(plan: Plan, rows: list[dict], year: int) -> Document:
    rows = _rows_with_signatures(rows)
    for row in rows:
        row["signer"] = signer_signature(row["pledge"]) if row["pledge"] else None
    issuer = plan.issuer
    context = {
        "plan": plan,
        "rows": rows,
        "counts": registration_counts(rows),
        "issuer": issuer,
        # A working list of where things stand: dated the day it is made.
        "heading": organization_heading(issuer, day=timezone.localdate()),
        "year": year,
    }
    return render_pdf(
        "pledges/pdf/registration_list.html",
        context,
        filename=f"Dang-ky-{plan.number.replace('/', '-')}-{year}.pdf",
    )
