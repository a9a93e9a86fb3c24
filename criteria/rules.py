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

import datetime
import math
from collections import Counter
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


@dataclass(frozen=True)
class MemberFacts:
    """What the level of a member depends on besides the score (366 Điều 11)."""

    score: Decimal  # on the 100-point frame
    tasks_on_time: bool = True  # every task done on time
    exceeding_task_share: Decimal | None = None  # share of tasks beyond their target, 0..1
    unfinished_task_share: Decimal = Decimal(0)  # share of tasks not done, 0..1
    disciplined: bool = False  # khiển trách or heavier, for a breach in doing their duties
    shortcomings_fixed: bool = True  # every shortcoming pointed out before has been fixed


@dataclass(frozen=True)
class FramePart:
    """One group of criteria of a scoring frame, with its points."""

    code: str
    name: str
    points: Decimal


@dataclass(frozen=True)
class Frame:
    """A regulation's scoring frame for one kind of subject (a member, a party organization, a
    leadership collective): its groups of criteria and their points, and where it is written."""

    subject: str
    source: str
    parts: tuple[FramePart, ...]

    @property
    def total(self) -> Decimal:
        return sum((part.points for part in self.parts), Decimal(0))

    def errors(self, scores: dict) -> dict[str, str]:
        """Per part, why its score cannot be taken (not a number, or outside 0..points)."""
        errors = {}
        for part in self.parts:
            value = scores.get(part.code)
            if value is None:
                continue
            if not (0 <= Decimal(value) <= part.points):
                errors[part.code] = _("%(name)s: từ 0 đến %(points)s điểm.") % {
                    "name": part.name,
                    "points": _num(part.points),
                }
        return errors

    def score(self, scores: dict) -> Decimal | None:
        """The total of the parts, or None while a part has no score."""
        values = [scores.get(part.code) for part in self.parts]
        if any(v is None for v in values):
            return None
        return sum((Decimal(v) for v in values), Decimal(0))


# Quy định 366-QĐ/TW Điều 10: every frame is on 100 points, a group of common criteria (30)
# and a group quantifying the results of the tasks (70) — for individuals and collectives alike.
FRAMES_366 = {
    subject: Frame(
        subject=subject,
        source=gettext_lazy("Quy định 366-QĐ/TW, Điều 10 và khung tiêu chí kèm theo"),
        parts=(
            FramePart("common", gettext_lazy("Nhóm tiêu chí chung"), Decimal(30)),
            FramePart(
                "results", gettext_lazy("Nhóm tiêu chí về kết quả thực hiện nhiệm vụ"), Decimal(70)
            ),
        ),
    )
    for subject in ("member", "organization", "leadership")
}
# Quy định 124 and 132 rate by criteria, not on points; committees that scored kept one total
# on 100 points with the same bands (see the module's note), so their frame is that total.
FRAMES_BY_CRITERIA = {
    subject: Frame(
        subject=subject,
        source=gettext_lazy("Tiêu chí của quy định; điểm tổng hợp trên thang 100 của cấp ủy"),
        parts=(FramePart("total", gettext_lazy("Điểm tổng hợp"), Decimal(100)),),
    )
    for subject in ("member", "organization", "leadership")
}


