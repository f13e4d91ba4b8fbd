"""Reading an uploaded table (CSV or XLSX) so that no file can hurt the server or be misread.

Every importer (values, status reports) reads its file through here:

- size, rows and columns are limited (settings IMPORT_MAX_FILE_BYTES, IMPORT_MAX_ROWS,
  IMPORT_MAX_COLUMNS, IMPORT_MAX_UNCOMPRESSED_BYTES); reading stops at the first limit passed;
- so is everything that could grow before those limits apply: lines, blank ones included
  (IMPORT_MAX_LINES), the values a wide table becomes (IMPORT_MAX_CELLS, counted before reshaping),
  an XLSX's shared strings (IMPORT_MAX_SHARED_STRINGS, counted in the zip before openpyxl loads them)
  and the time reading takes (IMPORT_MAX_PARSE_SECONDS);
- the file waits between preview and confirm under a random name the server chose
  (IMPORT_UPLOAD_DIR), bound to the uploader's session; the confirm form's hidden name is only a key
  into that session, never a path, and the file is removed after confirm, cancel or expiry
  (`manage.py remove_expired_uploads`);
- an XLSX is read in openpyxl's read-only streaming mode with the sheet's declared size ignored
  (a sheet may declare A1:XFD1048576 and would otherwise be padded to it, cell by cell);
- a CSV is UTF-8 with or without BOM, UTF-16 or Windows-1252 (what Swedish Excel saves); anything
  else is refused with a message naming the encoding to use;
- a comma file whose row has more fields than its header is refused: that is what an unquoted
  decimal comma (…,6,9,…) looks like, and reading it would store 6 with the note "9".

A file that cannot be read raises FileRefused, whose message (Swedish) is shown as it is. Lives in
reporting/ because both importing apps (indicators, actions) use it.
"""

import codecs
import csv
import io
import itertools
import json
import re
import secrets
import time
import unicodedata
import zipfile
from pathlib import Path

from defusedxml.ElementTree import iterparse

import pandas as pd
from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.http import HttpResponseRedirect
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext, gettext_noop, ngettext
from django.views.decorators.http import require_POST
from import_export.formats.base_formats import Format
from import_export.forms import ImportForm, SelectableFieldsExportForm

# The messages below are kept as Swedish str (tests and importing.py compare and store them) and
# translated where they are shown: gettext(CONSTANT).
SAVE_AS = gettext_noop(
    "Spara filen i Excel som ”CSV UTF-8 (kommaavgränsad)” eller som Excel-arbetsbok (.xlsx) och försök igen."
)
CONCURRENT_WRITE = gettext_noop(
    "Inget importerades: någon annan sparade samma rader medan du granskade filen. "
    "Läs in filen igen; förhandsgranskningen visar då hur det ser ut nu."
)
CHANGED_SINCE_PREVIEW = gettext_noop(
    "Inget importerades: filen har fel som inte fanns vid förhandsgranskningen (något har ändrats sedan dess). "
    "Läs in filen igen för att se felen."
)

UNKNOWN_UPLOAD = gettext_noop(
    "Inget importerades: filen hör inte till den här förhandsgranskningen (den kan redan vara importerad "
    "eller avbruten). Läs in filen igen."
)
EXPIRED_UPLOAD = gettext_noop(
    "Inget importerades: förhandsgranskningen är för gammal och filen har tagits bort. Läs in filen igen."
)


class FileRefused(ValueError):
    """A file the importer will not read; the message says why, in Swedish."""


