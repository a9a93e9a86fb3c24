"""The meeting log of a branch."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from branches.forms import bound, form_errors_from
from branches.models import Member
from branches.permissions import Action, has_perm, require_perm
from branches.selectors import get_organization_for
from reports.excel import Column, workbook_bytes, xlsx_response
from reports.forms import MeetingForm
from reports.models import Meeting
from reports.selectors.meetings import (
    get_meeting_for,
    monthly_counts,
    quality_of,
    with_attendance_counts,
)
from reports.services import meetings as services
from reports.views.files import private_file


def _year(request) -> int:
    try:
        return int(request.GET.get("year", ""))
    except ValueError:
        return timezone.localdate().year


@login_required
def meeting_list(request, branch_pk):
    branch = get_organization_for(request.user, branch_pk)
    year = _year(request)
    meetings = with_attendance_counts(
        Meeting.objects.filter(branch=branch, date__year=year)
    ).order_by("-date")
    rows = [(m, quality_of(m)) for m in meetings]
    if request.GET.get("format") == "xlsx":
        columns = [
            Column(_("Ngày"), 12),
            Column(_("Loại"), 12),
            Column(_("Nội dung"), 50),
            Column(_("Thời gian (phút)"), 10),
            Column(_("Đảng viên"), 10),
            Column(_("Có mặt"), 10),
            Column(_("Vắng có lý do"), 10),
            Column(_("Vắng không lý do"), 10),
            Column(_("Biên bản"), 10),
            Column(_("Đạt chất lượng"), 10),
            Column(_("Lý do"), 60),
        ]
        data = (
            [
                m.date,
                m.get_kind_display(),
                m.topic,
                m.duration_minutes,
                m.members,
                m.present,
                m.excused,
                m.unexcused,
                bool(m.minutes),
                v.ok,
                "" if v.ok else v.reason,
            ]
            for m, v in rows
        )
        return xlsx_response(
            workbook_bytes(sheets=[(str(year), columns, data)]),
            filename=f"so-sinh-hoat-{branch.code}-{year}.xlsx",
        )
    return render(
        request,
        "reports/meeting_list.html",
        {
            "branch": branch,
            "year": year,
            "rows": rows,
            "months": monthly_counts(branch, year),
            "totals": {
                "regular": sum(1 for m, _v in rows if m.kind == Meeting.Kind.REGULAR),
                "thematic": sum(1 for m, _v in rows if m.kind == Meeting.Kind.THEMATIC),
                "good": sum(1 for _m, v in rows if v.ok),
            },
            "can_edit": branch.is_branch and has_perm(request.user, branch, Action.ACT_FOR_BRANCH),
            "years": range(year - 2, year + 2),
        },
    )


def _members(branch, meeting=None):
    members = Member.objects.filter(branch=branch, is_active=True)
    if meeting is not None:
        members = members | Member.objects.filter(pk__in=meeting.attendance.values("member"))
    return members.distinct().order_by("sort_key", "id")


@login_required
def meeting_create(request, branch_pk):
    branch = get_organization_for(request.user, branch_pk)
    require_perm(request.user, branch, Action.ACT_FOR_BRANCH)
    form = MeetingForm(
        *bound(request, files=True),
        members=_members(branch),
        initial={"date": timezone.localdate(), "duration_minutes": 90},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.meeting_save(
                actor=request.user,
                branch=branch,
                date=data["date"],
                kind=data["kind"],
                topic=data["topic"],
                duration_minutes=data["duration_minutes"],
                attendance=form.attendance(),
                minutes_file=data["minutes"] or None,
            )
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("Đã ghi kỳ sinh hoạt."))
            return redirect(
                reverse("reports:meeting_list", args=[branch.pk]) + f"?year={data['date'].year}"
            )
    return render(request, "reports/meeting_form.html", {"form": form, "branch": branch})


@login_required
def meeting_edit(request, pk):
    meeting = get_meeting_for(request.user, pk)
    require_perm(request.user, meeting.branch, Action.ACT_FOR_BRANCH)
    current = dict(meeting.attendance.values_list("member_id", "status"))
    initial = {
        "date": meeting.date,
        "kind": meeting.kind,
        "topic": meeting.topic,
        "duration_minutes": meeting.duration_minutes,
    }
    form = MeetingForm(
        *bound(request, files=True),
        members=_members(meeting.branch, meeting),
        current=current,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.meeting_save(
                actor=request.user,
                branch=meeting.branch,
                meeting=meeting,
                date=data["date"],
                kind=data["kind"],
                topic=data["topic"],
                duration_minutes=data["duration_minutes"],
                attendance=form.attendance(),
                minutes_file=data["minutes"] or None,
            )
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("Đã lưu kỳ sinh hoạt."))
            return redirect("reports:meeting_list", branch_pk=meeting.branch_id)
    return render(
        request,
        "reports/meeting_form.html",
        {"form": form, "branch": meeting.branch, "meeting": meeting},
    )


@require_POST
@login_required
def meeting_delete(request, pk):
    meeting = get_meeting_for(request.user, pk)
    require_perm(request.user, meeting.branch, Action.ACT_FOR_BRANCH)
    services.meeting_delete(actor=request.user, meeting=meeting)
    messages.success(request, _("Đã xóa kỳ sinh hoạt."))
    return redirect("reports:meeting_list", branch_pk=meeting.branch_id)


@login_required
def meeting_minutes(request, pk):
    meeting = get_meeting_for(request.user, pk)
    return private_file(
        meeting.minutes, filename=meeting.minutes_name or f"bien-ban-{meeting.date:%Y-%m-%d}"
    )
