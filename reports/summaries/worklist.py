"""What is late, and what is owed, for the work queue (web.worklist): committee staff get every
late registration, signature and self-assessment of their plans' years in progress with the
one-click actions (remind now, extend with a reason, open); an official sees what is late in the
subtree they follow, by the committee that runs each plan; a secretary, what each member still
owes for the year being rated; a member's own account, the branch's plan to read and the
decided rating."""

from collections import defaultdict

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from branches.models import Member, Organization, RoleAssignment
from branches.permissions import reached_paths
from branches.selectors import scope_q
from criteria.models import Plan
from pledges.models import DeadlineExtension, Pledge, Registration
from pledges.worklist import late_actions, reminder_key, secretary_branches
from reports.ratings.models import MemberRating
from reports.ratings.selectors import left_out
from reports.reviews.progress import plan_years_in_progress
from reports.summaries.dashboard import overdue
from web import worklist

Role = RoleAssignment.Role
Kind = DeadlineExtension.Kind
LIMIT = 300  # per year: a district's start page, not a province's list (that is the Excel)
RATING_SEASON_MONTH = 11  # a year is rated from its last weeks on (Hướng dẫn 43-HD/BTCTW)


def _late(user, roles):
    """(Overdue, year) for the plans issued in the user's subtrees through `roles`, over every
    plan year in progress."""
    plans = list(
        Plan.objects.filter(
            scope_q(user, lookup="issuer__path", roles=roles), status=Plan.Status.PUBLISHED
        ).select_related("issuer")
    )
    by_year = defaultdict(list)
    for item in plan_years_in_progress(plans):
        by_year[item.year].append(item.plan)
    for year, year_plans in sorted(by_year.items()):
        late, _total = overdue(year_plans, year, limit=LIMIT)
        for item in late:
            yield item, year


def _where(item, year) -> str:
    """Where the late work is seen: the plan's registrations, or the round's reviews."""
    if item.kind in (Kind.REGISTRATION, Kind.SIGNING):
        return reverse("pledges:registration_list", args=[item.plan.pk])
    round = "interim" if item.kind == Kind.INTERIM_REVIEW else "final"
    return reverse("reports:plan_reviews", args=[item.plan.pk]) + f"?year={year}&round={round}"


def _secretaries(item) -> str:
    return ", ".join(
        f"{s.full_name} ({s.email})" if s.email else s.full_name for s in item.secretaries
    )


@worklist.provider(Role.STAFF)
def late_work(user):
    """Everyone late on the staff's plans, with remind now, extend and open."""
    items = list(_late(user, {Role.STAFF}))
    # A returned pledge is followed in its own group (pledges.worklist.returned_pledges).
    returned = set(
        Registration.objects.filter(
            plan__in={item.plan for item, _year in items}, pledges__status=Pledge.Status.RETURNED
        ).values_list("plan_id", "organization_id")
    )
    for item, year in items:
        if item.kind == Kind.SIGNING and (item.plan.pk, item.organization.pk) in returned:
            continue
        review_year = year if item.kind not in (Kind.REGISTRATION, Kind.SIGNING) else None
        secretaries = _secretaries(item)
        yield worklist.WorkItem(
            group=_("Quá hạn"),
            title=f"{item.organization.name} — {item.what}",
            url=_where(item, year),
            organization=item.organization.name,
            year=year,
            deadline=item.deadline,
            overdue=True,
            note=_("Kế hoạch %(number)s. Bí thư: %(names)s")
            % {"number": item.plan.number, "names": secretaries or _("chưa có tài khoản")},
            actions=late_actions(
                item.plan.pk, item.organization.pk, item.kind, review_year, late=True
            ),
            key=reminder_key(item.plan.pk, item.organization.pk, item.kind, review_year),
            order=5,
        )


