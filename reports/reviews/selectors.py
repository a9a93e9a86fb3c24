"""Reviews: visibility, the review sheet (pledged vs achieved), totals, the result of a
finalization, and the calibration view of a whole plan."""

import datetime
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import translation
from django.utils.translation import gettext as _

from branches.models import Organization
from branches.permissions import Action, has_perm
from branches.signers import signer_lines
from criteria.models import Indicator, Plan
from criteria.rules import Level, MeetingRules
from criteria.selectors import criteria_of, plans_visible_to
from pledges.models import Pledge, PledgeTarget, Registration
from pledges.selectors import registrations_visible_to, signer_position, target_text
from reports.meetings.models import Evidence
from reports.meetings.selectors import period_counts
from reports.ratings.models import MemberRating
from reports.ratings.selectors import (
    Subject,
    collective_pool,
    member_pools,
    pools_within,
    quality_levels,
    undecided_in_branch,
)
from reports.reviews import progress
from reports.reviews.automatic import AutoValue, automatic_value, review_period
from reports.reviews.models import Nomination, RecognitionDecision, Review, ReviewScore
from vietnamese.numbers import number as vn_number
from vietnamese.numbers import plain as _num

ZERO = Decimal(0)
A = Indicator.AutoSource
MEETING_SOURCES = {
    A.REGULAR_MEETINGS,
    A.THEMATIC_MEETINGS,
    A.MEETING_QUALITY,
    A.RESOLUTIONS_FOLLOWED,
}
RATING_SOURCES = {A.MEMBERS_COMPLETED, A.MEMBERS_GOOD}


def reviews_visible_to(user) -> QuerySet[Review]:
    return Review.objects.filter(registration__in=registrations_visible_to(user))


def get_review_for(user, pk) -> Review:
    """The review, if the user's roles reach its organization or its plan; 404 otherwise."""
    return get_object_or_404(
        reviews_visible_to(user).select_related(
            "registration__plan__issuer", "registration__organization"
        ),
        pk=pk,
    )


def get_nomination_for(user, pk) -> Nomination:
    """A nomination of a plan the user can see; 404 otherwise."""
    return get_object_or_404(
        Nomination.objects.filter(plan__in=plans_visible_to(user)).select_related("plan__issuer"),
        pk=pk,
    )


def get_decision_for(user, pk) -> RecognitionDecision:
    """A recognition decision of a plan the user can see; 404 otherwise."""
    return get_object_or_404(
        RecognitionDecision.objects.filter(plan__in=plans_visible_to(user)).select_related(
            "plan__issuer", "issuer"
        ),
        pk=pk,
    )


def pledge_in_force(registration: Registration) -> Pledge | None:
    return (
        registration.pledges.filter(status__in=[Pledge.Status.SIGNED, Pledge.Status.ACCEPTED])
        .order_by("-version")
        .first()
    )


@dataclass
class ScoreRow:
    score: ReviewScore
    indicator: Indicator
    code: str
    target: PledgeTarget | None
    target_text: str
    auto: AutoValue | None
    evidence: list[Evidence]

    @property
    def target_value(self) -> Decimal | None:
        if self.target is None:
            return None
        if self.indicator.target_kind == Indicator.TargetKind.YES_NO:
            return Decimal(1) if self.target.value_yes else ZERO
        return self.target.value_number

    @property
    def achieved_value(self) -> Decimal | None:
        if self.indicator.target_kind == Indicator.TargetKind.YES_NO:
            return (
                None if self.score.achieved_yes is None else Decimal(int(self.score.achieved_yes))
            )
        return self.score.achieved_number

    @property
    def achieved_text(self) -> str:
        value = self.achieved_value
        if value is None:
            return ""
        if self.indicator.target_kind == Indicator.TargetKind.YES_NO:
            return _("Đạt") if value else _("Không đạt")
        number = vn_number(value)
        return (
            f"{number}%"
            if self.indicator.target_kind == Indicator.TargetKind.PERCENT
            else f"{number} {self.indicator.unit}"
        )

    @property
    def done(self) -> bool | None:
        achieved, target = self.achieved_value, self.target_value
        if achieved is None or target is None:
            return None
        return achieved >= target

    @property
    def exceeded(self) -> bool | None:
        achieved, target = self.achieved_value, self.target_value
        if (
            achieved is None
            or target is None
            or self.indicator.target_kind == Indicator.TargetKind.YES_NO
        ):
            return None
        return achieved > target


@dataclass
class CriterionBlock:
    criterion: object
    rows: list[ScoreRow]

    def total(self, field_name: str) -> Decimal | None:
        values = [getattr(row.score, field_name) for row in self.rows]
        return None if any(v is None for v in values) else sum(values, ZERO)

    @property
    def self_total(self) -> Decimal | None:
        return self.total("self_score")

    @property
    def assessed_total(self) -> Decimal | None:
        return self.total("assessed_score")


