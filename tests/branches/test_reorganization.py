"""Reorganizations that lose nothing: merge, split, rename, move — previewed exactly, carried out
in one transaction, refused with a message (and nothing changed) on bad input; signed pledges
keep what was signed and still verify. Runs on SQLite and on PostgreSQL (whose triggers refuse
any change to a signed document)."""

import datetime
import hashlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from audit.reasons import describe
from branches import reorganization as reorg
from branches.models import (
    Member,
    Membership,
    Organization,
    Position,
    Reorganization,
    RoleAssignment,
    User,
)
from branches.reorganization import Change, NewOrganization
from branches.selectors import acting_body
from criteria import services as plans
from criteria.models import Plan
from partydocs.models import CongressTerm, Signature
from partydocs.numbering import term_for
from partydocs.signing import Evidence, Signer
from partydocs.verification import verify_pdf
from pledges import services as pledges
from pledges.documents import pledge_pdf
from pledges.models import Pledge, Registration
from reports.ratings.models import MemberRating
from tests.conftest import PASSWORD, sign_pledge_directly
from tests.factories import MemberFactory, UserFactory, give_role, make_org, staff_of

K = Organization.Kind
TODAY = timezone.localdate


@pytest.fixture(autouse=True)
def _vietnamese():
    """The messages asserted are the Vietnamese source texts, whatever language an earlier test's
    request left active in the thread."""
    from django.utils import translation

    with translation.override("vi"):
        yield


def _accept(pledge, leader):
    return pledges.pledge_countersign(
        signer=Signer(user=leader, password=PASSWORD, full_name=leader.full_name, consent=True),
        evidence=Evidence.at_address("10.0.0.2", "test"),
        pledge=pledge,
        seen_hash=pledges.preview_content(pledge, leader)[1],
    )


def _plan_of(committee, actor, *, sequence=None, issued_days_ago=10):
    today = TODAY()
    plan = plans.plan_create(
        actor=actor,
        issuer=committee,
        model="branch",
        issue_date=today - datetime.timedelta(days=issued_days_ago),
        start_year=today.year,
        end_year=today.year,
        registration_deadline=today + datetime.timedelta(days=10),
        signing_deadline=today + datetime.timedelta(days=20),
        final_review_deadline=today + datetime.timedelta(days=60),
        signer_name="Nguyễn Văn Định",
        sequence=sequence,
    )
    plans.plan_publish(actor=actor, plan=plan)
    return plan


@pytest.fixture
def signed_world(world, live_plan):
    """Both communes with a plan in progress and a branch whose pledge is signed and accepted."""
    staff_qm = UserFactory(username="canbo.quemin", full_name="Hồ Thị Minh")
    leader_qm = UserFactory(username="lanhdao.queminh", full_name="Đinh Văn Minh")
    secretary_qm = world.users["secretary_other"]
    give_role(staff_qm, world.other_committee, RoleAssignment.Role.STAFF)
    give_role(leader_qm, world.other_committee, RoleAssignment.Role.LEADER)
    other_plan = _plan_of(world.other_committee, staff_qm, sequence=12)

    registration = pledges.registration_register(
        actor=world.users["secretary_own"], plan=live_plan, organization=world.branch_a
    )
    sign_pledge_directly(world, registration)
    _accept(registration.pledges.get(), world.users["leader"])
    other = pledges.registration_register(
        actor=secretary_qm, plan=other_plan, organization=world.other_branch
    )
    pledge = other.pledges.get()
    pledges.pledge_sign(
        signer=Signer(
            user=secretary_qm, password=PASSWORD, full_name=secretary_qm.full_name, consent=True
        ),
        evidence=Evidence.at_address("10.0.0.3", "test"),
        pledge=pledge,
        seen_hash=pledges.preview_content(pledge, secretary_qm)[1],
    )
    _accept(Pledge.objects.get(pk=pledge.pk), leader_qm)
    world.other_plan = other_plan
    return world


def _merge_communes(world, **extra):
    return Change(
        kind=Reorganization.Kind.MERGE,
        sources=[world.committee, world.other_committee],
        effective_date=TODAY(),
        decision="Quyết định số 1234-QĐ/HU ngày 30/6/2025 của Ban Thường vụ Huyện ủy",
        new=[
            NewOrganization(
                parent=world.district,
                code="QS.XQS",
                name="Đảng bộ xã Quế Sơn",
                kind=K.GRASSROOTS,
                place_name="Quế Sơn",
                issuer_code="ĐU",
                short_name="Đảng ủy xã Quế Sơn",
            )
        ],
        **extra,
    )


