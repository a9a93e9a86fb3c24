"""How plans follow a reorganization (branches.reorganization).

- A plan in progress issued by an organization that ends goes on under its successor (whose
  staff and leaders reach it, the ended issuer being kept under it; documents issued for it from
  then on are the successor's: `branches.reorganization.acting_body`) — or, if the user chooses,
  ends with the reason recorded. Its number stays the one it was issued under.
- A plan in progress that an ending organization carries out lists its successor(s) in its
  place among the organizations that carry it out.
"""

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from audit.history import tracked
from audit.reasons import Reason
from branches.models import Organization, User
from branches.reorganization import PLANS, Change, Line, Question
from criteria.models import Plan
from criteria.services import plan_close
from vietnamese.dates import short_date

RUNNING = (Plan.Status.DRAFT, Plan.Status.PUBLISHED)


def issued_in_progress(change: Change):
    """Plans issued by the ending organizations that still run in the year of the change."""
    if not change.ends():
        return Plan.objects.none()
    return Plan.objects.filter(
        issuer__in=change.sources,
        status__in=RUNNING,
        end_year__gte=change.effective_date.year,
    ).order_by("issue_date", "pk")


def _targeting(change: Change):
    if not change.ends():
        return Plan.objects.none()
    return (
        Plan.objects.filter(
            Q(targets__in=change.sources),
            status__in=RUNNING,
            end_year__gte=change.effective_date.year,
        )
        .distinct()
        .order_by("issue_date", "pk")
    )


def _successor_kinds(change: Change) -> list[tuple[str, str]]:
    kinds = (
        [change.target.kind]
        if change.target is not None
        else [o.kind for o in change.split_into] + [n.kind for n in change.new]
    )
    return list(zip(change.target_names(), kinds, strict=True))


class PlansFollow:
    def questions(self, change: Change) -> list[Question]:
        running = [p for p in issued_in_progress(change) if p.status == Plan.Status.PUBLISHED]
        if not running:
            return []
        return [
            Question(
                key="close_plans",
                label=_("Kết thúc các kế hoạch đang thực hiện này (thay vì chuyển tiếp)"),
                choices=[(p.pk, f"{p.number} {p.title}") for p in running],
                help_text=_(
                    "Không chọn: kế hoạch tiếp tục dưới tổ chức kế thừa. Chọn: kế hoạch kết thúc, "
                    "ghi lý do ở ô dưới."
                ),
            )
        ]

    def problems(self, change: Change) -> list[str]:
        problems = []
        running = {p.pk: p for p in issued_in_progress(change)}
        for pk in change.close_plans:
            plan = running.get(pk)
            if plan is None:
                problems.append(
                    _("Chỉ kết thúc được kế hoạch đang thực hiện của tổ chức bị sắp xếp.")
                )
            elif plan.status != Plan.Status.PUBLISHED:
                problems.append(
                    _("Kế hoạch số %(number)s chưa ban hành: không kết thúc, chỉ chuyển tiếp.")
                    % {"number": plan.number}
                )
        if change.kind == "split":
            for plan in running.values():
                if plan.status == Plan.Status.PUBLISHED and plan.pk not in change.close_plans:
                    problems.append(
                        _(
                            "Kế hoạch số %(number)s của %(issuer)s đang thực hiện: khi chia tách, "
                            "hãy kết thúc kế hoạch (ghi lý do); mỗi tổ chức sau chia tách ban "
                            "hành kế hoạch của mình."
                        )
                        % {"number": plan.number, "issuer": plan.issuer.name}
                    )
        if change.close_plans and not change.close_reason.strip():
            problems.append(_("Hãy ghi lý do kết thúc kế hoạch."))
        return problems

    def lines(self, change: Change) -> list[Line]:
        lines = []
        successor = ", ".join(change.target_names())
        for plan in issued_in_progress(change):
            if plan.pk in change.close_plans:
                lines.append(
                    Line(
                        PLANS,
                        Reason(
                            gettext_noop(
                                "Kế hoạch số %(number)s %(title)s của %(issuer)s kết thúc: "
                                "%(reason)s."
                            ),
                            number=plan.number,
                            title=plan.title,
                            issuer=plan.issuer.name,
                            reason=change.close_reason.strip(),
                        ),
                    )
                )
            else:
                lines.append(
                    Line(
                        PLANS,
                        Reason(
                            gettext_noop(
                                "Kế hoạch số %(number)s %(title)s của %(issuer)s tiếp tục thực "
                                "hiện dưới %(successor)s (giữ số đã ban hành; văn bản ban hành "
                                "tiếp theo cho kế hoạch là của %(successor)s)."
                            ),
                            number=plan.number,
                            title=plan.title,
                            issuer=plan.issuer.name,
                            successor=successor,
                        ),
                    )
                )
        for plan in _targeting(change):
            joining = [name for name, kind in _successor_kinds(change) if kind in plan.target_kinds]
            leaving = [o.name for o in change.sources if plan.targets.filter(pk=o.pk).exists()]
            lines.append(
                Line(
                    PLANS,
                    Reason(
                        gettext_noop(
                            "Kế hoạch số %(number)s: tổ chức thực hiện %(leaving)s thay bằng "
                            "%(joining)s."
                        ),
                        number=plan.number,
                        leaving=", ".join(leaving),
                        joining=", ".join(joining) or "—",
                    ),
                )
            )
        return lines

    def apply(self, change: Change, actor: User) -> None:
        day = short_date(change.effective_date)
        successor = ", ".join(o.name for o in change.targets)
        for plan in list(issued_in_progress(change)):
            if plan.pk in change.close_plans:
                plan_close(actor=actor, plan=plan, reason=change.close_reason)
                continue
            tracked(
                plan,
                actor=actor,
                reason=Reason(
                    gettext_noop(
                        "Tiếp tục thực hiện dưới %(successor)s (sắp xếp tổ chức từ ngày %(date)s)"
                    ),
                    successor=successor,
                    date=day,
                ),
            )
            plan.save()
        for plan in list(_targeting(change)):
            joining = [
                Organization.objects.get(pk=o.pk)
                for o in change.targets
                if o.kind in plan.target_kinds
            ]
            tracked(
                plan,
                actor=actor,
                reason=Reason(
                    gettext_noop("Tổ chức thực hiện thay đổi do sắp xếp tổ chức từ ngày %(date)s"),
                    date=day,
                ),
            )
            plan.targets.remove(*change.sources)
            plan.targets.add(*joining)


HANDLER = PlansFollow()
