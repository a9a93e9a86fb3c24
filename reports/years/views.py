"""Pages of the years: an organization's and a member's results year by year, and the lists of
organizations and members with n consecutive years at a level for a proposal (page and Excel)."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from branches.models import Member
from branches.selectors import get_member_for, get_organization_for
from rendering.downloads import xlsx_response
from rendering.excel import Column, workbook_bytes
from reports.years.selectors import (
    MEASURES,
    PROPOSALS,
    PROPOSALS_BY_KEY,
    member_years,
    organization_years,
    streaks_for,
)
from web.pages import FIRST_YEAR, LAST_YEAR
from web.ratelimits import limit_documents


@login_required
def organization_years_view(request, org_pk):
    organization = get_organization_for(request.user, org_pk)
    return render(
        request,
        "reports/organization_years.html",
        {"organization": organization, "rows": organization_years(organization)},
    )


def _member_for(request, pk) -> Member:
    """A member the user's roles reach, or the user's own record (404 otherwise)."""
    own = getattr(request.user, "member", None)
    if own is not None and own.pk == int(pk):
        return own
    return get_member_for(request.user, pk)


@login_required
def member_years_view(request, member_pk):
    member = _member_for(request, member_pk)
    return render(
        request, "reports/member_years.html", {"member": member, "rows": member_years(member)}
    )


class StreakForm(forms.Form):
    proposal = forms.ChoiceField(label=gettext_lazy("Đề nghị"))
    until = forms.IntegerField(
        label=gettext_lazy("Đến năm"), min_value=FIRST_YEAR, max_value=LAST_YEAR
    )
    count = forms.IntegerField(
        label=gettext_lazy("Số năm liền"),
        min_value=2,
        max_value=10,
        required=False,
        help_text=gettext_lazy("Để trống: số năm của đề nghị."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["proposal"].choices = [(p.key, f"{p.award} — {p.basis}") for p in PROPOSALS]


def _streaks(request, organization):
    """The proposal, its years and its candidates, from the page's query."""
    default = (
        "member-merit" if organization.kind == organization.Kind.PROVINCE else "member-certificate"
    )
    form = StreakForm(
        request.GET or None,
        initial={"proposal": default, "until": timezone.localdate().year - 1},
    )
    if request.GET and form.is_valid():
        data = form.cleaned_data
        proposal, until, count = PROPOSALS_BY_KEY[data["proposal"]], data["until"], data["count"]
    else:
        proposal, until, count = PROPOSALS_BY_KEY[default], timezone.localdate().year - 1, None
    count = count or proposal.years
    return form, proposal, until, count, streaks_for(organization, proposal, until, count)


@login_required
def streaks_view(request, org_pk):
    organization = get_organization_for(request.user, org_pk)
    form, proposal, until, count, streaks = _streaks(request, organization)
    return render(
        request,
        "reports/streaks.html",
        {
            "organization": organization,
            "form": form,
            "proposal": proposal,
            "measure": MEASURES[proposal.measure],
            "until": until,
            "count": count,
            "years": list(range(until - count + 1, until + 1)),
            "streaks": streaks,
            "query": request.GET.urlencode(),
        },
    )


@login_required
@limit_documents
def streaks_xlsx(request, org_pk):
    organization = get_organization_for(request.user, org_pk)
    _form, proposal, until, count, streaks = _streaks(request, organization)
    years = list(range(until - count + 1, until + 1))
    members = proposal.subject == "members"
    columns = [
        Column(_("STT"), 6),
        Column(_("Họ và tên") if members else _("Tổ chức"), 32),
        Column(_("Chi bộ") if members else _("Trực thuộc"), 32),
        *[Column(str(year), 24) for year in years],
    ]
    rows = [
        [index, str(s.subject.full_name if members else s.subject.name), s.unit]
        + [label for _year, label in s.years]
        for index, s in enumerate(streaks, start=1)
    ]
    about = [
        [_("Đề nghị"), str(proposal.award)],
        [_("Căn cứ"), str(proposal.basis)],
        [
            _("Tiêu chuẩn"),
            _("%(measure)s %(count)s năm liền (%(first)s–%(until)s)")
            % {
                "measure": MEASURES[proposal.measure],
                "count": count,
                "first": years[0],
                "until": until,
            },
        ],
        [_("Phạm vi"), organization.name],
    ]
    data = workbook_bytes(
        sheets=[
            (_("Danh sách"), columns, rows),
            (_("Căn cứ"), [Column(_("Mục"), 16), Column(_("Nội dung"), 90)], about),
        ]
    )
    return xlsx_response(data, filename=f"de-nghi-{proposal.key}-{until}.xlsx")
