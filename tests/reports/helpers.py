"""Steps of a review that several tests take."""

from decimal import Decimal

from criteria.models import Indicator
from criteria.rules import Level
from reports.meetings.models import Evidence
from reports.reviews import services as reviews
from reports.reviews.models import Review


def open_review(world, registration, round=Review.Round.FINAL):
    return reviews.review_open(
        actor=world.users["secretary_own"],
        registration=registration,
        year=registration.plan.start_year,
        round=round,
    )


def fill(world, review, share=Decimal("0.9")):
    """Score every indicator at `share` of its points, with evidence where it is required."""
    rows = {}
    for score in review.scores.select_related("indicator"):
        indicator = score.indicator
        evidence = []
        if indicator.evidence_required:
            item = Evidence.objects.filter(
                registration=review.registration, indicator=indicator
            ).first() or Evidence.objects.create(
                registration=review.registration,
                indicator=indicator,
                year=review.year,
                note="Biên bản",
                uploaded_by=world.users["secretary_own"],
            )
            evidence = [item.pk]
        values = {
            "self_score": (indicator.points * share).quantize(Decimal("0.01")),
            "self_comment": "",
            "evidence": evidence,
        }
        if indicator.target_kind == Indicator.TargetKind.YES_NO and not indicator.auto_source:
            values["achieved_yes"] = True
        rows[indicator.pk] = values
    reviews.review_save_self(actor=world.users["secretary_own"], review=review, rows=rows)
    return review


def submit(world, review, at=None):
    """Sign and submit as the branch secretary (`at`: a dated submission, for past plans)."""
    from django.utils import timezone

    from partydocs.signing import Evidence, Signer, canonical_json, content_hash
    from reports.reviews.selectors import review_sheet, submission_content
    from tests.conftest import PASSWORD

    user = world.users["secretary_own"]
    review.refresh_from_db()
    content = submission_content(review_sheet(review), user, timezone.localdate(at))
    return reviews.review_submit(
        signer=Signer(user=user, password=PASSWORD, full_name=user.full_name, consent=True),
        evidence=Evidence.at_address("10.0.0.1", "test"),
        review=review,
        seen_hash=content_hash(canonical_json(content)),
        now=at,
    )


def fill_and_submit(world, registration, share=Decimal("0.9")):
    review = fill(world, open_review(world, registration), share)
    submit(world, review)
    review.refresh_from_db()
    return review


def decide_members(world, organization, year, level=Level.GOOD):
    """The committee decides the level of every member of the branch not decided yet (366
    Điều 12: members are rated before their organization can be finalized)."""
    from reports.ratings import services as ratings
    from reports.ratings.selectors import undecided_in_branch

    undecided = [m.pk for m in undecided_in_branch(organization, year)]
    if undecided:
        ratings.ratings_save(
            actor=world.users["leader"],
            branch=organization,
            year=year,
            column="decided",
            levels=dict.fromkeys(undecided, level),
        )


def assess(world, review, delta=Decimal(0), actor=None, rate_members=True):
    """The committee assesses every indicator; for a final review the members are decided by
    then too (as "tốt"), unless `rate_members` is off."""
    review.refresh_from_db()
    if rate_members and review.round == Review.Round.FINAL:
        decide_members(world, review.registration.organization, review.year)
    rows = {
        s.indicator_id: {
            "assessed_score": max(Decimal(0), s.self_score - delta),
            "assessed_comment": "",
        }
        for s in review.scores.all()
    }
    reviews.review_assess(
        actor=actor or world.users["staff"], review=review, rows=rows, revision=review.revision
    )
    review.refresh_from_db()
    return review


def decide_quality(world, organization, year, level=Level.GOOD, common="28", results="60"):
    """The committee above appraises the organization's quality rating (88 points on the 366
    frame by default) and decides `level` — a record apart from the model's result."""
    from reports.ratings import services as ratings
    from reports.ratings.models import OrganizationRating

    where = {
        "organization": organization,
        "year": year,
        "subject": OrganizationRating.Subject.ORGANIZATION,
    }
    ratings.organization_appraisal_save(
        actor=world.users["staff"],
        **where,
        data={
            "score_common": Decimal(common),
            "score_results": Decimal(results),
            "all_tasks_done": True,
        },
    )
    return ratings.organization_rating_decide(actor=world.users["leader"], **where, level=level)
