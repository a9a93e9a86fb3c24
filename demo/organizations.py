"""Demo organizations, members and accounts from the two committees in the seed articles.

Organization names follow the articles; every person is invented (fixed random seed, so a rerun
gives the same people). Loading twice changes nothing.
"""

import datetime
import random
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from branches import services
from branches.models import Member, Organization, Position, RoleAssignment, User

DEMO_PASSWORD = "BonTot@2026"

FAMILY = (
    ["Nguyễn"] * 8
    + ["Trần"] * 4
    + ["Lê"] * 3
    + ["Phạm"] * 2
    + [
        "Huỳnh",
        "Hoàng",
        "Phan",
        "Vũ",
        "Võ",
        "Đặng",
        "Bùi",
        "Đỗ",
        "Hồ",
        "Ngô",
        "Dương",
        "Đoàn",
        "Trương",
        "Đinh",
        "Lương",
        "Tô",
    ]
)
MIDDLE = {
    "male": [
        "Văn",
        "Văn",
        "Đức",
        "Minh",
        "Quang",
        "Hữu",
        "Công",
        "Ngọc",
        "Xuân",
        "Thanh",
        "Trọng",
        "Viết",
    ],
    "female": ["Thị", "Thị", "Thị", "Ngọc", "Thu", "Thanh", "Kim", "Minh", "Hồng", "Mỹ"],
}
GIVEN = {
    "male": [
        "An",
        "Bình",
        "Cường",
        "Dũng",
        "Đạt",
        "Hải",
        "Hùng",
        "Huy",
        "Khoa",
        "Lâm",
        "Long",
        "Nam",
        "Phong",
        "Phúc",
        "Quân",
        "Sơn",
        "Tài",
        "Thắng",
        "Thành",
        "Trung",
        "Tuấn",
        "Việt",
        "Vinh",
        "Ân",
        "Định",
        "Khánh",
    ],
    "female": [
        "Anh",
        "Chi",
        "Dung",
        "Giang",
        "Hà",
        "Hạnh",
        "Hằng",
        "Hoa",
        "Hương",
        "Lan",
        "Linh",
        "Mai",
        "Nga",
        "Ngân",
        "Nhung",
        "Oanh",
        "Phương",
        "Quyên",
        "Thảo",
        "Trang",
        "Tuyết",
        "Vân",
        "Yến",
        "Ánh",
    ],
}


@dataclass(frozen=True)
class OrgSpec:
    code: str
    name: str
    kind: str
    parent: str | None
    place_name: str = ""
    issuer_code: str = ""
    short_name: str = ""
    members: int = 0
    document_name: str = ""


K = Organization.Kind
QUE_PHU_BRANCHES = [
    "Chi bộ thôn Phú Lộc",
    "Chi bộ thôn Hương Mao",
    "Chi bộ thôn Phước Hà",
    "Chi bộ thôn An Xuân",
    "Chi bộ thôn Trung Phú",
    "Chi bộ thôn Đại Phú",
    "Chi bộ thôn Phú Mỹ",
    "Chi bộ thôn Lộc Thượng",
    "Chi bộ thôn Tân Phú",
    "Chi bộ Quân sự xã",
    "Chi bộ Công an xã",
    "Chi bộ Trường Tiểu học Quế Phú",
    "Chi bộ Trường THCS Quế Phú",
    "Chi bộ Trạm Y tế xã",
    "Chi bộ Cơ quan Đảng – Chính quyền – Mặt trận",
]
QUE_PHU_SIZES = [32, 28, 24, 30, 26, 22, 19, 21, 17, 9, 8, 12, 14, 7, 18]
VINH_PHUC_BRANCHES = [
    ("Chi bộ Tổng hợp", "TH", 17),  # + the demo secretary's own record = 18
    ("Chi bộ Tài chính – Kế toán", "TCKT", 12),
    ("Chi bộ Hành chính – Lưu trữ", "HCLT", 14),
    ("Chi bộ Cơ yếu – Công nghệ thông tin", "CY-CNTT", 13),
    ("Chi bộ Quản trị", "QT", 10),
    ("Chi bộ Nhà khách Đầm Vạc", "NKDV", 11),
]

