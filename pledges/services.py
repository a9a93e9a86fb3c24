"""Writes on registrations and pledges. Each service checks its own permission; the signing act
itself (re-authentication, the exact content signed, one signature however many times the button
is pressed) is `partydocs.signing.sign`, to which the pledge's services say what is signed."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from audit.history import tracked
from audit.reasons import Reason, describe, encode
from branches.models import Organization, User
from branches.permissions import Action, has_perm, require_perm
from criteria.models import Indicator, Plan
from criteria.selectors import criteria_of
from criteria.services import plan_lock_criteria
from partydocs.models import Signature
from partydocs.signing import (
    Evidence,
    Signable,
    Signer,
    canonical_json,
    content_hash,
    sign,
)
from pledges import notifications
from pledges.models import DeadlineExtension, Pledge, PledgeCommitment, PledgeTarget, Registration
from pledges.selectors import (
    build_content,
    deadline_for,
    is_past,
    secretary_emails,
    signed_content,
    signer_position,
)
from vietnamese.dates import short_date

Kind = DeadlineExtension.Kind
Role = Signature.Role
IN_FORCE = [Pledge.Status.SIGNED, Pledge.Status.ACCEPTED]


@transaction.atomic
def registration_register(
    *,
    actor: User,
    plan: Plan,
    organization: Organization,
    late_reason: str = "",
    year: int | None = None,
    now: datetime.datetime | None = None,
) -> Registration:
    """Enrol an organization in a published plan for one of its years (the year `now` falls in
    by default) and open its pledge draft — from the targets it pledged the year before, if it
    did, else from the plan's suggestions.

    After the year's deadline (extensions included) only committee staff can register it, with
    a reason. `now` is the clock (a loader re-creating dated history passes its own; the deadline
    is checked against it all the same).
    """
    require_perm(actor, organization, Action.ACT_FOR_BRANCH)
    now = now or timezone.now()
    today = timezone.localdate(now)
    if plan.status != Plan.Status.PUBLISHED:
        raise ValidationError(_("Kế hoạch chưa ban hành hoặc đã kết thúc; không nhận đăng ký."))
    year = year or plan.year_of(today)
    if not plan.start_year <= year <= plan.end_year:
        raise ValidationError(
            _("Kế hoạch thực hiện từ năm %(start)s đến năm %(end)s; không đăng ký năm %(year)s.")
            % {"start": plan.start_year, "end": plan.end_year, "year": year}
        )
    if year > max(today.year, plan.start_year):
        raise ValidationError(
            _("Chưa đến năm %(year)s: mỗi năm đăng ký trong năm đó.") % {"year": year}
        )
    if not plan.targets.filter(pk=organization.pk).exists():
        raise ValidationError(
            _("%(name)s không thuộc danh sách tổ chức thực hiện kế hoạch này.")
            % {"name": organization.name}
        )
    deadline = deadline_for(plan, organization, Kind.REGISTRATION, year)
    late = is_past(deadline, timezone.localdate(now))
    late_reason = late_reason.strip() if late else ""
    if late:
        if not has_perm(actor, plan.issuer, Action.MANAGE_PLANS):
            raise ValidationError(
                _(
                    "Đã quá hạn đăng ký (%(date)s). Văn phòng cấp ủy có thể nhận đăng ký muộn kèm lý do, hoặc gia hạn."
                )
                % {"date": short_date(deadline)}
            )
        if not late_reason:
            raise ValidationError(
                {
                    "late_reason": _(
                        "Đã quá hạn đăng ký (%(date)s): hãy ghi lý do nhận đăng ký muộn."
                    )
                    % {"date": short_date(deadline)}
                }
            )
    # The organization's row is locked first: a registration that does not exist yet cannot be
    # locked, and two clicks would both insert it.
    Organization.objects.select_for_update().filter(pk=organization.pk).first()
    registration = (
        Registration.objects.select_for_update()
        .filter(plan=plan, organization=organization, year=year)
        .first()
    )
    if registration is not None and registration.is_active:
        raise ValidationError(
            _("%(name)s đã đăng ký kế hoạch này năm %(year)s.")
            % {"name": organization.name, "year": year}
        )
    if registration is None:
        registration = Registration(plan=plan, organization=organization, year=year)
    registration.status = Registration.Status.REGISTERED
    registration.registered_at = now
    registration.registered_by = actor
    registration.late_reason = late_reason
    registration.withdrawn_at = None
    registration.withdraw_reason = ""
    registration.full_clean()
    tracked(
        registration,
        actor=actor,
        reason=Reason(gettext_noop("Đăng ký muộn: %(reason)s"), reason=late_reason)
        if late_reason
        else gettext_noop("Đăng ký"),
    )
    registration.save()
    if not registration.pledges.filter(status__in=[Pledge.Status.DRAFT, *IN_FORCE]).exists():
        _new_draft(registration=registration, actor=actor, source=_last_year(registration))
    return registration


def _last_year(registration: Registration) -> Pledge | None:
    """The pledge in force of the organization's registration the year before, if any: next
    year's draft starts from its targets."""
    return (
        Pledge.objects.filter(
            registration__plan=registration.plan,
            registration__organization=registration.organization,
            registration__year=registration.year - 1,
            status__in=IN_FORCE,
        )
        .order_by("-version")
        .first()
    )


