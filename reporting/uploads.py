"""Reading an uploaded table (CSV or XLSX) so that no file can hurt the server or be misread.

Every importer (values, status reports) reads its file through here:

- size, rows and columns are limited (settings IMPORT_MAX_FILE_BYTES, IMPORT_MAX_ROWS,
  IMPORT_MAX_COLUMNS, IMPORT_MAX_UNCOMPRESSED_BYTES); reading stops at the first limit passed;
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
import unicodedata
import zipfile

import tablib
from django import forms
from django.conf import settings
from django.contrib import messages
from django.db import IntegrityError
from django.http import HttpResponseRedirect
from django.urls import reverse
from import_export.formats.base_formats import Format
from import_export.forms import ImportForm, SelectableFieldsExportForm

SAVE_AS = "Spara filen i Excel som ”CSV UTF-8 (kommaavgränsad)” eller som Excel-arbetsbok (.xlsx) och försök igen."
CONCURRENT_WRITE = (
    "Inget importerades: någon annan sparade samma rader medan du granskade filen. "
    "Läs in filen igen; förhandsgranskningen visar då hur det ser ut nu."
)
CHANGED_SINCE_PREVIEW = (
    "Inget importerades: filen har fel som inte fanns vid förhandsgranskningen (något har ändrats sedan dess). "
    "Läs in filen igen för att se felen."
)


class FileRefused(ValueError):
    """A file the importer will not read; the message says why, in Swedish."""


def limit(name):
    return getattr(settings, name)


def megabytes(size):
    return f"{size / 1_000_000:.0f} MB" if size >= 1_000_000 else f"{size / 1000:.0f} kB"


def check_size(size):
    if size > limit("IMPORT_MAX_FILE_BYTES"):
        raise FileRefused(
            f"Filen är {megabytes(size)}; en import får vara högst {megabytes(limit('IMPORT_MAX_FILE_BYTES'))}. "
            "Dela upp den i flera filer."
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
                text = data.decode("cp1252")
    except UnicodeDecodeError:
        raise FileRefused(f"Filens teckenkodning känns inte igen (varken UTF-8, UTF-16 eller Windows-1252). {SAVE_AS}")
    if _looks_binary(text):
        raise FileRefused(f"Filen ser inte ut att vara en textfil (CSV). {SAVE_AS}")
    return text


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
    text = decode(data)
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    max_rows, max_columns = limit("IMPORT_MAX_ROWS"), limit("IMPORT_MAX_COLUMNS")
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise FileRefused(f"Filen går inte att läsa som CSV ({exc}). {SAVE_AS}") from exc
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
                raise FileRefused(f"Rad {line} har {len(row)} kolumner; en import får ha högst {max_columns}.")
            if len(raw) > width and (delimiter == "," or len(row) > width):
                # In a comma file any extra field counts, empty or not: "…,6,9,,," has one field too many
                # although the last ones are empty.
                raise FileRefused(_extra_fields(line, len(raw), width, delimiter))
    return rows


def _extra_fields(line, count, width, delimiter):
    message = f"Rad {line} har {count} fält men rubrikraden bara {width}."
    if delimiter == ",":
        message += (" Har talen decimalkomma (6,9) i en kommaavgränsad fil? Sätt då talen inom citattecken "
                    "(\"6,9\"), skriv dem med punkt (6.9) eller spara filen med semikolon som avgränsare.")
    else:
        message += " Kontrollera att ingen text innehåller avgränsaren utan citattecken."
    return message


def _too_many_rows(max_rows):
    return f"Filen har fler än {max_rows:,} rader; en import får ha högst så många. Dela upp den.".replace(",", "\u00a0")


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
        raise FileRefused("Filen är ingen Excel-arbetsbok (.xlsx). Välj rätt format eller spara om filen i Excel.") from exc
    if unpacked > limit("IMPORT_MAX_UNCOMPRESSED_BYTES"):
        raise FileRefused(
            f"Excel-filen packas upp till {megabytes(unpacked)}; en import får vara högst "
            f"{megabytes(limit('IMPORT_MAX_UNCOMPRESSED_BYTES'))} uppackad. Dela upp den."
        )
    max_rows, max_columns = limit("IMPORT_MAX_ROWS"), limit("IMPORT_MAX_COLUMNS")
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a broken file
        raise FileRefused("Excel-filen går inte att öppna; den kan vara skadad. Spara om den i Excel.") from exc
    try:
        sheet = book.active
        if sheet is None or not hasattr(sheet, "reset_dimensions"):
            raise FileRefused("Excel-filens första flik är inget kalkylblad.")
        # Ignore the declared size (A1:XFD1048576 would pad every row to 16 384 cells).
        sheet.reset_dimensions()
        rows, blank = [], 0
        try:
            for line, row in enumerate(sheet.iter_rows(values_only=True), 1):
                row = _trimmed(row)
                if not row:
                    blank += 1
                    if blank > max_rows:
                        raise FileRefused(_too_many_rows(max_rows))
                    continue
                if len(row) > max_columns:
                    raise FileRefused(f"Rad {line} har {len(row)} kolumner; en import får ha högst {max_columns}.")
                rows.append(row)
                if len(rows) > max_rows + 1:
                    raise FileRefused(_too_many_rows(max_rows))
        except FileRefused:
            raise
        except Exception as exc:  # noqa: BLE001 - a broken sheet XML
            raise FileRefused("Excel-filen går inte att läsa; den kan vara skadad. Spara om den i Excel.") from exc
    finally:
        book.close()
    return rows


def to_dataset(rows):
    """A tablib dataset from rows with a header row; blank lines (common at the end of sheets) are left out."""
    rows = [row for row in rows if any(cell not in (None, "") for cell in row)]
    if not rows:
        return tablib.Dataset()
    headers = ["" if h is None else str(h).strip() for h in rows[0]]
    width = len(headers)
    # Rows cut or padded to the header's width, given to the constructor at once: Dataset.append
    # checks each row again, which for 100 000 rows takes a second.
    body = [row if len(row) == width else [*row[:width], *[""] * (width - len(row))] for row in rows[1:]]
    return tablib.Dataset(*body, headers=headers)


def has_nul(text):
    return isinstance(text, str) and "\x00" in text


NUL_MESSAGE = "Texten innehåller ett otillåtet tecken (NUL, tecken 0). Ta bort det och läs in filen igen."


# --- import-export glue --------------------------------------------------------------------------

class SafeFormat(Format):
    """A binary import-only format with a Swedish title; subclasses say how to read the file."""

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


class TableCSV(SafeFormat):
    title = "CSV"
    extension = "csv"

    def create_dataset(self, in_stream, **kwargs):
        return to_dataset(read_csv_rows(in_stream))


class TableXLSX(SafeFormat):
    title = "Excel (xlsx)"
    extension = "xlsx"

    def create_dataset(self, in_stream, **kwargs):
        return to_dataset(read_xlsx_rows(in_stream))


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
    """For an admin with ImportMixin: the size limit, the reader's own message for a refused file, and a
    confirm that says what happened instead of failing (rows written by someone else meanwhile)."""

    import_form_class = LimitedImportForm
    export_form_class = SwedishExportForm

    def add_data_read_fail_error_to_form(self, form, exc):
        if isinstance(exc, FileRefused):
            form.add_error("import_file", str(exc))
        else:
            super().add_data_read_fail_error_to_form(form, exc)

    def process_import(self, request, **kwargs):
        try:
            return super().process_import(request, **kwargs)
        except IntegrityError:
            # Two confirms of the same new rows: the second one's insert hits the unique constraint and
            # its transaction is rolled back whole.
            messages.error(request, CONCURRENT_WRITE)
            return HttpResponseRedirect(self._import_url())
        except FileRefused as exc:
            messages.error(request, str(exc))
            return HttpResponseRedirect(self._import_url())

    def process_result(self, result, request):
        """After a confirm: a result with errors wrote nothing (rolled back) and says so in Swedish."""
        if result.has_errors() or result.has_validation_errors():
            errors = [error.error for _, row_errors in result.row_errors() for error in row_errors]
            errors += [error.error for error in result.base_errors]
            # import-export catches a row's exception itself (status reports): a unique constraint hit
            # means another import or edit wrote the same rows in the meantime.
            concurrent = any(isinstance(error, IntegrityError) for error in errors)
            messages.error(request, CONCURRENT_WRITE if concurrent else CHANGED_SINCE_PREVIEW)
            return HttpResponseRedirect(self._import_url())
        return super().process_result(result, request)

    def _import_url(self):
        return reverse("admin:%s_%s_import" % self.get_model_info(), current_app=self.admin_site.name)
