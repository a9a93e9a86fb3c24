from dataclasses import dataclass

import pytest
from django.db import connection

from branches.models import Member, Organization, RoleAssignment, User
from tests.factories import MemberFactory, UserFactory, give_role, make_org, staff

Role = RoleAssignment.Role
PASSWORD = "mat-khau-thu"


@dataclass
class World:
    """A district with one commune committee (two branches) and a second, unrelated commune.

    "secretary_other" is the secretary of the other commune's branch: an outsider to everything
    of the first commune."""

    district: Organization
    committee: Organization
    branch_a: Organization
    branch_b: Organization
    other_committee: Organization
    other_branch: Organization
    member_a: Member
    member_b: Member
    users: dict[str, User | None]


@pytest.fixture
def world(db) -> World:
    district = make_org(
        None,
        "QS",
        "Đảng bộ huyện Quế Sơn",
        Organization.Kind.UPPER,
        issuer_code="HU",
        place_name="Quế Sơn",
    )
    committee = make_org(district, "QS.QP", "Đảng bộ xã Quế Phú", Organization.Kind.GRASSROOTS)
    branch_a = make_org(committee, "QS.QP.01", "Chi bộ thôn Phú Lộc")
    branch_b = make_org(committee, "QS.QP.02", "Chi bộ thôn Hương Mao")
    other_committee = make_org(
        district, "QS.QM", "Đảng bộ xã Quế Minh", Organization.Kind.GRASSROOTS
    )
    other_branch = make_org(other_committee, "QS.QM.01", "Chi bộ thôn Một")
    users = {
        "staff": UserFactory(username="staff", full_name="Trần Thị Thu Hà"),
        "secretary_own": UserFactory(username="secretary_own", full_name="Phạm Văn Tài"),
        "secretary_other": UserFactory(username="secretary_other", full_name="Lê Thị Nhung"),
        "leader": UserFactory(username="leader", full_name="Nguyễn Văn Định"),
        "official": UserFactory(username="official", full_name="Lương Văn Thịnh"),
        "anonymous": None,
    }
    give_role(users["staff"], committee, Role.STAFF)
    give_role(users["secretary_own"], branch_a, Role.SECRETARY)
    give_role(users["secretary_other"], other_branch, Role.SECRETARY)
    give_role(users["leader"], committee, Role.LEADER)
    give_role(users["official"], district, Role.OFFICIAL)
    return World(
        district=district,
        committee=committee,
        branch_a=branch_a,
        branch_b=branch_b,
        other_committee=other_committee,
        other_branch=other_branch,
        member_a=MemberFactory(branch=branch_a, full_name="Võ Thị Ánh", card_number="49010001"),
        member_b=MemberFactory(branch=branch_b, full_name="Đỗ Văn Bình", card_number="49020001"),
        users=users,
    )


@pytest.fixture(autouse=True)
def _interface_language():
    """Every test starts in the default language: a request made in English activates English in
    the thread (LocaleMiddleware), which must not carry over into the next test."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _empty_cache():
    """The rate-limit counters live in the cache: every test starts with none, so one test's
    downloads never count against the next one's. The cached figures too: a test's rollback
    brings back the data version an earlier test's figures were stored under."""
    from django.core.cache import caches

    from caching.figures import clear_local

    for cache in caches.all(initialized_only=False):
        cache.clear()
    clear_local()


@pytest.fixture(autouse=True)
def _data_versions_follow_each_statement(request):
    """On PostgreSQL the data-version triggers fire at COMMIT, and a test's transaction never
    commits: make them fire at each writing statement instead, as the deployed app sees after
    each commit. Tests on real commits (transactional_db, server processes) keep them deferred."""
    if "db" not in request.fixturenames or "transactional_db" in request.fixturenames:
        return
    request.getfixturevalue("db")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SET CONSTRAINTS bontot_data_version, bontot_data_version_members,"
                " bontot_data_version_summary, bontot_unit_version IMMEDIATE"
            )


def client_for(client, user):
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def login(client):
    """login(user) -> a test client logged in as that user (or anonymous for None)."""
    return lambda user: client_for(client, user)


