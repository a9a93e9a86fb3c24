"""Writes on registrations and pledges. Signing is here: re-authentication, the exact content
signed, one signature however many times the button is pressed."""

import datetime
import secrets
from decimal import Decimal

from django.contrib.auth import authenticate
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from branches.models import Organization, User
from branches.permissions import Action, has_perm
from branches.services import tracked
from branches.text import normalize_text
from criteria.models import Indicator, Plan
from criteria.selectors import criteria_of
from criteria.services import plan_lock_criteria
from pledges import notifications
from pledges.models import (
    DeadlineExtension,
    Pledge,
    PledgeCommitment,
    PledgeTarget,
    Registration,
    Signature,
)
from pledges.selectors import (
    build_content,
    canonical_json,
    content_hash,
    deadline_for,
    is_past,
    signed_content,
    signer_position,
)

Kind = DeadlineExtension.Kind
IN_FORCE = [Pledge.Status.SIGNED, Pledge.Status.ACCEPTED]


def _date(day: datetime.date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


@transaction.atomic
def registration_register(
    *, actor: User, plan: Plan, organization: Organization, late_reason: str = ""
) -> Registration:
    """Enrol an organization in a published plan and open its first pledge draft.

    After the deadline (extensions included) only committee staff can register it, with a reason.
    """
    if plan.status != Plan.Status.PUBLISHED:
        raise ValidationError(_("Kế hoạch chưa ban hành hoặc đã kết thúc; không nhận đăng ký."))
    if not plan.targets.filter(pk=organization.pk).exists():
        raise ValidationError(
            _("%(name)s không thuộc danh sách tổ chức thực hiện kế hoạch này.")
            % {"name": organization.name}
        )
    deadline = deadline_for(plan, organization, Kind.REGISTRATION)
    late = is_past(deadline)
    late_reason = late_reason.strip()
    if late:
        if not has_perm(actor, plan.issuer, Action.MANAGE_PLANS):
            raise ValidationError(
                _(
                    "Đã quá hạn đăng ký (%(date)s). Văn phòng cấp ủy có thể nhận đăng ký muộn kèm lý do, hoặc gia hạn."
                )
                % {"date": _date(deadline)}
            )
        if not late_reason:
            raise ValidationError(
                {
                    "late_reason": _(
                        "Đã quá hạn đăng ký (%(date)s): hãy ghi lý do nhận đăng ký muộn."
                    )
                    % {"date": _date(deadline)}
                }
            )
    return _register(
        actor=actor, plan=plan, organization=organization, late_reason=late_reason if late else ""
    )


@transaction.atomic
def _register(
    *, actor: User, plan: Plan, organization: Organization, late_reason: str, at=None
) -> Registration:
    """Record the registration (the checks are the caller's; `at` is for the demo loader only)."""
    registration = (
        Registration.objects.select_for_update()
        .filter(plan=plan, organization=organization)
        .first()
    )
    if registration is not None and registration.is_active:
        raise ValidationError(_("%(name)s đã đăng ký kế hoạch này.") % {"name": organization.name})
    if registration is None:
        registration = Registration(plan=plan, organization=organization)
    registration.status = Registration.Status.REGISTERED
    registration.registered_at = at or timezone.now()
    registration.registered_by = actor
    registration.late_reason = late_reason
    registration.withdrawn_at = None
    registration.withdraw_reason = ""
    registration.full_clean()
    tracked(
        registration,
        actor=actor,
        reason=_("Đăng ký muộn: %(reason)s") % {"reason": late_reason}
        if late_reason
        else _("Đăng ký"),
    )
    registration.save()
    if not registration.pledges.filter(status__in=[Pledge.Status.DRAFT, *IN_FORCE]).exists():
        _new_draft(registration=registration, actor=actor, source=None)
    return registration


@transaction.atomic
def registration_withdraw(*, actor: User, registration: Registration, reason: str) -> Registration:
    """Withdraw a registration (with a reason). Signed pledges stay readable, shown as withdrawn."""
    if not reason.strip():
        raise ValidationError({"reason": _("Hãy ghi lý do rút đăng ký.")})
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if not registration.is_active:
        raise ValidationError(_("Đăng ký này đã được rút."))
    registration.status = Registration.Status.WITHDRAWN
    registration.withdrawn_at = timezone.now()
    registration.withdraw_reason = reason.strip()
    tracked(
        registration, actor=actor, reason=_("Rút đăng ký: %(reason)s") % {"reason": reason.strip()}
    )
    registration.save(update_fields=["status", "withdrawn_at", "withdraw_reason"])
    transaction.on_commit(lambda: notifications.registration_withdrawn(registration))
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
    if not plan.targets.filter(pk=organization.pk).exists():
        raise ValidationError(
            _("%(name)s không thuộc danh sách tổ chức thực hiện kế hoạch này.")
            % {"name": organization.name}
        )
    current = getattr(plan, DeadlineExtension.PLAN_FIELDS[Kind(kind)])
    if current is None:
        raise ValidationError({"kind": _("Kế hoạch không có hạn này.")})
    if until <= current:
        raise ValidationError(
            {
                "until": _("Ngày gia hạn phải sau hạn của kế hoạch (%(date)s).")
                % {"date": _date(current)}
            }
        )
    if not reason.strip():
        raise ValidationError({"reason": _("Hãy ghi lý do gia hạn.")})
    extension = DeadlineExtension.objects.filter(
        plan=plan, organization=organization, kind=kind
    ).first() or DeadlineExtension(plan=plan, organization=organization, kind=kind)
    extension.until, extension.reason, extension.granted_by = until, reason.strip(), actor
    extension.full_clean()
    tracked(extension, actor=actor, reason=_("Gia hạn"))
    extension.save()
    return extension


def _new_draft(*, registration: Registration, actor: User | None, source: Pledge | None) -> Pledge:
    last = registration.pledges.order_by("-version").values_list("version", flat=True).first() or 0
    pledge = Pledge(registration=registration, version=last + 1, created_by=actor)
    tracked(
        pledge,
        actor=actor,
        reason=_("Tạo bản sửa đổi lần %(n)s") % {"n": last + 1} if source else _("Tạo dự thảo"),
    )
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
    reason = _("Sửa mức cam kết")
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
        canonical = pledge.signatures.get(role=Signature.Role.SIGNER).canonical
        return signed_content(pledge), content_hash(canonical)
    content = build_content(
        pledge,
        signer_name=user.full_name,
        signer_position=signer_position(user, pledge.registration.organization),
        day=day or timezone.localdate(),
    )
    return content, content_hash(canonical_json(content))


def check_signer(*, user: User, password: str, full_name: str, consent: bool, request) -> None:
    """The evidence that the signer is the account holder and means to sign."""
    errors = {}
    if not consent:
        errors["consent"] = _("Hãy đánh dấu xác nhận trước khi ký.")
    if normalize_text(full_name).casefold() != normalize_text(user.full_name).casefold():
        errors["full_name"] = _("Họ tên gõ vào không khớp với họ tên của tài khoản (%(name)s).") % {
            "name": user.full_name
        }
    # Through django-axes, so wrong passwords here count towards the log-in lock-out too.
    authenticated = authenticate(request, username=user.get_username(), password=password)
    if getattr(request, "axes_locked_out", False):
        errors["password"] = _(
            "Tài khoản tạm bị khóa vì nhập sai mật khẩu nhiều lần; hãy thử lại sau."
        )
    elif authenticated is None or authenticated.pk != user.pk:
        errors["password"] = _("Mật khẩu không đúng.")
    if errors:
        raise ValidationError(errors)


def request_meta(request) -> tuple[str | None, str]:
    address = request.META.get("REMOTE_ADDR") or None
    return address, request.META.get("HTTP_USER_AGENT", "")[:400]


def new_verification_code() -> str:
    """An unguessable verification code (128 bits), short enough to type from paper."""
    return secrets.token_urlsafe(16)


def pledge_sign(
    *,
    pledge: Pledge,
    user: User,
    password: str,
    full_name: str,
    consent: bool,
    seen_hash: str,
    drawing: bytes | None,
    request,
) -> Signature:
    """The branch secretary signs the draft they were shown. A repeated submit (double click,
    second tab, second process) returns the signature already made instead of a second one."""
    organization = pledge.registration.organization
    if not has_perm(user, organization, Action.SIGN_FOR_BRANCH):
        raise PermissionDenied
    check_signer(
        user=user, password=password, full_name=full_name, consent=consent, request=request
    )
    ip_address, user_agent = request_meta(request)
    method = _("Mật khẩu, họ tên, xác nhận đồng ý") + (_(", chữ ký vẽ tay") if drawing else "")
    return _sign(
        pledge=pledge,
        user=user,
        seen_hash=seen_hash,
        drawing=drawing,
        ip_address=ip_address,
        user_agent=user_agent,
        method=method,
    )


@transaction.atomic
def _sign(
    *,
    pledge: Pledge,
    user: User,
    seen_hash: str | None,
    drawing: bytes | None,
    ip_address,
    user_agent: str,
    method: str,
    at=None,
) -> Signature:
    """Record the signature under a row lock on the pledge. `seen_hash` None and `at` are for
    the demo loader only, which re-creates dated history; views always go through pledge_sign."""
    pledge = (
        Pledge.objects.select_for_update()
        .select_related("registration__plan__issuer", "registration__organization")
        .get(pk=pledge.pk)
    )
    already = pledge.signatures.filter(role=Signature.Role.SIGNER).first()
    if already is not None:
        if already.user_id == user.pk:
            return already
        raise ValidationError(_("Bản cam kết này đã được ký."))
    _require_draft(pledge)
    registration = pledge.registration
    if not registration.is_active:
        raise ValidationError(_("Đăng ký đã được rút; không ký được."))
    plan = registration.plan
    if plan.status != Plan.Status.PUBLISHED:
        raise ValidationError(_("Kế hoạch chưa ban hành hoặc đã kết thúc; không ký được."))
    now = at or timezone.now()
    deadline = deadline_for(plan, registration.organization, Kind.SIGNING)
    if at is None and is_past(deadline, timezone.localdate(now)):
        raise ValidationError(
            _("Đã quá hạn ký cam kết (%(date)s). Hãy đề nghị văn phòng cấp ủy gia hạn.")
            % {"date": _date(deadline)}
        )
    missing = missing_targets(pledge)
    if missing:
        raise ValidationError(
            _("Chưa nhập mức cam kết cho các chỉ tiêu: %(codes)s.") % {"codes": ", ".join(missing)}
        )
    content = build_content(
        pledge,
        signer_name=user.full_name,
        signer_position=signer_position(user, registration.organization),
        day=timezone.localdate(now),
    )
    canonical = canonical_json(content)
    digest = content_hash(canonical)
    if seen_hash is not None and seen_hash != digest:
        raise ValidationError(
            _("Nội dung bản cam kết đã thay đổi kể từ lúc bạn xem. Hãy xem lại nội dung rồi ký.")
        )
    # The version in force until now is replaced by this one.
    for older in (
        registration.pledges.select_for_update().filter(status__in=IN_FORCE).exclude(pk=pledge.pk)
    ):
        older.status = Pledge.Status.SUPERSEDED
        tracked(
            older,
            actor=user,
            reason=_("Được thay bằng bản sửa đổi lần %(n)s") % {"n": pledge.version},
        )
        older.save(update_fields=["status"])
    signature = Signature.objects.create(
        document=pledge,
        role=Signature.Role.SIGNER,
        user=user,
        full_name=user.full_name,
        position=content["signer"]["position"],
        signed_at=now,
        ip_address=ip_address,
        user_agent=user_agent,
        method=method,
        canonical=canonical,
        content_hash=digest,
        drawing=drawing,
        code=new_verification_code(),
    )
    pledge.status = Pledge.Status.SIGNED
    tracked(pledge, actor=user, reason=_("Ký cam kết"))
    pledge.save(update_fields=["status"])
    plan_lock_criteria(plan=plan)
    if at is None:  # the demo's dated history notifies nobody
        transaction.on_commit(lambda: notifications.pledge_signed(pledge))
    return signature


def pledge_countersign(
    *,
    pledge: Pledge,
    user: User,
    password: str,
    full_name: str,
    consent: bool,
    seen_hash: str,
    request,
) -> Signature:
    """A committee leader accepts a signed pledge by countersigning the same content."""
    if not has_perm(user, pledge.registration.plan.issuer, Action.DECIDE):
        raise PermissionDenied
    check_signer(
        user=user, password=password, full_name=full_name, consent=consent, request=request
    )
    ip_address, user_agent = request_meta(request)
    return _countersign(
        pledge=pledge, user=user, seen_hash=seen_hash, ip_address=ip_address, user_agent=user_agent
    )


@transaction.atomic
def _countersign(
    *, pledge: Pledge, user: User, seen_hash: str | None, ip_address, user_agent: str, at=None
) -> Signature:
    pledge = (
        Pledge.objects.select_for_update()
        .select_related("registration__plan__issuer")
        .get(pk=pledge.pk)
    )
    already = pledge.signatures.filter(role=Signature.Role.COUNTERSIGNER).first()
    if already is not None:
        if already.user_id == user.pk:
            return already
        raise ValidationError(_("Bản cam kết này đã được xác nhận."))
    if pledge.status != Pledge.Status.SIGNED:
        raise ValidationError(_("Chỉ xác nhận được bản cam kết đã ký và đang chờ xác nhận."))
    signed = pledge.signatures.get(role=Signature.Role.SIGNER)
    if seen_hash is not None and seen_hash != signed.content_hash:
        raise ValidationError(_("Nội dung không khớp với bản đã ký. Hãy tải lại trang."))
    signature = Signature.objects.create(
        document=pledge,
        role=Signature.Role.COUNTERSIGNER,
        user=user,
        full_name=user.full_name,
        position=signer_position(user, pledge.registration.plan.issuer),
        signed_at=at or timezone.now(),
        ip_address=ip_address,
        user_agent=user_agent,
        method=_("Mật khẩu, họ tên, xác nhận đồng ý"),
        canonical=signed.canonical,
        content_hash=signed.content_hash,
        code=new_verification_code(),
    )
    pledge.status = Pledge.Status.ACCEPTED
    tracked(pledge, actor=user, reason=_("Cấp ủy xác nhận"))
    pledge.save(update_fields=["status"])
    return signature


@transaction.atomic
def pledge_return(*, actor: User, pledge: Pledge, reason: str) -> Pledge:
    """The committee returns a signed pledge for amendment, with a reason."""
    if not reason.strip():
        raise ValidationError({"reason": _("Hãy ghi lý do trả lại.")})
    pledge = Pledge.objects.select_for_update().get(pk=pledge.pk)
    if pledge.status != Pledge.Status.SIGNED:
        raise ValidationError(_("Chỉ trả lại được bản cam kết đã ký và đang chờ xác nhận."))
    pledge.status = Pledge.Status.RETURNED
    pledge.return_reason = reason.strip()
    pledge.returned_at = timezone.now()
    pledge.returned_by = actor
    tracked(pledge, actor=actor, reason=_("Trả lại: %(reason)s") % {"reason": reason.strip()})
    pledge.save(update_fields=["status", "return_reason", "returned_at", "returned_by"])
    transaction.on_commit(lambda: notifications.pledge_returned(pledge))
    return pledge


@transaction.atomic
def pledge_amend(*, actor: User, pledge: Pledge) -> Pledge:
    """Start an amendment: a new draft version copying the targets of `pledge`."""
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
