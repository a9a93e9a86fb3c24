import datetime
import unicodedata

import pytest
from django.core import mail
from django.db import connection
from django.urls import reverse
from openpyxl import load_workbook

from branches.models import Member, Organization
from tests.conftest import PASSWORD
from tests.factories import MemberFactory, administrator
from tests.servers import running_server, urllib_get


def test_search_ignores_case_and_diacritics(world, login):
    client = login(world.users["staff"])
    page = client.get(reverse("branches:organization_list"), {"q": "huong mao"}).content.decode()
    assert "Chi bộ thôn Hương Mao" in page and "Chi bộ thôn Phú Lộc" not in page


@pytest.mark.parametrize("form", ["NFC", "NFD"])
def test_member_search_with_nfc_or_nfd_input(world, login, form):
    client = login(world.users["staff"])
    query = unicodedata.normalize(form, "Võ Thị Ánh")
    page = client.get(reverse("branches:member_list"), {"q": query}).content.decode()
    assert "Võ Thị Ánh" in page and "Đỗ Văn Bình" not in page


def test_member_list_sorts_by_given_name(world, login):
    MemberFactory(branch=world.branch_a, full_name="Nguyễn Văn An")
    client = login(world.users["staff"])
    page = client.get(reverse("branches:member_list")).content.decode()
    assert page.index("Nguyễn Văn An") < page.index("Võ Thị Ánh") < page.index("Đỗ Văn Bình")


def test_a_search_counts_up_to_a_cap_and_keeps_the_name_order(world, login, monkeypatch):
    """A search counts its matches no further than SEARCH_COUNT_CAP (issue 21): past it the page
    says "more than" and asks for more of the name; under it the matches come in the list's
    order (given name, then family name), found first and sorted after."""
    from branches.views import members as views

    for name in ["Trần Thị Xuân", "Lê Thị Bích", "Phạm Thị Ánh", "Hồ Thị Cúc"]:
        MemberFactory(branch=world.branch_a, full_name=name)
    client = login(world.users["staff"])
    monkeypatch.setattr(views, "SEARCH_COUNT_CAP", 3)
    page = client.get(reverse("branches:member_list"), {"q": "thi"}).content.decode()
    assert "Hơn 3 đảng viên khớp" in page and "gõ thêm" in page
    page = client.get(reverse("branches:member_list"), {"q": "thi x"}).content.decode()
    assert "Hơn" not in page and "1 đảng viên" in page and "Trần Thị Xuân" in page
    monkeypatch.setattr(views, "SEARCH_COUNT_CAP", 10)
    page = client.get(reverse("branches:member_list"), {"q": "thi"}).content.decode()
    assert "Hơn" not in page
    names = ["Phạm Thị Ánh", "Võ Thị Ánh", "Lê Thị Bích", "Hồ Thị Cúc", "Trần Thị Xuân"]
    where = [page.index(name) for name in names]
    assert where == sorted(where)
    # The cap as Vietnamese write it (config/formats: grouped by three, with a dot).
    from django.contrib.humanize.templatetags.humanize import intcomma
    from django.utils import translation

    with translation.override("vi"):
        assert intcomma(10_000) == "10.000"
    with translation.override("en"):
        assert intcomma(10_000) == "10,000"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's statistics")