ORGANIZATIONS = [
    OrgSpec(
        "QS",
        "Đảng bộ huyện Quế Sơn",
        K.UPPER,
        None,
        "Quế Sơn",
        "HU",
        "Huyện ủy Quế Sơn",
        document_name="Huyện ủy Quế Sơn",
    ),
    OrgSpec(
        "QS.QP", "Đảng bộ xã Quế Phú", K.GRASSROOTS, "QS", "Quế Phú", "ĐU", "Đảng ủy xã Quế Phú"
    ),
    *[
        OrgSpec(f"QS.QP.{i:02d}", name, K.BRANCH, "QS.QP", "Quế Phú", "CB", members=size)
        for i, (name, size) in enumerate(zip(QUE_PHU_BRANCHES, QUE_PHU_SIZES, strict=True), start=1)
    ],
    OrgSpec(
        "VP",
        "Đảng bộ Khối các cơ quan tỉnh Vĩnh Phúc",
        K.UPPER,
        None,
        "Vĩnh Phúc",
        "ĐUK",
        "Đảng ủy Khối các cơ quan tỉnh",
    ),
    OrgSpec(
        "VP.VPTU",
        "Đảng bộ Văn phòng Tỉnh ủy Vĩnh Phúc",
        K.GRASSROOTS,
        "VP",
        "Vĩnh Phúc",
        "ĐU",
        "Đảng ủy Văn phòng Tỉnh ủy",
    ),
    *[
        OrgSpec(
            f"VP.VPTU.{i:02d}", name, K.BRANCH, "VP.VPTU", "Vĩnh Phúc", "CB", short, members=size
        )
        for i, (name, short, size) in enumerate(VINH_PHUC_BRANCHES, start=1)
    ],
]

# username, full name, role, organization code, (member of branch code, position title) or None
ACCOUNTS = [
    ("theodoi.queson", "Lương Văn Thịnh", RoleAssignment.Role.OFFICIAL, "QS", None),
    ("canbo.quephu", "Trần Thị Thu Hà", RoleAssignment.Role.STAFF, "QS.QP", None),
    ("lanhdao.quephu", "Nguyễn Văn Định", RoleAssignment.Role.LEADER, "QS.QP", None),
    (
        "bithu.quephu01",
        "Phạm Văn Tài",
        RoleAssignment.Role.SECRETARY,
        "QS.QP.01",
        ("QS.QP.01", Position.Title.SECRETARY),
    ),
    (
        "bithu.quephu02",
        "Lê Thị Hồng Nhung",
        RoleAssignment.Role.SECRETARY,
        "QS.QP.02",
        ("QS.QP.02", Position.Title.SECRETARY),
    ),
    ("theodoi.vinhphuc", "Hoàng Minh Khánh", RoleAssignment.Role.OFFICIAL, "VP", None),
    ("canbo.vpvp", "Đỗ Thị Lan Anh", RoleAssignment.Role.STAFF, "VP.VPTU", None),
    ("lanhdao.vpvp", "Vũ Quang Trung", RoleAssignment.Role.LEADER, "VP.VPTU", None),
    (
        "bithu.tonghop",
        "Tô Trọng Hiếu",
        RoleAssignment.Role.SECRETARY,
        "VP.VPTU.01",
        ("VP.VPTU.01", Position.Title.SECRETARY),
    ),
]


def person(rng: random.Random) -> tuple[str, str]:
    gender = rng.choice(["male", "female"])
    return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE[gender])} {rng.choice(GIVEN[gender])}", gender


# Vĩnh Phúc's members are those rated for 2022 (demo/year.py): admitted at least six months
# before the end of 2022, as the regulation asks of anyone rated (docs/rules.md).
RATED_IN_2022_JOINED_BY = datetime.date(2022, 6, 30)


def _dates(
    rng: random.Random, today: datetime.date, joined_by: datetime.date | None = None
) -> tuple[datetime.date, datetime.date, datetime.date | None]:
    birth = datetime.date(rng.randint(1958, 2000), rng.randint(1, 12), rng.randint(1, 28))
    join_year = min(birth.year + rng.randint(20, 38), today.year)
    join = datetime.date(join_year, rng.randint(1, 12), rng.randint(1, 28))
    if join >= today:
        join = today - datetime.timedelta(days=rng.randint(30, 300))
    if joined_by is not None and join > joined_by:
        join = max(
            joined_by - datetime.timedelta(days=rng.randint(0, 2000)),
            datetime.date(birth.year + 18, birth.month, birth.day),
        )
    official = (
        join.replace(year=join.year + 1) if join.replace(year=join.year + 1) <= today else None
    )
    return birth, join, official


