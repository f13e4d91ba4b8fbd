"""Import of the report's wide tables (years as columns), reshaped to the long format."""

import io
from decimal import Decimal

import openpyxl
import pytest

from indicators.formats import WideCSV, WideXLSX
from indicators.models import Value
from reporting.models import State
from tests.test_import_long import admin_confirm, admin_preview


def xlsx_bytes(rows):
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.mark.django_db
def test_it_imports_a_wide_xlsx_with_school_years(coordinator_client):
    content = xlsx_bytes([
        ["indicator_code", "area", "breakdown", "2021/2022", "2022/2023", "2023/2024"],
        ["1.I2", "Stockholms län", "Flickor, År 2 på gymnasiet", 6.8, 6.6, None],  # 6,6 is stored already
        ["1.I2", "Huddinge", "Åk 8 i grundskolan", "7,1", "x", None],
    ])
    preview = admin_preview(coordinator_client, content, fmt=WideXLSX, name="tabell.xlsx")
    result = preview.context["result"]
    assert result.totals["new"] == 3 and result.totals["skip"] == 1, "empty cells are no value"
    assert "Oförändrad" in preview.content.decode()
    admin_confirm(coordinator_client, preview)
    huddinge = Value.objects.filter(area__slug="kommun-0126", series__indicator__code="1.I2")
    assert {(v.year, v.value, v.missing_reason) for v in huddinge} == {(2021, Decimal("7.1"), ""), (2022, None, "too_few")}
    assert {v.state for v in huddinge} == {State.DRAFT}


@pytest.mark.django_db
def test_it_imports_nothing_from_a_wide_csv_with_a_bad_cell(coordinator_client):
    text = (
        "indicator_code;area;breakdown;2021/2022;2022/2023\n"
        "1.I2;Stockholms län;Åk 8 i grundskolan;7,0;11\n"  # a mean score is 0–10
    )
    before = Value.objects.count()
    preview = admin_preview(coordinator_client, text, fmt=WideCSV)
    html = preview.content.decode()
    assert "Inget importerades" in html and "mellan 0 och 10" in html
    assert Value.objects.count() == before


@pytest.mark.django_db
def test_it_skips_an_unchanged_wide_table_on_reimport(coordinator_client):
    text = "indicator_code,area,breakdown,2022/2023,2023/2024\n1.I2,Stockholms län,År 2 på gymnasiet,\"6,9\",\"6,9\"\n"
    assert admin_preview(coordinator_client, text, fmt=WideCSV).context["result"].totals["skip"] == 2
