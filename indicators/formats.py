"""Import formats for values. Each one turns its file into the long dataset that
`ValueResource` checks and writes, so every format gets the same preview and rules.

- long CSV/XLSX: one value per row (also exactly what /data/values.csv gives);
- wide CSV/XLSX: the report's tables, one row per series and one column per year;
- Kolada JSON: the answer of Kolada's API (/v2/data/kpi/…), mapped through Indicator.kolada_kpi.
"""

import json
import re

import pandas as pd
import tablib
from django.conf import settings

# Reading a file within the limits, in any of the encodings Excel writes: shared with the status
# report import.
from reporting.uploads import FileRefused, SafeFormat, check_cells, decode, read_csv_rows, read_xlsx_rows, to_dataset

YEAR_COLUMN_RE = re.compile(r"^\d{4}(\.0+)?$|^\d{4}\s*/\s*\d{2,4}$")
# Kolada's own codes for the whole country and for Stockholms län (a region code, not a municipality).
KOLADA_AREAS = {"0000": "riket", "0001": "stockholms-lan"}
KOLADA_GENDER = {"T": "Totalt", "K": "kon=kvinnor", "M": "kon=man"}
KOLADA_COLUMNS = ["kolada_kpi", "area", "year", "breakdown", "value", "missing_reason", "respondents", "source"]


def wide_to_long(rows):
    """Reshape the report's table layout (years as columns) to one value per row; empty cells are no value."""
    rows = [row for row in rows if any(cell not in (None, "") for cell in row)]
    if not rows:
        return tablib.Dataset()
    headers = [_header(h) for h in rows[0]]
    width = len(headers)
    if len(set(h for h in headers if h)) < len([h for h in headers if h]):
        repeated = sorted({h for h in headers if h and headers.count(h) > 1})
        raise FileRefused(f"Rubrikraden har samma kolumn flera gånger: {', '.join(repeated)}.")
    # Rows read without their empty cells at the end are padded back to the header's width.
    year_columns = [h for h in headers if YEAR_COLUMN_RE.match(h)]
    check_cells(len(rows) - 1, len(year_columns))  # before reshaping multiplies them
    body = [[*list(r)[:width], *[""] * (width - len(r))] for r in rows[1:]]
    frame = pd.DataFrame(body, columns=headers, dtype=object)
    id_columns = [h for h in headers if h and h not in year_columns]
    long = frame.melt(id_vars=id_columns, value_vars=year_columns, var_name="year", value_name="value")
    long = long[long["value"].map(lambda v: v is not None and str(v).strip() != "")]
    dataset = tablib.Dataset(headers=[*id_columns, "year", "value"])
    for record in long.itertuples(index=False):
        dataset.append(list(record))
    return dataset


def _header(cell):
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    return "" if cell is None else str(cell).strip()


def kolada_to_long(data):
    """Kolada's {"values": [{"kpi", "municipality", "period", "values": [{"gender", "value", "count", "status"}]}]}."""
    try:
        document = json.loads(decode(data))
        entries = document["values"] if isinstance(document, dict) else document
        if not isinstance(entries, list):
            raise ValueError
        return _kolada_rows(entries)
    except FileRefused:
        raise
    except (ValueError, KeyError, TypeError, AttributeError, RecursionError) as exc:
        raise FileRefused("Filen är inte Koladas JSON-format med en lista ”values”.") from exc


def _kolada_rows(entries):
    dataset = tablib.Dataset(headers=KOLADA_COLUMNS)
    max_rows = settings.IMPORT_MAX_ROWS
    for entry in entries:
        municipality = str(entry.get("municipality", ""))
        for point in entry.get("values", []):
            value, status = point.get("value"), point.get("status") or ""
            ok = value is not None and status == ""
            count = point.get("count")
            dataset.append([
                entry.get("kpi", ""),
                KOLADA_AREAS.get(municipality, municipality),
                entry.get("period", ""),
                KOLADA_GENDER.get(point.get("gender"), point.get("gender") or ""),
                value if ok else "",
                "" if ok else "not_available",
                "" if count is None else count,
                f"Kolada {entry.get('kpi', '')}",
            ])
            if len(dataset) > max_rows:
                raise FileRefused(f"Filen har fler än {max_rows} värden; en import får ha högst så många.")
    return dataset


class ValueFormat(SafeFormat):
    """A binary import-only format with a Swedish title; subclasses say how to read the file."""


class LongCSV(ValueFormat):
    title = "Långt format, CSV (en rad per värde)"
    extension = "csv"

    def create_dataset(self, in_stream, **kwargs):
        return to_dataset(read_csv_rows(in_stream))


class LongXLSX(ValueFormat):
    title = "Långt format, Excel (en rad per värde)"
    extension = "xlsx"

    def create_dataset(self, in_stream, **kwargs):
        return to_dataset(read_xlsx_rows(in_stream))


class WideCSV(ValueFormat):
    title = "Brett format, CSV (år som kolumner)"
    extension = "csv"

    def create_dataset(self, in_stream, **kwargs):
        return wide_to_long(read_csv_rows(in_stream))


class WideXLSX(ValueFormat):
    title = "Brett format, Excel (år som kolumner)"
    extension = "xlsx"

    def create_dataset(self, in_stream, **kwargs):
        return wide_to_long(read_xlsx_rows(in_stream))


class KoladaJSON(ValueFormat):
    title = "Kolada, JSON"
    extension = "json"

    def create_dataset(self, in_stream, **kwargs):
        return kolada_to_long(in_stream)


VALUE_IMPORT_FORMATS = [LongCSV, LongXLSX, WideCSV, WideXLSX, KoladaJSON]
