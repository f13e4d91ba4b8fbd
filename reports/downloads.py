"""Public downloads of approved data, long format: one row per value."""

import fcntl
import glob
import hashlib
import io
import os
import tempfile
from pathlib import Path

from django.conf import settings
from django.http import FileResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from indicators.models import Indicator
from indicators.selectors import LONG_COLUMNS, UNIT_LABELS, published_value_rows
from indicators.units import UNIT_SUFFIX
from reporting.addresses import absolute_url
from reporting.spreadsheet import csv_writer

from . import pagecache
from .api import api_description
from .opendata import code_fingerprint
from .workbook import Header, Number, Workbook

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# What each column of the long format means: on /data/ in the page's language, on the XLSX file's
# "Om data" sheet in Swedish (write_xlsx).
COLUMN_MEANINGS = {
    "goal": _("Strategins mål (1–8) som indikatorn hör till."),
    "indicator_code": _("Indikatorns kod, t.ex. 1.I2 (I = indikator, U = utvecklingsindikator)."),
    "indicator": _("Indikatorns namn."),
    "kind": _("Indikator eller Utvecklingsindikator."),
    "year": _("År; för läsår det första året (2022 = läsåret 2022/2023)."),
    "period": _("Året som det skrivs i rapporten: 2022 eller 2022/2023."),
    "area": _("Område: Stockholms län, en kommun, Polisregion Stockholm, Riket …"),
    "area_code": _("Områdets kod: kommunkod (t.ex. 0180), länskod 01, 00 för riket; tom om koden saknas."),
    "breakdown": _("Uppdelning, t.ex. ”Flickor, Åk 8 i grundskolan”; ”Totalt” för hela gruppen."),
    "value": _("Värdet med punkt som decimaltecken, t.ex. 6.9; tomt om värdet saknas."),
    "unit": _("Enhet: Procent, Antal, Medelvärde (skala 0–10), Per 100 000 invånare eller Dagar."),
    "missing_reason": _("Varför värdet saknas: För få fall / sekretess, Ej tillgänglig eller Ej tillämplig."),
    "respondents": _("Antal svarande eller fall som värdet bygger på, om det är känt."),
    "note": _("Fotnot till värdet."),
    "source": _("Var värdet är hämtat, t.ex. Lägesrapport 2024, Tabell 1."),
    "data_source": _("Indikatorns datakälla, t.ex. Skolinspektionens skolenkät."),
    "series_break": _(
        "Tidsseriebrott: första året med en ny definition av serien; värden före det året jämförs inte med "
        "värdena från det. Tomt om serien inte bryts."
    ),
    "series_break_note": _("Varför serien bryts, med källans ord."),
}


def write_csv(file, rows):
    # The comma file other tools expect, every field quoted; cells neutralised (reporting.spreadsheet).
    text = io.TextIOWrapper(file, encoding="utf-8", newline="")
    writer = csv_writer(text)
    writer.writerow(LONG_COLUMNS)
    for row in rows:
        writer.writerow([row[column] for column in LONG_COLUMNS])
    text.detach()  # flushed into `file`, which the caller closes


# Columns the XLSX file stores as numbers; every other column is text, even when it
# looks like a number ("0180" keeps its zero) or a formula (never evaluated).
XLSX_INTEGER_COLUMNS = {"goal", "year", "respondents"}
XLSX_WIDTHS = {"indicator": 50, "breakdown": 30, "note": 40, "source": 30, "data_source": 30, "area": 22,
               "series_break_note": 40}


def number_format(unit_label, decimals):
    """Excel number format for a unit and an indicator's decimals: 6.9 shown as "6,9 %" in a Swedish Excel."""
    suffix = {UNIT_LABELS[unit]: text for unit, text in UNIT_SUFFIX.items()}.get(unit_label, "")
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return pattern + (f'"{suffix}"' if suffix else "")


def write_xlsx(file, rows, *, about):
    """The long format as a typed workbook: numbers as numbers, text always as text (reports.workbook).

    The one XLSX writer of the public downloads. `about` is [(label, text), …] for the
    explaining sheet.
    """
    decimals = dict(Indicator.objects.values_list("code", "decimals"))
    with Workbook(file) as book:
        sheet = book.sheet(
            ABOUT_SHEET["values_sheet"], widths=[XLSX_WIDTHS.get(c, 14) for c in LONG_COLUMNS], frozen_header=True
        )
        sheet.row([Header(column) for column in LONG_COLUMNS])
        formats = {}
        for row in rows:
            cells = []
            for column in LONG_COLUMNS:
                value = row[column]
                if value == "" or value is None:
                    cells.append(None)
                elif column in XLSX_INTEGER_COLUMNS:
                    cells.append(int(value))
                elif column == "value":
                    key = (row["unit"], decimals.get(row["indicator_code"], 0))
                    if key not in formats:
                        formats[key] = number_format(*key)
                    cells.append(Number(value, formats[key]))
                else:
                    cells.append(str(value))
            sheet.row(cells)
        sheet.close()

        info = book.sheet(ABOUT_SHEET["sheet"], widths=[18, 100])
        for label, value in about:
            info.row([Header(label), value])
        info.row([])
        info.row([Header(ABOUT_SHEET["column"]), Header(ABOUT_SHEET["meaning"])])
        # The file is the same for every reader (stored once per version): its explanations in Swedish.
        with translation.override(settings.LANGUAGE_CODE):
            for column in LONG_COLUMNS:
                info.row([column, str(COLUMN_MEANINGS[column])])
        info.close()


