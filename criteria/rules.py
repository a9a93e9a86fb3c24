"""Rating rule sets: pure functions of numbers, versioned by the regulation they read.

A plan chooses its rule set; the default is the current regulation. Every rule returns a
`Verdict` with a sentence that explains it, so a committee can quote the reason in its minutes.

Readings (see docs/rules.md for sources and what is our own reading):

* **366-2025** — Quy định 366-QĐ/TW (30/8/2025), Hướng dẫn 43-HD/BTCTW (31/10/2025). Score bands
  on a 100-point frame: ≥ 90 xuất sắc, 70 to < 90 tốt, 50 to < 70 hoàn thành, < 50 không hoàn
  thành. A collective reaches a band only if its conditions hold: every band from "hoàn thành"
  up needs all assigned tasks done; "tốt" and "xuất sắc" need them done on time; "xuất sắc" also
  needs at least 30% of tasks exceeding their target and no disciplined subordinate unit or
  leadership member. A collective failing a band's conditions falls to the next band whose
  conditions hold.
* **124-2023** — Quy định 124-QĐ/TW (4/10/2023). That regulation rates by criteria, not points;
  committees applying it to a scored model used the same 90/70/50 bands, which we keep. Its
  conditions: "xuất sắc" needs no disciplined subordinate unit or leadership member; there is no
  30%-exceeding condition.
* Both keep the long-standing guidance (Hướng dẫn 21-HD/BTCTW, 2019): members rated "xuất sắc"
  are chosen from those rated at least "tốt" and are at most 20% of that pool — the pool counts the
  "xuất sắc" members themselves, so 13 may be chosen from a pool of 65 (13 ≤ 20% × 65) but not
  from 64 (20% × 64 = 12.8); and a branch rated "xuất sắc" needs 100% of its members rated
  "hoàn thành" or better and at least 80% rated "tốt" or better.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vietnamese.numbers import number as _num
from vietnamese.numbers import percent as _percent


class Level(models.TextChoices):
    """The four quality levels, best first."""

    EXCELLENT = "excellent", gettext_lazy("Hoàn thành xuất sắc nhiệm vụ")
    GOOD = "good", gettext_lazy("Hoàn thành tốt nhiệm vụ")
    COMPLETED = "completed", gettext_lazy("Hoàn thành nhiệm vụ")
    FAILED = "failed", gettext_lazy("Không hoàn thành nhiệm vụ")

    @property
    def rank(self) -> int:
        return LEVEL_ORDER.index(self)

    def at_least(self, other: "Level") -> bool:
        return self.rank <= Level(other).rank


LEVEL_ORDER = [Level.EXCELLENT, Level.GOOD, Level.COMPLETED, Level.FAILED]

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Verdict:
    ok: bool
    reason: str
    level: Level | None = None
    failures: tuple[str, ...] = ()


@dataclass(frozen=True)
class CollectiveFacts:
    """What a rule needs to know about an organization besides its score."""

    score: Decimal
    total_points: Decimal = HUNDRED
    all_tasks_done: bool = True
    late_task_share: Decimal = Decimal(0)  # share of tasks not done on time, 0..1
    exceeding_task_share: Decimal | None = None  # share of tasks beyond their target, 0..1
    disciplined: bool = False  # a subordinate unit or a leadership member was disciplined


class RuleSet:
    code = ""
    label = ""
    regulation = ""
    bands = [
        (Decimal(90), Level.EXCELLENT),
        (Decimal(70), Level.GOOD),
        (Decimal(50), Level.COMPLETED),
    ]
    excellent_share_of_good = Decimal("0.20")
    branch_good_share = Decimal("0.80")

    def normalized(self, score: Decimal, total_points: Decimal = HUNDRED) -> Decimal:
        """The score on a 100-point frame."""
        return Decimal(score) * HUNDRED / Decimal(total_points)

    def band(self, score: Decimal, total_points: Decimal = HUNDRED) -> Verdict:
        """The level the score alone reaches, with the band quoted."""
        value = self.normalized(score, total_points)
        for floor, level in self.bands:
            if value >= floor:
                upper = self._upper(level)
                range_text = (
                    _("từ %(floor)s điểm trở lên") % {"floor": _num(floor)}
                    if upper is None
                    else _("từ %(floor)s đến dưới %(upper)s điểm")
                    % {"floor": _num(floor), "upper": _num(upper)}
                )
                return Verdict(
                    True,
                    _("%(score)s/100 điểm, %(range)s: %(level)s.")
                    % {"score": _num(value), "range": range_text, "level": level.label},
                    level,
                )
        return Verdict(
            True,
            _("%(score)s/100 điểm, dưới %(floor)s điểm: %(level)s.")
            % {"score": _num(value), "floor": _num(self.bands[-1][0]), "level": Level.FAILED.label},
            Level.FAILED,
        )

    def _upper(self, level: Level) -> Decimal | None:
        floors = [floor for floor, band_level in self.bands if band_level.rank < level.rank]
        return min(floors) if floors else None

    def collective_conditions(self, level: Level, facts: CollectiveFacts) -> list[str]:
        """Reasons why a collective does not meet the conditions of `level` (empty: it does)."""
        failures = []
        if level != Level.FAILED and not facts.all_tasks_done:
            failures.append(_("chưa hoàn thành 100% nhiệm vụ được giao"))
        if level.at_least(Level.GOOD) and facts.late_task_share > 0:
            failures.append(
                _("%(share)s nhiệm vụ chưa bảo đảm tiến độ")
                % {"share": _percent(facts.late_task_share, 1)}
            )
        if level == Level.COMPLETED and facts.late_task_share > Decimal("0.20"):
            failures.append(_("quá 20% nhiệm vụ chưa bảo đảm tiến độ"))
        if level == Level.EXCELLENT and facts.disciplined:
            failures.append(_("có đơn vị trực thuộc hoặc thành viên lãnh đạo bị kỷ luật"))
        return failures

    def rate_collective(self, facts: CollectiveFacts) -> Verdict:
        """The level of an organization: its score band, lowered while a band's conditions fail."""
        band = self.band(facts.score, facts.total_points)
        reasons = [band.reason]
        for level in LEVEL_ORDER[band.level.rank :]:
            failures = self.collective_conditions(level, facts)
            if not failures:
                if level != band.level:
                    reasons.append(_("Xếp %(level)s.") % {"level": level.label})
                return Verdict(True, " ".join(reasons), level)
            reasons.append(
                _("Chưa đạt mức %(level)s vì %(why)s.")
                % {"level": level.label.lower(), "why": "; ".join(failures)}
            )
        return Verdict(True, " ".join(reasons), Level.FAILED)

    def check_member_excellent_cap(self, *, excellent: int, good_or_better: int) -> Verdict:
        """Members rated "xuất sắc" are at most 20% of those rated "tốt" or better (pool includes them)."""
        allowed = int(Decimal(good_or_better) * self.excellent_share_of_good)
        values = {
            "excellent": excellent,
            "pool": good_or_better,
            "share": _percent(excellent, good_or_better),
            "allowed": allowed,
        }
        if excellent > good_or_better:
            return Verdict(
                False,
                _(
                    "Số đảng viên xuất sắc (%(excellent)s) lớn hơn số đảng viên hoàn thành tốt nhiệm vụ trở lên (%(pool)s)."
                )
                % values,
            )
        if excellent <= allowed:
            return Verdict(
                True,
                _(
                    "%(excellent)s đảng viên hoàn thành xuất sắc nhiệm vụ trên %(pool)s đảng viên hoàn thành tốt nhiệm vụ trở lên (%(share)s): không vượt quá 20%%."
                )
                % values,
            )
        return Verdict(
            False,
            _(
                "%(excellent)s đảng viên hoàn thành xuất sắc nhiệm vụ trên %(pool)s đảng viên hoàn thành tốt nhiệm vụ trở lên (%(share)s) vượt quá 20%%: tối đa %(allowed)s đảng viên."
            )
            % values,
        )

    def check_branch_against_members(
        self, *, level: Level, members: int, completed_or_better: int, good_or_better: int
    ) -> Verdict:
        """A branch rated "xuất sắc" needs 100% of members at "hoàn thành" or better and ≥ 80% at "tốt" or better."""
        if level != Level.EXCELLENT:
            return Verdict(
                True, _("Điều kiện về đảng viên chỉ áp dụng cho mức hoàn thành xuất sắc nhiệm vụ.")
            )
        values = {
            "members": members,
            "completed": completed_or_better,
            "good": good_or_better,
            "completed_share": _percent(completed_or_better, members),
            "good_share": _percent(good_or_better, members),
        }
        failures = []
        if completed_or_better < members:
            failures.append(
                _(
                    "chỉ %(completed)s/%(members)s đảng viên (%(completed_share)s) hoàn thành nhiệm vụ trở lên, cần 100%%"
                )
                % values
            )
        if Decimal(good_or_better) < Decimal(members) * self.branch_good_share:
            failures.append(
                _(
                    "chỉ %(good)s/%(members)s đảng viên (%(good_share)s) hoàn thành tốt nhiệm vụ trở lên, cần ít nhất 80%%"
                )
                % values
            )
        if failures:
            return Verdict(
                False,
                _("Chi bộ chưa đủ điều kiện hoàn thành xuất sắc nhiệm vụ: %(why)s.")
                % {"why": "; ".join(failures)},
            )
        return Verdict(
            True,
            _(
                "%(completed)s/%(members)s đảng viên hoàn thành nhiệm vụ trở lên và %(good)s/%(members)s (%(good_share)s) hoàn thành tốt nhiệm vụ trở lên: đủ điều kiện."
            )
            % values,
        )