@transaction.atomic
def registration_carry_over(
    *,
    actor: User,
    registration: Registration,
    organization: Organization,
    reason: Reason,
    now: datetime.datetime | None = None,
) -> Registration:
    """A reorganization hands a registration in progress to the organization that succeeds the
    registered one: that organization is registered in its place (as a target of the plan, with
    a new pledge draft to sign — a pledge is personal to the secretary who signs it) unless it
    is already, and this registration ends as carried over, its signed pledges untouched."""
    require_perm(actor, registration.organization, Action.MANAGE_ORGANIZATIONS)
    require_perm(actor, organization, Action.MANAGE_ORGANIZATIONS)
    now = now or timezone.now()
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    plan = registration.plan
    if not plan.targets.filter(pk=organization.pk).exists():
        tracked(plan, actor=actor, reason=reason)
        plan.targets.add(organization)
    year = registration.year
    successor = Registration.objects.filter(plan=plan, organization=organization, year=year).first()
    if successor is None or not successor.is_active:
        successor = successor or Registration(plan=plan, organization=organization, year=year)
        successor.status = Registration.Status.REGISTERED
        successor.registered_at = now
        successor.registered_by = actor
        with translation.override("vi"):
            successor.late_reason = describe(encode(reason))
        successor.withdrawn_at = None
        successor.withdraw_reason = ""
        successor.full_clean()
        tracked(successor, actor=actor, reason=reason)
        successor.save()
        if not successor.pledges.filter(status__in=[Pledge.Status.DRAFT, *IN_FORCE]).exists():
            _new_draft(registration=successor, actor=actor, source=None)
    registration.status = Registration.Status.CARRIED_OVER
    tracked(registration, actor=actor, reason=reason)
    registration.save(update_fields=["status"])
    return successor


@transaction.atomic
def registration_withdraw(*, actor: User, registration: Registration, reason: str) -> Registration:
    """Withdraw a registration (with a reason). Signed pledges stay readable, shown as withdrawn."""
    require_perm(actor, registration.organization, Action.ACT_FOR_BRANCH)
    if not reason.strip():
        raise ValidationError({"reason": _("Hãy ghi lý do rút đăng ký.")})
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if not registration.is_active:
        raise ValidationError(_("Đăng ký này đã được rút."))
    registration.status = Registration.Status.WITHDRAWN
    registration.withdrawn_at = timezone.now()
    registration.withdraw_reason = reason.strip()
    tracked(
        registration,
        actor=actor,
        reason=Reason(gettext_noop("Rút đăng ký: %(reason)s"), reason=reason.strip()),
    )
    registration.save(update_fields=["status", "withdrawn_at", "withdraw_reason"])
    transaction.on_commit(lambda: notifications.registration_withdrawn(registration), robust=True)
    return registration


