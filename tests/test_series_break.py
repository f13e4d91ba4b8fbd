"""A break in a series (Series.break_year): where the source changes what a series measures,
no trend is drawn across the break, the chart shows it (a gap and a labelled vertical line)
and the data table marks it with a "Tidsseriebrott" note that says why.

The real case is 4.I5: 2023's 85 is the share of municipalities that refer abused children to
social services (001, "hänvisning till socialtjänsten"), 2024's 92 the share that support them in
their own services.
"""

import csv
import io
import json
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from indicators.models import Indicator, Series
from indicators.trends import trend
from reports.status import indicator_trend
from strategy.models import Area
from tests import factories
from tests.test_one_chart_definition import assert_same_chart, charts_in

pytestmark = pytest.mark.django_db


def broken_4i5():
    return Series.objects.get(indicator__code="4.I5", key="malgrupp=barn|regi=egen_regi|valdstyp=vald-i-nara-relation")


def test_it_records_the_4i5_break_with_the_source_s_sentence():
    series = broken_4i5()
    assert series.break_year == 2024
    assert "hänvisning till socialtjänsten" in series.break_note
    assert "i egen regi" in series.break_note
    assert list(series.values.order_by("year").values_list("year", "value")) == [(2023, Decimal(85)), (2024, Decimal(92))]


def test_it_draws_no_trend_across_a_break():
    points = [(2023, 85), (2024, 92)]
    assert trend(points, "percent", "increase", 0) is not None  # without the break: "ökar", as before
    assert trend(points, "percent", "increase", 0, break_year=2024) is None
    # After the break only: a fall over 2019–2021 does not make 2022–2024's rise a reversal.
    longer = [(2019, 60), (2020, 50), (2021, 40), (2022, 70), (2023, 72), (2024, 75)]
    found = trend(longer, "percent", "increase", 0, break_year=2022)
    assert (found.first_year, found.movement, found.desired, found.reversed) == (2022, "up", True, False)
    assert found.text() == "ökar 2022–2024 (jämförbart från tidsseriebrottet 2022), i önskad riktning"
    # A break before the first year changes nothing.
    assert trend(longer, "percent", "increase", 0, break_year=2019) == trend(longer, "percent", "increase", 0)


def page(client, slug):
    response = client.get(reverse("indicator", args=[slug]))
    assert response.status_code == 200
    return response


def assert_break_shown(response, row_label, period, before, after):
    """The page's chart and table show a break before `period` in the row `row_label`."""
    html = response.content.decode()
    panel = response.context["panel"]
    row = next(r for r in panel.rows if r.label == row_label)
    assert row.trend is None or row.trend.first_year >= row.break_year
    # The chart: no trace joins a value before the break to one after; a labelled vertical line between them.
    ((chart_id, figure, root, legend),) = charts_in(html)
    pieces = [t for t in figure["data"] if t["uid"] == row.key or t["uid"].startswith(f"{row.key}-")]
    assert [[v for v in t["y"] if v is not None] for t in pieces] == [before, after]
    assert [label for _, _, label, _ in legend].count(row_label) == 1
    index = panel.period_labels.index(period)
    assert [(s["x0"], s["x1"]) for s in figure["layout"]["shapes"]] == [(index - 0.5, index - 0.5)]
    assert [a["text"] for a in figure["layout"]["annotations"]] == ["Tidsseriebrott"]
    assert_same_chart(figure, root, legend)  # the SVG draws the same figure, both pieces
    svg = re.search(r'<svg class="chart-svg".*?</svg>', html, re.S)[0]
    assert 'class="vertical-line"' in svg and ">Tidsseriebrott</text>" in svg
    # The table: the first cell after the break is marked, and a note says why.
    table = re.search(r'<table class="data-table">.*?</table>', html, re.S)[0]
    assert 'class="num series-break"><span class="visually-hidden">(efter tidsseriebrott) </span>' in table
    note = re.search(r'<tr class="series-break-note">(.*?)</tr>', table, re.S)[1]
    assert f"Tidsseriebrott före {period}, " in note and row_label in note
    return row, note