class ChangedSincePreview(ValueError):
    """A confirm whose rows someone else changed after the preview; the message lists them, in Swedish."""

    def __init__(self, labels):
        self.labels = list(labels)
        shown = self.labels[:20]
        more = len(self.labels) - len(shown)
        listing = "; ".join(shown) + (gettext(" och %(more)s till") % {"more": more} if more else "")
        count = len(self.labels)
        super().__init__(
            ngettext(
                "Inget importerades: %(count)s rad har ändrats av någon annan sedan förhandsgranskningen: "
                "%(listing)s. Läs in filen igen och se efter hur det ser ut nu.",
                "Inget importerades: %(count)s rader har ändrats av någon annan sedan förhandsgranskningen: "
                "%(listing)s. Läs in filen igen och se efter hur det ser ut nu.",
                count,
            ) % {"count": count, "listing": listing}
        )


def limit(name):
    return getattr(settings, name)


def megabytes(size):
    return f"{size / 1_000_000:.0f} MB" if size >= 1_000_000 else f"{size / 1000:.0f} kB"


def check_size(size):
    if size > limit("IMPORT_MAX_FILE_BYTES"):
        raise FileRefused(
            gettext("Filen är %(size)s; en import får vara högst %(limit)s. Dela upp den i flera filer.")
            % {"size": megabytes(size), "limit": megabytes(limit("IMPORT_MAX_FILE_BYTES"))}
        )


# --- text files ----------------------------------------------------------------------------------

def decode(data):
    """The text of an uploaded file: UTF-8 (with or without BOM), UTF-16 (BOM or not) or Windows-1252."""
    if isinstance(data, str):
        return data.lstrip("\ufeff")
    check_size(len(data))
    try:
        if data.startswith(codecs.BOM_UTF8):
            text = data[len(codecs.BOM_UTF8):].decode("utf-8")
        elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            text = data.decode("utf-16")
        elif _looks_like_utf16(data):
            # Every other byte zero in the first characters: UTF-16 saved without a BOM.
            text = data.decode("utf-16-le" if data[1:2] == b"\0" else "utf-16-be")
        else:
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError:
                # Swedish Excel's "CSV (semikolonavgränsad)": Windows-1252. Five byte values are undefined
                # there, so a file in any other encoding mostly fails here too.
                _refuse_mixed(data)
                text = data.decode("cp1252")
    except UnicodeDecodeError:
        if data.startswith(codecs.BOM_UTF8):
            _refuse_mixed(data[len(codecs.BOM_UTF8):], utf8_declared=True)
        raise FileRefused(
            gettext("Filens teckenkodning känns inte igen (varken UTF-8, UTF-16 eller Windows-1252). %(save_as)s")
            % {"save_as": gettext(SAVE_AS)}
        )
    if _looks_binary(text):
        raise FileRefused(
            gettext("Filen ser inte ut att vara en textfil (CSV). %(save_as)s") % {"save_as": gettext(SAVE_AS)}
        )
    return text


# A Swedish letter (å ä ö é ü …) as UTF-8 is 0xC3 and a byte 0x80–0xBF; in Windows-1252 that is "Ã" and a
# symbol, which Swedish text does not hold. Found in a file that is not UTF-8 throughout, it is UTF-8 text
# pasted into a Windows-1252 one (or the other way): decoding either way garbles one of the parts.
UTF8_LETTER = re.compile(rb"\xc3[\x80-\xbf]")


def _refuse_mixed(data, *, utf8_declared=False):
    """Refuse a file that is part UTF-8, part Windows-1252, naming a line of each."""
    lines = data.split(b"\n")
    utf8_line = next((n for n, line in enumerate(lines, 1) if UTF8_LETTER.search(line)), None)
    if utf8_line is None and not utf8_declared:
        return
    other_line = None
    for number, line in enumerate(lines, 1):
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            other_line = number
            break
    if other_line is None:
        return
    lines = {"utf8": utf8_line, "other": other_line}
    where = gettext(" (t.ex. rad %(utf8)s som UTF-8 och rad %(other)s som Windows-1252)") % lines if utf8_line else (
        gettext(" (filen börjar som UTF-8 men rad %(other)s är Windows-1252)") % lines)
    raise FileRefused(
        gettext("Filen blandar teckenkodningar%(where)s, så å, ä och ö skulle bli fel. Spara hela filen i en "
                "kodning. %(save_as)s") % {"where": where, "save_as": gettext(SAVE_AS)}
    )


