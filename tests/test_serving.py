"""Serving: HEAD wherever GET works, a page cache that ignores unknown query parameters and keeps its
version through culling, Swedish 404 and 500 pages, a safe login redirect, no inline handlers, and
workers that are not recycled under normal load."""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reports.cache import PageFileCache
from reports.pagecache import VERSION_KEY, page_key

INDICATOR = "/indikatorer/kriminalvarden-behandlingsprogram-vnr/"


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/mal/2/", INDICATOR, "/planer/", "/planer/tackning/", "/lagesrapport/2024/",
                                 "/tillganglighet/", "/data/", "/data/values.csv", "/data/values.xlsx",
                                 "/indikatorer/kriminalvarden-behandlingsprogram-vnr/data.csv",
                                 "/api/v1/indicators/", "/healthz"])
def test_it_answers_head_wherever_get_works(client, url):
    assert client.get(url).status_code == 200
    assert client.head(url).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/mal/2/", INDICATOR, "/planer/tackning/"])
def test_it_serves_a_page_with_unknown_query_parameters_from_the_cache(client, url):
    first = client.get(url)
    with CaptureQueriesContext(connection) as queries:
        busted = client.get(url + "?utm_source=nyhetsbrev&r=8f3a9c")
    assert len(queries.captured_queries) == 0
    assert busted.content == first.content


def test_it_keys_a_page_by_the_parameters_it_reads_only():
    get = RequestFactory().get
    assert page_key(get("/indikatorer/x/", {"serie": ["9", "3", "3", "abc"], "valt": "ja", "r": "1"})) == \
        "/indikatorer/x/?valt=1&serie=3&serie=9"
    assert page_key(get("/planer/sodertalje/", {"niva": "universell", "ansvarig": "kf", "x": "1"})) == \
        "/planer/sodertalje/?ansvarig=kf&niva=universell"
    assert page_key(get("/planer/tackning/", {"ansvarig": "kf"})) == "/planer/tackning/"
    assert page_key(get("/mal/2/", {"valt": "1"})) == "/mal/2/"


@pytest.mark.django_db
def test_it_still_tells_the_chosen_series_apart(client):
    plain = client.get(INDICATOR).content
    none_chosen = client.get(INDICATOR + "?valt=1").content
    assert plain != none_chosen


def test_it_never_culls_the_page_version(tmp_path):
    """Django's file cache deletes a random third of its files when full; the version is not among them."""
    page_cache = PageFileCache(str(tmp_path), {"OPTIONS": {"MAX_ENTRIES": 30}})
    page_cache.set(VERSION_KEY, 12345, timeout=None)
    for i in range(300):
        page_cache.set(f"pages:{i}:v12345", "<html>…</html>")
    assert page_cache.get(VERSION_KEY) == 12345
    assert len(list(tmp_path.iterdir())) < 60  # the pages themselves were culled
    page_cache.clear()
    assert page_cache.get(VERSION_KEY) is None


@pytest.mark.django_db
def test_it_shows_a_swedish_404_in_the_sites_layout(client, settings):
    settings.DEBUG = False
    response = client.get("/finns-inte/")
    assert response.status_code == 404
    text = response.content.decode()
    assert "Sidan finns inte" in text and 'class="site-header"' in text and '<html lang="sv">' in text


def test_it_shows_a_swedish_500_without_the_database(django_db_blocker, settings):
    from django.views.defaults import server_error

    settings.DEBUG = False
    with django_db_blocker.block():  # any query would fail the test
        response = server_error(RequestFactory().get("/"))
    text = response.content.decode()
    assert response.status_code == 500
    assert "Något gick fel" in text and 'class="site-header"' in text


@pytest.mark.django_db
def test_it_lands_an_admin_login_with_an_unsafe_next_on_the_admin(client, admin_user):
    response = client.post(
        reverse("admin:login") + "?next=https://evil.example/",
        {"username": "admin", "password": "password", "next": "https://evil.example/"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")


@pytest.mark.django_db
def test_it_has_no_inline_handlers_on_the_export_page(admin_client):
    html = admin_client.get(reverse("admin:indicators_value_export")).content.decode()
    assert 'class="select-toggle"' in html and "js/export-select-all.js" in html
    assert not re.search(r"\son[a-z]+\s*=", html)
    assert "Välj alla" in html and "Exporten får följande kolumner" in html
    assert "Fotnot (note)" in html and "Indicator Code" not in html


@pytest.mark.django_db
def test_it_shows_the_import_page_in_swedish(admin_client):
    html = admin_client.get(reverse("admin:actions_statusreport_import")).content.decode()
    for english in ("This importer will import", "Submit", "File to import"):
        assert english not in html
    assert "Importen läser följande kolumner" in html and "Fil att importera" in html


def test_it_does_not_recycle_workers_under_normal_load():
    from config import gunicorn

    assert gunicorn.max_requests >= 100_000
    assert 0 < gunicorn.max_requests_jitter < gunicorn.max_requests


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