def _snapshot():
    """Everything a failed change must leave as it was."""
    return {
        "organizations": list(
            Organization.objects.order_by("pk").values_list(
                "pk", "path", "is_active", "successor", "name"
            )
        ),
        "members": list(Member.objects.order_by("pk").values_list("pk", "branch", "is_active")),
        "memberships": Membership.objects.count(),
        "positions": list(Position.objects.order_by("pk").values_list("pk", "end_date")),
        "roles": RoleAssignment.objects.count(),
        "registrations": list(
            Registration.objects.order_by("pk").values_list("pk", "organization", "status")
        ),
        "plans": list(Plan.objects.order_by("pk").values_list("pk", "status")),
        "terms": CongressTerm.objects.count(),
        "reorganizations": Reorganization.objects.count(),
    }


def _signatures_hold():
    for signature in Signature.objects.all():
        assert hashlib.sha256(signature.canonical.encode()).hexdigest() == signature.content_hash


def test_two_committees_with_signed_pledges_merge_into_a_new_one_and_every_signature_verifies(
    signed_world, client
):
    world = signed_world
    actor = staff_of(world.district)
    pledge = Pledge.objects.get(registration__organization=world.branch_a)
    sealed_before = pledge_pdf(pledge, viewer=world.users["secretary_own"]).content
    codes = list(Signature.objects.values_list("code", flat=True))
    assert len(codes) == 4

    change = _merge_communes(world)
    preview = reorg.reorganization_preview(actor=actor, change=change)
    assert preview.ok, preview.problems
    text = "\n".join(line.text for line in preview.lines)
    assert (
        "Thành lập Đảng bộ xã Quế Sơn (Đảng bộ cơ sở, mã QS.XQS) trực thuộc Đảng bộ huyện Quế Sơn."
        in text
    )
    assert "Đảng bộ xã Quế Phú ngừng hoạt động từ ngày" in text
    assert "Chi bộ thôn Phú Lộc chuyển từ Đảng bộ xã Quế Phú sang Đảng bộ xã Quế Sơn." in text
    assert "Chi bộ thôn Một chuyển từ Đảng bộ xã Quế Minh sang Đảng bộ xã Quế Sơn." in text
    assert (
        "Trần Thị Thu Hà: Cán bộ văn phòng cấp ủy của Đảng bộ xã Quế Phú, nay tại Đảng bộ xã Quế Sơn."
        in text
    )
    assert (
        f"Kế hoạch số {world.other_plan.number}" in text
        and "tiếp tục thực hiện dưới Đảng bộ xã Quế Sơn" in text
    )
    assert "Đảng bộ xã Quế Sơn đánh số văn bản từ 01 kể từ ngày thành lập" in text
    assert "4 chữ ký trên bản cam kết của Đảng bộ xã Quế Phú, Đảng bộ xã Quế Minh" in text

    record = reorg.reorganization_carry_out(
        actor=actor, change=change, fingerprint=preview.fingerprint
    )
    new = Organization.objects.get(code="QS.XQS")
    assert record.summary == [line.stored() for line in preview.lines]
    assert set(record.sources.all()) == {world.committee, world.other_committee}
    assert list(record.targets.all()) == [new]
    for old in (world.committee, world.other_committee):
        old.refresh_from_db()
        assert not old.is_active and old.successor == new
        assert Organization.objects.get_parent(old) == new
        assert acting_body(old) == new
    for branch in (world.branch_a, world.branch_b, world.other_branch):
        branch.refresh_from_db()
        assert branch.is_active and Organization.objects.get_parent(branch) == new
    assert Organization.objects.find_problems() == ([], [], [], [], [])

    # Every signature still holds its content, verifies by its code, and keeps the old names.
    _signatures_hold()
    assert sorted(Signature.objects.values_list("code", flat=True)) == sorted(codes)
    assert verify_pdf(sealed_before).ok
    for signature in Signature.objects.all():
        page = client.get(reverse("partydocs:verify", args=[signature.code]))
        assert page.status_code == 200 and page.context["status"] == "valid"

    other_pledge = Pledge.objects.get(registration__organization=world.other_branch)
    signed = other_pledge.signatures.get(role="signer")
    assert "Đảng ủy xã Quế Minh" in signed.canonical and "Quế Sơn" not in signed.canonical
    sealed_after = pledge_pdf(other_pledge, viewer=world.users["staff"]).content
    assert verify_pdf(sealed_after).ok
    from tests.pdf import text as pdf_text

    assert "ĐẢNG ỦY XÃ QUẾ MINH" in pdf_text(sealed_after).upper()

    # The new committee numbers its documents from its founding.
    term = CongressTerm.objects.get(organization=new)
    assert (term.origin, term.start_date, term.key) == ("founding", TODAY(), f"TL{TODAY():%y%m%d}")
    staff = User.objects.get(pk=world.users["staff"].pk)  # roles read afresh
    assert RoleAssignment.objects.filter(user=staff, organization=new, role="staff").exists()
    plan = _plan_of(new, staff, issued_days_ago=0)
    assert (
        (plan.number, plan.term) == ("01-KH/ĐU", term.key) == ("01-KH/ĐU", term_for(new, TODAY()))
    )

    # The plans go on under the successor, which sees its predecessors' records.
    assert Plan.objects.get(pk=world.other_plan.pk).status == Plan.Status.PUBLISHED
    from pledges.selectors import get_pledge_for

    assert get_pledge_for(staff, other_pledge.pk) == other_pledge
    assert "Tiếp tục thực hiện dưới Đảng bộ xã Quế Sơn" in describe(
        world.other_plan.history.first().history_change_reason
    )


