"""The signing act, written once for every signed document: a pledge version, its
countersignature, a self-assessment (and later decisions and members' self-reviews).

A signature here is an electronic signature under Luật Giao dịch điện tử 2023, as strong as its
evidence. `sign` is the only writer of signatures made by people: it re-authenticates the signer
(password, typed full name, consent — outside any transaction, so a wrong password counts towards
the log-in lock-out even when the signing is refused), then, in one transaction, lets the
document's own service lock the document, check its conditions and say what is signed
(`Signable`); freezes that content as canonical JSON and its SHA-256; refuses if it differs from
what the signer was shown; and records who, when (server time, or the clock passed in), from
where (address, browser) and how. `record_many` is the one other writer: bulk loaders (the
synthetic province) hand it signatures built by `prepared`, over the same canonical content.
"""

import datetime
import hashlib
import json
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.contrib.auth import authenticate as django_authenticate
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from partydocs.models import Signature
from vietnamese.text import normalize_text
from web.clients import client_ip

Role = Signature.Role


def canonical_json(content: dict) -> str:
    """Sorted keys, no spaces, UTF-8 text as is: the same content always gives the same bytes."""
    return json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def content_hash(canonical: str) -> str:
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def new_verification_code() -> str:
    """An unguessable verification code (128 bits), short enough to type from paper."""
    return secrets.token_urlsafe(16)


def signed_content(signature: Signature | None) -> dict | None:
    """The content exactly as signed (never rebuilt from today's data)."""
    return json.loads(signature.canonical) if signature else None


@dataclass(frozen=True)
class Evidence:
    """Where a signature comes from. The request is kept for the lock-out (django-axes counts the
    re-entered password like a log-in attempt from that client)."""

    ip_address: str | None
    user_agent: str
    request: object

    @classmethod
    def from_request(cls, request) -> "Evidence":
        return cls(
            ip_address=client_ip(request) or None,
            user_agent=request.META.get("HTTP_USER_AGENT", "")[:400],
            request=request,
        )

    @classmethod
    def at_address(cls, ip_address: str | None, user_agent: str) -> "Evidence":
        """Evidence for a signature made outside a browser request (a loader re-creating dated
        history, a script): the password is still checked, through the same lock-out."""
        request = HttpRequest()
        request.method = "POST"
        request.META.update(REMOTE_ADDR=ip_address or "", HTTP_USER_AGENT=user_agent)
        return cls(ip_address=ip_address, user_agent=user_agent[:400], request=request)


@dataclass(frozen=True)
class Signer:
    """Who signs, and the proof they give that it is them and that they mean it."""

    user: object
    password: str
    full_name: str
    consent: bool
    drawing: bytes | None = None

    @property
    def method(self) -> str:
        """How the signer proved it, as the record says it (in Vietnamese, the record's language)."""
        if self.drawing:
            return gettext_noop("Mật khẩu, họ tên, xác nhận đồng ý, chữ ký vẽ tay")
        return gettext_noop("Mật khẩu, họ tên, xác nhận đồng ý")


def authenticate(signer: Signer, evidence: Evidence) -> None:
    """Re-authentication right before signing: consent ticked, the account's full name typed, the
    password right (through django-axes, so failures count towards the lock-out)."""
    errors = {}
    user = signer.user
    if not signer.consent:
        errors["consent"] = _("Hãy đánh dấu xác nhận trước khi ký.")
    if normalize_text(signer.full_name).casefold() != normalize_text(user.full_name).casefold():
        errors["full_name"] = _("Họ tên gõ vào không khớp với họ tên của tài khoản (%(name)s).") % {
            "name": user.full_name
        }
    request = evidence.request
    authenticated = django_authenticate(
        request, username=user.get_username(), password=signer.password
    )
    if getattr(request, "axes_locked_out", False):
        errors["password"] = _(
            "Tài khoản tạm bị khóa vì nhập sai mật khẩu nhiều lần; hãy thử lại sau."
        )
    elif authenticated is None or authenticated.pk != user.pk:
        errors["password"] = _("Mật khẩu không đúng.")
    if errors:
        raise ValidationError(errors)


@dataclass
class Signable:
    """What one signature covers, as the document's service prepares it under its row lock:
    the content (or, for a countersignature, the exact canonical text already signed), the
    signer's office as written under the signature, and what the document does once signed."""

    document: models.Model
    role: str
    position: str
    content: dict | None = None
    canonical: str | None = None
    sequence: int = 1
    changed: str = ""  # the refusal when the content differs from what the signer was shown
    after: Callable[[Signature], None] | None = None

    def frozen(self) -> tuple[str, str]:
        canonical = self.canonical if self.canonical is not None else canonical_json(self.content)
        return canonical, content_hash(canonical)


def sign(
    *,
    signer: Signer,
    evidence: Evidence,
    seen_hash: str,
    prepare: Callable[[datetime.datetime], "Signable | Signature"],
    now: datetime.datetime | None = None,
) -> Signature:
    """The signing act. `prepare(now)` runs inside the transaction: it locks the document, checks
    the document's own conditions (status, deadline at `now`, completeness) and returns what is
    signed — or the signature already made, when the same signer submits twice (a double click,
    a second tab)."""
    authenticate(signer, evidence)
    now = now or timezone.now()
    with transaction.atomic():
        step = prepare(now)
        if isinstance(step, Signature):
            return step
        canonical, digest = step.frozen()
        if seen_hash != digest:
            raise ValidationError(
                step.changed or _("Nội dung đã thay đổi kể từ lúc bạn xem. Hãy xem lại rồi ký.")
            )
        signature = Signature.objects.create(
            document=step.document,
            role=step.role,
            sequence=step.sequence,
            user=signer.user,
            full_name=signer.user.full_name,
            position=step.position,
            signed_at=now,
            ip_address=evidence.ip_address,
            user_agent=evidence.user_agent,
            method=signer.method,
            canonical=canonical,
            content_hash=digest,
            drawing=signer.drawing,
            code=new_verification_code(),
        )
        if step.after is not None:
            step.after(signature)
        return signature


def prepared(
    step: Signable,
    *,
    user,
    signed_at: datetime.datetime,
    ip_address: str | None,
    user_agent: str,
    method: str,
) -> Signature:
    """An unsaved signature over `step`'s content, for `record_many`."""
    canonical, digest = step.frozen()
    return Signature(
        document=step.document,
        role=step.role,
        sequence=step.sequence,
        user=user,
        full_name=user.full_name,
        position=step.position,
        signed_at=signed_at,
        ip_address=ip_address,
        user_agent=user_agent,
        method=method,
        canonical=canonical,
        content_hash=digest,
        code=new_verification_code(),
    )


def record_many(
    signatures: Iterable[Signature], *, insert: Callable[[type, list], list] | None = None
) -> list[Signature]:
    """Write signatures made by `prepared` in bulk (a bulk loader may pass its own `insert`, such
    as PostgreSQL COPY). Each one's hash is checked against its canonical content first."""
    signatures = list(signatures)
    for signature in signatures:
        if signature.pk is not None or content_hash(signature.canonical) != signature.content_hash:
            raise ValueError("record_many takes unsaved signatures made by prepared()")
    if insert is not None:
        return insert(Signature, signatures)
    return Signature.objects.bulk_create(signatures, batch_size=5000)
