"""On an English page every Swedish text a reader meets is marked lang="sv" (issue 25), so that a screen
reader reads it as Swedish: the source's words, names without a translation, the breakdowns of a series
whose categories have no English, a series' label of its own (4.I5's, named by the source: WCAG 3.1.2,
in the table, the legend, the series form, the footnotes and the interactive chart's data). The English
pages are crawled; what is left of them once the elements marked lang="sv" are taken out must hold no
Swedish letter but in the few Swedish names an English sentence quotes beside its English gloss.

Left out: /en/data/, whose column meanings quote the downloads' Swedish values as examples.
"""

import json
import re

import pytest
from django.urls import reverse
from django.utils import translation
from lxml import html

from actions.models import ActionPlan, Commitment
from indicators.models import Category, Indicator
from indicators.selectors import series_label
from strategy.models import Area
from tests import factories

pytestmark = pytest.mark.django_db

# Swedish names an English sentence quotes, each beside its English gloss.
QUOTED_NAMES = [
    "Länsstyrelsen Stockholm",  # "by the County Administrative Board of Stockholm (Länsstyrelsen Stockholm)"
    "Välj att sluta",  # "from Välj att sluta (Choose to stop)", an indicator title's programme name
    "Lägesrapport 2024",  # "Read Lägesrapport 2024 (the status report, in Swedish)"
    "(lägesrapport)",  # "in a regional status report (lägesrapport)", the archive's introduction
    "Strategi för att förebygga och bekämpa våld i Stockholms län 2020–2026",  # the document's name, in italics
    "Tillgänglighet – uppföljning av våldsstrategin",  # the subject line a reader is asked to write
]
SWEDISH_LETTER = re.compile("[åäöÅÄÖ]")


def english_pages():
    pages = ["/en/", *(f"/en/mal/{n}/" for n in range(1, 9)), "/en/indikatorer/", "/en/planer/",
             "/en/planer/tackning/", "/en/lagesrapport/", "/en/lagesrapport/2024/", "/en/tillganglighet/"]
    pages += ["/en" + i.get_absolute_url() for i in Indicator.objects.filter(series__values__state="approved").distinct()[:12]]
    pages += [f"/en/planer/{plan.slug}/" for plan in ActionPlan.objects.all()]
    commitments = Commitment.objects.filter(status_reports__state="approved").select_related("plan").distinct()[:5]
    pages += ["/en" + reverse("commitment", args=[c.plan.slug, c.number]) for c in commitments]
    return pages


def unmarked_swedish(page):
    doc = html.fromstring(page)
    for element in doc.xpath('//*[@lang="sv"]|//script|//style|//head'):
        element.drop_tree()  # keeps the text after it, which is the page's
    found = []
    for text in doc.xpath("//body//text()"):
        rest = text
        for name in QUOTED_NAMES:
            rest = rest.replace(name, "")
        if SWEDISH_LETTER.search(rest):
            found.append(text.strip()[:120])
    return found


def test_it_marks_every_swedish_text_on_the_english_pages(client):
    pages = english_pages()
    assert len(pages) > 30
    failures = {}
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        found = unmarked_swedish(response.content)
        if found:
            failures[path] = found
    assert not failures, "\n".join(f"{path}: {texts[:5]}" for path, texts in failures.items())


def test_it_names_a_series_in_the_pages_language(client):
    swedish = client.get("/indikatorer/skolenkaten-elever-krankande-behandling/").content.decode()
    english = client.get("/en/indikatorer/skolenkaten-elever-krankande-behandling/").content.decode()
    assert "Flickor, Åk 8 i grundskolan" in swedish
    assert "Flickor, Åk 8 i grundskolan" not in english


# 4.I5's series named by the source, not by their categories (fixtures): the source's Swedish in every language.
OWN_LABEL = "Barn under 13 år, Hedersrelaterat våld och förtryck, I egen regi"
TRANSLATED_LABEL = "Children, Honour-related violence and oppression, By the organisation itself or in collaboration"
I5 = "/indikatorer/hanvisa-utsatta-ratt-stod/"


def language_of(element):
    """The language an element's text is in: its nearest lang attribute's."""
    return element.xpath("ancestor-or-self::*[@lang][1]/@lang")[0]


def figure_traces(doc):
    return [trace for script in doc.xpath('//script[@type="application/json"]') for trace in json.loads(script.text)["data"]]


