"""What the public pages say and how: notes once per group, provenance in a reader's words,
a single figure instead of a one-dot chart, a description per page, the county's 26
municipalities, and the national sub-goal 6 the strategy places itself under."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from indicators.models import Indicator
from reports.models import IndicatorAnalysis
from reports.templatetags.public_text import reader_note
from strategy.models import Goal, GoalItem, Organisation
from tests import factories

pytestmark = pytest.mark.django_db


def text_of(response):
    return re.sub(r"\s+", " ", response.content.decode())


SKOLENKAT = "För att följa upp målet används resultat från Skolinspektionens enkät"


def test_it_prints_a_groups_shared_methodology_text_once(client):
    # The school survey's method is the 2024 report's introduction to goal 1 (001, once), not an
    # analysis of any one indicator: printed once, above the survey's indicators, on the goal page
    # and in the report.
    assert not IndicatorAnalysis.objects.filter(edition__year=2024, text__contains=SKOLENKAT).exists()
    surveyed = Indicator.objects.get(code="1.I2")
    html = text_of(client.get(reverse("goal", args=[1])))
    assert html.count(SKOLENKAT) == 1
    assert html.index("Om uppgifterna nedan") < html.index(SKOLENKAT) < html.index(surveyed.title)
    report = text_of(client.get(reverse("report", args=[2024])))
    assert report.count(SKOLENKAT) == 1
    assert report.index(SKOLENKAT) < report.index(surveyed.title)


def test_it_phrases_transcription_notes_for_a_reader_and_keeps_them_verbatim_in_the_downloads(client):
    html = text_of(client.get(reverse("indicator", args=["kriminalvarden-behandlingsprogram-vnr"])))
    assert "Uppgift saknas för 2019 i källan." in html
    assert "Cellen för 2019" not in html
    csv = b"".join(client.get("/data/values.csv").streaming_content).decode()
    assert "[Cellen för 2019 är tom i rapportens Tabell 5.]" in csv


def test_it_rephrases_known_notes_and_unbrackets_the_others():
    assert reader_note("[Cellen för 2019 är tom i rapportens Tabell 5.]") == "Uppgift saknas för 2019 i källan."
    assert reader_note("[Rapporten anger ingen procentsats; 100 procent är härlett ur: ”Alla kommuner …”]") == (
        "Källan anger ingen procentsats; 100 procent bygger på uppgiften ”Alla kommuner …”"
    )
    assert reader_note("[Lägesrapport 2024 visar serien i Diagram 2 (bild, inga värden i texten).]") == (
        "Lägesrapport 2024 visar uppgiften bara som diagram, utan siffror."
    )
    assert reader_note("[Tabell 6 anger 72; rapportens text anger 71.]") == "Tabell 6 anger 72; lägesrapportens text anger 71."
    assert reader_note("En vanlig anteckning.") == "En vanlig anteckning."


def test_it_shows_a_single_data_point_as_a_figure_with_its_year_not_a_chart(client):
    ind = factories.indicator(code="1.I97", goal=Goal.objects.get(number=1), unit="percent", title="Enpunktsindikator")
    factories.headline(ind).values.create(area=ind.area, year=2024, value=Decimal("100"), state="approved")
    for url in [ind.get_absolute_url(), reverse("goal", args=[1])]:
        html = text_of(client.get(url))
        start = html.index('id="chart-test-1-i97-title"')
        panel = html[start : html.index("</section>", start)]
        assert '<span class="figure-value">100\u00a0%</span>' in panel or '<span class="figure-value">100 %</span>' in panel
        assert "2024" in panel
        assert "data-chart=" not in panel


@pytest.mark.parametrize(
    "url",
    ["/", "/mal/1/", "/mal/2/", "/indikatorer/", "/indikatorer/kriminalvarden-behandlingsprogram-vnr/",
     "/lagesrapport/2024/", "/planer/", "/planer/tackning/", "/planer/handlingsplan-2024-2027/",
     "/planer/handlingsplan-2024-2027/2.2/", "/tillganglighet/", "/data/"],
)
def test_it_gives_every_public_page_a_description_of_its_own(client, url):
    html = client.get(url).content.decode()
    description = re.search(r'<meta name="description" content="([^"]+)">', html)
    assert description and len(description[1]) > 40


def test_it_describes_each_goal_page_differently(client):
    descriptions = {
        re.search(r'<meta name="description" content="([^"]+)">', client.get(reverse("goal", args=[n])).content.decode())[1]
        for n in (1, 2, 3)
    }
    assert len(descriptions) == 3


def test_it_counts_municipalities_with_a_plan_out_of_the_countys_26(client):
    assert Organisation.objects.filter(kind=Organisation.MUNICIPALITY).count() == 26
    html = text_of(client.get(reverse("coverage")))
    assert "<strong>2 av länets 26 kommuner</strong> har en lokal plan" in html
    assert "Kommuner vars lokala plan följer målet" in html
    assert re.search(r'<td class="num">[12] av 26</td>', html)
    assert " av 2</td>" not in html


def test_it_shows_the_national_sub_goal_6_on_the_start_and_goal_pages_with_its_measures(client):
    html = text_of(client.get("/"))
    assert "delmål 6: Mäns våld mot kvinnor ska upphöra" in html
    goal = Goal.objects.get(number=1)
    measure = goal.items.filter(kind=GoalItem.NATIONAL_MEASURE).first()
    html = text_of(client.get(reverse("goal", args=[1])))
    assert "Nationellt delmål 6: Mäns våld mot kvinnor ska upphöra" in html
    assert measure.text in html
