"""Quality ratings, for the work queue (web.worklist): the members' and organizations' ratings
a leader's committee has to decide. A member's own self-review, the branch's votes and the
quarters to decide are reports/selfreviews/worklist.py; what a member still owes and a member's
documents to read, which need the plan years in progress, are in reports/summaries/worklist.py."""

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _

from branches.models import RoleAssignment
from branches.permissions import reached_paths
from branches.selectors import scope_q
from reports.ratings.models import MemberRating, OrganizationRating
from reports.ratings.selectors import deciding_committee
from web import worklist

Role = RoleAssignment.Role


@worklist.provider(Role.LEADER)
def ratings_to_decide(user):
    """Members proposed by their branch and organizations appraised, whose level the leader's
    committee has not decided yet."""
    scope = scope_q(user, lookup="branch__path", roles={Role.LEADER})
    for row in (
        MemberRating.objects.filter(scope, decided_level="")
        .exclude(proposed_level="")
        .values("branch_id", "branch__name", "year")
        .annotate(n=Count("id"))
        .order_by("year", "branch__name")
    ):
        yield worklist.WorkItem(
            group=_("Xếp loại chờ quyết định"),
            title=_("%(branch)s: %(n)s đảng viên chờ quyết định xếp loại năm %(year)s")
            % {"branch": row["branch__name"], "n": row["n"], "year": row["year"]},
            url=reverse("reports:branch_ratings", args=[row["branch_id"]])
            + f"?year={row['year']}&column=decided",
            organization=row["branch__name"],
            year=row["year"],
            order=42,
        )
    appraised = (
        OrganizationRating.objects.filter(
            scope_q(user, lookup="organization__path", roles={Role.LEADER}), decided_level=""
        )
        .exclude(proposed_level="")
        .select_related("organization")
        .order_by("year", "organization__path")
    )
    leader_paths = reached_paths(user, {Role.LEADER})
    for rating in appraised:
        committee = deciding_committee(rating.organization)
        if not any(committee.path.startswith(path) for path in leader_paths):
            continue  # decided above the leader's committee
        yield worklist.WorkItem(
            group=_("Xếp loại chờ quyết định"),
            title=_("Xếp loại chất lượng năm %(year)s — %(org)s (%(subject)s)")
            % {
                "year": rating.year,
                "org": rating.organization.name,
                "subject": rating.get_subject_display().lower(),
            },
            url=reverse("reports:organization_rating", args=[rating.organization_id])
            + f"?year={rating.year}&subject={rating.subject}",
            organization=rating.organization.name,
            year=rating.year,
            order=42,
        )
