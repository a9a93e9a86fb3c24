"""The tree of party organizations, their members, and who may act on which part of the tree."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from treebeard.mp_tree import MP_Node

from vietnamese.fields import NFCCharField, NFCTextField
from vietnamese.text import fold, person_sort_key


class User(AbstractUser):
    """An account. Vietnamese names do not split into first/last, so one full name is kept."""

    first_name = None
    last_name = None
    full_name = NFCCharField(_("Họ và tên"), max_length=150)
    # An account made with a temporary password (the members' accounts a branch's staff create
    # in bulk) must choose its own at the first log-in (branches.middleware).
    must_change_password = models.BooleanField(_("Phải đổi mật khẩu khi đăng nhập"), default=False)

    REQUIRED_FIELDS = ["email", "full_name"]

    class Meta:
        verbose_name = _("tài khoản")
        verbose_name_plural = _("tài khoản")

    def __str__(self):
        return self.full_name or self.username

    def get_full_name(self):
        return self.full_name or self.username

    def get_short_name(self):
        return self.full_name.rsplit(" ", 1)[-1] if self.full_name else self.username


class Organization(MP_Node):
    """A party organization: a committee (đảng bộ) or a branch (chi bộ, always a leaf).

    The tree is a materialized path (treebeard): a subtree is one indexed `path LIKE 'p%'`.

    The kinds follow the organization in force since 1 July 2025 (local government on two levels,
    docs/rules.md "The organization since 1 July 2025"): the provincial committee; under it its
    block committees (các cơ quan Đảng, Ủy ban nhân dân, Công an, Quân sự) and the commune-level
    committees (xã, phường, đặc khu), both the level directly above the grassroots (Quy định
    298-QĐ/TW for the communes); the grassroots committees (đảng bộ cơ sở) and their partial
    committees (đảng bộ bộ phận); and the branches. A branch directly under a block, provincial
    or pre-2025 upper committee is a chi bộ cơ sở; elsewhere a chi bộ trực thuộc. The pre-2025
    upper kind (districts, the old blocks) stays for history.
    """

    class Kind(models.TextChoices):
        PROVINCE = "province", _("Đảng bộ tỉnh, thành phố")
        BLOCK = "block", _("Đảng bộ trực thuộc Tỉnh ủy (khối, Công an, Quân sự)")
        COMMUNE = "commune", _("Đảng bộ xã, phường, đặc khu")
        GRASSROOTS = "grassroots", _("Đảng bộ cơ sở")
        PARTIAL = "partial", _("Đảng bộ bộ phận")
        BRANCH = "branch", _("Chi bộ")
        UPPER = "upper", _("Đảng bộ cấp trên cơ sở trước 1/7/2025 (huyện, khối)")

    # Which kinds may sit directly under which; None means "may be a root". A grassroots
    # committee may still be a root (a tree that holds one committee alone).
    ALLOWED_PARENTS = {
        Kind.PROVINCE: {None},
        Kind.BLOCK: {Kind.PROVINCE},
        Kind.COMMUNE: {Kind.PROVINCE},
        Kind.GRASSROOTS: {None, Kind.PROVINCE, Kind.BLOCK, Kind.COMMUNE, Kind.UPPER},
        Kind.PARTIAL: {Kind.GRASSROOTS},
        Kind.BRANCH: {
            Kind.PROVINCE,
            Kind.BLOCK,
            Kind.COMMUNE,
            Kind.UPPER,
            Kind.GRASSROOTS,
            Kind.PARTIAL,
        },
        Kind.UPPER: {None, Kind.UPPER},
    }
    # Kinds of before 1 July 2025, kept for the history they hold; offered apart in forms.
    HISTORICAL_KINDS = frozenset({Kind.UPPER})
    # The level directly above the grassroots (cấp trên trực tiếp cơ sở) and above it: a branch
    # directly under one of these is a chi bộ cơ sở, except under a commune-level committee,
    # whose branches are its chi bộ trực thuộc (Quy định 298-QĐ/TW: the đảng ủy xã is the level
    # above "tổ chức cơ sở đảng, chi bộ trực thuộc").
    UPPER_LEVEL_KINDS = frozenset({Kind.PROVINCE, Kind.BLOCK, Kind.COMMUNE, Kind.UPPER})

    name = NFCCharField(_("Tên"), max_length=255)
    short_name = NFCCharField(_("Tên viết tắt"), max_length=100, blank=True)
    kind = models.CharField(_("Loại"), max_length=16, choices=Kind.choices)
    code = models.CharField(
        _("Mã"),
        max_length=40,
        unique=True,
        validators=[
            RegexValidator(
                r"^[A-Za-z0-9][A-Za-z0-9._-]*$",
                _("Mã chỉ gồm chữ không dấu, chữ số, dấu chấm, gạch ngang hoặc gạch dưới."),
            )
        ],
        help_text=_("Mã ổn định, dùng khi nhập/xuất dữ liệu, ví dụ QS.QP.01."),
    )
    place_name = NFCCharField(
        _("Địa danh"),
        max_length=100,
        blank=True,
        help_text=_("Dùng trong dòng ngày tháng của văn bản, ví dụ “Quế Phú”."),
    )
    issuer_code = NFCCharField(
        _("Ký hiệu cơ quan ban hành"),
        max_length=20,
        blank=True,
        help_text=_("Dùng trong số văn bản, ví dụ ĐU, HU, TU."),
    )
    document_name = NFCCharField(
        _("Tên cơ quan trên văn bản"),
        max_length=255,
        blank=True,
        help_text=_("Ví dụ “Đảng ủy xã Quế Phú”, “Huyện ủy Quế Sơn”. Để trống: suy ra từ tên."),
    )
    # Who signs its documents (partydocs.format): a đảng ủy with a standing committee signs
    # "T/M BAN THƯỜNG VỤ", one without "T/M ĐẢNG ỦY". Blank: by kind (an upper or grassroots
    # committee has one, a đảng bộ bộ phận not) — nullable so adding it rewrote no table.
    standing_committee = models.BooleanField(
        _("Có Ban Thường vụ"),
        null=True,
        blank=True,
        help_text=_("Chưa xác định: đảng bộ cơ sở và cấp trên có, đảng bộ bộ phận không."),
    )
    # The advising body that appraises (thẩm định) for the committee and signs the appraisal.
    advising_body = NFCCharField(
        _("Cơ quan tham mưu (ký phiếu thẩm định)"),
        max_length=100,
        null=True,
        blank=True,
        help_text=_("Ví dụ “Văn phòng”, “Ban Xây dựng Đảng”. Để trống: Văn phòng."),
    )
    advising_head = NFCCharField(
        _("Chức danh người đứng đầu cơ quan tham mưu"),
        max_length=100,
        null=True,
        blank=True,
        help_text=_("Ví dụ “Chánh Văn phòng”, “Trưởng ban”. Để trống: Chánh Văn phòng."),
    )
    is_active = models.BooleanField(_("Đang hoạt động"), default=True)
    # Set when the organization was merged into another (branches.reorganization): it is kept,
    # inactive, under its successor, with everything it holds.
    successor = models.ForeignKey(
        "self",
        verbose_name=_("Tổ chức kế thừa"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="predecessors",
    )
    search_key = models.CharField(max_length=400, editable=False, db_index=True)

    history = HistoricalRecords(excluded_fields=["search_key", "numchild"])

    steplen = 4

    class Meta:
        verbose_name = _("tổ chức đảng")
        verbose_name_plural = _("tổ chức đảng")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.set_derived_fields()
        super().save(*args, **kwargs)

    def set_derived_fields(self) -> None:
        """Derived, never edited; bulk inserts call this themselves."""
        self.search_key = fold(f"{self.name} {self.short_name} {self.code}")

    @property
    def is_branch(self) -> bool:
        return self.kind == self.Kind.BRANCH

    @property
    def is_committee(self) -> bool:
        return not self.is_branch

    @property
    def is_upper_level(self) -> bool:
        """The level above the grassroots (tỉnh, khối, xã/phường/đặc khu, a pre-2025 huyện)."""
        return self.kind in self.UPPER_LEVEL_KINDS

    def level_name(self, parent: "Organization | None") -> str:
        """What the organization is in the Party's structure, which for a branch depends on where
        it sits: "Chi bộ cơ sở" directly under a provincial, block or pre-2025 upper committee,
        "Chi bộ trực thuộc" under a commune-level committee or a đảng bộ (cơ sở, bộ phận)."""
        if not self.is_branch:
            return self.get_kind_display()
        if parent is not None and parent.is_upper_level and parent.kind != self.Kind.COMMUNE:
            return str(_("Chi bộ cơ sở"))
        return str(_("Chi bộ trực thuộc"))

    @property
    def issuing_name(self) -> str:
        """The body that issues documents: a committee's executive (Đảng bộ X → Đảng ủy X), or the
        branch itself."""
        if self.document_name:
            return self.document_name
        if self.is_committee and self.name.startswith("Đảng bộ"):
            return "Đảng ủy" + self.name[len("Đảng bộ") :]
        return self.name

    @property
    def has_standing_committee(self) -> bool:
        if self.standing_committee is not None:
            return self.standing_committee and self.is_committee
        return self.kind in (self.Kind.UPPER, self.Kind.GRASSROOTS)

    @property
    def signing_body(self) -> str:
        """The collective its documents are signed for: "Chi bộ", "Ban Thường vụ", "Đảng ủy"."""
        if self.is_branch:
            return "Chi bộ"
        return "Ban Thường vụ" if self.has_standing_committee else "Đảng ủy"

    @property
    def advising_body_name(self) -> str:
        return self.advising_body or "Văn phòng"

    @property
    def advising_head_title(self) -> str:
        return self.advising_head or "Chánh Văn phòng"

    @property
    def parent_path(self) -> str:
        return self.path[: -self.steplen]

    def validate_parent(self, parent: "Organization | None") -> None:
        """Raise ValidationError if this organization may not sit under `parent`. An organization
        merged into another is kept, inactive, under its successor whatever the kinds."""
        if (
            parent is not None
            and not self.is_active
            and self.successor_id is not None
            and self.successor_id == parent.pk
        ):
            return
        allowed = self.ALLOWED_PARENTS[self.Kind(self.kind)]
        if parent is None:
            if None not in allowed:
                raise ValidationError(
                    {
                        "parent": _("%(kind)s phải thuộc một tổ chức cấp trên.")
                        % {"kind": self.get_kind_display()}
                    }
                )
            return
        if parent.is_branch:
            raise ValidationError(
                {"parent": _("Chi bộ là cấp cuối cùng, không thể có tổ chức trực thuộc.")}
            )
        if self.pk and parent.path.startswith(self.path):
            raise ValidationError(
                {
                    "parent": _(
                        "Không thể đặt một tổ chức vào chính nó hoặc vào tổ chức trực thuộc của nó."
                    )
                }
            )
        if parent.kind not in allowed:
            raise ValidationError(
                {
                    "parent": _("%(kind)s không thể trực thuộc %(parent_kind)s.")
                    % {
                        "kind": self.get_kind_display(),
                        "parent_kind": parent.get_kind_display().lower(),
                    }
                }
            )


class Member(models.Model):
    """A party member (đảng viên). `branch` is the current branch, or the last one after leaving."""

    class Gender(models.TextChoices):
        MALE = "male", _("Nam")
        FEMALE = "female", _("Nữ")

    class Status(models.TextChoices):
        FULL = "full", _("Chính thức")
        PROBATIONARY = "probationary", _("Dự bị")

    full_name = NFCCharField(_("Họ và tên"), max_length=150)
    gender = models.CharField(_("Giới tính"), max_length=8, choices=Gender.choices)
    birth_date = models.DateField(_("Ngày sinh"), null=True, blank=True)
    card_number = models.CharField(
        _("Số thẻ đảng viên"),
        max_length=20,
        null=True,
        blank=True,
        unique=True,
        validators=[
            RegexValidator(r"^[0-9A-Za-z.-]+$", _("Số thẻ chỉ gồm chữ số và chữ không dấu."))
        ],
    )
    join_date = models.DateField(_("Ngày vào Đảng"))
    official_date = models.DateField(_("Ngày chính thức"), null=True, blank=True)
    status = models.CharField(
        _("Trạng thái"), max_length=16, choices=Status.choices, default=Status.FULL
    )
    branch = models.ForeignKey(
        Organization,
        verbose_name=_("Chi bộ"),
        on_delete=models.PROTECT,
        related_name="members",
        limit_choices_to={"kind": Organization.Kind.BRANCH},
    )
    is_active = models.BooleanField(_("Đang sinh hoạt"), default=True)
    user = models.OneToOneField(
        User,
        verbose_name=_("Tài khoản"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="member",
    )
    search_key = models.CharField(max_length=400, editable=False, db_index=True)
    sort_key = models.CharField(max_length=255, editable=False, db_index=True)

    history = HistoricalRecords(excluded_fields=["search_key", "sort_key"])

    class Meta:
        verbose_name = _("đảng viên")
        verbose_name_plural = _("đảng viên")
        ordering = ["sort_key", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(official_date__isnull=True)
                | Q(official_date__gte=models.F("join_date")),
                name="member_official_after_join",
                violation_error_message=_("Ngày chính thức không thể trước ngày vào Đảng."),
            ),
        ]

    def __str__(self):
        return self.full_name

    def save(self, *args, **kwargs):
        self.set_derived_fields()
        super().save(*args, **kwargs)

    def set_derived_fields(self) -> None:
        """Derived, never edited; bulk inserts call this themselves."""
        self.search_key = fold(f"{self.full_name} {self.card_number or ''}")
        self.sort_key = person_sort_key(self.full_name)

    def clean(self):
        if self.card_number == "":
            self.card_number = None
        if self.branch_id and self.branch.kind != Organization.Kind.BRANCH:
            raise ValidationError({"branch": _("Đảng viên phải sinh hoạt ở một chi bộ.")})
        if self.status == self.Status.PROBATIONARY and self.official_date:
            raise ValidationError({"official_date": _("Đảng viên dự bị chưa có ngày chính thức.")})
        if self.birth_date and self.join_date and self.join_date <= self.birth_date:
            raise ValidationError({"join_date": _("Ngày vào Đảng phải sau ngày sinh.")})
        if self.official_date and self.join_date and self.official_date < self.join_date:
            raise ValidationError(
                {"official_date": _("Ngày chính thức không thể trước ngày vào Đảng.")}
            )


class MemberCount(models.Model):
    """The number of active members of each branch, kept by database triggers on the member table
    (migration branches 0003), so that a subtree's count is a sum over its branches instead of a
    count of its members (a province has 150,000). Derived data: no form, service or backup writes
    it; any write to members, by any path, changes it in the same transaction."""

    # No foreign key constraint: the row of a deleted branch is harmless, and a raw delete of an
    # organization must not trip over it.
    branch = models.OneToOneField(
        Organization,
        primary_key=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    active = models.IntegerField(default=0)

    class Meta:
        verbose_name = "member count"

    def __str__(self):
        return f"{self.branch_id}: {self.active}"


class Membership(models.Model):
    """A period of a member in a branch. Transfers and leaving close it; nothing is deleted."""

    class EndReason(models.TextChoices):
        TRANSFER = "transfer", _("Chuyển sinh hoạt")
        DECEASED = "deceased", _("Từ trần")
        STRUCK_OFF = "struck_off", _("Xóa tên")
        EXPELLED = "expelled", _("Khai trừ")
        WITHDRAWN = "withdrawn", _("Xin ra khỏi Đảng")
        REORGANIZED = "reorganized", _("Sắp xếp tổ chức (hợp nhất, chia tách)")
        OTHER = "other", _("Khác")

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="memberships")
    branch = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="memberships")
    start_date = models.DateField(_("Từ ngày"))
    end_date = models.DateField(_("Đến ngày"), null=True, blank=True)
    end_reason = models.CharField(_("Lý do"), max_length=16, choices=EndReason.choices, blank=True)
    note = NFCCharField(_("Ghi chú"), max_length=255, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("quá trình sinh hoạt")
        verbose_name_plural = _("quá trình sinh hoạt")
        ordering = ["-start_date", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["member"],
                condition=Q(end_date__isnull=True),
                name="membership_one_open_per_member",
                violation_error_message=_("Đảng viên đang sinh hoạt ở một chi bộ khác."),
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="membership_end_after_start",
                violation_error_message=_("Ngày kết thúc không thể trước ngày bắt đầu."),
            ),
        ]

    def __str__(self):
        return f"{self.member} — {self.branch}"


class Position(models.Model):
    """A position held in an organization (bí thư, phó bí thư, chi ủy viên) for a period."""

    class Title(models.TextChoices):
        SECRETARY = "secretary", _("Bí thư")
        DEPUTY_SECRETARY = "deputy_secretary", _("Phó Bí thư")
        COMMITTEE_MEMBER = "committee_member", _("Cấp ủy viên")

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="positions")
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="positions"
    )
    title = models.CharField(_("Chức vụ"), max_length=24, choices=Title.choices)
    start_date = models.DateField(_("Từ ngày"))
    end_date = models.DateField(_("Đến ngày"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("chức vụ")
        verbose_name_plural = _("chức vụ")
        ordering = ["title", "-start_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization"],
                condition=Q(title="secretary", end_date__isnull=True),
                name="position_one_sitting_secretary",
                violation_error_message=_(
                    "Tổ chức này đang có bí thư; hãy kết thúc nhiệm vụ của bí thư cũ trước."
                ),
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="position_end_after_start",
                violation_error_message=_("Ngày kết thúc không thể trước ngày bắt đầu."),
            ),
        ]

    def __str__(self):
        return f"{self.get_title_display()} {self.organization}: {self.member}"

    @property
    def display_title(self) -> str:
        """ "Bí thư chi bộ", "Phó Bí thư Đảng ủy", "Chi ủy viên" — as written under a signature."""
        if self.title == self.Title.COMMITTEE_MEMBER:
            return _("Chi ủy viên") if self.organization.is_branch else _("Đảng ủy viên")
        body = _("chi bộ") if self.organization.is_branch else _("Đảng ủy")
        return f"{self.get_title_display()} {body}"


class RoleAssignment(models.Model):
    """A role on an organization. It reaches that organization's whole subtree and nothing else."""

    class Role(models.TextChoices):
        STAFF = "staff", _("Cán bộ văn phòng cấp ủy")
        SECRETARY = "secretary", _("Bí thư chi bộ")
        LEADER = "leader", _("Lãnh đạo cấp ủy")
        OFFICIAL = "official", _("Cán bộ theo dõi")

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="role_assignments", verbose_name=_("Tài khoản")
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="role_assignments",
        verbose_name=_("Tổ chức"),
    )
    role = models.CharField(_("Vai trò"), max_length=16, choices=Role.choices)
    created_at = models.DateTimeField(_("Thời điểm phân quyền"), auto_now_add=True)
    created_by = models.ForeignKey(
        User,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("Người phân quyền"),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("phân quyền")
        verbose_name_plural = _("phân quyền")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organization", "role"],
                name="role_assignment_unique",
                violation_error_message=_("Tài khoản này đã có vai trò đó ở tổ chức này."),
            )
        ]

    def __str__(self):
        return f"{self.user} — {self.get_role_display()} — {self.organization}"


