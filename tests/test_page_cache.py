"""Public pages are rendered once and served again from memory until what they show changes."""

import datetime
from unittest import mock

import pytest
from django.core.cache import cache
from django.test.utils import CaptureQueriesContext
from django.db import connection

from actions.models import ActionPlan, Commitment
from reports import pagecache
from reports.models import Correction, ReportEdition
from reports.services import report_edition_correct
from strategy.models import Organisation
from reporting import workflow

pytestmark = pytest.mark.django_db

URL = "/lagesrapport/2024/"


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()


@pytest.mark.parametrize(
    "url", ["/", "/mal/2/", "/indikatorer/kriminalvarden-behandlingsprogram-vnr/", URL, "/planer/tackning/"]
)
def test_it_serves_a_repeat_request_without_touching_the_database(client, url):
    client.get(url)
    first = client.get(url)
    with CaptureQueriesContext(connection) as queries:
        again = client.get(url)
    assert len(queries.captured_queries) == 0
    assert again.content == first.content
    assert again["Content-Security-Policy"] == first["Content-Security-Policy"]
    assert again["X-Frame-Options"] == "DENY"


def test_it_shows_a_newly_approved_status_at_once(client, coordinator, django_capture_on_commit_callbacks):
    from actions.models import StatusReport

    from . import reporting

    reporting.open_round()
    client.get("/mal/2/")
    client.get("/mal/2/")  # kept in memory now
    report = reporting.status_report(number="2.10", text="Fler program har startat under 2025.")
    report.state = "submitted"
    report.save()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.approve(item=StatusReport.objects.get(pk=report.pk), user=coordinator)
    assert "Fler program har startat under 2025." in client.get("/mal/2/").content.decode()


def test_it_renders_again_after_a_correction(client, django_capture_on_commit_callbacks):
    client.get(URL)
    client.get(URL)
    edition = ReportEdition.objects.get(year=2024)
    with django_capture_on_commit_callbacks(execute=True):
        report_edition_correct(edition=edition, user=None, text="Tabell 5 ska ha 2023 i stället för 2022.")
    assert "Tabell 5 ska ha 2023 i stället för 2022." in client.get(URL).content.decode()


def test_it_never_keeps_a_draft_preview(client, coordinator):
    ReportEdition.objects.filter(year=2024).update(state="draft")
    cache.clear()
    client.force_login(coordinator)
    assert "Förhandsgranskning" in client.get(URL).content.decode()
    assert "Förhandsgranskning" in client.get(URL).content.decode()
    client.logout()
    assert client.get(URL).status_code == 404


def test_it_does_not_serve_an_old_copy_after_the_cache_was_emptied(client):
    client.get(URL)
    client.get(URL)  # kept in memory now
    cache.clear()
    Correction.objects.create(
        edition=ReportEdition.objects.get(year=2024), corrected_on=datetime.date(2025, 6, 1), text="Rättat medan cachen var tom."
    )
    client.get(URL)  # a new version is started
    assert "Rättat medan cachen var tom." in client.get(URL).content.decode()


def test_it_caches_a_page_with_a_long_query_string(client):
    import warnings

    from django.core.cache import CacheKeyWarning

    url = "/indikatorer/kriminalvarden-behandlingsprogram-vnr/?valt=1" + "&serie=1" * 60
    with warnings.catch_warnings():
        warnings.simplefilter("error", CacheKeyWarning)
        assert client.get(url).status_code == 200
        assert client.get(url).status_code == 200


def test_it_keeps_the_indicator_index_filters_in_the_page_key(client):
    everything = client.get("/indikatorer/").content.decode()
    client.get("/indikatorer/")  # kept in memory now
    goal_two = client.get("/indikatorer/?mal=2").content.decode()
    searched = client.get("/indikatorer/?q=kontaktförbud").content.decode()
    assert len({everything, goal_two, searched}) == 3, "each filter is its own page, never the cached whole list"


def test_it_shows_a_changed_lead_organisation_at_once(client, django_capture_on_commit_callbacks):
    newcomer = Organisation.objects.create(slug="nykomlingen", name="Nykomlingens förvaltning", kind=Organisation.COMMITTEE)
    client.get("/mal/2/")
    client.get("/mal/2/")  # kept in memory now
    assert "Nykomlingens förvaltning" not in client.get("/mal/2/").content.decode()
    commitment = Commitment.objects.filter(goal__number=2, plan__kind=ActionPlan.Kind.REGIONAL).first()
    # Only the link table changes (m2m_changed): no save of the commitment or the organisation.
    with django_capture_on_commit_callbacks(execute=True):
        commitment.lead_organisations.add(newcomer)
    assert "Nykomlingens förvaltning" in client.get("/mal/2/").content.decode()


def test_it_never_keeps_a_response_that_sets_a_cookie(client):
    client.get("/mal/2/")  # the page version exists now, so a page can be kept
    # A reader with a malformed session cookie: Django answers "/" by deleting it (a Set-Cookie).
    client.cookies["sessionid"] = "gammal"
    answered = client.get("/")
    assert answered.cookies["sessionid"].value == ""
    # The next reader, through the same worker (a Client's handler is one worker's memory).
    client.cookies.clear()
    with mock.patch("reports.pagecache.shared_page", wraps=pagecache.shared_page) as rendered:
        client.get("/")
    assert rendered.called, "the next reader got the page kept from a response that set a cookie"
    # That reader's own answer set no cookie, so it is kept: the guard, not a cold cache, made the difference.
    with mock.patch("reports.pagecache.shared_page", wraps=pagecache.shared_page) as rendered:
        client.get("/")
    assert not rendered.called


@pytest.mark.parametrize("serie", ["²", "٣", "１"])
def test_it_ignores_a_series_choice_that_is_not_an_ascii_number(client, serie):
    # "²".isdigit() is true but int("²") fails: a hand-edited or mangled link answered 500 on a public page.
    url = f"/indikatorer/kriminalvarden-behandlingsprogram-vnr/?valt=1&serie={serie}&serie=1"
    assert client.get(url).status_code == 200