@dataclass
class ReviewSheet:
    review: Review
    plan: Plan
    organization: Organization
    blocks: list[CriterionBlock]
    period: tuple[datetime.date, datetime.date]
    pledge: Pledge | None

    def total(self, field_name: str) -> Decimal | None:
        totals = [block.total(field_name) for block in self.blocks]
        return None if any(t is None for t in totals) else sum(totals, ZERO)

    @property
    def rows(self) -> list[ScoreRow]:
        return [row for block in self.blocks for row in block.rows]


def review_sheet(review: Review) -> ReviewSheet:
    """Everything the review pages, documents and finalization need, in a fixed number of queries.
    Automatic values are computed live while the branch is still editing."""
    registration = review.registration
    plan, organization = registration.plan, registration.organization
    pledge = pledge_in_force(registration)
    targets = {t.indicator_id: t for t in pledge.targets.all()} if pledge else {}
    scores = {
        s.indicator_id: s
        for s in review.scores.prefetch_related(
            Prefetch("evidence", queryset=Evidence.objects.order_by("uploaded_at"))
        )
    }
    live = review.editable_by_branch
    sources = {}  # the meeting counts and the rating levels, each read once for the sheet

    def source(kind):
        if kind not in sources:
            if kind == "meetings":
                start, end = review_period(plan, review.year, review.round)
                sources[kind] = period_counts(organization, start, end, MeetingRules.of(plan))
            else:
                sources[kind] = [
                    r.level
                    for r in MemberRating.objects.filter(branch=organization, year=review.year)
                ]
        return sources[kind]

    blocks = []
    for criterion in criteria_of(plan):
        rows = []
        for indicator in criterion.indicators.all():
            score = scores.get(indicator.pk) or ReviewScore(review=review, indicator=indicator)
            target = targets.get(indicator.pk)
            target_number = target.value_number if target else indicator.default_target
            auto = (
                automatic_value(
                    indicator,
                    organization=organization,
                    plan=plan,
                    year=review.year,
                    round=review.round,
                    target=target_number,
                    counts=source("meetings") if indicator.auto_source in MEETING_SOURCES else None,
                    levels=source("ratings") if indicator.auto_source in RATING_SOURCES else None,
                )
                if live
                else (
                    AutoValue(score.achieved_number, score.auto_note, None)
                    if indicator.auto_source
                    else None
                )
            )
            if live and auto is not None and auto.achieved is not None:
                score.achieved_number = auto.achieved
            rows.append(
                ScoreRow(
                    score=score,
                    indicator=indicator,
                    code=f"{criterion.order}.{indicator.order}",
                    target=target,
                    target_text=target_text(indicator, target) if target else "",
                    auto=auto,
                    evidence=list(score.evidence.all()) if score.pk else [],
                )
            )
        blocks.append(CriterionBlock(criterion=criterion, rows=rows))
    return ReviewSheet(
        review=review,
        plan=plan,
        organization=organization,
        blocks=blocks,
        period=review_period(plan, review.year, review.round),
        pledge=pledge,
    )


def review_content(
    sheet: ReviewSheet, *, signer_name: str, signer_position: str, day: datetime.date
) -> dict:
    """The self-assessment as data — exactly what the secretary's signature covers."""
    review = sheet.review
    superior = Organization.objects.get_parent(sheet.organization)
    return {
        "document": "self_assessment",
        "round": review.round,
        "round_label": str(review.get_round_display()),
        "year": review.year,
        "plan": {
            "number": sheet.plan.number,
            "issue_date": sheet.plan.issue_date.isoformat(),
            "issuer": sheet.plan.issuer.issuing_name,
            "issuer_body": sheet.plan.issuer.signing_body,
            "model": str(sheet.plan.get_model_display()),
        },
        "organization": {
            "code": sheet.organization.code,
            "name": sheet.organization.name,
            "issuing_name": sheet.organization.issuing_name,
            "superior": superior.name if superior else "",
        },
        "period": [sheet.period[0].isoformat(), sheet.period[1].isoformat()],
        "place": sheet.organization.place_name or sheet.plan.place_name,
        "date": day.isoformat(),
        "criteria": [
            {
                "order": block.criterion.order,
                "name": block.criterion.name,
                "points": _num(block.criterion.points),
                "self_total": _num(block.total("self_score")),
                "indicators": [
                    {
                        "code": row.code,
                        "text": row.indicator.text,
                        "points": _num(row.indicator.points),
                        "target": row.target_text,
                        "achieved": row.achieved_text,
                        "auto_note": row.auto.note if row.auto else "",
                        "self_score": _num(row.score.self_score),
                        "comment": row.score.self_comment,
                        "evidence": [
                            {"name": e.original_name or e.note[:80], "sha256": e.sha256}
                            for e in row.evidence
                        ],
                    }
                    for row in block.rows
                ],
            }
            for block in sheet.blocks
        ],
        "self_total": _num(sheet.total("self_score")),
        "total_points": _num(sheet.plan.total_points),
        "signer": {
            "name": signer_name,
            "position": signer_position,
            "lines": signer_lines(sheet.organization, signer_position),
        },
    }


