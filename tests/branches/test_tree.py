import datetime

import pytest
from django.core.exceptions import ValidationError

from audit.reasons import describe
from branches import services
from branches.models import Membership, Organization, Position
from tests.factories import MemberFactory, administrator, make_org


def test_branch_cannot_have_children(world):
    with pytest.raises(ValidationError) as error:
        make_org(world.branch_a, "QS.QP.01.X", "Chi bộ con")
    assert "Chi bộ là cấp cuối cùng" in str(error.value)
    assert not Organization.objects.filter(code="QS.QP.01.X").exists()


def test_partial_committee_only_under_grassroots_committee(world):
    with pytest.raises(ValidationError) as error:
        make_org(world.district, "QS.BP", "Đảng bộ bộ phận", Organization.Kind.PARTIAL)
    assert "không thể trực thuộc" in str(error.value)


def test_moving_a_committee_into_its_own_subtree_is_refused(world):
    inner = make_org(world.committee, "QS.QP.BP", "Đảng bộ bộ phận thôn", Organization.Kind.PARTIAL)
    with pytest.raises(ValidationError) as error:
        services.organization_update(
            actor=administrator(), organization=world.committee, parent=inner
        )
    assert "chính nó" in str(error.value)
    world.committee.refresh_from_db()
    assert world.committee.depth == 2


def test_moving_keeps_the_subtree_together(world):
    services.organization_update(
        actor=administrator(), organization=world.branch_a, parent=world.other_committee
    )
    world.branch_a.refresh_from_db()
    assert world.branch_a.path.startswith(world.other_committee.path)
    assert world.member_a.branch.pk == world.branch_a.pk
    assert Organization.objects.get_parent(world.branch_a) == world.other_committee
    record = world.branch_a.history.first()
    assert "Chuyển từ Đảng bộ xã Quế Phú sang Đảng bộ xã Quế Minh" in describe(
        record.history_change_reason
    )


def test_subtree_query_is_one_indexed_prefix_match(world, django_assert_num_queries):
    with django_assert_num_queries(1):
        codes = set(
            Organization.objects.filter(path__startswith=world.committee.path).values_list(
                "code", flat=True
            )
        )
    assert codes == {"QS.QP", "QS.QP.01", "QS.QP.02"}


def test_deactivating_a_branch_with_members_is_refused(world):
    with pytest.raises(ValidationError) as error:
        services.organization_set_active(
            actor=administrator(), organization=world.branch_a, active=False
        )
    assert "đảng viên đang sinh hoạt" in str(error.value)


def test_duplicate_card_number_is_refused(world):
    with pytest.raises(ValidationError) as error:
        MemberFactory(branch=world.branch_b, card_number=world.member_a.card_number)
    assert "card_number" in error.value.message_dict


def test_blank_card_numbers_do_not_collide(world):
    MemberFactory(branch=world.branch_a, card_number="")
    MemberFactory(branch=world.branch_a, card_number=None)


def test_transfer_keeps_history(world):
    member = world.member_a
    services.member_transfer(
        actor=administrator(),
        member=member,
        to_branch=world.branch_b,
        date=datetime.date(2024, 3, 1),
    )
    member.refresh_from_db()
    assert member.branch == world.branch_b
    periods = list(
        member.memberships.order_by("start_date").values_list(
            "branch__code", "end_date", "end_reason"
        )
    )
    assert periods == [
        ("QS.QP.01", datetime.date(2024, 3, 1), Membership.EndReason.TRANSFER),
        ("QS.QP.02", None, ""),
    ]


def test_leaving_ends_membership_and_positions_and_deletes_nothing(world):
    member = world.member_a
    services.position_assign(
        actor=administrator(),
        member=member,
        organization=world.branch_a,
        title=Position.Title.SECRETARY,
        start_date=datetime.date(2020, 1, 1),
    )
    services.member_leave(
        actor=administrator(),
        member=member,
        date=datetime.date(2024, 6, 1),
        reason=Membership.EndReason.DECEASED,
    )
    member.refresh_from_db()
    assert not member.is_active
    assert member.memberships.get().end_reason == Membership.EndReason.DECEASED
    assert member.positions.get().end_date == datetime.date(2024, 6, 1)


def test_only_one_sitting_secretary_per_branch(world):
    other = MemberFactory(branch=world.branch_a)
    services.position_assign(
        actor=administrator(),
        member=world.member_a,
        organization=world.branch_a,
        title=Position.Title.SECRETARY,
        start_date=datetime.date(2020, 1, 1),
    )
    with pytest.raises(ValidationError) as error:
        services.position_assign(
            actor=administrator(),
            member=other,
            organization=world.branch_a,
            title=Position.Title.SECRETARY,
            start_date=datetime.date(2021, 1, 1),
        )
    assert "đang có bí thư" in str(error.value)


def test_official_date_before_join_date_is_refused(world):
    with pytest.raises(ValidationError):
        MemberFactory(
            branch=world.branch_a,
            join_date=datetime.date(2010, 1, 1),
            official_date=datetime.date(2009, 1, 1),
        )


def test_names_are_stored_nfc(world):
    import unicodedata

    member = MemberFactory(
        branch=world.branch_a, full_name=unicodedata.normalize("NFD", "Nguyễn  Thị Hằng ")
    )
    member.refresh_from_db()
    assert member.full_name == "Nguyễn Thị Hằng"
    assert unicodedata.is_normalized("NFC", member.full_name)


def test_secretary_role_only_on_a_branch(world):
    from branches.models import RoleAssignment

    with pytest.raises(ValidationError):
        services.role_assign(
            actor=administrator(),
            user=world.users["staff"],
            organization=world.committee,
            role=RoleAssignment.Role.SECRETARY,
        )
