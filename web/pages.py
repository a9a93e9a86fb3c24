"""Page helpers shared by the apps' views."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from web.forms import ReasonForm, bound, form_errors_from

# The years a page may be asked about: the Party's records begin in 1930; beyond 2100 is a typo.
FIRST_YEAR, LAST_YEAR = 1930, 2100


# The largest id a row can have (a 64-bit signed key on PostgreSQL and SQLite).
MAX_ID = 2**63 - 1


def id_param(value) -> int:
    """An object id from a query string (`?org=`, `?scope=`, `?report=`): ASCII digits within a
    database key's range, else 404 — never a value the database refuses (a NUL byte, "١٢", a
    number of 40 digits)."""
    value = str(value or "")
    if not (value.isascii() and value.isdigit() and len(value) <= 19) or int(value) > MAX_ID:
        raise Http404
    return int(value)


def year_from(request, default: int | None = None) -> int:
    """The `?year=` a page shows: a year the records can hold, else `default` (this year)."""
    return year_of(request.GET, default)


def year_of(params, default: int | None = None) -> int:
    """The `year` of a query's values (`year_from` for a request's)."""
    fallback = default if default is not None else timezone.localdate().year
    value = params.get("year", "")
    if not (len(value) == 4 and value.isascii() and value.isdigit()):
        return fallback
    year = int(value)
    return year if FIRST_YEAR <= year <= LAST_YEAR else fallback


def reason_form_page(request, *, act, done: str, back: str, title: str, subject):
    """A page that asks for a reason and then calls `act(reason)`; a refusal by the service is
    shown on the form, which keeps what was typed. `back` is both the cancel link and where a
    success goes."""
    form = ReasonForm(*bound(request))
    if request.method == "POST" and form.is_valid():
        try:
            act(form.cleaned_data["reason"])
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, done)
            return redirect(back)
    return render(
        request,
        "includes/reason_form.html",
        {"form": form, "title": title, "subject": subject, "back": back},
    )
