"""The one import pipeline (reporting/importing.py) behind every format: the same file content in each
format gives the same rows and history rows after a confirm; the same bad content writes nothing after a
confirm; an import costs the same number of queries for 1 row as for 100; text goes in as written, a new
row never takes a deleted row's id, and history outlives the user who imported.

Runs on SQLite locally and on PostgreSQL in CI (`DATABASE_URL=… make test`): both run the same statements."""

import json
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from actions.models import Commitment, StatusReport
from actions.resources import StatusReportResource
from indicators.formats import KoladaJSON, LongCSV, LongXLSX, WideCSV, WideXLSX
from indicators.importing import import_values_csv
from indicators.models import Category, Series, Value
from indicators.resources import ValueResource
from reporting.models import State
from reporting.uploads import TableCSV, TableXLSX
from tests import factories
from tests.test_import_long import admin_confirm, admin_preview
from tests.test_import_wide import xlsx_bytes

pytestmark = pytest.mark.django_db

# One indicator (rate per 100 000, Kolada's N07403), three values for Stockholm 2023: the total, women
# (with respondents) and men (not available); written in each format.
LONG = [["indicator_code", "year", "area", "breakdown", "value", "missing_reason"],
        ["9.I91", "2023", "0180", "Totalt", "12,5", ""],
        ["9.I91", "2023", "0180", "kon=kvinnor", "14.1", ""],
        ["9.I91", "2023", "0180", "kon=man", "..", ""]]
WIDE = [["indicator_code", "area", "breakdown", "2023"],
        ["9.I91", "0180", "Totalt", "12,5"], ["9.I91", "0180", "kon=kvinnor", "14.1"], ["9.I91", "0180", "kon=man", ".."]]
KOLADA = {"values": [{"kpi": "N07403", "municipality": "0180", "period": 2023, "values": [
    {"gender": "T", "value": 12.5}, {"gender": "K", "value": 14.1}, {"gender": "M", "value": None, "status": "Missing"}]}]}
EXPECTED = {("", Decimal("12.5"), ""), ("kon=kvinnor", Decimal("14.1"), ""), ("kon=man", None, "not_available")}


def csv_bytes(rows):
    return ("\n".join(",".join(f'"{cell}"' for cell in row) for row in rows) + "\n").encode()


def bad(rows, cell, column=None):
    """The rows with the second row's `column` (its value) replaced by `cell`: one good row and one bad one."""
    changed = [list(row) for row in rows]
    column = changed[0].index(column) if column else (changed[0].index("value") if "value" in changed[0] else -1)
    changed[2][column] = cell
    return changed


def kolada_with(value):
    document = json.loads(json.dumps(KOLADA))
    document["values"][0]["values"][1]["value"] = value
    return json.dumps(document).encode()


FILES = {
    LongCSV: (csv_bytes(LONG), csv_bytes(bad(LONG, "-5"))),
    LongXLSX: (xlsx_bytes(LONG), xlsx_bytes(bad(LONG, -5))),
    WideCSV: (csv_bytes(WIDE), csv_bytes(bad(WIDE, "-5"))),
    WideXLSX: (xlsx_bytes(WIDE), xlsx_bytes(bad(WIDE, -5))),
    KoladaJSON: (json.dumps(KOLADA).encode(), kolada_with(-5)),
}


@pytest.fixture
def kolada_indicator(db):
    indicator = factories.indicator("9.I91", unit="rate_100k", kolada_kpi="N07403")
    factories.headline(indicator)
    for order, code in enumerate(("kvinnor", "man"), 1):
        series = Series.objects.create(indicator=indicator, key=f"kon={code}", order=order)
        series.set_categories([Category.objects.get(dimension__code="kon", code=code)])
    return indicator


def values_and_history(indicator):
    values = Value.objects.filter(series__indicator=indicator).select_related("series")
    history = Value.history.filter(series__indicator=indicator)
    return values, history


