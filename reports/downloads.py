"""Public downloads of approved data, long format: one row per value."""

import csv
import io

from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from indicators.models import Indicator
from indicators.selectors import LONG_COLUMNS, published_value_rows
from reporting.spreadsheet import neutralise_row, xlsx_row

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
}


class Echo:
    def write(self, value):
        return value


def csv_response(rows, filename):
    writer = csv.writer(Echo())
    # Read every row before the first byte goes out: a database that fails halfway must be an error
    # status, not a 200 with a truncated file. The file is small (one row per published value).
    rows = [neutralise_row(row[column] for column in LONG_COLUMNS) for row in rows]

    def stream():
        yield writer.writerow(LONG_COLUMNS)
        for row in rows:
            yield writer.writerow(row)

    response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def xlsx_response(rows, filename, sheet_title):
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(sheet_title)
    sheet.append(LONG_COLUMNS)
    for row in rows:
        sheet.append(xlsx_row(sheet, [row[column] for column in LONG_COLUMNS]))
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
    return xlsx_response(published_value_rows(), "values.xlsx", "Värden")


@require_safe
def indicator_csv(request, slug):
    indicator = get_object_or_404(Indicator, slug=slug)
    return csv_response(published_value_rows(indicator), f"{indicator.slug}.csv")


@require_safe
def data_index(request):
    return render(request, "data/index.html", {"columns": [(c, COLUMN_MEANINGS[c]) for c in LONG_COLUMNS]})
