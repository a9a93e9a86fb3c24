"""How a signed document is verified: the address and QR code it prints, and whether an uploaded
PDF is an unaltered signed document of this system.

Three things must hold: the PAdES seal is intact and covers the whole file (one changed byte, a
cut file or anything appended fails); it was made with this deployment's certificate (or an
earlier one it still trusts); and the verification code and content hash written inside the
sealed file match a signature recorded here.
"""

import datetime
import re
from dataclasses import dataclass
from io import BytesIO

import segno
from asn1crypto import cms, pem
from asn1crypto import parser as asn1_parser
from asn1crypto import x509 as asn1_x509
from django.conf import settings
from django.utils.translation import gettext_lazy
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import KeyUsageConstraints, validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.authority import CertTrustAnchor

from partydocs.models import Signature
from partydocs.sealing import CODE_KEY, HASH_KEY, trusted_certificates

MAX_UPLOAD_BYTES = 20_000_000


def verify_url(code: str) -> str:
    """The public address a signed document prints (as text and QR code) for its code."""
    return f"{settings.BONTOT_PUBLIC_URL}/verify/{code}"


def qr_data_uri(url: str) -> str:
    return segno.make(url, error="m").svg_data_uri(scale=4, border=1)


def verification_marks(signature: Signature) -> dict:
    """What a signed document prints about its signature: code, address, QR code, content hash."""
    url = verify_url(signature.code)
    return {
        "code": signature.code,
        "verify_url": url,
        "qr": qr_data_uri(url),
        "content_hash": signature.content_hash,
    }


MESSAGES = {
    "ok": gettext_lazy("Đây là văn bản đã ký trên hệ thống này và chưa bị sửa đổi."),
    "not_pdf": gettext_lazy("Tệp này không phải là tệp PDF."),
    "truncated": gettext_lazy("Tệp PDF bị cắt cụt hoặc chưa tải về đủ."),
    "unreadable": gettext_lazy("Tệp PDF bị hỏng, không đọc được."),
    "no_signature": gettext_lazy("Tệp PDF không có chữ ký số nào."),
    "multiple_signatures": gettext_lazy(
        "Tệp PDF có nhiều hơn một chữ ký số; văn bản của hệ thống chỉ có một."
    ),
    "bad_signature": gettext_lazy("Chữ ký số trong tệp bị hỏng hoặc đã bị can thiệp."),
    "digest_mismatch": gettext_lazy("Nội dung tệp đã bị thay đổi sau khi ký."),
    "signature_invalid": gettext_lazy("Chữ ký số không hợp lệ."),
    "untrusted": gettext_lazy("Chữ ký số không phải của hệ thống này."),
    "modified_after_signing": gettext_lazy("Tệp đã bị thêm nội dung sau khi ký."),
    "validation_error": gettext_lazy("Không kiểm tra được chữ ký số của tệp."),
    "unknown_code": gettext_lazy(
        "Tệp được niêm phong bằng chứng thư của hệ thống nhưng mã xác minh không có trong hệ thống."
    ),
    "hash_mismatch": gettext_lazy("Mã băm nội dung trong tệp không khớp với văn bản đã ký."),
}


@dataclass
class VerificationResult:
    ok: bool
    reason: str
    signature: Signature | None = None

    @property
    def message(self) -> str:
        return str(MESSAGES[self.reason])