# The XLSX file's "Om data" sheet is Swedish in every language, as its sheet and column names are: the
# file is one download for everyone.
ABOUT_SHEET = {  # sv-only: the XLSX's explaining sheet stays Swedish (one file for every reader)
    "values_sheet": "Värden",
    "sheet": "Om data",
    "column": "Kolumn",
    "meaning": "Betydelse",
    "contents": "Innehåll",
    "contents_text": "Godkända värden i uppföljningen av Strategi för att förebygga och bekämpa våld i Stockholms "
                     "län 2020–2026, i långt format: en rad per indikator, uppdelning, område och år.",
    "compiled_by": "Sammanställt av",
    "sources": "Källor",
    "sources_text": "De källor som anges per indikator (kolumnen data_source) och per värde (kolumnen source).",
    "licence": "Licens",
    "website": "Webbplats",
    "values": "Värden",
    "values_text": "Värdena är tal; enheten står i kolumnen unit och i talformatet. "
                   "Ett saknat värde är en tom cell med orsaken i missing_reason.",
}


def about_rows(request):
    """What the XLSX file's explaining sheet says about the source and the licence."""
    return [
        (ABOUT_SHEET["contents"], ABOUT_SHEET["contents_text"]),
        (ABOUT_SHEET["compiled_by"], settings.DATA_PUBLISHER_NAME),
        (ABOUT_SHEET["sources"], ABOUT_SHEET["sources_text"]),
        (ABOUT_SHEET["licence"], f"{settings.DATA_LICENCE_NAME}, {settings.DATA_LICENCE_URL}"),
        (ABOUT_SHEET["website"], absolute_url(reverse("data_index"))),
        (ABOUT_SHEET["values"], ABOUT_SHEET["values_text"]),
    ]


def stored_download(request, name, write):
    """The download `name` as an open file, written by `write(file)` once per page version.

    Files live in DOWNLOAD_CACHE_DIR under the page version (reports.pagecache, bumped after every
    committed change of content) and the code fingerprint (a deploy may change the format, or the
    site's address the XLSX names): what the ETag of reports.opendata is made of. The version is
    read before the rows, as for the pages: a change committed meanwhile leaves newer data under the
    older version, which the next version replaces, never older data under a newer one. A failed
    write leaves no file, so the reader gets an error status, never half a file.
    """
    key = f"{pagecache.ensure_version()}-{code_fingerprint()}"
    directory = Path(settings.DOWNLOAD_CACHE_DIR)
    path = directory / f"{name}.{key}"
    try:
        return path.open("rb")
    except FileNotFoundError:
        pass
    directory.mkdir(parents=True, exist_ok=True)
    # One writer per download on this machine: the workers that ask for it meanwhile wait for that
    # file instead of each writing their own (five 100 000-value workbooks at once on two cores).
    with open(directory / f".{name}.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            return path.open("rb")  # written while this worker waited
        except FileNotFoundError:
            pass
        # Written under a temporary name and renamed: a reader never sees a file half written.
        with tempfile.NamedTemporaryFile(dir=directory, prefix=f".{name}.", delete=False) as temporary:
            try:
                write(temporary)
            except BaseException:
                os.unlink(temporary.name)
                raise
        os.replace(temporary.name, path)
        for older in directory.glob(f"{glob.escape(name)}.*"):
            if older != path:
                # A worker still sending it keeps its open file; the next request reads the new one.
                older.unlink(missing_ok=True)
        return path.open("rb")


def download(request, name, rows, filename):
    """`rows` (a callable giving the long format's rows) as a CSV or XLSX file, from the store when it has it."""
    if filename.endswith(".xlsx"):
        file = stored_download(request, name, lambda f: write_xlsx(f, rows(), about=about_rows(request)))
        content_type = XLSX_TYPE
    else:
        file = stored_download(request, name, lambda f: write_csv(f, rows()))
        content_type = "text/csv; charset=utf-8"
    return FileResponse(file, as_attachment=True, filename=filename, content_type=content_type)


@require_safe
def values_csv(request):
    return download(request, "values.csv", published_value_rows, "values.csv")


@require_safe
def values_xlsx(request):
    return download(request, "values.xlsx", published_value_rows, "values.xlsx")


@require_safe
def indicator_csv(request, slug):
    indicator = get_object_or_404(Indicator, slug=slug)
    return download(request, f"indicator-{indicator.slug}.csv", lambda: published_value_rows(indicator),
                    f"{indicator.slug}.csv")


@require_safe
def indicator_xlsx(request, slug):
    indicator = get_object_or_404(Indicator, slug=slug)
    return download(request, f"indicator-{indicator.slug}.xlsx", lambda: published_value_rows(indicator),
                    f"{indicator.slug}.xlsx")


@require_safe
def data_index(request):
    return render(request, "data/index.html", {
        "columns": [(c, COLUMN_MEANINGS[c]) for c in LONG_COLUMNS],
        "api": api_description(),
        "licence_url": settings.DATA_LICENCE_URL,
        "licence_name": settings.DATA_LICENCE_NAME,
        "publisher": settings.DATA_PUBLISHER_NAME,
    })