class MemberStanding(models.Model):
    """A period in which a member is exempt from party work and meetings, or suspended from party
    activity — kept with the decision that says so. Such a member is not rated (Quy định
    366-QĐ/TW; Hướng dẫn 21-HD/BTCTW: reports.ratings) and not counted in a meeting's attendance
    (Hướng dẫn 12-HD/BTCTW "trừ trường hợp được miễn": reports.meetings), which is why it sits on
    this floor, under both. A member temporarily attached to another branch is still rated at
    their own branch (with the other branch's opinion) and is only noted."""

    class Kind(models.TextChoices):
        EXEMPT = "exempt", _("Miễn công tác và sinh hoạt đảng")
        SUSPENDED = "suspended", _("Đình chỉ sinh hoạt đảng")
        ATTACHED = "attached", _("Sinh hoạt tạm thời nơi khác")

    LEFT_OUT = (Kind.EXEMPT, Kind.SUSPENDED)

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="standings")
    kind = models.CharField(_("Diện"), max_length=12, choices=Kind.choices)
    start_date = models.DateField(_("Từ ngày"))
    end_date = models.DateField(_("Đến ngày"), null=True, blank=True)
    decision = NFCTextField(_("Quyết định (số, ngày, cơ quan)"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    # Moved from reports.ratings (migrations branches 0004 / reports 0017): the tables keep their
    # names, so no row moves.
    history = HistoricalRecords(table_name="reports_historicalmemberstanding")

    class Meta:
        db_table = "reports_memberstanding"
        verbose_name = _("diện không đánh giá của đảng viên")
        verbose_name_plural = _("diện không đánh giá của đảng viên")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="standing_ends_after_start",
            )
        ]

    def __str__(self):
        return f"{self.member} — {self.get_kind_display()}"