@dataclass
class Result:
    total: Decimal
    criterion_results: list[dict]
    reached_model: bool
    model_reason: str


def model_rating_conditions(plan: Plan, organization: Organization, year: int) -> list[str]:
    """Why the plan's own conditions on the quality rating keep the organization from the model
    (empty: they hold, or the plan sets none): at least `model_min_level` decided by the
    committee above (its OrganizationRating, never a level computed from the model's score),
    and no member disciplined in the year when `model_no_disciplined_member` is on."""
    reasons = []
    if plan.model_min_level:
        minimum = Level(plan.model_min_level)
        decided = quality_levels([organization.pk], year).get(organization.pk)
        if not decided:
            reasons.append(
                _(
                    "chưa có quyết định xếp loại chất lượng năm %(year)s (kế hoạch yêu cầu từ “%(minimum)s”)"
                )
                % {"year": year, "minimum": minimum.label}
            )
        elif not Level(decided).at_least(minimum):
            reasons.append(
                _("xếp loại chất lượng “%(level)s”, kế hoạch yêu cầu từ “%(minimum)s”")
                % {"level": Level(decided).label, "minimum": minimum.label}
            )
    if plan.model_no_disciplined_member:
        disciplined = MemberRating.objects.filter(
            branch__path__startswith=organization.path, year=year, disciplined=True
        ).count()
        if disciplined:
            reasons.append(
                _("%(n)s đảng viên bị kỷ luật trong năm (kế hoạch yêu cầu không có)")
                % {"n": disciplined}
            )
    return reasons


def compute_result(sheet: ReviewSheet) -> Result:
    """Totals per criterion and overall from the assessed scores, and whether the organization
    reaches the model by the plan's rule, with the reason. No quality level: the model is an
    emulation programme, the quality rating of Quy định 366-QĐ/TW is decided on its own
    (reports.ratings.OrganizationRating); a plan may only make the model depend on the rating
    (`model_rating_conditions`)."""
    plan = sheet.plan
    criterion_results, short = [], []
    for block in sheet.blocks:
        score = block.total("assessed_score") or ZERO
        ok = score >= block.criterion.min_points
        criterion_results.append(
            {
                "order": block.criterion.order,
                "name": block.criterion.name,
                "points": _num(block.criterion.points),
                "min": _num(block.criterion.min_points),
                "score": _num(score),
                "ok": ok,
            }
        )
        if not ok:
            short.append(
                _("tiêu chí %(order)s đạt %(score)s điểm, dưới mức tối thiểu %(min)s")
                % {
                    "order": block.criterion.order,
                    "score": vn_number(score),
                    "min": vn_number(block.criterion.min_points),
                }
            )
    total = sheet.total("assessed_score") or ZERO
    if total < plan.pass_total:
        short.insert(
            0,
            _("tổng điểm %(total)s, dưới mức %(pass)s")
            % {"total": vn_number(total), "pass": vn_number(plan.pass_total)},
        )
    if sheet.review.round == Review.Round.FINAL:
        short += model_rating_conditions(plan, sheet.organization, sheet.review.year)
    model = plan.get_model_display()
    if short:
        model_reason = _("Chưa đạt “%(model)s”: %(why)s.") % {
            "model": model,
            "why": "; ".join(short),
        }
    else:
        model_reason = _(
            "Đạt “%(model)s”: tổng %(total)s/%(max)s điểm (cần từ %(pass)s), mọi tiêu chí đạt mức tối thiểu."
        ) % {
            "model": model,
            "total": vn_number(total),
            "max": vn_number(plan.total_points),
            "pass": vn_number(plan.pass_total),
        }
    return Result(total, criterion_results, not short, model_reason)


@dataclass
class CalibrationRow:
    registration: Registration
    review: Review | None
    quality: str = ""  # the decided quality rating of the year (final round), not the model's

    @property
    def quality_label(self) -> str:
        return Level(self.quality).label if self.quality else ""

    @property
    def difference(self) -> Decimal | None:
        review = self.review
        if review is None or review.self_total is None or review.total is None:
            return None
        return review.self_total - review.total


