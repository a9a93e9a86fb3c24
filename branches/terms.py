"""The terms of an issuing body (partydocs.CongressTerm), entered by its staff — on the
organization's "Nhiệm kỳ" page or imported from a file for many bodies at once: from the congress
— 2025–2030 congresses were held on different dates — or from a founding (a merged or re-founded
committee numbers its documents from its founding until its congress)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from audit.history import tracked
from branches.imports import (
    Column,
    Importer,
    Preview,
    RowError,
    cell_text,
    choice_of,
    is_blank,
    parse_date,
)
from branches.models import Organization, User
from branches.permissions import ACTION_ROLES, Action, require_perm
from branches.selectors import organizations_visible_to
from partydocs.models import CongressTerm
from partydocs.numbering import term_in_use


def terms_of(organization: Organization) -> list[CongressTerm]:
    """The organization's entered terms, the latest first."""
    return list(CongressTerm.objects.filter(organization=organization).order_by("-start_date"))


@transaction.atomic
def congress_term_add(
    *,
    actor: User,
    organization: Organization,
    origin: str,
    start_date: datetime.date,
    label: str,
) -> CongressTerm:
    """Record a term; documents the organization issues from `start_date` on are numbered in it,
    from 01 per kind."""
    require_perm(actor, organization, Action.MANAGE_ORGANIZATIONS)
    term = CongressTerm(
        organization=organization,
        origin=origin,
        start_date=start_date,
        label=label,
        created_by=actor,
    )
    term.full_clean()
    tracked(term, actor=actor, reason=gettext_noop("Tạo mới"))
    term.save()
    return term


@transaction.atomic
def congress_term_remove(*, actor: User, term: CongressTerm) -> None:
    """Remove a term entered by mistake — refused once a document is numbered in it."""
    require_perm(actor, term.organization, Action.MANAGE_ORGANIZATIONS)
    term = CongressTerm.objects.select_for_update().get(pk=term.pk)
    if term_in_use(term):
        raise ValidationError(
            _("Đã có văn bản được đánh số trong nhiệm kỳ %(label)s; không thể xóa.")
            % {"label": term.label}
        )
    tracked(term, actor=actor, reason=gettext_noop("Xóa"))
    term.delete()


class TermImporter(Importer):
    """The terms of many bodies at once (a province entering the 2025–2030 congresses of its
    communes): one row per term, by the organization's code. Every row is checked as the page
    checks it (the actor manages the organization, the label, one term per date and per key)
    and all are written in one transaction, or none."""

    sheet_title = gettext_lazy("Nhiệm kỳ")
    columns = [
        Column(
            "code",
            gettext_lazy("Mã tổ chức"),
            required=True,
            example="DN.QS",
            export=lambda t: t.organization.code,
        ),
        Column(
            "origin",
            gettext_lazy("Bắt đầu từ"),
            required=True,
            example="Đại hội",
            export=lambda t: t.get_origin_display(),
            width=24,
        ),
        Column(
            "start_date",
            gettext_lazy("Ngày bắt đầu"),
            required=True,
            example="24/07/2025",
            export=lambda t: t.start_date,
            width=12,
        ),
        Column(
            "label",
            gettext_lazy("Nhiệm kỳ"),
            required=True,
            example="2025–2030",
            export=lambda t: t.label,
            width=12,
        ),
    ]

    def validate(self, data: bytes) -> Preview:
        records = self.read(data)
        preview = Preview(columns=self.columns)
        errors = preview.errors
        managed = organizations_visible_to(
            self.actor, roles=ACTION_ROLES[Action.MANAGE_ORGANIZATIONS]
        )
        codes = {cell_text(r["code"]) for _n, r in records}
        organizations = {o.code: o for o in managed.filter(code__in=codes)}
        seen: dict[tuple, int] = {}
        for number, record in records:
            before = len(errors)
            self._required(errors, number, record, ["code", "origin", "start_date", "label"])
            row = {"label": cell_text(record["label"])}
            code = cell_text(record["code"])
            row["organization"] = organizations.get(code)
            if code and row["organization"] is None:
                errors.append(
                    RowError(
                        number,
                        self.label("code"),
                        _("Không tìm thấy tổ chức có mã %(code)s trong phạm vi bạn quản lý.")
                        % {"code": code},
                    )
                )
            if not is_blank(record["origin"]):
                try:
                    row["origin"] = choice_of(
                        record["origin"], CongressTerm.Origin.choices, self.label("origin")
                    )
                except ValueError as error:
                    errors.append(RowError(number, self.label("origin"), str(error)))
            try:
                row["start_date"] = parse_date(record["start_date"])
            except ValueError as error:
                errors.append(RowError(number, self.label("start_date"), str(error)))
            if len(errors) > before:
                continue
            term = CongressTerm(
                organization=row["organization"],
                origin=row["origin"],
                start_date=row["start_date"],
                label=row["label"],
            )
            try:
                term.full_clean(exclude=["created_by"])
            except ValidationError as error:
                self._model_errors(
                    errors,
                    number,
                    error,
                    {"label": "label", "start_date": "start_date", "origin": "origin"},
                )
                continue
            row["label"] = term.label
            for key in [(code, "start", term.start_date), (code, "key", term.key)]:
                if key in seen:
                    errors.append(
                        RowError(
                            number,
                            self.label("start_date" if key[1] == "start" else "label"),
                            _("Trùng với dòng %(row)s.") % {"row": seen[key]},
                        )
                    )
                seen.setdefault(key, number)
            if len(errors) == before:
                preview.rows.append(dict(row, code=code, row=number))
        preview.errors.sort(key=lambda e: e.row)
        return preview

    def write(self, preview: Preview) -> None:
        for row in preview.rows:
            congress_term_add(
                actor=self.actor,
                organization=row["organization"],
                origin=row["origin"],
                start_date=row["start_date"],
                label=row["label"],
            )
