"""Import of organizations and members: preview, per-row errors in Vietnamese, all or nothing."""

import csv
import io
import time

import pytest
from django.urls import reverse
from openpyxl import Workbook

from branches.imports import FileProblem, MemberImporter, OrganizationImporter
from branches.models import Member, Membership, Organization

MEMBER_HEADER = [
    "Họ và tên",
    "Giới tính",
    "Ngày sinh",
    "Số thẻ đảng viên",
    "Ngày vào Đảng",
    "Ngày chính thức",
    "Đảng viên",
    "Mã chi bộ",
]
ORG_HEADER = ["Mã", "Tên", "Loại", "Mã tổ chức cấp trên", "Địa danh"]


def xlsx(rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows, delimiter=",") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def member_row(
    name="Nguyễn Thị Lan",
    card="49015555",
    branch="QS.QP.01",
    join="19/05/2010",
    official="19/05/2011",
    status="Chính thức",
    birth="15/03/1985",
):
    return [name, "Nữ", birth, card, join, official, status, branch]


def errors_of(preview):
    return [(e.row, e.column, e.message) for e in preview.errors]


def test_members_from_xlsx_are_created_with_their_membership(world):
    data = xlsx(
        [
            MEMBER_HEADER,
            member_row(),
            member_row("Lê Văn Hùng", "", "QS.QP.02", "2019-09-02", "", "Dự bị"),
        ]
    )
    preview = MemberImporter(actor=world.users["staff"]).commit(data)
    assert preview.ok, errors_of(preview)
    lan = Member.objects.get(card_number="49015555")
    assert lan.branch == world.branch_a and lan.join_date.isoformat() == "2010-05-19"
    hung = Member.objects.get(full_name="Lê Văn Hùng")
    assert hung.status == Member.Status.PROBATIONARY and hung.card_number is None
    assert Membership.objects.filter(member__in=[lan, hung], end_date__isnull=True).count() == 2
    assert lan.history.first().history_user == world.users["staff"]


def test_members_from_csv_with_semicolons_and_iso_dates(world):
    data = csv_bytes(
        [MEMBER_HEADER, member_row(join="2010-05-19", official="2011-05-19", birth="1985-03-15")],
        delimiter=";",
    )
    preview = MemberImporter(actor=world.users["staff"]).commit(data)
    assert preview.ok, errors_of(preview)
    assert Member.objects.filter(card_number="49015555").exists()


def test_header_matching_ignores_case_and_accents(world):
    header = [h.upper() for h in MEMBER_HEADER]
    header[0] = "ho va ten"
    preview = MemberImporter(actor=world.users["staff"]).validate(xlsx([header, member_row()]))
    assert preview.ok, errors_of(preview)


def test_wrong_columns_are_named(world):
    with pytest.raises(FileProblem) as problem:
        MemberImporter(actor=world.users["staff"]).validate(xlsx([["Tên", "Tuổi"], ["A", 3]]))
    message = str(problem.value)
    assert (
        "Thiếu cột bắt buộc: Họ và tên, Giới tính, Ngày vào Đảng, Đảng viên, Mã chi bộ" in message
    )
    assert "Có cột không nhận ra: Tên, Tuổi" in message


def test_bad_dates_name_the_row_and_the_column_and_nothing_is_saved(world):
    before = Member.objects.count()
    rows = [MEMBER_HEADER, member_row(), member_row("Hồ Văn Sai", "49017777", join="31/02/2010")]
    preview = MemberImporter(actor=world.users["staff"]).commit(xlsx(rows))
    assert errors_of(preview) == [
        (
            3,
            "Ngày vào Đảng",
            "Ngày “31/02/2010” không hợp lệ: hãy ghi dd/mm/yyyy, ví dụ 31/07/2023.",
        )
    ]
    assert Member.objects.count() == before


def test_duplicate_card_numbers_in_database_and_in_file(world):
    rows = [
        MEMBER_HEADER,
        member_row(card="49010001"),
        member_row("B", "49018888"),
        member_row("C", "49018888"),
    ]
    preview = MemberImporter(actor=world.users["staff"]).validate(xlsx(rows))
    assert errors_of(preview) == [
        (2, "Số thẻ đảng viên", "Số thẻ 49010001 đã có (đảng viên Võ Thị Ánh)."),
        (4, "Số thẻ đảng viên", "Số thẻ 49018888 bị lặp với dòng 3."),
    ]