class Deadline:
    """The time reading a file may take (IMPORT_MAX_PARSE_SECONDS); check() refuses the file once it is past."""

    def __init__(self):
        self.seconds = limit("IMPORT_MAX_PARSE_SECONDS")
        self.end = time.monotonic() + self.seconds

    def check(self):
        if time.monotonic() > self.end:
            raise FileRefused(
                gettext("Filen tog för lång tid att läsa (mer än %(seconds)s sekunder). Dela upp den i mindre filer.")
                % {"seconds": f"{self.seconds:g}"}
            )


def check_lines(text):
    """Lines, blank ones included: a file of nothing but line breaks is as much work as one of rows."""
    lines = max(text.count("\n"), text.count("\r"))
    if lines > limit("IMPORT_MAX_LINES"):
        raise FileRefused(_too_many_lines(limit("IMPORT_MAX_LINES")))


def _too_many_lines(max_lines):
    return gettext("Filen har fler än %(lines)s rader; en import får ha högst så många (tomma rader räknas "
                   "med). Ta bort tomma rader eller dela upp filen.") % {"lines": _number(max_lines)}


def check_cells(rows, year_columns):
    """The values a wide table becomes (one per row and year column), counted before it is reshaped."""
    cells = rows * year_columns
    if cells > limit("IMPORT_MAX_CELLS"):
        raise FileRefused(
            gettext("Den breda tabellen blir %(cells)s värden (%(rows)s rader × %(years)s årskolumner); "
                    "en import får ha högst %(limit)s. Dela upp den i flera filer.")
            % {"cells": _number(cells), "rows": _number(rows), "years": year_columns,
               "limit": _number(limit("IMPORT_MAX_CELLS"))}
        )


def _number(n):
    return f"{n:,}".replace(",", "\u00a0")


def _looks_like_utf16(data):
    head = data[:200]
    if len(head) < 4:
        return False
    even, odd = head[0::2], head[1::2]
    return odd.count(0) > 0.9 * len(odd) or even.count(0) > 0.9 * len(even)


