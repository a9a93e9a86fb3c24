"""Terms per issuing body: entered by staff from the congress (or the founding); numbers restart
from 01 per kind at each term's start; a body with none entered keeps the computed terms."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from branches import terms
from criteria import services as plan_services
from partydocs.numbering import term_for, term_of

pytestmark = pytest.mark.django_db


def _plan(world, day, **extra):
    return plan_services.plan_create(
        actor=world.users["staff"],
        issuer=world.committee,
        model="branch",
        issue_date=day,
        start_year=day.year,
        end_year=day.year,
        registration_deadline=day,
        signing_deadline=day,
        final_review_deadline=day,
        **extra,
    )


def test_without_terms_numbers_follow_the_computed_term(world):
    assert term_for(world.committee, datetime.date(2025, 6, 30)) == "2020–2025"
    assert term_for(world.committee, datetime.date(2025, 7, 1)) == "2025–2030"
    assert term_of(datetime.date(2025, 7, 1)) == "2025–2030"


def test_congress_date_starts_the_term_and_numbering_restarts(world):
    staff = world.users["staff"]
    terms.congress_term_add(
        actor=staff,
        organization=world.committee,
        origin="congress",
        start_date=datetime.date(2020, 8, 20),
        label="2020-2025",
    )
    terms.congress_term_add(
        actor=staff,
        organization=world.committee,
        origin="congress",
        start_date=datetime.date(2025, 9, 12),
        label="2025–2030",
    )
    # Between 1 July and the congress the old term goes on: a plan of 1/8/2025 continues it.
    before = _plan(world, datetime.date(2025, 8, 1), sequence=41)
    after = _plan(world, datetime.date(2025, 9, 15))
    again = _plan(world, datetime.date(2025, 10, 1))
    assert before.term == "2020–2025" and before.term_label == "2020–2025"
    assert (after.sequence, after.term, after.number) == (1, "2025–2030", "01-KH/ĐU")
    assert again.sequence == 2


def test_merged_committee_numbers_from_its_founding_until_its_congress(world):
    staff = world.users["staff"]
    founding = terms.congress_term_add(
        actor=staff,
        organization=world.committee,
        origin="founding",
        start_date=datetime.date(2025, 7, 1),
        label="2020–2025",
    )
    first = _plan(world, datetime.date(2025, 7, 10))
    terms.congress_term_add(
        actor=staff,
        organization=world.committee,
        origin="congress",
        start_date=datetime.date(2025, 9, 12),
        label="2025–2030",
    )
    after_congress = _plan(world, datetime.date(2025, 9, 20))
    assert first.term == founding.key == "TL250701" and first.sequence == 1
    assert first.term_label == "2020–2025"
    assert after_congress.sequence == 1 and after_congress.term == "2025–2030"
    # Another committee's numbering is its own.
    assert term_for(world.other_committee, datetime.date(2025, 7, 10)) == "2025–2030"


def test_bad_terms_are_refused_with_a_message(world):
    staff = world.users["staff"]
    with pytest.raises(ValidationError, match="ví dụ 2025–2030"):
        terms.congress_term_add(
            actor=staff,
            organization=world.committee,
            origin="congress",
            start_date=datetime.date(2025, 9, 12),
            label="khóa mới",
        )
    terms.congress_term_add(
        actor=staff,
        organization=world.committee,
        origin="congress",
        start_date=datetime.date(2025, 9, 12),
        label="2025–2030",
    )
    with pytest.raises(ValidationError, match="đã có"):
        terms.congress_term_add(
            actor=staff,
            organization=world.committee,
            origin="congress",
            start_date=datetime.date(2025, 10, 1),
            label="2025–2030",
        )
    with pytest.raises(PermissionDenied):
        terms.congress_term_add(
            actor=world.users["leader"],
            organization=world.committee,
            origin="congress",
            start_date=datetime.date(2030, 9, 1),
            label="2030–2035",
        )


def test_a_term_with_numbered_documents_cannot_be_removed(world):
    staff = world.users["staff"]
    term = terms.congress_term_add(
        actor=staff,
        organization=world.committee,
        origin="congress",
        start_date=datetime.date(2025, 9, 12),
        label="2025–2030",
    )
    spare = terms.congress_term_add(
        actor=staff,
        organization=world.committee,
        origin="founding",
        start_date=datetime.date(2025, 7, 1),
        label="2020–2025",
    )
    _plan(world, datetime.date(2025, 9, 20))
    with pytest.raises(ValidationError, match="không thể xóa"):
        terms.congress_term_remove(actor=staff, term=term)
    terms.congress_term_remove(actor=staff, term=spare)
    assert [t.label for t in terms.terms_of(world.committee)] == ["2025–2030"]


def test_staff_enter_a_term_on_the_page(world, login):
    client = login(world.users["staff"])
    url = f"/organizations/{world.committee.pk}/terms/"
    page = client.post(
        url, {"origin": "congress", "start_date": "31/02/2025", "label": "2025–2030"}
    )
    assert page.status_code == 200 and "start_date" in page.context["form"].errors
    response = client.post(
        url, {"origin": "congress", "start_date": "12/09/2025", "label": "2025–2030"}
    )
    assert response.status_code == 302
    page = client.get(url)
    assert "2025–2030" in page.content.decode() and "12/09/2025" in page.content.decode()


def _terms_file(rows) -> bytes:
    from rendering.excel import Column, workbook_bytes

    header = ["Mã tổ chức", "Bắt đầu từ", "Ngày bắt đầu", "Nhiệm kỳ"]
    return workbook_bytes(sheets=[("Nhiệm kỳ", [Column(h) for h in header], rows)])


def test_terms_of_many_committees_import_from_a_file(world):
    data = _terms_file(
        [
            ["QS.QP", "Đại hội", "20/08/2020", "2020-2025"],
            ["QS.QP", "Thành lập (hợp nhất, sáp nhập, tái lập)", "01/07/2025", "2025–2030"],
            ["QS.QM", "dai hoi", datetime.date(2025, 9, 2), "2025–2030"],
        ]
    )
    preview = terms.TermImporter(actor=world.users["official"]).validate(data)
    assert [e.message for e in preview.errors][:1] == [
        "Không tìm thấy tổ chức có mã QS.QP trong phạm vi bạn quản lý."
    ]
    from tests.factories import staff_of

    preview = terms.TermImporter(actor=staff_of(world.district)).commit(data)
    assert preview.ok, preview.errors
    assert [(t.origin, t.start_date, t.label, t.key) for t in terms.terms_of(world.committee)] == [
        ("founding", datetime.date(2025, 7, 1), "2025–2030", "TL250701"),
        ("congress", datetime.date(2020, 8, 20), "2020–2025", "2020–2025"),
    ]
    assert term_for(world.other_committee, datetime.date(2025, 9, 2)) == "2025–2030"
    assert term_for(world.committee, datetime.date(2025, 7, 2)) == "TL250701"


def test_a_bad_terms_file_writes_nothing_and_names_each_row(world):
    from partydocs.models import CongressTerm
    from tests.factories import staff_of

    data = _terms_file(
        [
            ["QS.QP", "Đại hội", "20/08/2020", "khóa XX"],
            ["QS.QP", "Đại hội", "12/09/2025", "2025–2030"],
            ["QS.QP", "Đại hội", "12/09/2025", "2030–2035"],
            ["QS.QM", "Bầu cử", "31/02/2025", "2025–2030"],
        ]
    )
    preview = terms.TermImporter(actor=staff_of(world.district)).commit(data)
    assert [(e.row, e.message) for e in preview.errors] == [
        (2, "Nhiệm kỳ đại hội ghi theo năm, ví dụ 2025–2030."),
        (4, "Trùng với dòng 3."),
        (
            5,
            "“Bầu cử” không phải giá trị hợp lệ của cột Bắt đầu từ (Đại hội, Thành lập (hợp nhất, sáp nhập, tái lập)).",
        ),
        (5, "Ngày “31/02/2025” không hợp lệ: hãy ghi dd/mm/yyyy, ví dụ 31/07/2023."),
    ]
    assert not CongressTerm.objects.exists()


def test_the_terms_import_page_previews_then_writes(world, login):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    client = login(world.users["staff"])
    page = client.get(reverse("branches:term_list", args=[world.committee.pk]))
    assert reverse("branches:import", args=["terms"]) in page.content.decode()
    upload = SimpleUploadedFile(
        "nhiem-ky.xlsx", _terms_file([["QS.QP", "Đại hội", "12/09/2025", "2025-2030"]])
    )
    page = client.post(reverse("branches:import", args=["terms"]), {"file": upload})
    assert "Đại hội" in page.content.decode() and "12/09/2025" in page.content.decode()
    client.post(
        reverse("branches:import_confirm", args=["terms"]), {"token": page.context["token"]}
    )
    assert [t.label for t in terms.terms_of(world.committee)] == ["2025–2030"]
