"""One chart definition: each panel's chart is one plotly figure.

The interactive chart shows that figure's JSON (embedded in the page), and the
vector chart on the page is drawn from the same figure, so the two must show the
same traces, values and labels. Checked on the real data's pages, read back from
the HTML as a reader's browser gets it.
"""

import html as html_lib
import json
import re
import xml.etree.ElementTree as ET

import plotly.graph_objects as go
import pytest
from django.urls import reverse

from indicators.models import Indicator
from reports.svgchart import DASHARRAYS, HEIGHT, RIGHT, WIDTH
from strategy.models import Area
from tests import factories

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"
CHART = re.compile(
    r'<div class="chart" id="(?P<id>[^"]+)" data-chart="(?P<data>[^"]+)">'
    r'(?P<svg><svg class="chart-svg".*?</svg>)(?P<legend><ul class="chart-legend".*?</ul>)</div>',
    re.S,
)
LEGEND_ITEM = re.compile(r'<li data-uid="(?P<uid>[^"]+)"(?P<hidden> hidden)?><svg .*?</svg> (?P<label>.*?)</li>', re.S)
MARKED = re.compile(r'<span lang="(?P<lang>[^"]+)">(?P<text>.*?)</span>', re.S)
POINT = re.compile(r"([ML])(-?[\d.]+),(-?[\d.]+)")


def charts_in(page):
    """[(chart id, figure JSON from the page, SVG root, legend)] for every chart; the legend is
    [(uid, hidden, label, [(lang, text)] of the label's parts marked in another language)]."""
    found = []
    for match in CHART.finditer(page):
        script = re.search(rf'<script id="{match["data"]}" type="application/json">(.*?)</script>', page, re.S)
        legend = [
            (m["uid"], bool(m["hidden"]), html_lib.unescape(re.sub("<[^>]+>", "", m["label"])),
             [(marked["lang"], html_lib.unescape(marked["text"])) for marked in MARKED.finditer(m["label"])])
            for m in LEGEND_ITEM.finditer(match["legend"])
        ]
        found.append((match["id"], json.loads(script[1]), ET.fromstring(match["svg"]), legend))
    return found


def number(text):
    """A tick label in Swedish ("1 500", "2,5 %") as a float."""
    return float(text.replace("\u00a0%", "").replace("\u00a0", "").replace(",", "."))


def drawn(trace):
    return any(v is not None for v in trace["y"])


def read_values(root, categories):
    """{uid: {category index: value}} and {uid: line segments} read back from the drawing's coordinates."""
    y_axis = root.find(f"{SVG}g[@text-anchor='end']")
    ticks = [(float(t.get("y")), number(t.text)) for t in y_axis.iter(f"{SVG}text")]
    (y0, v0), (y1, v1) = ticks[0], ticks[-1]
    per_unit = (v1 - v0) / (y1 - y0)
    baseline = next(p for p in root.iter(f"{SVG}path") if p.get("stroke") == "#767676")
    left = float(re.match(r"M(-?[\d.]+),", baseline.get("d"))[1])
    slot = (WIDTH - RIGHT - left) / len(categories)
    values, segments = {}, {}
    for group in root.findall(f".//{SVG}g[@class='series']"):
        points = POINT.findall(group.find(f"{SVG}path[@class='line']").get("d"))
        values[group.get("data-uid")] = {
            round((float(x) - left) / slot - 0.5): v0 + (float(y) - y0) * per_unit for _, x, y in points
        }
        segments[group.get("data-uid")] = sum(1 for command, _, _ in points if command == "M")
    # A coordinate is written with one decimal: a value is exact to that much of the axis.
    return values, segments, abs(per_unit) * 0.06, left, slot


def runs(values):
    """Stretches of consecutive values without a gap: the pieces of a line."""
    return sum(1 for i, v in enumerate(values) if v is not None and (i == 0 or values[i - 1] is None))