def pytest_collection_modifyitems(config, items):
    """Tests marked `postgres` (row locks, triggers, real concurrency) run only on PostgreSQL."""
    if connection.vendor == "postgresql":
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL: run with DATABASE_URL=postgres://…")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def plan(world):
    """Quế Phú's plan 98-KH/ĐU of 31/7/2023, a draft from the standard template."""
    import datetime

    from criteria import services

    return services.plan_create(
        actor=world.users["staff"],
        issuer=world.committee,
        model="branch",
        issue_date=datetime.date(2023, 7, 31),
        sequence=98,
        start_year=2023,
        end_year=2023,
        registration_deadline=datetime.date(2023, 8, 15),
        signing_deadline=datetime.date(2023, 8, 31),
        interim_review_deadline=datetime.date(2023, 10, 31),
        final_review_deadline=datetime.date(2023, 12, 15),
        signer_name="Nguyễn Văn Định",
        recipients="Ban Thường vụ Huyện ủy Quế Sơn (b/c)\nLưu Văn phòng Đảng ủy",
    )


@pytest.fixture(scope="session", autouse=True)
def seal_certificate():
    """The self-signed sealing certificate, made once for the whole run by the real command."""
    from django.conf import settings
    from django.core.management import call_command

    if not settings.BONTOT_SEAL_CERT.exists():
        call_command("create_seal_certificate", "--if-missing")
    return settings.BONTOT_SEAL_CERT


@pytest.fixture
def live_plan(world):
    """A published plan of the commune committee whose deadlines are still ahead."""
    import datetime

    from django.utils import timezone

    from criteria import services

    today = timezone.localdate()
    plan = services.plan_create(
        actor=world.users["staff"],
        issuer=world.committee,
        model="branch",
        issue_date=today - datetime.timedelta(days=10),
        start_year=today.year,
        end_year=today.year,
        registration_deadline=today + datetime.timedelta(days=10),
        signing_deadline=today + datetime.timedelta(days=20),
        final_review_deadline=today + datetime.timedelta(days=60),
        signer_name="Nguyễn Văn Định",
    )
    services.plan_publish(actor=staff(), plan=plan)
    return plan


@pytest.fixture
def sign_data():
    """sign_data(client, pledge, **overrides) -> the POST a secretary's browser sends to sign."""
    from django.urls import reverse

    def build(client, pledge, url_name="pledges:pledge_sign", **overrides):
        page = client.get(reverse(url_name, args=[pledge.pk]))
        data = {
            "content_hash": page.context["content_hash"],
            "full_name": "Phạm Văn Tài",
            "password": PASSWORD,
            "consent": "on",
            "drawing": "",
        }
        data.update(overrides)
        return data

    return build


def sign_pledge_directly(world, registration, now=None):
    """Sign the registration's pledge as its secretary (the service, without the web form)."""
    from partydocs.signing import Evidence, Signer
    from pledges import services

    pledge = registration.pledges.get(status="draft")
    user = world.users["secretary_own"]
    day = now.date() if now else None
    return services.pledge_sign(
        signer=Signer(user=user, password=PASSWORD, full_name=user.full_name, consent=True),
        evidence=Evidence.at_address("10.0.0.1", "test"),
        pledge=pledge,
        seen_hash=services.preview_content(pledge, user, day)[1],
        now=now,
    )


@pytest.fixture
def signed_registration(world, live_plan):
    """Branch A registered for the live plan, its pledge signed."""
    from pledges import services

    registration = services.registration_register(
        actor=world.users["secretary_own"], plan=live_plan, organization=world.branch_a
    )
    sign_pledge_directly(world, registration)
    return registration


@pytest.fixture
def pdf_upload():
    """pdf_upload(name) -> a small real PDF as an uploaded file."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from weasyprint import HTML

    data = HTML(string="<p>Biên bản sinh hoạt chi bộ</p>").write_pdf()
    return lambda name="bien-ban.pdf": SimpleUploadedFile(
        name, data, content_type="application/pdf"
    )
