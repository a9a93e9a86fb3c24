"""A synthetic province for performance work: organizations, members, accounts, plans,
registrations, signed pledges, meetings, ratings and reviews, built with bulk inserts.

Every row obeys the rules the services enforce; the expensive parts the services would do one
object at a time are done in bulk, through the same functions where the rule lives:

* the tree is treebeard's materialized path, computed here for the whole province at once
  (``path``, ``depth``, ``numchild``), so ``Organization.objects.find_problems()`` finds nothing;
* a signature holds the canonical JSON and SHA-256 of exactly what ``pledges.selectors.build_content``
  (pledges) or ``reports.reviews.selectors.review_content`` (self-assessments) return for it;
* automatic indicators come from ``reports.reviews.automatic.automatic_value`` over the meetings
  and ratings inserted, and results from ``compute_result`` under the plan's rule set;
* member ratings respect the 20% cap in every grassroots committee, and the branches' quality
  ratings (apart from the model) the cap of the committee that decides them;
* pledge statuses move draft → signed → accepted/returned, as the database triggers require.

The province, in today's shape (since 1 July 2025, the default): a provincial committee → its
commune-level committees (Đảng bộ xã, phường), each issuing a "Chi bộ 4 tốt" plan every year for
its own branches, and its four block committees (cơ quan Đảng, Ủy ban nhân dân, Công an, Quân
sự), each issuing one for the branches of its grassroots committees (some with a partial
committee). Before 1 July 2025 (`structure="pre2025"`, for comparison): a provincial committee →
districts (Đảng bộ huyện, which issue a plan each year for every branch of the district, as
Huyện ủy Phú Riềng did) → grassroots committees (Đảng bộ xã), some with a partial committee →
branches.
Years run up to the current one: past years are closed with final reviews finalized; in the
current year the interim review is under way.
"""

import datetime
import hashlib
import io
import json
import random
import time
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, models, transaction
from django.utils import timezone

from branches.models import Member, Membership, Organization, Position, RoleAssignment, User
from criteria import services as plan_services
from criteria.models import Indicator, Plan
from criteria.rules import HD12, Level, PoolCounts, rules_for_year
from criteria.selectors import criteria_of, target_candidates
from demo.organizations import DEMO_PASSWORD, FAMILY, GIVEN, MIDDLE
from partydocs import signing
from partydocs.models import Signature
from partydocs.signing import canonical_json, content_hash
from pledges.models import DeadlineExtension, Pledge, PledgeCommitment, PledgeTarget, Registration
from pledges.selectors import build_content, target_text
from reports.meetings.models import Attendance, Evidence, Meeting
from reports.meetings.selectors import counts_of, streaks
from reports.ratings.models import MemberRating, OrganizationRating
from reports.reviews.automatic import automatic_value, review_period
from reports.reviews.models import Review, ReviewScore
from reports.reviews.selectors import (
    CriterionBlock,
    ReviewSheet,
    ScoreRow,
    compute_result,
    review_content,
)
from reports.reviews.services import apply_result

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
K = Organization.Kind
SIGN_METHOD = "Mật khẩu, họ tên, xác nhận đồng ý"
USER_AGENT = "Bốn Tốt — dữ liệu tổng hợp"
PLACES = [
    "An",
    "Bình",
    "Hòa",
    "Phú",
    "Tân",
    "Thạnh",
    "Long",
    "Mỹ",
    "Phước",
    "Xuân",
    "Trung",
    "Đông",
    "Tây",
    "Hưng",
    "Thịnh",
    "Lộc",
    "Quang",
    "Vĩnh",
    "Hà",
    "Sơn",
    "Thủy",
    "Lâm",
    "Đức",
    "Hiệp",
    "Thuận",
    "Lợi",
    "Hải",
    "Định",
    "Nghĩa",
    "Cường",
]
BRANCH_KINDS = [
    "Chi bộ thôn {p}",
    "Chi bộ thôn {p}",
    "Chi bộ thôn {p}",
    "Chi bộ khu phố {p}",
    "Chi bộ Trường Tiểu học {c}",
    "Chi bộ Trường THCS {c}",
    "Chi bộ Trạm Y tế {c}",
    "Chi bộ Quân sự {c}",
    "Chi bộ Công an {c}",
]
THEMATIC = [
    "Chuyên đề học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
    "Chuyên đề nâng cao chất lượng sinh hoạt chi bộ",
    "Chuyên đề phòng, chống suy thoái, “tự diễn biến”, “tự chuyển hóa”",
    "Chuyên đề thực hiện quy chế dân chủ ở cơ sở",
]
COMMITMENT = (
    "Chi bộ cam kết lãnh đạo thực hiện đầy đủ các chỉ tiêu của tiêu chí {n}, "
    "phân công đảng viên phụ trách và kiểm tra hằng tháng."
)


TODAY_2025 = "2025"
PRE_2025 = "pre2025"
# The block committees directly under a provincial committee since 2025: name, short name, the
# issuer code of their documents.
BLOCKS = [
    ("Đảng bộ các cơ quan Đảng", "Đảng ủy các cơ quan Đảng", "ĐU"),
    ("Đảng bộ Ủy ban nhân dân", "Đảng ủy Ủy ban nhân dân", "ĐU"),
    ("Đảng bộ Công an", "Đảng ủy Công an", "ĐU"),
    ("Đảng bộ Quân sự", "Đảng ủy Quân sự", "ĐU"),
]


@dataclass(frozen=True)
class ProvinceSpec:
    """The size and shape of the province. Today's shape (the default): `committees`
    commune-level committees (a merged province holds 100–170) and `blocks` grassroots committees
    under the four block committees; before 1 July 2025 (`structure="pre2025"`): `committees`
    grassroots committees under `districts` districts."""

    committees: int = 130
    branches: int = 5000
    members: int = 150_000
    years: int = 1
    seed: int = 1
    code: str = "PV"
    name: str = "Tổng Hợp"
    structure: str = TODAY_2025
    blocks: int | None = (
        None  # today: grassroots committees under the blocks; default 1 per 4 communes
    )
    districts: int | None = None  # before 2025: default one per 60 grassroots committees

    def district_count(self) -> int:
        return self.districts or max(1, round(self.committees / 60))

    def block_count(self) -> int:
        return self.blocks if self.blocks is not None else max(1, round(self.committees / 4))

    def pools(self) -> int:
        """The committees the branches are spread over."""
        return self.committees + (self.block_count() if self.structure == TODAY_2025 else 0)


