"""Every CSV the site writes, read as Swedish Excel (";") or another tool (",") reads it, quotes or not:
a reporter's `ok;=1+1;x` never becomes the live cell `=1+1`."""

import csv
import io
import re

import pytest
from django.urls import reverse

from actions.models import StatusReport
from indicators.models import Indicator, Value
from reporting.models import State
from reporting.spreadsheet import PLAIN_NUMBER, neutralise
from strategy.models import Organisation

from . import reporting
from .test_export_formulas import STATUS_FIELDS, VALUE_FIELDS

pytestmark = pytest.mark.django_db

PAYLOAD = "ok;=1+1;x"
COMMA_PAYLOAD = "ok,@SUM(1+1),x"
DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


@pytest.fixture
def hostile(db):
    indicator = Indicator.objects.get(code="1.I2")
    value = Value.objects.published().filter(series__indicator=indicator).first()
    value.footnote, value.source_ref = PAYLOAD, COMMA_PAYLOAD
    value.save()
    reporting.open_round()
    report = reporting.status_report(number="2.10", state=State.APPROVED, text=PAYLOAD)
    Organisation.objects.filter(slug="kriminalvarden").update(name=PAYLOAD, short_name="")
    return {"indicator": indicator, "value": value, "report": report}


def live_cells(text):
    """Cells a spreadsheet could evaluate, however it splits the file: honouring quotes or not, on ";" or ","."""
    pieces = []
    for delimiter in ";,":
        pieces += [cell for row in csv.reader(io.StringIO(text), delimiter=delimiter) for cell in row]
        pieces += [piece.strip('"').lstrip(" ") for piece in re.split(f"[{delimiter}\\r\\n]", text)]
    return [p for p in pieces if p.startswith(DANGEROUS) and not PLAIN_NUMBER.match(p.strip())]


def assert_inert_and_quoted(text, delimiter, *payloads):
    assert not live_cells(text)
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    cells = [cell for row in rows for cell in row]
    for payload in payloads:
        assert neutralise(payload) in cells  # one cell, as written, only made inert
    # Every field quoted.
    first_line = text.splitlines()[0]
    assert first_line.startswith('"') and first_line.count('"') == 2 * len(rows[0])


def test_it_neutralises_every_piece_a_program_could_split_off():
    assert neutralise(PAYLOAD) == "ok;'=1+1;x"
    assert neutralise("a, @x; -2") == "a, '@x; -2"
    assert neutralise(neutralise(PAYLOAD)) == neutralise(PAYLOAD)
    assert neutralise("-1,5") == "-1,5" and neutralise("Tabell 5, 2024") == "Tabell 5, 2024"


def test_it_writes_inert_quoted_public_csvs(client, hostile):
    for url in (reverse("values_csv"), reverse("indicator_csv", args=[hostile["indicator"].slug])):
        text = b"".join(client.get(url).streaming_content).decode()
        assert_inert_and_quoted(text, ",", PAYLOAD, COMMA_PAYLOAD)


def test_it_writes_the_matrix_for_swedish_excel(coordinator_client, hostile):
    response = coordinator_client.get(reverse("workspace:matrix_csv", args=[2025]))
    assert response.content.startswith(b"\xef\xbb\xbf")
    assert_inert_and_quoted(response.content.decode("utf-8-sig"), ";", PAYLOAD)


@pytest.mark.parametrize("fmt,delimiter", [("0", ","), ("2", ";")])
def test_it_writes_inert_admin_value_exports(admin_client, hostile, fmt, delimiter):
    response = admin_client.post(
        reverse("admin:indicators_value_export"),
        {"format": fmt, "resource": "0", **{f"valueresource_{f}": "on" for f in VALUE_FIELDS}},
    )
    assert response.status_code == 200
    assert response.content.startswith(b"\xef\xbb\xbf") == (delimiter == ";")
    assert_inert_and_quoted(response.content.decode("utf-8-sig"), delimiter, PAYLOAD, COMMA_PAYLOAD)


@pytest.mark.parametrize("fmt,delimiter", [("0", ","), ("2", ";")])
def test_it_writes_inert_admin_status_report_exports(admin_client, hostile, fmt, delimiter):
    response = admin_client.post(
        reverse("admin:actions_statusreport_export"),
        {"format": fmt, "resource": "0", **{f"statusreportresource_{f}": "on" for f in STATUS_FIELDS}},
    )
    assert response.status_code == 200
    assert_inert_and_quoted(response.content.decode("utf-8-sig"), delimiter, PAYLOAD)
    assert StatusReport.objects.filter(text=PAYLOAD).exists()  # the stored text is untouched
