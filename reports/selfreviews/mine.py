"""A member's own records, for the member's own account (issue 17: members as users): their
self-reviews in the rounds their committee opened, their rating of each year with its sheet,
their attendance at the branch's meetings, and the documents
of the plans their branch is registered in. Nothing here reaches another member's records: the
member is the one linked to the account, or there is no page."""

import datetime

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from branches.models import Member, MemberStanding
from criteria.models import Plan
from criteria.selectors import plan_document
from criteria.views import plan_filename
from pledges.models import Registration
from rendering.downloads import attachment
from rendering.pdf import render_pdf
from reports.meetings.models import Attendance, Meeting
from reports.meetings.selectors import long_absences, meeting_rules_for
from reports.ratings.models import MemberRating
from reports.ratings.selectors import left_out, rules_for
from reports.selfreviews.selectors import rounds_of_member
from web.pages import year_from
from web.ratelimits import limit_documents


def own_member(user) -> Member:
    """The member linked to the account, or 404 (an account of committee staff has none)."""
    member = (
        Member.objects.filter(user=user, is_active=True).select_related("branch").first()
        if user.is_authenticated
        else None
    )
    if member is None:
        raise Http404
    return member


def _plans(member: Member, year: int | None = None):
    """The issued plans the member's branch is registered in (covering `year`, if given)."""
    plans = Plan.objects.filter(
        registrations__organization=member.branch,
        registrations__status=Registration.Status.REGISTERED,
    ).exclude(status=Plan.Status.DRAFT)
    if year is not None:
        plans = plans.filter(start_year__lte=year, end_year__gte=year)
    return plans.distinct().order_by("-issue_date")


def _years(member: Member, year: int) -> list[int]:
    """The years the member has a rating or an attendance in, this year and the one asked for:
    a member's past years are one tap away, whatever today's date."""
    years = set(MemberRating.objects.filter(member=member).values_list("year", flat=True))
    years |= {
        day.year for day in Attendance.objects.filter(member=member).dates("meeting__date", "year")
    }
    return sorted(years | {year, timezone.localdate().year})[-8:]


@login_required
def my_records(request):
    member = own_member(request.user)
    year = year_from(request)
    rating = MemberRating.objects.filter(member=member, year=year).first()
    rules = meeting_rules_for(member.branch, year)
    absences = long_absences(member.branch, year, datetime.date(year, 12, 31), rules)
    attendance = list(
        Attendance.objects.filter(member=member, meeting__date__year=year)
        .select_related("meeting")
        .order_by("meeting__date")
    )
    statuses = [a.status for a in attendance]
    return render(
        request,
        "reports/my_records.html",
        {
            "member": member,
            "year": year,
            "years": _years(member, year),
            "rating": rating,
            "left_out": left_out([member], year).get(member.pk, ""),
            "allowed": rules_for(year).rate_member(rating.facts())
            if rating and rating.facts()
            else None,
            "standings": MemberStanding.objects.filter(member=member).order_by("-start_date"),
            "attendance": [
                (
                    a,
                    a.meeting.kind in Meeting.REGULAR_KINDS
                    and member.full_name in absences.get(a.meeting_id, ()),
                )
                for a in attendance
            ],
            "counts": {status: statuses.count(status) for status in Attendance.Status.values},
            "rules": rules,
            "plans": list(_plans(member, year)),
            "rounds": rounds_of_member(member),
            "today": timezone.localdate(),
        },
    )


@login_required
@limit_documents
def my_plan_pdf(request, plan_pk):
    """The plan of the member's branch, as the committee issued it."""
    member = own_member(request.user)
    plan = get_object_or_404(_plans(member), pk=plan_pk)
    document = render_pdf(
        "criteria/pdf/plan.html",
        {"doc": plan_document(plan)},
        filename=plan_filename(plan, "pdf"),
    )
    return attachment(
        document.content, filename=document.filename, content_type=document.content_type
    )
