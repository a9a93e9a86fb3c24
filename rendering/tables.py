"""One table specification, rendered as a page's table, a PDF's table and an Excel sheet.

A `Table` is a list of `Field`s: each says its header (and a short one for narrow layouts), how to
get its value from a row, and how the value reads — so the page, the PDF and the Excel file list
the same columns in the same order from one definition, and cannot drift apart. Excel gets the
raw values (numbers stay numbers, dates dates); pages and PDFs get text, formatted by
`vietnamese.numbers` the same way everywhere.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from rendering.excel import Column
from vietnamese import numbers
from vietnamese.dates import short_date


@dataclass(frozen=True)
class Cell:
    """One cell as a page or a PDF shows it."""

    text: str
    numeric: bool = False
    strong: bool = False
    note: str = ""  # a second, smaller line under the text
    link: str = ""
    css: str = ""


@dataclass(frozen=True)
class Field:
    header: str
    value: Callable[[object], object]
    short: str = ""  # the header where space is short (a PDF appendix, a phone)
    width: int = 18  # Excel column width
    number_format: str | None = None
    numeric: bool = False
    strong: bool = False
    display: Callable[[object], str] | None = None  # the value as text, when not the default
    note: Callable[[object], str] | None = None
    link: Callable[[object], str] | None = None
    css: str = ""  # e.g. "d-none d-md-table-cell": a column a phone does without
    excel: bool = True  # False: a column of the page and PDF only
    page: bool = True  # False: a column of the Excel file only

    def text(self, value) -> str:
        if self.display is not None:
            return self.display(value)
        if value is None or value == "":
            return ""
        if isinstance(value, bool):
            return "✓" if value else ""
        if isinstance(value, int | float | Decimal):
            return numbers.number(value)
        if isinstance(value, datetime.date):
            return short_date(value)
        return str(value)


@dataclass
class Table:
    fields: list[Field]
    rows: Iterable = field(default_factory=list)
    numbered: bool = False  # a first "STT" column counting the rows
    number_header: str = "STT"
    number_css: str = ""  # e.g. a page that hides the row numbers on a phone

    # -- Excel ---------------------------------------------------------------------------
    def excel_columns(self) -> list[Column]:
        columns = [Column(self.number_header, 6)] if self.numbered else []
        return columns + [
            Column(f.header, f.width, f.number_format) for f in self.fields if f.excel
        ]

    def excel_rows(self):
        excel = [f for f in self.fields if f.excel]
        for index, row in enumerate(self.rows, start=1):
            values = [f.value(row) for f in excel]
            yield [index, *values] if self.numbered else values

    def sheet(self, title: str) -> tuple[str, list[Column], Iterable]:
        """A sheet for `rendering.excel.workbook_bytes`."""
        return (title, self.excel_columns(), self.excel_rows())

    # -- pages and PDFs ------------------------------------------------------------------
    def shown(self) -> list[Field]:
        return [f for f in self.fields if f.page]

    def headers(self, *, short: bool = False) -> list[Cell]:
        cells = (
            [Cell(self.number_header, numeric=True, css=self.number_css)] if self.numbered else []
        )
        return cells + [
            Cell((f.short or f.header) if short else f.header, numeric=f.numeric, css=f.css)
            for f in self.shown()
        ]

    def body(self, rows: Iterable | None = None, *, start: int = 1) -> list[list[Cell]]:
        """The rows as cells (`rows`: a page of them; `start`: the first row's number)."""
        shown = self.shown()
        body = []
        for index, row in enumerate(self.rows if rows is None else rows, start=start):
            cells = [Cell(str(index), numeric=True, css=self.number_css)] if self.numbered else []
            for f in shown:
                cells.append(
                    Cell(
                        f.text(f.value(row)),
                        numeric=f.numeric,
                        strong=f.strong,
                        note=f.note(row) if f.note else "",
                        link=f.link(row) if f.link else "",
                        css=f.css,
                    )
                )
            body.append(cells)
        return body

    @property
    def width(self) -> int:
        """How many columns a page or PDF shows (for a "nothing found" row's colspan)."""
        return len(self.shown()) + (1 if self.numbered else 0)
