"""The format of a Party document, decided in one place: the header (the superior and the issuing
body, the `*`, the number line), the place-and-date line, the DỰ THẢO mark, the signer block by
body and authority, and "Nơi nhận" ending with "Lưu …".

Quy định 399-QĐ/TW (9/1/2026) sets the elements; the detail of how each is written comes from
Hướng dẫn 36-HD/VPTW (2018) and its examples, which the 2026 guide (Hướng dẫn 05-HD/VPTW) replaced
— no copy of the 2026 guide was found, so each such choice is marked as our reading in
docs/documents.md, which maps every element to its clause.

A document adopts it by building a `Heading`, a `SignerBlock` and its recipients here and including
templates/partydocs/pdf/_header.html and _signature.html (PDF) or calling partydocs.word (Word).
"""

import datetime
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vietnamese.dates import date_line

# The number of a draft is left for the office's register: "Số        -QĐ/ĐU". Plain spaces:
# a no-break space in a PDF takes the space glyph's place in its text, and a reader's search for
# "KẾ HOẠCH" then finds nothing; the PDF draws the gap with a box of its own (_header.html).
BLANK_NUMBER = " " * 8
DRAFT_MARK = "DỰ THẢO"


class Authority(models.TextChoices):
    """How the signer signs (36-HD/VPTW 1.7.1): for a collective, for the head of an advising
    body, by its order, or in the head's own name."""

    ON_BEHALF = "T/M", gettext_lazy("Thay mặt tập thể (T/M)")
    FOR_HEAD = "K/T", gettext_lazy("Ký thay người đứng đầu (K/T)")
    BY_ORDER = "T/L", gettext_lazy("Thừa lệnh (T/L)")
    DIRECT = "direct", gettext_lazy("Người đứng đầu ký trực tiếp")


# Who signs for a collective (cấp ủy, ban thường vụ, chi bộ): its secretary or a deputy
# secretary, under "T/M" with their own position — never "K/T" (36-HD/VPTW's examples:
# "T/M BAN THƯỜNG VỤ / BÍ THƯ (hoặc PHÓ BÍ THƯ)", "T/M CHI BỘ / BÍ THƯ (hoặc PHÓ BÍ THƯ)").
COLLECTIVE_POSITIONS = ("BÍ THƯ", "PHÓ BÍ THƯ")


def upper(text: str) -> str:
    return " ".join(str(text or "").split()).upper()


def position_line(position: str) -> str:
    """ "Bí thư chi bộ" → "BÍ THƯ": a position as the line under "T/M …" writes it, the body's
    name (already in the T/M line) removed."""
    text = " ".join(str(position or "").split())
    for body in (" chi bộ", " Đảng ủy", " đảng ủy", " cấp ủy"):
        if text.endswith(body):
            text = text[: -len(body)]
    return text.upper()


@dataclass(frozen=True)
class SignerBlock:
    """The lines above the signature ("T/M BAN THƯỜNG VỤ", "PHÓ BÍ THƯ") and the name, once."""

    lines: tuple[str, ...]
    name: str


def signer_block(
    *, authority: str, position: str, name: str, body: str = "", head: str = ""
) -> SignerBlock:
    """The signer block of who signs for whom; a combination the guide does not allow is refused
    with a sentence saying why.

    - T/M `body` (a collective: "Ban Thường vụ", "Đảng ủy", "Chi bộ") / `position`, which must be
      the secretary's or a deputy secretary's;
    - K/T `head` (the title of the head of an advising body: "Chánh Văn phòng") / `position` (the
      deputy's);
    - T/L `body` / `position` (the head of the office signing by the collective's order);
    - direct: `position` alone (the head of an advising body).
    """
    position, name = upper(position), " ".join(str(name or "").split())
    if not name:
        raise ValidationError(_("Chưa có người ký: chọn người ký trước khi ban hành."))
    if not position:
        raise ValidationError(_("Chưa có chức vụ của người ký."))
    if authority == Authority.ON_BEHALF:
        if not body:
            raise ValidationError(_("Ký thay mặt (T/M) phải ghi tên tập thể."))
        if position not in COLLECTIVE_POSITIONS:
            raise ValidationError(
                _(
                    "Thay mặt (T/M) %(body)s ký là bí thư hoặc phó bí thư, không phải “%(position)s”."
                )
                % {"body": body, "position": position.capitalize()}
            )
        return SignerBlock((f"T/M {upper(body)}", position), name)
    if authority == Authority.FOR_HEAD:
        if not head or body:
            raise ValidationError(
                _(
                    "Không ký thay (K/T) cho một tập thể lãnh đạo: phó bí thư ký thay mặt (T/M) tập thể với chức vụ của mình."
                )
            )
        if position == upper(head):
            raise ValidationError(_("Người đứng đầu ký trực tiếp, không ký thay (K/T)."))
        return SignerBlock((f"K/T {upper(head)}", position), name)
    if authority == Authority.BY_ORDER:
        if not body:
            raise ValidationError(_("Ký thừa lệnh (T/L) phải ghi tên tập thể giao việc."))
        return SignerBlock((f"T/L {upper(body)}", position), name)
    return SignerBlock((position,), name)


