"""The demo plans and pledges tell the seed articles' story, and loading twice changes nothing."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType

from criteria.models import Plan
from partydocs.models import Signature
from pledges.models import Pledge, Registration


@pytest.fixture
def demo(db):
    """The demo of the foundation, plans and pledges (not the year's reviews), loaded twice."""
    from demo import organizations as branches_demo
    from demo import plans as criteria_demo
    from demo import pledges as pledges_demo

    for _ in range(2):  # idempotent: the second run creates nothing
        branches_demo.load()
        criteria_demo.load()
        pledges_demo.load()


def _statuses(plan):
    newest = {}
    for pledge in Pledge.objects.filter(registration__plan=plan).order_by("version"):
        newest[pledge.registration_id] = pledge.status
    return sorted(newest.values())


def test_the_demo_plans_registrations_and_pledges(demo):
    que_phu = Plan.objects.get(issuer__code="QS.QP")
    assert (que_phu.number, que_phu.issue_date, que_phu.status) == (
        "98-KH/ĐU",
        datetime.date(2023, 7, 31),
        Plan.Status.PUBLISHED,
    )
    assert que_phu.targets.count() == 15 and que_phu.criteria_locked
    vinh_phuc = Plan.objects.get(issuer__code="VP.VPTU")
    assert (vinh_phuc.number, vinh_phuc.issue_date, vinh_phuc.period_label) == (
        "09-KH/ĐU",
        datetime.date(2022, 7, 29),
        "2022–2025",
    )
    assert vinh_phuc.targets.count() == 6
    assert [c.name for c in vinh_phuc.criteria.order_by("order")][::3] == [
        "Lãnh đạo hoàn thành tốt nhiệm vụ chính trị",
        "Cán bộ, đảng viên tốt",
    ]
    assert Plan.objects.count() == 2

    assert Registration.objects.filter(plan=que_phu, status="registered").count() == 15
    assert Registration.objects.filter(plan=vinh_phuc, status="registered").count() == 6
    # Quế Phú: most accepted, some awaiting acceptance, two not signed yet, one returned and
    # being amended (its newest version is a draft, the returned version stays readable).
    assert _statuses(que_phu) == ["accepted"] * 9 + ["draft"] * 3 + ["signed"] * 3
    returned = Pledge.objects.get(registration__plan=que_phu, status=Pledge.Status.RETURNED)
    assert returned.return_reason and returned.registration.pledges.count() == 2
    # Vĩnh Phúc: 6/6 signed and accepted, each with both signatures.
    assert _statuses(vinh_phuc) == ["accepted"] * 6
    assert (
        Signature.objects.filter(
            content_type=ContentType.objects.get_for_model(Pledge),
            object_id__in=Pledge.objects.filter(registration__plan=vinh_phuc).values("pk"),
        ).count()
        == 12
    )
