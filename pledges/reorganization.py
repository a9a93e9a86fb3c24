"""How registrations and pledges follow a reorganization (branches.reorganization).

- A branch whose place in the tree changes while its pledge waits for the committee's
  countersignature is refused: the signing is half done, and the committee that must finish it
  could lose sight of the branch. Countersign it or return it first.
- A registration in a plan in progress, of an organization that ends (merged, split), is carried
  over: its successor is registered in its place with a pledge draft of its own to sign, and it
  ends as "carried over". Its signed pledges are never touched: their canonical content keeps
  the name they were signed under, and every signature still verifies.
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from audit.history import tracked
from audit.reasons import Reason
from branches.models import Organization, Reorganization, User
from branches.reorganization import REGISTRATIONS, SIGNED, Change, Line
from criteria.models import Plan
from partydocs.models import Signature
from pledges.models import Pledge, Registration
from pledges.services import registration_carry_over
from vietnamese.dates import short_date


def in_progress(change: Change) -> Q:
    """Plans still running in the year the change takes effect."""
    return Q(plan__status=Plan.Status.PUBLISHED, plan__end_year__gte=change.effective_date.year)


def _carried(change: Change):
    """The active registrations of the ending organizations in plans in progress."""
    if not change.ends():
        return Registration.objects.none()
    return (
        Registration.objects.filter(
            in_progress(change),
            organization__in=change.sources,
            status=Registration.Status.REGISTERED,
        )
        .select_related("plan", "organization")
        .order_by("organization__path", "plan__issue_date")
    )


def _subtree_q(organizations, lookup: str) -> Q:
    q = Q(pk__in=[])
    for organization in organizations:
        q |= Q(**{f"{lookup}__startswith": organization.path})
    return q


def _signed_pledges(organizations) -> int:
    pledges = Pledge.objects.filter(
        _subtree_q(organizations, "registration__organization__path")
    ).values("pk")
    return Signature.objects.filter(
        content_type=ContentType.objects.get_for_model(Pledge), object_id__in=pledges
    ).count()


class PledgesFollow:
    def questions(self, change: Change) -> list:
        return []

    def problems(self, change: Change) -> list[str]:
        waiting = (
            Pledge.objects.filter(
                status=Pledge.Status.SIGNED,
                registration__organization__in=change.moving_branches(),
                registration__status=Registration.Status.REGISTERED,
                registration__plan__status=Plan.Status.PUBLISHED,
            )
            .select_related("registration__organization", "registration__plan")
            .order_by("registration__organization__path")
        )
        return [
            _(
                "%(branch)s có bản cam kết đang ký dở (đã ký, chờ cấp ủy xác nhận — Kế hoạch số "
                "%(plan)s): hãy xác nhận hoặc trả lại bản cam kết trước khi sắp xếp."
            )
            % {"branch": p.registration.organization.name, "plan": p.registration.plan.number}
            for p in waiting
        ]

    def lines(self, change: Change) -> list[Line]:
        lines = []
        names = change.target_names()
        for registration in _carried(change):
            plan = registration.plan
            for name, kind in zip(names, self._target_kinds(change), strict=True):
                if kind not in plan.target_kinds:
                    lines.append(
                        Line(
                            REGISTRATIONS,
                            Reason(
                                gettext_noop(
                                    "Đăng ký của %(source)s vào Kế hoạch số %(plan)s kết thúc; "
                                    "%(target)s không thực hiện mô hình “%(model)s”."
                                ),
                                source=registration.organization.name,
                                plan=plan.number,
                                target=name,
                                model=plan.get_model_display(),
                            ),
                        )
                    )
                    continue
                lines.append(
                    Line(
                        REGISTRATIONS,
                        Reason(
                            gettext_noop(
                                "Đăng ký của %(source)s vào Kế hoạch số %(plan)s chuyển cho "
                                "%(target)s: %(target)s được đăng ký (nếu chưa) với dự thảo bản "
                                "cam kết mới để bí thư ký; đăng ký cũ và các bản đã ký giữ nguyên."
                            ),
                            source=registration.organization.name,
                            plan=plan.number,
                            target=name,
                        ),
                    )
                )
        if change.kind == Reorganization.Kind.MOVE:
            lines += self._leaving_issuers(change)
        counted = change.sources
        count = _signed_pledges(counted)
        if count:
            lines.append(
                Line(
                    SIGNED,
                    Reason(
                        gettext_noop(
                            "%(count)s chữ ký trên bản cam kết của %(names)s và các tổ chức trực "
                            "thuộc giữ nguyên nội dung đã ký (tên tổ chức khi ký); mã xác minh "
                            "và bản PDF đã niêm phong vẫn hợp lệ."
                        ),
                        count=count,
                        names=", ".join(o.name for o in counted),
                    ),
                )
            )
        return lines

    def _target_kinds(self, change: Change) -> list[str]:
        if change.target is not None:
            return [change.target.kind]
        return [o.kind for o in change.split_into] + [n.kind for n in change.new]

    def _leaving_issuers(self, change: Change) -> list[Line]:
        """Registrations that stay with a plan whose issuer the moved branches leave."""
        lines = []
        parent_path = change.parent.path
        registrations = Registration.objects.filter(
            in_progress(change),
            organization__in=change.moving_branches(),
            status=Registration.Status.REGISTERED,
        ).select_related("plan__issuer", "organization")
        for registration in registrations:
            issuer = registration.plan.issuer
            if not parent_path.startswith(issuer.path):
                lines.append(
                    Line(
                        REGISTRATIONS,
                        Reason(
                            gettext_noop(
                                "%(branch)s ra ngoài %(issuer)s: đăng ký vào Kế hoạch số "
                                "%(plan)s giữ nguyên, nhưng %(issuer)s không còn theo dõi được."
                            ),
                            branch=registration.organization.name,
                            issuer=issuer.name,
                            plan=registration.plan.number,
                        ),
                    )
                )
        return lines

    def apply(self, change: Change, actor: User) -> None:
        for registration in list(_carried(change)):
            reason = Reason(
                gettext_noop(
                    "Kế thừa đăng ký của %(source)s (sắp xếp tổ chức theo %(decision)s, từ ngày "
                    "%(date)s)"
                ),
                source=registration.organization.name,
                decision=change.decision,
                date=short_date(change.effective_date),
            )
            for target in change.targets:
                if target.kind in registration.plan.target_kinds:
                    registration_carry_over(
                        actor=actor,
                        registration=registration,
                        organization=Organization.objects.get(pk=target.pk),
                        reason=reason,
                    )
            if Registration.objects.get(pk=registration.pk).is_active:
                # No successor carries this plan on: the registration ends all the same.
                registration.status = Registration.Status.CARRIED_OVER
                tracked(registration, actor=actor, reason=reason)
                registration.save(update_fields=["status"])


HANDLER = PledgesFollow()
