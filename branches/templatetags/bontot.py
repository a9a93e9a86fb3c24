from django import template
from django.utils.formats import date_format

register = template.Library()


@register.simple_tag(takes_context=True)
def query_with(context, **changes):
    """The current query string with some parameters replaced (pagination keeps the filters)."""
    query = context["request"].GET.copy()
    for key, value in changes.items():
        query[key] = value
    return query.urlencode()


@register.filter
def vn_date(value):
    """31/07/2023 — the short date, as Vietnamese forms write it."""
    return date_format(value, "SHORT_DATE_FORMAT") if value else ""


@register.simple_tag
def cell(row: dict, key: str):
    """A parsed import value as the preview shows it (labels for choices, dd/mm/yyyy for dates)."""
    from branches.models import Member, Organization

    if key == "branch_code":
        return row["branch"].code if row.get("branch") else ""
    value = row.get(key)
    choices = {"kind": Organization.Kind, "gender": Member.Gender, "status": Member.Status}
    if key in choices and value:
        return choices[key](value).label
    if hasattr(value, "year"):
        return vn_date(value)
    return value or ""


@register.filter
def vn_upper(value):
    """ĐẢNG ỦY XÃ QUẾ PHÚ — upper case keeps every diacritic."""
    return str(value).upper() if value is not None else ""


@register.simple_tag
def date_line(place, day):
    """Quế Phú, ngày 31 tháng 7 năm 2023."""
    from reports.documents import date_line as make_line

    return make_line(place, day) if day else ""


@register.filter
def points(value):
    """30 or 7,5 — points without trailing zeros, with a decimal comma."""
    from decimal import Decimal

    if value is None or value == "":
        return ""
    text = f"{Decimal(value).normalize():f}"
    return text.replace(".", ",")


@register.filter
def office(position):
    """ "Bí thư chi bộ" → "BÍ THƯ": the office line of a signature block, body name removed."""
    text = str(position or "")
    for body in (" chi bộ", " Đảng ủy", " cấp ủy"):
        if text.endswith(body):
            text = text[: -len(body)]
    return text.upper()


@register.filter
def iso_date(value):
    """ "2023-07-31" (as stored in signed content) → "31/07/2023"."""
    import datetime

    return datetime.date.fromisoformat(value).strftime("%d/%m/%Y") if value else ""
