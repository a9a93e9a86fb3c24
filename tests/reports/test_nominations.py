"""Outstanding only where it is earned: a collective or a member is recognized as tiêu biểu only
within what the plan and the rating allow; a proposal is refused or withdrawn with a reason, and
a recognition can be taken back, until the year's decision is issued."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from criteria.rules import Level
from reports.ratings.models import MemberRating
from reports.reviews import recognition
from reports.reviews import services as reviews
from reports.reviews.models import Nomination
from tests.reports.helpers import assess, decide_quality, fill_and_submit


def _finalized(world, registration, share):
    review = assess(world, fill_and_submit(world, registration, share))
    reviews.review_finalize(actor=world.users["leader"], review=review)
    review.refresh_from_db()
    return review


def _propose(world, plan, **subject):
    kind = Nomination.Kind.COLLECTIVE if "organization" in subject else Nomination.Kind.INDIVIDUAL
    return recognition.nomination_propose(
        actor=world.users["staff"],
        plan=plan,
        year=plan.start_year,
        kind=kind,
        reason="Dẫn đầu phong trào",
        **subject,
    )


def test_a_branch_that_failed_cannot_be_an_outstanding_collective(world, signed_registration):
    review = _finalized(world, signed_registration, Decimal("0.45"))
    assert not review.reached_model
    nomination = _propose(world, signed_registration.plan, organization=world.branch_a)
    verdict = recognition.nomination_eligibility(nomination)
    assert not verdict.ok and "không đạt mô hình" in verdict.reason
    with pytest.raises(ValidationError, match="Không công nhận được: Tổ chức không đạt mô hình"):
        recognition.nomination_decide(
            actor=world.users["leader"], nomination=nomination, approve=True
        )
    nomination.refresh_from_db()
    assert nomination.status == Nomination.Status.PROPOSED


def test_the_plan_sets_the_level_an_outstanding_collective_needs(world, signed_registration):
    plan = signed_registration.plan
    review = _finalized(world, signed_registration, Decimal("0.95"))
    assert review.reached_model
    nomination = _propose(world, plan, organization=world.branch_a)
    # The model reached is not a quality rating: none is decided yet.
    verdict = recognition.nomination_eligibility(nomination)
    assert not verdict.ok and "xếp loại chất lượng “chưa xếp loại”" in verdict.reason
    decide_quality(world, world.branch_a, plan.start_year, Level.GOOD)
    plan.outstanding_collective_level = Level.EXCELLENT
    plan.save()
    nomination.refresh_from_db()
    with pytest.raises(ValidationError, match="chỉ công nhận tập thể tiêu biểu xếp loại từ"):
        recognition.nomination_decide(
            actor=world.users["leader"], nomination=nomination, approve=True
        )
    plan.outstanding_collective_level = Level.GOOD
    plan.save()
    nomination.refresh_from_db()
    recognition.nomination_decide(actor=world.users["leader"], nomination=nomination, approve=True)
    assert Nomination.objects.get().status == Nomination.Status.APPROVED


def test_an_outstanding_member_needs_the_committees_xuat_sac(world, signed_registration):
    plan = signed_registration.plan
    nomination = _propose(world, plan, member=world.member_a)
    with pytest.raises(ValidationError, match="chưa xếp loại"):
        recognition.nomination_decide(
            actor=world.users["leader"], nomination=nomination, approve=True
        )
    MemberRating.objects.create(
        member=world.member_a,
        branch=world.branch_a,
        year=plan.start_year,
        proposed_level=Level.EXCELLENT,  # a proposal is not a decision
        decided_level=Level.GOOD,
    )
    with pytest.raises(ValidationError, match="được cấp ủy xếp loại “Hoàn thành tốt nhiệm vụ”"):
        recognition.nomination_decide(
            actor=world.users["leader"], nomination=nomination, approve=True
        )
    MemberRating.objects.filter(member=world.member_a).update(decided_level=Level.EXCELLENT)
    recognition.nomination_decide(actor=world.users["leader"], nomination=nomination, approve=True)


def test_refused_withdrawn_and_taken_back_with_a_reason_until_the_decision(
    world, signed_registration, login
):
    plan = signed_registration.plan
    _finalized(world, signed_registration, Decimal("0.95"))
    decide_quality(world, world.branch_a, plan.start_year, Level.GOOD)
    nomination = _propose(world, plan, organization=world.branch_a)
    leader = world.users["leader"]
    with pytest.raises(ValidationError, match="Hãy ghi lý do không công nhận"):
        recognition.nomination_decide(actor=leader, nomination=nomination, approve=False)
    recognition.nomination_decide(actor=leader, nomination=nomination, approve=True)
    # Taken back after approval, with a reason, on the page.
    client = login(leader)
    client.post(
        reverse("reports:nomination_decide", args=[nomination.pk]),
        {"approve": "0", "reason": "Có đơn thư phản ánh đang xác minh"},
    )
    nomination.refresh_from_db()
    assert nomination.status == Nomination.Status.REJECTED
    assert nomination.decision_reason == "Có đơn thư phản ánh đang xác minh"
    # The staff who proposed it withdraw it.
    login(world.users["staff"]).post(
        reverse("reports:nomination_decide", args=[nomination.pk]),
        {"approve": "withdraw", "reason": "Đề nghị lại năm sau"},
    )
    nomination.refresh_from_db()
    assert nomination.status == Nomination.Status.WITHDRAWN
    with pytest.raises(ValidationError, match="đã được rút"):
        recognition.nomination_decide(actor=leader, nomination=nomination, approve=True)
    page = client.get(
        reverse("reports:recognition", args=[plan.pk]) + f"?year={plan.start_year}"
    ).content.decode()
    assert "Đã rút đề nghị" in page and "Đề nghị lại năm sau" in page
    # Once the decision is issued, nothing changes any more.
    other = _propose(world, plan, member=world.member_a)
    decision = recognition.decision_create(
        actor=leader,
        plan=plan,
        year=plan.start_year,
        issue_date=timezone.localdate(),
        signer_name="X",
    )
    recognition.decision_issue(actor=leader, decision=decision)
    with pytest.raises(ValidationError, match="đã ban hành"):
        recognition.nomination_withdraw(actor=leader, nomination=other, reason="x")
