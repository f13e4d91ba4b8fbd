"""The public XLSX downloads, streamed straight into the zip file: one row of XML per value.

openpyxl, even in its write-only mode, builds a cell object and an lxml element for each of the
1.4 million cells of the 100 000-value download: 17–25 s on the busy bench machine, most of
gunicorn's 30 s. Written here as text the same file takes about 1.3 s of CPU. It is the smallest
workbook Excel, LibreOffice and openpyxl open: two sheets, one style sheet, and shared strings
(the long format repeats its titles, areas and units on every row, so each text is stored once).

Every text cell is a shared string (`t="s"`): never a formula or an error code, whatever it
begins with, and each text still goes through reporting.spreadsheet.spreadsheet_text (the one
rule for every cell the site writes). Numbers are numbers, with an Excel number format per
unit and number of decimals.
"""

import zipfile
from decimal import Decimal
from xml.sax.saxutils import escape, quoteattr

from openpyxl.utils import get_column_letter

from reporting.spreadsheet import spreadsheet_text

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"
CONTENT = "application/vnd.openxmlformats-officedocument.spreadsheetml"
HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
BOLD = 1  # the style of header cells; number formats follow from FIRST_FORMAT_STYLE
FIRST_FORMAT_STYLE = 2
FIRST_CUSTOM_FORMAT = 164  # Excel's built-in number formats take the ids below
ROWS_PER_WRITE = 2000


class Workbook:
    """A workbook written sheet by sheet into `file` (binary, seekable), in a `with` block that finishes it.

    `sheet(title, widths, frozen_header)` gives a writer whose `row(cells)` takes a list of
    None (an empty cell), int, str (text), Header (bold text) or Number values.
    """

    def __init__(self, file):
        self.zip = zipfile.ZipFile(file, "w", zipfile.ZIP_DEFLATED, compresslevel=6)
        self.titles = []
        self.strings = {}  # the text as written (neutralised, escaped) → its index in sharedStrings.xml
        self.texts = {}  # the text as given → its index; most texts repeat on every row
        self.formats = {}  # Excel number format → style index
        self.open_part = None  # the sheet being written: zipfile allows one at a time

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, traceback):
        if exc_type is None:
            self._finish()
        else:
            # Closed without its remaining parts, for the caller to throw away; a zip left open would
            # complain when it is garbage-collected.
            if self.open_part is not None:
                self.open_part.close()
            self.zip.close()

    def text_index(self, value):
        index = self.texts.get(value)
        if index is None:
            written = escape(spreadsheet_text(value))
            index = self.strings.setdefault(written, len(self.strings))
            self.texts[value] = index
        return index

    def style(self, number_format):
        return self.formats.setdefault(number_format, FIRST_FORMAT_STYLE + len(self.formats))

    def sheet(self, title, *, widths, frozen_header=False):
        self.titles.append(title)
        self.open_part = self.zip.open(f"xl/worksheets/sheet{len(self.titles)}.xml", "w")
        return Sheet(self, self.open_part, widths, frozen_header)

    def _finish(self):
        sheets = range(1, len(self.titles) + 1)
        self._part("[Content_Types].xml", (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{CONTENT}.sheet.main+xml"/>'
            + "".join(f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="{CONTENT}.worksheet+xml"/>'
                      for n in sheets)
            + f'<Override PartName="/xl/styles.xml" ContentType="{CONTENT}.styles+xml"/>'
            f'<Override PartName="/xl/sharedStrings.xml" ContentType="{CONTENT}.sharedStrings+xml"/>'
            "</Types>"
        ))
        self._part("_rels/.rels", (
            f'<Relationships xmlns="{PACKAGE_RELATIONSHIPS}">'
            f'<Relationship Id="rId1" Type="{RELATIONSHIPS}/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>"
        ))
        self._part("xl/workbook.xml", (
            f'<workbook xmlns="{MAIN}" xmlns:r="{RELATIONSHIPS}"><sheets>'
            + "".join(f'<sheet name={quoteattr(title)} sheetId="{n}" r:id="rId{n}"/>'
                      for n, title in zip(sheets, self.titles))
            + "</sheets></workbook>"
        ))
        others = len(self.titles)
        self._part("xl/_rels/workbook.xml.rels", (
            f'<Relationships xmlns="{PACKAGE_RELATIONSHIPS}">'
            + "".join(f'<Relationship Id="rId{n}" Type="{RELATIONSHIPS}/worksheet" Target="worksheets/sheet{n}.xml"/>'
                      for n in sheets)
            + f'<Relationship Id="rId{others + 1}" Type="{RELATIONSHIPS}/styles" Target="styles.xml"/>'
            f'<Relationship Id="rId{others + 2}" Type="{RELATIONSHIPS}/sharedStrings" Target="sharedStrings.xml"/>'
            "</Relationships>"
        ))
        self._part("xl/styles.xml", self._styles())
        with self.zip.open("xl/sharedStrings.xml", "w") as part:
            part.write((HEAD + f'<sst xmlns="{MAIN}" uniqueCount="{len(self.strings)}">').encode())
            # Dicts keep their order: the n-th key is string n.
            part.write("".join(f'<si><t xml:space="preserve">{s}</t></si>' for s in self.strings).encode())
            part.write(b"</sst>")
        self.zip.close()

    def _styles(self):
        formats = "".join(f'<numFmt numFmtId="{FIRST_CUSTOM_FORMAT + n}" formatCode={quoteattr(code)}/>'
                          for n, code in enumerate(self.formats))
        xfs = ['<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>',
               '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>']
        xfs += [f'<xf numFmtId="{FIRST_CUSTOM_FORMAT + n}" fontId="0" fillId="0" borderId="0" xfId="0" '
                'applyNumberFormat="1"/>' for n in range(len(self.formats))]
        return (
            f'<styleSheet xmlns="{MAIN}">'
            + (f'<numFmts count="{len(self.formats)}">{formats}</numFmts>' if self.formats else "")
            + '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
            '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
            '<fills count="2"><fill><patternFill patternType="none"/></fill>'
            '<fill><patternFill patternType="gray125"/></fill></fills>'
            '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
            '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
            f'<cellXfs count="{len(xfs)}">{"".join(xfs)}</cellXfs>'
            '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
            "</styleSheet>"
        )

    def _part(self, name, xml):
        self.zip.writestr(name, HEAD + xml)