def verify_pdf(data: bytes) -> VerificationResult:
    """Check an uploaded file; never raises for bad input."""
    if data.lstrip(b"\x00\t\n\r\f ")[:5] != b"%PDF-":
        return VerificationResult(False, "not_pdf")
    if b"%%EOF" not in data[-1024:]:
        return VerificationResult(False, "truncated")
    try:
        reader = PdfFileReader(BytesIO(data), strict=False)
        signatures = reader.embedded_signatures
    except Exception:  # noqa: BLE001 - any parser failure means "damaged"
        return VerificationResult(False, "unreadable")
    if not signatures:
        return VerificationResult(False, "no_signature")
    if len(signatures) != 1:
        return VerificationResult(False, "multiple_signatures")
    embedded = signatures[0]
    try:
        byte_range = [int(x) for x in embedded.byte_range]
    except (TypeError, ValueError):
        return VerificationResult(False, "bad_signature")
    if len(byte_range) != 4 or byte_range[2] + byte_range[3] > len(data):
        return VerificationResult(False, "truncated")
    # The /Contents hole is the one part the digest does not cover; accept only what a signer
    # writes there, so nobody can hide bytes in it.
    if not _hole_is_canonical(data[byte_range[1] : byte_range[2]]):
        return VerificationResult(False, "bad_signature")
    reason = _validate(embedded)
    if reason != "ok":
        return VerificationResult(False, reason)
    info = _info(reader)
    signature = Signature.objects.filter(code=info.get(CODE_KEY, "")).first()
    if signature is None:
        return VerificationResult(False, "unknown_code")
    if info.get(HASH_KEY) != signature.content_hash:
        return VerificationResult(False, "hash_mismatch", signature)
    return VerificationResult(True, "ok", signature)


def _validate(embedded) -> str:
    """The first problem of the seal against each trusted certificate, or "ok"."""
    problem = "untrusted"
    for pem_bytes in trusted_certificates():
        _type, _headers, der = (
            pem.unarmor(pem_bytes) if pem.detect(pem_bytes) else (None, None, pem_bytes)
        )
        # The anchor carries the certificate's validity dates (a bare certificate would be
        # trusted forever), judged at the signing time recorded inside the signed bytes, so a
        # document stays verifiable after the certificate expires.
        moment = embedded.self_reported_timestamp
        if moment is not None and moment.tzinfo is None:
            moment = moment.replace(tzinfo=datetime.UTC)
        context = ValidationContext(
            trust_roots=[
                CertTrustAnchor(
                    asn1_x509.Certificate.load(der), derive_default_quals_from_cert=True
                )
            ],
            moment=moment,
            allow_fetching=False,
            revocation_mode="soft-fail",
        )
        try:
            status = validate_pdf_signature(
                embedded,
                context,
                skip_diff=True,
                key_usage_settings=KeyUsageConstraints(
                    key_usage={"digital_signature", "non_repudiation"}
                ),
            )
        except Exception:  # noqa: BLE001 - a malformed signature must not become a 500
            return "validation_error"
        if not status.intact:
            return "digest_mismatch"
        if not status.valid:
            return "signature_invalid"
        if not status.trusted:
            continue
        if status.coverage != SignatureCoverageLevel.ENTIRE_FILE:
            return "modified_after_signing"
        if not status.bottom_line:
            return "validation_error"
        return "ok"
    return problem


def _info(reader) -> dict[str, str]:
    try:
        info = reader.trailer["/Info"]
    except KeyError:
        return {}
    return {key.lstrip("/"): str(value) for key, value in info.items()}


def _hole_is_canonical(hole: bytes) -> bool:
    """<HEX of one DER CMS, zero padding only>, in one letter case."""
    if len(hole) < 4 or hole[:1] != b"<" or hole[-1:] != b">":
        return False
    digits = hole[1:-1]
    if len(digits) % 2 or not (
        re.fullmatch(rb"[0-9A-F]+", digits) or re.fullmatch(rb"[0-9a-f]+", digits)
    ):
        return False
    raw = bytes.fromhex(digits.decode("ascii"))
    try:
        _c, _m, _t, header, contents, trailer = asn1_parser.parse(raw)
    except ValueError:
        return False
    used = len(header) + len(contents) + len(trailer)
    if raw[used:].strip(b"\x00"):
        return False
    try:
        info = cms.ContentInfo.load(raw[:used])
        if info.dump(force=True) != raw[:used]:
            return False
        signed = info["content"]
        (signer_info,) = signed["signer_infos"]
        return (
            signed["version"].native == "v1"
            and signer_info["version"].native == "v1"
            and [a.dump() for a in signed["digest_algorithms"]]
            == [signer_info["digest_algorithm"].dump()]
        )
    except Exception:  # noqa: BLE001 - anything unparsable is not canonical
        return False
