"""The meeting log of a branch."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from branches.models import Member
from branches.permissions import Action, has_perm, require_perm
from branches.selectors import get_organization_for
from criteria.models import Indicator
from pledges.selectors import get_registration_for
from rendering.downloads import private_file, xlsx_response
from rendering.excel import Column, workbook_bytes
from reports.meetings import services
from reports.meetings.forms import EvidenceForm, MeetingForm
from reports.meetings.models import Meeting
from reports.meetings.selectors import (
    get_evidence_for,
    get_meeting_for,
    judged_meetings,
    meeting_rules_for,
    months_of,
)
from web.forms import bound, form_errors_from
from web.pages import year_from


@login_required
def meeting_list(request, branch_pk):
    branch = get_organization_for(request.user, branch_pk)
    year = year_from(request)
    rules = meeting_rules_for(branch, year)
    rows = judged_meetings(branch, year, rules)
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
                "" if v is None else v.ok,
                _("Không xét (sinh hoạt chuyên đề)") if v is None else ("" if v.ok else v.reason),
            ]
            for m, v in rows
        )
        return xlsx_response(
            workbook_bytes(
                sheets=[
                    (
                        _("Sổ sinh hoạt %(year)s") % {"year": year},
                        columns,
                        data,
                        [
                            _("Sổ sinh hoạt năm %(year)s — %(name)s")
                            % {"year": year, "name": branch.name}
                        ],
                    )
                ]
            ),
            filename=f"so-sinh-hoat-{branch.code}-{year}.xlsx",
        )
    return render(
        request,
        "reports/meeting_list.html",
        {
            "branch": branch,
            "year": year,
            "rows": rows,
            "months": months_of(rows),
            "totals": {
                "regular": sum(1 for m, _v in rows if m.kind in Meeting.REGULAR_KINDS),
                "thematic": sum(1 for m, _v in rows if m.kind in Meeting.THEMATIC_KINDS),
                "good": sum(1 for _m, v in rows if v is not None and v.ok),
            },
            "rules": rules,
            "can_edit": branch.is_branch and has_perm(request.user, branch, Action.ACT_FOR_BRANCH),
            "years": range(year - 2, year + 2),
        },
    )


def _previous_resolution(branch, meeting=None):
    """The last regular meeting before this one (or before today) with a resolution: what the
    follow-up of the resolution book is about."""
    earlier = Meeting.objects.filter(branch=branch, kind__in=Meeting.REGULAR_KINDS).exclude(
        resolution=""
    )
    if meeting is not None:
        earlier = earlier.filter(date__lt=meeting.date)
    return earlier.order_by("-date", "-pk").first()


def _members(branch, meeting=None):
    """The branch's active members, and those the meeting recorded (who may have left since)."""
    members = Q(branch=branch, is_active=True)
    if meeting is not None:
        # The attendance's members as a list of ids: "… OR id IN (subquery)" made PostgreSQL
        # read the whole member table (400,000 rows, 100 ms, issue 21); two conditions on
        # indexes it combines.
        members |= Q(pk__in=list(meeting.attendance.values_list("member_id", flat=True)))
    return Member.objects.filter(members).order_by("sort_key", "id")


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
                committee_met_on=data["committee_met_on"],
                draft_resolution=data["draft_resolution"],
                resolution=data["resolution"],
                follow_up=data["follow_up"],
            )
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("Đã ghi kỳ sinh hoạt."))
            return redirect(
                reverse("reports:meeting_list", args=[branch.pk]) + f"?year={data['date'].year}"
            )
    return render(
        request,
        "reports/meeting_form.html",
        {"form": form, "branch": branch, "previous": _previous_resolution(branch)},
    )


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
        "committee_met_on": meeting.committee_met_on,
        "draft_resolution": meeting.draft_resolution,
        "resolution": meeting.resolution,
        "follow_up": meeting.follow_up,
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
                committee_met_on=data["committee_met_on"],
                draft_resolution=data["draft_resolution"],
                resolution=data["resolution"],
                follow_up=data["follow_up"],
            )
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("Đã lưu kỳ sinh hoạt."))
            return redirect("reports:meeting_list", branch_pk=meeting.branch_id)
    return render(
        request,
        "reports/meeting_form.html",
        {
            "form": form,
            "branch": meeting.branch,
            "meeting": meeting,
            "previous": _previous_resolution(meeting.branch, meeting),
        },
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


@login_required
def evidence_list(request, registration_pk):
    registration = get_registration_for(request.user, registration_pk)
    plan = registration.plan
    can_edit = (
        has_perm(request.user, registration.organization, Action.ACT_FOR_BRANCH)
        and registration.is_active
    )
    indicators = (
        Indicator.objects.filter(criterion__plan=plan)
        .select_related("criterion")
        .order_by("criterion__order", "order")
    )
    year = timezone.localdate().year
    form = EvidenceForm(
        *bound(request, files=True),
        indicators=indicators,
        years=plan.years,
        initial={
            "year": year if year in plan.years else plan.end_year,
            "indicator": request.GET.get("indicator"),
        },
    )
    if request.method == "POST":
        require_perm(request.user, registration.organization, Action.ACT_FOR_BRANCH)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.evidence_add(
                    actor=request.user,
                    registration=registration,
                    indicator=data["indicator"],
                    year=data["year"],
                    file=data["file"],
                    note=data["note"],
                )
            except ValidationError as error:
                form_errors_from(form, error)
            else:
                messages.success(request, _("Đã lưu minh chứng."))
                return redirect("reports:evidence_list", registration_pk=registration.pk)
    items = list(
        registration.evidence.select_related("indicator__criterion", "uploaded_by")
        .prefetch_related("scores__review")
        .order_by("indicator__criterion__order", "indicator__order", "-uploaded_at")
    )
    for item in items:
        item.frozen = any(s.review.status not in ("draft", "returned") for s in item.scores.all())
    return render(
        request,
        "reports/evidence_list.html",
        {
            "registration": registration,
            "plan": plan,
            "form": form,
            "items": items,
            "can_edit": can_edit,
        },
    )


@login_required
def evidence_file(request, pk):
    evidence = get_evidence_for(request.user, pk)
    return private_file(
        evidence.file,
        filename=evidence.original_name or "minh-chung",
        content_type=evidence.content_type or "application/octet-stream",
    )


@require_POST
@login_required
def evidence_delete(request, pk):
    evidence = get_evidence_for(request.user, pk)
    require_perm(request.user, evidence.registration.organization, Action.ACT_FOR_BRANCH)
    try:
        services.evidence_delete(actor=request.user, evidence=evidence)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Đã xóa minh chứng."))
    return redirect("reports:evidence_list", registration_pk=evidence.registration_id)
