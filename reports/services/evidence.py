"""Evidence: uploaded with its type checked by content, hashed, and frozen once a submitted
review relies on it."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from branches.models import User
from criteria.models import Indicator
from pledges.models import Registration
from reports.models import Evidence, Review
from reports.uploads import check_upload


@transaction.atomic
def evidence_add(
    *,
    actor: User,
    registration: Registration,
    indicator: Indicator,
    year: int,
    file=None,
    note: str = "",
) -> Evidence:
    """Attach a file (PDF, image, Office document) and/or a note to an indicator."""
    if indicator.criterion.plan_id != registration.plan_id:
        raise ValidationError(_("Chỉ tiêu không thuộc kế hoạch này."))
    if year not in registration.plan.years:
        raise ValidationError({"year": _("Năm không thuộc thời gian thực hiện kế hoạch.")})
    if file is None and not note.strip():
        raise ValidationError(_("Hãy chọn tệp hoặc ghi nội dung minh chứng."))
    evidence = Evidence(
        registration=registration,
        indicator=indicator,
        year=year,
        note=note.strip(),
        uploaded_by=actor,
    )
    if file is not None:
        checked = check_upload(file)
        evidence.file = file
        evidence.original_name = file.name[:255]
        evidence.content_type = checked.content_type
        evidence.size = checked.size
        evidence.sha256 = checked.sha256
    evidence.full_clean()
    evidence.save()
    return evidence


def is_frozen(evidence: Evidence) -> bool:
    """Used by a review that has been submitted (and not returned to the branch)."""
    return evidence.scores.exclude(
        review__status__in=[Review.Status.DRAFT, Review.Status.RETURNED]
    ).exists()


@transaction.atomic
def evidence_delete(*, actor: User, evidence: Evidence) -> None:
    if is_frozen(evidence):
        raise ValidationError(_("Minh chứng đã dùng trong bản tự đánh giá đã nộp; không xóa được."))
    if evidence.file:
        evidence.file.delete(save=False)
    evidence.delete()