def assert_same_chart(figure, root, legend):
    traces = [t for t in figure["data"] if drawn(t)]
    assert traces, "a chart with nothing to draw"
    layout = figure["layout"]
    categories = layout["xaxis"]["categoryarray"]
    assert all(t["x"] == categories for t in figure["data"])

    # Labels: the axis titles, the periods on the x axis, the series' names in the legend.
    titles = [t.text for t in root.iter(f"{SVG}text") if t.get("class") == "axis-title"]
    assert titles == [layout["xaxis"]["title"]["text"], layout["yaxis"]["title"]["text"]]
    values, segments, tolerance, left, slot = read_values(root, categories)
    x_axis = root.find(f"{SVG}g[@text-anchor='middle']")
    x_labels = [(float(t.get("x")), t.text) for t in x_axis.iter(f"{SVG}text") if t.get("class") != "axis-title"]
    assert x_labels and x_labels[-1][1] == categories[-1]
    for x, text in x_labels:
        assert x == pytest.approx(left + slot * (categories.index(text) + 0.5), abs=0.1)
    suffix = layout["yaxis"].get("ticksuffix", "")
    assert all(t.text.endswith(suffix) for t in root.find(f"{SVG}g[@text-anchor='end']").iter(f"{SVG}text"))
    # A series' piece after a break in it (showlegend false) is named once, by its first piece.
    named = [t for t in traces if t.get("showlegend", True)]
    assert [(uid, label) for uid, _, label, _ in legend] == [(t["uid"], t["name"].replace("<br>", " ")) for t in named]
    assert [hidden for _, hidden, _, _ in legend] == [not t["visible"] for t in named]
    # A name's parts in another language than the page's (the figure's meta) are marked so in the legend.
    assert [marks for _, _, _, marks in legend] == [
        [(lang, text) for text, lang in (t.get("meta") or {}).get("name_parts", []) if lang] for t in named
    ]

    # Traces: the same ones in the same order, each with its style and visibility.
    groups = root.findall(f".//{SVG}g[@class='series']")
    assert [g.get("data-uid") for g in groups] == [t["uid"] for t in traces]
    for group, trace in zip(groups, traces):
        line = group.find(f"{SVG}path[@class='line']")
        assert line.get("stroke") == trace["line"]["color"]
        assert line.get("stroke-dasharray") == DASHARRAYS[trace["line"]["dash"]]
        assert (group.get("display") == "none") == (not trace["visible"])
        # Values: every number at its period, a gap where the figure has none.
        expected = {i: v for i, v in enumerate(trace["y"]) if v is not None}
        got = values[trace["uid"]]
        assert got.keys() == expected.keys(), trace["name"]
        for i, value in expected.items():
            assert got[i] == pytest.approx(value, abs=tolerance), (trace["name"], categories[i])
        assert segments[trace["uid"]] == runs(trace["y"])
        assert group.find(f"{SVG}path[@class='markers']").get("d").count("Z") == len(expected)
    assert root.get("viewBox") == f"0 0 {WIDTH} {HEIGHT}"


def page(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200
    return response.content.decode()


def test_it_draws_the_vector_chart_from_the_interactive_figure(client):
    report = charts_in(page(client, "/lagesrapport/2024/"))
    assert len(report) >= 15  # every chart of the real report
    indicator = Indicator.objects.get(slug="kriminalvarden-behandlingsprogram-vnr")
    started = indicator.series.get(label="Påbörjade")
    # The indicator page: the series not chosen are in the figure as hidden traces.
    chosen = charts_in(page(client, reverse("indicator", args=[indicator.slug]), valt="1", serie=[started.id]))
    assert [t["visible"] for t in chosen[0][1]["data"]] == [False, True, False]
    # The real data has no gap inside a series and no national comparison on a report chart: one of each.
    made = factories.indicator(code="9.I97", unit="percent")
    series = factories.headline(made)
    riket = Area.objects.get(slug="riket-median")
    for year, own, national in [(2019, "12.5", 10), (2020, "14", None), (2021, None, 11), (2022, "15.25", 13)]:
        series.values.create(area=made.area, year=year, value=own, state="approved",
                             missing_reason="" if own else "not_available")
        if national is not None:
            series.values.create(area=riket, year=year, value=national, state="approved")
    (gap,) = charts_in(page(client, reverse("indicator", args=[made.slug])))
    # An English page: 4.I5's series with a label of its own keep the source's Swedish, marked lang="sv".
    (english,) = charts_in(page(client, "/en/indikatorer/hanvisa-utsatta-ratt-stod/"))
    assert any(marks == [("sv", "Barn under 13 år, Hedersrelaterat våld och förtryck, I egen regi")]
               for _, _, _, marks in english[3])
    assert [t["y"] for t in gap[1]["data"]] == [[12.5, 14.0, None, 15.25], [10.0, None, 11.0, 13.0]]
    checked = 0
    for chart_id, figure, root, legend in report + chosen + [gap, english]:
        try:
            assert_same_chart(figure, root, legend)
        except AssertionError as error:
            raise AssertionError(f"{chart_id}: {error}") from error
        checked += 1
    assert checked == len(report) + 3


def test_it_builds_every_chart_as_a_valid_plotly_figure_and_embeds_its_json(client):
    """The site builds its figures with plotly (quickly, unvalidated): plotly's own validation accepts every one."""
    response = client.get(reverse("indicator", args=["kriminalvarden-behandlingsprogram-vnr"]))
    panel = response.context["panel"]
    assert isinstance(panel.figure, go.Figure)
    assert all(isinstance(trace, go.Scatter) for trace in panel.figure.data)
    (chart,) = charts_in(response.content.decode())
    embedded = chart[1]
    assert {k: embedded[k] for k in ("data", "layout")} == json.loads(json.dumps(panel.figure.to_plotly_json()))
    english = charts_in(page(client, "/en/indikatorer/hanvisa-utsatta-ratt-stod/"))  # a trace with meta (its Swedish name)
    for _, figure, _, _ in charts_in(page(client, "/lagesrapport/2024/")) + english:
        go.Figure(data=figure["data"], layout=figure["layout"])  # raises on an invalid attribute or value