def test_a_merger_can_end_a_plan_in_progress_with_its_reason(signed_world):
    world = signed_world
    actor = staff_of(world.district)
    change = _merge_communes(world, close_plans=[world.other_plan.pk])
    preview = reorg.reorganization_preview(actor=actor, change=change)
    assert preview.problems == ["Hãy ghi lý do kết thúc kế hoạch."]
    change.close_reason = "Đảng bộ xã mới ban hành kế hoạch cho cả nhiệm kỳ"
    preview = reorg.reorganization_preview(actor=actor, change=change)
    reorg.reorganization_carry_out(actor=actor, change=change, fingerprint=preview.fingerprint)
    plan = Plan.objects.get(pk=world.other_plan.pk)
    assert plan.status == Plan.Status.CLOSED
    assert "Đảng bộ xã mới ban hành kế hoạch" in describe(
        plan.history.first().history_change_reason
    )


def test_branches_merge_into_an_existing_one_with_members_ratings_and_registration(
    world, live_plan, client
):
    """Hương Mao joins Phú Lộc: its members move with their open rating, its positions end, its
    registration is carried over to Phú Lộc, which registers with a draft of its own."""
    staff = world.users["staff"]
    member = world.member_b
    from branches import services

    services.position_assign(
        actor=staff,
        member=member,
        organization=world.branch_b,
        title="secretary",
        start_date=datetime.date(2020, 8, 1),
    )
    MemberRating.objects.create(member=member, branch=world.branch_b, year=TODAY().year)
    MemberRating.objects.create(
        member=member, branch=world.branch_b, year=TODAY().year - 1, decided_level="good"
    )
    registration = pledges.registration_register(
        actor=staff, plan=live_plan, organization=world.branch_b
    )
    # Hương Mao's pledge is signed by its secretary and accepted before the merger.
    secretary_b = UserFactory(username="bithu.huongmao", full_name="Lê Thị Hồng Nhung")
    give_role(secretary_b, world.branch_b, RoleAssignment.Role.SECRETARY)
    draft = registration.pledges.get()
    pledges.pledge_sign(
        signer=Signer(
            user=secretary_b, password=PASSWORD, full_name=secretary_b.full_name, consent=True
        ),
        evidence=Evidence.at_address("10.0.0.4", "test"),
        pledge=draft,
        seen_hash=pledges.preview_content(draft, secretary_b)[1],
    )
    _accept(Pledge.objects.get(pk=draft.pk), world.users["leader"])
    signed = Pledge.objects.get(pk=draft.pk)
    sealed = pledge_pdf(signed, viewer=staff).content
    code = signed.signatures.get(role="signer").code
    change = Change(
        kind=Reorganization.Kind.MERGE,
        sources=[world.branch_b],
        target=world.branch_a,
        effective_date=TODAY(),
        decision="Quyết định số 15-QĐ/ĐU",
    )
    preview = reorg.reorganization_preview(actor=staff, change=change)
    assert preview.ok, preview.problems
    text = "\n".join(line.text for line in preview.lines)
    assert "1 đảng viên chuyển sinh hoạt từ Chi bộ thôn Hương Mao sang Chi bộ thôn Phú Lộc" in text
    assert "Đỗ Văn Bình thôi giữ chức Bí thư của Chi bộ thôn Hương Mao" in text
    assert "1 xếp loại đảng viên chưa quyết định" in text
    reorg.reorganization_carry_out(actor=staff, change=change, fingerprint=preview.fingerprint)

    member.refresh_from_db()
    assert member.branch == world.branch_a
    closed = member.memberships.get(branch=world.branch_b)
    assert closed.end_reason == "reorganized" and closed.end_date == TODAY()
    assert member.memberships.get(end_date__isnull=True).branch == world.branch_a
    assert member.positions.get().end_date == TODAY()
    ratings = dict(MemberRating.objects.filter(member=member).values_list("year", "branch"))
    assert ratings == {TODAY().year: world.branch_a.pk, TODAY().year - 1: world.branch_b.pk}
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CARRIED_OVER
    # The signed pledge of the merged branch still verifies, under its own name.
    _signatures_hold()
    assert verify_pdf(sealed).ok
    page = client.get(reverse("partydocs:verify", args=[code]))
    assert page.context["status"] == "valid"
    assert "Chi bộ thôn Hương Mao" in page.content.decode()
    assert "nay đã hợp nhất vào Chi bộ thôn Phú Lộc" in page.content.decode()
    successor = Registration.objects.get(plan=live_plan, organization=world.branch_a)
    assert successor.is_active and successor.pledges.get().is_draft
    assert "Chi bộ thôn Hương Mao" in successor.late_reason
    assert set(live_plan.targets.all()) == {world.branch_a}
    world.branch_b.refresh_from_db()
    assert Organization.objects.get_parent(world.branch_b) == world.branch_a
    # The secretary of the branch it joined reaches the merged branch's history.
    from pledges.selectors import registrations_visible_to

    assert registration in registrations_visible_to(world.users["secretary_own"])