class Reorganization(models.Model):
    """A reorganization carried out (branches.reorganization): organizations merged, split,
    renamed or moved, on the date of the decision that ordered it. `summary` is what the preview
    showed and the change did, line by line (language-independent, audit.reasons), and
    `fingerprint` its hash: the confirmation carried it, so what was done is what was shown."""

    class Kind(models.TextChoices):
        MERGE = "merge", _("Hợp nhất, sáp nhập")
        SPLIT = "split", _("Chia tách")
        RENAME = "rename", _("Đổi tên")
        MOVE = "move", _("Chuyển cấp trên")

    kind = models.CharField(_("Hình thức"), max_length=8, choices=Kind.choices)
    effective_date = models.DateField(_("Ngày có hiệu lực"))
    decision = NFCCharField(
        _("Quyết định"),
        max_length=300,
        help_text=_(
            "Số, ngày và cơ quan ban hành, ví dụ: Quyết định số 1234-QĐ/TU ngày 30/6/2025."
        ),
    )
    reason = NFCTextField(_("Ghi chú"), blank=True)
    sources = models.ManyToManyField(
        Organization, verbose_name=_("Tổ chức trước sắp xếp"), related_name="reorganized_from"
    )
    targets = models.ManyToManyField(
        Organization, verbose_name=_("Tổ chức sau sắp xếp"), related_name="reorganized_into"
    )
    summary = models.JSONField(default=list)
    fingerprint = models.CharField(max_length=64)
    performed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    performed_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("sắp xếp tổ chức")
        verbose_name_plural = _("sắp xếp tổ chức")
        ordering = ["-effective_date", "-pk"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.effective_date:%d/%m/%Y}"
