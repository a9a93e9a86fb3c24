"""Import of organizations and members from Excel (.xlsx) or CSV.

Two steps: `validate` reads the whole file and returns every row's values and every error,
naming the row and the column, without writing anything; `commit` validates again and writes all
rows in one transaction, or nothing. Rows are inserted in bulk, so 10,000 rows take seconds.
"""

import csv
import datetime
import io
import zipfile
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop
from openpyxl import load_workbook
from simple_history.utils import bulk_create_with_history

from audit.reasons import encode
from branches.models import Member, Membership, Organization, User
from branches.permissions import ACTION_ROLES, Action, user_roles
from branches.selectors import organizations_visible_to
from branches.services import member_accounts_for
from rendering.excel import Column as ExcelColumn
from rendering.excel import workbook_bytes
from rendering.tables import Field as TableField
from rendering.tables import Table
from vietnamese.dates import parse_date as vietnamese_date
from vietnamese.text import fold, normalize_text


class FileProblem(Exception):
    """The file as a whole cannot be read (not a spreadsheet, wrong columns, too many rows)."""


@dataclass(frozen=True)
class Column:
    """A column of an import file — and of the export, which writes the same columns so that an
    exported file imports back: `export` reads the value from an object, `width` is Excel's."""

    key: str
    label: Any
    required: bool = False
    example: str = ""
    export: Callable[[Any], Any] | None = None
    width: int = 18


@dataclass
class RowError:
    row: int
    column: str
    message: str


@dataclass
class Preview:
    columns: list[Column]
    rows: list[dict] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)

    def errors_by_row(self) -> dict[int, list[RowError]]:
        grouped = defaultdict(list)
        for error in self.errors:
            grouped[error.row].append(error)
        return grouped


# What a broken .xlsx raises while openpyxl reads it (a cut-short XML part is a SyntaxError).
BROKEN_XLSX = (
    zipfile.BadZipFile,
    KeyError,
    OSError,
    ValueError,
    SyntaxError,
    TypeError,
    IndexError,
)
# Blank rows between data rows are skipped, not counted; this many more are read before giving up.
BLANK_ALLOWANCE = 1000
MAX_COLUMNS = 64  # far more than any import has; cells beyond are never read


def _too_many_rows(limit: int) -> FileProblem:
    return FileProblem(
        _("Tệp có hơn %(limit)s dòng, quá giới hạn mỗi lần nhập; hãy chia nhỏ tệp.")
        % {"limit": limit}
    )


def read_rows(data: bytes, *, max_rows: int | None = None) -> list[list[Any]]:
    """Rows of the first sheet of an .xlsx file, or of a UTF-8 CSV file (comma or semicolon).

    Only the cells the file holds are read: the size a sheet declares (`A1:XFD1048576`) is
    ignored, rows stop at MAX_COLUMNS cells, and reading stops past `max_rows` rows (plus the
    header), so a small file cannot make the server build millions of empty cells."""
    limit = None if max_rows is None else max_rows + 1
    if data.startswith(b"PK\x03\x04"):
        try:
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            sheet = workbook.worksheets[0]
            sheet.reset_dimensions()  # trust the cells, not the declared size
            rows = []
            for row in sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS):
                values = list(row)
                while values and values[-1] is None:
                    values.pop()
                rows.append(values)
                if limit is not None and len(rows) > limit:
                    workbook.close()
                    raise _too_many_rows(max_rows)
            workbook.close()
        except FileProblem:
            raise
        except Exception as error:  # noqa: BLE001 - whatever a damaged archive makes openpyxl raise
            raise FileProblem(
                _("Không đọc được tệp Excel: tệp hỏng hoặc không phải .xlsx.")
            ) from error
        return rows
    if b"\x00" in data[:2048]:
        raise FileProblem(
            _("Tệp không phải Excel (.xlsx) hay CSV. Tệp .xls cũ hãy lưu lại thành .xlsx.")
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise FileProblem(
            _("Tệp CSV phải được lưu với mã UTF-8 (trong Excel: “CSV UTF-8”).")
        ) from error
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    rows = []
    try:
        for row in csv.reader(io.StringIO(text), delimiter=delimiter):
            rows.append(row[:MAX_COLUMNS])
            if limit is not None and len(rows) > limit:
                raise _too_many_rows(max_rows)
    except csv.Error as error:  # a field longer than the csv module reads, a stray NUL…
        raise FileProblem(_("Không đọc được tệp CSV: %(error)s.") % {"error": error}) from error
    return rows


def is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def parse_date(value) -> datetime.date | None:
    """A date from a cell: an Excel date, dd/mm/yyyy or ISO; None when blank; ValueError if bad."""
    if is_blank(value):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value).strip()
    try:
        return vietnamese_date(text)
    except ValueError:
        pass
    raise ValueError(
        _("Ngày “%(value)s” không hợp lệ: hãy ghi dd/mm/yyyy, ví dụ 31/07/2023.") % {"value": text}
    )