def _looks_binary(text):
    """More than 1 % control characters (not tab or line breaks): random bytes, an XLSX chosen as CSV …
    A single NUL in a note is a row error of its own (see has_nul), not a reason to refuse the file."""
    sample = text[:100_000]
    controls = sum(1 for ch in sample if ch not in "\t\r\n" and unicodedata.category(ch) == "Cc")
    return controls > max(2, len(sample) // 100)


def read_csv_rows(data):
    """Rows of a CSV file as saved by Excel in Swedish (semicolons) or by anything else (commas).

    The text is at most IMPORT_MAX_FILE_BYTES, so it is parsed at once (csv in C) and the limits are
    checked on the rows; only a row that breaks one is looked at in Python."""
    deadline = Deadline()
    text = decode(data)
    check_lines(text)
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    max_rows, max_columns = limit("IMPORT_MAX_ROWS"), limit("IMPORT_MAX_COLUMNS")
    try:
        rows = []
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        while True:
            chunk = list(itertools.islice(reader, 10_000))
            rows += chunk
            deadline.check()
            if len(chunk) < 10_000:
                break
    except csv.Error as exc:
        raise FileRefused(
            gettext("Filen går inte att läsa som CSV (%(error)s). %(save_as)s") % {"error": exc, "save_as": gettext(SAVE_AS)}
        ) from exc
    if len(rows) > max_rows + 1 and sum(1 for row in rows if any(row)) > max_rows + 1:  # + the header
        raise FileRefused(_too_many_rows(max_rows))
    header = next((i for i, row in enumerate(rows) if any(row)), None)
    if header is None:
        return []
    width = len(rows[header])
    longest = max(map(len, rows))
    if longest > width or longest > max_columns:
        for line, raw in enumerate(rows[header:], header + 1):
            row = _trimmed(raw)
            if len(row) > max_columns:
                raise FileRefused(_too_many_columns(line, len(row), max_columns))
            if len(raw) > width and (delimiter == "," or len(row) > width):
                # In a comma file any extra field counts, empty or not: "…,6,9,,," has one field too many
                # although the last ones are empty.
                raise FileRefused(_extra_fields(line, len(raw), width, delimiter))
    return rows


def _extra_fields(line, count, width, delimiter):
    message = gettext("Rad %(line)s har %(count)s fält men rubrikraden bara %(width)s.") % {
        "line": line, "count": count, "width": width}
    if delimiter == ",":
        message += gettext(" Har talen decimalkomma (6,9) i en kommaavgränsad fil? Sätt då talen inom citattecken "
                           "(\"6,9\"), skriv dem med punkt (6.9) eller spara filen med semikolon som avgränsare.")
    else:
        message += gettext(" Kontrollera att ingen text innehåller avgränsaren utan citattecken.")
    return message


def _too_many_rows(max_rows):
    return gettext("Filen har fler än %(rows)s rader; en import får ha högst så många. Dela upp den.") % {
        "rows": _number(max_rows)}


def _too_many_columns(line, count, max_columns):
    return gettext("Rad %(line)s har %(count)s kolumner; en import får ha högst %(max)s.") % {
        "line": line, "count": count, "max": max_columns}


def _trimmed(row):
    """The row without its empty cells at the end (Excel writes ;;; after the last filled column)."""
    end = len(row)
    while end and row[end - 1] in (None, ""):
        end -= 1
    return list(row[:end])


# --- Excel ---------------------------------------------------------------------------------------

def read_xlsx_rows(data):
    """Rows of the workbook's first sheet, streamed; refused at the first limit passed."""
    import openpyxl

    check_size(len(data))
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        unpacked = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise FileRefused(gettext("Filen är ingen Excel-arbetsbok (.xlsx). Välj rätt format eller spara om filen i Excel.")) from exc
    if unpacked > limit("IMPORT_MAX_UNCOMPRESSED_BYTES"):
        raise FileRefused(
            gettext("Excel-filen packas upp till %(size)s; en import får vara högst %(limit)s uppackad. Dela upp den.")
            % {"size": megabytes(unpacked), "limit": megabytes(limit("IMPORT_MAX_UNCOMPRESSED_BYTES"))}
        )
    deadline = Deadline()
    check_shared_strings(archive)
    max_rows, max_columns = limit("IMPORT_MAX_ROWS"), limit("IMPORT_MAX_COLUMNS")
    max_lines = limit("IMPORT_MAX_LINES")
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a broken file
        raise FileRefused(gettext("Excel-filen går inte att öppna; den kan vara skadad. Spara om den i Excel.")) from exc
    try:
        sheet = book.active
        if sheet is None or not hasattr(sheet, "reset_dimensions"):
            raise FileRefused(gettext("Excel-filens första flik är inget kalkylblad."))
        # Ignore the declared size (A1:XFD1048576 would pad every row to 16 384 cells).
        sheet.reset_dimensions()
        rows = []
        try:
            for line, row in enumerate(sheet.iter_rows(values_only=True), 1):
                if line % 1000 == 0:
                    deadline.check()
                if line > max_lines:
                    raise FileRefused(_too_many_lines(max_lines))
                row = _trimmed(row)
                if not row:
                    continue
                if len(row) > max_columns:
                    raise FileRefused(_too_many_columns(line, len(row), max_columns))
                rows.append(row)
                if len(rows) > max_rows + 1:
                    raise FileRefused(_too_many_rows(max_rows))
        except FileRefused:
            raise
        except Exception as exc:  # noqa: BLE001 - a broken sheet XML
            raise FileRefused(gettext("Excel-filen går inte att läsa; den kan vara skadad. Spara om den i Excel.")) from exc
    finally:
        book.close()
    deadline.check()
    return rows


def check_shared_strings(archive):
    """Refuse a workbook with more shared strings than IMPORT_MAX_SHARED_STRINGS, before openpyxl reads
    them all into a list. The count the file declares (read with defusedxml, which refuses entity tricks)
    may lie, so the strings are also counted in the unzipped bytes (bounded by IMPORT_MAX_UNCOMPRESSED_BYTES)
    without parsing them; a prefixed element (<x:si>) counts twice there, which only makes the bound safer."""
    maximum = limit("IMPORT_MAX_SHARED_STRINGS")
    for name in archive.namelist():
        if not name.lower().endswith("sharedstrings.xml"):
            continue
        declared = 0
        try:
            with archive.open(name) as stream:
                for _event, element in iterparse(stream, events=("start",)):
                    declared = max(_int(element.get("uniqueCount")), _int(element.get("count")))
                    break
        except Exception as exc:  # noqa: BLE001 - defusedxml's refusals and broken XML alike
            raise FileRefused(gettext("Excel-filen går inte att läsa; den kan vara skadad. Spara om den i Excel.")) from exc
        counted, tail = 0, b""
        with archive.open(name) as stream:
            while chunk := stream.read(1 << 20):
                data = tail + chunk
                counted += sum(data.count(pattern) for pattern in SHARED_STRING_TAGS)
                tail = data[-3:]  # shorter than any pattern, so nothing is counted twice
        strings = max(declared, counted)
        if strings > maximum:
            raise FileRefused(
                gettext("Excel-filen har %(strings)s olika texter; en import får ha högst %(max)s. "
                        "Dela upp den eller spara den som CSV.") % {"strings": _number(strings), "max": _number(maximum)}
            )


SHARED_STRING_TAGS = (b"<si>", b"<si ", b"<si/", b":si>", b":si ", b":si/")


def _int(text):
    try:
        return int(text or 0)
    except ValueError:
        return 0


def cell_text(cell):
    """A cell from CSV (text), XLSX (number, text, date or None) or JSON as text: 2021.0 from Excel is "2021"."""
    if cell.__class__ is str:
        return cell
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell)