@pytest.mark.parametrize("fmt", list(FILES), ids=lambda fmt: fmt.__name__)
def test_it_writes_the_same_values_and_history_from_every_format(coordinator_client, coordinator, kolada_indicator, fmt):
    good, _ = FILES[fmt]
    preview = admin_preview(coordinator_client, good, fmt=fmt, name=f"fil.{fmt().get_extension()}")
    assert dict(preview.context["result"].totals) | {"delete": 0, "error": 0} == {
        "new": 3, "update": 0, "skip": 0, "invalid": 0, "delete": 0, "error": 0}
    admin_confirm(coordinator_client, preview)
    values, history = values_and_history(kolada_indicator)
    assert {(v.series.key, v.value, v.missing_reason) for v in values} == EXPECTED
    assert {(v.state, v.version, v.area.code) for v in values} == {(State.DRAFT, 1, "0180")}
    assert sorted((h.id, h.history_type, h.history_change_reason, h.history_user_id, h.value) for h in history) == sorted(
        (v.pk, "+", "Importerad från fil", coordinator.pk, v.value) for v in values)

    # The same file again changes nothing; a changed figure is one "~" history row and version 2.
    again = ValueResource(user=coordinator).import_data(fmt().create_dataset(good), dry_run=False)
    assert (again.totals["skip"], again.totals["new"], again.totals["update"]) == (3, 0, 0)
    total = values.get(series__key="")
    total.value, total.state = Decimal("1"), State.APPROVED
    total.save()
    changed = ValueResource(user=coordinator).import_data(fmt().create_dataset(good), dry_run=False)
    assert (changed.totals["update"], changed.totals["skip"]) == (1, 2)
    total.refresh_from_db()
    assert (total.value, total.state, total.version) == (Decimal("12.5"), State.DRAFT, 3)
    latest = total.history.order_by("-history_id").first()
    assert (latest.history_type, latest.value, latest.state) == ("~", Decimal("12.5"), State.DRAFT)


@pytest.mark.parametrize("fmt", list(FILES), ids=lambda fmt: fmt.__name__)
def test_it_writes_nothing_when_a_confirm_meets_a_bad_row_in_any_format(coordinator, kolada_indicator, fmt):
    _, hostile = FILES[fmt]
    before = (Value.objects.count(), Value.history.count(), Series.objects.count())
    result = ValueResource(user=coordinator).import_data(fmt().create_dataset(hostile), dry_run=False)
    assert result.totals["invalid"] == 1 and result.totals["new"] == 0
    [row] = result.invalid_rows
    assert row.error_dict == {"value": ["Värdet får inte vara negativt."]}
    assert (Value.objects.count(), Value.history.count(), Series.objects.count()) == before


STATUS = [["commitment", "year", "organisation", "category", "text"],
          ["1.1", "2025", "lansstyrelsen", "Pågående", "Arbetet fortsätter."],
          ["1.2", "2026", "lansstyrelsen", "Genomförd", "Klart."]]
STATUS_FILES = {TableCSV: (csv_bytes(STATUS), csv_bytes(bad(STATUS, "Kanske", "category"))),
                TableXLSX: (xlsx_bytes(STATUS), xlsx_bytes(bad(STATUS, "Kanske", "category")))}


@pytest.mark.parametrize("fmt", list(STATUS_FILES), ids=lambda fmt: fmt.__name__)
def test_it_writes_the_same_status_reports_and_history_from_every_format(coordinator, fmt):
    good, hostile = STATUS_FILES[fmt]
    before = (StatusReport.objects.count(), StatusReport.history.count())
    refused = StatusReportResource(user=coordinator).import_data(fmt().create_dataset(hostile), dry_run=False)
    assert refused.totals["invalid"] == 1
    assert "Okänd status ”Kanske”" in refused.invalid_rows[0].error_dict["category"][0]
    assert (StatusReport.objects.count(), StatusReport.history.count()) == before

    result = StatusReportResource(user=coordinator).import_data(fmt().create_dataset(good), dry_run=False)
    assert result.totals["new"] == 2
    written = StatusReport.objects.filter(organisation__slug="lansstyrelsen", year__in=[2025, 2026],
                                          commitment__number__in=["1.1", "1.2"])
    assert {(r.commitment.number, r.year, r.category, r.text, r.state) for r in written} == {
        ("1.1", 2025, "ongoing", "Arbetet fortsätter.", State.DRAFT), ("1.2", 2026, "done", "Klart.", State.DRAFT)}
    assert sorted((h.id, h.history_type, h.history_user_id) for h in StatusReport.history.filter(
        id__in=[r.pk for r in written])) == sorted((r.pk, "+", coordinator.pk) for r in written)