@transaction.atomic
def deadline_extend(
    *,
    actor: User,
    plan: Plan,
    organization: Organization,
    kind: str,
    until: datetime.date,
    reason: str,
) -> DeadlineExtension:
    """Give one organization a later deadline (or change the one given)."""
    require_perm(actor, plan.issuer, Action.MANAGE_PLANS)
    if not plan.targets.filter(pk=organization.pk).exists():
        raise ValidationError(
            _("%(name)s không thuộc danh sách tổ chức thực hiện kế hoạch này.")
            % {"name": organization.name}
        )
    # The deadline of the plan's year the extension falls in (a plan over several years repeats
    # its dates every year).
    current = plan.deadline_for_year(DeadlineExtension.PLAN_FIELDS[Kind(kind)], plan.year_of(until))
    if current is None:
        raise ValidationError({"kind": _("Kế hoạch không có hạn này.")})
    if until <= current:
        raise ValidationError(
            {
                "until": _("Ngày gia hạn phải sau hạn của kế hoạch (%(date)s).")
                % {"date": short_date(current)}
            }
        )
    if not reason.strip():
        raise ValidationError({"reason": _("Hãy ghi lý do gia hạn.")})
    extension = DeadlineExtension.objects.filter(
        plan=plan, organization=organization, kind=kind
    ).first() or DeadlineExtension(plan=plan, organization=organization, kind=kind)
    extension.until, extension.reason, extension.granted_by = until, reason.strip(), actor
    extension.full_clean()
    tracked(extension, actor=actor, reason=gettext_noop("Gia hạn"))
    extension.save()
    return extension


def reminder_send(
    *, actor: User, plan: Plan, organization: Organization, kind: str, year: int | None = None
) -> list[str]:
    """Remind the organization's secretaries now of a deadline of the plan (coming or passed):
    the committee staff's one click on a late item. Returns the addresses written to."""
    require_perm(actor, plan.issuer, Action.MANAGE_PLANS)
    if not plan.targets.filter(pk=organization.pk).exists():
        raise ValidationError(
            _("%(name)s không thuộc danh sách tổ chức thực hiện kế hoạch này.")
            % {"name": organization.name}
        )
    if kind not in Kind.values:
        raise ValidationError(_("Không rõ hạn nào cần nhắc."))
    deadline = deadline_for(plan, organization, kind, year)
    if deadline is None:
        raise ValidationError(_("Kế hoạch không có hạn này."))
    recipients = secretary_emails(organization)
    if not recipients:
        raise ValidationError(
            _("%(name)s chưa có bí thư có địa chỉ thư điện tử: hãy nhắc qua điện thoại.")
            % {"name": organization.name}
        )
    registration = Registration.objects.filter(plan=plan, organization=organization).first()
    notifications.deadline_reminder(
        plan, organization, kind, deadline, registration=registration, year=year
    )
    return recipients


def _new_draft(*, registration: Registration, actor: User | None, source: Pledge | None) -> Pledge:
    last = registration.pledges.order_by("-version").values_list("version", flat=True).first() or 0
    pledge = Pledge(registration=registration, version=last + 1, created_by=actor)
    if source is None:
        reason = gettext_noop("Tạo dự thảo")
    elif source.registration_id == registration.pk:
        reason = Reason(gettext_noop("Tạo bản sửa đổi lần %(n)s"), n=last + 1)
    else:
        reason = Reason(
            gettext_noop("Tạo dự thảo từ mức cam kết năm %(year)s"),
            year=source.registration.year,
        )
    tracked(pledge, actor=actor, reason=reason)
    pledge.save()
    if source is not None:
        PledgeTarget.objects.bulk_create(
            PledgeTarget(
                pledge=pledge,
                indicator_id=t.indicator_id,
                value_yes=t.value_yes,
                value_number=t.value_number,
                note=t.note,
            )
            for t in source.targets.all()
        )
        PledgeCommitment.objects.bulk_create(
            PledgeCommitment(pledge=pledge, criterion_id=c.criterion_id, text=c.text)
            for c in source.commitments.all()
        )
        return pledge
    # A first draft starts from the plan's suggested targets.
    targets = []
    for criterion in criteria_of(registration.plan):
        for indicator in criterion.indicators.all():
            yes = indicator.target_kind == Indicator.TargetKind.YES_NO
            targets.append(
                PledgeTarget(
                    pledge=pledge,
                    indicator=indicator,
                    value_yes=True if yes else None,
                    value_number=None if yes else indicator.default_target,
                )
            )
    PledgeTarget.objects.bulk_create(targets)
    return pledge


