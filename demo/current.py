"""A committee of today, alive on the day the demo is loaded (issue 20).

Đảng bộ xã Quế Sơn (thành phố Đà Nẵng) was founded on 1/7/2025, when local government went to two
levels, by merging thị trấn Đông Phú and the communes Quế An, Quế Phong, Quế Long and Quế Minh of
the old huyện Quế Sơn, and held its first congress for the 2025–2030 term from 24/7/2025
(cadn.com.vn). The demo keeps two of the old committees, thị trấn Đông Phú and xã Quế Minh, with
their branches and their members' ratings since 2021, and merges them through the reorganization
service on that date: the old committees stay, inactive, under the new one, whose documents are
numbered from its founding and then from its congress. Branches and people are invented.

Then its plan of the term, "Chi bộ bốn tốt" giai đoạn 2026–2030, runs in the current year with
dates relative to the day the demo is loaded: most branches registered, some pledges accepted,
two signed and waiting for the leader's countersignature, one draft, one branch not registered
after the deadline; meetings up to this month (two branches have not logged this month's yet);
the interim review open, one self-assessment submitted and waiting to be assessed, one being
written. So whoever logs in first — canbo.xaqueson, lanhdao.xaqueson, bithu.xaqueson01 — finds
work on their first screen.
"""

import datetime
import random
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from branches import services, terms
from branches.models import Member, Organization, Position, Reorganization, RoleAssignment, User
from branches.reorganization import (
    Change,
    NewOrganization,
    reorganization_carry_out,
    reorganization_preview,
)
from criteria import services as plan_services
from criteria.models import Plan
from criteria.rules import Level
from demo.organizations import DEMO_PASSWORD, person
from demo.pledges import demo_signer
from demo.year import self_assess
from partydocs.models import CongressTerm
from partydocs.signing import Evidence
from pledges import services as pledges
from reports.meetings.models import Attendance, Meeting
from reports.ratings.models import MemberRating, OrganizationRating
from reports.reviews import services as reviews
from reports.reviews.models import Review

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
K = Organization.Kind
FOUNDED = datetime.date(2025, 7, 1)
CONGRESS = datetime.date(2025, 7, 24)
HISTORY = [2021, 2022, 2023, 2024]

# The old committees: code, name, place, [(branch code, branch name, members)].
OLD = [
    (
        "QS.DP",
        "Đảng bộ thị trấn Đông Phú",
        "Đông Phú",
        [
            ("QS.DP.01", "Chi bộ khu phố 1", 16),
            ("QS.DP.02", "Chi bộ khu phố 2", 14),
            ("QS.DP.03", "Chi bộ Trường THCS Đông Phú", 10),
        ],
    ),
    (
        "QS.QM",
        "Đảng bộ xã Quế Minh",
        "Quế Minh",
        [
            ("QS.QM.01", "Chi bộ thôn Lộc Đông", 13),
            ("QS.QM.02", "Chi bộ thôn Phước Minh", 12),
        ],
    ),
]
# Founded in the new commune after the merger.
NEW_BRANCHES = [
    ("DN.QS.10", "Chi bộ Công an xã Quế Sơn", 8),
    ("DN.QS.11", "Chi bộ Quân sự xã Quế Sơn", 7),
]
# Members rated "hoàn thành xuất sắc nhiệm vụ" every year since 2021, per old committee: the
# candidates the "nhiều năm liền" page lists for a giấy khen or a bằng khen.
STEADY = 3


def _admin() -> User:
    return User.objects.get(username="admin")


def _organization(admin, parent, code, name, kind, place, **extra) -> Organization:
    found = Organization.objects.filter(code=code).first()
    if found is not None:
        return found
    return services.organization_create(
        actor=admin,
        parent=parent,
        code=code,
        name=name,
        kind=kind,
        place_name=place,
        issuer_code=extra.pop("issuer_code", "ĐU" if kind != K.BRANCH else "CB"),
        **extra,
    )


def _members(admin, branch: Organization, count: int) -> None:
    rng = random.Random(branch.code)
    for index in range(count):
        name, gender = person(rng)
        birth = datetime.date(rng.randint(1960, 1995), rng.randint(1, 12), rng.randint(1, 28))
        join = datetime.date(rng.randint(max(birth.year + 20, 1990), 2019), rng.randint(1, 12), 15)
        services.member_create(
            actor=admin,
            branch=branch,
            start_date=max(join, datetime.date(2015, 1, 1)),
            full_name=name,
            gender=gender,
            birth_date=birth,
            join_date=join,
            official_date=join.replace(year=join.year + 1),
            status=Member.Status.FULL,
            card_number=f"48{branch.code[-5:].replace('.', '')}{index + 1:03d}",
        )
    first = list(branch.members.order_by("join_date", "pk")[:2])
    for member, title in zip(
        first, [Position.Title.SECRETARY, Position.Title.DEPUTY_SECRETARY], strict=False
    ):
        services.position_assign(
            actor=admin,
            member=member,
            organization=branch,
            title=title,
            start_date=datetime.date(2020, 8, 1),
        )


