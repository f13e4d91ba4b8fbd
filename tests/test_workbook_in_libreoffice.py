"""The XLSX downloads are written by hand (reports/workbook.py): opened by a real spreadsheet program,
LibreOffice Calc, they hold exactly the cells the site meant — every text as text (no formula, whatever
it begins with), every number as the number, empty cells empty — and the public values workbook holds
the same cells as the CSV download. CI has LibreOffice (.ci/run installs it and sets REQUIRE_SERVICES=1);
elsewhere the test is skipped without it."""

import csv
import io
import shutil
import subprocess
from decimal import Decimal

import pytest
from django.urls import reverse

from reporting.spreadsheet import spreadsheet_text
from reports.workbook import Header, Number, Workbook
from tests.services import needs

# CSV export of every sheet: "," between fields, '"' around texts, UTF-8, formulas written as formulas
# (so that a formula cell would show as one), cell contents as stored rather than as formatted.
CSV_FILTER = 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,true,false,-1'
TEXTS = [
    "=1+1", "+46 8 123 45 67", "-2+3", "@SUM(A1)", "=HYPERLINK(\"http://evil.example\")", "ok;=1+1;x",
    "Åsa & Örjan <b>\"citat\"</b> 'apostrof'", "rad ett\nrad två", "tab\there", "emoji 🙂 och ½",
    "  inledande blanksteg", "0123", "1e5", "TRUE", "#N/A", "x" * 5000,
]
NUMBERS = [("6.9", "0.0"), ("100", "0"), ("-1.5", "0.0"), ("1234567.1234", "# ##0.0000"), ("0.0001", "0.0000")]


def calc_sheets(tmp_path, data):
    """{sheet title: rows} of `data` (an XLSX) as LibreOffice Calc reads it."""
    soffice = shutil.which("soffice")
    needs(soffice, "LibreOffice (soffice) is not installed: apt-get install -y libreoffice-calc-nogui")
    source = tmp_path / "book.xlsx"
    source.write_bytes(data)
    out = tmp_path / "out"
    subprocess.run(
        [soffice, f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless", "--norestore",
         "--convert-to", CSV_FILTER, "--outdir", str(out), str(source)],
        check=True, capture_output=True, timeout=180,
    )
    sheets = {}
    for path in out.glob("book-*.csv"):
        with path.open(encoding="utf-8", newline="") as file:
            sheets[path.stem.removeprefix("book-")] = list(csv.reader(file))
    assert sheets, "LibreOffice wrote no sheet"
    return sheets


def test_it_keeps_every_text_as_text_and_every_number_as_its_number(tmp_path):
    file = io.BytesIO()
    with Workbook(file) as book:
        sheet = book.sheet("Celler", widths=[20, 20, 20], frozen_header=True)
        sheet.row([Header("text"), Header("tal"), Header("tom")])
        for text, (number, number_format) in zip(TEXTS, NUMBERS * 4):
            sheet.row([text, Number(number, number_format), None])
        sheet.row([None, 2024, ""])
        sheet.close()

    rows = calc_sheets(tmp_path, file.getvalue())["Celler"]

    assert rows[0] == ["text", "tal", "tom"]
    body = rows[1:-1]
    assert [row[0] for row in body] == [spreadsheet_text(text) for text in TEXTS]
    assert not [row[0] for row in body if row[0][:1] in ("=", "+", "-", "@")]  # never a formula
    assert [Decimal(row[1]) for row in body] == [Decimal(number) for number, _ in (NUMBERS * 4)[: len(TEXTS)]]
    assert [row[2] for row in body] == [""] * len(TEXTS)
    assert rows[-1] == ["", "2024", ""]


@pytest.mark.django_db
def test_it_holds_the_same_cells_as_the_csv_download(client, tmp_path):
    workbook = client.get(reverse("values_xlsx"))
    table = client.get(reverse("values_csv"))
    assert workbook.status_code == table.status_code == 200

    sheets = calc_sheets(tmp_path, b"".join(workbook.streaming_content) if workbook.streaming else workbook.content)
    text = (b"".join(table.streaming_content) if table.streaming else table.content).decode("utf-8-sig")
    expected = list(csv.reader(io.StringIO(text)))

    (values,) = [rows for title, rows in sheets.items() if title != "Om data"]
    assert len(values) == len(expected) > 100  # the real data's approved values, and the header
    assert values[0] == expected[0]
    numeric = {expected[0].index(name) for name in ("goal", "year", "value", "respondents")}
    for mine, theirs in zip(values[1:], expected[1:]):
        assert [Decimal(c) if i in numeric and c else c for i, c in enumerate(mine)] == \
               [Decimal(c) if i in numeric and c else c for i, c in enumerate(theirs)]
    assert any(row and row[0] == "Licens" for row in sheets["Om data"])