def test_unknown_branch_and_branch_outside_the_scope(world):
    rows = [MEMBER_HEADER, member_row(branch="KHONG.CO"), member_row("B", "", branch="QS.QM.01")]
    preview = MemberImporter(actor=world.users["staff"]).validate(xlsx(rows))
    assert [e[:2] for e in errors_of(preview)] == [(2, "Mã chi bộ"), (3, "Mã chi bộ")]
    assert "Không tìm thấy chi bộ có mã KHONG.CO" in preview.errors[0].message


def test_model_rules_apply_per_row(world):
    rows = [
        MEMBER_HEADER,
        member_row(official="01/01/2009", join="01/01/2010"),
        member_row("B", "", status="Dự bị"),
    ]
    preview = MemberImporter(actor=world.users["staff"]).validate(xlsx(rows))
    messages = errors_of(preview)
    assert (2, "Ngày chính thức", "Ngày chính thức không thể trước ngày vào Đảng.") in messages
    assert (3, "Ngày chính thức", "Đảng viên dự bị chưa có ngày chính thức.") in messages


def test_organizations_parent_from_the_tree_or_from_earlier_or_later_rows(world):
    rows = [
        ORG_HEADER,
        ["QS.QP.BP1.01", "Chi bộ xóm 1", "Chi bộ", "QS.QP.BP1", "Quế Phú"],
        ["QS.QP.BP1", "Đảng bộ bộ phận thôn Đông", "Đảng bộ bộ phận", "QS.QP", "Quế Phú"],
        ["QS.QP.03", "Chi bộ thôn Mới", "chi bo", "QS.QP", "Quế Phú"],
    ]
    preview = OrganizationImporter(actor=world.users["staff"]).commit(xlsx(rows))
    assert preview.ok, errors_of(preview)
    inner = Organization.objects.get(code="QS.QP.BP1")
    leaf = Organization.objects.get(code="QS.QP.BP1.01")
    assert Organization.objects.get_parent(leaf) == inner
    assert Organization.objects.get_parent(inner) == world.committee
    world.committee.refresh_from_db()
    assert world.committee.numchild == 4
    # The tree stays consistent for treebeard itself.
    assert Organization.objects.find_problems() == ([], [], [], [], [])
    # A later child added through the normal path goes after the imported ones.
    from tests.factories import make_org

    make_org(world.committee, "QS.QP.04", "Chi bộ thôn Sau")
    assert Organization.objects.find_problems() == ([], [], [], [], [])


def test_branch_under_a_branch_unknown_parent_and_cycle(world):
    rows = [
        ORG_HEADER,
        ["QS.QP.01.A", "Chi bộ con", "Chi bộ", "QS.QP.01", ""],
        ["X.1", "Tổ chức mồ côi", "Chi bộ", "KHONG.CO", ""],
        ["C1", "Đảng bộ bộ phận C1", "Đảng bộ bộ phận", "C2", ""],
        ["C2", "Đảng bộ bộ phận C2", "Đảng bộ bộ phận", "C1", ""],
    ]
    before = Organization.objects.count()
    preview = OrganizationImporter(actor=world.users["staff"]).commit(xlsx(rows))
    messages = errors_of(preview)
    assert (
        2,
        "Mã tổ chức cấp trên",
        "Chi bộ là cấp cuối cùng, không thể có tổ chức trực thuộc.",
    ) in messages
    assert (3, "Mã tổ chức cấp trên", "Không tìm thấy tổ chức cấp trên có mã KHONG.CO.") in messages
    assert any(row == 4 and "vòng lặp" in message for row, _c, message in messages)
    assert Organization.objects.count() == before


def test_updating_an_existing_code_changes_fields_but_not_the_parent(world):
    rows = [
        ORG_HEADER,
        ["QS.QP.01", "Chi bộ thôn Phú Lộc (mới)", "Chi bộ", "QS.QP", "Quế Phú"],
        ["QS.QP.02", "Tên mới", "Chi bộ", "QS.QM", ""],
    ]
    preview = OrganizationImporter(actor=world.users["staff"]).validate(xlsx(rows))
    assert errors_of(preview) == [
        (3, "Mã tổ chức cấp trên", "Không đổi cấp trên qua nhập tệp; hãy dùng trang sửa tổ chức.")
    ]


