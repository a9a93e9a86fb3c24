"""Excel (.xlsx) output shared by every table export.

Text is always written as text, so a cell holding `=HYPERLINK(...)` (typed by a user as an
organization name, say) shows as those characters and is never evaluated as a formula. Dates are
real dates shown dd/mm/yyyy; numbers are numbers.
"""

import datetime
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Column:
    header: str
    width: int = 18
    number_format: str | None = None


def _cell(sheet, value, column: Column):
    if isinstance(value, datetime.datetime):
        # Excel has no time zones: write the local wall-clock time.
        if value.tzinfo is not None:
            value = timezone.localtime(value).replace(tzinfo=None)
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = column.number_format or "dd/mm/yyyy hh:mm"
    elif isinstance(value, datetime.date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = column.number_format or "dd/mm/yyyy"
    elif isinstance(value, bool):
        cell = WriteOnlyCell(sheet, value=_("Có") if value else _("Không"))
        cell.data_type = "s"
    elif isinstance(value, int | float | Decimal):
        cell = WriteOnlyCell(sheet, value=value)
        if column.number_format:
            cell.number_format = column.number_format
    elif value is None:
        cell = WriteOnlyCell(sheet, value=None)
    else:
        cell = WriteOnlyCell(sheet, value=str(value))
        # openpyxl reads a leading "=" as a formula; a user's text never is one.
        cell.data_type = "s"
    return cell


def workbook_bytes(*, sheets: Sequence[tuple[str, Sequence[Column], Iterable[Sequence]]]) -> bytes:
    """Build an .xlsx file: one sheet per (title, columns, rows); the first row holds the headers."""
    workbook = Workbook(write_only=True)
    for title, columns, rows in sheets:
        sheet = workbook.create_sheet(title=title[:31])
        for index, column in enumerate(columns):
            sheet.column_dimensions[get_column_letter(index + 1)].width = column.width
        sheet.freeze_panes = "A2"
        header = []
        for column in columns:
            cell = WriteOnlyCell(sheet, value=column.header)
            cell.data_type = "s"
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True, vertical="center")
            header.append(cell)
        sheet.append(header)
        for row in rows:
            sheet.append(
                [_cell(sheet, value, column) for value, column in zip(row, columns, strict=True)]
            )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
