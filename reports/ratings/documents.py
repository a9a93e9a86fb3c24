"""The year's quality rating results as documents, from the same records and the same counts as
the ratings pages (issue 16, item 11): the list (DANH SÁCH) of the organizations, leadership
collectives and members one committee decides on, with each level and the figures of the cap on
"xuất sắc"; and the decision (QUYẾT ĐỊNH) recognizing those results, with the list attached.

What one committee's decision covers (Quy định 366-QĐ/TW Điều 12; Hướng dẫn 43-HD/BTCTW): the
organizations and leadership collectives it decides on (`decided_by_committee`), and, when it is
a tổ chức cơ sở đảng (the members' pool), its members. Nothing here computes a level: every
level printed is a decision already recorded; what is not decided yet is printed as such, and
the document is marked DỰ THẢO until everything is decided and every cap holds."""

import datetime
from dataclasses import dataclass

from branches.models import Organization
from branches.signers import archive_of, organization_heading
from criteria.rules import CapVerdict, Level, RuleSet
from partydocs.format import SignerBlock, recipient_lines, whole_name
from rendering.pdf import Document, render_pdf
from reports.ratings.models import OrganizationRating
from reports.ratings.selectors import (
    PoolStatus,
    Subject,
    cap_pool_of,
    collective_pool,
    decided_by_committee,
    member_pool,
    pool_members,
    rules_for,
)


@dataclass
class Row:
    name: str
    where: str  # the branch of a member, the organization of a leadership collective
    level: str  # the decided level ("" while none is decided)
    score: object = None

    @property
    def level_label(self) -> str:
        return Level(self.level).label if self.level else ""


@dataclass
class Part:
    """One table of the list: its rows, their counts per level, and the cap of its pool."""

    ORGANIZATIONS, LEADERSHIP, MEMBERS = "organizations", "leadership", "members"

    kind: str
    title: str
    rows: list[Row]
    pool: CapVerdict | None

    @property
    def counts(self) -> list[tuple[str, int]]:
        return [(level.label, sum(1 for row in self.rows if row.level == level)) for level in Level]

    @property
    def undecided(self) -> int:
        return sum(1 for row in self.rows if not row.level)


@dataclass
class RatingResults:
    committee: Organization
    year: int
    rules: RuleSet
    parts: list[Part]
    left_out: list[Row]  # members not rated this year, with why (in `where`)
    member_status: PoolStatus | None

    @property
    def complete(self) -> bool:
        """Everything is decided and every cap holds: the decision may be issued."""
        return all(
            part.undecided == 0 and (part.pool is None or part.pool.ok) for part in self.parts
        )

    @property
    def undecided(self) -> int:
        return sum(part.undecided for part in self.parts)


def rating_results(committee: Organization, year: int) -> RatingResults:
    """What `committee` decides for `year`, read from the decisions recorded (a fixed number of
    queries whatever the number of organizations and members)."""
    rules = rules_for(year)
    organizations = decided_by_committee(committee)
    ratings = {
        (r.organization_id, r.subject): r
        for r in OrganizationRating.objects.filter(organization__in=organizations, year=year)
    }

    def decided(organization, subject) -> str:
        rating = ratings.get((organization.pk, subject))
        return rating.decided_level if rating else ""

    parts = [
        Part(
            kind=Part.ORGANIZATIONS,
            title="Tổ chức đảng",
            rows=[
                Row(
                    o.name,
                    "",
                    decided(o, Subject.ORGANIZATION),
                    getattr(ratings.get((o.pk, Subject.ORGANIZATION)), "score", None)
                    if decided(o, Subject.ORGANIZATION)
                    else None,
                )
                for o in organizations
            ],
            pool=collective_pool(committee, year, Subject.ORGANIZATION, organizations),
        )
    ]
    # Leadership collectives: those with a rating record this year (a branch without a chi ủy
    # has none to rate).
    leadership = [o for o in organizations if (o.pk, Subject.LEADERSHIP) in ratings]
    if leadership:
        parts.append(
            Part(
                kind=Part.LEADERSHIP,
                title="Tập thể lãnh đạo (chi ủy, ban chấp hành)",
                rows=[
                    Row(_leadership_name(o), o.name, decided(o, Subject.LEADERSHIP))
                    for o in leadership
                ],
                pool=collective_pool(committee, year, Subject.LEADERSHIP, organizations),
            )
        )
    left, status = [], None
    if committee.kind != Organization.Kind.PARTIAL and cap_pool_of(committee) == committee:
        status = member_pool(committee, year)
        members = list(
            pool_members(committee).select_related("branch").order_by("branch__path", "sort_key")
        )
        parts.append(
            Part(
                kind=Part.MEMBERS,
                title="Đảng viên",
                rows=[
                    Row(m.full_name, m.branch.name, status.decided.get(m.pk, ""))
                    for m in members
                    if m.pk not in status.left_out
                ],
                pool=status.verdict,
            )
        )
        left = [
            Row(m.full_name, f"{m.branch.name} — {status.left_out[m.pk]}", "")
            for m in members
            if m.pk in status.left_out
        ]
    return RatingResults(committee, year, rules, parts, left, status)


def _leadership_name(organization: Organization) -> str:
    if organization.is_branch:
        return f"Chi ủy {organization.name}"
    return f"Ban Chấp hành {organization.name}"


def rating_results_pdf(
    results: RatingResults,
    *,
    decision: bool,
    issue_date: datetime.date,
    signer_name: str = "",
    recipients: str = "",
    proposer: str = "",
) -> Document:
    """The list alone, or the decision with the list attached. The number is left for the
    office to give when it issues the decision (its register, not this product, holds it)."""
    committee = results.committee
    draft = not results.complete
    context = {
        "results": results,
        "committee": committee,
        # partydocs.format: the number is left for the register (the office gives it when it
        # signs); a draft has no date either.
        "heading": organization_heading(
            committee,
            day=issue_date,
            kind_code="QĐ" if decision else "",
            draft=draft,
        ),
        "issue_date": issue_date,
        "decision": decision,
        "body": committee.signing_body,
        "signer": SignerBlock(
            (f"T/M {committee.signing_body.upper()}", "BÍ THƯ"), whole_name(signer_name)
        ),
        "recipients": recipient_lines(
            "Như Điều 2\n" + recipients if decision else recipients, archive=archive_of(committee)
        ),
        "members_part": any(part.kind == Part.MEMBERS for part in results.parts),
        "proposer": proposer,
    }
    kind = "Quyet-dinh" if decision else "Danh-sach"
    return render_pdf(
        "reports/pdf/rating_results.html",
        context,
        filename=f"{kind}-xep-loai-chat-luong-{results.year}-{committee.code}.pdf",
    )