def test_a_committee_splits_in_two(world):
    actor = staff_of(world.district)
    second = make_org(world.committee, "QS.QP.03", "Chi bộ thôn Phước Hà")
    change = Change(
        kind=Reorganization.Kind.SPLIT,
        sources=[world.committee],
        effective_date=TODAY(),
        decision="Quyết định số 20-QĐ/HU",
        new=[
            NewOrganization(world.district, "QS.QPB", "Đảng bộ xã Quế Phú Bắc", K.GRASSROOTS),
            NewOrganization(world.district, "QS.QPN", "Đảng bộ xã Quế Phú Nam", K.GRASSROOTS),
        ],
        assignments={f"o{world.branch_a.pk}": 0, f"o{world.branch_b.pk}": 1, f"o{second.pk}": 1},
    )
    preview = reorg.reorganization_preview(actor=actor, change=change)
    assert preview.ok, preview.problems
    reorg.reorganization_carry_out(actor=actor, change=change, fingerprint=preview.fingerprint)
    north, south = Organization.objects.get(code="QS.QPB"), Organization.objects.get(code="QS.QPN")
    assert [o.code for o in Organization.objects.get_children(north)] == ["QS.QP.01"]
    assert {o.code for o in Organization.objects.get_children(south)} == {"QS.QP.02", "QS.QP.03"}
    world.committee.refresh_from_db()
    assert not world.committee.is_active and world.committee.successor is None
    assert Organization.objects.get_parent(world.committee) == world.district
    assert (
        CongressTerm.objects.filter(organization__in=[north, south], origin="founding").count() == 2
    )
    assert RoleAssignment.objects.filter(user=world.users["staff"], organization=north).exists()


