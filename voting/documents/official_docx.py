"""Editable .docx of an official document in the layout of Nghị định 30/2020/NĐ-CP (Phụ lục I).

Offices amend a decision or a set of minutes before they sign it, so each document the platform prints
as a PDF is offered as a Word file too. :class:`OfficialDocx` lays out the pieces every such document
shares, from the same plain values the PDF templates print (:class:`~voting.documents.reports.OfficialHeader`,
:class:`~voting.documents.reports.Signer`), so the two never disagree:

- A4 portrait (or landscape, for a wide annex), margins of Phụ lục I, Times New Roman 13 pt, page numbers
  centred at the top from the second page on;
- a borderless two-column header table: parent bodies and the issuing body (bold, a short rule under
  it) and "Số: …" on the left; the national motto (a rule under it) and the italic place-date line
  on the right;
- the title in bold capitals and its "Về việc …" line, centred;
- body paragraphs, numbered articles ("Điều 1."), ruled tables whose header row repeats on every page;
- a borderless two-column closing table: "Nơi nhận:" and its list on the left, the signer block on
  the right (capacity lines, room for the signature and the seal, the name in bold).

Text only ever goes in as runs: python-docx escapes it, so a name such as ``<b>"A & B"</b>`` is
printed as typed. Like the PDFs, these are legal documents in Vietnamese: nothing here is translated.
"""
import re
from io import BytesIO

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

__all__ = ["DOCX_MIMETYPE", "OfficialDocx"]

DOCX_MIMETYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
FONT = "Times New Roman"
BODY_PT = 13
#: Top, bottom, left, right (Nghị định 30/2020, Phụ lục I: 20-25, 20-25, 30-35, 15-20 mm).
MARGINS_MM = (20, 20, 30, 15)
#: A wide annex across the page: the binding edge is then the top, so the left margin may be narrower.
WIDE_MARGINS_MM = (20, 20, 20, 15)
AUTHORITY_SHARE = 0.4  # the header's left column; the motto takes the rest
RECIPIENTS_SHARE = 0.45
SIGN_ROOM_LINES = 4
# Characters XML 1.0 cannot carry (python-docx would refuse the whole document for one of them).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
CENTRE, JUSTIFY, LEFT = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.JUSTIFY, WD_ALIGN_PARAGRAPH.LEFT
# What may follow w:pBdr in a w:pPr, and w:pgNumType in a w:sectPr (ECMA-376): Word refuses a file whose
# elements are out of this order, though LibreOffice opens it.
AFTER_BORDER = ("w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
                "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid",
                "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc",
                "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle",
                "w:rPr", "w:sectPr", "w:pPrChange")
AFTER_PAGE_NUMBERING = ("w:cols", "w:formProt", "w:vAlign", "w:noEndnote", "w:titlePg", "w:textDirection", "w:bidi",
                        "w:rtlGutter", "w:docGrid", "w:printerSettings", "w:sectPrChange")


def _text(value):
    return _NOT_XML.sub("", str(value or ""))


