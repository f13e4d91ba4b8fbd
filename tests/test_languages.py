"""English beside Swedish: addresses, the switch, the page cache, translated content and its fallback."""

import re
from decimal import Decimal

import pytest
import yaml
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from indicators.models import Indicator
from reports import content_translations, pagecache
from reports.models import ReportEdition
from reports.services import render_edition_body
from strategy.models import Goal, Organisation, Strategy

pytestmark = pytest.mark.django_db

INDICATOR = "/indikatorer/mvc-fragor-om-vald/"


def html_lang(response):
    return re.search(r'<html lang="([^"]+)"', response.content.decode()).group(1)


def test_it_keeps_swedish_at_todays_addresses_and_english_under_en(client):
    swedish, english = client.get("/mal/1/"), client.get("/en/mal/1/")
    assert (html_lang(swedish), html_lang(english)) == ("sv", "en")
    assert "Mål 1: Förebygga våld" in swedish.content.decode()
    assert "Goal 1: Preventing violence" in english.content.decode()
    assert english["Content-Language"] == "en"
    assert client.get("/sv/mal/1/").status_code == 404  # Swedish has no prefix


def test_it_links_each_page_to_itself_in_the_other_language(client):
    page = client.get("/en" + INDICATOR).content.decode()
    base = settings.SITE_URL
    assert f'<link rel="alternate" hreflang="sv" href="{base}{INDICATOR}">' in page
    assert f'<link rel="alternate" hreflang="en" href="{base}/en{INDICATOR}">' in page
    assert f'<link rel="alternate" hreflang="x-default" href="{base}{INDICATOR}">' in page
    # The switch: a link to the Swedish page, named in Swedish.
    assert f'<a href="{INDICATOR}" hreflang="sv" lang="sv">Svenska</a>' in page


def test_it_serves_each_language_its_own_copy_from_the_page_cache(client):
    """The same page through both caches (the shared one and the worker's memory) in Swedish and English."""
    answers = {}
    for path in ["/mal/1/", "/en/mal/1/", "/mal/1/", "/en/mal/1/"]:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        answers.setdefault(path, []).append((response, len(queries.captured_queries)))
    for path, language in [("/mal/1/", "sv"), ("/en/mal/1/", "en")]:
        (first, _), (again, queries) = answers[path]
        assert html_lang(first) == html_lang(again) == language
        assert again.content == first.content and queries == 0
    assert answers["/mal/1/"][0][0]["ETag"] != answers["/en/mal/1/"][0][0]["ETag"]
    # Each copy's ETag brings a 304 for that copy only.
    swedish_etag = answers["/mal/1/"][0][0]["ETag"]
    assert client.get("/mal/1/", headers={"If-None-Match": swedish_etag}).status_code == 304
    assert client.get("/en/mal/1/", headers={"If-None-Match": swedish_etag}).status_code == 200


def test_it_keys_a_cached_page_by_the_language_it_was_rendered_in():
    """One address rendered in two languages (the shared cache alone): never the other language's copy."""
    request = RequestFactory().get("/mal/1/")

    def render():
        return f"<p>{translation.gettext('Start')}</p>"

    with translation.override("sv"):
        swedish = pagecache.shared_page(request, render)
    with translation.override("en"):
        english = pagecache.shared_page(request, render)
    assert (swedish.content, english.content) == (b"<p>Start</p>", b"<p>Home</p>")
    assert swedish["ETag"] != english["ETag"]


def test_it_lets_the_workspace_and_admin_follow_the_chosen_language_not_the_browser(client):
    assert html_lang(client.get("/admin/login/", headers={"Accept-Language": "en"})) == "sv"
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    login = client.get("/admin/login/")
    assert html_lang(login) == "en" and "Cookie" in login["Vary"]
    # The public pages' language is their address, whatever the cookie says.
    assert html_lang(client.get("/mal/1/")) == "sv"
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "xx"
    assert html_lang(client.get("/admin/login/")) == "sv"