def status_csv(rows):
    return csv_bytes([STATUS[0], *rows])


def test_it_imports_status_reports_in_as_many_queries_for_100_rows_as_for_1(coordinator):
    commitments = list(Commitment.objects.filter(plan__kind="regional").values_list("number", flat=True))
    keys = [(number, year) for year in (2025, 2026, 2027) for number in commitments]
    assert len(keys) >= 102, "the real data's regional plan"
    rows = [[number, str(year), "lansstyrelsen", "Pågående", f"Text {n}"] for n, (number, year) in enumerate(keys)]

    def confirm(chosen):
        with CaptureQueriesContext(connection) as queries:
            result = StatusReportResource(user=coordinator).import_data(
                TableCSV().create_dataset(status_csv(chosen)), dry_run=False)
        assert not result.has_validation_errors() and result.totals["new"] == len(chosen)
        return len(queries)

    confirm(rows[:1])  # caches (content types, the user's groups) filled by the first import
    one, hundred = confirm(rows[1:2]), confirm(rows[2:102])
    assert one == hundred
    assert StatusReport.history.filter(history_change_reason="Importerad från fil").count() == 102


def test_it_imports_values_in_as_many_queries_for_100_rows_as_for_1(coordinator, kolada_indicator):
    rows = [["9.I91", str(year), area, "Totalt", str(n)] for n, (year, area) in enumerate(
        (year, area) for year in range(2010, 2024) for area in ("0180", "0114", "0115", "0117", "0120", "0123",
                                                                  "0125", "0126"))]

    def confirm(chosen):
        data = csv_bytes([["indicator_code", "year", "area", "breakdown", "value"], *chosen])
        with CaptureQueriesContext(connection) as queries:
            result = ValueResource(user=coordinator).import_data(LongCSV().create_dataset(data), dry_run=False)
        assert not result.has_validation_errors() and result.totals["new"] == len(chosen)
        return len(queries)

    confirm(rows[:1])
    assert confirm(rows[1:2]) == confirm(rows[2:102])


def test_it_writes_notes_with_tabs_line_breaks_and_backslashes_as_they_are(coordinator, kolada_indicator):
    # On PostgreSQL the rows go in as COPY text, where these characters mean something (\N is NULL, \. ends
    # the data, a tab ends the cell, a line break the row).
    note = "rad ett\nrad två\tmed tabb, \\N och\n\\.\nsista raden\r\n"
    source = "C:\\data\\fil.csv"
    data = csv_bytes([["indicator_code", "year", "area", "breakdown", "value", "note", "source"],
                      ["9.I91", "2023", "0180", "Totalt", "12,5", note.replace('"', '""'), source]])
    result = import_values_csv(data, user=coordinator)
    assert result.totals["new"] == 1 and not result.has_validation_errors()
    value = Value.objects.get(series__indicator=kolada_indicator)
    # The reader strips a cell's ends, as for every cell.
    assert (value.footnote, value.source_ref, value.respondents) == (note.strip(), source, None)
    assert (value.history.get().footnote, value.history.get().source_ref) == (note.strip(), source)


def test_it_never_gives_a_new_value_the_id_of_a_deleted_one(coordinator, kolada_indicator):
    # History rows name their value by id: a new value under a deleted one's id would inherit its history.
    def import_one(year):
        data = csv_bytes([["indicator_code", "year", "area", "breakdown", "value"],
                          ["9.I91", str(year), "0180", "Totalt", "1"]])
        assert import_values_csv(data, user=coordinator).totals["new"] == 1
        return Value.objects.get(series__indicator=kolada_indicator, year=year)

    deleted = import_one(2022).pk
    Value.objects.filter(pk=deleted).delete()  # the highest id there is
    new = import_one(2023)
    assert new.pk > deleted
    assert [h.year for h in new.history.all()] == [2023]


def test_it_keeps_an_imports_history_when_its_user_is_deleted(coordinator, kolada_indicator):
    data = csv_bytes(LONG)
    assert import_values_csv(data, user=coordinator).totals["new"] == 3
    coordinator.delete()
    history = Value.history.filter(series__indicator=kolada_indicator)
    assert [(h.history_type, h.history_user_id) for h in history] == [("+", None)] * 3
