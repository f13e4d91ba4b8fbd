import json
from decimal import Decimal

import plotly.graph_objects as go
import pytest

from reports.charts import NATIONAL_STYLE, build_panel
from indicators.models import Indicator
from indicators.selectors import values_by_indicator
from strategy.models import Area
from tests import factories

pytestmark = pytest.mark.django_db


def panel_for(slug, **kwargs):
    indicator = Indicator.objects.get(slug=slug)
    values = values_by_indicator([indicator.id])[indicator.id]
    return build_panel(indicator, list(indicator.series.order_by("order", "id")), values, **kwargs)


def test_it_builds_one_trace_per_series_with_years_as_categories_and_the_unit_on_the_y_axis():
    panel = panel_for("kriminalvarden-behandlingsprogram-vnr")
    assert isinstance(panel.figure, go.Figure)
    assert [t.name for t in panel.figure.data] == ["Fullföljda", "Påbörjade", "Pågående"]
    figure = panel.figure_json
    assert [t["name"] for t in figure["data"]] == ["Fullföljda", "Påbörjade", "Pågående"]
    assert figure["data"][0]["x"] == ["2019", "2020", "2021", "2022", "2023", "2024"]
    assert figure["layout"]["xaxis"]["type"] == "category"
    assert figure["layout"]["yaxis"]["title"]["text"] == "Antal"
    assert figure["config"]["responsive"] is True
    # The page's heading names the chart: a plotly title would be clipped on a phone.
    assert "title" not in figure["layout"]
    assert figure["layout"]["legend"]["yanchor"] == "bottom" and figure["layout"]["legend"]["y"] > 1
    # No plotly.py template: plotly.js's own look, and no 9 KB of template in every chart.
    assert figure["layout"]["template"] == {}
    json.dumps(figure)  # plain JSON, ready for json_script


def test_it_draws_a_missing_value_as_a_gap_and_gives_its_reason_in_the_table():
    panel = panel_for("kriminalvarden-behandlingsprogram-vnr")
    ongoing = next(row for row in panel.rows if row.label == "Pågående")
    trace = next(t for t in panel.figure_json["data"] if t["name"] == "Pågående")
    assert trace["y"][0] is None and trace["connectgaps"] is False
    assert ongoing.cells[0].missing == "Ej tillgänglig"


def test_it_tells_series_apart_by_symbol_and_dash_not_only_by_colour():
    traces = panel_for("kriminalvarden-behandlingsprogram-vnr").figure_json["data"]
    assert len({t["marker"]["symbol"] for t in traces}) == len(traces)
    assert len({t["line"]["dash"] for t in traces}) == len(traces)


def test_it_labels_school_years_on_the_x_axis():
    panel = panel_for("skolenkaten-elever-krankande-behandling")
    assert panel.period_labels == ["2022/2023", "2023/2024"]
    assert panel.figure_json["layout"]["xaxis"]["title"]["text"] == "Läsår"
    assert panel.rows[0].cells[0].text == "6,9"


def test_it_draws_the_national_comparison_as_a_distinct_dashed_line():
    indicator = factories.indicator(code="9.I90", direction="increase")
    series = factories.headline(indicator)
    riket = Area.objects.get(slug="riket-median")
    for year, own, national in [(2022, 60, 55), (2023, 70, 58)]:
        series.values.create(area=indicator.area, year=year, value=own, state="approved")
        series.values.create(area=riket, year=year, value=national, state="approved")
    panel = panel_for(indicator.slug)
    regional, compared = panel.figure_json["data"]
    assert compared["line"]["dash"] == NATIONAL_STYLE["dash"] != regional["line"]["dash"]
    assert compared["marker"]["symbol"] in NATIONAL_STYLE["symbols"]
    assert compared["marker"]["symbol"] != regional["marker"]["symbol"]
    assert panel.national_rows[0].label == riket.name
    assert panel.summary == "Totalt 2023: 70 %; ökar 2022–2023, i önskad riktning."


def test_it_draws_only_the_chosen_series_and_keeps_the_others_hidden_when_asked():
    indicator = Indicator.objects.get(slug="kriminalvarden-behandlingsprogram-vnr")
    started = indicator.series.get(label="Påbörjade")
    only = panel_for(indicator.slug, selected={started.id})
    assert [t["name"] for t in only.figure_json["data"]] == ["Påbörjade"]
    assert len(only.rows) == 3  # the table keeps every series
    hidden = panel_for(indicator.slug, selected={started.id}, keep_hidden=True)
    assert [t["visible"] for t in hidden.figure_json["data"]] == [False, True, False]


def test_it_writes_a_one_line_summary_with_the_latest_value_and_trend():
    panel = panel_for("beviljade-kontaktforbud")
    assert panel.summary == "Totalt 2024: 37 %; ökar 2019–2024, i önskad riktning."


def test_it_ignores_unapproved_values():
    indicator = Indicator.objects.get(slug="beviljade-kontaktforbud")
    indicator.series.get().values.create(area=indicator.area, year=2025, value=Decimal("99"), state="draft")
    panel = panel_for(indicator.slug)
    assert "2025" not in panel.period_labels


def test_it_leaves_the_trend_out_of_the_summary_when_there_is_only_one_year():
    panel = panel_for("hanvisa-utsatta-ratt-stod")
    assert panel.summary == "Barn, Våld i nära relation, Egen regi eller samverkan 2024: 100 %."
    assert panel.rows[0].trend_text == "för få värden för en trend"


def test_it_shows_one_year_as_a_figure():
    # A published edition's later corrections are listed at its end (tests/test_frozen_edition.py).
    indicator = factories.indicator(code="9.I96", unit="count")
    series = factories.headline(indicator)
    value = {
        "area_id": indicator.area_id, "area__kind": indicator.area.kind, "area__name": indicator.area.name,
        "series_id": series.id, "year": 2025, "value": Decimal(41), "missing_reason": "", "footnote": "",
    }
    panel = build_panel(indicator, [series], [value])
    assert panel.single_figure == ("Totalt", "2025", "41")