@dataclass
class Built:
    root: Organization
    counts: dict = field(default_factory=dict)
    timings: dict = field(default_factory=dict)


class _Clock:
    def __init__(self, log):
        self.log, self.start, self.timings = log, time.monotonic(), {}

    def lap(self, name: str) -> None:
        now = time.monotonic()
        self.timings[name] = round(now - self.start, 2)
        self.log(f"  {name}: {self.timings[name]:.1f} s")
        self.start = now


def _at(day: datetime.date, hour: int = 9, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=TZ)


def _insert(model, objects: list, *, copy: bool = True, batch: int = 5000) -> list:
    """Bulk insert. On PostgreSQL through COPY, several times faster than INSERT for millions of
    rows: ids are taken from the table's sequence first (as INSERT would), defaults and
    auto_now_add values filled as the ORM fills them. Elsewhere bulk_create."""
    if not objects:
        return objects
    if not (copy and connection.vendor == "postgresql"):
        return model.objects.bulk_create(objects, batch_size=batch)
    fields = list(model._meta.concrete_fields)
    table = model._meta.db_table
    missing = [obj for obj in objects if obj.pk is None]
    if missing:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [table, model._meta.pk.column, len(missing)],
            )
            for obj, (pk,) in zip(missing, cursor.fetchall(), strict=True):
                obj.pk = pk
    rows = []
    for obj in objects:
        obj._prepare_related_fields_for_save(operation_name="bulk_create")
        row = []
        for f in fields:
            value = f.pre_save(obj, True)  # auto_now_add, file names
            if isinstance(f, models.JSONField):
                value = json.dumps(value, cls=f.encoder)
            elif isinstance(f, models.FileField):
                value = value.name if value else ""
            row.append(value)
        rows.append(row)
        obj._state.adding, obj._state.db = False, connection.alias
    _copy(model, [f.column for f in fields], rows)
    return objects


def _text(value) -> str:
    if value is None:
        return "\\N"
    return (
        str(value)
        .replace("\\", "\\\\")
        .replace("\t", "\\t")
        .replace("\n", "\\n")
        .replace("\r", "\\r")
    )


# Below this many rows, COPY keeps the foreign keys: dropping and adding them back costs more
# than checking each row, and in a province of 130 communes, loaded commune by commune, every
# constraint made again holds a lock until the load commits — thousands of them overflow
# PostgreSQL's lock table (max_locks_per_transaction).
REKEY_ROWS = 20_000


def _copy(model, columns: list[str], rows: list[tuple], *, batch: int = 5000) -> None:
    """Insert plain tuples. On PostgreSQL: COPY — for a large load with the table's foreign keys
    dropped during the load and added back after, which checks them in one pass instead of once
    per row (the method of the PostgreSQL manual's "Populating a Database"). Elsewhere:
    bulk_create."""
    if not rows:
        return
    if connection.vendor != "postgresql":
        model.objects.bulk_create(
            [model(**dict(zip(columns, row, strict=True))) for row in rows], batch_size=batch
        )
        return
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = %s::regclass AND contype = 'f'",
            [table],
        )
        keys = cursor.fetchall() if len(rows) >= REKEY_ROWS else []
        for name, _definition in keys:
            cursor.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
        buffer = io.StringIO()
        for row in rows:
            buffer.write("\t".join(_text(v) for v in row))
            buffer.write("\n")
        buffer.seek(0)
        cursor.cursor.copy_expert(f'COPY "{table}" ({", ".join(columns)}) FROM STDIN', buffer)
        for name, definition in keys:
            cursor.execute(f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}')


def _split(total: int, parts: int, minimum: int, rng: random.Random) -> list[int]:
    """`total` split into `parts` uneven shares of at least `minimum`, adding up exactly."""
    if total < parts * minimum:
        raise ValueError(f"{total} is too few for {parts} parts of at least {minimum}")
    weights = [rng.uniform(0.6, 1.4) for _ in range(parts)]
    rest, scale = total - parts * minimum, sum(weights)
    shares = [minimum + int(rest * w / scale) for w in weights]
    for i in range(total - sum(shares)):
        shares[i % parts] += 1
    return shares


def _person(rng: random.Random) -> tuple[str, str]:
    gender = rng.choice(["male", "female"])
    return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE[gender])} {rng.choice(GIVEN[gender])}", gender


def _place(rng: random.Random, used: set) -> str:
    for _ in range(50):
        name = f"{rng.choice(PLACES)} {rng.choice(PLACES)}"
        if name.split()[0] != name.split()[1] and name not in used:
            used.add(name)
            return name
    name = f"{rng.choice(PLACES)} {len(used) + 1}"
    used.add(name)
    return name


class _Tree:
    """Organizations laid out with their treebeard paths before a single bulk insert."""

    def __init__(self, root_step: int):
        self.nodes: list[Organization] = []
        self.children: dict[str, int] = defaultdict(int)
        self.root_step = root_step

    def add(self, parent: Organization | None, **fields) -> Organization:
        if parent is None:
            path, depth = Organization._get_path(None, 1, self.root_step), 1
        else:
            self.children[parent.path] += 1
            parent.numchild += 1
            depth = parent.depth + 1
            path = Organization._get_path(parent.path, depth, self.children[parent.path])
        node = Organization(path=path, depth=depth, numchild=0, **fields)
        node.set_derived_fields()
        if parent is not None:
            node._cached_parent_obj = parent
        self.nodes.append(node)
        return node


def _next_root_step() -> int:
    last = Organization.objects.get_last_root_node()
    return Organization._str2int(last.path[: Organization.steplen]) + 1 if last else 1


