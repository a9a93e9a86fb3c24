"""Document numbers: "98-KH/ĐU" = sequence, kind code, issuer code.

Numbers run from 01 per document kind, per committee, per congress term. Each kind lives in one
table (KH: plans, BC: summary reports, QĐ: decisions), so a unique constraint on (issuer, term,
sequence) in that table makes a duplicate impossible; `allocate_sequence` takes the issuer's row
lock so two people issuing at once queue instead of colliding.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from vietnamese.fields import NFCCharField

# Party congress terms run 2020–2025, 2025–2030, …; grassroots congresses finish by mid-year, so
# a congress year belongs to the new term from 1 July.
TERM_LENGTH = 5
TERM_ANCHOR = 2020


def term_of(day: datetime.date) -> str:
    start = day.year - (day.year - TERM_ANCHOR) % TERM_LENGTH
    if day.year == start and day.month < 7:
        start -= TERM_LENGTH
    return f"{start}–{start + TERM_LENGTH}"


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


def allocate_sequence(model: type[NumberedDocument], *, issuer, term: str) -> int:
    """The next free number of this kind for the issuer and term. Call inside a transaction: the
    issuer row stays locked until it commits."""
    type(issuer).objects.select_for_update().get(pk=issuer.pk)
    last = model.objects.filter(issuer=issuer, term=term).aggregate(last=Max("sequence"))["last"]
    return (last or 0) + 1
