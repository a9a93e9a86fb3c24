"""Plans (kế hoạch) with their four criteria and scored indicators."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from branches.models import Organization
from criteria.rules import (
    DEFAULT_RULE_SET,
    RULE_SET_CHOICES,
    Level,
    MeetingRules,
    rules_for_year,
)
from partydocs.numbering import NumberedDocument
from vietnamese.fields import NFCCharField, NFCTextField
from vietnamese.numbers import number

POINTS = {"max_digits": 5, "decimal_places": 1, "validators": [MinValueValidator(Decimal(0))]}

OrgKind = Organization.Kind
# Who issues a "4 tốt" plan: a committee with a standing committee — the provincial committee,
# a block or commune-level committee, a grassroots committee, or (for history) a pre-2025
# district or block. A partial committee and a branch do not issue plans [reading: they have no
# standing committee].
ISSUER_KINDS = frozenset(
    {OrgKind.PROVINCE, OrgKind.BLOCK, OrgKind.COMMUNE, OrgKind.GRASSROOTS, OrgKind.UPPER}
)
# Who registers: branches (chi bộ cơ sở or trực thuộc) for "Chi bộ 4 tốt"; for "Đảng bộ 4 tốt"
# the committees that hold branches — commune-level, grassroots and partial committees.
TARGET_KINDS = {
    "branch": frozenset({OrgKind.BRANCH}),
    "committee": frozenset({OrgKind.COMMUNE, OrgKind.GRASSROOTS, OrgKind.PARTIAL}),
}


def issuer_kind_error(issuer: Organization) -> str:
    return _("%(name)s (%(kind)s) không ban hành kế hoạch: kế hoạch do một cấp ủy ban hành.") % {
        "name": issuer.name,
        "kind": issuer.get_kind_display().lower(),
    }


class Plan(NumberedDocument):
    """A committee's plan for the model: number, dates, criteria, targets, recognition rule."""

    KIND_CODE = "KH"

    class Model(models.TextChoices):
        BRANCH = "branch", _("Chi bộ bốn tốt")
        COMMITTEE = "committee", _("Đảng bộ cơ sở bốn tốt")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Dự thảo")
        PUBLISHED = "published", _("Đã ban hành")
        CLOSED = "closed", _("Đã kết thúc")

    title = NFCCharField(
        _("Trích yếu"),
        max_length=300,
        help_text=_("Ví dụ: về xây dựng mô hình “Chi bộ bốn tốt” năm 2023."),
    )
    model = models.CharField(
        _("Mô hình"), max_length=16, choices=Model.choices, default=Model.BRANCH
    )
    start_year = models.PositiveSmallIntegerField(_("Từ năm"))
    end_year = models.PositiveSmallIntegerField(
        _("Đến năm"), help_text=_("Bằng năm bắt đầu nếu kế hoạch một năm.")
    )
    purpose = NFCTextField(_("Mục đích, yêu cầu"), blank=True)
    implementation = NFCTextField(_("Tổ chức thực hiện"), blank=True)
    registration_deadline = models.DateField(_("Hạn đăng ký"))
    signing_deadline = models.DateField(_("Hạn ký cam kết"))
    interim_review_deadline = models.DateField(_("Hạn sơ kết"), null=True, blank=True)
    # The counted criteria of a good regular meeting (Hướng dẫn 12-HD/BTCTW's framework, which
    # provinces tighten; 120 minutes for a combined meeting: Hướng dẫn 42-HD/BTCTW of 2025).
    meeting_attendance_above = models.DecimalField(
        _("Sinh hoạt đạt chất lượng: tỷ lệ dự họp trên (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(85),
        validators=[MinValueValidator(Decimal(50)), MaxValueValidator(Decimal(100))],
    )
    meeting_min_minutes = models.PositiveSmallIntegerField(
        _("Sinh hoạt thường kỳ: thời gian tối thiểu (phút)"),
        default=90,
        validators=[MinValueValidator(30), MaxValueValidator(600)],
    )
    meeting_combined_min_minutes = models.PositiveSmallIntegerField(
        _("Thường kỳ kết hợp chuyên đề: thời gian tối thiểu (phút)"),
        default=120,
        validators=[MinValueValidator(30), MaxValueValidator(600)],
    )
    meeting_excused_in_a_row = models.PositiveSmallIntegerField(
        _("Số kỳ vắng có lý do liên tiếp tối đa của một đảng viên"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    interim_pro_rata = models.BooleanField(
        _("Sơ kết: mức cam kết về số kỳ sinh hoạt tính theo số tháng đã qua"),
        default=False,
        help_text=_(
            "Ví dụ: cam kết 12 kỳ thường kỳ trong năm, sơ kết đến 30/6 thì tính trên 6 kỳ. Bỏ chọn: sơ kết so với mức cả năm."
        ),
    )
    final_review_deadline = models.DateField(_("Hạn tổng kết"))
    total_points = models.DecimalField(_("Tổng điểm"), default=Decimal(100), **POINTS)
    pass_total = models.DecimalField(
        _("Điểm tối thiểu để đạt mô hình"),
        default=Decimal(80),
        **POINTS,
        help_text=_("Tổng điểm phải đạt từ mức này trở lên."),
    )
    # Who may be recognized as outstanding (tiêu biểu) under this plan: a collective that reached
    # the model and is rated at least this level; a member rated at least this level by the
    # committee (Hướng dẫn 06-HD/TW mục 19.2: members "hoàn thành xuất sắc nhiệm vụ").
    outstanding_collective_level = models.CharField(
        _("Tập thể tiêu biểu: xếp loại chất lượng từ mức"),
        max_length=16,
        choices=Level.choices,
        default=Level.GOOD,
    )
    outstanding_member_level = models.CharField(
        _("Cá nhân tiêu biểu: xếp loại chất lượng từ mức"),
        max_length=16,
        choices=Level.choices,
        default=Level.EXCELLENT,
    )
    # Whether the model depends on the quality rating (DESIGN.md: a plan may make it so; the
    # rating never comes from the model's score). Blank / off: the model stands on its points.
    model_min_level = models.CharField(
        _("Đạt mô hình chỉ khi xếp loại chất lượng từ mức"),
        max_length=16,
        choices=Level.choices,
        blank=True,
        help_text=_("Để trống: kết quả mô hình không phụ thuộc xếp loại chất lượng."),
    )
    model_no_disciplined_member = models.BooleanField(
        _("Đạt mô hình chỉ khi không có đảng viên bị kỷ luật trong năm"), default=False
    )
    # No longer read: the quality rating of a year follows the regulation in force for that year
    # (criteria.rules.rules_for_year), whatever the plan. Kept so plans issued before keep what
    # they recorded.
    rule_set = models.CharField(
        _("Quy định xếp loại"),
        max_length=16,
        choices=RULE_SET_CHOICES,
        default=DEFAULT_RULE_SET,
        editable=False,
    )
    signer_on_behalf = NFCCharField(_("Thay mặt"), max_length=100, default="T/M BAN THƯỜNG VỤ")
    signer_title = NFCCharField(_("Chức vụ người ký"), max_length=100, default="BÍ THƯ")
    signer_name = NFCCharField(_("Người ký"), max_length=150, blank=True)
    recipients = NFCTextField(
        _("Nơi nhận"),
        blank=True,
        help_text=_("Mỗi dòng một nơi nhận, ví dụ: Ban Thường vụ Huyện ủy (b/c)."),
    )
    targets = models.ManyToManyField(
        Organization, verbose_name=_("Tổ chức thực hiện"), related_name="target_plans", blank=True
    )
    status = models.CharField(
        _("Trạng thái"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(null=True, blank=True, editable=False)
    criteria_locked_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text=_("Từ khi có bản cam kết đầu tiên được ký."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(m2m_fields=[targets])

    class Meta:
        verbose_name = _("kế hoạch")
        verbose_name_plural = _("kế hoạch")
        ordering = ["-issue_date", "-sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "term", "sequence"],
                name="plan_number_unique",
                violation_error_message=_("Số kế hoạch này đã được dùng trong nhiệm kỳ."),
            ),
            models.CheckConstraint(
                condition=Q(end_year__gte=F("start_year")),
                name="plan_years_ordered",
                violation_error_message=_("Năm kết thúc không thể trước năm bắt đầu."),
            ),
            models.CheckConstraint(
                condition=Q(pass_total__lte=F("total_points")),
                name="plan_pass_within_total",
                violation_error_message=_("Điểm tối thiểu không thể lớn hơn tổng điểm."),
            ),
        ]

    def __str__(self):
        return f"{self.number} {self.title}"

    @property
    def model_name(self) -> str:
        return self.get_model_display()

    @property
    def years(self) -> list[int]:
        return list(range(self.start_year, self.end_year + 1))

    @property
    def period_label(self) -> str:
        return (
            str(self.start_year)
            if self.start_year == self.end_year
            else f"{self.start_year}–{self.end_year}"
        )

    def year_of(self, day) -> int:
        """The plan's year a day falls in: its own year within the plan's years, the first one
        before the plan starts, the last one after it ends."""
        return min(max(day.year, self.start_year), self.end_year)

    def deadline_for_year(self, field: str, year: int):
        """A phase plan repeats its review deadlines every year: the deadline of `field` for the
        review of `year` is the plan's date moved by as many years (29 February → 28)."""
        deadline = getattr(self, field)
        if deadline is None:
            return None
        shifted = deadline.year + (year - self.start_year)
        try:
            return deadline.replace(year=shifted)
        except ValueError:
            return deadline.replace(year=shifted, day=28)

    @property
    def meeting_rules(self):
        """The counted criteria of a good regular meeting under this plan (criteria.rules)."""
        return MeetingRules.of(self)

    @property
    def criteria_locked(self) -> bool:
        return self.criteria_locked_at is not None

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED

    @property
    def rules_by_year(self) -> list[tuple[str, object]]:
        """The regulation each of the plan's years is rated under, runs of years merged:
        [("2022", Rules132), ("2023–2024", Rules124), ("2025", Rules366)]."""
        runs: list[tuple[list[int], object]] = []
        for year in self.years:
            rules = rules_for_year(year)
            if runs and runs[-1][1] is rules:
                runs[-1][0].append(year)
            else:
                runs.append(([year], rules))
        return [(str(ys[0]) if len(ys) == 1 else f"{ys[0]}–{ys[-1]}", rules) for ys, rules in runs]

    @property
    def quality_regulation(self) -> str:
        """The regulations of the quality rating, as the plan's page and document cite them."""
        runs = self.rules_by_year
        if len(runs) == 1:
            return str(runs[0][1].regulation)
        return "quy định có hiệu lực cho từng năm đánh giá: " + "; ".join(
            f"năm {years} — {rules.regulation}" for years, rules in runs
        )

    @property
    def target_kinds(self) -> frozenset[str]:
        """The kinds of organization that register for this plan's model."""
        return TARGET_KINDS[self.model]

    def clean(self):
        errors = {}
        if self.issue_date:
            for field in [
                "registration_deadline",
                "signing_deadline",
                "interim_review_deadline",
                "final_review_deadline",
            ]:
                value = getattr(self, field)
                if value and value < self.issue_date:
                    errors[field] = _(
                        "Hạn này không thể trước ngày ban hành kế hoạch (%(date)s)."
                    ) % {"date": self.issue_date.strftime("%d/%m/%Y")}
            if self.start_year and self.start_year < self.issue_date.year - 1:
                errors["start_year"] = _("Năm bắt đầu quá xa trước ngày ban hành.")
        if (
            self.registration_deadline
            and self.signing_deadline
            and self.signing_deadline < self.registration_deadline
        ):
            errors.setdefault("signing_deadline", _("Hạn ký cam kết không thể trước hạn đăng ký."))
        if (
            self.interim_review_deadline
            and self.final_review_deadline
            and self.final_review_deadline < self.interim_review_deadline
        ):
            errors.setdefault(
                "final_review_deadline", _("Hạn tổng kết không thể trước hạn sơ kết.")
            )
        if (
            self.signing_deadline
            and self.final_review_deadline
            and self.final_review_deadline < self.signing_deadline
        ):
            errors.setdefault(
                "final_review_deadline", _("Hạn tổng kết không thể trước hạn ký cam kết.")
            )
        if self.start_year and self.end_year and self.end_year < self.start_year:
            errors["end_year"] = _("Năm kết thúc không thể trước năm bắt đầu.")
        if (
            self.pass_total is not None
            and self.total_points is not None
            and self.pass_total > self.total_points
        ):
            errors["pass_total"] = _("Điểm tối thiểu không thể lớn hơn tổng điểm.")
        if self.issuer_id and self.issuer.kind not in ISSUER_KINDS:
            errors["issuer"] = issuer_kind_error(self.issuer)
        if errors:
            raise ValidationError(errors)


class Criterion(models.Model):
    """One of the four goods, with its points and the minimum it needs for recognition."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="criteria")
    order = models.PositiveSmallIntegerField(_("Thứ tự"))
    name = NFCCharField(_("Tên tiêu chí"), max_length=300)
    description = NFCTextField(_("Nội dung"), blank=True)
    points = models.DecimalField(_("Điểm"), **POINTS)
    min_points = models.DecimalField(
        _("Điểm tối thiểu"),
        default=Decimal(0),
        **POINTS,
        help_text=_("Tiêu chí phải đạt từ mức này trở lên để đạt mô hình."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("tiêu chí")
        verbose_name_plural = _("tiêu chí")
        ordering = ["plan", "order"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "order"], name="criterion_order_unique"),
            models.CheckConstraint(
                condition=Q(min_points__lte=F("points")),
                name="criterion_min_within_points",
                violation_error_message=_("Điểm tối thiểu không thể lớn hơn điểm của tiêu chí."),
            ),
        ]

    def __str__(self):
        return f"{self.order}. {self.name}"

    def clean(self):
        if (
            self.min_points is not None
            and self.points is not None
            and self.min_points > self.points
        ):
            raise ValidationError(
                {"min_points": _("Điểm tối thiểu không thể lớn hơn điểm của tiêu chí.")}
            )


class Indicator(models.Model):
    """A scored item under a criterion, with the kind of target a branch pledges for it."""

    class TargetKind(models.TextChoices):
        YES_NO = "yes_no", _("Có/Không")
        NUMBER = "number", _("Số lượng")
        PERCENT = "percent", _("Tỷ lệ (%)")

    class AutoSource(models.TextChoices):
        NONE = "", _("Không — chi bộ tự chấm")
        REGULAR_MEETINGS = "regular_meetings", _("Số kỳ sinh hoạt thường kỳ (sổ sinh hoạt)")
        THEMATIC_MEETINGS = "thematic_meetings", _("Số kỳ sinh hoạt chuyên đề (sổ sinh hoạt)")
        MEETING_QUALITY = "meeting_quality", _("Tỷ lệ kỳ sinh hoạt đạt chất lượng (sổ sinh hoạt)")
        RESOLUTIONS_FOLLOWED = (
            "resolutions_followed",
            _("Tỷ lệ nghị quyết kỳ trước được kiểm điểm kết quả thực hiện (sổ nghị quyết)"),
        )
        MEMBERS_COMPLETED = (
            "members_completed",
            _("Tỷ lệ đảng viên hoàn thành nhiệm vụ trở lên (xếp loại)"),
        )
        MEMBERS_GOOD = (
            "members_good",
            _("Tỷ lệ đảng viên hoàn thành tốt nhiệm vụ trở lên (xếp loại)"),
        )

    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="indicators")
    order = models.PositiveSmallIntegerField(_("Thứ tự"))
    text = NFCTextField(_("Chỉ tiêu"))
    points = models.DecimalField(_("Điểm"), **POINTS)
    guide = NFCTextField(_("Hướng dẫn chấm"), blank=True)
    target_kind = models.CharField(
        _("Loại chỉ tiêu"), max_length=16, choices=TargetKind.choices, default=TargetKind.YES_NO
    )
    unit = NFCCharField(
        _("Đơn vị"),
        max_length=40,
        blank=True,
        help_text=_("Với chỉ tiêu số lượng, ví dụ: kỳ, đảng viên."),
    )
    default_target = models.DecimalField(
        _("Mức phấn đấu gợi ý"), max_digits=9, decimal_places=2, null=True, blank=True
    )
    evidence_required = models.BooleanField(_("Bắt buộc có minh chứng"), default=False)
    auto_source = models.CharField(
        _("Nguồn tự động"), max_length=24, choices=AutoSource.choices, blank=True, default=""
    )

    class ScoreRule(models.TextChoices):
        PROPORTIONAL = "proportional", _("Theo tỷ lệ đạt so với mức cam kết")
        DEDUCT = "deduct", _("Đủ mức cam kết được đủ điểm; thiếu mỗi đơn vị trừ một số điểm")

    # How an automatic indicator's score follows from its value, as the plan's guide writes it
    # (issue 17): in proportion to the target, or the full points at the target less `score_step`
    # for each unit short of it (a meeting; a member, for the members' shares), never below 0.
    score_rule = models.CharField(
        _("Cách tính điểm tự động"),
        max_length=16,
        choices=ScoreRule.choices,
        default=ScoreRule.PROPORTIONAL,
    )
    score_step = models.DecimalField(
        _("Điểm trừ cho mỗi đơn vị thiếu"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Với cách tính trừ điểm: ví dụ thiếu mỗi kỳ sinh hoạt trừ 2 điểm."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("chỉ tiêu")
        verbose_name_plural = _("chỉ tiêu")
        ordering = ["criterion", "order"]
        constraints = [
            models.UniqueConstraint(fields=["criterion", "order"], name="indicator_order_unique"),
            models.CheckConstraint(condition=Q(points__gt=0), name="indicator_points_positive"),
            models.CheckConstraint(
                condition=~Q(score_rule="deduct") | Q(score_step__gt=0, score_step__isnull=False),
                name="indicator_deduct_has_a_step",
                violation_error_message=_(
                    "Cách tính trừ điểm cần số điểm trừ cho mỗi đơn vị thiếu (lớn hơn 0)."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.text}"

    @property
    def rule_text(self) -> str:
        """How the automatic score follows from the value, in words, for the plan's page and
        document (empty for an indicator the branch scores itself)."""
        if not self.auto_source:
            return ""
        if self.score_rule == self.ScoreRule.DEDUCT and self.score_step:
            return _(
                "Chấm tự động: đủ mức cam kết được %(points)s điểm; thiếu mỗi %(unit)s trừ %(step)s điểm."
            ) % {
                "points": number(self.points),
                "unit": self.deduct_unit,
                "step": number(self.score_step),
            }
        return _("Chấm tự động: điểm theo tỷ lệ kết quả đạt được so với mức cam kết.")

    @property
    def deduct_unit(self) -> str:
        """What one step of a deduct rule counts: a member for the members' shares, else the
        indicator's unit (a meeting)."""
        if self.auto_source in (self.AutoSource.MEMBERS_COMPLETED, self.AutoSource.MEMBERS_GOOD):
            return str(_("đảng viên"))
        return self.unit or str(_("đơn vị"))

    @property
    def code(self) -> str:
        """1.2 — criterion order, indicator order."""
        return f"{self.criterion.order}.{self.order}"

    def clean(self):
        errors = {}
        if self.points is not None and self.points <= 0:
            errors["points"] = _("Điểm của chỉ tiêu phải lớn hơn 0.")
        if (
            self.target_kind == self.TargetKind.PERCENT
            and self.default_target is not None
            and not (0 <= self.default_target <= 100)
        ):
            errors["default_target"] = _("Tỷ lệ phải từ 0 đến 100.")
        if self.target_kind == self.TargetKind.NUMBER and not self.unit:
            errors["unit"] = _("Chỉ tiêu số lượng cần đơn vị, ví dụ: kỳ.")
        if errors:
            raise ValidationError(errors)
