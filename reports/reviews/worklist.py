"""The work on reviews and recognition, for the work queue (web.worklist): self-assessments to
assess, results to finalize, returned self-assessments, outstanding nominations and recognition
decisions waiting for a leader, and each secretary's self-assessment of the year in progress."""

from collections import defaultdict

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from branches.models import RoleAssignment
from branches.permissions import ACTION_ROLES, Action
from branches.selectors import scope_q
from criteria.models import Plan
from pledges.models import DeadlineExtension, Pledge, Registration
from pledges.worklist import deadline_note, late_actions, reminder_key, secretary_branches
from reports.reviews.models import Nomination, RecognitionDecision, Review
from reports.reviews.progress import plan_years_in_progress
from web import worklist

Role = RoleAssignment.Role
KIND = {Review.Round.INTERIM: "interim_review", Review.Round.FINAL: "final_review"}
ROUNDS = (Review.Round.INTERIM, Review.Round.FINAL)


def _reviews(user, roles, **filters):
    return (
        Review.objects.filter(
            scope_q(user, lookup="registration__plan__issuer__path", roles=roles),
            registration__status=Registration.Status.REGISTERED,
            **filters,
        )
        .select_related("registration__organization", "registration__plan__issuer")
        .order_by("year", "round", "registration__organization__path")
    )


def _label(review: Review) -> str:
    return _("%(round)s năm %(year)s — Kế hoạch %(number)s") % {
        "round": review.get_round_display(),
        "year": review.year,
        "number": review.registration.plan.number,
    }


@worklist.provider(*ACTION_ROLES[Action.ASSESS])
def reviews_to_assess(user):
    """Submitted self-assessments of the plans the user's committees issued."""
    for review in _reviews(user, ACTION_ROLES[Action.ASSESS], status=Review.Status.SUBMITTED):
        organization = review.registration.organization
        yield worklist.WorkItem(
            group=_("Bản tự đánh giá chờ thẩm định"),
            title=organization.name,
            url=reverse("reports:review_assess", args=[review.pk]),
            organization=organization.name,
            year=review.year,
            note=_label(review),
            order=30,
        )


@worklist.provider(Role.LEADER)
def results_to_finalize(user):
    """Assessed reviews waiting for the leader's finalization."""
    for review in _reviews(user, {Role.LEADER}, status=Review.Status.ASSESSED):
        organization = review.registration.organization
        yield worklist.WorkItem(
            group=_("Kết quả chờ chốt"),
            title=organization.name,
            url=reverse("reports:review_finalize", args=[review.pk]),
            organization=organization.name,
            year=review.year,
            note=_label(review),
            order=40,
        )


@worklist.provider(Role.STAFF)
def returned_reviews(user):
    """Self-assessments the committee returned, until the branch submits them again."""
    for review in _reviews(user, {Role.STAFF}, status=Review.Status.RETURNED):
        registration = review.registration
        organization = registration.organization
        kind = KIND[review.round]
        yield worklist.WorkItem(
            group=_("Bản tự đánh giá bị trả lại, chờ chi bộ nộp lại"),
            title=organization.name,
            url=reverse("reports:review_detail", args=[review.pk]),
            organization=organization.name,
            year=review.year,
            note=_label(review) + ". " + _("Lý do: %(reason)s") % {"reason": review.return_reason},
            actions=late_actions(
                registration.plan_id, organization.pk, kind, review.year, late=False
            ),
            key=reminder_key(registration.plan_id, organization.pk, kind, review.year),
            order=25,
        )