def frame_from_rows(rows):
    """The rows of a sheet (the first non-blank one the header) as a frame of text cells; blank rows
    (common at the end of sheets) are left out and each row is cut or padded to the header's width."""
    rows = [row for row in rows if any(cell not in (None, "") for cell in row)]
    if not rows:
        return named_frame(pd.DataFrame())
    width = len(rows[0])
    body = [[cell_text(cell) for cell in row[:width]] + [""] * (width - len(row)) for row in rows[1:]]
    frame = pd.DataFrame(body, columns=range(width), dtype=object)
    return named_frame(frame, [cell_text(h) for h in rows[0]])


def named_frame(frame, header=None):
    """`frame` with `header` as its column names (stripped; unnamed columns dropped) and the file's row
    numbers as its index: 1 = the first row after the header. A name given twice is refused, since which
    of the two columns counts would be a guess."""
    header = [str(h).strip() for h in (header if header is not None else frame.columns)]
    named = [name for name in header if name]
    repeated = sorted({name for name in named if named.count(name) > 1})
    if repeated:
        raise FileRefused(
            gettext("Rubrikraden har samma kolumn flera gånger: %(columns)s.") % {"columns": ", ".join(repeated)}
        )
    frame = frame.iloc[:, [i for i, name in enumerate(header) if name]].set_axis(named, axis=1)
    frame.index = pd.RangeIndex(1, len(frame) + 1)
    return frame


