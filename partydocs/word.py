"""Word copies of Party documents (python-docx): the same header, tables and signer block as the
PDF (partydocs.format), on A4 with the guide's margins, in Times New Roman — so an office can
finish a plan, report or decision in Word. The PDF stays the record.

A document builds a `WordDocument` from its `Heading`, adds its kind and summary, paragraphs and
tables, then its `SignerBlock` and recipients, and takes the bytes."""

import io

from docx import Document as new_document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

from partydocs.format import Heading, SignerBlock

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
FONT = "Times New Roman"  # the font offices type in; the PDF embeds Tinos, metric-compatible
BODY_SIZE = Pt(14)


def _borderless(table) -> None:
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    table._tbl.tblPr.append(borders)


def _bottom_rule(paragraph) -> None:
    """A line under the paragraph (the Party's name), drawn below the text, clear of the dots
    under Ộ and Ệ."""
    border = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "2"), ("w:color", "000000")):
        bottom.set(qn(key), value)
    border.append(bottom)
    paragraph._p.get_or_add_pPr().append(border)


def _box(paragraph) -> None:
    border = OxmlElement("w:pBdr")
    for edge in ("top", "left", "bottom", "right"):
        element = OxmlElement(f"w:{edge}")
        for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1")):
            element.set(qn(key), value)
        border.append(element)
    paragraph._p.get_or_add_pPr().append(border)


