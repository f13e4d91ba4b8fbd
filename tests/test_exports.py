"""Public downloads: approved values only, the same columns in CSV and XLSX, one CSV per indicator."""

import csv
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from indicators.models import Indicator, Value
from indicators.selectors import LONG_COLUMNS
from strategy.models import Area
from reporting.models import State

DRAFT_FOOTNOTE = "Utkast som inte får synas"


@pytest.fixture
def draft_value(db):
    indicator = Indicator.objects.get(code="1.I2")
    series = indicator.series.get(label="Flickor, Åk 8 i grundskolan")
    return Value.objects.create(
        series=series, area=Area.objects.get(slug="kommun-0180"), year=2021, value=Decimal("3.3"),
        footnote=DRAFT_FOOTNOTE, state=State.DRAFT,
    )


def csv_rows(response):
    text = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(text)))


@pytest.mark.django_db
def test_it_leaves_unapproved_values_out_of_the_csv(client, draft_value):
    rows = csv_rows(client.get(reverse("values_csv")))
    assert len(rows) == Value.objects.published().count()
    assert all(row["note"] != DRAFT_FOOTNOTE for row in rows)


@pytest.mark.django_db
def test_it_offers_the_same_rows_as_xlsx(client, draft_value):
    response = client.get(reverse("values_xlsx"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(response.getvalue())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == LONG_COLUMNS
    assert len(rows) - 1 == Value.objects.published().count()
    assert DRAFT_FOOTNOTE not in {row[LONG_COLUMNS.index("note")] for row in rows}


@pytest.mark.django_db
def test_it_gives_one_csv_per_indicator_without_drafts(client, draft_value):
    response = client.get(reverse("indicator_csv", args=[draft_value.series.indicator.slug]))
    rows = csv_rows(response)
    assert rows and {row["indicator_code"] for row in rows} == {"1.I2"}
    assert len(rows) == Value.objects.published().filter(series__indicator__code="1.I2").count()
    assert all(row["note"] != DRAFT_FOOTNOTE for row in rows)


@pytest.mark.django_db
def test_it_documents_downloads_columns_and_api_on_the_data_page(client):
    html = client.get(reverse("data_index")).content.decode()
    for column in LONG_COLUMNS:
        assert f"<code>{column}</code>" in html
    assert "/data/values.xlsx" in html and "/api/v1/indicators/" in html and "CC0" in html


def test_it_lets_staff_export_values_from_the_admin_in_the_import_format(admin_client):
    from django.urls import reverse

    response = admin_client.post(
        reverse("admin:indicators_value_export"),
        {"format": "0", "resource": "0", **{f"valueresource_{f}": "on" for f in ["indicator_code", "year", "area", "breakdown", "value", "missing_reason", "respondents", "note", "source"]}},
    )
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    # Every field quoted (reporting.spreadsheet.csv_writer).
    assert text.splitlines()[0].startswith('"indicator_code","year","area","breakdown","value"')
    assert '"2.I5","2024","Frivården Region Stockholm","Påbörjade","146"' in text


@pytest.mark.django_db
def test_it_types_the_xlsx_cells_and_explains_the_columns(client):
    indicator = Indicator.objects.get(code="1.I2")
    series = indicator.series.get(label="Flickor, Åk 8 i grundskolan")
    formula_like = ["=1+1", "+46 8 123", "-minus", "@SUM(A1)"]
    for year, note in zip(range(2010, 2014), formula_like):
        Value.objects.create(series=series, area=Area.objects.get(slug="kommun-0180"), year=year,
                             value=Decimal("7.25"), footnote=note, source_ref="=cmd|' /C calc'!A0",
                             state=State.APPROVED)
    response = client.get(reverse("values_xlsx"))
    book = openpyxl.load_workbook(io.BytesIO(response.getvalue()))
    sheet = book["Värden"]
    header = [c.value for c in sheet[1]]
    column = {name: header.index(name) for name in header}
    rows = list(sheet.iter_rows(min_row=2))
    assert len(rows) == Value.objects.published().count()
    mine = [r for r in rows if r[column["area_code"]].value == "0180" and r[column["indicator_code"]].value == "1.I2"
            and r[column["year"]].value in range(2010, 2014)]
    assert len(mine) == 4
    for row in mine:
        value = row[column["value"]]
        assert value.data_type == "n" and value.value == 7.25
        assert value.number_format == "#,##0.0"  # 1.I2: a mean score with one decimal
        assert row[column["year"]].data_type == "n" and row[column["goal"]].value == 1
        assert row[column["area_code"]].data_type == "s"  # "0180" keeps its leading zero
        # Text stays text, whatever it begins with: never a formula, and neutralised with a leading '.
        assert row[column["note"]].data_type == "s" and row[column["note"]].value in ["'" + t for t in formula_like]
        assert row[column["source"]].data_type == "s" and row[column["source"]].value.startswith("'=cmd")
    percent = next(r for r in rows if r[column["unit"]].value == "Procent" and r[column["value"]].value is not None)
    assert percent[column["value"]].number_format.endswith('" %"')
    missing = [r for r in rows if r[column["missing_reason"]].value]
    assert all(r[column["value"]].value is None for r in missing)
    assert not any(c.data_type == "f" for r in sheet.iter_rows() for c in r)

    about = book["Om data"]
    text = "\n".join(str(c.value) for r in about.iter_rows() for c in r if c.value is not None)
    assert "Länsstyrelsen Stockholm" in text and "http://creativecommons.org/publicdomain/zero/1.0/" in text
    for name in LONG_COLUMNS:
        assert name in text


@pytest.mark.django_db
def test_it_gives_one_xlsx_per_indicator(client):
    response = client.get(reverse("indicator_xlsx", args=[Indicator.objects.get(code="1.I2").slug]))
    sheet = openpyxl.load_workbook(io.BytesIO(response.getvalue())).active
    codes = {row[LONG_COLUMNS.index("indicator_code")] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert codes == {"1.I2"}
    assert client.get(reverse("indicator_xlsx", args=["finns-inte"])).status_code == 404
