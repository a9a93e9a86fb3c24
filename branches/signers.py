"""Who signs an organization's documents, from its position records, and the heading of the
documents it issues — the branches' side of partydocs.format (which knows no organization)."""

import datetime

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from branches.models import Organization, Position
from partydocs.format import (
    Authority,
    Heading,
    SignerBlock,
    heading,
    position_line,
    signer_block,
)

SIGNING_TITLES = (Position.Title.SECRETARY, Position.Title.DEPUTY_SECRETARY)


def sitting_signers(organization: Organization, day: datetime.date | None = None) -> list[Position]:
    """The secretary and deputy secretaries in office on `day` (today when None), secretary
    first: those who may sign for the organization's collective."""
    day = day or timezone.localdate()
    return list(
        Position.objects.filter(
            Q(end_date__isnull=True) | Q(end_date__gte=day),
            organization=organization,
            title__in=SIGNING_TITLES,
            start_date__lte=day,
        )
        .select_related("member", "organization")
        .order_by("title", "member__sort_key")
    )


def collective_signer(organization: Organization, *, title: str, name: str) -> SignerBlock:
    """T/M <the organization's collective> / <BÍ THƯ or PHÓ BÍ THƯ> / name. Where the
    organization has position records, the signer must hold the position on record."""
    label = dict(Position.Title.choices).get(title, title)
    return signer_block(
        authority=Authority.ON_BEHALF, body=organization.signing_body, position=label, name=name
    )


def signer_lines(organization: Organization, position: str) -> list[str]:
    """The lines a signed record keeps for its signer block: "T/M CHI BỘ", "BÍ THƯ" — the
    collective of the organization signing (a đảng bộ's pledge is not "T/M CHI BỘ")."""
    return [f"T/M {organization.signing_body.upper()}", position_line(position)]


def title_code(position: str) -> str:
    """ "BÍ THƯ" / "Phó Bí thư" → the Position title code ("" for any other position)."""
    by_label = {str(label).upper(): code for code, label in Position.Title.choices}
    return by_label.get(" ".join(str(position or "").split()).upper(), "")


def check_collective_signer(organization: Organization, *, position: str, name: str, day) -> None:
    """The signer of a document the organization's collective issues: its secretary or a deputy
    (T/M), and — where positions are recorded — one in office that day."""
    code = title_code(position)
    collective_signer(organization, title=code or position, name=name)
    check_signer_on_record(organization, title=code, name=name, day=day)


def archive_of(organization: Organization) -> str:
    """Who keeps the file copy ("Lưu Văn phòng Đảng ủy"; a branch: "Lưu Chi bộ")."""
    if organization.is_branch:
        return "Chi bộ"
    return f"{organization.advising_body_name} Đảng ủy"


def check_signer_on_record(organization: Organization, *, title: str, name: str, day) -> None:
    """Refuse a signer the position records contradict: when the organization records its
    secretary and deputies, the one signing must be among them, with that position."""
    sitting = sitting_signers(organization, day)
    if not sitting:
        return
    if not any(p.title == title and p.member.full_name == name for p in sitting):
        names = "; ".join(f"{p.member.full_name} ({p.get_title_display()})" for p in sitting)
        raise ValidationError(
            _("Người ký phải là bí thư hoặc phó bí thư đương nhiệm của %(org)s: %(names)s.")
            % {"org": organization.issuing_name, "names": names}
        )


def superior_of(organization: Organization) -> Organization | None:
    return Organization.objects.get_parent(organization)


def organization_heading(
    organization: Organization,
    *,
    day=None,
    number: str = "",
    kind_code: str = "",
    place: str = "",
    draft: bool = False,
) -> Heading:
    """The heading of a document the organization issues: its superior and its name."""
    superior = superior_of(organization)
    return heading(
        superior=superior.name if superior else "",
        issuer=organization.issuing_name,
        place=place or organization.place_name or organization.name,
        day=day,
        number=number,
        kind_code=kind_code,
        issuer_code=organization.issuer_code,
        draft=draft,
    )


def advising_heading(organization: Organization, *, day=None, draft: bool = False) -> Heading:
    """The heading of a document the committee's advising body issues (the appraisal): the
    committee above, the advising body in bold."""
    return heading(
        superior=organization.issuing_name,
        issuer=organization.advising_body_name,
        place=organization.place_name or organization.name,
        day=day,
        draft=draft,
    )


def advising_signer(organization: Organization, *, name: str) -> SignerBlock:
    """The head of the committee's advising body, signing in its own name."""
    return signer_block(
        authority=Authority.DIRECT, position=organization.advising_head_title, name=name
    )