class RuleSet:
    code = ""
    label = ""
    regulation = ""
    # The day the regulation took effect: the rating of a year is made under the rule set in
    # force on the last day of that year (`rules_for_year`), whatever the plan's dates.
    effective_from = datetime.date(1900, 1, 1)
    # The cap on "xuất sắc": a share of those rated "hoàn thành tốt nhiệm vụ" (BASE_GOOD, the
    # text's words) or of those rated "tốt" and above (BASE_GOOD_OR_BETTER, as some offices
    # count; settings.BONTOT_RATING_CAP_BASE chooses for a deployment).
    excellent_share = Decimal("0.20")
    excellent_share_outstanding: Decimal | None = Decimal("0.25")
    cap_base = "good"
    # Hướng dẫn 21-HD/BTCTW (2019): a "xuất sắc" branch needs all its members at "hoàn thành"
    # or better and 80% at "tốt" or better. An option of the rule set, on by default.
    branch_members_rule = True
    # Whether the cap also covers the organizations a committee rates (366: "tập thể, cá nhân").
    caps_collectives = True
    # Members admitted less than this many months before the rating are not rated.
    new_member_months = 6
    bands = [
        (Decimal(90), Level.EXCELLENT),
        (Decimal(70), Level.GOOD),
        (Decimal(50), Level.COMPLETED),
    ]
    branch_good_share = Decimal("0.80")
    frames = FRAMES_BY_CRITERIA

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

    def excellent_cap(self, counts: "PoolCounts", *, outstanding: bool = False) -> "CapVerdict":
        """The cap on "xuất sắc" in one pool (the members of a tổ chức cơ sở đảng, or the
        organizations one committee decides on): at most `excellent_share` (20%) of those rated
        "hoàn thành tốt nhiệm vụ" — or of those rated "tốt" and above, if the committee counts so
        (`base`) — and up to `excellent_share_outstanding` (25%) only by a recorded decision that
        the unit's results were outstanding; never beyond. Rounded down: 20% of 7 is 1.
        Only decided levels count (a self-rating or a proposal is not a rating)."""
        return cap_verdict(self, counts, outstanding=outstanding)

    def rate_member(self, facts: MemberFacts) -> Verdict:
        """The highest level a member's score and conditions allow, explained (366 Điều 11):
        disciplined (khiển trách and up) or more than half of the tasks not done — không hoàn
        thành; xuất sắc needs every task on time, at least 30% exceeding (a blank is not 30%)
        and every shortcoming pointed out before fixed; tốt needs every task on time. A member
        failing a band's conditions falls to the next band whose conditions hold."""
        if facts.disciplined:
            return Verdict(
                True,
                _("Bị kỷ luật từ khiển trách trở lên: %(level)s.") % {"level": Level.FAILED.label},
                Level.FAILED,
            )
        if facts.unfinished_task_share > Decimal("0.5"):
            return Verdict(
                True,
                _("%(share)s nhiệm vụ không hoàn thành, quá một nửa: %(level)s.")
                % {"share": _percent(facts.unfinished_task_share, 1), "level": Level.FAILED.label},
                Level.FAILED,
            )
        band = self.band(facts.score)
        reasons = [band.reason]
        for level in LEVEL_ORDER[band.level.rank :]:
            failures = self.member_conditions(level, facts)
            if not failures:
                if level != band.level:
                    reasons.append(_("Mức được phép: %(level)s.") % {"level": level.label})
                return Verdict(True, " ".join(reasons), level)
            reasons.append(
                _("Chưa đạt mức %(level)s vì %(why)s.")
                % {"level": level.label.lower(), "why": "; ".join(failures)}
            )
        return Verdict(True, " ".join(reasons), Level.FAILED)

    def member_conditions(self, level: Level, facts: MemberFacts) -> list[str]:
        failures = []
        if level.at_least(Level.GOOD) and not facts.tasks_on_time:
            failures.append(_("chưa hoàn thành 100% nhiệm vụ đúng tiến độ"))
        if level == Level.EXCELLENT:
            failures += self._excellent_exceeding(facts.exceeding_task_share)
            if not facts.shortcomings_fixed:
                failures.append(_("chưa khắc phục hết hạn chế, khuyết điểm đã được chỉ ra"))
        return failures

    def _excellent_exceeding(self, share: Decimal | None) -> list[str]:
        return []

    def check_branch_against_members(
        self, *, level: Level, members: int, completed_or_better: int, good_or_better: int
    ) -> Verdict:
        """A branch rated "xuất sắc" needs 100% of members at "hoàn thành" or better and ≥ 80% at
        "tốt" or better (Hướng dẫn 21-HD/BTCTW; `branch_members_rule`, on by default)."""
        if not self.branch_members_rule:
            return Verdict(
                True, _("Không áp dụng điều kiện về đảng viên của Hướng dẫn 21-HD/BTCTW.")
            )
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

    def check_committee_against_subordinates(
        self, *, level: Level, organizations: int, completed_or_better: int, good_or_better: int
    ) -> Verdict:
        """A đảng bộ rated "xuất sắc" needs 100% of its subordinate organizations at "hoàn
        thành" or better and ≥ 80% at "tốt" or better (Hướng dẫn 21-HD/BTCTW, the same rule as
        for a branch's members; `branch_members_rule`)."""
        if not self.branch_members_rule or level != Level.EXCELLENT:
            return Verdict(True, "")
        values = {
            "n": organizations,
            "completed": completed_or_better,
            "good": good_or_better,
            "good_share": _percent(good_or_better, organizations),
        }
        failures = []
        if completed_or_better < organizations:
            failures.append(
                _(
                    "chỉ %(completed)s/%(n)s tổ chức trực thuộc hoàn thành nhiệm vụ trở lên, cần 100%%"
                )
                % values
            )
        if Decimal(good_or_better) < Decimal(organizations) * self.branch_good_share:
            failures.append(
                _(
                    "chỉ %(good)s/%(n)s tổ chức trực thuộc (%(good_share)s) hoàn thành tốt nhiệm vụ trở lên, cần ít nhất 80%%"
                )
                % values
            )
        if failures:
            return Verdict(
                False,
                _(
                    "Chưa đủ điều kiện hoàn thành xuất sắc nhiệm vụ (Hướng dẫn 21-HD/BTCTW): %(why)s."
                )
                % {"why": "; ".join(failures)},
            )
        return Verdict(
            True,
            _(
                "%(completed)s/%(n)s tổ chức trực thuộc hoàn thành nhiệm vụ trở lên, %(good)s/%(n)s (%(good_share)s) hoàn thành tốt nhiệm vụ trở lên: đủ điều kiện."
            )
            % values,
        )


