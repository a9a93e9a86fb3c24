"""The synthetic province (manage.py build_province) obeys the rules of the app: a valid tree,
signatures over exactly the content the app would sign, automatic values and results as the
selectors compute them, ratings within the 20% cap."""

import datetime
from collections import Counter

import pytest
from django.core.management import CommandError, call_command
from django.db.models import F
from django.test import override_settings
from django.utils import timezone

from benchmarking.province import PRE_2025, ProvinceSpec, build
from branches.models import Member, Membership, Organization, Position, RoleAssignment
from criteria.models import Plan
from partydocs.models import Signature
from partydocs.signing import canonical_json, content_hash
from pledges.models import Pledge, Registration
from pledges.selectors import build_content, signer_position
from pledges.services import missing_targets
from reports.meetings.models import Attendance, Meeting
from reports.ratings.models import MemberRating
from reports.ratings.selectors import member_cap_check
from reports.reviews.automatic import automatic_value
from reports.reviews.models import Review
from reports.reviews.selectors import compute_result, review_content, review_sheet

SPEC = ProvinceSpec(committees=3, branches=12, members=150, years=2, seed=7, code="TP")
PRE = ProvinceSpec(
    committees=3, branches=12, members=60, years=1, seed=7, code="TQ", structure=PRE_2025
)


@pytest.fixture
def province(db):
    return build(SPEC, log=lambda *_: None)


def _subtree(root):
    return Organization.objects.filter(path__startswith=root.path)


def test_todays_shape_by_default(province):
    """A provincial committee; its commune-level committees directly under it, holding their
    branches and issuing a plan each; its four block committees with their grassroots
    committees; no district."""
    kinds = Counter(_subtree(province.root).values_list("kind", flat=True))
    assert province.root.kind == "province"
    assert kinds["commune"] == SPEC.committees and kinds["block"] == 4
    assert kinds["grassroots"] == SPEC.block_count() and "upper" not in kinds
    issuers = set(
        Plan.objects.filter(issuer__path__startswith=province.root.path).values_list(
            "issuer__kind", flat=True
        )
    )
    assert issuers == {"commune", "block"}
    assert province.counts["districts"] == 0 and province.counts["issuers"] == 3 + 1


def test_the_shape_before_2025_for_comparison(db):
    built = build(PRE, log=lambda *_: None)
    kinds = Counter(_subtree(built.root).values_list("kind", flat=True))
    assert kinds["upper"] == 1 + PRE.district_count() and kinds["grassroots"] == PRE.committees
    assert kinds["branch"] == PRE.branches and "commune" not in kinds
    assert Organization.objects.find_problems() == ([], [], [], [], [])


def test_counts_and_tree(province):
    root = province.root
    orgs = _subtree(root)
    kinds = Counter(orgs.values_list("kind", flat=True))
    assert kinds["branch"] == SPEC.branches
    assert Organization.objects.find_problems() == ([], [], [], [], [])
    for org in orgs.exclude(pk=root.pk):
        parent = Organization.objects.get_parent(org)
        org.validate_parent(parent)  # raises on a kind that may not sit there
        assert org.path.startswith(parent.path) and org.depth == parent.depth + 1
    for org in orgs:
        assert org.numchild == Organization.objects.get_children(org).count()
    members = Member.objects.filter(branch__path__startswith=root.path)
    assert members.count() == SPEC.members == province.counts["members"]
    assert Membership.objects.filter(member__in=members, end_date__isnull=True).count() == (
        SPEC.members
    )
    for member in members.filter(status=Member.Status.PROBATIONARY):
        assert member.official_date is None
    for member in members.exclude(official_date=None)[:50]:
        assert member.birth_date < member.join_date <= member.official_date
    for branch in orgs.filter(kind="branch"):
        sitting = Position.objects.filter(organization=branch, end_date__isnull=True)
        assert sorted(sitting.values_list("title", flat=True)) == [
            "committee_member",
            "deputy_secretary",
            "secretary",
        ]
        secretary = sitting.get(title="secretary").member
        assert RoleAssignment.objects.filter(
            user=secretary.user, organization=branch, role="secretary"
        ).exists()
    assert province.counts["branches"] == SPEC.branches