@worklist.provider(Role.LEADER)
def recognition_to_decide(user):
    """Outstanding nominations to approve or refuse, and recognition decisions to issue."""
    plans = Q(scope_q(user, lookup="plan__issuer__path", roles={Role.LEADER}))
    pending = list(
        Nomination.objects.filter(plans, status=Nomination.Status.PROPOSED)
        .values("plan_id", "year")
        .annotate(n=Count("id"))
        .order_by("year", "plan_id")
    )
    numbers = {
        p.pk: p.number for p in Plan.objects.filter(pk__in={row["plan_id"] for row in pending})
    }
    for row in pending:
        yield worklist.WorkItem(
            group=_("Văn bản, quyết định chờ lãnh đạo"),
            title=_("Quyết định %(n)s đề nghị tiêu biểu — Kế hoạch %(number)s")
            % {"n": row["n"], "number": numbers[row["plan_id"]]},
            url=reverse("reports:recognition", args=[row["plan_id"]]) + f"?year={row['year']}",
            year=row["year"],
            order=45,
        )
    for decision in (
        RecognitionDecision.objects.filter(plans, status=RecognitionDecision.Status.DRAFT)
        .select_related("plan")
        .order_by("year")
    ):
        yield worklist.WorkItem(
            group=_("Văn bản, quyết định chờ lãnh đạo"),
            title=_("Ký, ban hành quyết định công nhận năm %(year)s — Kế hoạch %(number)s")
            % {"year": decision.year, "number": decision.plan.number},
            url=reverse("reports:recognition", args=[decision.plan_id]) + f"?year={decision.year}",
            year=decision.year,
            order=45,
        )


@worklist.provider(Role.SECRETARY)
def self_assessments(user):
    """For each branch of the secretary with a pledge in force, each plan year in progress: the
    first round whose self-assessment is still to be opened, finished or submitted again — with
    its deadline, and who can extend it once it has passed."""
    branches = list(secretary_branches(user))
    if not branches:
        return
    registrations = list(
        Registration.objects.filter(
            organization__in=branches,
            status=Registration.Status.REGISTERED,
            plan__status=Plan.Status.PUBLISHED,
            pledges__status__in=(Pledge.Status.SIGNED, Pledge.Status.ACCEPTED),
        )
        .select_related("plan__issuer", "organization")
        .distinct()
    )
    if not registrations:
        return
    plans = {r.plan_id: r.plan for r in registrations}
    in_progress = defaultdict(list)
    for item in plan_years_in_progress(plans.values()):
        in_progress[item.plan.pk].append(item.year)
    reviews = {
        (r.registration_id, r.year, r.round): r
        for r in Review.objects.filter(registration__in=registrations)
    }
    extensions = {
        (e.plan_id, e.organization_id, e.kind): e.until
        for e in DeadlineExtension.objects.filter(plan__in=plans.values())
    }
    today = timezone.localdate()
    for registration in registrations:
        plan, organization = registration.plan, registration.organization
        for year in in_progress[plan.pk]:
            for round in ROUNDS:
                if round == Review.Round.INTERIM and not plan.interim_review_deadline:
                    continue
                review = reviews.get((registration.pk, year, round))
                if review is not None and not review.editable_by_branch:
                    continue  # submitted: the committee's turn
                base = plan.deadline_for_year(f"{KIND[round]}_deadline", year)
                extended = extensions.get((plan.pk, organization.pk, KIND[round]))
                deadline = max(base, extended) if extended else base
                if review is None:
                    title = _("Tự đánh giá %(round)s năm %(year)s — Kế hoạch %(number)s")
                    url = (
                        reverse("reports:plan_reviews", args=[plan.pk])
                        + f"?year={year}&round={round}"
                    )
                elif review.status == Review.Status.RETURNED:
                    title = _(
                        "Sửa và nộp lại bản tự đánh giá %(round)s năm %(year)s — Kế hoạch %(number)s"
                    )
                    url = reverse("reports:review_detail", args=[review.pk])
                else:
                    title = _(
                        "Hoàn thành và nộp bản tự đánh giá %(round)s năm %(year)s — Kế hoạch %(number)s"
                    )
                    url = reverse("reports:review_detail", args=[review.pk])
                note = deadline_note(deadline, plan.issuer, today=today)
                if review is not None and review.status == Review.Status.RETURNED:
                    note = _("Cấp ủy trả lại: %(reason)s") % {"reason": review.return_reason}
                yield worklist.WorkItem(
                    group=_("Tự đánh giá"),
                    title=title
                    % {
                        "round": Review.Round(round).label.lower(),
                        "year": year,
                        "number": plan.number,
                    },
                    url=url,
                    organization=organization.name,
                    year=year,
                    deadline=deadline,
                    # A returned self-assessment may be submitted again after the deadline.
                    overdue=bool(deadline and deadline < today)
                    and not (review and review.status == Review.Status.RETURNED),
                    note=note,
                    order=20,
                )
                break