def test_a_rename_keeps_the_old_name_in_history_and_in_what_was_signed(signed_world):
    world = signed_world
    staff = world.users["staff"]
    change = Change(
        kind=Reorganization.Kind.RENAME,
        sources=[world.branch_a],
        effective_date=TODAY(),
        decision="Quyết định số 30-QĐ/ĐU",
        names={"name": "Chi bộ thôn Phú Lộc Đông"},
    )
    preview = reorg.reorganization_preview(actor=staff, change=change)
    assert "Tên: “Chi bộ thôn Phú Lộc” thành “Chi bộ thôn Phú Lộc Đông”" in preview.lines[0].text
    reorg.reorganization_carry_out(actor=staff, change=change, fingerprint=preview.fingerprint)
    world.branch_a.refresh_from_db()
    assert world.branch_a.name == "Chi bộ thôn Phú Lộc Đông"
    assert [h.name for h in world.branch_a.history.order_by("history_date")][-2:] == [
        "Chi bộ thôn Phú Lộc",
        "Chi bộ thôn Phú Lộc Đông",
    ]
    pledge = Pledge.objects.get(registration__organization=world.branch_a)
    assert '"name":"Chi bộ thôn Phú Lộc"' in pledge.signatures.get(role="signer").canonical
    assert verify_pdf(pledge_pdf(pledge, viewer=staff).content).ok
    _signatures_hold()


def test_a_branch_with_a_pledge_being_signed_cannot_move(world, live_plan, login):
    registration = pledges.registration_register(
        actor=world.users["secretary_own"], plan=live_plan, organization=world.branch_a
    )
    sign_pledge_directly(world, registration)
    actor = staff_of(world.district)
    before = _snapshot()
    change = Change(
        kind=Reorganization.Kind.MOVE,
        sources=[world.branch_a],
        parent=world.other_committee,
        effective_date=TODAY(),
        decision="Quyết định số 5-QĐ/HU",
    )
    preview = reorg.reorganization_preview(actor=actor, change=change)
    assert preview.problems == [
        f"Chi bộ thôn Phú Lộc có bản cam kết đang ký dở (đã ký, chờ cấp ủy xác nhận — Kế hoạch số "
        f"{live_plan.number}): hãy xác nhận hoặc trả lại bản cam kết trước khi sắp xếp."
    ]
    with pytest.raises(ValidationError):
        reorg.reorganization_carry_out(actor=actor, change=change, fingerprint=preview.fingerprint)
    # A merger that would move it is refused the same way.
    merger = Change(
        kind=Reorganization.Kind.MERGE,
        sources=[world.committee, world.other_committee],
        new=[NewOrganization(world.district, "QS.NEW", "Đảng bộ xã Mới", K.GRASSROOTS)],
        effective_date=TODAY(),
        decision="Quyết định số 6-QĐ/HU",
    )
    assert (
        "có bản cam kết đang ký dở"
        in reorg.reorganization_preview(actor=actor, change=merger).problems[0]
    )
    # The edit page's move asks the same.
    page = login(actor).post(
        reverse("branches:organization_edit", args=[world.branch_a.pk]),
        {
            "name": world.branch_a.name,
            "kind": "branch",
            "code": world.branch_a.code,
            "place_name": "Quế Phú",
            "issuer_code": "ĐU",
            "parent": world.other_committee.pk,
        },
    )
    assert "có bản cam kết đang ký dở" in page.content.decode()
    assert _snapshot() == before

    _accept(registration.pledges.get(), world.users["leader"])
    preview = reorg.reorganization_preview(actor=actor, change=change)
    assert preview.ok
    assert "Chi bộ thôn Phú Lộc ra ngoài Đảng bộ xã Quế Phú" in preview.lines[-2].text
    reorg.reorganization_carry_out(actor=actor, change=change, fingerprint=preview.fingerprint)
    assert Organization.objects.get_parent(Organization.objects.get(pk=world.branch_a.pk)) == (
        world.other_committee
    )


def test_a_merge_across_scopes_the_user_does_not_hold_is_refused(world):
    before = _snapshot()
    change = Change(
        kind=Reorganization.Kind.MERGE,
        sources=[world.other_branch],
        target=world.branch_a,
        effective_date=TODAY(),
        decision="Quyết định số 9-QĐ/ĐU",
    )
    preview = reorg.reorganization_preview(actor=world.users["staff"], change=change)
    assert preview.problems == [
        "Bạn không quản lý Chi bộ thôn Một, Đảng bộ xã Quế Minh: việc sắp xếp này cần quyền quản "
        "lý mọi tổ chức liên quan (và cấp trên của chúng)."
    ]
    with pytest.raises(ValidationError):
        reorg.reorganization_carry_out(actor=world.users["staff"], change=change, fingerprint="x")
    with pytest.raises(PermissionDenied):
        reorg.reorganization_preview(actor=world.users["secretary_other"], change=change)
    assert _snapshot() == before


