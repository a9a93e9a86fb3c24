"""Issuing the numbered summary report (BC)."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from audit.history import tracked
from branches.models import Organization, User
from branches.permissions import Action, has_perm
from branches.selectors import acting_body
from branches.signers import check_collective_signer
from criteria.models import Plan
from partydocs.numbering import allocate_sequence, term_for
from reports.summaries.models import SummaryReport
from reports.summaries.narrative import SECTIONS
from reports.summaries.selectors import SummaryFilters, summary_data


@transaction.atomic
def report_issue(
    *,
    actor: User,
    plan: Plan,
    year: int,
    round: str,
    scope: Organization | None,
    issue_date: datetime.date,
    signer_name: str,
    sections: dict[str, str],
    signer_title: str = "BÍ THƯ",
    sequence: int | None = None,
    recipients: str = "",
) -> SummaryReport:
    """Number and record the report with its narrative sections as staff wrote them; the
    fingerprint of its figures is kept, so the page can say if they change afterwards. Refused,
    nothing issued, without a signer who may sign for the issuer, with a number already used, or
    with a required section empty."""
    if not has_perm(actor, plan.issuer, Action.DECIDE):
        raise PermissionDenied
    # A plan of a committee merged since is carried on by its successor, which issues it.
    issuer = acting_body(plan.issuer)
    missing = {
        section.key: _("Phần “%(title)s” không được để trống.") % {"title": section.label}
        for section in SECTIONS
        if section.required and not (sections.get(section.key) or "").strip()
    }
    if missing:
        raise ValidationError(missing)
    check_collective_signer(issuer, position=signer_title, name=signer_name, day=issue_date)
    term = term_for(issuer, issue_date)
    data = summary_data(plan, year, round, SummaryFilters(scope_path=scope.path if scope else ""))
    report = SummaryReport(
        issuer=issuer,
        plan=plan,
        year=year,
        round=round,
        scope=scope,
        sequence=sequence or allocate_sequence(SummaryReport, issuer=issuer, term=term),
        term=term,
        issuer_code=issuer.issuer_code,
        issue_date=issue_date,
        place_name=issuer.place_name or issuer.name,
        title=_("kết quả %(round)s năm %(year)s thực hiện mô hình “%(model)s”")
        % {"round": data.round_label.lower(), "year": year, "model": plan.get_model_display()},
        signer_name=signer_name,
        signer_title=signer_title,
        sections={section.key: (sections.get(section.key) or "").strip() for section in SECTIONS},
        recipients=recipients,
        data_fingerprint=data.fingerprint(),
        issued_by=actor,
    )
    report.full_clean()
    tracked(report, actor=actor, reason=gettext_noop("Ban hành báo cáo"))
    report.save()
    return report
