from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from branches.models import Member, Organization
from criteria.rules import Level
from vietnamese.fields import NFCTextField


class MemberRating(models.Model):
    """A member's quality rating for a year: their own, the branch's proposal, the committee's
    decision."""

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="ratings")
    year = models.PositiveSmallIntegerField(_("Năm"))
    branch = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    self_level = models.CharField(
        _("Tự đánh giá"), max_length=16, choices=Level.choices, blank=True
    )
    proposed_level = models.CharField(
        _("Chi bộ đề xuất"), max_length=16, choices=Level.choices, blank=True
    )
    decided_level = models.CharField(
        _("Cấp ủy quyết định"), max_length=16, choices=Level.choices, blank=True
    )
    note = NFCTextField(_("Ghi chú"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("xếp loại đảng viên")
        verbose_name_plural = _("xếp loại đảng viên")
        constraints = [
            models.UniqueConstraint(fields=["member", "year"], name="rating_once_a_year")
        ]
        indexes = [models.Index(fields=["branch", "year"], name="rating_branch_year")]

    def __str__(self):
        return f"{self.member} {self.year}"

    @property
    def level(self) -> str:
        """The most authoritative level recorded: decided, else proposed, else self."""
        return self.decided_level or self.proposed_level or self.self_level


class RuleException(models.Model):
    """A leader's justified exception to a breached rating rule, kept with the reason."""

    class Rule(models.TextChoices):
        MEMBER_CAP = "member_cap", _("Tỷ lệ đảng viên hoàn thành xuất sắc nhiệm vụ (20%)")
        BRANCH_MEMBERS = (
            "branch_members",
            _("Điều kiện đảng viên của chi bộ hoàn thành xuất sắc nhiệm vụ"),
        )

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("Năm"))
    rule = models.CharField(_("Quy tắc"), max_length=24, choices=Rule.choices)
    reason = NFCTextField(_("Lý do"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ngoại lệ quy tắc xếp loại")
        verbose_name_plural = _("ngoại lệ quy tắc xếp loại")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year", "rule"], name="rule_exception_once"
            )
        ]

    def __str__(self):
        return f"{self.get_rule_display()} — {self.organization} {self.year}"