def _within_cap(pool: list, rules, rng=None) -> None:
    """Lower "xuất sắc" decisions of one pool (member or organization ratings) to "tốt", one at
    a time (in a random order when `rng` is given), until the pool is within the rule set's cap."""
    excellent = [r for r in pool if r.decided_level == Level.EXCELLENT]
    if rng is not None:
        rng.shuffle(excellent)
    good = sum(1 for r in pool if r.decided_level == Level.GOOD)
    while (
        excellent
        and not rules.excellent_cap(
            PoolCounts(rated=len(pool), excellent=len(excellent), good=good)
        ).ok
    ):
        rating = excellent.pop()
        rating.proposed_level = rating.decided_level = Level.GOOD
        good += 1


def build(spec: ProvinceSpec, *, today: datetime.date | None = None, log=print) -> Built:
    """Build the province in one transaction; refuse if its code is taken."""
    if Organization.objects.filter(code=spec.code).exists():
        raise ValueError(f"An organization with code {spec.code} already exists.")
    if spec.structure not in (TODAY_2025, PRE_2025):
        raise ValueError(f"Unknown structure {spec.structure!r}: {TODAY_2025} or {PRE_2025}.")
    if spec.branches < spec.pools():
        raise ValueError("Every commune-level and grassroots committee needs at least one branch.")
    clock = time.monotonic()
    with transaction.atomic():
        built = _Builder(spec, today or timezone.localdate(), log).run()
    built.timings["commit"] = round(time.monotonic() - clock - sum(built.timings.values()), 2)
    if connection.vendor == "postgresql":
        # What autovacuum would do later (and never does where it is off, as on this project's
        # machines): fresh statistics, which the planner needs to choose its joins over tables
        # that have just grown a hundredfold, and, outside a transaction (not in the tests), a
        # vacuum that sets the visibility map — without it an index-only scan reads the table
        # too — and the rows' hint bits, which the first readers would otherwise write.
        start = time.monotonic()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)")
        built.timings["analyze"] = round(time.monotonic() - start, 2)
    return built