class Rules366(RuleSet):
    code = "366-2025"
    effective_from = datetime.date(2025, 8, 30)  # Điều 19: in force from its signing
    label = gettext_lazy("Quy định 366-QĐ/TW (2025)")
    regulation = gettext_lazy(
        "Quy định 366-QĐ/TW ngày 30/8/2025 của Bộ Chính trị; Hướng dẫn 43-HD/BTCTW ngày 31/10/2025"
    )
    exceeding_share_for_excellent = Decimal("0.30")
    frames = FRAMES_366

    def _excellent_exceeding(self, share: Decimal | None) -> list[str]:
        if share is None:
            return [_("chưa có tỷ lệ nhiệm vụ vượt yêu cầu (cần ít nhất 30%%)") % {}]
        if share < self.exceeding_share_for_excellent:
            return [
                _("chỉ %(share)s nhiệm vụ vượt yêu cầu, cần ít nhất 30%%")
                % {"share": _percent(share, 1)}
            ]
        return []

    def collective_conditions(self, level: Level, facts: CollectiveFacts) -> list[str]:
        failures = super().collective_conditions(level, facts)
        if level == Level.EXCELLENT and facts.exceeding_task_share is None:
            # Điều 11 khoản 1: at least 30% exceeding — a blank is not a figure that meets it.
            failures.append(_("chưa có tỷ lệ nhiệm vụ vượt yêu cầu (cần ít nhất 30%%)") % {})
        elif (
            level == Level.EXCELLENT
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
    effective_from = datetime.date(2023, 10, 4)
    excellent_share_outstanding = None  # no exception to the 20% found in its text


class Rules132(Rules124):
    """Quy định 132-QĐ/TW (8/3/2018) with Hướng dẫn 21-HD/BTCTW (18/10/2019): the same bands and
    conditions as our reading of 124; 20% of those rated "hoàn thành tốt nhiệm vụ" in each tổ chức
    cơ sở đảng (HD 21 mục 2.3); no one admitted less than six months before was excluded by 132
    itself, but HD 21 leaves out those exempt from party work and meetings and the suspended."""

    code = "132-2018"
    label = gettext_lazy("Quy định 132-QĐ/TW (2018)")
    regulation = gettext_lazy(
        "Quy định 132-QĐ/TW ngày 08/3/2018 của Bộ Chính trị; Hướng dẫn 21-HD/BTCTW ngày 18/10/2019"
    )
    effective_from = datetime.date(2018, 3, 8)
    caps_collectives = False  # HD 21 mục 2.3 caps the members of each tổ chức cơ sở đảng only


RULE_SETS: dict[str, RuleSet] = {
    rules.code: rules for rules in (Rules366(), Rules124(), Rules132())
}
DEFAULT_RULE_SET = Rules366.code
RULE_SET_CHOICES = [(code, rules.label) for code, rules in RULE_SETS.items()]


def rule_set(code: str) -> RuleSet:
    return RULE_SETS[code]


def rating_day(year: int) -> datetime.date:
    """The day a year is rated as of: its last day (the year-end review rates the whole year)."""
    return datetime.date(year, 12, 31)


def rules_for_year(year: int) -> RuleSet:
    """The rule set in force on the last day of the year rated: 2022 under 132, 2023 and 2024
    under 124 (in force from 4/10/2023), 2025 on under 366 (from 30/8/2025). A plan over
    several years crosses regulations year by year."""
    day = rating_day(year)
    in_force = [r for r in RULE_SETS.values() if r.effective_from <= day]
    if not in_force:
        return min(RULE_SETS.values(), key=lambda r: r.effective_from)
    return max(in_force, key=lambda r: r.effective_from)


BASE_GOOD, BASE_GOOD_OR_BETTER = "good", "good_or_better"


@dataclass(frozen=True)
class PoolCounts:
    """Decided levels in one pool, of those who are rated (the left-out count nowhere)."""

    rated: int  # rateable members (or organizations) in the pool
    excellent: int = 0
    good: int = 0  # "hoàn thành tốt nhiệm vụ" exactly
    completed: int = 0
    failed: int = 0

    @property
    def decided(self) -> int:
        return self.excellent + self.good + self.completed + self.failed

    @property
    def undecided(self) -> int:
        return self.rated - self.decided

    @classmethod
    def of(cls, levels, rated: int | None = None) -> "PoolCounts":
        count = Counter(Level(level) for level in levels if level)
        return cls(
            rated=count.total() if rated is None else rated,
            excellent=count[Level.EXCELLENT],
            good=count[Level.GOOD],
            completed=count[Level.COMPLETED],
            failed=count[Level.FAILED],
        )


@dataclass(frozen=True)
class CapVerdict:
    ok: bool
    reason: str
    excellent: int
    base: int  # the count the share is taken of, as this deployment counts it
    share: Decimal  # the share that applies (20%, or 25% by a recorded decision)
    allowed: int
    base_good: int  # the base both ways, shown side by side
    base_good_or_better: int

    @property
    def level(self):  # a Verdict's shape, for templates that show either
        return None


def _allowed(base: int, share: Decimal) -> int:
    return math.floor(Decimal(base) * share)  # rounded down: 20% of 7 is 1


def cap_verdict(rules: RuleSet, counts: PoolCounts, *, outstanding: bool = False) -> CapVerdict:
    from django.conf import settings

    base_kind = getattr(settings, "BONTOT_RATING_CAP_BASE", "") or rules.cap_base
    base_good = counts.good
    base_good_or_better = counts.good + counts.excellent
    base = base_good_or_better if base_kind == BASE_GOOD_OR_BETTER else base_good
    share = rules.excellent_share
    if outstanding and rules.excellent_share_outstanding is not None:
        share = rules.excellent_share_outstanding
    allowed = _allowed(base, share)
    values = {
        "excellent": counts.excellent,
        "good": base_good,
        "good_or_better": base_good_or_better,
        "share_good": _percent(counts.excellent, base_good),
        "share_good_or_better": _percent(counts.excellent, base_good_or_better),
        "cap": _percent(share, 1),
        "allowed": allowed,
        "base": base,
    }
    both = (
        _(
            "%(excellent)s hoàn thành xuất sắc nhiệm vụ; so với %(good)s hoàn thành tốt nhiệm vụ: %(share_good)s; so với %(good_or_better)s hoàn thành tốt nhiệm vụ trở lên: %(share_good_or_better)s."
        )
        % values
    )
    if base_kind == BASE_GOOD_OR_BETTER:
        rule = _("Tối đa %(cap)s của %(base)s (tính cả mức xuất sắc) là %(allowed)s.") % values
    else:
        rule = _("Tối đa %(cap)s của %(base)s hoàn thành tốt nhiệm vụ là %(allowed)s.") % values
    ok = counts.excellent <= allowed
    verdict = (
        _("Không vượt tỷ lệ.")
        if ok
        else _("Vượt tỷ lệ: cần giảm %(n)s.") % {"n": counts.excellent - allowed}
    )
    return CapVerdict(
        ok=ok,
        reason=f"{both} {rule} {verdict}",
        excellent=counts.excellent,
        base=base,
        share=share,
        allowed=allowed,
        base_good=base_good,
        base_good_or_better=base_good_or_better,
    )


# A branch meeting by the framework of Hướng dẫn 12-HD/BTCTW (6/7/2018), mục "tiêu chí khung":
# attendance above 85% of the members obliged to attend (exempt members aside), nobody absent
# without a reason and nobody absent with a reason more than 3 times in a row in the year; at
# least 90 minutes, 120 for a regular and a thematic meeting held together (Hướng dẫn
# 42-HD/BTCTW, 28/10/2025); minutes kept. A framework that provinces tighten: each value is a
# plan setting (`MeetingRules.of(plan)`), these are the defaults.
def vote_result(votes: dict[Level, int], present: int) -> Verdict:
    """The level a branch proposes for a member from its vote (biểu quyết) on the member's
    self-review: the best level that more than half of the official members present and voting
    agree with, a vote for a level counting as agreement with every level below it [reading:
    the majority rule of the Điều lệ Đảng applied to the branch's proposal, HD 43]. No level
    reached by more than half (too many blank or invalid ballots): no proposal."""
    agreeing = 0
    for level in LEVEL_ORDER:
        agreeing += votes.get(level, 0)
        if agreeing * 2 > present:
            return Verdict(
                True,
                _("%(n)s/%(present)s đảng viên có mặt tán thành mức %(level)s trở lên.")
                % {"n": agreeing, "present": present, "level": level.label.lower()},
                level,
            )
    return Verdict(
        False,
        _("Không mức nào được quá một nửa số đảng viên có mặt (%(present)s) tán thành.")
        % {"present": present},
    )


MEETING_ATTENDANCE_ABOVE = Decimal("0.85")
MEETING_MIN_MINUTES = 90
MEETING_COMBINED_MIN_MINUTES = 120
MEETING_EXCUSED_IN_A_ROW = 3


@dataclass(frozen=True)
class MeetingRules:
    attendance_above: Decimal = MEETING_ATTENDANCE_ABOVE  # a share: 0.85
    min_minutes: int = MEETING_MIN_MINUTES
    combined_min_minutes: int = MEETING_COMBINED_MIN_MINUTES
    excused_in_a_row: int = MEETING_EXCUSED_IN_A_ROW

    @property
    def attendance_text(self) -> str:
        return _percent(self.attendance_above, 1, 0)

    @classmethod
    def of(cls, plan) -> "MeetingRules":
        """The thresholds a plan sets (its HD 12 defaults where it sets none)."""
        if plan is None:
            return cls()
        return cls(
            attendance_above=Decimal(plan.meeting_attendance_above) / 100,
            min_minutes=plan.meeting_min_minutes,
            combined_min_minutes=plan.meeting_combined_min_minutes,
            excused_in_a_row=plan.meeting_excused_in_a_row,
        )


HD12 = MeetingRules()  # the framework's own values


def meeting_quality(
    *,
    members: int,
    present: int,
    unexcused: int,
    duration_minutes: int,
    has_minutes: bool,
    left_out: int = 0,
    combined: bool = False,
    long_absences: tuple[str, ...] = (),
    rules: MeetingRules = HD12,
) -> Verdict:
    """Whether a regular meeting meets the counted criteria of HD 12's framework, with the
    reasons when it does not. `members` counts the members obliged to attend: those exempt from
    party meetings or suspended that day (`left_out`) are not in it ("trừ trường hợp được
    miễn"), and the sentence says how many were left out. `long_absences`: the members absent
    with a reason more than `rules.excused_in_a_row` meetings in a row in the year, this one
    included. The rest of the framework (preparation, content, carrying out the resolution) is
    judged by people: a meeting that passes "đạt các tiêu chí định lượng"."""
    failures = []
    above = rules.attendance_above
    if members == 0 or Decimal(present) / Decimal(members) <= above:
        failures.append(
            _("%(present)s/%(members)s đảng viên dự sinh hoạt (%(share)s), cần trên %(above)s")
            % {
                "present": present,
                "members": members,
                "share": _percent(present, members),
                "above": rules.attendance_text,
            }
        )
    if unexcused:
        failures.append(_("%(n)s đảng viên vắng không có lý do") % {"n": unexcused})
    if long_absences:
        failures.append(
            _("%(names)s vắng có lý do quá %(n)s kỳ liên tiếp trong năm")
            % {"names": ", ".join(long_absences), "n": rules.excused_in_a_row}
        )
    minimum = rules.combined_min_minutes if combined else rules.min_minutes
    if duration_minutes < minimum:
        failures.append(
            (
                _(
                    "họp %(minutes)s phút, sinh hoạt thường kỳ kết hợp chuyên đề cần ít nhất %(min)s phút"
                )
                if combined
                else _("họp %(minutes)s phút, cần ít nhất %(min)s phút")
            )
            % {"minutes": duration_minutes, "min": minimum}
        )
    if not has_minutes:
        failures.append(_("chưa ghi sổ biên bản sinh hoạt chi bộ"))
    note = (
        " "
        + _("Không tính %(n)s đảng viên được miễn sinh hoạt hoặc đình chỉ sinh hoạt.")
        % {"n": left_out}
        if left_out
        else ""
    )
    if failures:
        return Verdict(
            False,
            _("Chưa đạt các tiêu chí định lượng: %(why)s.") % {"why": "; ".join(failures)} + note,
            failures=tuple(failures),
        )
    return Verdict(
        True,
        _(
            "Đạt các tiêu chí định lượng: %(present)s/%(members)s đảng viên dự sinh hoạt (%(share)s), không vắng không lý do, %(minutes)s phút, đã ghi sổ biên bản sinh hoạt chi bộ."
        )
        % {
            "present": present,
            "members": members,
            "share": _percent(present, members),
            "minutes": duration_minutes,
        }
        + note,
    )
