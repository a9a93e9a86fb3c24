"""The registration list of a plan as PDF or Excel (rendering.exports): at once, or by the task
worker for a plan with many target organizations."""

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from branches.permissions import Action, require_perm
from criteria.selectors import get_plan_for
from pledges.documents import registration_list_pdf, registration_list_xlsx
from pledges.selectors import registration_rows
from rendering.exports import Export, export_query
from web.pages import year_of


def registrations_export(user, params, fmt: str) -> Export:
    """Every target organization of the plan (`params["plan"]`) with its registration and
    pledge; for the plan's committee (who may see every row), as the page's export always was."""
    if fmt not in ("pdf", "xlsx"):
        raise Http404
    plan_pk = params.get("plan", "")
    if not plan_pk.isascii() or not plan_pk.isdigit():
        raise Http404
    plan = get_plan_for(user, int(plan_pk))
    require_perm(user, plan.issuer, Action.VIEW)
    count = plan.targets.count()
    stem = f"Dang-ky-{plan.number.replace('/', '-')}"

    year = year_of(params, default=plan.year_of(timezone.localdate()))
    year = min(max(year, plan.start_year), plan.end_year)

    def write() -> bytes:
        rows = registration_rows(plan, year)
        if fmt == "pdf":
            return registration_list_pdf(plan, rows, year).content
        return registration_list_xlsx(plan, rows)

    return Export(
        kind="registrations",
        fmt=fmt,
        rows=count,
        title=_("Danh sách đăng ký — Kế hoạch %(number)s") % {"number": plan.number},
        filename=f"{stem}-{year}.{fmt}",
        query=export_query(params, plan=plan.pk, year=year),
        write=write,
    )
