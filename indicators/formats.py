"""Import formats for values. Each one reads its file into the long dataset (a frame of text cells,
one value per row) that indicators/importing.py checks and writes, so every format gets the same
preview and rules.

- long CSV/XLSX: one value per row (also exactly what /data/values.csv gives): the plain table readers;
- wide CSV/XLSX: the report's tables, one row per series and one column per year;
- Kolada JSON: the answer of Kolada's API (/v2/data/kpi/…), mapped through Indicator.kolada_kpi.
"""

import json
import re

import pandas as pd
from django.conf import settings
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

# Reading a file within the limits, in any of the encodings Excel writes: shared with the status
# report import.
from reporting.uploads import (FileRefused, SafeFormat, TableCSV, TableXLSX, cell_text, check_cells, decode,
                               frame_from_rows, named_frame, read_csv_frame, read_xlsx_rows)

YEAR_COLUMN_RE = re.compile(r"^\d{4}(\.0+)?$|^\d{4}\s*/\s*\d{2,4}$")
# Kolada's own codes for the whole country and for Stockholms län (a region code, not a municipality).
KOLADA_AREAS = {"0000": "riket", "0001": "stockholms-lan"}
KOLADA_GENDER = {"T": "Totalt", "K": "kon=kvinnor", "M": "kon=man"}
KOLADA_COLUMNS = ["kolada_kpi", "area", "year", "breakdown", "value", "missing_reason", "respondents", "source"]


def wide_to_long(frame):
    """Reshape the report's table layout (years as columns) to one value per row; empty cells are no value."""
    year_columns = [c for c in frame.columns if YEAR_COLUMN_RE.match(c)]
    check_cells(len(frame), len(year_columns))  # before reshaping multiplies them
    id_columns = [c for c in frame.columns if c not in year_columns]
    long = frame.melt(id_vars=id_columns, value_vars=year_columns, var_name="year", value_name="value")
    long = long[long["value"].astype(str).str.strip() != ""]
    return named_frame(long.reset_index(drop=True))


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
        raise FileRefused(gettext("Filen är inte Koladas JSON-format med en lista ”values”.")) from exc


def _kolada_rows(entries):
    rows = []
    max_rows = settings.IMPORT_MAX_ROWS
    for entry in entries:
        municipality = str(entry.get("municipality", ""))
        for point in entry.get("values", []):
            value, status = point.get("value"), point.get("status") or ""
            ok = value is not None and status == ""
            count = point.get("count")
            rows.append([cell_text(cell) for cell in (
                entry.get("kpi", ""),
                KOLADA_AREAS.get(municipality, municipality),
                entry.get("period", ""),
                KOLADA_GENDER.get(point.get("gender"), point.get("gender") or ""),
                value if ok else "",
                "" if ok else "not_available",
                count,
                f"Kolada {entry.get('kpi', '')}",
            )])
            if len(rows) > max_rows:
                raise FileRefused(
                    gettext("Filen har fler än %(max)s värden; en import får ha högst så många.") % {"max": max_rows}
                )
    return named_frame(pd.DataFrame(rows, columns=KOLADA_COLUMNS, dtype=object))


class LongCSV(TableCSV):
    title = _("Långt format, CSV (en rad per värde)")


class LongXLSX(TableXLSX):
    title = _("Långt format, Excel (en rad per värde)")


class WideCSV(SafeFormat):
    title = _("Brett format, CSV (år som kolumner)")
    extension = "csv"

    def read(self, data):
        return wide_to_long(read_csv_frame(data))


class WideXLSX(SafeFormat):
    title = _("Brett format, Excel (år som kolumner)")
    extension = "xlsx"

    def read(self, data):
        return wide_to_long(frame_from_rows(read_xlsx_rows(data)))


class KoladaJSON(SafeFormat):
    title = "Kolada, JSON"
    extension = "json"

    def read(self, data):
        return kolada_to_long(data)


VALUE_IMPORT_FORMATS = [LongCSV, LongXLSX, WideCSV, WideXLSX, KoladaJSON]
