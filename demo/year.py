"""Demo of the year, as the seed articles tell it.

Vĩnh Phúc 2022: every branch met monthly; 78 members rated — 13 "hoàn thành xuất sắc nhiệm vụ"
from a pool of 65 rated "tốt" or better; the final review: 6/6 branches reach the model, Tổng hợp
and Cơ yếu – CNTT are the outstanding collectives, the secretary of Tổng hợp the outstanding
individual, and the standing committee's recognition decision. Quế Phú 2023: the interim review is
half done (some branches submitted, some assessed, others still self-assessing or not started).
"""

import datetime
import random
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from branches.models import Member, Organization, RoleAssignment, User
from criteria.models import Indicator, Plan
from criteria.rules import Level, rules_for_year
from demo.pledges import demo_signer
from partydocs.signing import Evidence as SigningEvidence
from partydocs.signing import canonical_json, content_hash
from pledges.models import Pledge, Registration
from reports.meetings.models import Attendance, Evidence, Meeting
from reports.ratings import services as ratings
from reports.ratings.models import MemberRating, OrganizationRating
from reports.reviews import recognition
from reports.reviews import services as reviews
from reports.reviews.models import Nomination, RecognitionDecision, Review
from reports.reviews.selectors import review_sheet, submission_content

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
TOPICS_REGULAR = "Sinh hoạt chi bộ thường kỳ tháng {month}: đánh giá nhiệm vụ tháng, triển khai nhiệm vụ tháng sau"
TOPICS_THEMATIC = [
    "Chuyên đề học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
    "Chuyên đề nâng cao chất lượng sinh hoạt chi bộ",
    "Chuyên đề phòng, chống suy thoái, “tự diễn biến”, “tự chuyển hóa”",
    "Chuyên đề thực hiện quy chế dân chủ ở cơ sở",
]
# Vĩnh Phúc 2022 ratings per branch: (xuất sắc, tốt, hoàn thành) — 13 / 52 / 13 of 78.
VP_RATINGS = {
    "VP.VPTU.01": (5, 12, 1),
    "VP.VPTU.02": (2, 7, 3),
    "VP.VPTU.03": (2, 9, 3),
    "VP.VPTU.04": (3, 9, 1),
    "VP.VPTU.05": (1, 7, 2),
    "VP.VPTU.06": (0, 8, 3),
}
VP_OUTSTANDING = ["VP.VPTU.01", "VP.VPTU.04"]
SCORES = {
    Level.EXCELLENT: Decimal(93),
    Level.GOOD: Decimal(82),
    Level.COMPLETED: Decimal(63),
    Level.FAILED: Decimal(45),
}


def _minutes_file(branch: Organization, day: datetime.date) -> tuple[str, str]:
    name = f"minutes/demo/{branch.code}-{day:%Y-%m-%d}.txt"
    if not default_storage.exists(name):
        name = default_storage.save(
            name,
            ContentFile(
                f"Biên bản sinh hoạt {branch.name} ngày {day:%d/%m/%Y} (dữ liệu mẫu).".encode()
            ),
        )
    return name, f"bien-ban-{day:%Y-%m-%d}.txt"