def _ratings(branch: Organization, years: list[int], steady: set[int], rng) -> None:
    """Decided ratings of the branch's members for past years: the steady members "xuất sắc"
    every year, the others "tốt" or now and then "hoàn thành" (within the cap of 20%)."""
    members = list(Member.objects.filter(branch=branch, is_active=True).order_by("pk"))
    rows = []
    for year in years:
        for member in members:
            if member.pk in steady:
                level = Level.EXCELLENT
            else:
                level = Level.COMPLETED if rng.random() < 0.12 else Level.GOOD
            score = {Level.EXCELLENT: 93, Level.GOOD: 83, Level.COMPLETED: 64}[level]
            rows.append(
                MemberRating(
                    member=member,
                    branch=branch,
                    year=year,
                    self_level=level,
                    proposed_level=level,
                    decided_level=level,
                    self_score=Decimal(score),
                    score=Decimal(score),
                    exceeding_share=Decimal("0.35") if level == Level.EXCELLENT else Decimal("0.1"),
                )
            )
    MemberRating.objects.bulk_create(rows)


def _branch_ratings(branch: Organization, years: list[int]) -> None:
    """The branch's decided quality rating for past years ("hoàn thành tốt nhiệm vụ": a small
    pool of branches leaves no room for "xuất sắc" under the cap), apart from the model."""
    rng = random.Random(f"{branch.code}-quality")
    rows = []
    for year in years:
        score = Decimal(rng.randint(80, 88))
        rows.append(
            OrganizationRating(
                organization=branch,
                year=year,
                self_score=score,
                score=score,
                self_level=Level.GOOD,
                proposed_level=Level.GOOD,
                decided_level=Level.GOOD,
                decision=f"Quyết định xếp loại chất lượng tổ chức đảng năm {year} (dữ liệu mẫu)",
            )
        )
    OrganizationRating.objects.bulk_create(rows)


def _old_committees(admin) -> tuple[list[Organization], set[int]]:
    district = Organization.objects.get(code="QS")
    committees, steady = [], set()
    for code, name, place, branches in OLD:
        committee = _organization(admin, district, code, name, K.GRASSROOTS, place)
        committees.append(committee)
        picked = 0
        for branch_code, branch_name, count in branches:
            branch = _organization(admin, committee, branch_code, branch_name, K.BRANCH, place)
            _members(admin, branch, count)
            members = list(branch.members.order_by("pk").values_list("pk", flat=True))
            chosen = set(members[2 : 2 + max(0, min(2, STEADY - picked))])
            picked += len(chosen)
            steady |= chosen
            _ratings(branch, HISTORY, chosen, random.Random(f"{branch_code}-history"))
            _branch_ratings(branch, HISTORY)
    return committees, steady


def _merge(admin, committees: list[Organization]) -> Organization:
    """The merger of 1/7/2025, through the reorganization service (preview, then carried out
    with its fingerprint), into the new commune-level committee of the city."""
    city = _organization(
        admin,
        None,
        "DN",
        "Đảng bộ thành phố Đà Nẵng",
        K.PROVINCE,
        "Đà Nẵng",
        issuer_code="TU",
        short_name="Thành ủy Đà Nẵng",
        document_name="Thành ủy Đà Nẵng",
    )
    if not CongressTerm.objects.filter(organization=city).exists():
        terms.congress_term_add(
            actor=admin,
            organization=city,
            origin=CongressTerm.Origin.FOUNDING,
            start_date=FOUNDED,
            label="2025–2030",
        )
    change = Change(
        kind=Reorganization.Kind.MERGE,
        sources=committees,
        effective_date=FOUNDED,
        decision="Quyết định của Ban Thường vụ Thành ủy Đà Nẵng về thành lập Đảng bộ xã Quế Sơn, "
        "ngày 30/6/2025 (dữ liệu mẫu)",
        reason="Sắp xếp đơn vị hành chính cấp xã; kết thúc hoạt động của đảng bộ cấp huyện.",
        new=[
            NewOrganization(
                parent=city,
                code="DN.QS",
                name="Đảng bộ xã Quế Sơn",
                kind=K.COMMUNE,
                place_name="Quế Sơn",
                issuer_code="ĐU",
                short_name="Đảng ủy xã Quế Sơn",
            )
        ],
    )
    preview = reorganization_preview(actor=admin, change=change)
    reorganization_carry_out(actor=admin, change=change, fingerprint=preview.fingerprint)
    commune = Organization.objects.get(code="DN.QS")
    terms.congress_term_add(
        actor=admin,
        organization=commune,
        origin=CongressTerm.Origin.CONGRESS,
        start_date=CONGRESS,
        label="2025–2030",
    )
    return commune