class OfficialDocx:
    """A Word document under construction; call the pieces in reading order, then :meth:`to_bytes`."""

    def __init__(self, *, landscape=False):
        self.document = Document()
        normal = self.document.styles["Normal"]
        normal.font.name, normal.font.size = FONT, Pt(BODY_PT)
        # Word takes the font of Vietnamese letters from the complex-script and East Asian slots too.
        fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
        for slot in ("w:cs", "w:eastAsia"):
            fonts.set(qn(slot), FONT)
        normal.paragraph_format.space_after = Pt(0)
        normal.paragraph_format.space_before = Pt(0)
        self._lay_out(self.document.sections[0], landscape)

    # Page ---------------------------------------------------------------------------------------------

    def _lay_out(self, section, landscape):
        width, height = Mm(210), Mm(297)
        section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = (height, width) if landscape else (width, height)
        top, bottom, left, right = WIDE_MARGINS_MM if landscape else MARGINS_MM
        section.top_margin, section.bottom_margin = Mm(top), Mm(bottom)
        section.left_margin, section.right_margin = Mm(left), Mm(right)
        self._number_pages(section)

    @property
    def _width(self):
        """The text width of the current section (EMU)."""
        section = self.document.sections[-1]
        return section.page_width - section.left_margin - section.right_margin

    def new_page(self, *, landscape=False):
        """Start a new section on a new page (an annex; landscape for a wide table)."""
        self._lay_out(self.document.add_section(), landscape)

    def _number_pages(self, section):
        """Page numbers as Phụ lục I wants them: Arabic, centred in the top margin, none on the first page.

        Each section counts from 1, as the PDFs do: an annex numbers its own pages.
        """
        section.different_first_page_header_footer = True
        header = section.header
        header.is_linked_to_previous = False
        paragraph = header.paragraphs[0]
        paragraph.alignment = CENTRE
        field = OxmlElement("w:fldSimple")
        field.set(qn("w:instr"), "PAGE")
        run = self._run(paragraph, "2")  # shown until Word or LibreOffice computes the field
        field.append(run._r)
        paragraph._p.append(field)
        section.first_page_header.is_linked_to_previous = False
        sect_pr = section._sectPr
        for old in sect_pr.findall(qn("w:pgNumType")):  # a new section starts as a copy of the last one
            sect_pr.remove(old)
        numbering = OxmlElement("w:pgNumType")
        numbering.set(qn("w:start"), "1")
        sect_pr.insert_element_before(numbering, *AFTER_PAGE_NUMBERING)

    # Runs and paragraphs ------------------------------------------------------------------------------

    @staticmethod
    def _run(paragraph, text, *, bold=False, italic=False, size=None, caps=False):
        text = _text(text)
        run = paragraph.add_run(text.upper() if caps else text)
        run.bold, run.italic = bold or None, italic or None
        if size:
            run.font.size = Pt(size)
        return run

    def _paragraph(self, container, text="", *, align=CENTRE, bold=False, italic=False, size=None, caps=False,
                   first_line=None, after=0):
        paragraph = container.add_paragraph()
        paragraph.alignment = align
        paragraph.paragraph_format.space_after = Pt(after)
        if first_line is not None:
            paragraph.paragraph_format.first_line_indent = first_line
        if text:
            self._run(paragraph, text, bold=bold, italic=italic, size=size, caps=caps)
        return paragraph

    def _rule(self, container, width, column_width):
        """A short horizontal rule ``width`` long, centred in its column: a bordered empty paragraph."""
        paragraph = container.add_paragraph()
        indent = max(0, (column_width - width) // 2)
        paragraph.paragraph_format.left_indent = paragraph.paragraph_format.right_indent = indent
        paragraph.paragraph_format.space_after = Pt(2)
        border = OxmlElement("w:pBdr")
        top = OxmlElement("w:top")
        for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
            top.set(qn(key), value)
        border.append(top)
        paragraph._p.get_or_add_pPr().insert_element_before(border, *AFTER_BORDER)
        self._run(paragraph, "", size=2)
        return paragraph

    def paragraph(self, text, *, bold=False, italic=False, align=JUSTIFY, indent=True, size=None):
        """A body paragraph: justified, its first line indented, a little space after it."""
        return self._paragraph(self.document, text, align=align, bold=bold, italic=italic, size=size,
                               first_line=Mm(10) if indent else None, after=4)

    def centred(self, text, *, bold=False, italic=False, caps=False, size=None, after=0):
        return self._paragraph(self.document, text, bold=bold, italic=italic, caps=caps, size=size, after=after)

    def article(self, number, text):
        """A numbered article: "Điều <number>." in bold, then its text in the same paragraph."""
        paragraph = self._paragraph(self.document, align=JUSTIFY, first_line=Mm(10), after=4)
        self._run(paragraph, f"Điều {number}. ", bold=True)
        self._run(paragraph, text)
        return paragraph

    # Blocks ------------------------------------------------------------------------------------------

    @staticmethod
    def _widths(table, widths):
        """Fix the columns' widths, in the grid (LibreOffice reads it) and in every cell (Word does)."""
        table.autofit = False
        for column, width in zip(table.columns, widths, strict=True):
            column.width = width
        for row in table.rows:
            for cell, width in zip(row.cells, widths, strict=True):
                cell.width = width

    def _borderless(self, table, widths):
        """A layout table (no borders: the document's default table style has none) whose row stays whole."""
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        self._widths(table, widths)
        table.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
        return table

    @staticmethod
    def _first(cell):
        """The cell's own (empty) first paragraph, which python-docx creates with the cell."""
        return cell.paragraphs[0]

    def header(self, header):
        """The header table of an :class:`~voting.documents.reports.OfficialHeader`."""
        width = self._width
        left_width = int(width * AUTHORITY_SHARE)
        widths = (left_width, width - left_width)
        table = self._borderless(self.document.add_table(rows=1, cols=2), widths)
        left, right = table.rows[0].cells
        first = self._first(left)
        first.alignment = CENTRE
        for parent in header.parents:
            self._run(first, parent, caps=True, size=12)
            first.add_run().add_break(WD_BREAK.LINE)
        self._run(first, header.issuer, bold=True, caps=True, size=12)
        self._rule(left, Mm(22), widths[0])
        if header.number:
            self._paragraph(left, f"Số: {header.number}")
        motto = self._first(right)
        motto.alignment = CENTRE
        self._run(motto, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True, size=12)
        self._paragraph(right, "Độc lập - Tự do - Hạnh phúc", bold=True)
        self._rule(right, Mm(60), widths[1])
        if header.place_date:
            self._paragraph(right, header.place_date, italic=True)
        self._paragraph(self.document, after=6)
        return table

    def title(self, title, subject="", subtitle=""):
        """The document's name in bold capitals, centred; its "Về việc …" line (bold) and a short rule."""
        self.centred(title, bold=True, caps=True, size=14)
        if subject:
            self.centred(subject, bold=True)
        if subtitle:
            self.centred(subtitle)
        if subject:
            self._rule(self.document, Mm(40), self._width)
        self._paragraph(self.document, after=2)

    def table(self, headings, rows, widths_mm, *, centred=()):
        """A ruled table; its header row repeats on every page and no row splits across two.

        :param widths_mm: each column's width; None shares what is left of the text width equally.
        :param centred: indexes of the columns whose cells are centred.
        """
        fixed = sum(w for w in widths_mm if w is not None)
        free = [w for w in widths_mm if w is None]
        rest = (self._width - Mm(fixed)) // len(free) if free else 0
        widths = [Mm(w) if w is not None else rest for w in widths_mm]
        table = self.document.add_table(rows=1, cols=len(headings))
        table.style = "Table Grid"
        heading_row = table.rows[0]
        heading_row._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
        for cell, heading in zip(heading_row.cells, headings, strict=True):
            paragraph = self._first(cell)
            paragraph.alignment = CENTRE
            self._run(paragraph, heading, bold=True, size=11)
        for values in rows:
            row = table.add_row()
            row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
            for index, (cell, value) in enumerate(zip(row.cells, values, strict=True)):
                paragraph = self._first(cell)
                paragraph.alignment = CENTRE if index in centred else LEFT
                self._run(paragraph, value, size=11)
        self._widths(table, widths)
        self._paragraph(self.document, size=6)
        return table

    def closing(self, signer, recipients=(), *, place_date=""):
        """The closing table: "Nơi nhận:" and its list (left), the signer block (right).

        :param signer: a :class:`~voting.documents.reports.Signer`.
        :param recipients: the distribution list, one line each ("- Như Điều 3;"); empty for a document
            sent to nobody (its left cell stays empty).
        :param place_date: printed above the capacity when the header has none (a certificate-like paper).
        """
        # The last lines of the text go over to the signer's page rather than leave the signature alone.
        self.document.paragraphs[-1].paragraph_format.keep_with_next = True
        width = self._width
        left_width = int(width * RECIPIENTS_SHARE)
        table = self._borderless(self.document.add_table(rows=1, cols=2), (left_width, width - left_width))
        left, right = table.rows[0].cells
        if recipients:
            heading = self._first(left)
            heading.alignment = LEFT
            self._run(heading, "Nơi nhận:", bold=True, italic=True, size=12)
            for line in recipients:
                self._paragraph(left, line, align=LEFT, size=11)
        self._sign_block(right, signer, place_date)
        return table

    def signatures(self, signers):
        """Signer blocks side by side in a borderless table (the minutes: the secretary, then the chair)."""
        width = self._width
        count = max(1, len(signers))
        table = self._borderless(self.document.add_table(rows=1, cols=count), [width // count] * count)
        for cell, signer in zip(table.rows[0].cells, signers, strict=True):
            self._sign_block(cell, signer)
        return table

    def _sign_block(self, cell, signer, place_date=""):
        """Capacity lines in bold capitals, an optional hint, room for the signature and the seal, the name."""
        block = self._first(cell)
        block.alignment = CENTRE
        if place_date:
            self._run(block, place_date, italic=True)
            block = self._paragraph(cell)
        for index, line in enumerate(signer.capacity):
            if index:
                block.add_run().add_break(WD_BREAK.LINE)
            self._run(block, line, bold=True, caps=True)
        if signer.hint:
            self._paragraph(cell, signer.hint, italic=True)
        for _ in range(SIGN_ROOM_LINES):
            self._paragraph(cell)
        self._paragraph(cell, signer.name, bold=True)

    def to_bytes(self):
        buffer = BytesIO()
        self.document.save(buffer)
        return buffer.getvalue()