def _meetings(branch: Organization, year: int, months: range, rng: random.Random) -> None:
    if Meeting.objects.filter(branch=branch, date__year=year).exists():
        return
    members = list(
        Member.objects.filter(branch=branch, is_active=True).values_list("pk", flat=True)
    )
    plans = []
    for month in months:
        plans.append(
            (
                datetime.date(year, month, rng.randint(3, 8)),
                Meeting.Kind.REGULAR,
                TOPICS_REGULAR.format(month=month),
            )
        )
        if month % 3 == 0:
            plans.append(
                (
                    datetime.date(year, month, rng.randint(18, 25)),
                    Meeting.Kind.THEMATIC,
                    TOPICS_THEMATIC[month // 3 - 1],
                )
            )
    for day, kind, topic in plans:
        weak = rng.random() < 0.12  # about one meeting in eight misses a quality condition
        minutes, name = (
            _minutes_file(branch, day) if not (weak and rng.random() < 0.3) else ("", "")
        )
        meeting = Meeting.objects.create(
            branch=branch,
            date=day,
            kind=kind,
            topic=topic,
            duration_minutes=rng.choice([75, 80])
            if weak and rng.random() < 0.5
            else rng.choice([90, 100, 120, 150]),
            minutes=minutes,
            minutes_name=name,
            minutes_sha256="",
        )
        statuses = []
        for member_id in members:
            roll = rng.random()
            status = (
                Attendance.Status.PRESENT
                if roll < (0.80 if weak else 0.95)
                else (
                    Attendance.Status.UNEXCUSED
                    if weak and roll > 0.97
                    else Attendance.Status.EXCUSED
                )
            )
            statuses.append(Attendance(meeting=meeting, member_id=member_id, status=status))
        Attendance.objects.bulk_create(statuses)


def _ratings(
    branch: Organization, year: int, counts: tuple[int, int, int], rng: random.Random
) -> None:
    if MemberRating.objects.filter(branch=branch, year=year).exists():
        return
    members = list(Member.objects.filter(branch=branch, is_active=True).order_by("join_date", "id"))
    excellent, good, completed = counts
    levels = [Level.EXCELLENT] * excellent + [Level.GOOD] * good + [Level.COMPLETED] * completed
    levels += [Level.GOOD] * (len(members) - len(levels))
    rng.shuffle(levels)
    # The branch's secretary is among its "xuất sắc" members when it has any: the demo proposes
    # Tổng hợp's secretary as the outstanding individual, which the plan allows only at that level.
    secretaries = set(
        RoleAssignment.objects.filter(
            organization=branch, role=RoleAssignment.Role.SECRETARY
        ).values_list("user_id", flat=True)
    )
    for index, member in enumerate(members):
        if member.user_id in secretaries and Level.EXCELLENT in levels:
            top = levels.index(Level.EXCELLENT)
            levels[index], levels[top] = levels[top], levels[index]
            break
    MemberRating.objects.bulk_create(
        MemberRating(
            member=m,
            branch=branch,
            year=year,
            self_level=level,
            proposed_level=level,
            decided_level=level,
            # The sheet on the frame, as the committee accepted it (the level's band).
            score=SCORES[level],
            exceeding_share=Decimal("0.35") if level == Level.EXCELLENT else Decimal("0.10"),
        )
        for m, level in zip(members, levels, strict=False)
    )


def _user(organization: Organization, role: str) -> User:
    return RoleAssignment.objects.filter(organization=organization, role=role).first().user


def self_assess(
    review: Review, secretary: User, quality: float, rng: random.Random, at: datetime.datetime
) -> None:
    """Fill the self-assessment from the sheet (automatic values included), add evidence where it
    is required, and sign it on `at`."""
    sheet = review_sheet(review)
    rows = {}
    for row in sheet.rows:
        indicator = row.indicator
        if indicator.evidence_required and not row.evidence:
            Evidence.objects.create(
                registration=review.registration,
                indicator=indicator,
                year=review.year,
                uploaded_by=secretary,
                note=f"Nghị quyết, biên bản của chi bộ lưu tại sổ nghị quyết (chỉ tiêu {row.code}).",
            )
        share = Decimal(str(min(1.0, quality + rng.uniform(-0.05, 0.05))))
        score = (indicator.points * share).quantize(Decimal("0.25"))
        if row.auto and row.auto.suggested_score is not None:
            score = row.auto.suggested_score
        values = {"self_score": min(score, indicator.points), "self_comment": ""}
        if not indicator.auto_source:
            if indicator.target_kind == Indicator.TargetKind.YES_NO:
                values["achieved_yes"] = share > Decimal("0.7")
            elif row.target_value is not None:
                values["achieved_number"] = (
                    row.target_value * min(Decimal(1), share + Decimal("0.05"))
                ).quantize(Decimal("0.01"))
        values["evidence"] = [
            e.pk
            for e in Evidence.objects.filter(
                registration=review.registration, indicator=indicator, year=review.year
            )
        ]
        rows[indicator.pk] = values
    reviews.review_save_self(actor=secretary, review=review, rows=rows)
    review.refresh_from_db()
    content = submission_content(review_sheet(review), secretary, timezone.localdate(at))
    reviews.review_submit(
        signer=demo_signer(secretary),
        evidence=SigningEvidence.at_address("10.10.0.30", "Bốn Tốt demo"),
        review=review,
        seen_hash=content_hash(canonical_json(content)),
        now=at,
    )


def _assess(review: Review, assessor: User, delta: Decimal) -> None:
    review.refresh_from_db()
    rows = {}
    for score in review.scores.select_related("indicator"):
        assessed = max(
            Decimal(0), min(score.indicator.points, (score.self_score or Decimal(0)) - delta)
        )
        rows[score.indicator_id] = {"assessed_score": assessed, "assessed_comment": ""}
    reviews.review_assess(actor=assessor, review=review, rows=rows, revision=review.revision)


def _quality_rating(branch: Organization, year: int, staff: User, leader: User, rng) -> None:
    """The branch's quality rating for the year, a record apart from the model's result (its
    points are the appraisal's own, not derived from the model's score): the committee's
    advising body appraises it on the year's frame (2022: Quy định 132, one total on 100 points)
    and the committee decides the level the appraisal allows. The seeds' outstanding branches
    are appraised above 90 points with 35% of their tasks exceeding; the others between 80 and 89."""
    outstanding = branch.code in VP_OUTSTANDING
    frame = rules_for_year(year).frames["organization"]
    score = Decimal(rng.randint(91, 97) if outstanding else rng.randint(80, 89))
    data = {f"score_{part.code}": score * part.points / frame.total for part in frame.parts}
    exceeding = Decimal("0.35") if outstanding else Decimal("0.15")
    rating = ratings.organization_appraisal_save(
        actor=staff,
        organization=branch,
        year=year,
        subject=OrganizationRating.Subject.ORGANIZATION,
        data={**data, "all_tasks_done": True, "exceeding_share": exceeding},
    )
    allowed = rules_for_year(year).rate_collective(rating.facts())
    ratings.organization_rating_decide(
        actor=leader,
        organization=branch,
        year=year,
        subject=OrganizationRating.Subject.ORGANIZATION,
        level=allowed.level,
        decision=f"Quyết định xếp loại chất lượng tổ chức đảng năm {year}",
    )


def _vinh_phuc() -> None:
    plan = Plan.objects.get(issuer__code="VP.VPTU", sequence=9)
    if Review.objects.filter(registration__plan=plan).exists():
        return
    leader, staff = _user(plan.issuer, "leader"), _user(plan.issuer, "staff")
    for registration in plan.registrations.select_related("organization").order_by(
        "organization__path"
    ):
        branch = registration.organization
        rng = random.Random(f"vp-{branch.code}")
        _meetings(branch, 2022, range(1, 13), rng)
        _ratings(branch, 2022, VP_RATINGS[branch.code], rng)
        secretary = _user(branch, "secretary")
        review = reviews.review_open(
            actor=secretary, registration=registration, year=2022, round=Review.Round.FINAL
        )
        outstanding = branch.code in VP_OUTSTANDING
        self_assess(
            review,
            secretary,
            0.97 if outstanding else 0.88,
            rng,
            datetime.datetime(2022, 12, 20, 9, tzinfo=TZ),
        )
        _assess(review, staff, Decimal("0") if outstanding else Decimal("0.25"))
        review.refresh_from_db()
        review = reviews.review_finalize(actor=leader, review=review)
        _quality_rating(branch, 2022, staff, leader, rng)
    for code in VP_OUTSTANDING:
        organization = Organization.objects.get(code=code)
        nomination = recognition.nomination_propose(
            actor=staff,
            plan=plan,
            year=2022,
            kind=Nomination.Kind.COLLECTIVE,
            organization=organization,
            reason="Hoàn thành xuất sắc nhiệm vụ; dẫn đầu thực hiện mô hình “Chi bộ bốn tốt” năm 2022.",
        )
        recognition.nomination_decide(actor=leader, nomination=nomination, approve=True)
    secretary_member = User.objects.get(username="bithu.tonghop").member
    nomination = recognition.nomination_propose(
        actor=staff,
        plan=plan,
        year=2022,
        kind=Nomination.Kind.INDIVIDUAL,
        member=secretary_member,
        reason="Bí thư chi bộ tiêu biểu; đạt giải Nhất Hội thi Bí thư chi bộ giỏi năm 2022.",
    )
    recognition.nomination_decide(actor=leader, nomination=nomination, approve=True)
    decision = recognition.decision_create(
        actor=leader,
        plan=plan,
        year=2022,
        issue_date=datetime.date(2022, 12, 28),
        sequence=15,
        signer_name=leader.full_name,
        recipients="Ban Thường vụ Đảng ủy Khối (b/c)\nCác chi bộ trực thuộc\nLưu Văn phòng Đảng ủy",
    )
    recognition.decision_issue(actor=leader, decision=decision)


def _que_phu() -> None:
    plan = Plan.objects.get(issuer__code="QS.QP", sequence=98)
    if Review.objects.filter(registration__plan=plan).exists():
        return
    staff = _user(plan.issuer, "staff")
    registrations = [
        r
        for r in plan.registrations.filter(status=Registration.Status.REGISTERED)
        .select_related("organization")
        .order_by("organization__path")
        if r.pledges.filter(status__in=[Pledge.Status.SIGNED, Pledge.Status.ACCEPTED]).exists()
    ]
    for index, registration in enumerate(registrations):
        branch = registration.organization
        rng = random.Random(f"qp-{branch.code}")
        _meetings(branch, 2023, range(1, 11), rng)
        if index >= 9:
            continue  # not started yet
        secretary = _user(branch, "secretary")
        review = reviews.review_open(
            actor=secretary, registration=registration, year=2023, round=Review.Round.INTERIM
        )
        if index >= 6:
            continue  # opened, still self-assessing
        self_assess(
            review,
            secretary,
            0.9 - index * 0.02,
            rng,
            datetime.datetime(2023, 10, 20 + index, 9, tzinfo=TZ),
        )
        if index < 3:
            _assess(review, staff, Decimal("0.5"))


@transaction.atomic
def load() -> None:
    if not RecognitionDecision.objects.filter(issuer__code="VP.VPTU", year=2022).exists():
        _vinh_phuc()
    _que_phu()
