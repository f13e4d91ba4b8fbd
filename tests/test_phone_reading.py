"""Reading on a phone (issue 23), the parts a page's HTML shows: the report opens with a way to its
summary and its contents, drawn by the page around the frozen edition (which stays as it was
published), and an indicator's long title is printed once, as its heading.

The browser half (the goal cards in a phone's first screen, the report's opening at 320 px, tables
that stay readable) is tests/test_browser_phone_reading.py."""

import re

import pytest
from django.urls import reverse
from django.utils.html import escape

from indicators.models import Indicator
from reports.models import ReportEdition

pytestmark = pytest.mark.django_db


def main_of(response):
    assert response.status_code == 200
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


def headings(html):
    """The page's h1 and h2 texts, in order."""
    return [re.sub(r"<[^>]+>|\s+", " ", text).strip() for text in re.findall(r"<h[12][^>]*>(.*?)</h[12]>", html, re.S)]


def element(html, opening_tag_start):
    """From an element's opening tag to its closing tag (elements of the same name not nested)."""
    start = html.index(opening_tag_start)
    name = re.match(r"<(\w+)", opening_tag_start).group(1)
    return html[start : html.index(f"</{name}>", start)]


def dangling_links(html):
    return [target for target in re.findall(r'href="#([^"]+)"', html) if f'id="{target}"' not in html]


def test_it_opens_the_2024_report_with_its_summary_then_its_contents(client):
    main = main_of(client.get(reverse("report", args=[2024])))
    assert headings(main)[1:3] == ["Sammanfattning", "Innehåll"]
    opening = element(main, '<section class="report-opening')
    assert 'href="#sammanfattning"' in opening
    # Each goal's summary and development areas, one tap away.
    for number in range(1, 9):
        assert f'href="#sammanfattning-mal-{number}"' in opening
    contents = element(main, '<nav class="toc"')
    for number in range(1, 9):
        assert f'href="#mal-{number}"' in contents
    assert 'href="#sammanfattning"' in contents
    assert dangling_links(main) == []


def test_it_draws_the_opening_around_the_frozen_page_and_leaves_the_edition_as_published(client):
    edition = ReportEdition.objects.get(year=2024)
    frozen = edition.frozen_html
    title_page, end, rest = frozen.partition("</header>")
    assert end, "the frozen page has its title page"
    html = client.get(reverse("report", args=[2024])).content.decode()
    # The frozen page is on the page verbatim, in two pieces with the opening between them.
    assert title_page + end in html and rest in html
    assert html.index(title_page) < html.index('class="report-opening') < html.index(rest)
    edition.refresh_from_db()
    assert edition.frozen_html == frozen


def test_it_links_the_summary_as_a_whole_on_a_page_frozen_before_its_goals_had_anchors(client):
    """An edition published before the summary's goals had ids keeps its page; the opening links what it has."""
    edition = ReportEdition.objects.get(year=2024)
    older = re.sub(r' id="sammanfattning-mal-\d+"', "", edition.frozen_html)
    ReportEdition.objects.filter(pk=edition.pk).update(frozen_html=older)
    main = main_of(client.get(reverse("report", args=[2024])))
    assert headings(main)[1:3] == ["Sammanfattning", "Innehåll"]
    assert 'href="#sammanfattning"' in element(main, '<section class="report-opening')
    assert dangling_links(main) == []


def test_it_opens_a_draft_preview_the_same_way(coordinator_client):
    edition = ReportEdition.objects.get(year=2024)
    ReportEdition.objects.create(strategy=edition.strategy, year=2025, title="Lägesrapport 2025 (utkast)")
    main = main_of(coordinator_client.get(reverse("report", args=[2025])))
    assert headings(main)[:3] == ["Lägesrapport 2025 (utkast)", "Sammanfattning", "Innehåll"]
    assert dangling_links(main) == []


def printed_as_a_title(html, title):
    """How often the title is printed as an element's text (a heading, a caption "title (unit, area)"),
    not counting a sentence of prose that begins with the same words."""
    return len(re.findall(rf">\s*{re.escape(escape(title))}\s*[<(]", html))


def test_it_prints_an_indicators_long_title_once_on_its_page(client):
    for indicator in Indicator.objects.filter(code__in=["2.I5", "1.I3", "6.I2"]):
        main = main_of(client.get(indicator.get_absolute_url()))
        assert main.count(escape(indicator.title)) == 1, indicator.code
        assert re.search(rf'<h1 id="chart-{indicator.slug}-title">{re.escape(escape(indicator.title))}</h1>', main)


def test_it_prints_each_indicators_long_title_once_on_a_goal_page_and_in_the_report(client):
    for url in [reverse("goal", args=[2]), reverse("report", args=[2024])]:
        main = main_of(client.get(url))
        shown = re.findall(r'id="chart-([a-z0-9-]+)-title"', main)
        assert shown, url
        for indicator in Indicator.objects.filter(slug__in=shown):
            assert printed_as_a_title(main, indicator.title) == shown.count(indicator.slug), (url, indicator.code)
