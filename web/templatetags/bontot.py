"""The project's template filters: numbers, dates and names as Vietnamese documents write them
(through the one formatter, `vietnamese`), and query strings that keep a page's filters. The
signer block's filters are partydocs' (`{% load party %}`)."""

from django import template
from django.utils.formats import date_format
from django.utils.translation import gettext

from audit.reasons import describe
from vietnamese import numbers
from vietnamese.dates import cited_date as make_cited_date
from vietnamese.dates import date_line as make_date_line
from vietnamese.dates import iso_to_cited

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


@register.filter
def vn_upper(value):
    """ĐẢNG ỦY XÃ QUẾ PHÚ — upper case keeps every diacritic."""
    return str(value).upper() if value is not None else ""


@register.simple_tag
def date_line(place, day):
    """Quế Phú, ngày 31 tháng 7 năm 2023."""
    return make_date_line(place, day) if day else ""


@register.filter
def points(value):
    """30 or 7,5 — points without trailing zeros, with a decimal comma."""
    return numbers.number(value)


@register.filter
def cited_date(value):
    """31/7/2023 — a date cited in a document's text, as offices write it (a date, or an ISO
    string as kept in signed content)."""
    if isinstance(value, str):
        return iso_to_cited(value)
    return make_cited_date(value)


@register.filter
def recorded(text):
    """Text a record keeps in Vietnamese (a signature's method), in the reader's language when
    the catalogue knows it, as stored otherwise."""
    return gettext(text) if text else ""


@register.filter
def history_reason(stored):
    """A reason kept in the audit history, in the reader's language."""
    return describe(stored)
