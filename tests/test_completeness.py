"""The completeness view: per organisation, what the round still lacks, in a fixed number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reporting.models import ReportingRound
from reports.completeness import MISSING, round_completeness
from reporting.models import State

from . import reporting

pytestmark = pytest.mark.django_db


@pytest.fixture
def round_2025():
    return reporting.open_round()


def progress_for(progress, slug):
    return next(p for p in progress if p.organisation.slug == slug)


def test_it_lists_each_lead_organisations_commitments_and_indicators(round_2025):
    reporting.status_report(number="2.10", state=State.SUBMITTED)
    reporting.status_report(number="5.3", state=State.RETURNED)
    reporting.value(code="2.I5", state=State.APPROVED)
    progress = round_completeness(year=2025)
    kv = progress_for(progress, "kriminalvarden")
    assert {r.label: r.state for r in kv.commitments} == {
        "2.10": State.SUBMITTED,
        "5.3": State.RETURNED,
        "5.4": MISSING,
        "8.6": MISSING,
    }
    indicators = {r.label: r.state for r in kv.indicators}
    assert indicators["2.I5"] == State.APPROVED and indicators["3.I6"] == MISSING
    assert {"lansstyrelsen", "polisen", "region-stockholm"} <= {p.organisation.slug for p in progress}


def test_it_runs_one_query_per_table_whatever_the_amount_of_data(round_2025, django_assert_num_queries):
    with django_assert_num_queries(5):
        round_completeness(year=2025)
    for number in ["2.10", "5.3", "5.4"]:
        reporting.status_report(number=number)
    reporting.value(code="2.I7")
    with django_assert_num_queries(5):
        round_completeness(year=2025)


def test_it_shows_the_coordinator_every_organisation(coordinator_client, round_2025):
    reporting.status_report(number="1.1", org_slug="lansstyrelsen", state=State.DRAFT)
    url = reverse("admin:reporting_reportinground_completeness", args=[2025])
    with CaptureQueriesContext(connection) as few:
        response = coordinator_client.get(url)
    html = response.content.decode()
    assert response.status_code == 200 and "Rapporteringsläge 2025" in html
    assert "Kriminalvården" in html and "Polisen" in html
    for number in ["2.10", "5.3", "5.4", "8.6"]:
        reporting.status_report(number=number)
    with CaptureQueriesContext(connection) as more:
        coordinator_client.get(url)
    assert len(more) == len(few)


def test_it_shows_a_reporter_only_its_own_organisation(client, make_user, round_2025):
    client.force_login(make_user("rapportor-kv", "kriminalvarden", "rapportor"))
    reporting.status_report(number="1.1", org_slug="lansstyrelsen", text="Länsstyrelsens utkast")
    response = client.get(reverse("admin:reporting_reportinground_completeness", args=[2025]))
    assert response.status_code == 200
    progress = response.context["progress"]
    assert [p.organisation.slug for p in progress] == ["kriminalvarden"]
    assert "Att rapportera 2025" in response.content.decode()


def test_it_links_the_open_round_from_the_admin_index(client, make_user, round_2025):
    client.force_login(make_user("rapportor-kv", "kriminalvarden", "rapportor"))
    html = client.get(reverse("admin:index")).content.decode()
    assert reverse("admin:reporting_reportinground_completeness", args=[2025]) in html
    assert "Att rapportera 2025" in html


def test_it_refuses_staff_without_an_organisation(client, django_user_model, round_2025):
    user = django_user_model.objects.create_user("utan-org", password="x", is_staff=True)
    client.force_login(user)
    assert client.get(reverse("admin:reporting_reportinground_completeness", args=[2025])).status_code == 403


def test_it_lets_the_coordinator_open_and_close_rounds(coordinator_client):
    reporting.open_round(2026)
    rounds = reverse("admin:reporting_reportinground_changelist")
    r = ReportingRound.objects.get(year=2026)
    coordinator_client.post(rounds, {"action": "close_rounds", "_selected_action": [r.pk]})
    r.refresh_from_db()
    assert not r.is_open and r.closed_at is not None
    coordinator_client.post(rounds, {"action": "open_rounds", "_selected_action": [r.pk]})
    r.refresh_from_db()
    assert r.is_open


def test_it_does_not_let_reporters_open_rounds(client, make_user):
    client.force_login(make_user("rapportor-kv", "kriminalvarden", "rapportor"))
    r = reporting.open_round(2026)
    client.post(reverse("admin:reporting_reportinground_changelist"), {"action": "close_rounds", "_selected_action": [r.pk]})
    r.refresh_from_db()
    assert r.is_open


def test_it_links_a_missing_report_to_a_prefilled_add_form(client, make_user, round_2025):
    client.force_login(make_user("rapportor-kv", "kriminalvarden", "rapportor"))
    html = client.get(reverse("admin:reporting_reportinground_completeness", args=[2025])).content.decode()
    commitment = reporting.status_report().commitment  # 2.10 now has a draft: a change link
    assert reverse("admin:actions_statusreport_add") + f"?commitment=" in html
    html = client.get(reverse("admin:reporting_reportinground_completeness", args=[2025])).content.decode()
    report_url = reverse("admin:actions_statusreport_change", args=[commitment.status_reports.get(year=2025).pk])
    assert report_url in html
