from django import template
from django.utils.formats import date_format

from branches.models import Member, Organization
from partydocs.models import CongressTerm

register = template.Library()


@register.simple_tag
def cell(row: dict, key: str):
    """A parsed import value as the preview shows it (labels for choices, dd/mm/yyyy for dates)."""
    if key == "branch_code":
        return row["branch"].code if row.get("branch") else ""
    value = row.get(key)
    choices = {
        "kind": Organization.Kind,
        "gender": Member.Gender,
        "status": Member.Status,
        "origin": CongressTerm.Origin,
    }
    if key in choices and value:
        return choices[key](value).label
    if hasattr(value, "year"):
        return date_format(value, "SHORT_DATE_FORMAT")
    return value or ""
