"""The chart drawn on the server as SVG: the traces of the plotly figure, Swedish ticks, gaps, escaping, labels."""

import re
import xml.etree.ElementTree as ET

import pytest

from reports.svgchart import chart_svg, legend_html, ticks
from tests import factories
from tests.test_charts import panel_for

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"


def parse(panel):
    return ET.fromstring(str(chart_svg(panel.figure, "t s")))


def series_groups(root):
    return root.findall(f".//{SVG}g[@class='series']")


def test_it_draws_one_line_per_series_with_the_figures_colour_dash_and_marker():
    panel = panel_for("kriminalvarden-behandlingsprogram-vnr")
    root = parse(panel)
    groups = series_groups(root)
    assert [g.get("data-uid") for g in groups] == [t["uid"] for t in panel.figure_json["data"]]
    lines = [g.find(f"{SVG}path[@class='line']") for g in groups]
    assert [line.get("stroke") for line in lines] == [t["line"]["color"] for t in panel.figure_json["data"]]
    # Series differ by dash and marker shape too, never by colour alone.
    assert len({line.get("stroke-dasharray") for line in lines}) == len(lines)
    markers = [g.find(f"{SVG}path[@class='markers']").get("d") for g in groups]
    shapes = [re.sub(r"[^A-Za-z]", "", d.split("Z")[0]) for d in markers]  # the path commands of one marker
    assert len(set(shapes)) == len(shapes)
    assert root.get("viewBox") == "0 0 480 300" and root.get("width") == "100%"


def test_it_breaks_the_line_where_a_value_is_missing():
    indicator = factories.indicator(code="9.I91")
    series = factories.headline(indicator)
    for year, value in [(2020, 10), (2021, 12), (2022, None), (2023, 15), (2024, 16)]:
        series.values.create(
            area=indicator.area, year=year, value=value, missing_reason="" if value else "not_available", state="approved"
        )
    root = parse(panel_for(indicator.slug))
    (group,) = series_groups(root)
    line = group.find(f"{SVG}path[@class='line']").get("d")
    assert line.count("M") == 2 and line.count("L") == 2  # 2020–2021, a gap, 2023–2024
    assert group.find(f"{SVG}path[@class='markers']").get("d").count("Z") == 4  # a marker per value


def test_it_writes_the_ticks_in_swedish_with_a_percent_sign_for_a_percentage():
    assert ticks(1.8) == ([0, 0.5, 1.0, 1.5, 2.0], 1)
    indicator = factories.indicator(code="9.I92", unit="percent")
    series = factories.headline(indicator)
    for year, value in [(2023, "1.2"), (2024, "1.8")]:
        series.values.create(area=indicator.area, year=year, value=value, state="approved")
    texts = [t.text for t in parse(panel_for(indicator.slug)).iter(f"{SVG}text")]
    assert "0,5\u00a0%" in texts and "2,0\u00a0%" in texts
    assert "Procent" in texts and "År" in texts

    counted = factories.indicator(code="9.I93", unit="count", period_kind="school")
    series = factories.headline(counted)
    for year, value in [(2022, 900), (2023, 4500)]:
        series.values.create(area=counted.area, year=year, value=value, state="approved")
    texts = [t.text for t in parse(panel_for(counted.slug)).iter(f"{SVG}text")]
    assert "2\u00a0000" in texts and "6\u00a0000" in texts
    assert "2022/2023" in texts and "Läsår" in texts and "Antal" in texts


def test_it_escapes_series_names_from_the_data():
    indicator = factories.indicator(code="9.I94")
    series = factories.headline(indicator, label='<script>alert("x")</script> & co')
    for year in (2023, 2024):
        series.values.create(area=indicator.area, year=year, value=50, state="approved")
    panel = panel_for(indicator.slug)
    legend = str(legend_html(panel.figure))
    assert "<script>" not in legend
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co" in legend
    ET.fromstring(str(chart_svg(panel.figure, "t s")))  # still well-formed


def test_it_labels_the_image_with_the_panels_title_and_summary_and_keeps_hidden_series_hidden():
    indicator_slug = "kriminalvarden-behandlingsprogram-vnr"
    panel = panel_for(indicator_slug)
    root = ET.fromstring(str(panel.svg))
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == f"{panel.chart_id}-title {panel.chart_id}-summary"
    started = panel.indicator.series.get(label="Påbörjade")
    hidden = panel_for(indicator_slug, selected={started.id}, keep_hidden=True)
    groups = series_groups(ET.fromstring(str(hidden.svg)))
    assert [g.get("display") for g in groups] == ["none", None, "none"]
    assert str(hidden.legend).count(" hidden>") == 2


def test_it_leaves_out_a_series_without_any_number():
    indicator = factories.indicator(code="9.I95")
    total = factories.headline(indicator)
    empty = factories.headline(indicator, label="Flickor")
    for year in (2023, 2024):
        total.values.create(area=indicator.area, year=year, value=40, state="approved")
        empty.values.create(area=indicator.area, year=year, value=None, missing_reason="not_available", state="approved")
    panel = panel_for(indicator.slug)
    assert len(series_groups(parse(panel))) == 1
    assert "Flickor" not in str(panel.legend)
