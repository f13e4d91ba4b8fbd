"""On an English page every Swedish text a reader meets is marked lang="sv" (issue 25), so that a screen
reader reads it as Swedish: the source's words, names without a translation, the breakdowns of a series
whose categories have no English. The English pages are crawled; what is left of them once the elements
marked lang="sv" are taken out must hold no Swedish letter but in the few Swedish names an English
sentence quotes beside its English gloss.

Left out: /en/data/, whose column meanings quote the downloads' Swedish values as examples.
"""

import re

import pytest
from django.urls import reverse
from lxml import html

from actions.models import ActionPlan, Commitment
from indicators.models import Indicator

pytestmark = pytest.mark.django_db

# Swedish names an English sentence quotes, each beside its English gloss.
QUOTED_NAMES = [
    "Länsstyrelsen Stockholm",  # "by the County Administrative Board of Stockholm (Länsstyrelsen Stockholm)"
    "Välj att sluta",  # "from Välj att sluta (Choose to stop)", an indicator title's programme name
    "Lägesrapport 2024",  # "Read Lägesrapport 2024 (the status report, in Swedish)"
    "(lägesrapport)",  # "in a regional status report (lägesrapport)", the archive's introduction
    "Strategi för att förebygga och bekämpa våld i Stockholms län 2020–2026",  # the document's name, in italics
    "Tillgänglighet – uppföljning av våldsstrategin",  # the subject line a reader is asked to write
    # 4.I5's series are named by the source, not by categories (fixtures): shown as the source names them.
    "Barn under 13 år, Hedersrelaterat våld och förtryck, I egen regi",
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