def test_cycles_and_kinds_are_refused(world):
    actor = staff_of(world.district)
    partial = make_org(world.committee, "QS.QP.BP", "Đảng bộ bộ phận thôn", K.PARTIAL)
    before = _snapshot()
    into_own_part = Change(
        kind=Reorganization.Kind.MERGE,
        sources=[world.committee],
        target=partial,
        effective_date=TODAY(),
        decision="QĐ",
    )
    problems = reorg.reorganization_preview(actor=actor, change=into_own_part).problems
    assert (
        "Đảng bộ bộ phận thôn thuộc Đảng bộ xã Quế Phú: hợp nhất Đảng bộ xã Quế Phú vào nó sẽ tạo "
        "vòng lặp cấp trên–cấp dưới."
    ) in problems
    under_itself = Change(
        kind=Reorganization.Kind.MOVE,
        sources=[world.committee],
        parent=partial,
        effective_date=TODAY(),
        decision="QĐ",
    )
    assert reorg.reorganization_preview(actor=actor, change=under_itself).problems == [
        "Không thể đặt một tổ chức vào chính nó hoặc vào tổ chức trực thuộc của nó."
    ]
    branch_into_committee = Change(
        kind=Reorganization.Kind.MERGE,
        sources=[world.branch_b],
        target=world.other_committee,
        effective_date=TODAY(),
        decision="QĐ",
    )
    assert reorg.reorganization_preview(actor=actor, change=branch_into_committee).problems == [
        "Chỉ hợp nhất chi bộ với chi bộ, đảng bộ với đảng bộ (Chi bộ thôn Hương Mao)."
    ]
    partial_into_other = Change(
        kind=Reorganization.Kind.MERGE,
        sources=[world.committee],
        new=[NewOrganization(world.district, "QS.NEW", "Đảng bộ xã Mới", K.GRASSROOTS)],
        effective_date=TODAY(),
        decision="QĐ",
    )
    nested = Change(
        kind=Reorganization.Kind.MERGE,
        sources=[world.committee, partial],
        new=[NewOrganization(world.district, "QS.NEW", "Đảng bộ xã Mới", K.GRASSROOTS)],
        effective_date=TODAY(),
        decision="QĐ",
    )
    assert (
        "Đảng bộ bộ phận thôn thuộc Đảng bộ xã Quế Phú: chỉ chọn tổ chức cấp trên."
        in reorg.reorganization_preview(actor=actor, change=nested).problems
    )
    assert "Hợp nhất thành tổ chức mới cần ít nhất hai tổ chức." in (
        reorg.reorganization_preview(actor=actor, change=partial_into_other).problems
    )
    assert _snapshot() == before


def test_a_failure_half_way_changes_nothing(signed_world):
    world = signed_world
    actor = staff_of(world.district)
    change = _merge_communes(world)
    preview = reorg.reorganization_preview(actor=actor, change=change)
    before = _snapshot()

    class Failing:
        def questions(self, change):
            return []

        def problems(self, change):
            return []

        def lines(self, change):
            return []

        def apply(self, change, actor):
            raise RuntimeError("the disk is full")

    failing = Failing()
    reorg.register(failing)
    try:
        with pytest.raises(RuntimeError):
            reorg.reorganization_carry_out(
                actor=actor, change=_merge_communes(world), fingerprint=preview.fingerprint
            )
    finally:
        reorg.HANDLERS.remove(failing)
    assert _snapshot() == before
    assert not Organization.objects.filter(code="QS.XQS").exists()


def test_a_change_in_between_refuses_the_confirmation(world):
    actor = staff_of(world.district)
    change = Change(
        kind=Reorganization.Kind.MERGE,
        sources=[world.branch_b],
        target=world.branch_a,
        effective_date=TODAY(),
        decision="Quyết định số 15-QĐ/ĐU",
    )
    preview = reorg.reorganization_preview(actor=actor, change=change)
    MemberFactory(branch=world.branch_b, full_name="Lê Văn Mới")
    before = _snapshot()
    with pytest.raises(ValidationError) as error:
        reorg.reorganization_carry_out(actor=actor, change=change, fingerprint=preview.fingerprint)
    assert "Dữ liệu đã thay đổi từ lúc xem trước" in str(error.value)
    assert _snapshot() == before


