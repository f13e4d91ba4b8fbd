import json
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from actions.models import Commitment, StatusReport
from indicators.models import Indicator
from strategy.models import Goal, Organisation
from tests import factories

pytestmark = pytest.mark.django_db

MAX_QUERIES = 15


def text_of(response):
    return re.sub(r"\s+", " ", response.content.decode())


def test_it_shows_the_vision_the_eight_goals_and_a_link_to_the_latest_report(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get("/")
    html = text_of(response)
    assert 'lang="sv"' in html
    for goal in Goal.objects.all():
        assert f"Mål {goal.number}: {goal.short_name}" in html
    assert reverse("report", args=[2024]) in html
    # A glance at a headline indicator: Välj att sluta, 144 stödsökande 2024.
    assert "Totalt 2024: 144" in html


def test_it_shows_a_goal_with_its_lists_indicators_by_violence_type_and_commitments(
    client, django_assert_max_num_queries
):
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(reverse("goal", args=[2]))
    html = text_of(response)
    assert "För att nå dit behöver följande vara på plats" in html
    assert "Förslag på åtgärder" in html
    assert "<h3>Våld i nära relation</h3>" in html
    assert "<td class=\"num\">146</td>" in html  # Tabell 5: påbörjade 2024
    assert "Välj att sluta" in html
    commitment = Commitment.objects.filter(goal__number=2).first()
    assert commitment.text[:40] in html
    assert 'data-chart="chart-kriminalvarden-behandlingsprogram-vnr-data"' in html
    assert 'id="chart-kriminalvarden-behandlingsprogram-vnr-data" type="application/json"' in html


def test_it_shows_an_indicator_shown_under_another_goal_on_that_goals_page(client):
    moved = Indicator.objects.filter(report_goal__isnull=False).first()
    html = text_of(client.get(reverse("goal", args=[moved.report_goal.number])))
    assert moved.title in html


def test_it_keeps_the_number_of_queries_constant_as_data_grows(client):
    def count(url):
        from django.core.cache import cache
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        cache.clear()  # the rendering itself, not the cached page
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        return len(queries)

    urls = ["/", reverse("goal", args=[2]), reverse("indicator", args=["kriminalvarden-behandlingsprogram-vnr"])]
    before = [count(url) for url in urls]
    for n in range(3):
        ind = factories.indicator(code=f"2.I9{n}", goal=Goal.objects.get(number=2))
        series = factories.headline(ind)
        for year in (2022, 2023, 2024):
            series.values.create(area=ind.area, year=year, value=Decimal(10 + year % 10), state="approved")
    indicator = Indicator.objects.get(slug="kriminalvarden-behandlingsprogram-vnr")
    for series in indicator.series.all():
        series.values.create(area=indicator.area, year=2018, value=Decimal("5"), state="approved")
    assert [count(url) for url in urls] == before


def test_it_shows_an_indicator_with_series_choice_metadata_and_csv_link(client, django_assert_max_num_queries):
    indicator = Indicator.objects.get(slug="kriminalvarden-behandlingsprogram-vnr")
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(reverse("indicator", args=[indicator.slug]))
    html = text_of(response)
    assert html.count('type="checkbox" name="serie"') == 3
    assert reverse("indicator_csv", args=[indicator.slug]) in html
    assert indicator.responsible.name in html
    assert "Ej tillgänglig" in html  # 2019 pågående, a gap with its reason
    assert "Källa" in html and "Enhet" in html


def test_it_draws_only_the_series_chosen_in_the_form_without_javascript(client):
    indicator = Indicator.objects.get(slug="kriminalvarden-behandlingsprogram-vnr")
    started = indicator.series.get(label="Påbörjade")
    html = text_of(client.get(reverse("indicator", args=[indicator.slug]), {"valt": "1", "serie": [started.id]}))
    assert html.count(" checked") == 1
    figure = json.loads(re.search(r'<script id="[^"]+-data" type="application/json">(.*?)</script>', html)[1])
    assert {t["name"]: t["visible"] for t in figure["data"]} == {"Fullföljda": False, "Påbörjade": True, "Pågående": False}
    # The chart drawn on the server shows the chosen series alone; the others are there, hidden, for the script.
    shown = re.findall(r'<g class="series" data-uid="s(\d+)">', html)
    assert shown == [str(started.id)] and html.count('<g class="series"') == 3


def test_it_draws_every_chart_on_the_server_and_loads_no_plotly_with_the_page(client):
    """The chart is an SVG in the page, labelled by the panel's title and summary; plotly.js comes only on request."""
    for url in ("/mal/2/", "/indikatorer/kriminalvarden-behandlingsprogram-vnr/", "/lagesrapport/2024/"):
        html = text_of(client.get(url))
        charts = html.count('<div class="chart"')
        assert charts and html.count('<svg class="chart-svg"') == charts
        assert html.count('<ul class="chart-legend"') == charts
        assert html.count("hidden>Visa interaktivt diagram</button>") == charts  # shown by charts.js
        assert not re.search(r'<script[^>]*src="[^"]*plotly', html)
    html = text_of(client.get("/indikatorer/kriminalvarden-behandlingsprogram-vnr/"))
    assert 'role="img" aria-labelledby="chart-kriminalvarden-behandlingsprogram-vnr-title ' \
           'chart-kriminalvarden-behandlingsprogram-vnr-summary"' in html
    assert '<p class="summary" id="chart-kriminalvarden-behandlingsprogram-vnr-summary">' in html


def test_it_serves_the_indicators_approved_values_as_csv(client):
    indicator = Indicator.objects.get(slug="beviljade-kontaktforbud")
    indicator.series.get().values.create(area=indicator.area, year=2025, value=Decimal("99"), state="draft")
    response = client.get(reverse("indicator_csv", args=[indicator.slug]))
    body = b"".join(response.streaming_content).decode()
    assert response["Content-Type"].startswith("text/csv")
    assert '"2024","2024",' in body and ',"37",' in body
    assert ',"99",' not in body


def test_it_shows_the_school_year_mean_from_tabell_1(client):
    html = text_of(client.get(reverse("indicator", args=["skolenkaten-elever-krankande-behandling"])))
    assert "2022/2023" in html and "<td class=\"num\">6,9</td>" in html


def test_it_never_shows_draft_values_or_status_reports(client):
    indicator = Indicator.objects.get(slug="valj-att-sluta-stodsokande")
    indicator.series.get().values.create(area=indicator.area, year=2025, value=Decimal("4321"), state="draft")
    commitment = Commitment.objects.filter(goal__number=2).first()
    StatusReport.objects.create(
        commitment=commitment,
        year=2025,
        organisation=Organisation.objects.get(slug="lansstyrelsen"),
        text="Hemligt utkast som inte får synas",
        state="submitted",
    )
    for url in ["/", reverse("goal", args=[2]), reverse("indicator", args=[indicator.slug]), reverse("report", args=[2024])]:
        html = text_of(client.get(url))
        assert "4321" not in html and "4 321" not in html
        assert "Hemligt utkast" not in html


def test_it_returns_404_for_an_unknown_goal_or_indicator(client):
    assert client.get(reverse("goal", args=[99])).status_code == 404
    assert client.get(reverse("indicator", args=["finns-inte"])).status_code == 404


def test_it_has_an_accessibility_statement_with_the_required_contents(client):
    html = text_of(client.get(reverse("accessibility")))
    for required in [
        "delvis förenlig",
        "Innehåll som inte är tillgängligt",
        "stockholm@lansstyrelsen.se",
        "Myndigheten för digital förvaltning (DIGG)",
        "tillsynsmyndighet",
        "Hur vi testat webbplatsen",
        "Redogörelsen upprättades",
    ]:
        assert required in html


def test_it_loads_scripts_only_from_the_site_itself(client):
    html = text_of(client.get(reverse("goal", args=[2])))
    sources = re.findall(r'<script[^>]*src="([^"]+)"', html)
    assert sources and all(src.startswith("/static/") for src in sources)
    assert not re.search(r"<script(?![^>]*(src=|application/json))", html)  # no inline code


@pytest.mark.parametrize("url", ["/", "/mal/2/", "/indikatorer/kriminalvarden-behandlingsprogram-vnr/", "/lagesrapport/2024/"])
def test_it_keeps_each_page_with_everything_it_loads_under_600_kb_gzipped(client, url):
    import gzip

    from django.contrib.staticfiles import finders

    html = client.get(url).content
    total = len(gzip.compress(html))
    # data-plotly: plotly.js, which charts.js loads when a reader asks for an interactive chart.
    for asset in re.findall(rb'(?:src|href|data-plotly)="/static/([^"]+)"', html):
        with open(finders.find(asset.decode()), "rb") as f:
            total += len(gzip.compress(f.read()))
    assert total < 600 * 1024


def test_it_shows_the_start_page_when_a_non_headline_series_has_a_national_value(client):
    """The start page draws headlines only; a national value of another series has no row there."""
    from indicators.models import Indicator, Value
    from strategy.models import Area

    women = Indicator.objects.get(code="2.I1").series.get(label="Kvinnor")
    Value.objects.create(series=women, area=Area.objects.get(slug="riket-median"), year=2024, value=80, state="approved")
    assert client.get("/").status_code == 200


def test_it_leaves_municipal_values_out_of_the_pages(client):
    """Pages draw the indicator's own area and the nation; municipalities stay in the downloads."""
    from indicators.models import Indicator, Value
    from strategy.models import Area

    indicator = Indicator.objects.get(code="2.I4")
    series = indicator.series.get()
    Value.objects.create(series=series, area=Area.objects.get(code="0181"), year=2024, value=5, state="approved")
    html = client.get(indicator.get_absolute_url()).content.decode()
    assert "Södertälje" not in html
    assert "Södertälje" in b"".join(client.get("/data/values.csv").streaming_content).decode()