class _Builder:
    def __init__(self, spec: ProvinceSpec, today: datetime.date, log):
        self.spec, self.today, self.log = spec, today, log
        self.rng = random.Random(spec.seed)
        self.clock = _Clock(log)
        self.years = list(range(today.year - spec.years + 1, today.year + 1))
        self.password = make_password(DEMO_PASSWORD)  # one hash: Argon2 is slow by design
        self.code = spec.code
        self.slug = spec.code.lower()

    # -- organizations and people ----------------------------------------------------------

    def run(self) -> Built:
        if connection.vendor == "postgresql":
            # Foreign keys checked as each statement ends, none left pending: the loads below
            # may then drop and re-add a table's keys (see _copy).
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        self._organizations()
        self.clock.lap("organizations")
        self._accounts_and_members()
        self.clock.lap("members")
        self._plans()
        self.clock.lap("plans")
        self._pledges()
        self.clock.lap("pledges")
        self._meetings()
        self.clock.lap("meetings")
        self._ratings()
        self.clock.lap("ratings")
        self._reviews()
        self.clock.lap("reviews")
        self._quality_ratings()
        self.clock.lap("quality ratings")
        self._close_past_plans()
        built = Built(root=self.root, timings=self.clock.timings)
        built.counts = {
            "organizations": len(self.tree.nodes),
            "districts": len(self.districts),
            "issuers": len(self.issuers),
            "committees": len(self.committees),
            "branches": len(self.branches),
            "members": self.n_members,
            "users": self.n_users,
            "plans": len(self.plans),
            "registrations": self.n_registrations,
            "signatures": self.n_signatures,
            "meetings": self.n_meetings,
            "attendance": self.n_attendance,
            "ratings": self.n_ratings,
            "reviews": self.n_reviews,
            "quality_ratings": self.n_quality,
        }
        return built

    def _organizations(self) -> None:
        """The tree, in today's shape or the one before 1 July 2025 (`spec.structure`). Either
        way each branch knows its `issuing` committee (which issues its plan every year) and its
        `committee` (whose pool its members are rated in and which decides its quality rating),
        and each in `self.issuers` and `self.committees` gets its staff and leader."""
        tree = _Tree(_next_root_step())
        self.used: set[str] = set()
        self.branches, self.committees, self.issuers, self.districts = [], [], [], []
        if self.spec.structure == PRE_2025:
            self._pre_2025(tree)
        else:
            self._today(tree)
        _insert(Organization, tree.nodes, batch=2000)
        self.tree = tree

    def _province(self, tree: _Tree, kind: str) -> None:
        spec = self.spec
        self.root = tree.add(
            None,
            code=self.code,
            name=f"Đảng bộ tỉnh {spec.name}",
            kind=kind,
            place_name=spec.name,
            issuer_code="TU",
            short_name=f"Tỉnh ủy {spec.name}",
            document_name=f"Tỉnh ủy {spec.name}",
        )

    def _branches(self, tree, committee, issuing, count: int, place: str, *, partial=None) -> None:
        """`count` branches under the committee, the first three under its partial committee
        when it has one."""
        for b in range(1, count + 1):
            parent = partial if partial is not None and b <= 3 else committee
            name = self.rng.choice(BRANCH_KINDS).format(p=_place(self.rng, set()), c=place)
            branch = tree.add(
                parent,
                code=f"{committee.code}.{b:02d}",
                name=name,
                kind=K.BRANCH,
                place_name=place,
                issuer_code="CB",
            )
            branch.committee, branch.issuing = committee, issuing
            self.branches.append(branch)

    def _grassroots(self, tree, parent, issuing, index: int, count: int, name: str) -> None:
        """A grassroots committee (one in eight with a partial committee) and its branches."""
        place = _place(self.rng, self.used)
        committee = tree.add(
            parent,
            code=f"{parent.code}.X{index:03d}",
            name=name.format(place=place),
            kind=K.GRASSROOTS,
            place_name=place,
            issuer_code="ĐU",
            short_name=f"Đảng ủy {place}",
        )
        self.committees.append(committee)
        partial = None
        if index % 8 == 0 and count >= 6:
            partial = tree.add(
                committee,
                code=f"{committee.code}.BP1",
                name=f"Đảng bộ bộ phận {place}",
                kind=K.PARTIAL,
                place_name=place,
                issuer_code="ĐU",
            )
        self._branches(tree, committee, issuing, count, place, partial=partial)

    def _today(self, tree: _Tree) -> None:
        """Since 1 July 2025: the provincial committee; the commune-level committees (xã, phường,
        đặc khu) directly under it, each issuing its plan for its own branches and pooling their
        members; and the block committees (Quy định 298-QĐ/TW and the issue's list), each issuing
        one plan for the branches of its grassroots committees."""
        spec, rng = self.spec, self.rng
        self._province(tree, K.PROVINCE)
        blocks = [
            tree.add(
                self.root,
                code=f"{self.code}.K{k}",
                name=f"{name} tỉnh {spec.name}",
                kind=K.BLOCK,
                place_name=spec.name,
                issuer_code=code,
                short_name=f"{short} tỉnh {spec.name}",
            )
            for k, (name, short, code) in enumerate(BLOCKS, start=1)
        ]
        n_block = spec.block_count()
        per_pool = _split(spec.branches, spec.committees + n_block, 1, rng)
        for c in range(1, spec.committees + 1):
            place = _place(rng, self.used)
            kind = "phường" if c % 3 == 0 else "xã"
            commune = tree.add(
                self.root,
                code=f"{self.code}.X{c:03d}",
                name=f"Đảng bộ {kind} {place}",
                kind=K.COMMUNE,
                place_name=place,
                issuer_code="ĐU",
                short_name=f"Đảng ủy {kind} {place}",
            )
            self.issuers.append(commune)
            self.committees.append(commune)
            self._branches(tree, commune, commune, per_pool[c - 1], place)
        per_block = _split(n_block, len(blocks), 0, rng) if n_block else [0] * len(blocks)
        index = spec.committees
        for block, count in zip(blocks, per_block, strict=True):
            if count:
                self.issuers.append(block)
            for _ in range(count):
                index += 1
                self._grassroots(
                    tree, block, block, index, per_pool[index - 1], "Đảng bộ Sở {place}"
                )

    def _pre_2025(self, tree: _Tree) -> None:
        """Before 1 July 2025: the province → districts (each issuing a plan every year for every
        branch of the district, as Huyện ủy Phú Riềng did) → grassroots committees → branches."""
        spec, rng = self.spec, self.rng
        self._province(tree, K.UPPER)
        n_districts = spec.district_count()
        for d in range(1, n_districts + 1):
            place = _place(rng, self.used)
            self.districts.append(
                tree.add(
                    self.root,
                    code=f"{self.code}.H{d:02d}",
                    name=f"Đảng bộ huyện {place}",
                    kind=K.UPPER,
                    place_name=place,
                    issuer_code="HU",
                    short_name=f"Huyện ủy {place}",
                    document_name=f"Huyện ủy {place}",
                )
            )
        self.issuers = list(self.districts)
        per_district = _split(spec.committees, n_districts, 1, rng)
        per_committee = _split(spec.branches, spec.committees, 1, rng)
        index = 0
        for district, n_committees in zip(self.districts, per_district, strict=True):
            for _ in range(n_committees):
                index += 1
                self._grassroots(
                    tree, district, district, index, per_committee[index - 1], "Đảng bộ xã {place}"
                )

    def _user(self, username: str, full_name: str) -> User:
        return User(
            username=username,
            full_name=full_name,
            email=f"{username}@bontot.local",
            password=self.password,
            is_active=True,
        )

    def _accounts_and_members(self) -> None:
        rng, spec = self.rng, self.spec
        first_year = self.years[0]
        users, roles = [], []
        self.official = self._user(f"theodoi.{self.slug}", _person(rng)[0])
        users.append(self.official)
        roles.append((self.official, self.root, RoleAssignment.Role.OFFICIAL))
        self.staff, self.leader = {}, {}
        for org in {o.code: o for o in [*self.issuers, *self.committees]}.values():
            suffix = org.code.lower().replace(".", "-")
            staff = self._user(f"canbo.{suffix}", _person(rng)[0])
            leader = self._user(f"lanhdao.{suffix}", _person(rng)[0])
            official = self._user(f"theodoi.{suffix}", _person(rng)[0])
            self.staff[org.code], self.leader[org.code] = staff, leader
            users += [staff, leader, official]
            roles += [
                (staff, org, RoleAssignment.Role.STAFF),
                (leader, org, RoleAssignment.Role.LEADER),
                (official, org, RoleAssignment.Role.OFFICIAL),
            ]
        # Members, the first three of each branch its sitting committee (full members of long
        # standing), the secretary with an account.
        shares = _split(spec.members, len(self.branches), 4, rng)
        members, self.branch_members = [], defaultdict(list)
        self.secretaries: dict[int, User] = {}
        card = 0
        latest_join = datetime.date(first_year - 1, 6, 30)
        for branch, n in zip(self.branches, shares, strict=True):
            for i in range(n):
                name, gender = _person(rng)
                if i >= 3 and rng.random() < 0.04:  # probationary: joined within the year
                    join = self.today - datetime.timedelta(days=rng.randint(40, 330))
                    official, status = None, Member.Status.PROBATIONARY
                else:
                    top = 2012 if i < 3 else latest_join.year
                    join = datetime.date(
                        rng.randint(1985, top), rng.randint(1, 12), rng.randint(1, 28)
                    )
                    join = min(join, latest_join)
                    official, status = join.replace(year=join.year + 1), Member.Status.FULL
                birth = datetime.date(
                    join.year - rng.randint(20, 38), rng.randint(1, 12), rng.randint(1, 28)
                )
                number = None
                if official is not None:
                    card += 1
                    number = f"{self.code}{card:08d}"
                member = Member(
                    full_name=name,
                    gender=gender,
                    birth_date=birth,
                    join_date=join,
                    official_date=official,
                    status=status,
                    card_number=number,
                    branch=branch,
                )
                member.set_derived_fields()
                member.start = join
                members.append(member)
                self.branch_members[branch.pk].append(member)
            secretary = self.branch_members[branch.pk][0]
            user = self._user(f"bithu.{branch.code.lower().replace('.', '-')}", secretary.full_name)
            users.append(user)
            roles.append((user, branch, RoleAssignment.Role.SECRETARY))
            secretary.account = user
            self.secretaries[branch.pk] = user
        _insert(User, users, batch=2000)
        self.n_users = len(users)
        _insert(
            RoleAssignment,
            [RoleAssignment(user=u, organization=o, role=r) for u, o, r in roles],
        )
        for member in members:
            account = getattr(member, "account", None)
            if account is not None:
                member.user = account
        _insert(Member, members, batch=5000)
        self.n_members = len(members)
        _insert(
            Membership,
            [Membership(member=m, branch=m.branch, start_date=m.start) for m in members],
        )
        titles = [
            Position.Title.SECRETARY,
            Position.Title.DEPUTY_SECRETARY,
            Position.Title.COMMITTEE_MEMBER,
        ]
        start = datetime.date(first_year - 1, 8, 1)
        self.positions = {}
        positions = []
        for branch in self.branches:
            for title, member in zip(titles, self.branch_members[branch.pk][:3], strict=True):
                position = Position(
                    member=member, organization=branch, title=title, start_date=start
                )
                positions.append(position)
                if title == Position.Title.SECRETARY:
                    self.positions[branch.pk] = position
        _insert(Position, positions)

    # -- plans, registrations, pledges -----------------------------------------------------

    def _plans(self) -> None:
        """Each issuing committee (a commune or a block committee today, a district before 1 July
        2025) issues its plan every year, through the plan services (numbering, criteria from
        the standard template, targets, publication)."""
        self.plans = []
        for year in self.years:
            for issuing in self.issuers:
                staff, leader = self.staff[issuing.code], self.leader[issuing.code]
                plan = plan_services.plan_create(
                    actor=staff,
                    issuer=issuing,
                    model=Plan.Model.BRANCH,
                    issue_date=datetime.date(year, 1, 10),
                    start_year=year,
                    end_year=year,
                    title=f"về xây dựng mô hình “Chi bộ 4 tốt” năm {year}",
                    registration_deadline=datetime.date(year, 1, 31),
                    signing_deadline=datetime.date(year, 2, 28),
                    interim_review_deadline=datetime.date(year, 7, 15),
                    final_review_deadline=datetime.date(year, 12, 15),
                    signer_name=leader.full_name,
                    recipients="Ban Thường vụ Tỉnh ủy (b/c)\nCác đảng ủy cơ sở\nCác chi bộ\nLưu Văn phòng cấp ủy",
                )
                plan_services.plan_set_targets(
                    actor=staff, plan=plan, organizations=target_candidates(plan)
                )
                plan_services.plan_publish(actor=staff, plan=plan)
                plan.issuing = issuing
                plan.criteria_list = criteria_of(plan)
                plan.indicators = [i for c in plan.criteria_list for i in c.indicators.all()]
                self.plans.append(plan)

    def _pledges(self) -> None:
        rng = self.rng
        self.n_registrations = self.n_signatures = 0
        pledge_type = ContentType.objects.get_for_model(Pledge)
        self.in_force: dict[tuple[int, int], Pledge] = {}  # (plan, branch) → pledge in force
        for plan in self.plans:
            issuing = plan.issuing
            staff, leader = self.staff[issuing.code], self.leader[issuing.code]
            current = plan.start_year == self.today.year
            branches = [b for b in self.branches if b.issuing is issuing]
            registrations, outcomes = [], []
            for index, branch in enumerate(branches):
                roll = rng.random()
                if current and roll < 0.03:
                    continue  # not registered
                late = roll > 0.985
                registered = (
                    plan.registration_deadline + datetime.timedelta(days=rng.randint(2, 9))
                    if late
                    else plan.issue_date + datetime.timedelta(days=rng.randint(3, 20))
                )
                registrations.append(
                    Registration(
                        plan=plan,
                        organization=branch,
                        year=plan.start_year,
                        registered_at=_at(registered, 8 + index % 9, index % 60),
                        registered_by=staff if late else self.secretaries[branch.pk],
                        late_reason="Chi bộ đại hội chậm, Văn phòng nhận đăng ký muộn."
                        if late
                        else "",
                    )
                )
                if not current:
                    outcomes.append("accepted")
                else:
                    r = rng.random()
                    outcomes.append(
                        "draft"
                        if r < 0.06
                        else "returned"
                        if r < 0.09
                        else "signed"
                        if r < 0.22
                        else "accepted"
                    )
            _insert(Registration, registrations)
            self.n_registrations += len(registrations)
            pledges = []
            for registration in registrations:
                pledge = Pledge(
                    registration=registration, version=1, created_by=registration.registered_by
                )
                pledges.append(pledge)
            _insert(Pledge, pledges)
            targets, commitments = [], []
            for pledge in pledges:
                pledge._prefetched_objects_cache = {
                    "targets": self._targets(plan, pledge),
                    "commitments": [
                        PledgeCommitment(
                            pledge=pledge, criterion=c, text=COMMITMENT.format(n=c.order)
                        )
                        for c in plan.criteria_list
                    ],
                }
                targets += pledge._prefetched_objects_cache["targets"]
                commitments += pledge._prefetched_objects_cache["commitments"]
            _insert(PledgeTarget, targets)
            _insert(PledgeCommitment, commitments)
            # Signatures over exactly the content build_content gives for each pledge.
            signatures, signed, accepted, returned, amended = [], [], [], [], []
            extensions = []
            for registration, pledge, outcome in zip(registrations, pledges, outcomes, strict=True):
                branch = registration.organization
                if outcome == "draft":
                    # Half of the late signers were given more time by the issuing office.
                    if rng.random() < 0.5:
                        extensions.append(
                            DeadlineExtension(
                                plan=plan,
                                organization=branch,
                                kind=DeadlineExtension.Kind.SIGNING,
                                until=self.today + datetime.timedelta(days=20),
                                reason="Chi bộ mới kiện toàn bí thư, gia hạn ký cam kết.",
                                granted_by=staff,
                            )
                        )
                    continue
                pledge.registration = registration
                registration.plan = plan
                day = min(
                    plan.signing_deadline,
                    registration.registered_at.date() + datetime.timedelta(days=rng.randint(3, 25)),
                )
                signed_at = _at(day, 8 + rng.randint(0, 8), rng.randint(0, 59))
                secretary = self.secretaries[branch.pk]
                content = build_content(
                    pledge,
                    signer_name=secretary.full_name,
                    signer_position=str(self.positions[branch.pk].display_title),
                    day=day,
                    criteria=plan.criteria_list,
                )
                canonical = canonical_json(content)
                digest = content_hash(canonical)
                signatures.append(
                    self._signature(
                        pledge_type,
                        pledge,
                        Signature.Role.SIGNER,
                        secretary,
                        content["signer"]["position"],
                        signed_at,
                        canonical,
                        digest,
                    )
                )
                signed.append(pledge.pk)
                if outcome == "accepted":
                    accepted.append(pledge.pk)
                    signatures.append(
                        self._signature(
                            pledge_type,
                            pledge,
                            Signature.Role.COUNTERSIGNER,
                            leader,
                            "Lãnh đạo cấp ủy",
                            signed_at + datetime.timedelta(days=2),
                            canonical,
                            digest,
                        )
                    )
                    self.in_force[(plan.pk, branch.pk)] = pledge
                elif outcome == "returned":
                    returned.append(pledge)
                else:
                    self.in_force[(plan.pk, branch.pk)] = pledge
            signing.record_many(signatures, insert=_insert)
            _insert(DeadlineExtension, extensions)
            self.n_signatures += len(signatures)
            # The statuses move as the triggers allow: draft → signed → accepted / returned.
            Pledge.objects.filter(pk__in=signed).update(status=Pledge.Status.SIGNED)
            Pledge.objects.filter(pk__in=accepted).update(status=Pledge.Status.ACCEPTED)
            if returned:
                Pledge.objects.filter(pk__in=[p.pk for p in returned]).update(
                    status=Pledge.Status.RETURNED,
                    return_reason="Chỉ tiêu 1.2 chưa sát nhiệm vụ chính trị của địa phương; đề nghị chi bộ xây dựng lại.",
                    returned_at=_at(plan.signing_deadline, 15),
                    returned_by=leader,
                )
                # The amendment: a new draft version copying the returned targets.
                for pledge in returned:
                    amended.append(
                        Pledge(
                            registration=pledge.registration,
                            version=2,
                            created_by=self.secretaries[pledge.registration.organization_id],
                        )
                    )
                _insert(Pledge, amended)
                _insert(
                    PledgeTarget,
                    [
                        PledgeTarget(
                            pledge=new,
                            indicator=t.indicator,
                            value_yes=t.value_yes,
                            value_number=t.value_number,
                            note=t.note,
                        )
                        for old, new in zip(returned, amended, strict=True)
                        for t in old._prefetched_objects_cache["targets"]
                    ],
                )
                _insert(
                    PledgeCommitment,
                    [
                        PledgeCommitment(pledge=new, criterion=c.criterion, text=c.text)
                        for old, new in zip(returned, amended, strict=True)
                        for c in old._prefetched_objects_cache["commitments"]
                    ],
                )
            if signed:
                plan_services.plan_lock_criteria(plan=plan)
            plan.registration_list = registrations

    def _targets(self, plan: Plan, pledge: Pledge) -> list[PledgeTarget]:
        """The plan's suggested targets, as a first draft starts from (a value for every
        indicator, so the pledge can be signed)."""
        targets = []
        for indicator in plan.indicators:
            yes = indicator.target_kind == Indicator.TargetKind.YES_NO
            number = None
            if not yes:
                number = indicator.default_target
                if number is None:
                    number = (
                        Decimal(100)
                        if indicator.target_kind == Indicator.TargetKind.PERCENT
                        else Decimal(1)
                    )
            targets.append(
                PledgeTarget(
                    pledge=pledge,
                    indicator=indicator,
                    value_yes=True if yes else None,
                    value_number=number,
                )
            )
        return targets

    def _signature(
        self, content_type, document, role, user, position, at, canonical, digest, sequence=1
    ) -> Signature:
        """A signature over `canonical`, made as `partydocs.signing.prepared` makes them (the
        bulk writer `record_many` checks `digest` against the content again)."""
        signature = signing.prepared(
            signing.Signable(
                document=document,
                role=role,
                position=position,
                canonical=canonical,
                sequence=sequence,
            ),
            user=user,
            signed_at=at,
            ip_address=f"10.{self.rng.randint(1, 254)}.{self.rng.randint(0, 254)}.{self.rng.randint(1, 254)}",
            user_agent=USER_AGENT,
            method=SIGN_METHOD,
        )
        assert signature.content_hash == digest and signature.content_type_id == content_type.pk
        return signature

    # -- the year: meetings, ratings, reviews ----------------------------------------------

    def _minutes(self, committee: Organization, year: int) -> tuple[str, str, str]:
        """One stored minutes book per grassroots committee and year (the meetings of its
        branches point at it): name, original name, SHA-256."""
        content = (
            f"Sổ biên bản sinh hoạt các chi bộ thuộc {committee.name} năm {year} "
            "(dữ liệu tổng hợp)."
        ).encode()
        name = default_storage.save(f"minutes/{committee.pk}/{year}.txt", ContentFile(content))
        return name, f"bien-ban-{year}.txt", hashlib.sha256(content).hexdigest()

    def _meetings(self) -> None:
        rng = self.rng
        self.n_meetings = self.n_attendance = 0
        self.meetings: dict[tuple[int, int], list[Meeting]] = {}
        for year in self.years:
            minutes = {c.pk: self._minutes(c, year) for c in self.committees}
            meetings = []
            for branch in self.branches:
                schedule = []
                for month in range(1, 13):
                    day = datetime.date(year, month, rng.randint(3, 8))
                    schedule.append(
                        (
                            day,
                            Meeting.Kind.REGULAR,
                            f"Sinh hoạt chi bộ thường kỳ tháng {month}: đánh giá nhiệm vụ tháng, "
                            "triển khai nhiệm vụ tháng sau",
                        )
                    )
                    if month % 3 == 0:
                        schedule.append(
                            (
                                datetime.date(year, month, rng.randint(18, 25)),
                                Meeting.Kind.THEMATIC,
                                THEMATIC[month // 3 - 1],
                            )
                        )
                branch_meetings = []
                for day, kind, topic in schedule:
                    if day > self.today:
                        continue
                    weak = rng.random() < 0.1
                    name, original, sha = minutes[branch.committee.pk]
                    keeps_minutes = not (weak and rng.random() < 0.3)
                    meeting = Meeting(
                        branch=branch,
                        date=day,
                        kind=kind,
                        topic=topic,
                        duration_minutes=rng.choice([75, 80])
                        if weak and rng.random() < 0.5
                        else rng.choice([90, 100, 120, 150]),
                        minutes=name if keeps_minutes else "",
                        minutes_name=original if keeps_minutes else "",
                        minutes_sha256=sha if keeps_minutes else "",
                        created_by=self.secretaries[branch.pk],
                    )
                    meeting.weak = weak
                    branch_meetings.append(meeting)
                meetings += branch_meetings
                self.meetings[(branch.pk, year)] = branch_meetings
            _insert(Meeting, meetings, batch=5000)
            self.n_meetings += len(meetings)
            rows = []
            for meeting in meetings:
                present = excused = unexcused = 0
                meeting.statuses = []  # for the excused absences in a row, as the pages count
                for member in self.branch_members[meeting.branch_id]:
                    if member.start > meeting.date:
                        continue
                    roll = rng.random()
                    if roll < (0.80 if meeting.weak else 0.95):
                        status = "present"
                        present += 1
                    elif meeting.weak and roll > 0.97:
                        status = "unexcused"
                        unexcused += 1
                    else:
                        status = "excused"
                        excused += 1
                    rows.append((meeting.pk, member.pk, status))
                    meeting.statuses.append((member.pk, member.full_name, status))
                # As with_attendance_counts annotates them, for the automatic indicators.
                meeting.members = present + excused + unexcused
                meeting.present, meeting.excused, meeting.unexcused = present, excused, unexcused
            _copy(Attendance, ["meeting_id", "member_id", "status"], rows)
            self.n_attendance += len(rows)

    def _ratings(self) -> None:
        """Past years are rated (self, branch proposal, committee decision), within the 20% cap
        of each grassroots committee's pool."""
        rng = self.rng
        self.n_ratings = 0
        self.levels: dict[tuple[int, int], list[str]] = {}
        for year in self.years:
            if year == self.today.year:
                continue  # rated in December, after the year's work
            rules = rules_for_year(year)
            ratings = []
            by_committee = defaultdict(list)
            for branch in self.branches:
                quality = rng.uniform(0.0, 1.0)
                for member in self.branch_members[branch.pk]:
                    if member.start > datetime.date(year, 12, 31):
                        continue
                    roll = rng.random()
                    level = (
                        Level.EXCELLENT
                        if roll < 0.10 + 0.08 * quality
                        else Level.GOOD
                        if roll < 0.86
                        else Level.COMPLETED
                        if roll < 0.985
                        else Level.FAILED
                    )
                    rating = MemberRating(
                        member=member,
                        branch=branch,
                        year=year,
                        self_level=level,
                        proposed_level=level,
                        decided_level=level,
                    )
                    ratings.append(rating)
                    by_committee[branch.committee.pk].append(rating)
            for pool in by_committee.values():
                _within_cap(pool, rules, rng)
            _insert(MemberRating, ratings)
            self.n_ratings += len(ratings)
            for rating in ratings:
                self.levels.setdefault((rating.branch_id, year), []).append(rating.level)

    def _quality_ratings(self) -> None:
        """Past years: each branch's quality rating (366 / 132), apart from the model: an
        appraisal on the year's frame with its own score, the level the rule set allows for it,
        decided by the branch's committee within the cap of that committee's pool."""
        rng = self.rng
        self.n_quality = 0
        Subject = OrganizationRating.Subject
        for year in self.years:
            if year == self.today.year:
                continue
            rules = rules_for_year(year)
            frame = rules.frames[Subject.ORGANIZATION]
            rows, by_committee = [], defaultdict(list)
            for branch in self.branches:
                score = Decimal(rng.randint(72, 97))
                exceeding = Decimal(rng.choice(["0.10", "0.20", "0.30", "0.40"]))
                rating = OrganizationRating(
                    organization=branch,
                    year=year,
                    subject=Subject.ORGANIZATION,
                    score=score,
                    self_score=score,
                    exceeding_share=exceeding,
                    decided_by=self.leader[branch.committee.code],
                    decided_at=_at(datetime.date(year + 1, 1, 15), 9),
                    decision=f"Quyết định xếp loại chất lượng tổ chức đảng năm {year}",
                )
                rating.parts = rating.self_parts = {
                    part.code: str(score * part.points / frame.total) for part in frame.parts
                }
                level = Level(rules.rate_collective(rating.facts()).level)
                rating.self_level = rating.proposed_level = rating.decided_level = level
                rows.append(rating)
                by_committee[branch.committee.pk].append(rating)
            if rules.caps_collectives:
                for pool in by_committee.values():
                    _within_cap(pool, rules)
            _insert(OrganizationRating, rows)
            self.n_quality += len(rows)

    def _reviews(self) -> None:
        """Past years: the interim review assessed and the final review finalized. The current
        year: interim reviews drafted, submitted or assessed."""
        self.n_reviews = 0
        review_type = ContentType.objects.get_for_model(Review)
        for plan in self.plans:
            current = plan.start_year == self.today.year
            rounds = (
                [Review.Round.INTERIM] if current else [Review.Round.INTERIM, Review.Round.FINAL]
            )
            for round in rounds:
                self._review_round(plan, round, current, review_type)

    def _review_round(self, plan: Plan, round: str, current: bool, review_type) -> None:
        rng = self.rng
        year = plan.start_year
        issuing = plan.issuing
        staff, leader = self.staff[issuing.code], self.leader[issuing.code]
        start, end = review_period(plan, year, round)
        deadline = plan.deadline_for_year(f"{round}_review_deadline", year)
        opened = []
        for registration in plan.registration_list:
            pledge = self.in_force.get((plan.pk, registration.organization_id))
            if pledge is None:
                continue
            roll = rng.random()
            stage = (
                "finalized"
                if round == Review.Round.FINAL
                else "assessed"
                if not current or roll > 0.35
                else "submitted"
                if roll > 0.1
                else "draft"
            )
            review = Review(
                registration=registration,
                year=year,
                round=round,
                status=Review.Status.DRAFT,
            )
            review.stage, review.pledge = stage, pledge
            opened.append(review)
        self.n_reviews += len(opened)
        scores, evidence, links, signatures = [], [], [], []
        for review in opened:
            review.scores_list = {
                i.pk: ReviewScore(review=review, indicator=i) for i in plan.indicators
            }
            if review.stage == "draft":
                continue
            branch = review.registration.organization
            secretary = self.secretaries[branch.pk]
            quality = rng.uniform(0.72, 0.99)
            # Signed in the days before the deadline; the automatic values are what the meeting
            # log held on that day.
            day = max(start, min(deadline, end) - datetime.timedelta(days=rng.randint(0, 5)))
            meetings = [
                m for m in self.meetings.get((branch.pk, year), []) if start <= m.date <= day
            ]
            ordered = sorted(meetings, key=lambda m: (m.date, m.pk))
            # Excused absences in a row are counted from 1 January, over the regular meetings.
            year_meetings = sorted(
                (
                    m
                    for m in self.meetings.get((branch.pk, year), [])
                    if m.date <= day and m.kind in Meeting.REGULAR_KINDS
                ),
                key=lambda m: (m.date, m.pk),
            )
            absences = streaks(
                [(m.pk, *status) for m in year_meetings for status in m.statuses],
                HD12.excused_in_a_row,
            )
            counts = counts_of(ordered, start, end, HD12, absences)
            # At an interim review the year's ratings do not exist yet.
            levels = self.levels.get((branch.pk, year), []) if round == Review.Round.FINAL else []
            targets = {
                t.indicator_id: t for t in review.pledge._prefetched_objects_cache["targets"]
            }
            blocks = []
            for criterion in plan.criteria_list:
                rows = []
                for indicator in criterion.indicators.all():
                    score = review.scores_list[indicator.pk]
                    target = targets.get(indicator.pk)
                    auto = automatic_value(
                        indicator,
                        organization=branch,
                        plan=plan,
                        year=year,
                        round=round,
                        target=target.value_number if target else indicator.default_target,
                        counts=counts,
                        levels=levels,
                    )
                    share = Decimal(str(min(1.0, quality + rng.uniform(-0.05, 0.05))))
                    value = (indicator.points * share).quantize(Decimal("0.25"))
                    if auto is not None:
                        score.achieved_number, score.auto_note = auto.achieved, auto.note
                        if auto.suggested_score is not None:
                            value = auto.suggested_score
                    elif indicator.target_kind == Indicator.TargetKind.YES_NO:
                        score.achieved_yes = share > Decimal("0.8")
                    elif target is not None and target.value_number is not None:
                        score.achieved_number = (
                            target.value_number * min(Decimal(1), share + Decimal("0.05"))
                        ).quantize(Decimal("0.01"))
                    score.self_score = min(value, indicator.points)
                    row_evidence = []
                    if indicator.evidence_required:
                        item = Evidence(
                            registration=review.registration,
                            indicator=indicator,
                            year=year,
                            uploaded_by=secretary,
                            note=f"Nghị quyết, biên bản của chi bộ lưu tại sổ nghị quyết "
                            f"(chỉ tiêu {criterion.order}.{indicator.order}, {review.get_round_display().lower()} {year}).",
                        )
                        evidence.append(item)
                        links.append((score, item))
                        row_evidence.append(item)
                    rows.append(
                        ScoreRow(
                            score=score,
                            indicator=indicator,
                            code=f"{criterion.order}.{indicator.order}",
                            target=target,
                            target_text=target_text(indicator, target) if target else "",
                            auto=auto,
                            evidence=row_evidence,
                        )
                    )
                blocks.append(CriterionBlock(criterion=criterion, rows=rows))
            sheet = ReviewSheet(
                review=review,
                plan=plan,
                organization=branch,
                blocks=blocks,
                period=(start, end),
                pledge=review.pledge,
            )
            review.sheet = sheet
            position = str(self.positions[branch.pk].display_title)
            content = review_content(
                sheet, signer_name=secretary.full_name, signer_position=position, day=day
            )
            canonical = canonical_json(content)
            signatures.append(
                (review, secretary, position, _at(day, 10), canonical, content_hash(canonical))
            )
            review.status = Review.Status.SUBMITTED
            review.self_total = Decimal(content["self_total"])
            if review.stage in ("assessed", "finalized"):
                delta = rng.choice([Decimal(0), Decimal("0.25"), Decimal("0.5")])
                for row in sheet.rows:
                    row.score.assessed_score = max(Decimal(0), row.score.self_score - delta)
                review.status = Review.Status.ASSESSED
                review.assessed_by, review.assessed_at = (
                    staff,
                    _at(day + datetime.timedelta(days=5), 14),
                )
                review.revision = 1
            if review.stage == "finalized":
                apply_result(review, sheet, compute_result(sheet))
                review.finalized_by = leader
                review.finalized_at = _at(day + datetime.timedelta(days=10), 16)
        # Every row is final before the one insert of each table.
        _insert(Review, opened)
        for review in opened:
            scores += review.scores_list.values()
        _insert(ReviewScore, scores)
        _insert(Evidence, evidence, batch=5000)
        through = ReviewScore.evidence.through
        _copy(
            through,
            ["reviewscore_id", "evidence_id"],
            [(score.pk, item.pk) for score, item in links],
        )
        signing.record_many(
            [
                self._signature(review_type, review, Signature.Role.SIGNER, *rest)
                for review, *rest in signatures
            ],
            insert=_insert,
        )

    def _close_past_plans(self) -> None:
        for plan in self.plans:
            if plan.start_year < self.today.year:
                plan_services.plan_close(actor=self.staff[plan.issuing.code], plan=plan)