def _ensure_organizations(admin: User) -> dict[str, Organization]:
    by_code = {
        o.code: o for o in Organization.objects.filter(code__in=[s.code for s in ORGANIZATIONS])
    }
    for spec in ORGANIZATIONS:
        if spec.code in by_code:
            continue
        by_code[spec.code] = services.organization_create(
            actor=admin,
            parent=by_code[spec.parent] if spec.parent else None,
            code=spec.code,
            name=spec.name,
            kind=spec.kind,
            place_name=spec.place_name,
            issuer_code=spec.issuer_code,
            short_name=spec.short_name,
            document_name=spec.document_name,
        )
    return by_code


def _ensure_members(
    admin: User, organizations: dict[str, Organization], today: datetime.date
) -> None:
    for spec in ORGANIZATIONS:
        branch = organizations[spec.code]
        if not spec.members or branch.members.exists():
            continue
        rng = random.Random(spec.code)
        prefix = "49" if spec.code.startswith("QS") else "26"
        branch_number = int(spec.code.rsplit(".", 1)[1])
        for index in range(spec.members):
            name, gender = person(rng)
            birth, join, official = _dates(
                rng, today, RATED_IN_2022_JOINED_BY if spec.code.startswith("VP.") else None
            )
            has_card = official is not None and rng.random() > 0.08
            services.member_create(
                actor=admin,
                branch=branch,
                start_date=max(join, datetime.date(2015, 1, 1)),
                full_name=name,
                gender=gender,
                birth_date=birth,
                join_date=join,
                official_date=official,
                status=Member.Status.FULL if official else Member.Status.PROBATIONARY,
                card_number=f"{prefix}{branch_number:02d}{index + 1:04d}" if has_card else None,
            )


def _ensure_branch_committees(admin: User, organizations: dict[str, Organization]) -> None:
    """Every branch gets a sitting secretary, deputy and committee member from its own members."""
    titles = [
        Position.Title.SECRETARY,
        Position.Title.DEPUTY_SECRETARY,
        Position.Title.COMMITTEE_MEMBER,
    ]
    for spec in ORGANIZATIONS:
        if spec.kind != K.BRANCH:
            continue
        branch = organizations[spec.code]
        held = set(
            Position.objects.filter(organization=branch, end_date__isnull=True).values_list(
                "title", flat=True
            )
        )
        candidates = iter(
            branch.members.filter(is_active=True, status=Member.Status.FULL)
            .exclude(pk__in=Position.objects.filter(end_date__isnull=True).values("member"))
            .order_by("join_date", "id")
        )
        for title in titles:
            if title in held:
                continue
            member = next(candidates, None)
            if member is None:
                break
            services.position_assign(
                actor=admin,
                member=member,
                organization=branch,
                title=title,
                start_date=datetime.date(2020, 8, 1),
            )


def _demo_password(user: User) -> None:
    """Every demo account shares the one published demo password, which the password rules
    would refuse for a real account (it resembles the demo's addresses, bontot.local)."""
    user.set_password(DEMO_PASSWORD)
    user.save(update_fields=["password"])


def _administrator() -> User:
    """The demo's system administrator, who creates the organizations, members and accounts
    through the services as an administrator would."""
    admin, _created = User.objects.get_or_create(
        username="admin", defaults={"full_name": "Quản trị hệ thống", "email": "admin@bontot.local"}
    )
    admin.is_staff = admin.is_superuser = True
    admin.set_password(DEMO_PASSWORD)
    admin.save()
    return admin


