"""Uploads bounded before they grow: lines (blank ones included), the values a wide table becomes, an
XLSX's shared strings, the time reading takes, and a file that mixes encodings. Each is refused quickly,
with its Swedish message, at the preview and at a confirm, and nothing is written."""

import html
import io
import time
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from indicators.formats import VALUE_IMPORT_FORMATS, LongCSV, LongXLSX, WideCSV
from indicators.models import Value
from reporting.uploads import FileRefused, read_xlsx_rows

pytestmark = pytest.mark.django_db

HEADER = "indicator_code,year,area,breakdown,value,missing_reason,respondents,note"
GOOD = "1.I2,2021,0180,År 2 på gymnasiet,7.0,,,"


@pytest.fixture(autouse=True)
def upload_dir(settings, tmp_path):
    settings.IMPORT_UPLOAD_DIR = str(tmp_path / "uppladdningar")
    return tmp_path / "uppladdningar"


def counts():
    return Value.objects.count(), Value.history.count()


def preview(client, fmt, data, name="fil.csv"):
    upload = SimpleUploadedFile(name, data)
    return client.post(reverse("admin:indicators_value_import"),
                       {"format": VALUE_IMPORT_FORMATS.index(fmt), "resource": 0, "import_file": upload})


def confirm(client, preview_response):
    form = preview_response.context["confirm_form"]
    data = {name: form.initial.get(name, field.initial) for name, field in form.fields.items()}
    return client.post(reverse("admin:indicators_value_process_import"),
                       {k: v for k, v in data.items() if v is not None}, follow=True)


def text(response):
    return html.unescape(response.content.decode())


def assert_refused_quickly(client, fmt, data, message, upload_dir, name="fil.csv"):
    before = counts()
    started = time.monotonic()
    response = preview(client, fmt, data, name)
    elapsed = time.monotonic() - started
    assert response.status_code == 200
    assert message in text(response)
    assert response.context.get("confirm_form") is None
    assert elapsed < 5, f"refused after {elapsed:.1f} s"
    assert not any(upload_dir.iterdir()), "a refused file is not kept"
    # A confirm that names a file anyway (there is none for this session) writes nothing either.
    forged = client.post(reverse("admin:indicators_value_process_import"),
                         {"import_file_name": "0" * 32, "original_file_name": name,
                          "format": VALUE_IMPORT_FORMATS.index(fmt), "resource": 0}, follow=True)
    assert "Inget importerades" in text(forged)
    assert counts() == before


def test_it_refuses_a_file_of_blank_lines_by_its_lines(coordinator_client, upload_dir):
    data = (HEADER + "\n" + GOOD + "\n" + "\n" * 300_000).encode()
    assert_refused_quickly(coordinator_client, LongCSV, data, "fler än 210\u00a0000 rader; en import får ha högst så många",
                           upload_dir)


def test_it_refuses_blank_lines_at_the_confirm_too(coordinator_client, settings, upload_dir):
    """The confirm reads the stored file through the same limits (here: lowered after the preview)."""
    data = (HEADER + "\n" + GOOD + "\n" + "\n" * 5_000).encode()
    before = counts()
    shown = preview(coordinator_client, LongCSV, data)
    assert shown.context["confirm_form"] is not None
    settings.IMPORT_MAX_LINES = 1000
    response = confirm(coordinator_client, shown)
    assert "fler än 1\u00a0000 rader" in text(response)
    assert counts() == before
    assert not any(upload_dir.iterdir())


def test_it_refuses_a_wide_table_of_190_years_before_reshaping_it(coordinator_client, upload_dir):
    years = [str(year) for year in range(1830, 2020)]
    assert len(years) == 190
    row = "1.I2,0180,År 2 på gymnasiet," + ",".join(["7"] * 190)
    data = ("indicator_code,area,breakdown," + ",".join(years) + "\n" + (row + "\n") * 1_100).encode()
    assert_refused_quickly(coordinator_client, WideCSV, data,
                           "Den breda tabellen blir 209\u00a0000 värden (1\u00a0100 rader × 190 årskolumner)",
                           upload_dir)


def workbook_with_shared_strings(body, declared):
    """A real one-sheet workbook whose sharedStrings.xml is replaced by `body`, declaring `declared` strings."""
    book = openpyxl.Workbook()
    book.active.append(HEADER.split(","))
    buffer = io.BytesIO()
    book.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    sst = (b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
           b' count="%d" uniqueCount="%d">' % (declared, declared) + body + b"</sst>")
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            if item.filename != "xl/sharedStrings.xml":
                target.writestr(item, source.read(item.filename))
        target.writestr("xl/sharedStrings.xml", sst)
    return out.getvalue()


def test_it_refuses_a_shared_string_bomb_that_understates_its_count(coordinator_client, upload_dir):
    data = workbook_with_shared_strings(b"<si><t>a</t></si>" * 1_200_000, declared=1)
    assert len(data) < 1_000_000
    assert_refused_quickly(coordinator_client, LongXLSX, data, "Excel-filen har 1\u00a0200\u00a0000 olika texter",
                           upload_dir, name="bomb.xlsx")


def test_it_refuses_a_workbook_that_declares_too_many_shared_strings():
    with pytest.raises(FileRefused, match="olika texter"):
        read_xlsx_rows(workbook_with_shared_strings(b"<si><t>a</t></si>", declared=5_000_000))


def test_it_reads_a_workbook_within_the_shared_string_limit(settings):
    settings.IMPORT_MAX_SHARED_STRINGS = 3
    rows = read_xlsx_rows(workbook_with_shared_strings(b"<si><t>a</t></si>" * 3, declared=3))
    assert rows[0][0] == "indicator_code"


def test_it_refuses_a_file_that_takes_too_long_to_read(coordinator_client, settings, upload_dir):
    settings.IMPORT_MAX_PARSE_SECONDS = 0
    data = (HEADER + "\n" + GOOD + "\n").encode()
    assert_refused_quickly(coordinator_client, LongCSV, data, "Filen tog för lång tid att läsa", upload_dir)


def test_it_refuses_a_file_that_mixes_utf8_and_windows_1252(coordinator_client, upload_dir):
    data = (HEADER + "\n").encode() + "1.I2,2021,0180,År 2 på gymnasiet,7.0,,,Första\n".encode("utf-8") + \
        "1.I2,2022,0180,År 2 på gymnasiet,7.0,,,Andra året\n".encode("cp1252")
    assert_refused_quickly(coordinator_client, LongCSV, data,
                           "Filen blandar teckenkodningar (t.ex. rad 2 som UTF-8 och rad 3 som Windows-1252)", upload_dir)


def test_it_still_reads_a_file_all_in_windows_1252(coordinator_client, upload_dir):
    data = (HEADER + "\n" + GOOD + "Första året\n").encode("cp1252")
    response = preview(coordinator_client, LongCSV, data)
    assert response.context["confirm_form"] is not None