LOGINS = [
    {
        "username": "theodoi.danang",
        "role": "Cán bộ theo dõi",
        "organization": "Đảng bộ thành phố Đà Nẵng",
    },
    {
        "username": "canbo.xaqueson",
        "role": "Cán bộ văn phòng cấp ủy",
        "organization": "Đảng bộ xã Quế Sơn",
    },
    {
        "username": "lanhdao.xaqueson",
        "role": "Lãnh đạo cấp ủy",
        "organization": "Đảng bộ xã Quế Sơn",
    },
    {
        "username": "bithu.xaqueson01",
        "role": "Bí thư chi bộ (và …02 – …07)",
        "organization": "Chi bộ khu phố 1",
    },
]
ACCOUNTS = [
    ("theodoi.danang", "Phan Văn Thành", RoleAssignment.Role.OFFICIAL, "DN"),
    ("canbo.xaqueson", "Huỳnh Thị Mỹ Linh", RoleAssignment.Role.STAFF, "DN.QS"),
    ("lanhdao.xaqueson", "Trần Văn Định", RoleAssignment.Role.LEADER, "DN.QS"),
]


def _accounts(admin, commune: Organization) -> None:
    for username, full_name, role, code in ACCOUNTS:
        user = services.user_create(
            actor=admin,
            username=username,
            full_name=full_name,
            email=f"{username}@bontot.local",
            password=None,
        )
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
        services.role_assign(
            actor=admin, user=user, organization=Organization.objects.get(code=code), role=role
        )
    made = []
    for number, branch in enumerate(_branches(commune), start=1):
        secretary = Position.objects.get(
            organization=branch, title=Position.Title.SECRETARY, end_date__isnull=True
        ).member
        username = f"bithu.xaqueson{number:02d}"
        user = services.user_create(
            actor=admin,
            username=username,
            full_name=secretary.full_name,
            email=f"{username}@bontot.local",
            password=None,
            member=secretary,
        )
        services.role_assign(
            actor=admin, user=user, organization=branch, role=RoleAssignment.Role.SECRETARY
        )
        made.append(user.pk)
        made += [u.pk for _m, u, _p in services.member_accounts_create(actor=admin, branch=branch)]
    User.objects.filter(pk__in=made).update(
        password=make_password(DEMO_PASSWORD), must_change_password=False
    )


def _branches(commune: Organization) -> list[Organization]:
    return list(
        Organization.objects.filter(
            path__startswith=commune.path, kind=K.BRANCH, is_active=True
        ).order_by("path")
    )


def _meetings(branch: Organization, today: datetime.date, through_this_month: bool, rng) -> None:
    """This year's regular meetings, the 5th of each month (a thematic one each quarter), up to
    this month or the last."""
    members = list(branch.members.filter(is_active=True).values_list("pk", flat=True))
    last = today.month if through_this_month else today.month - 1
    for month in range(1, last + 1):
        day = min(datetime.date(today.year, month, 5), today)
        meeting = Meeting.objects.create(
            branch=branch,
            date=day,
            kind=Meeting.Kind.COMBINED if month % 3 == 0 else Meeting.Kind.REGULAR,
            topic=f"Sinh hoạt chi bộ thường kỳ tháng {month}/{today.year}",
            duration_minutes=120,
            committee_met_on=day - datetime.timedelta(days=2),
            resolution="Triển khai nhiệm vụ tháng sau; phân công đảng viên phụ trách hộ.",
            follow_up="Các nhiệm vụ tháng trước đã hoàn thành." if month > 1 else "",
        )
        Attendance.objects.bulk_create(
            Attendance(
                meeting=meeting,
                member_id=member_id,
                status=Attendance.Status.PRESENT
                if rng.random() < 0.94
                else Attendance.Status.EXCUSED,
            )
            for member_id in members
        )


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=TZ)