def _ensure_accounts(admin: User, organizations: dict[str, Organization]) -> list[dict]:
    rows = []
    rows.append(
        {"username": "admin", "role": "Quản trị hệ thống (Django admin)", "organization": "—"}
    )
    for username, full_name, role, org_code, member_spec in ACCOUNTS:
        organization = organizations[org_code]
        user = User.objects.filter(username=username).first()
        if user is None:
            user = services.user_create(
                actor=admin,
                username=username,
                full_name=full_name,
                email=f"{username}@bontot.local",
                password=None,
            )
        _demo_password(user)
        if not RoleAssignment.objects.filter(
            user=user, organization=organization, role=role
        ).exists():
            services.role_assign(actor=admin, user=user, organization=organization, role=role)
        if member_spec and not hasattr(user, "member"):
            branch = organizations[member_spec[0]]
            _make_account_holder_secretary(admin, user, branch, member_spec[1])
        rows.append(
            {
                "username": username,
                "role": RoleAssignment.Role(role).label,
                "organization": organization.name,
            }
        )
    return rows


def _make_account_holder_secretary(
    admin: User, user: User, branch: Organization, title: str
) -> None:
    """The demo secretary is a member of the branch holding the secretary position."""
    member = services.member_create(
        actor=admin,
        branch=branch,
        start_date=datetime.date(2015, 1, 1),
        full_name=user.full_name,
        gender="female" if " Thị " in f" {user.full_name} " else "male",
        birth_date=datetime.date(1978, 4, 12),
        join_date=datetime.date(2004, 5, 19),
        official_date=datetime.date(2005, 5, 19),
        status=Member.Status.FULL,
    )
    member.user = user
    member.save(update_fields=["user"])
    services.position_assign(
        actor=admin,
        member=member,
        organization=branch,
        title=title,
        start_date=datetime.date(2020, 8, 1),
    )


def _ensure_secretary_accounts(admin: User, organizations: dict[str, Organization]) -> None:
    """Every other branch's sitting secretary gets an account too (bithu.quephu03 …, bithu.vpvp02 …),
    so each branch can sign its pledge."""
    for spec in ORGANIZATIONS:
        if spec.kind != K.BRANCH:
            continue
        branch = organizations[spec.code]
        if RoleAssignment.objects.filter(
            organization=branch, role=RoleAssignment.Role.SECRETARY
        ).exists():
            continue
        position = (
            Position.objects.filter(
                organization=branch, title=Position.Title.SECRETARY, end_date__isnull=True
            )
            .select_related("member")
            .first()
        )
        if position is None:
            continue
        prefix = "quephu" if spec.code.startswith("QS") else "vpvp"
        username = f"bithu.{prefix}{spec.code.rsplit('.', 1)[1]}"
        user = services.user_create(
            actor=admin,
            username=username,
            full_name=position.member.full_name,
            email=f"{username}@bontot.local",
            password=None,
            member=position.member,
        )
        _demo_password(user)
        services.role_assign(
            actor=admin, user=user, organization=branch, role=RoleAssignment.Role.SECRETARY
        )


@transaction.atomic
def _ensure_member_accounts(admin: User, organizations: dict[str, Organization]) -> None:
    """Every member of every demo branch has an account of their own (dv.…), made as a
    committee's staff make them (`member_accounts_create`), then given the demo password in
    place of the temporary one (one hash for all: the demo loads in seconds). Chi bộ Tổng hợp
    first, so its members keep the names the README gives (dv.<name>.01)."""
    from django.contrib.auth.hashers import make_password

    branches = sorted(
        (o for o in organizations.values() if o.is_branch),
        key=lambda o: (o.code != "VP.VPTU.01", o.code),
    )
    made = []
    for branch in branches:
        made += [
            user.pk for _m, user, _p in services.member_accounts_create(actor=admin, branch=branch)
        ]
    if made:
        User.objects.filter(pk__in=made).update(
            password=make_password(DEMO_PASSWORD), must_change_password=False
        )


def load() -> list[dict]:
    """Create what is missing; return the demo log-ins."""
    today = timezone.localdate()
    admin = _administrator()
    organizations = _ensure_organizations(admin)
    _ensure_members(admin, organizations, today)
    logins = _ensure_accounts(admin, organizations)
    _ensure_branch_committees(admin, organizations)
    _ensure_secretary_accounts(admin, organizations)
    _ensure_member_accounts(admin, organizations)
    logins.append(
        {
            "username": "dv.dinhhuutrung.01",
            "role": "Đảng viên (và 16 đồng chí khác: dv.….01)",
            "organization": "Chi bộ Tổng hợp",
        }
    )
    return logins