def read_csv_frame(data):
    """A CSV file as a frame of text cells, read by pandas' C parser (a few times faster than the csv
    module for a file of 100 000 rows). A file it cannot read as a plain table (a row longer than the
    header, too many columns) is read again by read_csv_rows, which names the line and the likely cause."""
    deadline = Deadline()
    text = decode(data)
    check_lines(text)
    end = text.find("\n")
    first_line = text if end < 0 else text[:end]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    try:
        frame = pd.read_csv(io.StringIO(text), sep=delimiter, header=None, dtype=object, na_filter=False,
                            skip_blank_lines=True, engine="c")
    except pd.errors.EmptyDataError:
        return named_frame(pd.DataFrame())
    except (pd.errors.ParserError, ValueError, OverflowError):
        return frame_from_rows(read_csv_rows(data))
    deadline.check()
    if len(frame.columns) > limit("IMPORT_MAX_COLUMNS"):
        return frame_from_rows(read_csv_rows(data))
    if frame.iloc[:, -1].isna().any():  # a row shorter than the header
        frame = frame.fillna("")
    maybe_blank = frame[0] == ""
    if maybe_blank.any():  # ",,,," lines: as blank as empty ones
        frame = frame[~(maybe_blank & (frame[maybe_blank] == "").all(axis=1).reindex(frame.index, fill_value=False))]
    if len(frame) > limit("IMPORT_MAX_ROWS") + 1:  # + the header
        raise FileRefused(_too_many_rows(limit("IMPORT_MAX_ROWS")))
    if frame.empty:
        return named_frame(pd.DataFrame())
    header = frame.iloc[0].tolist()
    frame = named_frame(frame.iloc[1:], header)
    frame.attrs["nul_free"] = "\x00" not in text  # one scan of the text instead of one per column
    return frame


def has_nul(text):
    return isinstance(text, str) and "\x00" in text


NUL_MESSAGE = gettext_noop(
    "Texten innehåller ett otillåtet tecken (NUL, tecken 0). Ta bort det och läs in filen igen."
)


# --- the file between preview and confirm ------------------------------------------------------

SESSION_KEY = "import_uploads"
TOKEN_RE = re.compile(r"^[0-9a-f]{32}$")


def upload_dir():
    folder = Path(limit("IMPORT_UPLOAD_DIR"))
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


class StoredUpload:
    """An uploaded file kept for its confirm, named by a random token the server chose. Beside it, the
    versions of the rows its preview showed (".preview"), so that the confirm can tell what changed since."""

    def __init__(self, token):
        if not TOKEN_RE.match(token or ""):
            raise FileRefused(gettext(UNKNOWN_UPLOAD))
        self.name = token
        self.path = upload_dir() / token
        self.preview_path = upload_dir() / f"{token}.preview"

    @classmethod
    def save(cls, upload):
        stored = cls(secrets.token_hex(16))
        with open(stored.path, "xb") as file:  # "x": never an existing file
            for chunk in upload.chunks():
                file.write(chunk)
        return stored

    def read(self):
        try:
            return self.path.read_bytes()
        except FileNotFoundError:
            raise FileRefused(gettext(EXPIRED_UPLOAD)) from None

    def save_preview(self, versions):
        self.preview_path.write_text(json.dumps(versions))

    def read_preview(self):
        try:
            return json.loads(self.preview_path.read_text())
        except FileNotFoundError:
            raise FileRefused(gettext(EXPIRED_UPLOAD)) from None

    def remove(self):
        for file in (self.path, self.preview_path):
            file.unlink(missing_ok=True)


def bind_upload(request, token, label):
    """The upload may be confirmed from this session only, for this model only."""
    uploads = dict(request.session.get(SESSION_KEY, {}))
    oldest = time.time() - limit("IMPORT_UPLOAD_MAX_AGE")
    uploads = {key: entry for key, entry in uploads.items() if entry.get("at", 0) >= oldest}
    uploads[token] = {"model": label, "at": time.time()}
    request.session[SESSION_KEY] = uploads


def is_bound(request, token):
    return token in request.session.get(SESSION_KEY, {})


