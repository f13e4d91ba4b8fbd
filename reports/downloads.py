"""Public downloads of approved data, long format: one row per value."""

import io
from decimal import Decimal

from django.conf import settings
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_safe

from indicators.models import Indicator
from indicators.selectors import LONG_COLUMNS, UNIT_LABELS, published_value_rows
from indicators.units import UNIT_SUFFIX
from reporting.spreadsheet import csv_writer, spreadsheet_text

from .api import api_description

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# What each column of the long format means; shown on /data/ next to the downloads.
COLUMN_MEANINGS = {
    "goal": "Strategins mål (1–8) som indikatorn hör till.",
    "indicator_code": "Indikatorns kod, t.ex. 1.I2 (I = indikator, U = utvecklingsindikator).",
    "indicator": "Indikatorns namn.",
    "kind": "Indikator eller Utvecklingsindikator.",
    "year": "År; för läsår det första året (2022 = läsåret 2022/2023).",
    "period": "Året som det skrivs i rapporten: 2022 eller 2022/2023.",
    "area": "Område: Stockholms län, en kommun, Polisregion Stockholm, Riket …",
    "area_code": "Områdets kod: kommunkod (t.ex. 0180), länskod 01, 00 för riket; tom om koden saknas.",
    "breakdown": "Uppdelning, t.ex. ”Flickor, Åk 8 i grundskolan”; ”Totalt” för hela gruppen.",
    "value": "Värdet med punkt som decimaltecken, t.ex. 6.9; tomt om värdet saknas.",
    "unit": "Enhet: Procent, Antal, Medelvärde (skala 0–10), Per 100 000 invånare eller Dagar.",
    "missing_reason": "Varför värdet saknas: För få fall / sekretess, Ej tillgänglig eller Ej tillämplig.",
    "respondents": "Antal svarande eller fall som värdet bygger på, om det är känt.",
    "note": "Fotnot till värdet.",
    "source": "Var värdet är hämtat, t.ex. Lägesrapport 2024, Tabell 1.",
    "data_source": "Indikatorns datakälla, t.ex. Skolinspektionens skolenkät.",
    "series_break": "Tidsseriebrott: första året med en ny definition av serien; värden före det året jämförs inte med "
    "värdena från det. Tomt om serien inte bryts.",
    "series_break_note": "Varför serien bryts, med källans ord.",
}


class Echo:
    def write(self, value):
        return value


def csv_response(rows, filename):
    # The comma file other tools expect, every field quoted; cells neutralised (reporting.spreadsheet).
    writer = csv_writer(Echo())
    # Read every row before the first byte goes out: a database that fails halfway must be an error
    # status, not a 200 with a truncated file. The file is small (one row per published value).
    rows = [[row[column] for column in LONG_COLUMNS] for row in rows]

    def stream():
        yield writer.writerow(LONG_COLUMNS)
        for row in rows:
            yield writer.writerow(row)

    response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


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


def xlsx_workbook(rows, sheet_title, *, about):
    """The long format as a typed workbook: numbers as numbers, text always as text.

    The one XLSX writer of the public downloads. `about` is [(label, text), …] for the
    explaining sheet. Text cells are written as strings whatever they begin with (=, +,
    -, @), so no cell ever becomes a formula.
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ERROR_CODES
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    decimals = dict(Indicator.objects.values_list("code", "decimals"))
    book = Workbook(write_only=True)
    sheet = book.create_sheet(sheet_title)
    sheet.freeze_panes = "A2"
    for index, column in enumerate(LONG_COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = XLSX_WIDTHS.get(column, 14)
    bold = Font(bold=True)

    def text(value):
        value = spreadsheet_text(value)
        if not value.startswith("=") and value not in ERROR_CODES:
            return value  # openpyxl stores any other str as a string cell, and a plain str is cheaper
        cell = WriteOnlyCell(sheet, value=None)
        cell.value = value
        cell.data_type = "s"  # never a formula or an error code, whatever the text begins with
        return cell

    def header(value):
        cell = WriteOnlyCell(sheet, value=str(value))
        cell.font = bold
        return cell

    sheet.append([header(column) for column in LONG_COLUMNS])
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
                cell = WriteOnlyCell(sheet, value=Decimal(value))
                cell.number_format = formats[key]
                cells.append(cell)
            else:
                cells.append(text(value))
        sheet.append(cells)

    info = book.create_sheet("Om data")
    info.column_dimensions["A"].width = 18
    info.column_dimensions["B"].width = 100
    for label, value in about:
        info.append([header(label), text(value)])
    info.append([])
    info.append([header("Kolumn"), header("Betydelse")])
    for column in LONG_COLUMNS:
        info.append([text(column), text(COLUMN_MEANINGS[column])])
    return book


def about_rows(request):
    """What the XLSX file's explaining sheet says about the source and the licence."""
    return [
        ("Innehåll", "Godkända värden i uppföljningen av Strategi för att förebygga och bekämpa våld i Stockholms "
                     "län 2020–2026, i långt format: en rad per indikator, uppdelning, område och år."),
        ("Sammanställt av", settings.DATA_PUBLISHER_NAME),
        ("Källor", "De källor som anges per indikator (kolumnen data_source) och per värde (kolumnen source)."),
        ("Licens", f"{settings.DATA_LICENCE_NAME}, {settings.DATA_LICENCE_URL}"),
        ("Webbplats", request.build_absolute_uri(reverse("data_index"))),
        ("Värden", "Värdena är tal; enheten står i kolumnen unit och i talformatet. "
                   "Ett saknat värde är en tom cell med orsaken i missing_reason."),
    ]


def xlsx_response(request, rows, filename, sheet_title):
    book = xlsx_workbook(rows, sheet_title, about=about_rows(request))
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_safe
def values_csv(request):
    return csv_response(published_value_rows(), "values.csv")


@require_safe
def values_xlsx(request):
    return xlsx_response(request, published_value_rows(), "values.xlsx", "Värden")


@require_safe
def indicator_csv(request, slug):
    indicator = get_object_or_404(Indicator, slug=slug)
    return csv_response(published_value_rows(indicator), f"{indicator.slug}.csv")


@require_safe
def indicator_xlsx(request, slug):
    indicator = get_object_or_404(Indicator, slug=slug)
    return xlsx_response(request, published_value_rows(indicator), f"{indicator.slug}.xlsx", "Värden")


@require_safe
def data_index(request):
    return render(request, "data/index.html", {
        "columns": [(c, COLUMN_MEANINGS[c]) for c in LONG_COLUMNS],
        "api": api_description(),
        "licence_url": settings.DATA_LICENCE_URL,
        "licence_name": settings.DATA_LICENCE_NAME,
        "publisher": settings.DATA_PUBLISHER_NAME,
    })
