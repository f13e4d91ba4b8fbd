"""Every importer fed hostile files: no exception escapes, the answer is Swedish, nothing is written.

The importers: values in the long and wide formats (CSV, XLSX) and Kolada JSON, and status reports
(CSV, XLSX), all through the admin's import page as a reporter or coordinator would use it.
"""

import html
import io
import json
import os
import re
import tracemalloc
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from actions.models import StatusReport
from indicators.formats import VALUE_IMPORT_FORMATS, KoladaJSON, LongCSV, LongXLSX, WideCSV, WideXLSX
from indicators.models import Value
from reporting.uploads import TableCSV, TableXLSX, read_xlsx_rows

pytestmark = pytest.mark.django_db

VALUE_HEADER = "indicator_code,year,area,breakdown,value,missing_reason,respondents,note"
GOOD_VALUE = "1.I2,2021,0180,År 2 på gymnasiet,7.0,,,"
STATUS_HEADER = "commitment,year,organisation,category,text"
GOOD_STATUS = "1.1,2025,lansstyrelsen,Pågående,Arbetet fortsätter."
STATUS_FORMATS = [TableCSV, TableXLSX]


def lines(*rows):
    return ("\n".join(rows) + "\n").encode()


def xlsx(rows):
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def csv_rows_as_xlsx(data):
    return xlsx([line.split(",") for line in data.decode().splitlines()])