def test_it_switches_with_the_form_both_ways(client):
    to_english = client.post("/sprak/", {"language": "en", "next": "/mal/1/"})
    assert to_english.status_code == 302 and to_english["Location"] == "/en/mal/1/"
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    to_swedish = client.post("/sprak/", {"language": "sv", "next": "/en/mal/1/"})
    assert to_swedish["Location"] == "/mal/1/"
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "sv"
    # A page with one address shows the form; the public pages show links and no CSRF token (they are cached).
    assert 'action="/sprak/"' in client.get("/admin/login/").content.decode()
    assert "csrfmiddlewaretoken" not in client.get("/en/mal/1/").content.decode()


def test_it_marks_the_swedish_a_translation_falls_back_to(client):
    indicator = Indicator.objects.get(slug="mvc-fragor-om-vald")
    Indicator.objects.filter(pk=indicator.pk).update(title_en=None)
    page = client.get("/en" + INDICATOR).content.decode()
    assert f'-title" lang="sv">{indicator.title_sv}</h1>' in page  # <h1 id="chart-…-title" lang="sv">
    # Translated: no mark. Only Swedish (an organisation without English, the source's notes): marked.
    assert 'Goal 3: Early detection</a>' in page
    assert '<dt>Responsible organisation</dt><dd><span lang="sv">' in page
    swedish = client.get(INDICATOR).content.decode()
    main = swedish.split("<main", 1)[1].split("</main>", 1)[0]
    assert 'lang="sv"' not in main


def test_it_says_on_english_pages_that_the_translation_is_the_follow_ups(client):
    assert "Translation by the follow-up." in client.get("/en/").content.decode()
    assert "Translation by the follow-up." not in client.get("/").content.decode()


def test_it_introduces_the_swedish_report_in_english(client):
    archive = client.get("/en/lagesrapport/").content.decode()
    assert "The published status reports are the Swedish documents they are" in archive
    report = client.get("/en/lagesrapport/2024/").content.decode()
    assert "It is shown as it was published, in Swedish, and is not translated." in report
    assert '<div lang="sv">' in report


def test_it_renders_a_report_in_swedish_whatever_language_is_active():
    edition = ReportEdition.objects.get(year=2024)
    with translation.override("en"):
        body = render_edition_body(edition)
    assert "Förebygga våld" in body and "Preventing violence" not in body


def test_it_writes_numbers_in_the_pages_language():
    indicator = Indicator(unit="days", decimals=1)
    with translation.override("sv"):
        assert indicator.format_value(Decimal("1234.55")) == "1\u00a0234,6 dagar"
    with translation.override("en"):
        assert indicator.format_value(Decimal("1234.55")) == "1,234.6 days"


def test_it_loads_english_beside_the_swedish_and_keeps_translations_the_file_lacks():
    goal = Goal.objects.get(number=1)
    assert (goal.title_sv, goal.title_en) == ("Myndigheter och aktörer arbetar våldsförebyggande", "Authorities and other actors work to prevent violence")
    assert Strategy.objects.get().vision_en.startswith("No one shall be subjected")
    Organisation.objects.filter(slug="lansstyrelsen").update(name_en="County Administrative Board of Stockholm")
    data = yaml.safe_load((settings.BASE_DIR / "fixtures" / "translations" / "en.yaml").read_text(encoding="utf-8"))
    with CaptureQueriesContext(connection) as queries:
        content_translations.load(data)
    assert not [q for q in queries.captured_queries if q["sql"].startswith("UPDATE")]  # twice changes nothing
    assert Organisation.objects.get(slug="lansstyrelsen").name_en == "County Administrative Board of Stockholm"
    # The Swedish a reader, the downloads and the source-fidelity tests see is the source's.
    with translation.override("sv"):
        assert Goal.objects.get(number=1).title == "Myndigheter och aktörer arbetar våldsförebyggande"


def test_it_edits_the_english_beside_the_swedish_in_the_admin(admin_client):
    goal = Goal.objects.get(number=1)
    page = admin_client.get(f"/admin/strategy/goal/{goal.pk}/change/").content.decode()
    assert 'name="title_sv"' in page and 'name="title_en"' in page
    assert "Authorities and other actors work to prevent violence" in page


def test_it_never_mixes_the_languages_in_the_cache_after_the_other_renders_first(client):
    cache.clear()
    english = client.get("/en/").content.decode()
    swedish = client.get("/").content.decode()
    assert "The eight goals" in english and "De åtta målen" in swedish
    assert "De åtta målen" not in english and "The eight goals" not in swedish