def test_the_page_previews_then_carries_out_a_merger(world, login):
    """Staff merge the two branches of Quế Phú into a new one from the branch's page: the
    preview lists what moves and carries a fingerprint; the confirmation carries it out."""
    staff = world.users["staff"]
    client = login(staff)
    detail = client.get(reverse("branches:organization_detail", args=[world.branch_a.pk]))
    url = reverse("branches:reorganize", args=[world.branch_a.pk, "merge"])
    assert url in detail.content.decode()
    data = {
        "others": [world.branch_b.pk],
        "into": "new",
        "new_name": "Chi bộ thôn Phú Lộc – Hương Mao",
        "new_code": "QS.QP.12",
        "new_kind": "branch",
        "new_parent": world.committee.pk,
        "new_place_name": "Quế Phú",
        "effective_date": TODAY().strftime("%d/%m/%Y"),
        "decision": "Quyết định số 40-QĐ/ĐU",
    }
    page = client.post(url, {**data, "preview": ""})
    html = page.content.decode()
    assert "Những gì sẽ thay đổi" in html
    assert "Chi bộ thôn Hương Mao ngừng hoạt động từ ngày" in html
    assert "Đỗ Văn Bình" in html  # the member who moves, by name
    fingerprint = page.context["preview"].fingerprint
    assert not Organization.objects.filter(code="QS.QP.12").exists()
    page = client.post(url, {**data, "confirm": "", "fingerprint": fingerprint})
    merged = Organization.objects.get(code="QS.QP.12")
    assert page["Location"] == reverse("branches:organization_detail", args=[merged.pk])
    world.member_b.refresh_from_db()
    assert world.member_b.branch == merged
    detail = client.get(page["Location"]).content.decode()
    assert "Tổ chức tiền thân" in detail and "Chi bộ thôn Hương Mao" in detail
    assert "Quyết định số 40-QĐ/ĐU" in detail
    old = client.get(reverse("branches:organization_detail", args=[world.branch_b.pk]))
    assert "Đã hợp nhất vào" in old.content.decode()


def test_the_page_shows_a_refusal_and_changes_nothing(world, login):
    client = login(world.users["staff"])
    before = _snapshot()
    url = reverse("branches:reorganize", args=[world.committee.pk, "move"])
    page = client.post(
        url,
        {
            "parent": world.district.pk,
            "effective_date": TODAY().strftime("%d/%m/%Y"),
            "decision": "QĐ 1",
            "preview": "",
        },
    )
    # The staff of the commune do not manage the district: it is not even offered.
    assert page.status_code == 200 and "parent" in page.context["form"].errors
    assert _snapshot() == before


@pytest.mark.parametrize("kind", ["merge", "split", "rename", "move"])
def test_every_kind_has_its_form(world, login, kind):
    client = login(world.users["staff"])
    page = client.get(reverse("branches:reorganize", args=[world.branch_a.pk, kind]))
    assert page.status_code == 200
    if kind == "split":
        # A branch splits its members: one choice per member, among the parts.
        assert f"m{world.member_a.pk}" in page.context["form"].fields


def test_a_split_through_the_page(world, login):
    second = MemberFactory(branch=world.branch_a, full_name="Hồ Văn Tách")
    client = login(world.users["staff"])
    url = reverse("branches:reorganize", args=[world.branch_a.pk, "split"])
    data = {
        "part1_name": "Chi bộ thôn Phú Lộc Đông",
        "part1_code": "QS.QP.21",
        "part2_name": "Chi bộ thôn Phú Lộc Tây",
        "part2_code": "QS.QP.22",
        f"m{world.member_a.pk}": "0",
        f"m{second.pk}": "1",
        "effective_date": TODAY().strftime("%d/%m/%Y"),
        "decision": "Quyết định số 50-QĐ/ĐU",
    }
    page = client.post(url, {**data, "preview": ""})
    preview = page.context["preview"]
    assert preview.ok, preview.problems
    client.post(url, {**data, "confirm": "", "fingerprint": preview.fingerprint})
    world.member_a.refresh_from_db()
    second.refresh_from_db()
    assert (world.member_a.branch.code, second.branch.code) == ("QS.QP.21", "QS.QP.22")
    world.branch_a.refresh_from_db()
    assert not world.branch_a.is_active
