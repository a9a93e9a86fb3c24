"""Document numbers: "98-KH/ĐU" = sequence, kind code, issuer code.

Numbers run from 01 per document kind, per issuing body, per term. Each kind lives in one table
(KH: plans, BC: summary reports, QĐ: decisions), so a unique constraint on (issuer, term,
sequence) in that table makes a duplicate impossible; `allocate_sequence` takes the issuer's row
lock so two people issuing at once queue instead of colliding.

The term is the issuing body's own (`CongressTerm`, entered by staff: from its congress, or from
its founding after a merger), since the 2025–2030 congresses were held on different dates and a
merged committee numbers from its founding. A body with no term entered keeps the reading used
before terms were entered: terms of five years from 2020, the congress year's new term from
1 July (`term_of`).
"""

import datetime
import re

from django.conf import settings
from django.db import models
from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from partydocs.models import CongressTerm
from vietnamese.fields import NFCCharField

TERM_LENGTH = 5
TERM_ANCHOR = 2020
TERM_LABEL = re.compile(r"(\d{4})[-–](\d{4})")


def term_of(day: datetime.date) -> str:
    """The computed term of a body that has entered none (our reading: 2020–2025, 2025–2030 …,
    the congress year's new term from 1 July)."""
    start = day.year - (day.year - TERM_ANCHOR) % TERM_LENGTH
    if day.year == start and day.month < 7:
        start -= TERM_LENGTH
    return f"{start}–{start + TERM_LENGTH}"


def current_term(issuer, day: datetime.date) -> CongressTerm | None:
    """The issuer's entered term in force on `day` (the latest started on or before it)."""
    return (
        CongressTerm.objects.filter(organization=issuer, start_date__lte=day)
        .order_by("-start_date")
        .first()
    )


def term_for(issuer, day: datetime.date) -> str:
    """The key a document issued by `issuer` on `day` is numbered under."""
    term = current_term(issuer, day)
    return term.key if term else term_of(day)


def term_label(issuer, key: str) -> str:
    """ "2025–2030" — the term a numbered document belongs to, as documents write it."""
    if TERM_LABEL.fullmatch(key):
        return key
    term = CongressTerm.objects.filter(organization=issuer, key=key).first()
    return term.label if term else key


def numbered_kinds() -> list[type["NumberedDocument"]]:
    """Every concrete numbered document model (plans, reports, decisions …)."""
    from django.apps import apps

    return [
        model
        for model in apps.get_models()
        if issubclass(model, NumberedDocument) and not model._meta.abstract
    ]


def term_in_use(term: CongressTerm) -> bool:
    """Whether any document has been numbered in the term (it can then no longer be removed)."""
    return any(
        model.objects.filter(issuer=term.organization_id, term=term.key).exists()
        for model in numbered_kinds()
    )


class NumberedDocument(models.Model):
    """Fields every numbered Party document has; subclasses set KIND_CODE and the constraint."""

    KIND_CODE = ""

    # The organization model (settings.BONTOT_ORGANIZATION_MODEL, like AUTH_USER_MODEL for the
    # user): the document layer knows organizations only through it.
    issuer = models.ForeignKey(
        settings.BONTOT_ORGANIZATION_MODEL,
        verbose_name=_("Cơ quan ban hành"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    sequence = models.PositiveIntegerField(_("Số"))
    term = models.CharField(_("Nhiệm kỳ"), max_length=9, editable=False)
    issuer_code = NFCCharField(_("Ký hiệu cơ quan ban hành"), max_length=20)
    issue_date = models.DateField(_("Ngày ban hành"))
    place_name = NFCCharField(_("Địa danh"), max_length=100)

    class Meta:
        abstract = True

    @property
    def number(self) -> str:
        """98-KH/ĐU — numbers below 10 are written with a leading zero (01, 02 …)."""
        return f"{self.sequence:02d}-{self.KIND_CODE}/{self.issuer_code}"

    @property
    def term_label(self) -> str:
        return term_label(self.issuer, self.term)


def allocate_sequence(model: type[NumberedDocument], *, issuer, term: str) -> int:
    """The next free number of this kind for the issuer and term. Call inside a transaction: the
    issuer row stays locked until it commits."""
    type(issuer).objects.select_for_update().get(pk=issuer.pk)
    last = model.objects.filter(issuer=issuer, term=term).aggregate(last=Max("sequence"))["last"]
    return (last or 0) + 1
