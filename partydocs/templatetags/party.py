"""Template filters of the Party document format (partydocs.format): the position lines of a
signer block."""

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

from partydocs.format import COLLECTIVE_POSITIONS, position_line, unbroken_groups

register = template.Library()


@register.filter
def office(position):
    """ "Bí thư chi bộ" → "BÍ THƯ": the office line of a signature block, body name removed."""
    return position_line(position)


@register.filter
def party_position(position):
    """The position line of a collective's signer ("BÍ THƯ", "PHÓ BÍ THƯ") — "" for anything
    else a record may hold (a role such as "Lãnh đạo cấp ủy" is not a Party position)."""
    line = position_line(position)
    return line if line in COLLECTIVE_POSITIONS else ""


@register.filter
def unbroken(text):
    """A body's name in a header, its own names ("ĐẢNG ỦY", "TỈNH ỦY") and its place kept on one
    line each — by a no-wrap box, so the PDF's text keeps ordinary spaces."""
    return mark_safe(
        "".join(
            f'<span class="nowrap">{escape(piece)}</span>' if whole else escape(piece)
            for piece, whole in unbroken_groups(str(text or ""))
        )
    )