@dataclass(frozen=True)
class Heading:
    """The first page's header and the place-and-date line."""

    superior: str  # the body above the issuer ("" at the top of the tree), upper case
    issuer: str  # the issuing body, upper case, bold
    number: str  # "Số 98-KH/ĐU" (no colon); a draft: "Số        -KH/ĐU"; "" for a kind not numbered
    place_date: str  # "Quế Phú, ngày 31 tháng 7 năm 2023"; a draft: "…, ngày … tháng … năm …"
    draft: bool
    number_suffix: str = ""  # a number left blank: what follows the blank ("-KH/ĐU")

    @property
    def mark(self) -> str:
        return DRAFT_MARK if self.draft else ""


def heading(
    *,
    superior: str,
    issuer: str,
    place: str,
    day=None,
    number: str = "",
    kind_code: str = "",
    issuer_code: str = "",
    draft: bool = False,
) -> Heading:
    """A document is dated and numbered when it is issued: a draft shows neither (the number is
    left blank for the register, the date "ngày … tháng … năm …") and carries the DỰ THẢO mark."""
    suffix = ""
    if number and not draft:
        number_line = f"Số {number}"
    elif kind_code:
        suffix = f"-{kind_code}/{issuer_code}"
        number_line = f"Số {BLANK_NUMBER}{suffix}"
    else:
        number_line = ""
    return Heading(
        superior=upper(superior),
        issuer=upper(issuer),
        number=number_line,
        place_date=date_line(place, None if draft else day),
        draft=draft,
        number_suffix=suffix,
    )


def content_heading(content: dict, *, draft: bool = False) -> Heading:
    """The heading of a signed document (a pledge, a self-assessment), from its signed content
    alone: the organization, its superior, the place and the day it was signed — or, for a
    `draft` not signed yet, no date and the DỰ THẢO mark."""
    organization = content["organization"]
    return heading(
        superior=organization.get("superior", ""),
        issuer=organization["issuing_name"],
        place=content["place"],
        day=datetime.date.fromisoformat(content["date"]),
        draft=draft,
    )


def recipient_lines(text: str, *, archive: str) -> list[str]:
    """ "Nơi nhận" as lines, ending with the archive ("Lưu Văn phòng Đảng ủy"): lines typed with a
    leading dash are taken as they are; a "Lưu …" line typed anywhere goes last; none typed, the
    issuer's own is added."""
    lines = [line.strip().lstrip("-–•+ ").strip() for line in str(text or "").splitlines()]
    lines = [line for line in lines if line]
    kept = [line for line in lines if not line.lower().startswith("lưu")]
    archive_lines = [line for line in lines if line.lower().startswith("lưu")]
    return kept + (archive_lines or [f"Lưu {archive}"])


# Names that must not break across lines in a header: "ĐẢNG ỦY", "TỈNH ỦY", "BAN THƯỜNG VỤ" are
# one name each, and so is the place, the last two words ("VĨNH PHÚC").
_TOGETHER = re.compile(
    r"\b(?:TỈNH|HUYỆN|THÀNH|QUẬN|THỊ|ĐẢNG|CHI|BAN|VĂN) (?:ỦY|BỘ|THƯỜNG VỤ|PHÒNG)\b"
    r"|\S+ \S+$",
    re.IGNORECASE,
)


def unbroken_groups(text: str) -> list[tuple[str, bool]]:
    """The text in pieces, each with whether it stays on one line — for a template to wrap those
    in a no-wrap box rather than put no-break spaces in the text."""
    pieces, at = [], 0
    for match in _TOGETHER.finditer(text):
        if match.start() > at:
            pieces.append((text[at : match.start()], False))
        pieces.append((match.group(0), True))
        at = match.end()
    if at < len(text):
        pieces.append((text[at:], False))
    return pieces


def whole_name(name: str) -> str:
    """A person's name with its spaces normalized (the templates keep it on one line)."""
    return " ".join(str(name or "").split())
