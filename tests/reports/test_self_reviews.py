"""Members' self-reviews on the forms of Hướng dẫn 43-HD/BTCTW (issue 17, items 2 and 3): the
rounds a committee opens, the member writing and signing (or someone for a member who cannot),
the return for rework, the branch's vote and the committee's decision, the collective's report
(Mẫu 01), the re-rating decision (Mẫu 03) and the list of records (Mẫu 04)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from branches.models import Member, MemberStanding
from criteria.rules import Level, vote_result
from partydocs.models import Signature
from partydocs.signing import Evidence, Signer, canonical_json, content_hash
from reports.ratings import collective
from reports.ratings import services as ratings
from reports.ratings.models import MemberRating, OrganizationRating, Rerating
from reports.selfreviews import services
from reports.selfreviews.models import ReviewRound, SelfReview
from reports.selfreviews.selectors import branch_rows, branches_of_round, committee_overview
from reports.selfreviews.services import self_review_content
from tests.conftest import PASSWORD
from tests.factories import MemberFactory, UserFactory
from tests.pdf import text as pdf_text

YEAR = timezone.localdate().year
TODAY = timezone.localdate()

SECTIONS = {
    "ideology": "Giữ vững lập trường chính trị.",
    "duties": "Hoàn thành các nhiệm vụ chi bộ giao.",
    "pledge": "Thực hiện đúng cam kết tu dưỡng.",
    "shortcomings": "Có lúc dự sinh hoạt chưa đầy đủ.",
    "causes": "Sắp xếp thời gian chưa hợp lý.",
    "fixes": "Đã khắc phục hạn chế năm trước.",
    "remedies": "Sắp xếp thời gian dự sinh hoạt đầy đủ.",
}


@pytest.fixture
def member_user(world):
    """Võ Thị Ánh (member_a of Chi bộ thôn Phú Lộc) with an account of her own."""
    user = UserFactory(username="dv.anh", full_name="Võ Thị Ánh")
    Member.objects.filter(pk=world.member_a.pk).update(user=user)
    world.member_a.refresh_from_db()
    return user


@pytest.fixture
def year_round(world):
    return services.round_open(
        actor=world.users["staff"],
        committee=world.committee,
        year=YEAR,
        quarter=None,
        deadline=TODAY + datetime.timedelta(days=10),
    )


def _signer(user, **kw):
    return Signer(user=user, password=PASSWORD, full_name=user.full_name, consent=True, **kw)


def _write(actor, review, *, level=Level.GOOD, common="27", results="60", **extra):
    return services.self_review_save(
        actor=actor,
        self_review=review,
        form=extra.pop("form", review.form),
        sections=extra.pop("sections", SECTIONS),
        parts={"common": Decimal(common), "results": Decimal(results)},
        proposed_level=level,
        **extra,
    )


def _submit(user, review, now=None):
    content = self_review_content(review, user, timezone.localdate(now))
    return services.self_review_submit(
        signer=_signer(user),
        evidence=Evidence.at_address("10.0.0.5", "test"),
        self_review=review,
        seen_hash=content_hash(canonical_json(content)),
        now=now,
    )


def _opened(world, member_user, round):
    return services.self_review_open(actor=member_user, review_round=round, member=world.member_a)


def test_the_vote_rule_at_its_edges():
    votes = {Level.EXCELLENT: 5, Level.GOOD: 0, Level.COMPLETED: 0}
    assert not vote_result(votes, 10).ok  # 5 of 10 is not more than half
    assert vote_result({Level.EXCELLENT: 6}, 10).level == Level.EXCELLENT
    # A vote for a higher level agrees with every lower one: 3 + 5 of 10 reach "tốt".
    assert (
        vote_result({Level.EXCELLENT: 3, Level.GOOD: 5, Level.COMPLETED: 2}, 10).level == Level.GOOD
    )
    assert vote_result({Level.FAILED: 4}, 7).level == Level.FAILED
    assert not vote_result({Level.GOOD: 3}, 7).ok  # 4 blank ballots: no level has a majority


def test_staff_open_a_round_once_per_period_and_others_cannot(world):
    services.round_open(
        actor=world.users["staff"],
        committee=world.committee,
        year=YEAR,
        quarter=None,
        deadline=datetime.date(YEAR, 12, 25),
    )
    with pytest.raises(ValidationError, match="đã mở đợt kiểm điểm năm"):
        services.round_open(
            actor=world.users["staff"],
            committee=world.committee,
            year=YEAR,
            quarter=None,
            deadline=datetime.date(YEAR, 12, 26),
        )
    quarter = services.round_open(
        actor=world.users["leader"],
        committee=world.committee,
        year=YEAR,
        quarter=2,
        deadline=datetime.date(YEAR, 7, 10),
    )
    assert quarter.period_label == f"Quý 2 năm {YEAR}"
    with pytest.raises(ValidationError):
        services.round_open(
            actor=world.users["staff"],
            committee=world.committee,
            year=YEAR,
            quarter=3,
            deadline=datetime.date(YEAR, 6, 1),  # before the quarter starts
        )
    with pytest.raises(PermissionDenied):
        services.round_open(
            actor=world.users["secretary_own"],
            committee=world.committee,
            year=YEAR,
            quarter=1,
            deadline=datetime.date(YEAR, 4, 10),
        )
    assert ReviewRound.objects.count() == 2


def test_a_member_writes_sees_and_signs_their_self_review(
    world, member_user, year_round, seal_certificate, client
):
    review = _opened(world, member_user, year_round)
    assert review.form == "2C" and review.branch == world.branch_a
    # Above what the points reach: refused, nothing kept.
    with pytest.raises(ValidationError, match="chỉ đạt mức"):
        _write(member_user, review, level=Level.EXCELLENT, common="27", results="60")
    review = _write(member_user, review, level=Level.GOOD)
    assert review.score == Decimal("87")
    signature = _submit(member_user, review)
    review.refresh_from_db()
    assert review.status == SelfReview.Status.SUBMITTED and review.on_behalf_by is None
    assert signature.position == "Đảng viên" and signature.user == member_user
    # The year's rating record gets the member's own level and score.
    rating = MemberRating.objects.get(member=world.member_a, year=YEAR)
    assert (rating.self_level, rating.self_score) == (Level.GOOD, Decimal("87"))
    # A double click signs once.
    assert _submit(member_user, review) == signature
    assert review.signatures.count() == 1
    # The document: the form's parts and the signature, sealed.
    client.force_login(member_user)
    response = client.get(reverse("reports:self_review_pdf", args=[review.pk]))
    text = pdf_text(response.content)
    assert "BẢN KIỂM ĐIỂM, TỰ ĐÁNH GIÁ, XẾP LOẠI CÁ NHÂN" in text
    assert "Đảng viên không làm việc trong hệ thống chính trị" in text
    assert "Kết quả khắc phục những hạn chế" in text and "Giữ vững lập trường chính trị." in text
    assert "Nhóm tiêu chí chung" in text and "87" in text
    assert "Hoàn thành tốt nhiệm vụ" in text and signature.code in text
    assert "NGƯỜI TỰ KIỂM ĐIỂM" in text and "DỰ THẢO" not in text


def test_an_incomplete_self_review_is_refused_with_what_is_missing(world, member_user, year_round):
    review = _opened(world, member_user, year_round)
    sections = {**SECTIONS, "fixes": "", "causes": "  "}
    review = services.self_review_save(
        actor=member_user,
        self_review=review,
        form="2C",
        sections=sections,
        parts={"common": Decimal(25), "results": None},
        proposed_level="",
    )
    with pytest.raises(ValidationError) as refused:
        _submit(member_user, review)
    message = " ".join(refused.value.messages)
    assert "II.2" in message and "III" in message
    assert "chưa tự chấm đủ điểm" in message and "chưa tự nhận mức" in message
    assert review.signatures.count() == 0


def test_after_the_deadline_the_member_cannot_sign_and_nothing_changes(
    world, member_user, year_round
):
    review = _write(member_user, _opened(world, member_user, year_round))
    late = timezone.make_aware(
        datetime.datetime.combine(
            year_round.deadline + datetime.timedelta(days=1), datetime.time(9)
        )
    )
    with pytest.raises(ValidationError, match="Đã quá hạn nộp bản tự kiểm điểm"):
        _submit(member_user, review, now=late)
    review.refresh_from_db()
    assert review.status == SelfReview.Status.DRAFT and review.signatures.count() == 0
    # The committee extends the round, with a reason; then it can be signed.
    services.round_update(
        actor=world.users["staff"],
        review_round=year_round,
        deadline=year_round.deadline + datetime.timedelta(days=5),
        note="",
        reason="Đồng chí đi công tác",
    )
    _submit(member_user, review, now=late)


def test_a_member_cannot_review_someone_else(world, member_user, year_round, client):
    with pytest.raises(PermissionDenied):
        services.self_review_open(actor=member_user, review_round=year_round, member=world.member_b)
    other = services.self_review_open(
        actor=world.users["staff"], review_round=year_round, member=world.member_b
    )
    client.force_login(member_user)
    assert client.get(reverse("reports:self_review_detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("reports:self_review_edit", args=[other.pk])).status_code == 404
    response = client.post(
        reverse("reports:self_review_open", args=[year_round.pk, world.member_b.pk])
    )
    assert response.status_code == 404
    with pytest.raises(PermissionDenied):
        _write(member_user, other)


def test_the_secretary_writes_for_a_member_who_cannot_and_the_document_says_so(
    world, year_round, seal_certificate
):
    secretary = world.users["secretary_own"]
    review = services.self_review_open(
        actor=secretary, review_round=year_round, member=world.member_a
    )
    review = _write(secretary, review)
    with pytest.raises(ValidationError, match="lý do lập thay"):
        _submit(secretary, review)
    review = _write(secretary, review, on_behalf_reason="Đảng viên ốm dài ngày")
    signature = _submit(secretary, review)
    review.refresh_from_db()
    assert review.on_behalf_by == secretary
    content = signature.canonical
    assert "Đảng viên ốm dài ngày" in content and "NGƯỜI LẬP THAY" in content
    from reports.selfreviews.documents import self_review_pdf

    text = pdf_text(self_review_pdf(review, secretary).content)
    assert "lập thay cho đảng viên" in text and "Đảng viên ốm dài ngày" in text


def test_a_returned_self_review_is_written_again_and_signed_again(world, member_user, year_round):
    review = _write(member_user, _opened(world, member_user, year_round))
    first = _submit(member_user, review)
    with pytest.raises(ValidationError):
        services.self_review_return(
            actor=world.users["secretary_own"], self_review=review, reason="  "
        )
    services.self_review_return(
        actor=world.users["secretary_own"], self_review=review, reason="Chưa nêu rõ hạn chế"
    )
    review.refresh_from_db()
    assert (
        review.status == SelfReview.Status.RETURNED
        and review.return_reason == "Chưa nêu rõ hạn chế"
    )
    assert review.verification_status(first) == "returned"
    # Written again and signed again even after the deadline (the deadline is for the first).
    late = timezone.make_aware(
        datetime.datetime.combine(
            year_round.deadline + datetime.timedelta(days=3), datetime.time(9)
        )
    )
    review = _write(member_user, review, sections={**SECTIONS, "shortcomings": "Nêu rõ hơn."})
    second = _submit(member_user, review, now=late)
    assert second.sequence == 2
    review.refresh_from_db()
    assert review.verification_status(first) == "superseded"
    assert review.verification_status(second) == "valid"


def test_the_branch_vote_adds_up_and_becomes_its_proposal(world, member_user, year_round):
    for n in range(4):
        MemberFactory(branch=world.branch_a, full_name=f"Phan Văn Dự {n}")
    MemberFactory(
        branch=world.branch_a,
        full_name="Lê Thị Dự Bị",
        status=Member.Status.PROBATIONARY,
        official_date=None,
    )
    review = _write(member_user, _opened(world, member_user, year_round))
    _submit(member_user, review)
    secretary = world.users["secretary_own"]
    vote = lambda **kw: services.self_review_vote(  # noqa: E731
        actor=secretary, self_review=review, vote_date=TODAY, comment="", **kw
    )
    with pytest.raises(ValidationError, match="Số phiếu không khớp"):
        vote(present=5, votes={"vote_good": 3, "vote_completed": 1})
    with pytest.raises(ValidationError, match="5 đảng viên chính thức"):
        vote(present=6, votes={"vote_good": 6})  # the probationary member does not vote
    with pytest.raises(ValidationError, match="biểu quyết lại"):
        vote(present=5, votes={"vote_good": 2, "vote_invalid": 3})
    review.refresh_from_db()
    assert not review.voted
    vote(present=5, votes={"vote_excellent": 1, "vote_good": 2, "vote_completed": 2})
    review.refresh_from_db()
    assert review.vote_result == Level.GOOD and review.vote_present == 5
    rating = MemberRating.objects.get(member=world.member_a, year=YEAR)
    assert rating.proposed_level == Level.GOOD
    # After the vote it is not returned any more; after the decision the vote stays.
    with pytest.raises(ValidationError, match="đã biểu quyết"):
        services.self_review_return(actor=secretary, self_review=review, reason="x")
    ratings.ratings_save(
        actor=world.users["leader"],
        branch=world.branch_a,
        year=YEAR,
        column="decided",
        levels={world.member_a.pk: Level.COMPLETED},
        reason="",
    )
    with pytest.raises(ValidationError, match="đã quyết định"):
        vote(present=5, votes={"vote_good": 5})


def test_a_member_not_reviewed_this_year_cannot_open_one(world, member_user, year_round):
    MemberStanding.objects.create(
        member=world.member_a,
        kind=MemberStanding.Kind.EXEMPT,
        start_date=datetime.date(YEAR, 1, 1),
        decision="QĐ 12",
        recorded_by=world.users["staff"],
    )
    with pytest.raises(ValidationError, match="không thuộc diện kiểm điểm"):
        _opened(world, member_user, year_round)


def test_a_quarterly_round_uses_mau_05_and_the_committee_decides_the_quarter(
    world, member_user, seal_certificate
):
    round = services.round_open(
        actor=world.users["staff"],
        committee=world.committee,
        year=YEAR,
        quarter=4,
        deadline=TODAY + datetime.timedelta(days=3),
    )
    review = _opened(world, member_user, round)
    assert review.form == "05"
    with pytest.raises(ValidationError):
        _write(member_user, review, form="2C")
    review = _write(
        member_user,
        review,
        sections={"results": "Hoàn thành 5 nhiệm vụ.", "shortcomings": "Không."},
        level=Level.EXCELLENT,
        common="29",
        results="63",
    )
    signature = _submit(member_user, review)
    assert f"Quý IV năm {YEAR}" in signature.canonical
    assert not MemberRating.objects.filter(
        member=world.member_a
    ).exists()  # a quarter is not the year
    with pytest.raises(ValidationError, match="chưa biểu quyết"):
        services.quarter_decide(actor=world.users["leader"], self_review=review, level=Level.GOOD)
    MemberFactory(branch=world.branch_a)
    services.self_review_vote(
        actor=world.users["secretary_own"],
        self_review=review,
        vote_date=TODAY,
        present=2,
        votes={"vote_excellent": 2},
    )
    with pytest.raises(PermissionDenied):
        services.quarter_decide(actor=world.users["staff"], self_review=review, level=Level.GOOD)
    services.quarter_decide(actor=world.users["leader"], self_review=review, level=Level.EXCELLENT)
    review.refresh_from_db()
    assert review.decided_level == Level.EXCELLENT
    with pytest.raises(ValidationError, match="lý do"):
        services.quarter_decide(actor=world.users["leader"], self_review=review, level=Level.GOOD)


def test_status_at_a_glance_for_the_branch_and_the_committee(
    world, member_user, year_round, django_assert_max_num_queries
):
    review = _write(member_user, _opened(world, member_user, year_round))
    _submit(member_user, review)
    services.self_review_open(
        actor=world.users["staff"], review_round=year_round, member=world.member_b
    )
    rows = branch_rows(year_round, world.branch_a)
    assert [r.state for r in rows] == ["submitted"]
    overview = {s.branch: s for s in committee_overview(year_round, branches_of_round(year_round))}
    assert overview[world.branch_a].counts["submitted"] == 1
    assert (
        overview[world.branch_b].counts["draft"] == 1 and overview[world.branch_b].not_started == 0
    )


@pytest.mark.parametrize("members", [3, 30])
def test_the_branch_page_queries_do_not_grow_with_its_members(
    world, year_round, login, members, django_assert_max_num_queries
):
    for _n in range(members):
        member = MemberFactory(branch=world.branch_a)
        services.self_review_open(
            actor=world.users["staff"], review_round=year_round, member=member
        )
    client = login(world.users["secretary_own"])
    url = reverse("reports:round_branch", args=[year_round.pk, world.branch_a.pk])
    client.get(url)  # the session's first page writes its year; measure the next one
    with django_assert_max_num_queries(22):
        response = client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count("Đang viết") >= members


@pytest.mark.parametrize("branches", [2, 12])
def test_the_round_page_queries_do_not_grow_with_its_branches(
    world, year_round, login, branches, django_assert_max_num_queries
):
    from tests.factories import make_org

    for n in range(branches):
        make_org(world.committee, f"QS.QP.{n + 10}", f"Chi bộ thôn Mới {n}")
    client = login(world.users["staff"])
    url = reverse("reports:round_detail", args=[year_round.pk])
    client.get(url)  # the session's first page writes its year; measure the next one
    with django_assert_max_num_queries(22):
        response = client.get(url)
    assert response.status_code == 200
    assert "Chi bộ thôn Mới 1" in response.content.decode()


def test_the_member_finds_the_round_on_their_records_and_the_secretary_on_the_branch(
    world, member_user, year_round, login
):
    page = login(member_user).get(reverse("reports:my_records")).content.decode()
    assert f"Năm {YEAR}" in page and "Viết bản tự kiểm điểm" in page
    response = login(member_user).post(
        reverse("reports:self_review_open", args=[year_round.pk, world.member_a.pk])
    )
    review = SelfReview.objects.get(member=world.member_a)
    assert response.url == reverse("reports:self_review_edit", args=[review.pk])
    # The secretary is sent from the committee's round to their own branch.
    response = login(world.users["secretary_own"]).get(
        reverse("reports:round_detail", args=[year_round.pk])
    )
    assert response.url == reverse("reports:round_branch", args=[year_round.pk, world.branch_a.pk])


def test_a_refused_save_keeps_what_was_typed(world, member_user, year_round, login):
    review = _opened(world, member_user, year_round)
    client = login(member_user)
    data = {
        "form": "2C",
        "section_ideology": "Đoạn văn dài đã gõ.",
        "part_common": "25",
        "part_results": "40",
        "proposed_level": Level.EXCELLENT,
        "then": "save",
    }
    response = client.post(reverse("reports:self_review_edit", args=[review.pk]), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Đoạn văn dài đã gõ." in page and "chỉ đạt mức" in page


# ---- Mẫu 01, 03, 04 ----------------------------------------------------------------------


def _self_rate(world, organization):
    return ratings.organization_self_rating_save(
        actor=world.users["secretary_own"],
        organization=organization,
        year=YEAR,
        subject="organization",
        data={"self_common": Decimal(27), "self_results": Decimal(62), "self_level": Level.GOOD},
    )


def test_the_collective_report_is_signed_with_the_self_assessment_and_freezes_it(
    world, seal_certificate
):
    secretary = world.users["secretary_own"]
    report = collective.collective_report_save(
        actor=secretary,
        organization=world.branch_a,
        year=YEAR,
        subject="organization",
        sections={
            "results": "Lãnh đạo hoàn thành nhiệm vụ.",
            "shortcomings": "Chưa đều.",
            "causes": "Chủ quan.",
            "fixes": "Đã sửa.",
            "remedies": "Tiếp tục.",
        },
    )

    def sign():
        rating = OrganizationRating.objects.filter(organization=world.branch_a, year=YEAR).first()
        content = collective.collective_report_content(report, rating, secretary, TODAY)
        return collective.collective_report_submit(
            signer=_signer(secretary),
            evidence=Evidence.at_address("10.0.0.5", "t"),
            organization=world.branch_a,
            year=YEAR,
            subject="organization",
            seen_hash=content_hash(canonical_json(content)),
        )

    with pytest.raises(ValidationError, match="chưa tự chấm điểm"):
        sign()
    _self_rate(world, world.branch_a)
    signature = sign()
    assert "T/M CHI BỘ" in signature.canonical and "Hoàn thành tốt nhiệm vụ" in signature.canonical
    with pytest.raises(ValidationError, match="Mẫu 01"):
        _self_rate(world, world.branch_a)
    with pytest.raises(PermissionDenied):
        collective.collective_report_return(actor=secretary, report=report, reason="x")
    collective.collective_report_return(
        actor=world.users["staff"], report=report, reason="Bổ sung số liệu"
    )
    _self_rate(world, world.branch_a)  # editable again
    from reports.selfreviews.documents import collective_report_pdf

    report.refresh_from_db()
    text = pdf_text(collective_report_pdf(report, secretary).content)
    assert "BÁO CÁO" in text and "Lãnh đạo hoàn thành nhiệm vụ." in text and "DỰ THẢO" in text


def test_a_rerating_is_recorded_and_printed_as_mau_03(world, login):
    member = world.member_a
    ratings.rating_sheet_save(
        actor=world.users["staff"],
        member=member,
        year=YEAR,
        data={
            "self_score": None,
            "score": Decimal(80),
            "tasks_on_time": True,
            "exceeding_share": None,
            "unfinished_share": Decimal(0),
            "disciplined": False,
            "shortcomings_fixed": True,
        },
    )
    leader = world.users["leader"]
    ratings.ratings_save(
        actor=leader,
        branch=world.branch_a,
        year=YEAR,
        column="decided",
        levels={member.pk: Level.GOOD},
    )
    assert not Rerating.objects.exists()
    ratings.ratings_save(
        actor=leader,
        branch=world.branch_a,
        year=YEAR,
        column="decided",
        levels={member.pk: Level.COMPLETED},
        reason="Phát hiện vi phạm sau khi xếp loại",
    )
    rerating = Rerating.objects.get()
    assert (rerating.old_level, rerating.new_level) == (Level.GOOD, Level.COMPLETED)
    response = login(leader).get(reverse("reports:rerating_pdf", args=[rerating.pk]))
    text = pdf_text(response.content)
    assert "QUYẾT ĐỊNH" in text and "xếp loại lại" in text
    assert (
        "Võ Thị Ánh" in text and "Hoàn thành tốt nhiệm vụ" in text and "Hoàn thành nhiệm vụ" in text
    )
    assert "Phát hiện vi phạm sau khi xếp loại" in text
    assert (
        login(world.users["secretary_other"])
        .get(reverse("reports:rerating_pdf", args=[rerating.pk]))
        .status_code
        == 404
    )


def test_the_list_of_records_names_each_self_review_and_vote(world, member_user, year_round, login):
    review = _write(member_user, _opened(world, member_user, year_round))
    _submit(member_user, review)
    response = login(world.users["staff"]).get(
        reverse("reports:review_records_pdf", args=[world.committee.pk]) + f"?year={YEAR}"
    )
    text = pdf_text(response.content)
    assert "DANH MỤC HỒ SƠ" in text and "Mẫu 2C" in text and "Võ Thị Ánh" in text


def test_signed_self_reviews_verify_publicly(world, member_user, year_round, client):
    review = _write(member_user, _opened(world, member_user, year_round))
    signature = _submit(member_user, review)
    page = client.get(reverse("partydocs:verify", args=[signature.code])).content.decode()
    assert "Võ Thị Ánh" in page and "Chi bộ thôn Phú Lộc" in page
    assert Signature.objects.filter(code=signature.code).exists()


def test_the_secretary_returns_a_self_review_from_its_page(world, member_user, year_round, login):
    review = _write(member_user, _opened(world, member_user, year_round))
    _submit(member_user, review)
    client = login(world.users["secretary_own"])
    url = reverse("reports:self_review_return", args=[review.pk])
    response = client.post(url, {"reason": ""})
    assert (
        response.status_code == 200 and SelfReview.objects.get(pk=review.pk).status == "submitted"
    )
    response = client.post(url, {"reason": "Nêu cụ thể hạn chế"})
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.status == "returned" and review.return_reason == "Nêu cụ thể hạn chế"
    page = login(member_user).get(reverse("reports:self_review_detail", args=[review.pk]))
    assert "Nêu cụ thể hạn chế" in page.content.decode()


def test_the_queues_follow_the_self_reviews(world, member_user, year_round):
    """The member's own self-review is in their queue until signed, back with the branch's
    reason when returned; the secretary's queue has the signed ones waiting for the vote; each
    leaves the queue at once (the summary's data version watches the self-reviews)."""
    from reports.summaries.todo import queue_for

    def titles(user, group):
        return [i.title for g in queue_for(user) if g.title == group for i in g.items]

    mine, to_vote = "Bản tự kiểm điểm của tôi", "Bản tự kiểm điểm chờ chi bộ biểu quyết"
    assert titles(member_user, mine) == [f"Viết và ký bản tự kiểm điểm năm {YEAR}"]
    review = _write(member_user, _opened(world, member_user, year_round))
    assert titles(member_user, mine) == [f"Ký nộp bản tự kiểm điểm năm {YEAR}"]
    _submit(member_user, review)
    assert titles(member_user, mine) == []
    secretary = world.users["secretary_own"]
    assert titles(secretary, to_vote) == [f"Chi bộ thôn Phú Lộc: 1 bản, năm {YEAR}"]
    services.self_review_return(actor=secretary, self_review=review, reason="Nêu cụ thể hơn")
    assert titles(secretary, to_vote) == []
    items = [i for g in queue_for(member_user) if g.title == mine for i in g.items]
    assert [i.title for i in items] == [f"Viết lại bản tự kiểm điểm năm {YEAR}"]
    assert items[0].note == "Chi bộ trả lại: Nêu cụ thể hơn"


def test_points_typed_with_a_decimal_comma_are_read_as_written(
    world, member_user, year_round, login
):
    review = _opened(world, member_user, year_round)
    data = {
        "form": "2C",
        **{f"section_{code}": text for code, text in SECTIONS.items()},
        "part_common": "27,5",
        "part_results": "60.25",
        "proposed_level": Level.GOOD,
        "then": "save",
    }
    response = login(member_user).post(reverse("reports:self_review_edit", args=[review.pk]), data)
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.parts == {"common": "27.5", "results": "60.25"}
    assert review.score == Decimal("87.75")