def test_it_shows_the_4i5_break_on_the_chart_and_in_the_table(client):
    series = broken_4i5()
    response = page(client, "hanvisa-utsatta-ratt-stod")
    row, note = assert_break_shown(response, series.display_label, "2024", [85.0], [92.0])
    # No trend verdict across 2023→2024.
    assert row.trend is None
    assert row.trend_text == "ingen trend: tidsseriebrott före 2024"
    assert "i önskad riktning" not in row.trend_text
    assert "hänvisning till socialtjänsten" in note
    # The 4.I5 series without a break keep theirs (barn, sexuellt våld, i egen regi: 62 → 77).
    other = next(r for r in response.context["panel"].rows if r.label.startswith("Barn, Sexuellt våld") and "egen regi" in r.label)
    assert other.trend is not None and other.break_year is None
    # The downloads give it with every value of the series.
    rows = list(csv.DictReader(io.StringIO(b"".join(client.get("/data/values.csv").streaming_content).decode())))
    broken = [r for r in rows if r["indicator_code"] == "4.I5" and r["breakdown"] == series.display_label]
    assert [(r["year"], r["series_break"]) for r in broken] == [("2023", "2024"), ("2024", "2024")]
    assert all(r["series_break_note"] == series.break_note for r in broken)
    assert {r["series_break"] for r in rows if r["indicator_code"] == "4.I1"} <= {""}
    # The API gives the break with the series.
    data = json.loads(client.get("/api/v1/indicators/hanvisa-utsatta-ratt-stod/").content)
    (api_series,) = [s for s in data["series"] if s["key"] == series.key]
    assert api_series["break_year"] == 2024 and api_series["break_note"] == series.break_note


def test_a_break_in_another_series_behaves_the_same(client, django_capture_on_commit_callbacks):
    made = factories.indicator(code="9.I96", unit="percent", direction="increase")
    series = factories.headline(made)
    for year, value in [(2019, 60), (2020, 50), (2021, 40), (2022, 70), (2023, 72), (2024, 75)]:
        series.values.create(area=made.area, year=year, value=value, state="approved")
    before = page(client, made.slug).context["panel"].rows[0]
    assert before.trend_text == "ökar 2019–2024, i önskad riktning"
    series.break_year, series.break_note = 2022, "[Ny enkätfråga från 2022.]"
    with django_capture_on_commit_callbacks(execute=True):
        series.save()  # retires the cached page

    # The national comparison measures the same thing: it breaks with the series.
    riket = Area.objects.get(slug="riket-median")
    for year, value in [(2020, 55), (2021, 58), (2023, 61), (2024, 60)]:
        series.values.create(area=riket, year=year, value=value, state="approved")

    response = page(client, made.slug)
    row, note = assert_break_shown(response, "Totalt", "2022", [60.0, 50.0, 40.0], [70.0, 72.0, 75.0])
    assert row.trend_text == "ökar 2022–2024 (jämförbart från tidsseriebrottet 2022), i önskad riktning"
    (national,) = response.context["panel"].national_rows
    assert national.break_year == 2022 and national.trend.first_year == 2023
    # One note for the break, naming both rows it cuts.
    assert response.content.decode().count('class="series-break-note"') == 1
    assert f"Tidsseriebrott före 2022, Totalt; {national.label}: " in note
    assert "Ny enkätfråga från 2022." in note
    # The goal summaries judge the headline from the break on, too.
    indicator = Indicator.objects.prefetch_related("series").get(pk=made.pk)
    values = list(series.values.values("series_id", "area_id", "year", "value"))
    assert indicator_trend(indicator, values).first_year == 2022


def test_a_break_needs_its_reason():
    series = broken_4i5()
    series.break_note = " "
    with pytest.raises(ValidationError) as error:
        series.full_clean()
    assert "break_note" in error.value.message_dict


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_series_form_switches_both_pieces_of_a_broken_series(open_page):
    from tests.browser_support import axe_violations

    series = broken_4i5()
    visit = open_page("/indikatorer/hanvisa-utsatta-ratt-stod/")
    page = visit.page
    pieces = f"document.querySelectorAll('[data-chart] g.series[data-uid^=\"s{series.id}\"]:not([display=none])').length"
    assert page.evaluate(pieces) == 2
    assert page.locator("[data-chart] text.annotation", has_text="Tidsseriebrott").is_visible()
    box = page.get_by_role("checkbox", name=series.display_label, exact=True)
    box.uncheck()
    assert page.evaluate(pieces) == 0
    box.check()
    assert page.evaluate(pieces) == 2
    # The interactive chart draws the same pieces and the labelled line.
    page.get_by_role("button", name="Visa interaktivt diagram").click()
    page.wait_for_selector("[data-chart] .main-svg")
    assert page.locator("[data-chart] .annotation-text", has_text="Tidsseriebrott").count() == 1
    assert axe_violations(page) == ""
    assert visit.errors == [], visit.errors