class Rules366(RuleSet):
    code = "366-2025"
    label = gettext_lazy("Quy định 366-QĐ/TW (2025)")
    regulation = gettext_lazy(
        "Quy định 366-QĐ/TW ngày 30/8/2025 của Bộ Chính trị; Hướng dẫn 43-HD/BTCTW ngày 31/10/2025"
    )
    exceeding_share_for_excellent = Decimal("0.30")

    def collective_conditions(self, level: Level, facts: CollectiveFacts) -> list[str]:
        failures = super().collective_conditions(level, facts)
        if (
            level == Level.EXCELLENT
            and facts.exceeding_task_share is not None
            and facts.exceeding_task_share < self.exceeding_share_for_excellent
        ):
            failures.append(
                _("chỉ %(share)s nhiệm vụ vượt yêu cầu, cần ít nhất 30%%")
                % {"share": _percent(facts.exceeding_task_share, 1)}
            )
        return failures


class Rules124(RuleSet):
    code = "124-2023"
    label = gettext_lazy("Quy định 124-QĐ/TW (2023)")
    regulation = gettext_lazy("Quy định 124-QĐ/TW ngày 04/10/2023 của Bộ Chính trị")


RULE_SETS: dict[str, RuleSet] = {rules.code: rules for rules in (Rules366(), Rules124())}
DEFAULT_RULE_SET = Rules366.code
RULE_SET_CHOICES = [(code, rules.label) for code, rules in RULE_SETS.items()]