def claim_upload(request, token, label):
    """The session's upload named by `token` (taken off the session: a file is confirmed once), or
    FileRefused. A name the session does not hold, forged or old, names no file at all."""
    uploads = dict(request.session.get(SESSION_KEY, {}))
    entry = uploads.get(token) if isinstance(token, str) else None
    if entry is None or entry.get("model") != label or not TOKEN_RE.match(token):
        raise FileRefused(gettext(UNKNOWN_UPLOAD))
    del uploads[token]
    request.session[SESSION_KEY] = uploads
    stored = StoredUpload(token)
    if entry.get("at", 0) < time.time() - limit("IMPORT_UPLOAD_MAX_AGE"):
        stored.remove()
        raise FileRefused(gettext(EXPIRED_UPLOAD))
    return stored


def remove_expired_uploads(*, max_age=None, now=None):
    """Remove uploads (and their preview notes) older than IMPORT_UPLOAD_MAX_AGE; the number removed."""
    max_age = limit("IMPORT_UPLOAD_MAX_AGE") if max_age is None else max_age
    oldest = (time.time() if now is None else now) - max_age
    removed = 0
    for file in upload_dir().iterdir():
        try:
            if file.is_file() and file.stat().st_mtime < oldest:
                file.unlink()
                removed += 1
        except FileNotFoundError:
            pass  # removed meanwhile by its confirm or another cleanup
    return removed


# --- import-export glue --------------------------------------------------------------------------

class Table:
    """What a format gives import-export: the file as a frame (`read`). import-export only asks how many
    rows it has and hands it to the resource's import_data, which runs it through reporting.importing."""

    def __init__(self, frame):
        self.frame = frame

    def __len__(self):
        return len(self.frame)


class SafeFormat(Format):
    """A binary import-only format with a Swedish title; subclasses say how to read the file into a frame
    of text cells (`read`)."""

    title = ""
    extension = ""

    def __init__(self, encoding=None):
        self.encoding = encoding

    def get_title(self):
        return self.title

    def get_extension(self):
        return self.extension

    def can_import(self):
        return True

    def can_export(self):
        return False

    def create_dataset(self, in_stream, **kwargs):
        return Table(self.read(in_stream))

    def read(self, data):
        raise NotImplementedError


class TableCSV(SafeFormat):
    title = "CSV"
    extension = "csv"

    def read(self, data):
        return read_csv_frame(data)


class TableXLSX(SafeFormat):
    title = "Excel (xlsx)"
    extension = "xlsx"

    def read(self, data):
        return frame_from_rows(read_xlsx_rows(data))


class LimitedImportForm(ImportForm):
    """import-export's form with the size limit checked before the file is read at all."""

    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        try:
            check_size(upload.size)
        except FileRefused as exc:
            raise forms.ValidationError(str(exc)) from exc
        return upload


class SwedishExportForm(SelectableFieldsExportForm):
    """The export page's column checkboxes in Swedish: the resource's `column_labels` and the file's column
    name, e.g. "Fotnot (note)", instead of import-export's "Note"."""

    def _get_field_label(self, resource, field_name):
        field = resource.fields.get(field_name)
        column = field.column_name if field else field_name
        label = getattr(resource, "column_labels", {}).get(column)
        return f"{label} ({column})" if label else super()._get_field_label(resource, field_name)