def _plan(commune: Organization, today: datetime.date) -> Plan:
    staff = User.objects.get(username="canbo.xaqueson")
    leader = User.objects.get(username="lanhdao.xaqueson")
    issued = today - datetime.timedelta(days=75)
    end = max(today.year, 2030)
    plan = plan_services.plan_create(
        actor=staff,
        issuer=commune,
        model=Plan.Model.BRANCH,
        issue_date=issued,
        start_year=today.year,
        end_year=end,
        title=f"về xây dựng mô hình “Chi bộ bốn tốt” giai đoạn {today.year}–{end}",
        registration_deadline=today - datetime.timedelta(days=45),
        signing_deadline=today + datetime.timedelta(days=10),
        interim_review_deadline=today + datetime.timedelta(days=20),
        final_review_deadline=max(
            datetime.date(today.year, 12, 15), today + datetime.timedelta(days=40)
        ),
        signer_name=leader.full_name,
        recipients="Ban Thường vụ Thành ủy Đà Nẵng (b/c)\nCác chi bộ trực thuộc\nLưu Văn phòng Đảng ủy",
    )
    plan_services.plan_publish(actor=staff, plan=plan)
    return plan


# What each branch of the commune has done this year, in path order.
STORY = ["submitted", "drafting", "accepted", "signed", "signed", "draft", "unregistered"]


def _year(commune: Organization, plan: Plan, today: datetime.date) -> None:
    leader = User.objects.get(username="lanhdao.xaqueson")
    registered = plan.issue_date + datetime.timedelta(days=7)
    signed = plan.issue_date + datetime.timedelta(days=20)
    for index, (branch, story) in enumerate(zip(_branches(commune), STORY, strict=False)):
        rng = random.Random(f"{branch.code}-{today.year}")
        _meetings(branch, today, through_this_month=index < 5, rng=rng)
        if story == "unregistered":
            continue
        secretary = RoleAssignment.objects.get(
            organization=branch, role=RoleAssignment.Role.SECRETARY
        ).user
        registration = pledges.registration_register(
            actor=secretary, plan=plan, organization=branch, now=_at(registered, 9 + index)
        )
        if story == "draft":
            continue
        pledge = registration.pledges.get()
        signed_at = _at(signed + datetime.timedelta(days=index), 10)
        pledges.pledge_sign(
            signer=demo_signer(secretary),
            evidence=Evidence.at_address(f"10.20.0.{10 + index}", "Bốn Tốt demo"),
            pledge=pledge,
            seen_hash=pledges.preview_content(pledge, secretary, signed_at.date())[1],
            now=signed_at,
        )
        if story == "signed":
            continue
        pledge.refresh_from_db()
        pledges.pledge_countersign(
            signer=demo_signer(leader),
            evidence=Evidence.at_address("10.20.0.2", "Bốn Tốt demo"),
            pledge=pledge,
            seen_hash=pledges.preview_content(pledge, leader)[1],
            now=signed_at + datetime.timedelta(days=2),
        )
        if story == "accepted":
            continue
        review = reviews.review_open(
            actor=secretary, registration=registration, year=today.year, round=Review.Round.INTERIM
        )
        if story == "submitted":
            self_assess(review, secretary, 0.9, rng, timezone.now() - datetime.timedelta(hours=20))


def _rated_by_the_new_committee(commune: Organization, steady: set[int], year: int) -> None:
    """A year since the merger, decided by the new committee on its branches: the steady members
    "xuất sắc" again — five years in a row by 2025 for those rated so since 2021."""
    for branch in _branches(commune):
        kept = set(branch.members.filter(pk__in=steady).values_list("pk", flat=True))
        _ratings(branch, [year], kept, random.Random(f"{branch.code}-{year}"))
        _branch_ratings(branch, [year])


@transaction.atomic
def load() -> None:
    if Organization.objects.filter(code="DN.QS").exists():
        return
    today = timezone.localdate()
    admin = _admin()
    committees, steady = _old_committees(admin)
    commune = _merge(admin, committees)
    for code, name, count in NEW_BRANCHES:
        branch = _organization(admin, commune, code, name, K.BRANCH, "Quế Sơn")
        _members(admin, branch, count)
    _accounts(admin, commune)
    # From 2025 to last year, the new committee rated its branches' members.
    for year in range(HISTORY[-1] + 1, today.year):
        _rated_by_the_new_committee(commune, steady, year)
    plan = _plan(commune, today)
    _year(commune, plan, today)
