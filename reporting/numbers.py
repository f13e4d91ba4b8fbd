"""The one way the site writes a number for a person to read: 1 234,5.

Django's Swedish locale gives the decimal comma, the no-break space between thousands and the
grouping by three (sv DECIMAL_SEPARATOR, THOUSAND_SEPARATOR, NUMBER_GROUPING); a negative number
gets a real minus sign (−), as Swedish typography writes it. Every page, the review desk, the
charts and their data tables, the PDF, the admin and the import preview write numbers with
swedish_number, so a figure reads the same wherever it is shown. It lives in reporting/, below
indicators, actions and reports, so that each of them can use it.

Not for what programs read: the downloads and the API keep 6.9 (indicators.selectors.format_number),
and an input's value stays ungrouped so that it is read back as typed.

USE_THOUSAND_SEPARATOR stays off: it would group every number a template prints, years included (2 024).
"""

from decimal import Decimal

from django.utils import numberformat
from django.utils import translation
from django.utils.formats import get_format

LANGUAGE = "sv"
MINUS = "\u2212"


def local_number(number, decimals=None):
    """As swedish_number, in the active language's notation: what a page in English writes (1,234.5)."""
    return swedish_number(number, decimals, language=translation.get_language() or LANGUAGE)


def swedish_number(number, decimals=None, language=LANGUAGE):
    """1234.5 → '1 234,5' (a no-break space); None → ''.

    With `decimals`, rounded to that many places as Python rounds a Decimal (half to even: 6,25 →
    6,2) and zeros kept (7 → '7,0'); without, every digit the number has, trailing zeros dropped
    (Decimal('6.9000') → '6,9'): what was entered, not rounded for display.
    """
    if number is None:
        return ""
    if isinstance(number, float):
        number = Decimal(repr(number))  # the float's shortest text, not its binary expansion
    number = Decimal(number)
    if decimals is None:
        number = number.normalize()
    else:
        number = Decimal(format(number, f".{decimals}f"))
    if number == 0:
        number = abs(number)  # never "−0"
    text = numberformat.format(
        number,
        get_format("DECIMAL_SEPARATOR", language),
        decimal_pos=decimals,
        grouping=get_format("NUMBER_GROUPING", language),
        thousand_sep=get_format("THOUSAND_SEPARATOR", language),
        force_grouping=True,
    )
    return MINUS + text[1:] if text.startswith("-") else text


def separators():
    """The decimal sign and the thousands separator, as plotly.js's layout takes them (",\u00a0"): the
    interactive chart's axis writes its numbers as the tables do."""
    return get_format("DECIMAL_SEPARATOR", LANGUAGE) + get_format("THOUSAND_SEPARATOR", LANGUAGE)


def whole_number(text, *, max_digits=9):
    """A whole number as a query string or a form carries it (a year, an id, a version), or None.

    ASCII digits only: str.isdigit() also takes "²" and "٣", which int() refuses or reads as another
    number; at most `max_digits`, so that a huge number never reaches the database as a key."""
    text = text or ""
    if text.isascii() and text.isdigit() and len(text) <= max_digits:
        return int(text)
    return None