def _require_draft(pledge: Pledge) -> None:
    if not pledge.is_draft:
        raise ValidationError(_("Bản cam kết đã ký thì không sửa được; hãy tạo bản sửa đổi."))


@transaction.atomic
def pledge_save(
    *, actor: User, pledge: Pledge, targets: dict[int, dict], commitments: dict[int, str]
) -> Pledge:
    """Save the targets (per indicator id: value_yes / value_number / note) and the commitments
    (per criterion id) of a draft."""
    require_perm(actor, pledge.registration.organization, Action.ACT_FOR_BRANCH)
    pledge = Pledge.objects.select_for_update().get(pk=pledge.pk)
    _require_draft(pledge)
    indicators = {
        i.pk: i for i in Indicator.objects.filter(criterion__plan=pledge.registration.plan)
    }
    errors = {}
    existing = {t.indicator_id: t for t in pledge.targets.all()}
    for indicator_id, values in targets.items():
        indicator = indicators[indicator_id]
        number = values.get("value_number")
        if (
            indicator.target_kind == Indicator.TargetKind.PERCENT
            and number is not None
            and not (Decimal(0) <= number <= Decimal(100))
        ):
            errors[f"target_{indicator_id}"] = _("Tỷ lệ phải từ 0 đến 100.")
        if (
            indicator.target_kind == Indicator.TargetKind.NUMBER
            and number is not None
            and number < 0
        ):
            errors[f"target_{indicator_id}"] = _("Số lượng không thể âm.")
    if errors:
        raise ValidationError(errors)
    reason = gettext_noop("Sửa mức cam kết")
    for indicator_id, values in targets.items():
        target = existing.get(indicator_id) or PledgeTarget(
            pledge=pledge, indicator_id=indicator_id
        )
        changed = (target.value_yes, target.value_number, target.note) != (
            values.get("value_yes"),
            values.get("value_number"),
            values.get("note", ""),
        )
        if changed or target.pk is None:
            target.value_yes = values.get("value_yes")
            target.value_number = values.get("value_number")
            target.note = values.get("note", "")
            tracked(target, actor=actor, reason=reason)
            target.save()
    current = {c.criterion_id: c for c in pledge.commitments.all()}
    for criterion_id, text in commitments.items():
        commitment = current.get(criterion_id) or PledgeCommitment(
            pledge=pledge, criterion_id=criterion_id
        )
        if commitment.pk is None or commitment.text != text:
            commitment.text = text
            tracked(commitment, actor=actor, reason=reason)
            commitment.save()
    return pledge


def missing_targets(pledge: Pledge) -> list[str]:
    """Codes of indicators without a target value, e.g. ["2.1", "4.4"]."""
    values = {t.indicator_id: t for t in pledge.targets.all()}
    missing = []
    for criterion in criteria_of(pledge.registration.plan):
        for indicator in criterion.indicators.all():
            target = values.get(indicator.pk)
            value = (
                None
                if target is None
                else (
                    target.value_yes
                    if indicator.target_kind == Indicator.TargetKind.YES_NO
                    else target.value_number
                )
            )
            if value is None:
                missing.append(f"{criterion.order}.{indicator.order}")
    return missing


def preview_content(
    pledge: Pledge, user: User, day: datetime.date | None = None
) -> tuple[dict, str]:
    """What `user` would sign today: the content and its hash (shown on the signing page)."""
    if not pledge.is_draft:
        canonical = pledge.signatures.get(role=Role.SIGNER).canonical
        return signed_content(pledge), content_hash(canonical)
    content = _content_for(pledge, user, day or timezone.localdate())
    return content, content_hash(canonical_json(content))