def cell_text(value) -> str:
    if is_blank(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return normalize_text(str(value))


def _spellings(label) -> set[str]:
    """A label folded as the current language writes it and as Vietnamese (the source) does, so a
    Vietnamese file is read the same whichever language the uploader's interface is in."""
    with translation.override("vi"):
        vietnamese = fold(str(label))
    return {fold(str(label)), vietnamese}


def choice_of(value, choices, column_label) -> str:
    """Match a cell against a TextChoices by code or label, ignoring case and accents."""
    wanted = fold(cell_text(value))
    for code, label in choices:
        if wanted == fold(code) or wanted in _spellings(label):
            return code
    allowed = ", ".join(str(label) for _code, label in choices)
    raise ValueError(
        _("“%(value)s” không phải giá trị hợp lệ của cột %(column)s (%(allowed)s).")
        % {"value": cell_text(value), "column": column_label, "allowed": allowed}
    )


class Importer:
    """Shared reading, column matching and row limits; subclasses check and write their rows."""

    columns: list[Column] = []
    # Columns our own export adds for reading (counts, names); skipped so an export imports back.
    export_only: list[tuple[Any, Callable[[Any], Any], int]] = []  # (label, value, width)
    sheet_title = ""

    def __init__(self, *, actor: User):
        self.actor = actor

    @classmethod
    def export_table(cls, objects) -> Table:
        """The export of `objects`: the import columns, then the columns kept for reading."""
        fields = [
            TableField(str(c.label), c.export, width=c.width) for c in cls.columns if c.export
        ]
        fields += [
            TableField(str(label), value, width=width) for label, value, width in cls.export_only
        ]
        return Table(fields=fields, rows=objects)

    def template_bytes(self) -> bytes:
        """An empty workbook with the expected headers and one example row."""
        columns = [
            ExcelColumn(str(c.label) + (" *" if c.required else ""), width=22) for c in self.columns
        ]
        return workbook_bytes(
            sheets=[(self.sheet_title, columns, [[c.example for c in self.columns]])]
        )

    def _match_header(self, header_row) -> list[Column | None]:
        by_name: dict[str, Column] = {}
        for column in self.columns:
            for spelling in _spellings(column.label):
                by_name[spelling] = column
            by_name[column.key] = column
        skipped = (
            set().union(*(_spellings(label) for label, _value, _width in self.export_only))
            if self.export_only
            else set()
        )
        matched, unknown = [], []
        for cell in header_row:
            name = fold(cell_text(cell)).rstrip(" *")
            if not name or name in skipped:
                matched.append(None)
                continue
            column = by_name.get(name)
            if column is None:
                unknown.append(cell_text(cell))
            matched.append(column)
        present = {c.key for c in matched if c}
        missing = [str(c.label) for c in self.columns if c.required and c.key not in present]
        problems = []
        if missing:
            problems.append(_("Thiếu cột bắt buộc: %(columns)s.") % {"columns": ", ".join(missing)})
        if unknown:
            problems.append(
                _("Có cột không nhận ra: %(columns)s.") % {"columns": ", ".join(unknown)}
            )
        if problems:
            expected = ", ".join(str(c.label) for c in self.columns)
            raise FileProblem(
                " ".join(problems)
                + " "
                + _("Các cột của tệp mẫu: %(columns)s.") % {"columns": expected}
            )
        duplicated = {c.key for c in matched if c and sum(1 for m in matched if m == c) > 1}
        if duplicated:
            labels = ", ".join(str(c.label) for c in self.columns if c.key in duplicated)
            raise FileProblem(_("Cột bị lặp: %(columns)s.") % {"columns": labels})
        return matched

    def read(self, data: bytes) -> list[tuple[int, dict]]:
        """(row number as the spreadsheet shows it, {column key: raw value}) for each non-empty row."""
        rows = read_rows(data, max_rows=settings.BONTOT_IMPORT_MAX_ROWS + BLANK_ALLOWANCE)
        while rows and all(is_blank(v) for v in rows[0]):
            rows.pop(0)
        if not rows:
            raise FileProblem(_("Tệp trống."))
        header = self._match_header(rows[0])
        records = []
        for number, row in enumerate(rows[1:], start=2):
            if all(is_blank(v) for v in row):
                continue
            record = {c.key: None for c in self.columns}
            for column, value in zip(header, row, strict=False):
                if column is not None:
                    record[column.key] = value
            records.append((number, record))
        if not records:
            raise FileProblem(_("Tệp chỉ có dòng tiêu đề, không có dữ liệu."))
        limit = settings.BONTOT_IMPORT_MAX_ROWS
        if len(records) > limit:
            raise FileProblem(
                _(
                    "Tệp có %(count)s dòng, quá giới hạn %(limit)s dòng mỗi lần nhập; hãy chia nhỏ tệp."
                )
                % {"count": len(records), "limit": limit}
            )
        return records

    def label(self, key: str) -> str:
        return str(next(c.label for c in self.columns if c.key == key))

    def validate(self, data: bytes) -> Preview:
        raise NotImplementedError

    def commit(self, data: bytes) -> Preview:
        """Validate again and write every row in one transaction; on any error write nothing."""
        with transaction.atomic():
            preview = self.validate(data)
            if preview.ok:
                self.write(preview)
        return preview

    def write(self, preview: Preview) -> None:
        raise NotImplementedError

    def _required(self, errors, number, record, keys) -> None:
        for key in keys:
            if is_blank(record[key]):
                errors.append(
                    RowError(number, self.label(key), _("Bắt buộc, không được để trống."))
                )

    def _model_errors(
        self, errors, number, error: ValidationError, field_to_key: dict[str, str]
    ) -> None:
        for field_name, messages in error.message_dict.items():
            key = field_to_key.get(field_name)
            label = self.label(key) if key else ""
            for message in messages:
                errors.append(RowError(number, label, message))


class OrganizationImporter(Importer):
    """Creates organizations, or updates those whose code already exists (not their parent)."""

    sheet_title = gettext_lazy("Tổ chức")
    export_only = [
        (gettext_lazy("Đang hoạt động"), lambda o: o.is_active, 10),
        (gettext_lazy("Số đảng viên"), lambda o: o.member_count, 10),
    ]
    columns = [
        Column(
            "code", gettext_lazy("Mã"), required=True, example="QS.QP.16", export=lambda o: o.code
        ),
        Column(
            "name",
            gettext_lazy("Tên"),
            required=True,
            example="Chi bộ thôn Mới",
            export=lambda o: o.name,
            width=40,
        ),
        Column(
            "kind",
            gettext_lazy("Loại"),
            required=True,
            example="Chi bộ",
            export=lambda o: o.get_kind_display(),
            width=22,
        ),
        # The export sets `parent_code` on each organization it writes (one query for all).
        Column(
            "parent_code",
            gettext_lazy("Mã tổ chức cấp trên"),
            example="QS.QP",
            export=lambda o: o.parent_code,
        ),
        Column("short_name", gettext_lazy("Tên viết tắt"), export=lambda o: o.short_name),
        Column("place_name", gettext_lazy("Địa danh"), export=lambda o: o.place_name),
        Column(
            "issuer_code",
            gettext_lazy("Ký hiệu cơ quan ban hành"),
            export=lambda o: o.issuer_code,
            width=12,
        ),
        Column(
            "document_name",
            gettext_lazy("Tên cơ quan trên văn bản"),
            export=lambda o: o.document_name,
            width=30,
        ),
    ]
    _fields = ["name", "short_name", "kind", "place_name", "issuer_code", "document_name"]

    def validate(self, data: bytes) -> Preview:
        records = self.read(data)
        preview = Preview(columns=self.columns)
        errors = preview.errors
        codes_in_file = [cell_text(r["code"]) for _n, r in records]
        referenced = codes_in_file + [cell_text(r["parent_code"]) for _n, r in records]
        existing = {
            o.code: o for o in Organization.objects.filter(code__in=[c for c in referenced if c])
        }
        managed_paths = [
            path
            for role, path in user_roles(self.actor)
            if role in ACTION_ROLES[Action.MANAGE_ORGANIZATIONS]
        ]
        existing_parent_code = dict(
            Organization.objects.filter(
                path__in={o.parent_path for o in existing.values()}
            ).values_list("path", "code")
        )
        first_row_of_code: dict[str, int] = {}
        parsed: dict[int, dict] = {}

        for number, record in records:
            before = len(errors)
            self._required(errors, number, record, ["code", "name", "kind"])
            row = {
                key: cell_text(record[key])
                for key in ["code", "parent_code", *self._fields]
                if key != "kind"
            }
            if not is_blank(record["kind"]):
                try:
                    row["kind"] = choice_of(
                        record["kind"], Organization.Kind.choices, self.label("kind")
                    )
                except ValueError as error:
                    errors.append(RowError(number, self.label("kind"), str(error)))
            code = row["code"]
            if code:
                if code in first_row_of_code:
                    errors.append(
                        RowError(
                            number,
                            self.label("code"),
                            _("Mã %(code)s bị lặp với dòng %(row)s.")
                            % {"code": code, "row": first_row_of_code[code]},
                        )
                    )
                else:
                    first_row_of_code[code] = number
            current = existing.get(code)
            row["existing"] = current
            if current is not None and not any(current.path.startswith(p) for p in managed_paths):
                errors.append(
                    RowError(
                        number,
                        self.label("code"),
                        _("Mã %(code)s đã được dùng cho một tổ chức khác.") % {"code": code},
                    )
                )
            if current is None and not row["parent_code"]:
                errors.append(
                    RowError(
                        number,
                        self.label("parent_code"),
                        _("Tổ chức mới phải có mã tổ chức cấp trên."),
                    )
                )
            candidate = Organization(**{k: row.get(k, "") for k in ["code", *self._fields]})
            try:
                candidate.clean_fields(
                    exclude=[
                        "path",
                        "depth",
                        "numchild",
                        "search_key",
                        *([] if code else ["code"]),
                        *([] if row.get("kind") else ["kind"]),
                    ]
                )
            except ValidationError as error:
                self._model_errors(errors, number, error, {f: f for f in ["code", *self._fields]})
            if len(errors) == before:
                parsed[number] = row

        # Parents: an organization already in the tree (that the actor manages) or a row of this file.
        rows_by_code = {row["code"]: (number, row) for number, row in parsed.items()}
        for number, row in parsed.items():
            current = row["existing"]
            parent_code = row["parent_code"]
            kind = Organization.Kind(row["kind"])
            if current is not None:
                if parent_code and parent_code != existing_parent_code.get(current.parent_path):
                    errors.append(
                        RowError(
                            number,
                            self.label("parent_code"),
                            _("Không đổi cấp trên qua nhập tệp; hãy dùng trang sửa tổ chức."),
                        )
                    )
                if kind != current.kind and current.numchild and kind == Organization.Kind.BRANCH:
                    errors.append(
                        RowError(
                            number,
                            self.label("kind"),
                            _("Tổ chức đang có tổ chức trực thuộc nên không thể là chi bộ."),
                        )
                    )
                continue
            if parent_code in rows_by_code:
                parent_kind = rows_by_code[parent_code][1]["kind"]
            elif parent_code in existing:
                parent = existing[parent_code]
                if not any(parent.path.startswith(p) for p in managed_paths):
                    errors.append(
                        RowError(
                            number,
                            self.label("parent_code"),
                            _("Không có quyền thêm tổ chức vào %(code)s.") % {"code": parent_code},
                        )
                    )
                    continue
                parent_kind = parent.kind
            elif parent_code in first_row_of_code:
                errors.append(
                    RowError(
                        number,
                        self.label("parent_code"),
                        _("Tổ chức cấp trên %(code)s (dòng %(row)s) đang có lỗi.")
                        % {"code": parent_code, "row": first_row_of_code[parent_code]},
                    )
                )
                continue
            else:
                errors.append(
                    RowError(
                        number,
                        self.label("parent_code"),
                        _("Không tìm thấy tổ chức cấp trên có mã %(code)s.")
                        % {"code": parent_code},
                    )
                )
                continue
            probe = Organization(kind=kind)
            try:
                probe.validate_parent(Organization(kind=parent_kind))
            except ValidationError as error:
                for message in error.message_dict["parent"]:
                    errors.append(RowError(number, self.label("parent_code"), message))

        # A chain of new rows that never reaches the existing tree is a cycle.
        for number, row in parsed.items():
            seen = set()
            code = row["code"]
            while code in rows_by_code and rows_by_code[code][1]["existing"] is None:
                if code in seen:
                    errors.append(
                        RowError(
                            number,
                            self.label("parent_code"),
                            _("Các dòng tạo thành vòng lặp cấp trên–cấp dưới (%(codes)s).")
                            % {"codes": " → ".join(sorted(seen))},
                        )
                    )
                    break
                seen.add(code)
                code = rows_by_code[code][1]["parent_code"]

        preview.rows = [dict(row, row=number) for number, row in sorted(parsed.items())]
        preview.errors.sort(key=lambda e: e.row)
        return preview

    def write(self, preview: Preview) -> None:
        rows = preview.rows
        updates = [r for r in rows if r["existing"] is not None]
        for row in updates:
            organization = row["existing"]
            for name in self._fields:
                setattr(organization, name, row[name])
            organization._history_user = self.actor
            organization._change_reason = encode(gettext_noop("Nhập từ tệp"))
            organization.save()

        new_rows = {r["code"]: r for r in rows if r["existing"] is None}
        parents_in_tree = {
            o.code: o
            for o in Organization.objects.filter(
                code__in={r["parent_code"] for r in new_rows.values()} - set(new_rows)
            )
        }
        # New children go after the last existing child of each parent (one query per parent).
        last_child = {
            parent.code: Organization.objects.filter(
                path__startswith=parent.path, depth=parent.depth + 1
            ).aggregate(last=Max("path"))["last"]
            for parent in parents_in_tree.values()
            if parent.numchild
        }

        created: dict[str, Organization] = {}
        added_to_parent: dict[str, int] = defaultdict(int)

        def place(row) -> Organization:
            if row["code"] in created:
                return created[row["code"]]
            parent = parents_in_tree.get(row["parent_code"]) or place(new_rows[row["parent_code"]])
            step = added_to_parent[parent.code] + 1
            if row["parent_code"] in parents_in_tree and last_child.get(parent.code):
                step += Organization._str2int(last_child[parent.code][-Organization.steplen :])
            added_to_parent[parent.code] += 1
            organization = Organization(
                **{name: row[name] for name in ["code", *self._fields]},
                depth=parent.depth + 1,
                path=Organization._get_path(parent.path, parent.depth + 1, step),
            )
            organization.set_derived_fields()
            created[row["code"]] = organization
            return organization

        for row in new_rows.values():
            place(row)
        for organization in created.values():
            organization.numchild = added_to_parent.get(organization.code, 0)
        bulk_create_with_history(
            list(created.values()),
            Organization,
            batch_size=1000,
            default_user=self.actor,
            default_change_reason=encode(gettext_noop("Nhập từ tệp")),
        )
        for code, count in added_to_parent.items():
            if code in parents_in_tree:
                Organization.objects.filter(pk=parents_in_tree[code].pk).update(
                    numchild=F("numchild") + count
                )


class MemberImporter(Importer):
    """Creates members in branches the actor manages; a card number already used is an error.
    With `with_accounts`, each imported member also gets an account with a temporary password
    (`accounts` after the commit: shown once)."""

    def __init__(self, *, actor: User, with_accounts: bool = False):
        super().__init__(actor=actor)
        self.with_accounts = with_accounts
        self.accounts: list = []

    sheet_title = gettext_lazy("Đảng viên")
    export_only = [
        (gettext_lazy("Chi bộ"), lambda m: m.branch.name, 34),
        (gettext_lazy("Đang sinh hoạt"), lambda m: m.is_active, 10),
    ]
    columns = [
        Column(
            "full_name",
            gettext_lazy("Họ và tên"),
            required=True,
            example="Nguyễn Thị Lan",
            export=lambda m: m.full_name,
            width=28,
        ),
        Column(
            "gender",
            gettext_lazy("Giới tính"),
            required=True,
            example="Nữ",
            export=lambda m: m.get_gender_display(),
            width=9,
        ),
        Column(
            "birth_date",
            gettext_lazy("Ngày sinh"),
            example="15/03/1985",
            export=lambda m: m.birth_date,
            width=12,
        ),
        Column(
            "card_number",
            gettext_lazy("Số thẻ đảng viên"),
            example="52012345",
            export=lambda m: m.card_number or "",
            width=14,
        ),
        Column(
            "join_date",
            gettext_lazy("Ngày vào Đảng"),
            required=True,
            example="19/05/2010",
            export=lambda m: m.join_date,
            width=12,
        ),
        Column(
            "official_date",
            gettext_lazy("Ngày chính thức"),
            example="19/05/2011",
            export=lambda m: m.official_date,
            width=12,
        ),
        Column(
            "status",
            gettext_lazy("Đảng viên"),
            required=True,
            example="Chính thức",
            export=lambda m: m.get_status_display(),
            width=12,
        ),
        Column(
            "branch_code",
            gettext_lazy("Mã chi bộ"),
            required=True,
            example="QS.QP.01",
            export=lambda m: m.branch.code,
            width=14,
        ),
        Column("start_date", gettext_lazy("Sinh hoạt từ ngày"), example="01/01/2023"),
    ]
    _field_to_key = {
        "full_name": "full_name",
        "gender": "gender",
        "birth_date": "birth_date",
        "card_number": "card_number",
        "join_date": "join_date",
        "official_date": "official_date",
        "status": "status",
        "branch": "branch_code",
    }

    def validate(self, data: bytes) -> Preview:
        records = self.read(data)
        preview = Preview(columns=self.columns)
        errors = preview.errors
        branch_codes = {cell_text(r["branch_code"]) for _n, r in records}
        managed = organizations_visible_to(self.actor, roles=ACTION_ROLES[Action.MANAGE_MEMBERS])
        branches = {
            o.code: o
            for o in managed.filter(
                code__in=branch_codes, kind=Organization.Kind.BRANCH, is_active=True
            )
        }
        cards = [cell_text(r["card_number"]) for _n, r in records if not is_blank(r["card_number"])]
        used_cards = dict(
            Member.objects.filter(card_number__in=cards).values_list("card_number", "full_name")
        )
        first_row_of_card: dict[str, int] = {}
        today = timezone.localdate()

        for number, record in records:
            before = len(errors)
            self._required(
                errors,
                number,
                record,
                ["full_name", "gender", "join_date", "status", "branch_code"],
            )
            row = {
                "full_name": cell_text(record["full_name"]),
                "card_number": cell_text(record["card_number"]) or None,
            }
            for key, choices in [
                ("gender", Member.Gender.choices),
                ("status", Member.Status.choices),
            ]:
                if not is_blank(record[key]):
                    try:
                        row[key] = choice_of(record[key], choices, self.label(key))
                    except ValueError as error:
                        errors.append(RowError(number, self.label(key), str(error)))
            for key in ["birth_date", "join_date", "official_date", "start_date"]:
                try:
                    row[key] = parse_date(record[key])
                except ValueError as error:
                    errors.append(RowError(number, self.label(key), str(error)))
            for key in ["birth_date", "join_date", "official_date", "start_date"]:
                if row.get(key) and row[key] > today:
                    errors.append(RowError(number, self.label(key), _("Ngày này ở tương lai.")))
            branch_code = cell_text(record["branch_code"])
            if branch_code:
                row["branch"] = branches.get(branch_code)
                if row["branch"] is None:
                    errors.append(
                        RowError(
                            number,
                            self.label("branch_code"),
                            _("Không tìm thấy chi bộ có mã %(code)s trong phạm vi bạn quản lý.")
                            % {"code": branch_code},
                        )
                    )
            card = row["card_number"]
            if card:
                if card in used_cards:
                    errors.append(
                        RowError(
                            number,
                            self.label("card_number"),
                            _("Số thẻ %(card)s đã có (đảng viên %(name)s).")
                            % {"card": card, "name": used_cards[card]},
                        )
                    )
                elif card in first_row_of_card:
                    errors.append(
                        RowError(
                            number,
                            self.label("card_number"),
                            _("Số thẻ %(card)s bị lặp với dòng %(row)s.")
                            % {"card": card, "row": first_row_of_card[card]},
                        )
                    )
                else:
                    first_row_of_card[card] = number
            if len(errors) == before:
                member = Member(
                    **{
                        k: row[k]
                        for k in [
                            "full_name",
                            "gender",
                            "birth_date",
                            "card_number",
                            "join_date",
                            "official_date",
                            "status",
                            "branch",
                        ]
                    }
                )
                try:
                    member.clean_fields(
                        exclude=["card_number", "branch", "user", "search_key", "sort_key"]
                    )
                    member.clean()
                except ValidationError as error:
                    self._model_errors(errors, number, error, self._field_to_key)
                if row.get("start_date") and row["start_date"] < row["join_date"]:
                    errors.append(
                        RowError(
                            number, self.label("start_date"), _("Không thể trước ngày vào Đảng.")
                        )
                    )
            if len(errors) == before:
                preview.rows.append(dict(row, row=number))
        preview.errors.sort(key=lambda e: e.row)
        return preview

    def write(self, preview: Preview) -> None:
        members = []
        for row in preview.rows:
            member = Member(
                **{
                    k: row[k]
                    for k in [
                        "full_name",
                        "gender",
                        "birth_date",
                        "card_number",
                        "join_date",
                        "official_date",
                        "status",
                        "branch",
                    ]
                }
            )
            member.set_derived_fields()
            members.append(member)
        reason = encode(gettext_noop("Nhập từ tệp"))
        members = bulk_create_with_history(
            members, Member, batch_size=1000, default_user=self.actor, default_change_reason=reason
        )
        if members and members[0].pk is None:
            # SQLite before 3.35 and some backends do not return ids from bulk inserts.
            raise RuntimeError("bulk insert did not return ids")
        today = timezone.localdate()
        memberships = [
            Membership(member=member, branch=member.branch, start_date=row["start_date"] or today)
            for member, row in zip(members, preview.rows, strict=True)
        ]
        bulk_create_with_history(
            memberships,
            Membership,
            batch_size=1000,
            default_user=self.actor,
            default_change_reason=reason,
        )
        if self.with_accounts:
            # In the same transaction: if an account cannot be made, no member is imported.
            self.accounts = member_accounts_for(actor=self.actor, members=members)


IMPORTERS = {"organizations": OrganizationImporter, "members": MemberImporter}


def member_workbook(members) -> bytes:
    """Members as Excel, in the columns of the member import (so the file imports back)."""
    table = MemberImporter.export_table(members.iterator(chunk_size=2000))
    return workbook_bytes(sheets=[table.sheet(_("Đảng viên"))])
