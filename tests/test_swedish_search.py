"""Search that finds Swedish words: diacritics and case ignored, word forms and compounds
matched (reports.search); one name per source in the Källa filter; one display name per
organisation (issue 23). The matching is Python on rows already read, so it is the same on
SQLite and PostgreSQL: this file runs on whichever database the suite uses."""

import html as html_lib
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actions.models import Commitment
from indicators.models import Indicator
from reports.search import Haystack, query_words
from strategy.models import Organisation

pytestmark = pytest.mark.django_db

URL = reverse("indicator_index")


def text_of(response):
    assert response.status_code == 200
    return re.sub(r"\s+", " ", html_lib.unescape(response.content.decode()))


def found(client, query):
    return set(re.findall(r'<li> <a href="/indikatorer/([\w-]+)/">', text_of(client.get(URL, {"q": query}))))


def slugs_with(*words):
    """Indicators whose own texts hold each of the words (case ignored): what a reader means."""
    chosen = set()
    for ind in Indicator.objects.prefetch_related("violence_types"):
        text = " ".join([ind.title, ind.description, ind.theme, *(t.name for t in ind.violence_types.all())]).casefold()
        if all(w in text for w in words):
            chosen.add(ind.slug)
    return chosen


def test_it_finds_kontaktforbud_without_diacritics_in_any_case_and_form(client):
    meant = slugs_with("kontaktförbud")
    assert len(meant) >= 5
    for query in ["kontaktforbud", "kontaktförbud", "KONTAKTFÖRBUD", "Kontaktförbuden", "kontaktforbudet"]:
        assert found(client, query) == meant, query


def test_it_finds_hedersvald_in_hedersrelaterat_vald(client):
    meant = slugs_with("hedersrelaterat våld")
    assert meant
    for query in ["hedersvåld", "hedersvald", "Hedersvåldet"]:
        hits = found(client, query)
        assert meant <= hits, query
        assert all("heder" in " ".join([i.title, i.description, i.theme, *(t.name for t in i.violence_types.all())]).casefold()
                   for i in Indicator.objects.filter(slug__in=hits)), query


def test_it_still_needs_every_word_and_finds_nothing_for_nonsense(client):
    assert found(client, "kontaktforbud xyzzyq") == set()
    assert found(client, "hedersförbud") == set()  # parts from two indicators' words do not make a compound


def test_it_normalises_words_as_a_reader_types_them():
    assert query_words("Kontaktförbuden") == query_words("kontaktforbud")
    haystack = Haystack("Andel beviljade kontaktförbud", "Hedersrelaterat våld och förtryck")
    assert haystack.matches(query_words("förbud")) and haystack.matches(query_words("hedersvåld"))
    assert haystack.matches(query_words("våldet"))
    assert not haystack.matches(query_words("heders förtrycket misshandel"))


def test_it_searches_in_as_many_queries_as_the_unfiltered_list(client, django_assert_num_queries):
    with CaptureQueriesContext(connection) as unfiltered:
        client.get(URL)
    cache.clear()
    with django_assert_num_queries(len(unfiltered)):
        client.get(URL, {"q": "hedersvåld kontaktforbud"})


def test_it_lists_each_source_once_in_the_kalla_filter(client):
    html = text_of(client.get(URL))
    select = re.search(r'<select[^>]*name="kalla".*?</select>', html, re.S).group(0)
    options = [o.strip() for o in re.findall(r"<option[^>]*>([^<]*)</option>", select) if o.strip()]
    sources = [o for o in options if o != "Alla källor" and not o.startswith("Alla")]
    assert len(sources) == len(set(sources))
    # One name however a source was once written: "Öppna jämförelser" was three.
    assert sum("öppna jämförelser" in s.casefold() for s in sources) == 1
    assert len({" ".join(re.findall(r"\w+", s.casefold())) for s in sources}) == len(sources)


def test_it_gives_an_organisation_one_name_on_every_page(client):
    police = Organisation.objects.get(slug="polisen")
    assert police.display_name == "Polisen" and police.name == "Polismyndigheten"
    commitment = Commitment.objects.filter(lead_organisations=police).select_related("plan").first()
    page = text_of(client.get(reverse("commitment", args=[commitment.plan.slug, commitment.number])))
    assert re.search(r"<dt>Ansvarig</dt><dd>[^<]*\bPolisen\b", page)
    assert not re.search(r"<dt>(Ansvarig|Medansvariga)</dt><dd>[^<]*Polismyndigheten", page)
    plan = text_of(client.get(reverse("plan", args=[commitment.plan.slug])))
    assert '<option value="polisen">Polisen</option>' in plan
    assert ">Polismyndigheten</option>" not in plan