def test_it_marks_a_series_own_swedish_label_wherever_an_english_page_shows_it(client):
    doc = html.fromstring(client.get("/en" + I5).content)
    places = {
        "table": '//table[@class="data-table"]//th[@scope="row"]',
        "legend": '//ul[@class="chart-legend"]/li',
        "series form": "//form[@data-series-form]//label",
        "footnotes": '//ul[@class="footnotes"]/li',
    }
    for place, path in places.items():
        own = [e for e in doc.xpath(f"{path}//*[text()]") if e.text == OWN_LABEL]
        assert own and all(language_of(e) == "sv" for e in own), place
        # A label built from the categories' English is the page's: no lang="sv" on it.
        translated = [e for e in doc.xpath(f"{path}") if TRANSLATED_LABEL in e.text_content()]
        assert translated and all(language_of(e) == "en" for e in translated), place
    # The interactive chart's data says which names are Swedish, for the legends drawn from it.
    traces = figure_traces(doc)
    names = {trace["name"].replace("<br>", " "): trace.get("meta") for trace in traces}
    assert names[OWN_LABEL] == {"name_parts": [[OWN_LABEL, "sv"]]}
    assert names[TRANSLATED_LABEL] is None
    assert sum(1 for meta in names.values() if meta) == 1


def test_it_adds_no_language_marks_to_series_labels_on_a_swedish_page(client):
    doc = html.fromstring(client.get(I5).content)
    assert doc.xpath(f'//th[@scope="row"][.="{OWN_LABEL}"]')
    places = ['//th[@scope="row"]', '//ul[@class="chart-legend"]', "//form[@data-series-form]", '//ul[@class="footnotes"]']
    assert not doc.xpath(" | ".join(f"{place}//*[@lang]" for place in places))
    assert not any("meta" in trace for trace in figure_traces(doc))


def test_it_says_which_words_of_a_series_label_are_in_the_pages_language():
    own = Indicator.objects.get(code="4.I5").series.get(label=OWN_LABEL)
    girls = Indicator.objects.get(slug="skolenkaten-elever-krankande-behandling").series.get(label="Flickor, Åk 8 i grundskolan")
    with translation.override("sv"):
        assert series_label(own).in_page_language and series_label(girls).in_page_language
    with translation.override("en"):
        assert series_label(own).parts == ((OWN_LABEL, "sv"),) and not series_label(own).in_page_language
        assert series_label(own).html() == f'<span lang="sv">{OWN_LABEL}</span>'
        assert series_label(girls).in_page_language and "<span" not in series_label(girls).html()
        # A category without English: its Swedish word, and only that, marked Swedish.
        year_8 = Category.objects.get(label_sv="Åk 8 i grundskolan")
        year_8.label_en = ""
        year_8.save()
        label = series_label(girls)
        assert label.foreign_parts == [("Åk 8 i grundskolan", "sv")]
        assert label.html() == 'Girls, <span lang="sv">Åk 8 i grundskolan</span>'


def test_it_marks_an_area_name_and_a_summary_that_name_a_swedish_series(client):
    made = factories.indicator(code="9.I96", title_en="A test indicator")
    series = factories.headline(made, label="Egen etikett från källan")
    riket = Area.objects.get(slug="riket")
    for year in (2022, 2023):
        series.values.create(area=made.area, year=year, value=10, state="approved")
        series.values.create(area=riket, year=year, value=12, state="approved")
    doc = html.fromstring(client.get("/en" + made.get_absolute_url()).content)
    (summary,) = doc.xpath('//p[@class="summary"]')
    assert [(e.text, language_of(e)) for e in summary.xpath("span")] == [("Egen etikett från källan", "sv")]
    (national,) = doc.xpath('//tr[@class="national"]/th')
    assert [(e.text, language_of(e)) for e in national.xpath("span[@lang]")] == [("Riket", "sv")]
    names = {trace["name"]: trace.get("meta") for trace in figure_traces(doc)}
    assert names["Riket"] == {"name_parts": [["Riket", "sv"]]}


def test_it_marks_a_series_own_swedish_label_among_the_reports_later_corrections(client):
    own = Indicator.objects.get(code="4.I5").series.get(label=OWN_LABEL)
    own.values.filter(year=2024).update(value=93)  # corrected after the edition was published
    doc = html.fromstring(client.get("/en/lagesrapport/2024/").content)
    cells = [td for td in doc.xpath("//td") if td.text_content() == OWN_LABEL]
    assert cells and all(language_of((td.xpath(".//*[text()]") or [td])[0]) == "sv" for td in cells)
    assert unmarked_swedish(client.get("/en/lagesrapport/2024/").content) == []
