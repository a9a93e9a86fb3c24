"""The collective's review report (Hướng dẫn 43-HD/BTCTW, Mẫu 01): the narrative an organization,
or its leadership collective, writes beside its own scores and level (the self-assessment step of
its quality rating), signed by its secretary with the signing act, returned with a reason by the
advising body of the committee that decides."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from audit.history import tracked
from branches.models import Organization, User
from branches.permissions import Action, require_perm
from branches.signers import signer_lines
from criteria.rules import Level
from partydocs.format import position_line
from partydocs.models import Signature
from partydocs.signing import Evidence, Signable, Signer, sign
from pledges.selectors import signer_position
from reports.ratings.hd43 import COLLECTIVE_FORM, clean_sections, missing, sections_content
from reports.ratings.models import CollectiveReport, OrganizationRating
from reports.ratings.selectors import deciding_committee, organization_rating_status
from vietnamese.numbers import plain

Role = Signature.Role


def report_for(organization: Organization, year: int, subject: str) -> CollectiveReport:
    """The report (unsaved while nothing is written)."""
    return CollectiveReport.objects.filter(
        organization=organization, year=year, subject=subject
    ).first() or CollectiveReport(organization=organization, year=year, subject=subject)


@transaction.atomic
def collective_report_save(
    *, actor: User, organization: Organization, year: int, subject: str, sections: dict
) -> CollectiveReport:
    """The organization writes its report (its secretary, or the staff acting for it) until it
    is signed; after a return, again."""
    require_perm(actor, organization, Action.ACT_FOR_BRANCH)
    if subject not in OrganizationRating.Subject.values:
        raise ValidationError(_("Đối tượng không hợp lệ."))
    report = (
        CollectiveReport.objects.select_for_update()
        .filter(organization=organization, year=year, subject=subject)
        .first()
    ) or CollectiveReport(organization=organization, year=year, subject=subject)
    if not report.editable:
        raise ValidationError(_("Báo cáo đã ký; chỉ sửa được khi được trả lại."))
    report.sections = clean_sections(COLLECTIVE_FORM, sections)
    report.full_clean()
    tracked(report, actor=actor, reason=gettext_noop("Soạn báo cáo kiểm điểm tập thể"))
    report.save()
    return report


def _on_behalf_of(organization: Organization, subject: str) -> str:
    """For whom the secretary signs: the organization's collective (T/M CHI BỘ, T/M ĐẢNG ỦY, T/M
    BAN THƯỜNG VỤ, as its other documents: branches.signers), or, for its leadership collective,
    the chi ủy or the standing committee [reading]."""
    if subject != OrganizationRating.Subject.LEADERSHIP:
        return signer_lines(organization, "")[0]
    if organization.is_branch:
        return "T/M CHI ỦY"
    return "T/M BAN THƯỜNG VỤ" if organization.has_standing_committee else "T/M ĐẢNG ỦY"


def collective_report_content(
    report: CollectiveReport, rating: OrganizationRating | None, user, day: datetime.date
) -> dict:
    """The report as data — exactly what the secretary's signature covers: its sections, the
    organization's own scores on the year's frame and the level it proposes for itself."""
    organization = report.organization
    status = organization_rating_status(organization, report.year, report.subject)
    position = signer_position(user, organization)
    superior = Organization.objects.get_parent(organization)
    with translation.override("vi"):
        frame = status.frame
        parts = rating.self_parts if rating else {}
        return {
            "document": "collective_report",
            "form": COLLECTIVE_FORM.code,
            "year": report.year,
            "subject": report.subject,
            "subject_label": str(OrganizationRating.Subject(report.subject).label),
            "organization": {
                "name": organization.name,
                "issuing_name": organization.issuing_name,
                "superior": superior.name if superior else "",
            },
            "sections": sections_content(COLLECTIVE_FORM, report.sections),
            "frame": {
                "source": str(frame.source),
                "parts": [
                    {
                        "name": str(part.name),
                        "points": plain(part.points),
                        "score": parts.get(part.code),
                    }
                    for part in frame.parts
                ],
                "points": plain(frame.total),
                "score": plain(rating.self_score) if rating else None,
            },
            "level": str(Level(rating.self_level).label) if rating and rating.self_level else "",
            "level_code": rating.self_level if rating else "",
            "place": organization.place_name,
            "date": day.isoformat(),
            "signer": {
                "name": user.full_name,
                "position": position,
                "lines": [_on_behalf_of(organization, report.subject), position_line(position)],
            },
        }


def collective_report_submit(
    *,
    signer: Signer,
    evidence: Evidence,
    organization: Organization,
    year: int,
    subject: str,
    seen_hash: str,
    now=None,
) -> Signature:
    """The secretary signs the report they were shown; the organization's self-assessment
    (scores and level) is signed with it and frozen until a return. A repeated submit returns
    the signature already made."""
    user = signer.user
    require_perm(user, organization, Action.SIGN_FOR_BRANCH)

    def prepare(now) -> Signable | Signature:
        report = (
            CollectiveReport.objects.select_for_update()
            .filter(organization=organization, year=year, subject=subject)
            .first()
        )
        if report is None:
            raise ValidationError(_("Chưa soạn báo cáo kiểm điểm."))
        previous = list(report.signatures.filter(role=Role.SIGNER).order_by("sequence"))
        if not report.editable:
            if previous and previous[-1].user_id == user.pk:
                return previous[-1]
            raise ValidationError(_("Báo cáo đã được ký."))
        rating = OrganizationRating.objects.filter(
            organization=organization, year=year, subject=subject
        ).first()
        problems = [
            _("phần %(n)s chưa viết") % {"n": number}
            for number in missing(COLLECTIVE_FORM, report.sections)
        ]
        if rating is None or rating.self_score is None or not rating.self_level:
            problems.append(_("chưa tự chấm điểm theo khung và tự xếp loại"))
        if problems:
            raise ValidationError(_("Chưa ký được: %(list)s.") % {"list": "; ".join(problems)})
        content = collective_report_content(report, rating, user, timezone.localdate(now))

        def after(signature: Signature) -> None:
            report.status = CollectiveReport.Status.SUBMITTED
            tracked(report, actor=user, reason=gettext_noop("Ký báo cáo kiểm điểm tập thể"))
            report.save(update_fields=["status"])

        return Signable(
            document=report,
            role=Role.SIGNER,
            sequence=len(previous) + 1,
            position=content["signer"]["position"],
            content=content,
            changed=_("Nội dung báo cáo đã thay đổi kể từ lúc bạn xem. Hãy xem lại rồi ký."),
            after=after,
        )

    return sign(signer=signer, evidence=evidence, seen_hash=seen_hash, prepare=prepare, now=now)


@transaction.atomic
def collective_report_return(*, actor: User, report: CollectiveReport, reason: str):
    """The advising body of the deciding committee returns a signed report for rework, with a
    reason, while the rating is not decided."""
    require_perm(actor, deciding_committee(report.organization), Action.ASSESS)
    if not reason.strip():
        raise ValidationError({"reason": _("Hãy ghi lý do trả lại.")})
    report = CollectiveReport.objects.select_for_update().get(pk=report.pk)
    if report.status != CollectiveReport.Status.SUBMITTED:
        raise ValidationError(_("Chỉ trả lại được báo cáo đã ký."))
    decided = OrganizationRating.objects.filter(
        organization=report.organization, year=report.year, subject=report.subject
    ).exclude(decided_level="")
    if decided.exists():
        raise ValidationError(_("Cấp ủy cấp trên đã quyết định xếp loại; không trả lại được."))
    report.status = CollectiveReport.Status.RETURNED
    report.return_reason = reason.strip()
    tracked(report, actor=actor, reason=gettext_noop("Trả lại báo cáo kiểm điểm tập thể"))
    report.save(update_fields=["status", "return_reason"])
    return report
