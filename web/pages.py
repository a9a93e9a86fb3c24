"""Page helpers shared by the apps' views."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.functional import cached_property

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


# The year the user is working on, kept in the session: a page asked for a year (the start page
# opens on the year in progress) makes it the year the next pages open on.
SESSION_YEAR = "bontot_year"


def year_from(request, default: int | None = None) -> int:
    """The `?year=` a page shows: a year the records can hold; without one, `default`, else the
    year the user was last working on (`working_year`), else this year."""
    year = asked_year(request)
    if year is not None:
        remember_year(request, year)
        return year
    if default is not None:
        return default
    return working_year(request) or timezone.localdate().year


def asked_year(request) -> int | None:
    """The `?year=` of the request if it is a year the records can hold, else None."""
    return _year(request.GET.get("year", ""))


def working_year(request) -> int | None:
    """The year the user last asked a page for in this session, if any."""
    session = getattr(request, "session", None)
    return _year(str(session.get(SESSION_YEAR, ""))) if session is not None else None


def remember_year(request, year: int) -> None:
    session = getattr(request, "session", None)
    if session is not None and session.get(SESSION_YEAR) != year:
        session[SESSION_YEAR] = year


def year_of(params, default: int | None = None) -> int:
    """The `year` of a query's values (`year_from` for a request's, without the session)."""
    year = _year(params.get("year", ""))
    if year is not None:
        return year
    return default if default is not None else timezone.localdate().year


def _year(value: str) -> int | None:
    if not (len(value) == 4 and value.isascii() and value.isdigit()):
        return None
    year = int(value)
    return year if FIRST_YEAR <= year <= LAST_YEAR else None


def reason_form_page(
    request,
    *,
    act,
    done: str,
    back: str,
    title: str,
    subject,
    button: str,
    explain: str = "",
    danger: bool = False,
):
    """A page that asks for a reason and then calls `act(reason)`; a refusal by the service is
    shown on the form, which keeps what was typed. `back` is both the cancel link and where a
    success goes. `button` names the act itself ("Trả lại để sửa", never a bare "Xác nhận"),
    and `explain` says what will happen before it is done."""
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
        {
            "form": form,
            "title": title,
            "subject": subject,
            "back": back,
            "button": button,
            "explain": explain,
            "danger": danger,
        },
    )


class CappedPaginator(Paginator):
    """A paginator that counts no further than `cap` rows: a search over a province's 400,000
    members need not count every "Nguyễn" (issue 21). The count is read without the list's
    order, so the database picks the fastest way to find the rows (an index on the searched
    key) rather than the order's index. `capped`: more rows matched than `cap`; the pages then
    stop at `cap` and the page says to narrow the search."""

    def __init__(self, object_list, per_page, *, cap: int, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.cap = cap

    @cached_property
    def found(self) -> int:
        return self.object_list.order_by()[: self.cap + 1].count()

    @cached_property
    def count(self) -> int:
        return min(self.found, self.cap)

    @property
    def capped(self) -> bool:
        return self.found > self.cap
