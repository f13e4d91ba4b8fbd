"""The 2024 report page says what Lägesrapport 2024 (seed 001) says, in 001's order, nothing twice
(issue 23): the report's comments on its tables and diagrams, each table and diagram caption with
its number under its own indicator, and goal 8 as 001 gives it, without indicators under it."""

import re

import pytest
import yaml
from django.core.cache import cache
from django.urls import reverse

from indicators.models import Indicator
from tests.seeds import FIXTURES

pytestmark = pytest.mark.django_db

# Distinctive passages of 001's results, in 001's order (line numbers of 001 for the reader).
PASSAGES_IN_001_ORDER = [
    "För att följa upp målet används resultat från Skolinspektionens enkät",  # 92, goal 1's introduction
    "Pojkar i både årskurs 8 och gymnasiet har generellt högre förtroende",  # 110, after Tabell 1
    "Pedagogisk personal på både gymnasiet och grundskolan uppger att de anser",  # 120, after Tabell 2
    "Elever på gymnasiet skattar generellt högre än elever i grundskolan",  # 136, after Tabell 3
    "Pedagogisk personal i både gymnasiet och grundskolan skattar generellt högre än eleverna",  # 153
    "Generellt sett skattar pedagogisk personal högre än eleverna",  # 155
    "I 89 procent av länets kommuner/stadsdelar som svarade",  # goal 2
    "2024 erbjuder 70 procent av de svarande kommunerna stödsamtal utan biståndsbeslut",
    "Under 2024 kontaktade 144 personer från Stockholms län telefonlinjen Välj att sluta",  # 221
    "Kriminalvården har de senaste åren gjort framsteg i utvecklingen av behandlingsprogram",  # 227
    "Ökningen av påbörjade program under 2024 beror till stor del på",
    "Nedan följer en redovisning av andelen kommuner som erbjuder stöd och hjälp till våldsutsatta",  # goal 4
    "96 procent av länets kommuner erbjuder stöd till vuxna i egen regi",
    "Personuppklaringen för kvinnor utsatta för grov fridskränkning är på en liknande nivå som 2022",  # 439
    "Den högsta personuppklaringsprocenten ses för kvinnor utsatta i parrelation",  # 452
    "från 16 procent 2019 till 31 procent 2021",  # goal 7
    "iRiSk Socialstyrelsen",  # footnote 16, under commitment 7.3
]

# Said under goal 8 in 001, and true there only because no indicator follows it.
NO_INDICATORS = "Inom detta mål saknas indikatorer för uppföljning."


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def report(client):
    response = client.get(reverse("report", args=[2024]))
    assert response.status_code == 200
    return re.sub(r"\s+", " ", response.content.decode())


def edition_2024():
    data = yaml.safe_load((FIXTURES / "reports.yaml").read_text(encoding="utf-8"))
    return next(e for e in data["editions"] if e["year"] == 2024)


def goal_part(html, number):
    start = html.index(f'id="mal-{number}-h"')
    following = html.find(f'id="mal-{number + 1}-h"', start)
    return html[start:following if following != -1 else len(html)]


def panel_of(html, indicator):
    """The report's panel of one indicator: its title to the next panel."""
    start = html.index(f'id="chart-{indicator.slug}-title"')
    start = html.rindex('<section class="panel"', 0, start)
    following = html.find('<section class="panel"', start + 1)
    return html[start:following if following != -1 else len(html)]


def test_it_prints_the_passages_of_001_once_each_in_001s_order(report):
    positions = []
    for passage in PASSAGES_IN_001_ORDER:
        assert report.count(passage) == 1, f"{report.count(passage)} times: {passage!r}"
        positions.append(report.index(passage))
    out_of_order = [p for p, at, before in zip(PASSAGES_IN_001_ORDER[1:], positions[1:], positions) if at < before]
    assert not out_of_order, out_of_order


def opening(caption):
    """A caption's first words as printed: up to 80 characters, stopping before a corrected word."""
    head = caption[:80]
    if "[" in head:
        head = " ".join(head[: head.index("[")].split()[:-2])
    return head


def test_it_prints_each_table_and_diagram_caption_once_under_its_indicator(report):
    captions = [(c["indicator"], c["caption"]) for c in edition_2024()["captions"]]
    # Tabell 1–8 and Diagram 1–7, Diagram 4 and 5 in one caption (one indicator).
    assert len({caption for _code, caption in captions}) == 14
    for code, caption in captions:
        panel = panel_of(report, Indicator.objects.get(code=code))
        for part in caption.split("\n\n"):
            number = re.match(r"(Tabell|Diagram) \d+", part).group(0)
            assert panel.count(opening(part)) == 1, f"{code}: {number}"
        # One table printed under several indicators (Tabell 6, Diagram 6) is under each of them once.
        assert report.count(opening(caption)) == sum(1 for _c, other in captions if other == caption)


def test_it_numbers_the_tables_and_diagrams_in_001s_order(report):
    for kind, last in [("Tabell", 8), ("Diagram", 7)]:
        firsts = [re.search(rf"<p>{kind} {n}[.:]", report) for n in range(1, last + 1)]
        assert all(firsts), kind
        assert [m.start() for m in firsts] == sorted(m.start() for m in firsts), kind


def test_it_shows_the_goal_sections_and_their_indicators_in_001s_order(report):
    positions = [report.index(f'id="mal-{n}-h"') for n in range(1, 9)]
    assert positions == sorted(positions)
    for section in edition_2024()["sections"]:
        part = goal_part(report, section["goal"])
        slugs = dict(Indicator.objects.filter(code__in=section["indicators"]).values_list("code", "slug"))
        shown = re.findall(r'id="chart-([a-z0-9-]+)-title"', part)
        assert shown == [slugs[code] for code in section["indicators"]], section["goal"]


def test_it_gives_goal_8_as_001_does_with_no_indicator_under_it(report):
    part = goal_part(report, 8)
    assert part.count(NO_INDICATORS) == 1
    assert '<section class="panel"' not in part
    assert report.count(NO_INDICATORS) == 1


def test_it_prints_no_strategy_indicator_introduction_in_the_report(report):
    from strategy.models import Goal

    for goal in Goal.objects.exclude(indicator_intro=""):
        assert goal.indicator_intro[:60] not in report, goal.number
