"""Uploaded files (evidence, meeting minutes): type checked by content, size limited, hashed.

The extension a file arrives with means nothing: an executable renamed `bien-ban.pdf` is
refused. Old binary Office files (.doc, .xls) are refused too — their container is the one
Windows installers use — with a message asking for .docx/.xlsx or PDF.
"""

import hashlib
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from vietnamese.numbers import number

ALLOWED = {
    "application/pdf": "PDF",
    "image/jpeg": "JPEG",
    "image/png": "PNG",
    "image/webp": "WebP",
    "image/heic": "HEIC",
    "image/heif": "HEIF",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word (.docx)",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Excel (.xlsx)",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "PowerPoint (.pptx)",
    "application/vnd.oasis.opendocument.text": "OpenDocument (.odt)",
    "application/vnd.oasis.opendocument.spreadsheet": "OpenDocument (.ods)",
}
OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")


@dataclass(frozen=True)
class CheckedFile:
    content_type: str
    size: int
    sha256: str


def check_upload(upload) -> CheckedFile:
    """Raise ValidationError (in Vietnamese) unless the file's content is an allowed type within
    the size limit; return its detected type, size and SHA-256."""
    limit = settings.BONTOT_UPLOAD_MAX_MB * 1024 * 1024
    if upload.size > limit:
        raise ValidationError(
            _("Tệp %(name)s nặng %(size)s MB, quá giới hạn %(limit)s MB.")
            % {
                "name": upload.name,
                "size": number(upload.size / 1048576, 1),
                "limit": settings.BONTOT_UPLOAD_MAX_MB,
            }
        )
    digest = hashlib.sha256()
    head = b""
    upload.seek(0)
    for chunk in upload.chunks():
        if len(head) < 8192:
            head += chunk[: 8192 - len(head)]
        digest.update(chunk)
    upload.seek(0)
    if head.startswith(OLE_MAGIC):
        raise ValidationError(
            _(
                "Tệp %(name)s là định dạng Office cũ (.doc, .xls); hãy lưu lại thành .docx, .xlsx hoặc PDF."
            )
            % {"name": upload.name}
        )
    kind = filetype.guess(_whole_if_zip(upload, head))
    if kind is None or kind.mime not in ALLOWED:
        found = kind.mime if kind else _("không nhận ra")
        raise ValidationError(
            _(
                "Tệp %(name)s không phải loại được nhận (nội dung: %(found)s). Chỉ nhận PDF, ảnh (JPEG, PNG, HEIC) và văn bản Office (.docx, .xlsx, .pptx)."
            )
            % {"name": upload.name, "found": found}
        )
    return CheckedFile(content_type=kind.mime, size=upload.size, sha256=digest.hexdigest())


def _whole_if_zip(upload, head: bytes) -> bytes:
    """Office files are ZIP archives whose type shows in their entries: read enough of them."""
    if not head.startswith(b"PK"):
        return head
    upload.seek(0)
    data = upload.read(2 * 1024 * 1024)
    upload.seek(0)
    return data
