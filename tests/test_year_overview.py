"""The coordinator's year overview: the round's step, progress per organisation, the report, the next action; confirmed open and close."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from reporting.models import Notification, ReportingRound, State

from . import reporting

pytestmark = pytest.mark.django_db

HOME = "/rapportering/"


@pytest.fixture
def kv_reporter(make_user):
    user = make_user("rapportor-kv", "kriminalvarden", "rapportor")
    get_user_model().objects.filter(pk=user.pk).update(email="kv@example.org", first_name="Kim", last_name="Kvist")
    return user


def test_it_lands_a_coordinator_on_the_year_overview_after_login(client, coordinator):
    response = client.post(reverse("admin:login"), {"username": "samordnare-test", "password": "pw-for-tests"})
    assert response.status_code == 302 and response["Location"] == HOME


def test_it_shows_the_round_progress_report_and_next_action(coordinator_client):
    ReportingRound.objects.create(year=2025, opens_on=datetime.date(2026, 1, 15), deadline=datetime.date(2026, 3, 1))
    reporting.status_report(number="2.10", state=State.SUBMITTED)
    response = coordinator_client.get(HOME)
    html = response.content.decode()
    assert response.status_code == 200 and "Årsöversikt" in html
    assert "Rapportering 2025" in html and "Rapportering 2026" in html
    assert "Omgången: planerad" in html and "15 januari 2026" in html and "1 mars 2026" in html
    assert reverse("workspace:round_open", args=[2025]) in html  # the next action
    assert "Kriminalvården" in html
    years = response.context["years"]
    kv = next(p for p in years[0].lines if p.organisation.slug == "kriminalvarden")
    assert kv.done == 1
    assert "Lägesrapporten 2025: inte publicerad än" in html and reverse("report_editions") in html
    assert "Skapa omgången 2026" in html  # no round for the next year yet


def test_it_shows_a_published_year_with_a_link_to_its_report(coordinator_client):
    reporting.open_round(2025)
    reporting.publish_edition(2025)
    html = coordinator_client.get(HOME).content.decode()
    assert "Lägesrapporten 2025: publicerad" in html and reverse("report_editor", args=[2025]) in html


def test_it_runs_the_same_number_of_queries_however_many_items(coordinator_client, django_assert_num_queries):
    reporting.open_round(2025)
    coordinator_client.get(HOME)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        coordinator_client.get(HOME)
    for number in ("2.10", "5.3", "5.4"):
        reporting.status_report(number=number, state=State.SUBMITTED)
    reporting.value(code="2.I5")
    with django_assert_num_queries(len(one.captured_queries)):
        coordinator_client.get(HOME)


def test_it_shows_the_mails_before_opening_and_opens_only_on_confirmation(
    coordinator_client, kv_reporter, django_capture_on_commit_callbacks
):
    ReportingRound.objects.create(year=2025, deadline=datetime.date(2026, 3, 1))
    url = reverse("workspace:round_open", args=[2025])
    html = coordinator_client.get(url).content.decode()
    assert "kv@example.org" in html and "Kim Kvist" in html
    assert "Rapporteringen 2025 har öppnat – sista dag 1 mars 2026" in html
    assert not ReportingRound.objects.get(year=2025).is_open  # looking changes nothing
    coordinator_client.post(url, {})  # no confirmation
    assert not ReportingRound.objects.get(year=2025).is_open
    with django_capture_on_commit_callbacks():
        response = coordinator_client.post(url, {"confirm": "1"})
    assert response.status_code == 302 and ReportingRound.objects.get(year=2025).is_open
    assert Notification.objects.filter(email="kv@example.org", reporting_round__year=2025).count() == 1


def test_it_tells_why_a_round_did_not_open(coordinator_client):
    ReportingRound.objects.create(year=2024, deadline=datetime.date(2025, 3, 31))  # 2024 is published
    response = coordinator_client.post(reverse("workspace:round_open", args=[2024]), {"confirm": "1"}, follow=True)
    assert "Rapportering 2024 öppnades inte. Lägesrapporten för 2024 är redan publicerad" in response.content.decode()


def test_it_closes_a_round_on_confirmation(coordinator_client):
    reporting.open_round(2025)
    url = reverse("workspace:round_close", args=[2025])
    html = coordinator_client.get(url).content.decode()
    assert "Inga utskick skickas" in html and ReportingRound.objects.get(year=2025).is_open
    coordinator_client.post(url, {"confirm": "1"})
    assert not ReportingRound.objects.get(year=2025).is_open
    assert reverse("report_editions") in coordinator_client.get(HOME).content.decode()


def test_it_does_not_let_a_reporter_open_or_close_a_round(client, kv_reporter):
    reporting.open_round(2025)
    ReportingRound.objects.create(year=2026, deadline=datetime.date(2027, 3, 1))
    client.force_login(kv_reporter)
    assert client.post(reverse("workspace:round_open", args=[2026]), {"confirm": "1"}).status_code == 403
    assert client.post(reverse("workspace:round_close", args=[2025]), {"confirm": "1"}).status_code == 403
    assert client.get(HOME).context.get("years") is None  # a reporter still sees the organisation's items


def test_it_creates_a_planned_round_in_the_workspace_checked_like_the_database_does(client, coordinator, make_user):
    client.force_login(coordinator)
    url = reverse("workspace:round_create")
    assert 'value="2026"' in client.get(url + "?year=2026").content.decode()
    refused = client.post(url, {"year": 2026, "opens_on": "2027-02-01", "deadline": "2027-01-15"})
    assert refused.status_code == 200 and not ReportingRound.objects.filter(year=2026).exists()
    assert "sista dag" in refused.content.decode().lower() or "öppn" in refused.content.decode().lower()
    assert client.post(url, {"year": 2031, "opens_on": "", "deadline": "2032-03-01"}).status_code == 200
    assert not ReportingRound.objects.filter(year=2031).exists()
    created = client.post(url, {"year": 2026, "opens_on": "2027-01-15", "deadline": "2027-03-01"})
    assert created.status_code == 302
    reporting_round = ReportingRound.objects.get(year=2026)
    assert not reporting_round.is_open and reporting_round.locked_at is None
    client.force_login(make_user("rapportor-kv", "kriminalvarden", "rapportör"))
    assert client.post(url, {"year": 2025, "deadline": "2026-03-01"}).status_code == 403
    assert not ReportingRound.objects.filter(year=2025).exists()


def test_it_says_in_plain_swedish_that_the_year_already_has_a_round(client, coordinator):
    # Django's own "Rapporteringsomgång med detta Uppföljningsår finns redan." named a field, capitalised, mid-sentence.
    ReportingRound.objects.create(year=2026, deadline=datetime.date(2027, 3, 1))
    client.force_login(coordinator)
    refused = client.post(reverse("workspace:round_create"), {"year": 2026, "opens_on": "2027-01-15", "deadline": "2027-03-01"})
    assert refused.status_code == 200
    html = refused.content.decode()
    assert "Det finns redan en rapporteringsomgång för 2026." in html and "Uppföljningsår finns redan" not in html
    assert ReportingRound.objects.filter(year=2026).count() == 1


def test_it_keeps_an_older_open_round_on_the_overview_when_the_next_one_opens(coordinator_client, kv_reporter, client):
    # With 2025 still open, opening 2026 moved the overview to 2026–2027: 2025 vanished, with no way to close it
    # there, and the reporters' workspace showed only 2026, hiding their 2025 drafts.
    reporting.open_round(2025)
    reporting.open_round(2026)
    reporting.status_report(number="2.10", year=2025, state=State.DRAFT, text="Utkastet för 2025.")
    years = coordinator_client.get(HOME).context["years"]
    assert [y.year for y in years] == [2025, 2026]
    assert years[0].next_action.url == reverse("workspace:round_close", args=[2025])
    client.force_login(kv_reporter)
    page = client.get(HOME).content.decode()
    assert "Rapportering 2026" in page and f'href="{HOME}?ar=2025"' in page  # the other open round, one click away
    older = client.get(HOME, {"ar": "2025"})
    assert older.context["reporting_round"].year == 2025
    assert reverse("workspace:commitment", args=[2025, older.context["progress"].commitments[0].subject.pk]) in older.content.decode()
    assert client.get(HOME, {"ar": "1999"}).context["reporting_round"].year == 2026  # no such round: the current one


def test_it_ignores_a_round_year_that_only_looks_like_a_number(client, kv_reporter):
    reporting.open_round(2025)
    client.force_login(kv_reporter)
    assert client.get(HOME, {"ar": "²²²²"}).status_code == 200
