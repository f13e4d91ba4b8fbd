"""The public downloads are written once per page version and then sent from the stored file: a repeat
request reads no rows, an approved value makes a new file, and the XLSX
(written as XML by reports.workbook) opens with openpyxl with the CSV's cells, text as text."""

import csv
import io
from decimal import Decimal

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from indicators.models import Indicator, Value
from indicators.selectors import LONG_COLUMNS
from reporting import workflow
from reporting.models import State
from reports import downloads

from . import reporting

pytestmark = pytest.mark.django_db

SLUG = "kriminalvarden-behandlingsprogram-vnr"  # 2.I5
URLS = ["/data/values.csv", "/data/values.xlsx", f"/indikatorer/{SLUG}/data.csv", f"/indikatorer/{SLUG}/data.xlsx"]


@pytest.fixture
def builds(monkeypatch):
    """How many times the downloads read their rows, i.e. were written."""
    count = []
    real = downloads.published_value_rows

    def counting(*args, **kwargs):
        count.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(downloads, "published_value_rows", counting)
    return count


def csv_rows(content):
    return list(csv.DictReader(io.StringIO(content.decode())))


def xlsx_rows(content):
    sheet = openpyxl.load_workbook(io.BytesIO(content))["Värden"]
    header, *rows = sheet.iter_rows()
    assert [c.value for c in header] == LONG_COLUMNS and all(c.font.b for c in header)
    return rows


def approve(coordinator, capture, number):
    reporting.open_round()
    value = reporting.value(code="2.I5", number=number, state=State.SUBMITTED)
    with capture(execute=True):
        workflow.approve(item=Value.objects.get(pk=value.pk), user=coordinator)


@pytest.mark.parametrize("url", URLS)
def test_it_writes_a_download_once_and_sends_the_stored_file_again(client, builds, url):
    first = client.get(url)
    assert first.status_code == 200 and len(builds) == 1
    with CaptureQueriesContext(connection) as queries:
        again = client.get(url)
    assert again.status_code == 200 and again.getvalue() == first.getvalue()
    assert len(builds) == 1
    # Nothing read for /data/…; the indicator's own downloads look the indicator up (unknown slugs are a 404).
    assert len(queries.captured_queries) == (1 if url.startswith("/indikatorer/") else 0)
    assert again["Content-Disposition"].startswith("attachment;") and again["ETag"] == first["ETag"]


@pytest.mark.parametrize("url", URLS)
def test_it_writes_a_new_download_once_a_value_is_approved(client, builds, coordinator,
                                                            django_capture_on_commit_callbacks, url):
    first = client.get(url)
    approve(coordinator, django_capture_on_commit_callbacks, "987654")
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert len(builds) == 2  # once before the approval, once after; the second request after it was stored
    if url.endswith(".csv"):
        before, after = ({r["value"] for r in csv_rows(r.getvalue())} for r in (first, again))
    else:
        column = LONG_COLUMNS.index("value")
        before, after = ({r[column].value for r in xlsx_rows(r.getvalue())} for r in (first, again))
    assert not {"987654", 987654} & before and {"987654", 987654} & after
    assert client.get(url, HTTP_IF_NONE_MATCH=again["ETag"]).status_code == 304


def test_it_answers_304_without_writing_or_reading(client, builds):
    first = client.get("/data/values.xlsx")
    with CaptureQueriesContext(connection) as queries:
        again = client.get("/data/values.xlsx", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b"" and queries.captured_queries == []
    assert len(builds) == 1


def test_it_keeps_only_the_newest_file_of_each_download(client, settings, coordinator,
                                                         django_capture_on_commit_callbacks):
    from pathlib import Path

    client.get("/data/values.csv")
    approve(coordinator, django_capture_on_commit_callbacks, "987654")
    client.get("/data/values.csv")
    files = sorted(p.name for p in Path(settings.DOWNLOAD_CACHE_DIR).iterdir())
    assert len(files) == 2 and files[0] == ".values.csv.lock" and files[1].startswith("values.csv.")


def test_it_writes_the_xlsx_with_the_csv_s_cells(client):
    """Every cell of the XLSX is the CSV's field: numbers as numbers, everything else as text."""
    indicator = Indicator.objects.get(code="2.I5")
    value = Value.objects.published().filter(series__indicator=indicator, value__isnull=False).first()
    value.footnote = '=1+1 <b>&"fet"</b>; #N/A  '  # a formula, markup, an error code, trailing spaces
    value.source_ref = "#REF!"
    value.value = Decimal("1234.5")
    value.save()
    csv_text = client.get(f"/indikatorer/{indicator.slug}/data.csv").getvalue()
    xlsx = client.get(f"/indikatorer/{indicator.slug}/data.xlsx").getvalue()
    expected = csv_rows(csv_text)
    rows = xlsx_rows(xlsx)
    assert len(rows) == len(expected) > 1
    for row, fields in zip(rows, expected):
        for cell, column in zip(row, LONG_COLUMNS):
            if fields[column] == "":
                assert cell.value is None, column
            elif column in ("goal", "year", "respondents"):
                assert cell.data_type == "n" and cell.value == int(fields[column]), column
            elif column == "value":
                assert cell.data_type == "n" and Decimal(str(cell.value)) == Decimal(fields[column])
            else:
                assert cell.data_type == "s" and cell.value == fields[column], column
    mine = next(r for r in rows if r[LONG_COLUMNS.index("value")].value == 1234.5)
    assert mine[LONG_COLUMNS.index("note")].value == '\'=1+1 <b>&"fet"</b>; #N/A  '  # neutralised
    assert mine[LONG_COLUMNS.index("source")].value == "#REF!"  # text, not an Excel error
    assert mine[LONG_COLUMNS.index("value")].number_format == "#,##0"  # 2.I5: a count without decimals
    book = openpyxl.load_workbook(io.BytesIO(xlsx))
    assert book.sheetnames == ["Värden", "Om data"]
    assert book["Värden"].freeze_panes == "A2"


def test_it_writes_a_download_once_when_two_workers_ask_for_it_at_once(rf):
    """The second request waits for the first one's file instead of writing its own."""
    import threading
    import time

    writes = []

    def slow_write(file):
        writes.append(1)
        time.sleep(0.3)
        file.write(b"the file")

    bodies = []

    def ask():
        with downloads.stored_download(rf.get("/data/values.csv"), "values.csv", slow_write) as file:
            bodies.append(file.read())

    workers = [threading.Thread(target=ask) for _ in range(3)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert bodies == [b"the file"] * 3 and len(writes) == 1
