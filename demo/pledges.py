"""Demo registrations and pledges, dated as the seed articles tell it.

Vĩnh Phúc (Kế hoạch 09-KH/ĐU, 2022): the 6 branches registered, signed and were accepted.
Quế Phú (Kế hoạch 98-KH/ĐU, 2023): the 15 branches registered; 12 signed (9 already accepted),
one was returned for amendment and is being amended, two have not signed yet.
"""

import datetime
from zoneinfo import ZoneInfo

from django.db import transaction

from branches.models import Organization, RoleAssignment, User
from criteria.models import Plan
from demo.organizations import DEMO_PASSWORD
from partydocs.numbering import term_of
from partydocs.signing import Evidence, Signer
from pledges import services
from pledges.models import Registration

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=TZ)


def _secretary(organization: Organization) -> User:
    return RoleAssignment.objects.get(
        organization=organization, role=RoleAssignment.Role.SECRETARY
    ).user


def _leader(committee: Organization) -> User:
    return (
        RoleAssignment.objects.filter(organization=committee, role=RoleAssignment.Role.LEADER)
        .first()
        .user
    )


def demo_signer(user: User) -> Signer:
    """The demo account signing as a person would: its password, its name, its consent."""
    return Signer(user=user, password=DEMO_PASSWORD, full_name=user.full_name, consent=True)


def _plan(code: str, sequence: int, issued: datetime.date) -> Plan:
    return Plan.objects.get(issuer__code=code, term=term_of(issued), sequence=sequence)


def _run(
    plan: Plan, *, registered: datetime.date, signed: datetime.date, outcomes: list[str]
) -> None:
    leader = _leader(plan.issuer)
    for index, (organization, outcome) in enumerate(
        zip(plan.targets.order_by("path"), outcomes, strict=True)
    ):
        if Registration.objects.filter(plan=plan, organization=organization).exists():
            continue
        secretary = _secretary(organization)
        registration = services.registration_register(
            actor=secretary, plan=plan, organization=organization, now=_at(registered, 9, index * 3)
        )
        if outcome == "draft":
            continue
        pledge = registration.pledges.get()
        signed_at = _at(signed + datetime.timedelta(days=index % 5), 8 + index % 8, 15)
        content, seen = services.preview_content(pledge, secretary, signed_at.date())
        services.pledge_sign(
            signer=demo_signer(secretary),
            evidence=Evidence.at_address(f"10.10.0.{20 + index}", "Bốn Tốt demo"),
            pledge=pledge,
            seen_hash=seen,
            now=signed_at,
        )
        if outcome == "accepted":
            pledge.refresh_from_db()
            services.pledge_countersign(
                signer=demo_signer(leader),
                evidence=Evidence.at_address("10.10.0.2", "Bốn Tốt demo"),
                pledge=pledge,
                seen_hash=services.preview_content(pledge, leader)[1],
                now=signed_at + datetime.timedelta(days=3),
            )
        elif outcome == "returned":
            services.pledge_return(
                actor=leader,
                pledge=pledge,
                reason="Chỉ tiêu 1.2 chưa sát nhiệm vụ chính trị của thôn; đề nghị chi bộ xây dựng lại.",
            )
            services.pledge_amend(actor=secretary, pledge=pledge)


@transaction.atomic
def load() -> None:
    _run(
        _plan("VP.VPTU", 9, datetime.date(2022, 7, 29)),
        registered=datetime.date(2022, 8, 3),
        signed=datetime.date(2022, 8, 12),
        outcomes=["accepted"] * 6,
    )
    _run(
        _plan("QS.QP", 98, datetime.date(2023, 7, 31)),
        registered=datetime.date(2023, 8, 4),  # the conference where the 15 branches registered
        signed=datetime.date(2023, 8, 21),
        outcomes=["accepted"] * 9 + ["signed", "signed", "returned", "signed", "draft", "draft"],
    )