def _content_for(pledge: Pledge, user: User, day: datetime.date) -> dict:
    """The pledge's content as `user` would sign it on `day`, in the record's language."""
    with translation.override("vi"):
        return build_content(
            pledge,
            signer_name=user.full_name,
            signer_position=signer_position(user, pledge.registration.organization),
            day=day,
        )


def pledge_sign(
    *, signer: Signer, evidence: Evidence, pledge: Pledge, seen_hash: str, now=None
) -> Signature:
    """The branch secretary signs the draft they were shown. A repeated submit (double click,
    second tab, second process) returns the signature already made instead of a second one."""
    user = signer.user
    require_perm(user, pledge.registration.organization, Action.SIGN_FOR_BRANCH)

    def prepare(now) -> Signable | Signature:
        locked = (
            Pledge.objects.select_for_update(of=("self",))
            .select_related("registration__plan__issuer", "registration__organization")
            .get(pk=pledge.pk)
        )
        already = locked.signatures.filter(role=Role.SIGNER).first()
        if already is not None:
            if already.user_id == user.pk:
                return already
            raise ValidationError(_("Bản cam kết này đã được ký."))
        _require_draft(locked)
        registration = locked.registration
        if not registration.is_active:
            raise ValidationError(_("Đăng ký đã được rút; không ký được."))
        plan = registration.plan
        if plan.status != Plan.Status.PUBLISHED:
            raise ValidationError(_("Kế hoạch chưa ban hành hoặc đã kết thúc; không ký được."))
        deadline = deadline_for(plan, registration.organization, Kind.SIGNING, registration.year)
        if is_past(deadline, timezone.localdate(now)):
            raise ValidationError(
                _("Đã quá hạn ký cam kết (%(date)s). Hãy đề nghị văn phòng cấp ủy gia hạn.")
                % {"date": short_date(deadline)}
            )
        missing = missing_targets(locked)
        if missing:
            raise ValidationError(
                _("Chưa nhập mức cam kết cho các chỉ tiêu: %(codes)s.")
                % {"codes": ", ".join(missing)}
            )
        content = _content_for(locked, user, timezone.localdate(now))

        def after(signature: Signature) -> None:
            # The version in force until now is replaced by this one.
            for older in (
                registration.pledges.select_for_update()
                .filter(status__in=IN_FORCE)
                .exclude(pk=locked.pk)
            ):
                older.status = Pledge.Status.SUPERSEDED
                tracked(
                    older,
                    actor=user,
                    reason=Reason(
                        gettext_noop("Được thay bằng bản sửa đổi lần %(n)s"), n=locked.version
                    ),
                )
                older.save(update_fields=["status"])
            locked.status = Pledge.Status.SIGNED
            tracked(locked, actor=user, reason=gettext_noop("Ký cam kết"))
            locked.save(update_fields=["status"])
            plan_lock_criteria(plan=plan)
            transaction.on_commit(lambda: notifications.pledge_signed(locked), robust=True)

        return Signable(
            document=locked,
            role=Role.SIGNER,
            position=content["signer"]["position"],
            content=content,
            changed=_(
                "Nội dung bản cam kết đã thay đổi kể từ lúc bạn xem. Hãy xem lại nội dung rồi ký."
            ),
            after=after,
        )

    return sign(signer=signer, evidence=evidence, seen_hash=seen_hash, prepare=prepare, now=now)


def pledge_countersign(
    *, signer: Signer, evidence: Evidence, pledge: Pledge, seen_hash: str, now=None
) -> Signature:
    """A committee leader accepts a signed pledge by countersigning the same content."""
    user = signer.user
    require_perm(user, pledge.registration.plan.issuer, Action.DECIDE)

    def prepare(now) -> Signable | Signature:
        locked = (
            Pledge.objects.select_for_update(of=("self",))
            .select_related("registration__plan__issuer")
            .get(pk=pledge.pk)
        )
        already = locked.signatures.filter(role=Role.COUNTERSIGNER).first()
        if already is not None:
            if already.user_id == user.pk:
                return already
            raise ValidationError(_("Bản cam kết này đã được xác nhận."))
        if locked.status != Pledge.Status.SIGNED:
            raise ValidationError(_("Chỉ xác nhận được bản cam kết đã ký và đang chờ xác nhận."))
        signed = locked.signatures.get(role=Role.SIGNER)

        def after(signature: Signature) -> None:
            locked.status = Pledge.Status.ACCEPTED
            tracked(locked, actor=user, reason=gettext_noop("Cấp ủy xác nhận"))
            locked.save(update_fields=["status"])

        with translation.override("vi"):
            position = signer_position(user, locked.registration.plan.issuer)
        return Signable(
            document=locked,
            role=Role.COUNTERSIGNER,
            position=position,
            canonical=signed.canonical,
            changed=_("Nội dung không khớp với bản đã ký. Hãy tải lại trang."),
            after=after,
        )

    return sign(signer=signer, evidence=evidence, seen_hash=seen_hash, prepare=prepare, now=now)


