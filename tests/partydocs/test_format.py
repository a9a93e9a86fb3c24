"""The one place that decides a document's header, number, date, DỰ THẢO mark, signer block and
"Nơi nhận" (partydocs.format), and the branches' side of it (who signs for which body)."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from branches.models import Organization, Position
from branches.signers import check_collective_signer, collective_signer, organization_heading
from partydocs.format import (
    Authority,
    heading,
    recipient_lines,
    signer_block,
    unbroken_groups,
)
from vietnamese.dates import cited_date, date_line


def test_collectives_sign_on_behalf_with_the_secretary_or_a_deputy():
    block = signer_block(
        authority=Authority.ON_BEHALF, body="Ban Thường vụ", position="Phó Bí thư", name="Lê  Văn A"
    )
    assert block.lines == ("T/M BAN THƯỜNG VỤ", "PHÓ BÍ THƯ") and block.name == "Lê Văn A"
    with pytest.raises(ValidationError, match="bí thư hoặc phó bí thư"):
        signer_block(authority=Authority.ON_BEHALF, body="Chi bộ", position="Lãnh đạo", name="X")
    with pytest.raises(ValidationError, match="Chưa có người ký"):
        signer_block(authority=Authority.ON_BEHALF, body="Chi bộ", position="Bí thư", name=" ")


def test_deputies_sign_for_the_head_of_an_advising_body_never_for_a_collective():
    block = signer_block(
        authority=Authority.FOR_HEAD,
        head="Chánh Văn phòng",
        position="Phó Chánh Văn phòng",
        name="Đỗ Thị Lan Anh",
    )
    assert block.lines == ("K/T CHÁNH VĂN PHÒNG", "PHÓ CHÁNH VĂN PHÒNG")
    with pytest.raises(ValidationError, match="Không ký thay"):
        signer_block(
            authority=Authority.FOR_HEAD, body="Ban Thường vụ", position="Phó Bí thư", name="X"
        )
    with pytest.raises(ValidationError, match="ký trực tiếp"):
        signer_block(
            authority=Authority.FOR_HEAD,
            head="Chánh Văn phòng",
            position="Chánh Văn phòng",
            name="X",
        )
    by_order = signer_block(
        authority=Authority.BY_ORDER, body="Ban Thường vụ", position="Chánh Văn phòng", name="X"
    )
    assert by_order.lines == ("T/L BAN THƯỜNG VỤ", "CHÁNH VĂN PHÒNG")
    direct = signer_block(authority=Authority.DIRECT, position="Chánh Văn phòng", name="X")
    assert direct.lines == ("CHÁNH VĂN PHÒNG",)


def test_a_draft_is_neither_numbered_nor_dated():
    issued = heading(
        superior="Đảng bộ huyện Quế Sơn",
        issuer="Đảng ủy xã Quế Phú",
        place="Quế Phú",
        day=datetime.date(2023, 7, 31),
        number="98-KH/ĐU",
        kind_code="KH",
        issuer_code="ĐU",
    )
    assert issued.number == "Số 98-KH/ĐU"  # no colon
    assert issued.place_date == "Quế Phú, ngày 31 tháng 7 năm 2023" and not issued.draft
    assert issued.issuer == "ĐẢNG ỦY XÃ QUẾ PHÚ" and "\xa0" not in issued.number
    draft = heading(
        superior="",
        issuer="Đảng ủy xã Quế Phú",
        place="Quế Phú",
        day=datetime.date(2023, 7, 31),
        number="98-KH/ĐU",
        kind_code="KH",
        issuer_code="ĐU",
        draft=True,
    )
    assert draft.number.replace(" ", "") == "Số-KH/ĐU" and draft.number_suffix == "-KH/ĐU"
    assert draft.place_date == "Quế Phú, ngày … tháng … năm …" and draft.mark == "DỰ THẢO"


def test_dates_as_offices_write_them():
    assert date_line("Quế Phú", datetime.date(2026, 1, 9)) == "Quế Phú, ngày 09 tháng 01 năm 2026"
    assert cited_date(datetime.date(2023, 7, 31)) == "31/7/2023"
    assert cited_date(datetime.date(2023, 1, 5)) == "5/1/2023"


def test_names_of_bodies_never_break_inside():
    pieces = unbroken_groups("ĐẢNG ỦY VĂN PHÒNG TỈNH ỦY VĨNH PHÚC")
    assert [p for p, whole in pieces if whole] == ["ĐẢNG ỦY", "VĂN PHÒNG", "TỈNH ỦY", "VĨNH PHÚC"]
    assert "".join(p for p, _whole in pieces) == "ĐẢNG ỦY VĂN PHÒNG TỈNH ỦY VĨNH PHÚC"
    assert [p for p, whole in unbroken_groups("T/M BAN THƯỜNG VỤ") if whole] == ["BAN THƯỜNG VỤ"]


def test_recipients_end_with_the_archive():
    assert recipient_lines("- Lưu VP\n- Ban Thường vụ Huyện ủy (b/c)", archive="X") == [
        "Ban Thường vụ Huyện ủy (b/c)",
        "Lưu VP",
    ]
    assert recipient_lines("", archive="Văn phòng Đảng ủy") == ["Lưu Văn phòng Đảng ủy"]


@pytest.mark.django_db
def test_the_body_that_signs_follows_the_organization(world):
    assert world.branch_a.signing_body == "Chi bộ"
    assert world.committee.signing_body == "Ban Thường vụ"
    world.committee.standing_committee = False
    assert world.committee.signing_body == "Đảng ủy"
    block = collective_signer(world.committee, title="secretary", name="Nguyễn Văn Định")
    assert block.lines == ("T/M ĐẢNG ỦY", "BÍ THƯ")
    partial = Organization(kind=Organization.Kind.PARTIAL, name="Đảng bộ bộ phận Thôn 1")
    assert partial.signing_body == "Đảng ủy"
    head = organization_heading(world.branch_a, day=datetime.date(2023, 8, 1))
    assert head.superior.startswith("ĐẢNG") and "CHI" in head.issuer and head.number == ""


@pytest.mark.django_db
def test_the_signer_must_be_the_secretary_or_deputy_on_record(world):
    day = datetime.date(2023, 8, 1)
    # No positions recorded: the typed signer stands, if the position is one that may sign.
    check_collective_signer(world.committee, position="BÍ THƯ", name="Nguyễn Văn Định", day=day)
    with pytest.raises(ValidationError):
        check_collective_signer(world.committee, position="ỦY VIÊN", name="X", day=day)
    Position.objects.create(
        member=world.member_a,
        organization=world.committee,
        title=Position.Title.DEPUTY_SECRETARY,
        start_date=datetime.date(2020, 8, 1),
    )
    check_collective_signer(world.committee, position="PHÓ BÍ THƯ", name="Võ Thị Ánh", day=day)
    with pytest.raises(ValidationError, match="Võ Thị Ánh \\(Phó Bí thư\\)"):
        check_collective_signer(world.committee, position="BÍ THƯ", name="Võ Thị Ánh", day=day)
