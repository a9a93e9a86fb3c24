"""Excel (.xlsx) output shared by every table export.

Text is always written as text, so a cell holding `=HYPERLINK(...)` (typed by a user as an
organization name, say) shows as those characters and is never evaluated as a formula. Dates are
real dates shown dd/mm/yyyy; numbers are numbers.
"""

import datetime
import io
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# Numbers in Excel's "General" format: 30 and 6.69 as they are, never "30." (a "0.##" format
# leaves the point behind a whole number); the separator is the reader's Windows setting.
NUMBER = "General"


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


def workbook_bytes(*, sheets: Sequence[tuple]) -> bytes:
    """Build an .xlsx file: one sheet per (title, columns, rows) or (title, columns, rows,
    heading). The heading's lines (what the table is: its title, plan, year) come first, in
    bold, then a blank row; then a row of headers, which stays in view while scrolling."""
    workbook = Workbook(write_only=True)
    for title, columns, rows, *rest in sheets:
        heading = list(rest[0]) if rest else []
        sheet = workbook.create_sheet(title=title[:31])
        for index, column in enumerate(columns):
            sheet.column_dimensions[get_column_letter(index + 1)].width = column.width
        header_row = len(heading) + 2 if heading else 1
        sheet.freeze_panes = f"A{header_row + 1}"
        for line in heading:
            cell = WriteOnlyCell(sheet, value=str(line))
            cell.data_type = "s"
            cell.font = Font(bold=True)
            sheet.append([cell])
        if heading:
            sheet.append([])
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