class WordDocument:
    def __init__(self, heading: Heading):
        self.doc = new_document()
        section = self.doc.sections[0]
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin = section.bottom_margin = Mm(20)
        section.left_margin, section.right_margin = Mm(30), Mm(15)
        style = self.doc.styles["Normal"]
        style.font.name = FONT
        style.font.size = BODY_SIZE
        # Vietnamese text is "complex" to Word's font slots only in name: set every slot.
        fonts = style.element.rPr.get_or_add_rFonts()
        for slot in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
            fonts.set(qn(slot), FONT)
        style.paragraph_format.space_after = Pt(6)
        style.paragraph_format.line_spacing = 1.15
        self._header(heading)

    # --- pieces -----------------------------------------------------------------------------

    def _line(self, cell_or_doc, text: str, *, bold=False, italic=False, size=None, align=None):
        paragraph = cell_or_doc.add_paragraph()
        paragraph.paragraph_format.space_after = Pt(0)
        if align is not None:
            paragraph.alignment = align
        run = paragraph.add_run(text)
        run.bold, run.italic = bold, italic
        if size:
            run.font.size = Pt(size)
        return paragraph

    def _header(self, heading: Heading) -> None:
        table = self.doc.add_table(rows=1, cols=2)
        _borderless(table)
        left, right = table.rows[0].cells
        left.width, right.width = Cm(7.5), Cm(9)
        center = WD_ALIGN_PARAGRAPH.CENTER
        left.paragraphs[0].alignment = center
        if heading.superior:
            left.paragraphs[0].add_run(heading.superior).font.size = Pt(13)
            self._line(left, heading.issuer, bold=True, size=13, align=center)
        else:
            run = left.paragraphs[0].add_run(heading.issuer)
            run.bold, run.font.size = True, Pt(13)
        self._line(left, "*", align=center)
        if heading.number:
            self._line(left, heading.number, size=13, align=center)
        title = right.paragraphs[0]
        title.alignment = center
        title.paragraph_format.left_indent = title.paragraph_format.right_indent = Cm(0.9)
        run = title.add_run("ĐẢNG CỘNG SẢN VIỆT NAM")
        run.bold, run.font.size = True, Pt(15)
        _bottom_rule(title)
        date = self._line(right, heading.place_date, italic=True, align=center)
        date.paragraph_format.space_before = Pt(8)
        if heading.draft:
            mark = self._line(right, heading.mark, bold=True, size=12, align=center)
            mark.paragraph_format.space_before = Pt(6)
            mark.paragraph_format.left_indent = mark.paragraph_format.right_indent = Cm(3)
            _box(mark)

    def kind(self, kind: str, summary: str = "") -> None:
        """ "KẾ HOẠCH" and its summary, centred, with the short rule under them."""
        center = WD_ALIGN_PARAGRAPH.CENTER
        self._line(
            self.doc, kind, bold=True, size=16, align=center
        ).paragraph_format.space_before = Pt(14)
        if summary:
            self._line(self.doc, summary, bold=True, align=center)
        self._line(self.doc, "-----", align=center).paragraph_format.space_after = Pt(12)

    def paragraph(
        self, text: str, *, bold=False, italic=False, center=False, indent=True, size=None
    ):
        paragraph = self.doc.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER if center else WD_ALIGN_PARAGRAPH.JUSTIFY
        if indent and not center:
            paragraph.paragraph_format.first_line_indent = Cm(1)
        run = paragraph.add_run(text)
        run.bold, run.italic = bold, italic
        if size:
            run.font.size = Pt(size)
        return paragraph

    def runs(self, parts: list[tuple[str, bool]]):
        """A paragraph of (text, bold) parts: "Điều 1." in bold, the rest plain."""
        paragraph = self.doc.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        paragraph.paragraph_format.first_line_indent = Cm(1)
        for text, bold in parts:
            paragraph.add_run(text).bold = bold
        return paragraph

    def section_title(self, text: str) -> None:
        paragraph = self._line(self.doc, text, bold=True)
        paragraph.paragraph_format.space_before = Pt(8)
        paragraph.paragraph_format.space_after = Pt(4)

    def table(
        self, headers: list[str], rows: list[list[str]], *, widths=None, bold_rows=()
    ) -> None:
        table = self.doc.add_table(rows=1, cols=len(headers))
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        for cell, text in zip(table.rows[0].cells, headers, strict=True):
            cell.text = ""
            run = cell.paragraphs[0].add_run(text)
            run.bold, run.font.size = True, Pt(12)
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        # The header row repeats on every page of a long table.
        header = table.rows[0]._tr.get_or_add_trPr()
        repeat = OxmlElement("w:tblHeader")
        repeat.set(qn("w:val"), "true")
        header.append(repeat)
        for index, values in enumerate(rows):
            cells = table.add_row().cells
            for cell, value in zip(cells, values, strict=True):
                run = cell.paragraphs[0].add_run(str(value if value is not None else ""))
                run.font.size = Pt(12)
                run.bold = index in bold_rows
        if widths:
            for row in table.rows:
                for cell, width in zip(row.cells, widths, strict=True):
                    cell.width = Cm(width)
        self.doc.add_paragraph().paragraph_format.space_after = Pt(0)

    def signature(self, signer: SignerBlock, recipients: list[str]) -> None:
        table = self.doc.add_table(rows=1, cols=2)
        _borderless(table)
        left, right = table.rows[0].cells
        left.width, right.width = Cm(7.5), Cm(9)
        if recipients:
            first = left.paragraphs[0]
            run = first.add_run("Nơi nhận:")
            run.bold, run.italic, run.underline, run.font.size = True, True, True, Pt(12)
            for position, line in enumerate(recipients, start=1):
                end = "." if position == len(recipients) else ","
                self._line(left, f"- {line}{end}", size=12)
        center = WD_ALIGN_PARAGRAPH.CENTER
        right.paragraphs[0].alignment = center
        for position, line in enumerate(signer.lines):
            if position == 0:
                run = right.paragraphs[0].add_run(line)
                run.bold = True
            else:
                self._line(right, line, bold=True, align=center)
        for _ in range(4):  # the space for the signature and the seal
            self._line(right, "", align=center)
        self._line(right, signer.name, bold=True, align=center)

    def page_break(self) -> None:
        self.doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    def landscape_section(self) -> None:
        """What follows on landscape pages (a wide appendix)."""
        section = self.doc.add_section()
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(297), Mm(210)
        section.left_margin, section.right_margin = Mm(20), Mm(15)
        section.top_margin = section.bottom_margin = Mm(15)

    def content(self) -> bytes:
        buffer = io.BytesIO()
        self.doc.save(buffer)
        return buffer.getvalue()