def test_pledge_signatures_cover_exactly_the_content(province):
    plans = Plan.objects.filter(issuer__path__startswith=province.root.path)
    assert plans.count() == SPEC.years * province.counts["issuers"]
    assert set(plans.values_list("status", flat=True)) == {"published", "closed"}
    pledges = Pledge.objects.filter(registration__plan__in=plans).select_related(
        "registration__plan__issuer", "registration__organization"
    )
    statuses = Counter(pledges.values_list("status", flat=True))
    assert statuses["accepted"] > 0
    for pledge in pledges:
        signatures = {s.role: s for s in pledge.signatures.all()}
        if pledge.status == Pledge.Status.DRAFT:
            assert not signatures
            continue
        signed = signatures["signer"]
        assert missing_targets(pledge) == []
        organization = pledge.registration.organization
        assert signed.position == signer_position(signed.user, organization)
        content = build_content(
            pledge,
            signer_name=signed.user.full_name,
            signer_position=signed.position,
            day=timezone.localdate(signed.signed_at),
        )
        assert canonical_json(content) == signed.canonical
        assert content_hash(signed.canonical) == signed.content_hash
        assert signed.signed_at.date() <= pledge.registration.plan.signing_deadline
        if pledge.status == Pledge.Status.ACCEPTED:
            counter = signatures["countersigner"]
            assert counter.content_hash == signed.content_hash
            plan = pledge.registration.plan
            assert counter.position == signer_position(counter.user, plan.issuer)
        if pledge.status == Pledge.Status.RETURNED:
            assert pledge.return_reason
            assert pledge.registration.pledges.filter(version=2, status="draft").exists()
    for registration in Registration.objects.filter(plan__in=plans):
        assert registration.organization.path.startswith(registration.plan.issuer.path)
        if registration.late_reason:
            assert registration.registered_at.date() > registration.plan.registration_deadline
        else:
            assert registration.registered_at.date() <= registration.plan.registration_deadline


def test_meetings_ratings_and_reviews_follow_the_rules(province):
    root = province.root
    today = timezone.localdate()
    meetings = Meeting.objects.filter(branch__path__startswith=root.path)
    assert meetings.exists() and not meetings.filter(date__gt=today).exists()
    assert (
        not Attendance.objects.filter(meeting__in=meetings)
        .exclude(member__branch=F("meeting__branch"))
        .exists()
    )
    past = today.year - 1
    for committee in _subtree(root).filter(kind__in=["commune", "grassroots"]):
        assert member_cap_check(committee, past).verdict.ok
    assert MemberRating.objects.filter(branch__path__startswith=root.path, year=past).exists()
    reviews = Review.objects.filter(registration__plan__issuer__path__startswith=root.path)
    statuses = Counter(reviews.values_list("status", flat=True))
    assert statuses["finalized"] > 0 and statuses["assessed"] > 0
    for review in reviews.select_related(
        "registration__plan__issuer", "registration__organization"
    ):
        signatures = list(review.signatures.all())
        if review.status == Review.Status.DRAFT:
            assert not signatures
            continue
        (signed,) = signatures
        sheet = review_sheet(review)
        content = review_content(
            sheet,
            signer_name=signed.full_name,
            signer_position=signed.position,
            day=timezone.localdate(signed.signed_at),
        )
        assert canonical_json(content) == signed.canonical
        assert content_hash(signed.canonical) == signed.content_hash
        assert all(row.score.self_score is not None for row in sheet.rows)
        assert all(row.evidence for row in sheet.rows if row.indicator.evidence_required)
        if review.round == Review.Round.INTERIM:
            # Frozen automatic values are what the selectors compute from the meeting log.
            for row in sheet.rows:
                if not row.indicator.auto_source or "xếp loại" in row.score.auto_note:
                    continue
                live = automatic_value(
                    row.indicator,
                    organization=sheet.organization,
                    plan=sheet.plan,
                    year=review.year,
                    round=review.round,
                    target=row.target.value_number,
                )
                assert (live.achieved, live.note) == (
                    row.score.achieved_number,
                    row.score.auto_note,
                )
        if review.status == Review.Status.FINALIZED:
            result = compute_result(sheet)
            assert (result.total, result.reached_model) == (review.total, review.reached_model)
            assert review.finalized_at.date() <= datetime.date(review.year, 12, 31)


def test_command_only_in_demo_mode(db):
    with override_settings(DEMO_MODE=False), pytest.raises(CommandError):
        call_command("build_province", "--committees", "1", "--branches", "2", "--members", "8")
    with override_settings(DEMO_MODE=True):
        call_command(
            "build_province",
            "--committees=1",
            "--branches=2",
            "--members=8",
            "--code=TQ",
            stdout=open("/dev/null", "w"),  # noqa: SIM115
        )
    assert Signature.objects.exists()
    with override_settings(DEMO_MODE=True), pytest.raises(CommandError):
        call_command("build_province", "--code=TQ", "--committees=1", "--branches=2")