def rule_set(code: str) -> RuleSet:
    return RULE_SETS[code]


# A "good" branch meeting by Hướng dẫn 12-HD/BTCTW: attendance above 85% of members, nobody
# absent without a reason, at least 90 minutes, and minutes kept.
MEETING_ATTENDANCE_ABOVE = Decimal("0.85")
MEETING_MIN_MINUTES = 90


def meeting_quality(
    *, members: int, present: int, unexcused: int, duration_minutes: int, has_minutes: bool
) -> Verdict:
    """Whether a meeting meets the quality rule, with the reasons when it does not."""
    failures = []
    if members == 0 or Decimal(present) / Decimal(members) <= MEETING_ATTENDANCE_ABOVE:
        failures.append(
            _("%(present)s/%(members)s đảng viên dự họp (%(share)s), cần trên 85%%")
            % {"present": present, "members": members, "share": _percent(present, members)}
        )
    if unexcused:
        failures.append(_("%(n)s đảng viên vắng không có lý do") % {"n": unexcused})
    if duration_minutes < MEETING_MIN_MINUTES:
        failures.append(
            _("họp %(minutes)s phút, cần ít nhất 90 phút") % {"minutes": duration_minutes}
        )
    if not has_minutes:
        failures.append(_("chưa có biên bản"))
    if failures:
        return Verdict(
            False,
            _("Chưa đạt chất lượng: %(why)s.") % {"why": "; ".join(failures)},
            failures=tuple(failures),
        )
    return Verdict(
        True,
        _(
            "Đạt chất lượng: %(present)s/%(members)s đảng viên dự (%(share)s), không vắng không lý do, %(minutes)s phút, có biên bản."
        )
        % {
            "present": present,
            "members": members,
            "share": _percent(present, members),
            "minutes": duration_minutes,
        },
    )