class Header(str):
    """A text cell in bold."""


class Number:
    """A decimal number, given as its plain text ("6.9", "-1.5"), shown with an Excel number format."""

    __slots__ = ("text", "number_format")

    def __init__(self, text, number_format):
        number = Decimal(text)
        if not number.is_finite():
            raise ValueError(f"{text!r} is not a number a spreadsheet can hold")
        self.text = format(number, "f")  # never an exponent or anything else the XML would carry
        self.number_format = number_format


class Sheet:
    def __init__(self, book, part, widths, frozen_header):
        self.book = book
        self.part = part
        self.number = 0
        self.pending = []
        self.letters = []
        pane = ('<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
                '<selection pane="bottomLeft"/>') if frozen_header else ""
        columns = "".join(f'<col min="{n}" max="{n}" width="{width}" customWidth="1"/>'
                          for n, width in enumerate(widths, start=1))
        columns = f"<cols>{columns}</cols>" if columns else ""  # an empty <cols> is not allowed
        self._write(HEAD + f'<worksheet xmlns="{MAIN}" xmlns:r="{RELATIONSHIPS}">'
                    f'<sheetViews><sheetView workbookViewId="0">{pane}</sheetView></sheetViews>'
                    f'<sheetFormatPr defaultRowHeight="15"/>{columns}<sheetData>')

    def row(self, values):
        # The hot loop of a 100 000-value download (1.4 million cells): exact type tests, the common
        # case (a text seen before) first, and no method call for it.
        self.number += 1
        n = self.number
        while len(self.letters) < len(values):
            self.letters.append(get_column_letter(len(self.letters) + 1))
        texts = self.book.texts
        cells = []
        for letter, value in zip(self.letters, values):
            kind = type(value)
            if kind is str:
                if not value:
                    continue
                index = texts.get(value)
                if index is None:
                    index = self.book.text_index(value)
                cells.append(f'<c r="{letter}{n}" t="s"><v>{index}</v></c>')
            elif kind is int:
                cells.append(f'<c r="{letter}{n}"><v>{value}</v></c>')
            elif kind is Number:
                style = self.book.style(value.number_format)
                cells.append(f'<c r="{letter}{n}" s="{style}"><v>{value.text}</v></c>')
            elif kind is Header:
                cells.append(f'<c r="{letter}{n}" t="s" s="{BOLD}"><v>{self.book.text_index(value)}</v></c>')
            elif value is not None:
                raise TypeError(f"{kind.__name__} is not a cell of reports.workbook")
        self.pending.append(f'<row r="{n}">{"".join(cells)}</row>')
        if len(self.pending) >= ROWS_PER_WRITE:
            self._flush()

    def close(self):
        self._flush()
        self._write("</sheetData></worksheet>")
        self.part.close()
        self.book.open_part = None

    def _flush(self):
        self._write("".join(self.pending))
        self.pending = []

    def _write(self, text):
        self.part.write(text.encode())
