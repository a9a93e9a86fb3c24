"""Reviews: self-assessment, assessment, finalization, recognition — and every refusal."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from docx import Document
from pypdf import PdfReader

from criteria.models import Indicator
from criteria.rules import Level
from reports.meetings.models import Meeting
from reports.ratings.models import MemberRating
from reports.reviews import recognition
from reports.reviews import services as reviews
from reports.reviews.models import Nomination, Review, ReviewScore
from reports.reviews.selectors import compute_result, review_sheet
from tests.pdf import text
from tests.reports.helpers import (
    assess,
    decide_members,
    decide_quality,
    fill,
    fill_and_submit,
    open_review,
    submit,
)


def _add_meetings(world, year, count, kind="regular"):
    for month in range(1, count + 1):
        meeting = Meeting.objects.create(
            branch=world.branch_a,
            date=datetime.date(year, month, 5),
            kind=kind,
            topic="Sinh hoạt",
            duration_minutes=120,
            minutes="minutes/x.pdf",
        )
        meeting.attendance.create(member=world.member_a, status="present")


def test_automatic_indicators_recompute_when_a_meeting_changes_and_freeze_on_submit(
    world, signed_registration
):
    year = signed_registration.plan.start_year
    _add_meetings(world, year, 10)
    review = open_review(world, signed_registration)
    regular = next(
        r
        for r in review_sheet(review).rows
        if r.indicator.auto_source == Indicator.AutoSource.REGULAR_MEETINGS
    )
    assert regular.auto.achieved == 10
    assert "10 kỳ sinh hoạt thường kỳ" in regular.auto.note
    # The plan's rule (the template's guide): 12 kỳ for 8 points, 2 less per meeting short —
    # 10 meetings give 4, not 8 × 10/12 = 6,67.
    assert regular.auto.suggested_score == Decimal("4.00")
    assert "thiếu mỗi kỳ trừ 2 điểm; thiếu 2: 4 điểm" in regular.auto.note
    Meeting.objects.create(
        branch=world.branch_a,
        date=datetime.date(year, 11, 5),
        kind="regular",
        topic="X",
        duration_minutes=95,
    )
    regular = next(
        r
        for r in review_sheet(review).rows
        if r.indicator.auto_source == Indicator.AutoSource.REGULAR_MEETINGS
    )
    assert regular.auto.achieved == 11  # recomputed from the log
    quality = next(
        r
        for r in review_sheet(review).rows
        if r.indicator.auto_source == Indicator.AutoSource.MEETING_QUALITY
    )
    assert (
        "10/11 kỳ sinh hoạt đạt chất lượng" in quality.auto.note
        and "chưa ghi sổ biên bản sinh hoạt chi bộ" in quality.auto.note
    )
    fill(world, review)
    submit(world, review)
    review.refresh_from_db()
    Meeting.objects.create(
        branch=world.branch_a,
        date=datetime.date(year, 12, 5),
        kind="regular",
        topic="Y",
        duration_minutes=95,
    )
    frozen = next(
        r
        for r in review_sheet(review).rows
        if r.indicator.auto_source == Indicator.AutoSource.REGULAR_MEETINGS
    )
    assert frozen.achieved_value == 11  # what the branch signed, not today's log


@pytest.mark.parametrize(("score", "message"), [("9", "vượt quá 8 điểm"), ("-1", "không thể âm")])
def test_scores_outside_the_indicator_points_are_refused(
    world, signed_registration, score, message
):
    review = open_review(world, signed_registration)
    indicator = Indicator.objects.get(
        criterion__plan=signed_registration.plan, criterion__order=1, order=1
    )  # 8 points
    with pytest.raises(ValidationError) as error:
        reviews.review_save_self(
            actor=world.users["secretary_own"],
            review=review,
            rows={indicator.pk: {"self_score": Decimal(score)}},
        )
    assert message in str(error.value)
    assert ReviewScore.objects.get(review=review, indicator=indicator).self_score is None


def test_the_form_refuses_a_score_above_the_points_and_keeps_the_input(
    world, signed_registration, login
):
    review = open_review(world, signed_registration)
    indicator = Indicator.objects.get(
        criterion__plan=signed_registration.plan, criterion__order=1, order=1
    )
    client = login(world.users["secretary_own"])
    page = client.get(reverse("reports:review_self", args=[review.pk]))
    data = {
        name: (field.initial if field.initial is not None else "")
        for name, field in page.context["form"].fields.items()
    }
    data[f"score_{indicator.pk}"] = "12"
    data[f"comment_{indicator.pk}"] = "Giải trình dài đã gõ"
    response = client.post(
        reverse("reports:review_self", args=[review.pk]),
        {k: v for k, v in data.items() if not isinstance(v, list)},
    )
    body = response.content.decode()
    assert (
        response.status_code == 200 and "Tối đa 8 điểm." in body and "Giải trình dài đã gõ" in body
    )


def test_submitting_without_required_evidence_is_refused(world, signed_registration):
    review = fill(world, open_review(world, signed_registration))
    required = review.scores.filter(indicator__evidence_required=True).select_related(
        "indicator__criterion"
    )
    for score in required:
        score.evidence.clear()
    with pytest.raises(ValidationError) as error:
        submit(world, review)
    assert "chỉ tiêu 1.1 bắt buộc có minh chứng" in str(error.value)
    review.refresh_from_db()
    assert review.status == Review.Status.DRAFT and not review.signatures.exists()


def test_submission_is_signed_like_a_pledge(world, signed_registration, login, sign_data):
    review = fill(world, open_review(world, signed_registration))
    client = login(world.users["secretary_own"])
    response = client.post(
        reverse("reports:review_submit", args=[review.pk]),
        sign_data(client, review, url_name="reports:review_submit"),
    )
    assert response.status_code == 302
    review.refresh_from_db()
    signature = review.signatures.get()
    assert (
        review.status == Review.Status.SUBMITTED
        and signature.full_name == "Phạm Văn Tài"
        and signature.sequence == 1
    )
    # A second click signs nothing more.
    client.post(reverse("reports:review_submit", args=[review.pk]), {"password": "x"})
    assert review.signatures.count() == 1
    # The verification page knows the self-assessment.
    page = client.get(reverse("partydocs:verify", args=[signature.code])).content.decode()
    assert "Bản tự đánh giá tổng kết năm" in page and "Văn bản hợp lệ" in page


def test_returned_for_correction_then_resubmitted(world, signed_registration, client):
    review = fill_and_submit(world, signed_registration)
    first = review.signatures.get()
    reviews.review_return(
        actor=world.users["staff"], review=review, reason="Chỉ tiêu 2.4 thiếu biên bản"
    )
    review.refresh_from_db()
    assert (
        review.status == Review.Status.RETURNED
        and review.return_reason == "Chỉ tiêu 2.4 thiếu biên bản"
    )
    fill(world, review, Decimal("0.8"))
    submit(world, review)
    second = review.signatures.order_by("-sequence").first()
    assert second.sequence == 2 and second.content_hash != first.content_hash
    assert (
        "đã được thay bằng một bản sửa đổi"
        in client.get(reverse("partydocs:verify", args=[first.code])).content.decode()
    )


def test_an_assessment_by_someone_outside_the_committee_is_refused(
    world, signed_registration, login
):
    review = fill_and_submit(world, signed_registration)
    with pytest.raises(PermissionDenied):
        assess(world, review, actor=world.users["secretary_own"])
    assert (
        login(world.users["secretary_other"])
        .get(reverse("reports:review_assess", args=[review.pk]))
        .status_code
        == 404
    )
    assert (
        login(world.users["official"])
        .get(reverse("reports:review_assess", args=[review.pk]))
        .status_code
        == 403
    )


def test_two_people_saving_the_same_assessment_second_gets_a_conflict(
    world, signed_registration, login
):
    review = fill_and_submit(world, signed_registration)
    indicator = review.scores.first().indicator_id
    opened_at = review.revision
    reviews.review_assess(
        actor=world.users["staff"],
        review=review,
        rows={indicator: {"assessed_score": Decimal(1)}},
        revision=opened_at,
    )
    with pytest.raises(reviews.Conflict) as conflict:
        reviews.review_assess(
            actor=world.users["leader"],
            review=review,
            rows={indicator: {"assessed_score": Decimal(2)}},
            revision=opened_at,
        )
    assert "Trần Thị Thu Hà đã lưu phần thẩm định này" in conflict.value.messages[0]
    assert (
        ReviewScore.objects.get(review=review, indicator_id=indicator).assessed_score == 1
    )  # the first save stands


def test_the_conflict_page_keeps_what_was_typed(world, signed_registration, login):
    review = fill_and_submit(world, signed_registration)
    client = login(world.users["leader"])
    page = client.get(reverse("reports:review_assess", args=[review.pk]))
    form = page.context["form"]
    data = {
        name: (field.initial if field.initial is not None else "")
        for name, field in form.fields.items()
    }
    data["revision"] = form.initial["revision"]  # the hidden field, as the browser sends it
    assess(world, review)  # someone else saves meanwhile
    first = review.scores.first()
    data[f"comment_{first.indicator_id}"] = "Nhận xét của lãnh đạo, không được mất"
    response = client.post(reverse("reports:review_assess", args=[review.pk]), data)
    body = response.content.decode()
    assert response.status_code == 200 and "đã lưu phần thẩm định này" in body
    assert "Nhận xét của lãnh đạo, không được mất" in body


def test_finalize_once_with_totals_and_model_and_no_quality_rating(world, signed_registration):
    """The finalization locks the model's result only: the quality rating (366) is a record of
    its own, decided by the committee above, which the finalization neither makes nor reads."""
    from reports.ratings.models import OrganizationRating

    review = assess(world, fill_and_submit(world, signed_registration, Decimal("0.9")))
    reviews.review_finalize(actor=world.users["leader"], review=review)
    review.refresh_from_db()
    assert review.total == Decimal("90.00") and review.reached_model
    assert "Đạt “Chi bộ bốn tốt”" in review.model_reason
    assert not hasattr(review, "level")
    assert not OrganizationRating.objects.exists()
    with pytest.raises(ValidationError) as error:
        reviews.review_finalize(actor=world.users["leader"], review=review)
    assert "Kết quả đã được chốt" in str(error.value)
    with pytest.raises(PermissionDenied):
        reviews.review_finalize(actor=world.users["staff"], review=review)


def test_a_criterion_below_its_minimum_misses_the_model(world, signed_registration):
    review = fill_and_submit(world, signed_registration, Decimal("0.9"))
    rows = {
        s.indicator_id: {
            "assessed_score": s.self_score if s.indicator.criterion.order != 2 else Decimal(0)
        }
        for s in review.scores.select_related("indicator__criterion")
    }
    reviews.review_assess(
        actor=world.users["staff"], review=review, rows=rows, revision=review.revision
    )
    decide_members(world, world.branch_a, review.year)
    reviews.review_finalize(actor=world.users["leader"], review=review)
    review.refresh_from_db()
    assert not review.reached_model
    assert "tiêu chí 2 đạt 0 điểm, dưới mức tối thiểu 17,5" in review.model_reason


def test_a_plan_may_make_the_model_depend_on_the_decided_quality_rating(
    world, signed_registration, login
):
    """The model never sets the rating; a plan may make the model need it: a decided rating of
    at least `model_min_level` (the OrganizationRating, not a level from the model's score) and
    no member disciplined in the year."""
    from reports.ratings import services as ratings
    from reports.ratings.models import OrganizationRating

    plan = signed_registration.plan
    plan.model_min_level = Level.GOOD
    plan.model_no_disciplined_member = True
    plan.save()
    page = login(world.users["staff"]).get(reverse("criteria:plan_detail", args=[plan.pk]))
    assert "Đạt mô hình chỉ khi được cấp ủy cấp trên quyết định xếp loại chất lượng từ" in (
        page.content.decode()
    )
    review = assess(world, fill_and_submit(world, signed_registration, Decimal("0.95")))
    preview = compute_result(review_sheet(review))
    assert not preview.reached_model
    assert "chưa có quyết định xếp loại chất lượng" in preview.model_reason
    subject = OrganizationRating.Subject.ORGANIZATION
    where = {"organization": world.branch_a, "year": review.year, "subject": subject}
    ratings.organization_appraisal_save(
        actor=world.users["staff"],
        **where,
        data={"score_common": Decimal(20), "score_results": Decimal(40), "all_tasks_done": True},
    )
    ratings.organization_rating_decide(actor=world.users["leader"], **where, level=Level.COMPLETED)
    preview = compute_result(review_sheet(review))
    assert "xếp loại chất lượng “Hoàn thành nhiệm vụ”, kế hoạch yêu cầu từ “Hoàn thành tốt" in (
        preview.model_reason
    )
    MemberRating.objects.filter(member=world.member_a, year=review.year).update(disciplined=True)
    preview = compute_result(review_sheet(review))
    assert "1 đảng viên bị kỷ luật trong năm" in preview.model_reason
    # Off again: the model stands on its points alone.
    plan.model_min_level, plan.model_no_disciplined_member = "", False
    plan.save()
    review = Review.objects.get(pk=review.pk)
    assert compute_result(review_sheet(review)).reached_model


def test_full_round_from_registration_to_recognition(
    world, live_plan, login, sign_data, django_capture_on_commit_callbacks
):
    """register → pledge → meetings → self-assess → assess → finalize → recognition (both databases)."""
    from pledges import services as pledges

    secretary, leader = world.users["secretary_own"], world.users["leader"]
    registration = pledges.registration_register(
        actor=secretary, plan=live_plan, organization=world.branch_a
    )
    client = login(secretary)
    pledge = registration.pledges.get()
    client.post(reverse("pledges:pledge_sign", args=[pledge.pk]), sign_data(client, pledge))
    _add_meetings(world, live_plan.start_year, 12)
    client.post(
        reverse("reports:review_open", args=[registration.pk]),
        {"year": live_plan.start_year, "round": "final"},
    )
    review = Review.objects.get(registration=registration)
    fill(world, review, Decimal("0.95"))
    client.post(
        reverse("reports:review_submit", args=[review.pk]),
        sign_data(client, review, url_name="reports:review_submit"),
    )
    review.refresh_from_db()
    assert review.status == Review.Status.SUBMITTED
    assess(world, review)
    client = login(leader)
    page = client.get(reverse("reports:review_finalize", args=[review.pk]))
    assert page.status_code == 200 and page.context["result"].reached_model
    response = client.post(reverse("reports:review_finalize", args=[review.pk]))
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.finalized and review.reached_model
    year = live_plan.start_year
    # The quality rating, apart: "tốt" — one organization alone cannot be "xuất sắc" (20% of 0).
    decide_quality(world, world.branch_a, year)
    client.post(
        reverse("reports:recognition", args=[live_plan.pk]) + f"?year={year}&round=final",
        {"kind": "collective", "organization": world.branch_a.pk, "reason": "Dẫn đầu phong trào"},
    )
    nomination = Nomination.objects.get()
    client.post(reverse("reports:nomination_decide", args=[nomination.pk]), {"approve": "1"})
    client.post(
        reverse("reports:decision_create", args=[live_plan.pk]),
        {
            "year": year,
            "issue_date": timezone.localdate().strftime("%d/%m/%Y"),
            "signer_name": "Nguyễn Văn Định",
            "recipients": "Lưu VP",
        },
    )
    decision = live_plan.decisions.get()
    # Branch B registered nothing, so every registered organization is finalized: issue.
    client.post(reverse("reports:decision_issue", args=[decision.pk]))
    decision.refresh_from_db()
    assert decision.status == "issued" and decision.number == "01-QĐ/ĐU"
    body = text(client.get(reverse("reports:decision_pdf", args=[decision.pk])).content)
    assert "QUYẾT ĐỊNH" in body and "Số 01-QĐ/ĐU" in body and "ĐẢNG CỘNG SẢN VIỆT NAM" in body
    assert (
        "Công nhận 1 chi bộ đạt mô hình “Chi bộ bốn tốt”" in body and "Chi bộ thôn Phú Lộc" in body
    )
    assert "TẬP THỂ TIÊU BIỂU" in body and "Dẫn đầu phong trào" in body
    # The formula of a decision (Quy định 399-QĐ/TW; docs/documents.md).
    for part in [
        "BAN THƯỜNG VỤ ĐẢNG ỦY XÃ QUẾ PHÚ",
        "- Căn cứ Điều lệ Đảng Cộng sản Việt Nam;",
        "- Căn cứ Quy chế làm việc của Ban Chấp hành Đảng bộ xã Quế Phú nhiệm kỳ",
        "- Xét đề nghị của Văn phòng Đảng ủy,",
        "QUYẾT ĐỊNH:",
        "Điều 3. Quyết định có hiệu lực kể từ ngày ký.",
        "- Như Điều 3, - Lưu VP.",
        "T/M BAN THƯỜNG VỤ BÍ THƯ",
    ]:
        assert part in body, part
    # The Word copy: the same header, formula, signer block and annex, read back.
    response = client.get(reverse("reports:decision_docx", args=[decision.pk]))
    assert response["Content-Type"].endswith("wordprocessingml.document")
    word = Document(io.BytesIO(response.content))
    words = "\n".join(p.text for p in word.paragraphs)
    header, _date = (c.text for c in word.tables[0].rows[0].cells)
    assert header.split("\n")[-1] == "Số 01-QĐ/ĐU" and "ĐẢNG CỘNG SẢN VIỆT NAM" in _date
    assert "QUYẾT ĐỊNH:" in words and "Xét đề nghị của Văn phòng Đảng ủy," in words
    recipients, signer = (c.text for c in word.tables[1].rows[0].cells)
    assert signer.startswith("T/M BAN THƯỜNG VỤ\nBÍ THƯ") and signer.endswith("Nguyễn Văn Định")
    assert recipients.split("\n") == ["Nơi nhận:", "- Như Điều 3,", "- Lưu VP."]
    cells = [c.text for t in word.tables[2:] for row in t.rows for c in row.cells]
    assert "Chi bộ thôn Phú Lộc" in cells and "Dẫn đầu phong trào" in cells
    # The giấy khen of the whole decision: one landscape page per outstanding collective or
    # member, with the committee's header, the decision cited and its signer.
    certificates = client.get(reverse("reports:decision_certificates", args=[decision.pk]))
    reader = PdfReader(io.BytesIO(certificates.content))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert box.width > box.height  # landscape
    body = text(certificates.content)
    assert "GIẤY KHEN" in body and "Chi bộ thôn Phú Lộc" in body
    assert "BAN THƯỜNG VỤ ĐẢNG ỦY XÃ QUẾ PHÚ" in body and "Theo Quyết định số 01-QĐ/ĐU" in body
    assert "T/M BAN THƯỜNG VỤ BÍ THƯ Nguyễn Văn Định" in body


def test_a_draft_decision_is_neither_numbered_nor_dated(world, signed_registration, login):
    review = assess(world, fill_and_submit(world, signed_registration))
    reviews.review_finalize(actor=world.users["leader"], review=review)
    decision = recognition.decision_create(
        actor=world.users["leader"],
        plan=signed_registration.plan,
        year=review.year,
        issue_date=timezone.localdate(),
        signer_name="Nguyễn Văn Định",
    )
    client = login(world.users["leader"])
    body = text(client.get(reverse("reports:decision_pdf", args=[decision.pk])).content)
    assert "DỰ THẢO" in body and "Số -QĐ/ĐU" in body and "ngày … tháng … năm …" in body
    assert "01-QĐ" not in body and "Kèm theo dự thảo Quyết định" in body
    # No giấy khen before the decision is issued: back to its page with the message.
    response = client.get(reverse("reports:decision_certificates", args=[decision.pk]))
    assert response.status_code == 302
    assert "đã ban hành" in str(list(response.wsgi_request._messages)[0])


def test_a_decision_waits_for_every_final_review(world, signed_registration):
    review = assess(world, fill_and_submit(world, signed_registration))
    plan = signed_registration.plan
    from pledges import services as pledges

    pledges.registration_register(
        actor=world.users["staff"], plan=plan, organization=world.branch_b
    )
    reviews.review_finalize(actor=world.users["leader"], review=review)
    decision = recognition.decision_create(
        actor=world.users["leader"],
        plan=plan,
        year=plan.start_year,
        issue_date=timezone.localdate(),
        signer_name="X",
    )
    with pytest.raises(ValidationError) as error:
        recognition.decision_issue(actor=world.users["leader"], decision=decision)
    assert "Mới chốt kết quả tổng kết 1/2 tổ chức" in str(error.value)


def test_sheets_read_back(world, signed_registration, login):
    review = assess(world, fill_and_submit(world, signed_registration))
    client = login(world.users["staff"])
    self_pdf = client.get(
        reverse("reports:review_document", args=[review.pk, "self", "pdf"])
    ).content
    body = text(self_pdf)
    signature = review.signatures.get()
    assert (
        "BẢN TỰ ĐÁNH GIÁ" in body
        and "Chi bộ thôn Phú Lộc" in body
        and f"Mã xác minh: {signature.code}" in body
    )
    from partydocs.verification import verify_pdf

    assert verify_pdf(self_pdf).ok
    body = text(
        client.get(
            reverse("reports:review_document", args=[review.pk, "assessment", "pdf"])
        ).content
    )
    assert "PHIẾU THẨM ĐỊNH" in body and "Tự chấm" in body and "Thẩm định" in body
    import io

    from openpyxl import load_workbook

    from tests.sheets import split

    sheet = load_workbook(
        io.BytesIO(
            client.get(
                reverse("reports:review_document", args=[review.pk, "sheet", "xlsx"])
            ).content
        )
    ).active
    heading, rows = split(sheet)
    header = rows[0]
    assert sheet.title == "Tổng kết 2023" or sheet.title.startswith(("Sơ kết", "Tổng kết"))
    assert heading[1].startswith(f"Kế hoạch số {review.registration.plan.number}")
    assert header[:3] == ["STT", "Tiêu chí, chỉ tiêu", "Điểm tối đa"] and "Thẩm định" in header


def test_the_calibration_view_shows_distribution_caps_and_outliers_before_locking(
    world, signed_registration, login
):
    """Branch A self-scores 90 and is assessed 15 points lower: an outlier; once finalized, the
    distribution counts it; the 20% cap of the committee is quoted; every step is in the history."""
    review = fill_and_submit(world, signed_registration, Decimal("0.9"))
    reviews.review_return(actor=world.users["staff"], review=review, reason="Bổ sung biên bản")
    review.refresh_from_db()
    fill(world, review, Decimal("0.9"))
    submit(world, review)
    review = assess(world, review, delta=Decimal(1))  # one point less on each of 15 indicators
    plan, year = signed_registration.plan, signed_registration.plan.start_year
    url = reverse("reports:plan_reviews", args=[plan.pk]) + f"?year={year}&round=final"
    page = login(world.users["staff"]).get(url)
    data = page.context["data"]
    assert [row.difference for row in data["outliers"]] == [Decimal(15)]
    body = page.content.decode()
    assert "Chênh lệch lớn giữa tự chấm và thẩm định" in body and "Chi bộ thôn Phú Lộc (15)" in body
    (pool,) = data["member_pools"]
    assert pool.pool == world.committee and pool.verdict.reason in body  # the cap, in words
    assert all(n == 0 for _level, n in data["distribution"])  # nothing locked yet
    reviews.review_finalize(actor=world.users["leader"], review=review)
    data = login(world.users["staff"]).get(url).context["data"]
    review.refresh_from_db()
    assert review.total == 75 and not review.reached_model  # below the plan's pass mark
    # The model's result; the quality rating is decided apart and counted once it is.
    assert data["reached"] == 0 and all(n == 0 for _level, n in data["distribution"])
    decide_quality(world, world.branch_a, year)
    data = login(world.users["staff"]).get(url).context["data"]
    assert dict(data["distribution"])[Level.GOOD] == 1
    assert data["rows"][0].quality_label == "Hoàn thành tốt nhiệm vụ"
    history = (
        login(world.users["staff"])
        .get(reverse("reports:review_history", args=[review.pk]))
        .content.decode()
    )
    for step in (
        "Ký và nộp bản tự đánh giá",
        "Trả lại: Bổ sung biên bản",
        "Thẩm định",
        "Chốt kết quả",
    ):
        assert step in history, step


def test_the_reviews_list_filters_and_sorts_by_status(world, signed_registration, login):
    from tests.reports.helpers import fill_and_submit

    fill_and_submit(world, signed_registration)
    client = login(world.users["staff"])
    url = reverse("reports:plan_reviews", args=[signed_registration.plan.pk])
    year = signed_registration.plan.start_year
    page = client.get(url, {"year": year, "round": "final", "status": "submitted"})
    assert [r.registration.organization for r in page.context["data"]["rows"]] == [world.branch_a]
    page = client.get(url, {"year": year, "round": "final", "status": "none"})
    assert page.context["data"]["rows"] == []  # branch B never registered: no row at all
    page = client.get(url, {"year": year, "round": "final", "sort": "status"})
    assert len(page.context["data"]["rows"]) == 1 and page.context["sort"] == "status"