def test_not_a_spreadsheet(world):
    with pytest.raises(FileProblem) as problem:
        MemberImporter(actor=world.users["staff"]).validate(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert "không phải Excel" in str(problem.value)
    with pytest.raises(FileProblem):
        MemberImporter(actor=world.users["staff"]).validate(b"PK\x03\x04not really a zip")


def test_too_many_rows_is_refused_with_a_message(world, settings):
    settings.BONTOT_IMPORT_MAX_ROWS = 5
    rows = [MEMBER_HEADER] + [member_row(f"Người {i}", "") for i in range(6)]
    with pytest.raises(FileProblem) as problem:
        MemberImporter(actor=world.users["staff"]).validate(xlsx(rows))
    assert "quá giới hạn 5 dòng" in str(problem.value)


def test_ten_thousand_member_rows_import_in_one_go(world):
    rows = [MEMBER_HEADER] + [
        member_row(f"Nguyễn Văn Thứ {i}", f"7{i:07d}", "QS.QP.01" if i % 2 else "QS.QP.02")
        for i in range(10_000)
    ]
    started = time.monotonic()
    preview = MemberImporter(actor=world.users["staff"]).commit(xlsx(rows))
    elapsed = time.monotonic() - started
    assert preview.ok, errors_of(preview)[:5]
    assert Member.objects.filter(card_number__startswith="7").count() == 10_000
    print(f"10,000 member rows imported in {elapsed:.1f} s")


def test_ten_thousand_rows_with_one_bad_row_save_nothing(world):
    rows = [MEMBER_HEADER] + [member_row(f"Nguyễn Văn Thứ {i}", f"7{i:07d}") for i in range(10_000)]
    rows[7_000][4] = "hôm qua"
    before = Member.objects.count()
    preview = MemberImporter(actor=world.users["staff"]).commit(xlsx(rows))
    assert errors_of(preview) == [
        (
            7001,
            "Ngày vào Đảng",
            "Ngày “hôm qua” không hợp lệ: hãy ghi dd/mm/yyyy, ví dụ 31/07/2023.",
        )
    ]
    assert Member.objects.count() == before


def test_upload_preview_then_confirm_through_the_pages(world, login):
    client = login(world.users["staff"])
    upload = io.BytesIO(xlsx([MEMBER_HEADER, member_row()]))
    upload.name = "dang-vien.xlsx"
    response = client.post(reverse("branches:import", args=["members"]), {"file": upload})
    page = response.content.decode()
    assert "Tệp hợp lệ: 1 dòng sẵn sàng để nhập." in page
    assert not Member.objects.filter(card_number="49015555").exists()  # preview writes nothing
    token = response.context["token"]
    response = client.post(reverse("branches:import_confirm", args=["members"]), {"token": token})
    assert response.status_code == 302
    assert Member.objects.filter(card_number="49015555").exists()
    # The same token cannot be replayed.
    response = client.post(reverse("branches:import_confirm", args=["members"]), {"token": token})
    assert Member.objects.filter(card_number="49015555").count() == 1


def test_upload_with_errors_shows_them_and_offers_no_confirm(world, login):
    client = login(world.users["staff"])
    upload = io.BytesIO(xlsx([MEMBER_HEADER, member_row(join="2010/13/45")]))
    upload.name = "dang-vien.xlsx"
    page = client.post(
        reverse("branches:import", args=["members"]), {"file": upload}
    ).content.decode()
    assert "Có 1 lỗi — chưa ghi dữ liệu nào." in page
    assert "Ngày vào Đảng" in page and "2010/13/45" in page
    assert "Xác nhận nhập" not in page


def test_template_file_matches_the_importer(world, login):
    from openpyxl import load_workbook

    client = login(world.users["staff"])
    response = client.get(reverse("branches:import_template", args=["members"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    preview = MemberImporter(actor=world.users["staff"]).validate(xlsx(rows))
    assert preview.ok, errors_of(preview)


def test_a_vietnamese_file_imports_the_same_from_the_english_interface(world):
    from django.utils import translation

    with translation.override("en"):
        preview = MemberImporter(actor=world.users["staff"]).validate(
            xlsx([MEMBER_HEADER, member_row()])
        )
    assert preview.ok, errors_of(preview)


def test_an_export_imports_back(world, login):
    """Export the organizations, edit a name in the file, import it: the name changes, nothing else."""
    from openpyxl import load_workbook

    client = login(world.users["staff"])
    exported = client.get(reverse("branches:organization_list"), {"format": "xlsx"}).content
    workbook = load_workbook(io.BytesIO(exported))
    sheet = workbook.active
    for row in sheet.iter_rows(min_row=2):
        if row[0].value == "QS.QP.02":
            row[1].value = "Chi bộ thôn Hương Mao (đổi tên)"
    buffer = io.BytesIO()
    workbook.save(buffer)
    before = Organization.objects.count()
    preview = OrganizationImporter(actor=world.users["staff"]).commit(buffer.getvalue())
    assert preview.ok, errors_of(preview)
    assert Organization.objects.count() == before
    assert Organization.objects.get(code="QS.QP.02").name == "Chi bộ thôn Hương Mao (đổi tên)"