def calibration(plan: Plan, year: int, round: str) -> dict:
    """Every registered organization of the plan for one round: self and assessed totals, the
    model's results and, in the final round, the decided quality ratings of the year beside them
    (OrganizationRating: never computed from the model), the caps on "xuất sắc" (members per
    pool, the organizations the plan's committee decides on), and the outliers."""
    registrations = list(
        plan.registrations.filter(status=Registration.Status.REGISTERED, year=year)
        .select_related("organization")
        .order_by("organization__path")
    )
    reviews = {
        r.registration_id: r
        for r in Review.objects.filter(registration__plan=plan, year=year, round=round)
    }
    # The totals of the reviews submitted but not locked yet, summed by the database: a block
    # committee's plan holds hundreds of reviews of twenty scores each (issue 21).
    pending = {
        r.pk for r in reviews.values() if r.total is None and r.status != Review.Status.DRAFT
    }
    sums = (
        {
            row["review_id"]: row
            for row in ReviewScore.objects.filter(review__in=pending)
            .values("review_id")
            .annotate(
                self_sum=Sum("self_score"),
                assessed_sum=Sum("assessed_score"),
                unassessed=Count("pk", filter=Q(assessed_score__isnull=True)),
            )
        }
        if pending
        else {}
    )
    final = round == Review.Round.FINAL
    quality = quality_levels([r.organization_id for r in registrations], year) if final else {}
    rows = []
    for registration in registrations:
        review = reviews.get(registration.pk)
        if review is not None and review.pk in pending:
            row = sums.get(review.pk, {})
            review.self_total = row.get("self_sum") or ZERO
            review.total = None if row.get("unassessed") else row.get("assessed_sum") or ZERO
        rows.append(
            CalibrationRow(registration, review, quality.get(registration.organization_id, ""))
        )
    distribution = Counter(quality.values())
    outliers = [row for row in rows if row.difference is not None and abs(row.difference) >= 10]
    statuses = Counter(row.review.status if row.review else "none" for row in rows)
    labels = {"none": _("Chưa tự đánh giá"), **dict(Review.Status.choices)}
    status_counts = [(labels[code], statuses[code]) for code in labels if statuses.get(code)]
    return {
        "rows": rows,
        "distribution": [(level, distribution.get(level.value, 0)) for level in Level]
        if final
        else None,
        "reached": sum(1 for row in rows if row.review and row.review.reached_model),
        # The cap on "xuất sắc" members in each pool under the plan's committee (member_pool:
        # the same count as the ratings pages and the saves).
        "member_pools": member_pools(pools_within(plan.issuer), year) if final else None,
        "collective_pool": collective_pool(plan.issuer, year, Subject.ORGANIZATION)
        if final
        else None,
        "outliers": outliers,
        "status_counts": status_counts,  # [(label, count)], in workflow order
    }


def submission_content(sheet: ReviewSheet, user, day: datetime.date) -> dict:
    """What `user` signs when submitting `sheet` on `day`, built in the record's language (the
    signing page, the preview and the signing act all take it from here)."""
    with translation.override("vi"):
        position = signer_position(user, sheet.organization)
        return review_content(sheet, signer_name=user.full_name, signer_position=position, day=day)


def round_and_year_from(params, plan, *, fallback_year: int | None = None) -> tuple[str, int]:
    """The round and year a page's query asks for; by default the plan's year in progress and
    the round its work is in (reports.reviews.progress), not the calendar's; 404 outside the
    plan. `fallback_year`: the year the user is working on, for a plan with nothing in progress."""
    round = params.get("round", "")
    if round and round not in Review.Round.values:
        raise Http404
    try:
        year = int(params.get("year", ""))
    except ValueError:
        year = progress.year_in_progress(plan, fallback_year=fallback_year)
    if year not in plan.years:
        raise Http404
    return round or progress.round_in_progress(plan, year), year


def calibration_for(user, plan, year: int, round: str) -> dict:
    """`calibration` as the user may see it: a branch secretary, who sees the plan through their
    branch, gets only their branch's row."""
    data = calibration(plan, year, round)
    if not has_perm(user, plan.issuer, Action.VIEW):
        data["rows"] = [
            row
            for row in data["rows"]
            if has_perm(user, row.registration.organization, Action.VIEW)
        ]
    return data


def undecided_members(review: Review) -> list:
    """The members of a branch whose level the committee has not decided yet, for a final review
    (Quy định 366-QĐ/TW, Điều 12 khoản 2: members are rated before their organization); empty for
    other rounds and for a committee's own review."""
    organization = review.registration.organization
    if review.round != Review.Round.FINAL or not organization.is_branch:
        return []
    return undecided_in_branch(organization, review.year)
