"""The branch's meeting log, for the work queue (web.worklist): a secretary is reminded to log
this month's meeting until one is logged."""

import calendar

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from branches.models import Organization, RoleAssignment
from reports.meetings.models import Meeting
from web import worklist


@worklist.provider(RoleAssignment.Role.SECRETARY)
def meeting_of_the_month(user):
    today = timezone.localdate()
    first = today.replace(day=1)
    branches = Organization.objects.filter(
        role_assignments__user=user,
        role_assignments__role=RoleAssignment.Role.SECRETARY,
        is_active=True,
        kind=Organization.Kind.BRANCH,
    ).distinct()
    met = set(
        Meeting.objects.filter(branch__in=branches, date__gte=first).values_list(
            "branch_id", flat=True
        )
    )
    last = today.replace(day=calendar.monthrange(today.year, today.month)[1])
    for branch in branches:
        if branch.pk in met:
            continue
        yield worklist.WorkItem(
            group=_("Sổ sinh hoạt chi bộ"),
            title=_("Ghi sổ sinh hoạt chi bộ tháng %(m)s/%(y)s")
            % {"m": today.month, "y": today.year},
            url=reverse("reports:meeting_create", args=[branch.pk]),
            organization=branch.name,
            year=today.year,
            deadline=last,
            order=30,
        )