@worklist.provider(Role.OFFICIAL)
def late_in_subtree(user):
    """What is late in the subtree the official follows, grouped by the committee that runs
    each plan."""
    for item, year in _late(user, {Role.OFFICIAL}):
        yield worklist.WorkItem(
            group=_("Quá hạn — %(committee)s") % {"committee": item.plan.issuer.name},
            title=f"{item.organization.name} — {item.what}",
            url=_where(item, year),
            organization=item.organization.name,
            year=year,
            deadline=item.deadline,
            overdue=True,
            note=_("Kế hoạch %(number)s") % {"number": item.plan.number},
            order=5,
        )


def _rating_year(organization_ids) -> int | None:
    """The year whose ratings are due: the latest plan year in progress of the organizations'
    plans, once its rating season has begun."""
    plans = Plan.objects.filter(
        registrations__organization__in=organization_ids,
        registrations__status=Registration.Status.REGISTERED,
        status=Plan.Status.PUBLISHED,
    ).distinct()
    years = [item.year for item in plan_years_in_progress(plans)]
    if not years:
        return None
    today = timezone.localdate()
    year = max(years)
    if year < today.year or (year == today.year and today.month >= RATING_SEASON_MONTH):
        return year
    return None


@worklist.provider(Role.SECRETARY)
def members_owing(user):
    """Per branch of the secretary: the members who have not rated themselves for the year yet
    (members not rated that year — exempt, suspended, newly admitted — left out)."""
    for branch in secretary_branches(user).filter(kind=Organization.Kind.BRANCH):
        year = _rating_year([branch.pk])
        if year is None:
            continue
        members = list(Member.objects.filter(branch=branch, is_active=True).order_by("sort_key"))
        rated = set(
            MemberRating.objects.filter(branch=branch, year=year)
            .exclude(self_level="")
            .values_list("member_id", flat=True)
        )
        excluded = left_out(members, year)
        owing = [m for m in members if m.pk not in rated and m.pk not in excluded]
        if not owing:
            continue
        names = ", ".join(m.full_name for m in owing[:8]) + ("…" if len(owing) > 8 else "")
        yield worklist.WorkItem(
            group=_("Đảng viên còn nợ"),
            title=_("%(n)s đảng viên chưa tự xếp loại năm %(year)s")
            % {"n": len(owing), "year": year},
            url=reverse("reports:branch_ratings", args=[branch.pk]) + f"?year={year}&column=self",
            organization=branch.name,
            year=year,
            note=names,
            order=35,
        )


@worklist.provider(worklist.MEMBER)
def member_documents(user):
    """A member's own: the plan in progress of their branch, to read, and their rating of a
    year in progress once the committee has decided it. (Someone holding a role reaches both
    through it: these are for members' own accounts.)"""
    if reached_paths(user):
        return
    member = Member.objects.filter(user=user, is_active=True).select_related("branch").first()
    if member is None:
        return
    plans = Plan.objects.filter(
        Q(registrations__organization=member.branch),
        registrations__status=Registration.Status.REGISTERED,
        status=Plan.Status.PUBLISHED,
    ).distinct()
    in_progress = plan_years_in_progress(plans)
    for plan in {item.plan for item in in_progress}:
        yield worklist.WorkItem(
            group=_("Văn bản cần đọc"),
            title=_("Kế hoạch số %(number)s %(title)s")
            % {"number": plan.number, "title": plan.title},
            url=reverse("reports:my_plan_pdf", args=[plan.pk]),
            organization=member.branch.name,
            year=plan.start_year,
            order=60,
        )
    years = {item.year for item in in_progress}
    for rating in MemberRating.objects.filter(member=member, year__in=years).exclude(
        decided_level=""
    ):
        yield worklist.WorkItem(
            group=_("Văn bản cần đọc"),
            title=_("Kết quả xếp loại chất lượng năm %(year)s: %(level)s")
            % {"year": rating.year, "level": rating.get_decided_level_display()},
            url=reverse("reports:my_records") + f"?year={rating.year}",
            organization=member.branch.name,
            year=rating.year,
            order=60,
        )