@transaction.atomic
def pledge_return(*, actor: User, pledge: Pledge, reason: str) -> Pledge:
    """The committee returns a signed pledge for amendment, with a reason."""
    require_perm(actor, pledge.registration.plan.issuer, Action.DECIDE)
    if not reason.strip():
        raise ValidationError({"reason": _("Hãy ghi lý do trả lại.")})
    pledge = Pledge.objects.select_for_update().get(pk=pledge.pk)
    if pledge.status != Pledge.Status.SIGNED:
        raise ValidationError(_("Chỉ trả lại được bản cam kết đã ký và đang chờ xác nhận."))
    pledge.status = Pledge.Status.RETURNED
    pledge.return_reason = reason.strip()
    pledge.returned_at = timezone.now()
    pledge.returned_by = actor
    tracked(
        pledge,
        actor=actor,
        reason=Reason(gettext_noop("Trả lại: %(reason)s"), reason=reason.strip()),
    )
    pledge.save(update_fields=["status", "return_reason", "returned_at", "returned_by"])
    transaction.on_commit(lambda: notifications.pledge_returned(pledge), robust=True)
    return pledge


@transaction.atomic
def pledge_discard(*, actor: User, pledge: Pledge) -> Pledge:
    """Discard a draft amendment (never signed, so nothing of it is evidence): its targets and
    commitments go, the history keeps the record of it and who discarded it. Returns the newest
    version left. A first draft is not discarded: withdrawing the registration does that."""
    require_perm(actor, pledge.registration.organization, Action.ACT_FOR_BRANCH)
    Registration.objects.select_for_update().filter(pk=pledge.registration_id).first()
    pledge = Pledge.objects.select_for_update().get(pk=pledge.pk)
    if not pledge.is_draft:
        raise ValidationError(_("Chỉ hủy được bản sửa đổi chưa ký."))
    older = pledge.registration.pledges.exclude(pk=pledge.pk).order_by("-version").first()
    if older is None:
        raise ValidationError(
            _("Đây là bản cam kết đầu tiên: không hủy được; muốn thôi tham gia thì rút đăng ký.")
        )
    reason = Reason(gettext_noop("Hủy bản sửa đổi lần %(n)s"), n=pledge.version)
    for part in [*pledge.targets.all(), *pledge.commitments.all()]:
        tracked(part, actor=actor, reason=reason)
        part.delete()
    tracked(pledge, actor=actor, reason=reason)
    pledge.delete()
    return older


@transaction.atomic
def pledge_amend(*, actor: User, pledge: Pledge) -> Pledge:
    """Start an amendment: a new draft version copying the targets of `pledge`."""
    require_perm(actor, pledge.registration.organization, Action.ACT_FOR_BRANCH)
    registration = Registration.objects.select_for_update().get(pk=pledge.registration_id)
    pledge = Pledge.objects.get(pk=pledge.pk)
    if not registration.is_active:
        raise ValidationError(_("Đăng ký đã được rút."))
    draft = registration.pledges.filter(status=Pledge.Status.DRAFT).first()
    if draft is not None:
        return draft
    if pledge.status not in (Pledge.Status.SIGNED, Pledge.Status.ACCEPTED, Pledge.Status.RETURNED):
        raise ValidationError(_("Chỉ sửa đổi được bản cam kết đã ký."))
    return _new_draft(registration=registration, actor=actor, source=pledge)