def test_the_planner_reads_fine_statistics_of_the_search_keys(db):
    """branches 0011: the search keys' histograms hold 2,000 values, so the planner knows how
    many members a search matches and uses the trigram index for a rare name."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attrelid::regclass::text, attstattarget FROM pg_attribute "
            "WHERE attname = 'search_key' AND attrelid IN "
            "('branches_member'::regclass, 'branches_organization'::regclass)"
        )
        assert dict(cursor.fetchall()) == {"branches_member": 2000, "branches_organization": 2000}


def test_create_member_through_the_form(world, login):
    client = login(world.users["staff"])
    response = client.post(
        reverse("branches:member_create"),
        {
            "full_name": "Hồ Thị Xuân",
            "gender": "female",
            "birth_date": "12/04/1990",
            "card_number": "49019999",
            "join_date": "2015-03-03",
            "official_date": "03/03/2016",
            "status": "full",
            "branch": world.branch_a.pk,
        },
    )
    member = Member.objects.get(card_number="49019999")
    assert response.status_code == 302
    assert member.birth_date == datetime.date(1990, 4, 12) and member.join_date == datetime.date(
        2015, 3, 3
    )
    assert member.memberships.get().branch == world.branch_a


def test_form_error_keeps_what_was_typed(world, login):
    client = login(world.users["staff"])
    response = client.post(
        reverse("branches:member_create"),
        {
            "full_name": "Hồ Thị Xuân",
            "gender": "female",
            "join_date": "31/02/2015",
            "status": "full",
            "branch": world.branch_a.pk,
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Hồ Thị Xuân" in page and "31/02/2015" in page
    assert "Ngày không hợp lệ: hãy ghi dd/mm/yyyy" in page


def test_staff_creates_a_branch_under_the_committee(world, login):
    client = login(world.users["staff"])
    response = client.post(
        reverse("branches:organization_create", args=[world.committee.pk]),
        {
            "name": "Chi bộ thôn Mới",
            "short_name": "",
            "kind": "branch",
            "code": "QS.QP.03",
            "place_name": "Quế Phú",
            "issuer_code": "",
        },
    )
    assert response.status_code == 302
    new = Organization.objects.get(code="QS.QP.03")
    assert Organization.objects.get_parent(new) == world.committee


def test_edit_cannot_create_a_cycle(world, login):
    inner = Organization.objects.get(code="QS.QP")
    client = login(world.users["official"])  # cannot manage at all
    assert client.get(reverse("branches:organization_edit", args=[inner.pk])).status_code == 403


def test_staff_assigns_a_role_with_a_new_account(world, login):
    client = login(world.users["staff"])
    response = client.post(
        reverse("branches:role_assign", args=[world.branch_b.pk]),
        {
            "role": "secretary",
            "username": "bithu.moi",
            "full_name": "Bùi Thị Mới",
            "email": "moi@example.vn",
            "password": "",
        },
    )
    assert response.status_code == 302
    assert world.branch_b.role_assignments.filter(
        user__username="bithu.moi", role="secretary"
    ).exists()


def test_export_members_to_excel_keeps_formulas_as_text(world, login):
    MemberFactory(branch=world.branch_a, full_name='=HYPERLINK("http://x","y")')
    client = login(world.users["staff"])
    response = client.get(reverse("branches:member_list"), {"format": "xlsx", "active": "1"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    import io

    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [c for row in sheet.iter_rows() for c in row if c.value and "HYPERLINK" in str(c.value)]
    assert cells and all(c.data_type == "s" for c in cells)
    assert cells[0].value == '=HYPERLINK("http://x","y")'
    dates = [row[2].value for row in sheet.iter_rows(min_row=2) if row[0].value == "Võ Thị Ánh"]
    assert dates == [datetime.datetime(1980, 1, 1)]


def _bulk_members(branch, count):
    members = []
    for i in range(count):
        m = Member(
            full_name=f"Nguyễn Văn Số {i}",
            gender="male",
            join_date=datetime.date(2000, 1, 1),
            status="full",
            branch=branch,
        )
        m.set_derived_fields()
        members.append(m)
    Member.objects.bulk_create(members)


def _bulk_branches(parent, count):
    orgs = []
    parent.refresh_from_db()
    start = parent.numchild
    for i in range(start, start + count):
        org = Organization(
            name=f"Chi bộ số {i}",
            kind="branch",
            code=f"{parent.code}.B{i}",
            depth=parent.depth + 1,
            path=Organization._get_path(parent.path, parent.depth + 1, i + 1),
        )
        org.set_derived_fields()
        orgs.append(org)
    Organization.objects.bulk_create(orgs)
    Organization.objects.filter(pk=parent.pk).update(numchild=start + count)


def _count_queries(client, url):
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize(
    ("url_name", "grow"),
    [
        ("branches:member_list", lambda w, n: _bulk_members(w.branch_a, n)),
        ("branches:organization_list", lambda w, n: _bulk_branches(w.committee, n)),
        ("branches:role_list", None),
    ],
)
def test_list_pages_use_the_same_number_of_queries_at_10_and_1000_rows(
    world, login, url_name, grow
):
    client = login(world.users["staff"])
    url = reverse(url_name)
    if grow is None:  # roles: grow by assigning many accounts
        from branches.models import RoleAssignment, User

        def grow(w, n):
            users = User.objects.bulk_create(
                [User(username=f"u{len(str(n))}-{i}", full_name=f"U {i}") for i in range(n)]
            )
            RoleAssignment.objects.bulk_create(
                [RoleAssignment(user=u, organization=w.branch_a, role="official") for u in users]
            )

    grow(world, 10)
    small = _count_queries(client, url)
    grow(world, 990)
    large = _count_queries(client, url)
    assert small == large


def test_healthz_up(client, db):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200 and response.json()["database"] == "ok"


def test_healthz_down_when_the_database_does_not_answer(tmp_path):
    """A real server whose database cannot be opened answers 503 (and 200 once it can)."""
    bad = f"sqlite:///{tmp_path}/missing-dir/db.sqlite3"
    with running_server({"DATABASE_URL": bad}) as base_url:
        down = urllib_get(f"{base_url}/healthz")
    assert down[0] == 503
    assert '"status": "error"' in down[1]


def test_login_lock_out_after_repeated_failures(world, client):
    for _ in range(5):
        client.post(reverse("login"), {"username": "staff", "password": "sai"})
    response = client.post(reverse("login"), {"username": "staff", "password": PASSWORD})
    assert response.status_code == 429
    assert "Tạm khóa đăng nhập" in response.content.decode()


def test_login_with_right_password(world, client):
    response = client.post(reverse("login"), {"username": "staff", "password": PASSWORD})
    assert response.status_code == 302


def test_password_reset_by_email(world, client):
    client.post(reverse("password_reset"), {"email": "staff@example.vn"})
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert "Trần Thị Thu Hà" in body
    link = next(line for line in body.splitlines() if "/accounts/password/reset/" in line)
    path = link.split("testserver", 1)[1]
    response = client.get(path, follow=True)
    form_url = response.redirect_chain[-1][0]
    response = client.post(
        form_url, {"new_password1": "Mat-khau-moi-2026", "new_password2": "Mat-khau-moi-2026"}
    )
    assert response.status_code == 302
    client.logout()
    response = client.post(reverse("login"), {"username": "staff", "password": "Mat-khau-moi-2026"})
    assert response.status_code == 302 and response["Location"] == reverse("home")


def test_english_is_available_through_the_switcher(world, login):
    client = login(world.users["staff"])
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("branches:organization_list")).content.decode()
    assert 'lang="en"' in page
    assert "Party organizations" in page


def test_vietnamese_even_when_the_browser_asks_for_english(world, login):
    client = login(world.users["staff"])
    page = client.get(
        reverse("branches:organization_list"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9"
    ).content.decode()
    assert 'lang="vi"' in page and "Tổ chức đảng" in page


def test_member_counts_cover_the_whole_subtree(world, login):
    MemberFactory(branch=world.branch_a)
    from branches.services import member_leave

    leaving = MemberFactory(branch=world.branch_b)
    member_leave(
        actor=administrator(), member=leaving, date=datetime.date.today(), reason="deceased"
    )
    client = login(world.users["official"])
    rows = {
        row["org"].code: row["org"].member_count
        for row in client.get(reverse("branches:organization_list")).context["rows"]
    }
    assert (
        rows["QS.QP.01"] == 2 and rows["QS.QP.02"] == 1 and rows["QS.QP"] == 3 and rows["QS"] == 3
    )


def test_giving_a_role_finds_the_person_and_the_organization_by_typing(world, login):
    client = login(world.users["staff"])
    listing = client.get(reverse("branches:role_list"), {"org_q": "phu loc"})
    assert list(listing.context["organizations"]) == [world.branch_a]
    page = client.get(reverse("branches:role_assign", args=[world.branch_a.pk]), {"q": "tai"})
    assert list(page.context["form"].fields["user"].queryset) == [world.users["secretary_own"]]


def test_the_admin_gives_a_role_with_vietnamese_labels_and_searchable_fields(admin_client):
    page = admin_client.get(reverse("admin:branches_roleassignment_add")).content.decode()
    assert "Tài khoản" in page and "Tổ chức" in page
    assert "related-lookup" not in page  # no pop-up window to look an id up
    assert "admin-autocomplete" in page