def declared_huge_xlsx():
    """4–5 kB: a header, one data row at the sheet's last row, and a declared size of A1:XFD1048576."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(VALUE_HEADER.split(","))
    sheet.cell(row=1_048_576, column=1, value="1.I2")
    buffer = io.BytesIO()
    book.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:XFD1048576"', data)
            target.writestr(item, data)
    return out.getvalue()


def random_bytes(size=4096):
    return os.urandom(size)


def value_counts():
    return Value.objects.count(), Value.history.count()


def status_counts():
    return StatusReport.objects.count(), StatusReport.history.count()


def preview(client, url_name, formats, fmt, data, name):
    upload = SimpleUploadedFile(name, data)
    return client.post(reverse(url_name), {"format": formats.index(fmt), "resource": 0, "import_file": upload})


def page_text(response):
    return html.unescape(response.content.decode())


# (case, format, file bytes, Swedish text expected on the page)
VALUE_CASES = [
    ("empty file", LongCSV, b"", "Den skickade filen är tom"),
    ("header only", LongCSV, lines(VALUE_HEADER), "Filen innehåller inget att importera"),
    ("unknown columns", LongCSV, lines("foo,bar", "1,2"), "Filen saknar kolumnerna"),
    ("random bytes as CSV", LongCSV, random_bytes(), "Spara filen i Excel som ”CSV UTF-8"),
    ("random bytes renamed .xlsx", LongXLSX, random_bytes(), "ingen Excel-arbetsbok"),
    ("random bytes as wide .xlsx", WideXLSX, random_bytes(), "ingen Excel-arbetsbok"),
    ("not Kolada JSON", KoladaJSON, b'{"values": 3}', "Koladas JSON-format"),
    ("broken JSON", KoladaJSON, b"{" * 5000, "Koladas JSON-format"),
    ("respondents superscript two", LongCSV, lines(VALUE_HEADER, "1.I2,2021,0180,År 2 på gymnasiet,7.0,,²,"),
     "Antal svarande ”²” ska vara ett heltal"),
    ("respondents above 2^31", LongCSV, lines(VALUE_HEADER, "1.I2,2021,0180,År 2 på gymnasiet,7.0,,2147483648,"),
     "Antal svarande 2147483648 är för stort"),
    ("NUL in a note", LongCSV, lines(VALUE_HEADER, "1.I2,2021,0180,År 2 på gymnasiet,7.0,,,a\x00b"),
     "otillåtet tecken (NUL"),
    ("NUL in an indicator code", LongCSV, lines(VALUE_HEADER, "1.I\x002,2021,0180,År 2 på gymnasiet,7.0,,,"),
     "otillåtet tecken (NUL"),
    ("value beyond the column", LongCSV, lines(VALUE_HEADER, "1.I2,2021,0180,År 2 på gymnasiet,123456789012,,,"),
     "är för stort"),
    ("year beyond smallint", LongCSV, lines(VALUE_HEADER, "1.I2,99999,0180,År 2 på gymnasiet,7.0,,,"),
     "Ogiltigt år"),
    ("unquoted decimal comma", LongCSV, lines(VALUE_HEADER, "1.I2,2021,0180,År 2 på gymnasiet,6,9,,,"),
     "decimalkomma"),
    ("underscore in a number", LongCSV, lines(VALUE_HEADER, "1.I2,2021,0180,År 2 på gymnasiet,1_000,,,"),
     "”1_000” är inget tal"),
    ("exponent", LongCSV, lines(VALUE_HEADER, "1.I2,2021,0180,År 2 på gymnasiet,1e1,,,"), "”1e1” är inget tal"),
    ("finer than stored", LongCSV, lines(VALUE_HEADER, "1.I2,2021,0180,År 2 på gymnasiet,0.00001,,,"),
     "fler än fyra decimaler"),
    ("NUL in wide", WideCSV, lines("indicator_code,area,breakdown,2021", "1.I2,0180,År 2\x00,7"),
     "otillåtet tecken (NUL"),
    ("wide with repeated year", WideCSV, lines("indicator_code,area,breakdown,2021,2021", "1.I2,0180,x,7,8"),
     "samma kolumn flera gånger"),
    ("respondents superscript two in XLSX", LongXLSX,
     csv_rows_as_xlsx(lines(VALUE_HEADER, "1.I2,2021,0180,År 2 på gymnasiet,7.0,,²,")), "Antal svarande"),
]


def good_value_file(fmt):
    """A file in `fmt` whose preview can be confirmed."""
    if fmt is KoladaJSON:
        from tests import factories

        factories.headline(factories.indicator("9.I91", unit="rate_100k", kolada_kpi="N07403"))
        return json.dumps({"values": [{"kpi": "N07403", "municipality": "0180", "period": 2023,
                                       "values": [{"gender": "T", "value": 12.5}]}]}).encode()
    wide = lines("indicator_code,area,breakdown,2021", "1.I2,0180,År 2 på gymnasiet,7.0")
    return {LongCSV: lines(VALUE_HEADER, GOOD_VALUE), LongXLSX: csv_rows_as_xlsx(lines(VALUE_HEADER, GOOD_VALUE)),
            WideCSV: wide, WideXLSX: csv_rows_as_xlsx(wide)}[fmt]


def confirm_instead(client, model, formats, fmt, good, hostile):
    """A real confirm of `hostile`: a good file is previewed, and the file kept for its confirm is replaced
    by the hostile one before the confirm runs (as if the file had changed between the two)."""
    from reporting.uploads import StoredUpload

    name = f"fil.{fmt().get_extension()}"
    response = preview(client, f"admin:{model}_import", formats, fmt, good, name)
    assert response.context["confirm_form"] is not None, page_text(response)
    data = confirm_data(response)
    StoredUpload(data["import_file_name"]).path.write_bytes(hostile)
    return client.post(reverse(f"admin:{model}_process_import"), data, follow=True)


@pytest.mark.parametrize("case,fmt,data,message", VALUE_CASES, ids=[c[0] for c in VALUE_CASES])
def test_it_refuses_a_hostile_value_file_in_swedish_and_writes_nothing(coordinator_client, case, fmt, data, message):
    before = value_counts()
    name = f"fil.{fmt().get_extension()}"
    response = preview(coordinator_client, "admin:indicators_value_import", VALUE_IMPORT_FORMATS, fmt, data, name)
    assert response.status_code == 200
    assert message in page_text(response)
    assert "confirm_form" not in response.context or response.context["confirm_form"] is None
    assert value_counts() == before
    # The confirm runs the import for real (not a dry run): it too writes nothing, and says so.
    confirmed = confirm_instead(coordinator_client, "indicators_value", VALUE_IMPORT_FORMATS, fmt,
                                good_value_file(fmt), data)
    assert confirmed.status_code == 200
    assert "Inget importerades" in page_text(confirmed) or message in page_text(confirmed)
    assert value_counts() == before


STATUS_CASES = [
    ("empty file", TableCSV, b"", "Den skickade filen är tom"),
    ("header only", TableCSV, lines(STATUS_HEADER), "Filen innehåller inget att importera"),
    ("unknown columns", TableCSV, lines("foo,bar", "1,2"), "Filen saknar kolumnerna commitment, year"),
    ("random bytes renamed .xlsx", TableXLSX, random_bytes(), "ingen Excel-arbetsbok"),
    ("random bytes as CSV", TableCSV, random_bytes(), "Spara filen i Excel"),
    ("year 1066", TableCSV, lines(STATUS_HEADER, "1.1,1066,lansstyrelsen,Pågående,x"),
     "Året 1066 ligger utanför handlingsplanens år 2024–2027"),
    ("year 2089", TableCSV, lines(STATUS_HEADER, "1.1,2089,lansstyrelsen,Pågående,x"), "Året 2089 ligger utanför"),
    ("year beyond smallint", TableCSV, lines(STATUS_HEADER, "1.1,99999,lansstyrelsen,Pågående,x"),
     "Året 99999 ligger utanför"),
    ("NUL in the text", TableCSV, lines(STATUS_HEADER, "1.1,2025,lansstyrelsen,Pågående,a\x00b"),
     "otillåtet tecken (NUL"),
    ("NUL in the organisation", TableCSV, lines(STATUS_HEADER, "1.1,2025,lansstyrelsen\x00,Pågående,x"),
     "otillåtet tecken (NUL"),
    ("year 1066 in XLSX", TableXLSX, xlsx([STATUS_HEADER.split(","), ["1.1", 1066, "lansstyrelsen", "Pågående", "x"]]),
     "Året 1066 ligger utanför"),
]


@pytest.mark.parametrize("case,fmt,data,message", STATUS_CASES, ids=[c[0] for c in STATUS_CASES])
def test_it_refuses_a_hostile_status_file_in_swedish_and_writes_nothing(coordinator_client, case, fmt, data, message):
    before = status_counts()
    name = f"fil.{fmt().get_extension()}"
    response = preview(coordinator_client, "admin:actions_statusreport_import", STATUS_FORMATS, fmt, data, name)
    assert response.status_code == 200
    assert message in page_text(response)
    assert status_counts() == before
    good = lines(STATUS_HEADER, GOOD_STATUS)
    confirmed = confirm_instead(coordinator_client, "actions_statusreport", STATUS_FORMATS, fmt,
                                good if fmt is TableCSV else csv_rows_as_xlsx(good), data)
    assert confirmed.status_code == 200
    assert "Inget importerades" in page_text(confirmed) or message in page_text(confirmed)
    assert status_counts() == before


@pytest.mark.parametrize("fmt", [LongXLSX, WideXLSX])
def test_it_reads_a_declared_huge_xlsx_in_bounded_memory(coordinator_client, fmt):
    data = declared_huge_xlsx()
    assert len(data) < 10_000
    before = value_counts()
    tracemalloc.start()
    try:
        response = preview(coordinator_client, "admin:indicators_value_import", VALUE_IMPORT_FORMATS, fmt, data,
                           "stor.xlsx")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert response.status_code == 200
    assert "rader; en import får ha högst så många" in page_text(response)
    assert peak < 50_000_000, f"peak {peak / 1e6:.0f} MB"
    assert value_counts() == before


def test_it_stops_reading_an_xlsx_at_the_column_limit(settings):
    from reporting.uploads import FileRefused

    settings.IMPORT_MAX_COLUMNS = 5
    with pytest.raises(FileRefused, match="högst 5"):
        read_xlsx_rows(xlsx([["a"] * 6]))


def test_it_refuses_a_file_above_the_size_limit_before_reading_it(coordinator_client, settings):
    settings.IMPORT_MAX_FILE_BYTES = 1000
    data = lines(VALUE_HEADER, *[GOOD_VALUE] * 100)
    before = value_counts()
    response = preview(coordinator_client, "admin:indicators_value_import", VALUE_IMPORT_FORMATS, LongCSV, data, "s.csv")
    assert "en import får vara högst 1 kB" in page_text(response)
    assert value_counts() == before


def test_it_refuses_more_rows_than_the_limit(coordinator_client, settings):
    settings.IMPORT_MAX_ROWS = 10
    data = lines(VALUE_HEADER, *[GOOD_VALUE] * 11)
    response = preview(coordinator_client, "admin:indicators_value_import", VALUE_IMPORT_FORMATS, LongCSV, data, "r.csv")
    assert "Filen har fler än 10 rader" in page_text(response)


def test_it_lists_the_first_errors_of_60000_bad_value_rows_and_counts_the_rest(coordinator_client, settings):
    data = lines(VALUE_HEADER, *[f"1.I2,2021,0180,År 2 på gymnasiet,fel{i % 7},,," for i in range(60_000)])
    before = value_counts()
    response = preview(coordinator_client, "admin:indicators_value_import", VALUE_IMPORT_FORMATS, LongCSV, data, "m.csv")
    text = page_text(response)
    shown = settings.IMPORT_MAX_ERRORS_SHOWN
    assert "Inget importerades: 60000 rader med fel" in text
    assert f"… och {60_000 - shown} rader till med fel." in text
    assert len(response.content) < 300_000  # a page of the first errors, not of the file
    assert value_counts() == before


def test_it_lists_the_first_errors_of_60000_bad_status_rows_and_counts_the_rest(coordinator_client, settings):
    data = lines(STATUS_HEADER, *[f"1.1,{1000 + i % 900},lansstyrelsen,Pågående,x" for i in range(60_000)])
    before = status_counts()
    response = preview(coordinator_client, "admin:actions_statusreport_import", STATUS_FORMATS, TableCSV, data,
                       "m.csv")
    text = page_text(response)
    assert f"… och {60_000 - settings.IMPORT_MAX_ERRORS_SHOWN} rader till med fel." in text
    assert len(response.content) < 300_000
    assert status_counts() == before


@pytest.mark.parametrize(
    "encoding,prefix",
    [("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"), ("cp1252", b""), ("utf-16", b""), ("utf-16-le", b"")],
    ids=["utf-8", "utf-8 with BOM", "windows-1252", "utf-16 with BOM", "utf-16 without BOM"],
)
def test_it_reads_the_encodings_excel_writes(coordinator_client, encoding, prefix):
    text = f"{VALUE_HEADER}\n1.I2,2021,Södertälje,År 2 på gymnasiet,7.0,,,Här är en fotnot\n"
    data = prefix + text.encode(encoding)
    response = preview(coordinator_client, "admin:indicators_value_import", VALUE_IMPORT_FORMATS, LongCSV, data, "e.csv")
    result = response.context["result"]
    assert result.totals["new"] == 1 and not result.has_validation_errors()


def test_it_reads_a_status_file_from_swedish_excel(coordinator_client):
    data = f"{STATUS_HEADER.replace(',', ';')}\n1.1;2025;lansstyrelsen;Pågående;Arbetet går framåt\n".encode("cp1252")
    response = preview(coordinator_client, "admin:actions_statusreport_import", STATUS_FORMATS, TableCSV, data, "s.csv")
    assert response.context["result"].totals["new"] == 1


def test_it_names_the_encoding_to_use_for_an_unknown_one(coordinator_client):
    data = f"{VALUE_HEADER}\n1.I2,2021,Södertälje,År 2,7.0,,,\x81\x8d\n".encode("latin-1")
    response = preview(coordinator_client, "admin:indicators_value_import", VALUE_IMPORT_FORMATS, LongCSV, data, "x.csv")
    text = page_text(response)
    assert "teckenkodning känns inte igen" in text and "CSV UTF-8" in text


def test_it_shows_indicator_area_breakdown_year_and_value_before_and_after_in_the_preview(coordinator_client):
    data = lines(VALUE_HEADER, '1.I2,2022,Stockholms län,"Flickor, År 2 på gymnasiet","6,8",,,', GOOD_VALUE)
    response = preview(coordinator_client, "admin:indicators_value_import", VALUE_IMPORT_FORMATS, LongCSV, data, "p.csv")
    text = re.sub(r"\s+", " ", page_text(response))
    assert "<th scope=\"col\">Värde före</th>" in text and "<th scope=\"col\">Vad som händer</th>" in text
    assert ("<td>1.I2</td> <td>Stockholms län</td> <td>Flickor, År 2 på gymnasiet</td> <td>2022/2023</td> "
            "<td>6,6</td> <td>6,8</td> <td class=\"import-type\">Ändras: blir utkast</td>") in text
    assert "<td>–</td> <td>7</td> <td class=\"import-type\">Ny: läggs till som utkast</td>" in text


def confirm_data(response):
    form = response.context["confirm_form"]
    data = {name: form.initial.get(name, field.initial) for name, field in form.fields.items()}
    return {k: v for k, v in data.items() if v is not None}


def test_it_tells_the_second_of_two_confirms_of_the_same_new_values_what_happened(coordinator_client, monkeypatch):
    """The other confirm commits between this one's check and its insert: the insert hits the unique
    constraint, nothing of this import is written, and the page says so in Swedish."""
    from reporting import importing

    response = preview(coordinator_client, "admin:indicators_value_import", VALUE_IMPORT_FORMATS, LongCSV,
                       lines(VALUE_HEADER, GOOD_VALUE), "c.csv")
    assert response.context["result"].totals["new"] == 1
    original_write = importing.write

    def write_after_the_other_import(kind, plan, **kwargs):
        for series_id, area_id, year in plan[["series_id", "area_id", "year"]].itertuples(index=False):
            Value.objects.create(series_id=series_id, area_id=area_id, year=year, value=1, state="draft")
        return original_write(kind, plan, **kwargs)

    monkeypatch.setattr(importing, "write", write_after_the_other_import)
    before = value_counts()
    confirmed = coordinator_client.post(reverse("admin:indicators_value_process_import"), confirm_data(response),
                                        follow=True)
    assert confirmed.status_code == 200
    assert "någon annan sparade samma rader medan du granskade filen" in page_text(confirmed)
    assert value_counts() == before


def test_it_tells_the_second_of_two_status_confirms_what_happened(coordinator_client, monkeypatch):
    from reporting import importing

    response = preview(coordinator_client, "admin:actions_statusreport_import", STATUS_FORMATS, TableCSV,
                       lines(STATUS_HEADER, GOOD_STATUS), "c.csv")
    assert response.context["result"].totals["new"] == 1
    original_write = importing.write

    def write_after_the_other_import(kind, plan, **kwargs):
        for commitment_id, year, organisation_id in plan[["commitment_id", "year", "organisation_id"]].itertuples(
                index=False):
            StatusReport.objects.create(commitment_id=commitment_id, year=year, organisation_id=organisation_id,
                                        state="draft")
        return original_write(kind, plan, **kwargs)

    monkeypatch.setattr(importing, "write", write_after_the_other_import)
    before = status_counts()
    confirmed = coordinator_client.post(reverse("admin:actions_statusreport_process_import"), confirm_data(response),
                                        follow=True)
    assert "någon annan sparade samma rader medan du granskade filen" in page_text(confirmed)
    assert status_counts() == before


def test_it_refuses_hostile_files_outside_the_admin_too(coordinator):
    from indicators.importing import import_values_csv
    from reporting.uploads import FileRefused

    before = value_counts()
    with pytest.raises(FileRefused):
        import_values_csv(random_bytes(), user=coordinator)
    result = import_values_csv(lines(VALUE_HEADER, "1.I2,2021,0180,År 2 på gymnasiet,7.0,,,a\x00b"), user=coordinator)
    assert result.has_validation_errors()
    assert value_counts() == before


def test_it_reads_kolada_json_with_a_bom(coordinator):
    data = "\ufeff" + json.dumps({"values": []})
    assert list(KoladaJSON().create_dataset(data.encode("utf-8")).frame.columns)