class SafeImportMixin:
    """For an admin with ImportMixin: the size limit, the reader's own message for a refused file, the
    upload kept under the server's name for this session only, and a confirm that says what happened
    instead of failing (rows written by someone else meanwhile).

    The resource's import_data gets `preview_versions` at a confirm (what the preview saw, see
    StoredUpload) and leaves `result.preview_versions` after a preview."""

    import_form_class = LimitedImportForm
    export_form_class = SwedishExportForm

    def add_data_read_fail_error_to_form(self, form, exc):
        if isinstance(exc, FileRefused):
            form.add_error("import_file", str(exc))
        else:
            super().add_data_read_fail_error_to_form(form, exc)

    def _upload_label(self):
        return self.model._meta.label_lower

    def write_to_tmp_storage(self, import_file, input_format):
        # import-export's own storage names the file after the client's confirm form; this one is named by
        # the server, streamed to disk chunk by chunk, and bound to the session once the preview is shown.
        return StoredUpload.save(import_file)

    def get_confirm_form_initial(self, request, import_form):
        initial = super().get_confirm_form_initial(request, import_form)
        if import_form is not None:
            bind_upload(request, initial["import_file_name"], self._upload_label())
        return initial

    def import_action(self, request, **kwargs):
        response = super().import_action(request, **kwargs)
        upload = request.FILES.get("import_file")
        token = getattr(upload, "tmp_storage_name", None)
        if token:
            stored = StoredUpload(token)
            result = (getattr(response, "context_data", None) or {}).get("result")
            if is_bound(request, token) and result is not None:
                stored.save_preview(getattr(result, "preview_versions", {}))
            else:
                stored.remove()  # refused at the preview: there is nothing to confirm
        return response

    @method_decorator(require_POST)
    def process_import(self, request, **kwargs):
        if not self.has_import_permission(request):
            raise PermissionDenied
        confirm_form = self.create_confirm_form(request)
        try:
            if not confirm_form.is_valid():
                raise FileRefused(gettext(UNKNOWN_UPLOAD))
            stored = claim_upload(request, confirm_form.cleaned_data["import_file_name"], self._upload_label())
        except FileRefused as exc:
            messages.error(request, str(exc))
            return HttpResponseRedirect(self._import_url())
        try:
            try:
                input_format = self.get_import_formats()[int(confirm_form.cleaned_data["format"])]()
            except (ValueError, IndexError):
                raise FileRefused(gettext(UNKNOWN_UPLOAD)) from None
            preview_versions = stored.read_preview()
            dataset = input_format.create_dataset(stored.read())
            result = self.process_dataset(dataset, confirm_form, request, preview_versions=preview_versions, **kwargs)
        except IntegrityError:
            # Two confirms of the same new rows: the second one's insert hits the unique constraint and
            # its transaction is rolled back whole.
            messages.error(request, gettext(CONCURRENT_WRITE))
            return HttpResponseRedirect(self._import_url())
        except (FileRefused, ChangedSincePreview) as exc:
            messages.error(request, str(exc))
            return HttpResponseRedirect(self._import_url())
        finally:
            stored.remove()
        return self.process_result(result, request)

    def cancel_import(self, request):
        """"Avbryt": the preview's file is removed now rather than at its expiry."""
        try:
            claim_upload(request, request.POST.get("import_file_name", ""), self._upload_label()).remove()
        except FileRefused:
            pass  # already confirmed, cancelled or expired: nothing of this session's to remove
        messages.info(request, gettext("Importen avbröts. Inget importerades."))
        return HttpResponseRedirect(
            reverse("admin:%s_%s_changelist" % self.get_model_info(), current_app=self.admin_site.name)
        )

    def get_urls(self):
        info = self.get_model_info()
        return [
            path("import/avbryt/", self.admin_site.admin_view(require_POST(self.cancel_import)),
                 name="%s_%s_cancel_import" % info),
        ] + super().get_urls()

    def process_result(self, result, request):
        """After a confirm: a result with errors wrote nothing (rolled back) and says so in Swedish. (Rows
        changed since the preview and a concurrent insert are raised by the import; see process_import.)"""
        if result.has_errors() or result.has_validation_errors():
            messages.error(request, gettext(CHANGED_SINCE_PREVIEW))
            return HttpResponseRedirect(self._import_url())
        return super().process_result(result, request)

    def _import_url(self):
        return reverse("admin:%s_%s_import" % self.get_model_info(), current_app=self.admin_site.name)
