"""The round's completeness: what each organisation still lacks, in a fixed number of queries, and where the admin leads."""

import pytest
from django.urls import reverse

from reporting.models import ReportingRound, State
from workspace.tasks import MISSING, round_progress

from . import reporting

pytestmark = pytest.mark.django_db


def test_it_lists_each_organisations_commitments_and_indicators(round_2025, kv_reporter):
    reporting.status_report(number="2.10", state=State.SUBMITTED)
    reporting.status_report(number="5.3", state=State.RETURNED)
    reporting.every_series(code="2.I5", state=State.APPROVED)
    progress = {p.organisation.slug: p for p in round_progress(year=2025).values()}
    kv = progress["kriminalvarden"]
    assert {t.subject.number: t.state for t in kv.commitments} == {
        "2.10": State.SUBMITTED,
        "5.3": State.RETURNED,
        "5.4": MISSING,
        "8.6": MISSING,
    }
    assert {t.subject.code: t.state for t in kv.indicators} == {"2.I5": State.APPROVED}
    assert {"lansstyrelsen", "polisen", "region-stockholm"} <= set(progress)


def test_it_runs_one_query_per_table_whatever_the_amount_of_data(round_2025, kv_reporter, django_assert_num_queries):
    with django_assert_num_queries(8):
        round_progress(year=2025)
    for number in ["2.10", "5.3", "5.4"]:
        reporting.status_report(number=number)
    reporting.value(code="2.I7")
    with django_assert_num_queries(8):
        round_progress(year=2025)


def test_it_leads_the_coordinator_from_the_old_address_to_the_matrix(coordinator_client, round_2025):
    response = coordinator_client.get(reverse("admin:reporting_reportinground_completeness", args=[2025]))
    assert response["Location"] == reverse("workspace:matrix", args=[2025])
    html = coordinator_client.get(response["Location"]).content.decode()
    assert "Rapporteringsläge 2025" in html and "Kriminalvården" in html and "Polisen" in html


def test_it_leads_a_reporter_to_its_workspace(client, make_user, round_2025):
    client.force_login(make_user("rapportor-kv", "kriminalvarden", "rapportor"))
    response = client.get(reverse("admin:reporting_reportinground_completeness", args=[2025]))
    assert response["Location"] == reverse("workspace:home")


def test_it_links_the_open_round_from_the_admin_index(client, make_user, round_2025):
    client.force_login(make_user("rapportor-kv", "kriminalvarden", "rapportor"))
    html = client.get(reverse("admin:index")).content.decode()
    assert reverse("workspace:home") in html and "Att rapportera 2025" in html


def test_it_links_the_matrix_and_the_desk_for_the_coordinator(coordinator_client, round_2025):
    html = coordinator_client.get(reverse("admin:index")).content.decode()
    assert reverse("workspace:matrix", args=[2025]) in html and reverse("workspace:desk") in html


def test_it_refuses_staff_without_an_organisation(client, django_user_model, round_2025):
    user = django_user_model.objects.create_user("utan-org", password="x", is_staff=True)
    client.force_login(user)
    assert client.get(reverse("admin:reporting_reportinground_completeness", args=[2025])).status_code == 403
    assert client.get(reverse("workspace:home")).status_code == 403


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


def test_it_links_every_item_in_the_workspace_to_its_focused_form(client, make_user, round_2025):
    client.force_login(make_user("rapportor-kv", "kriminalvarden", "rapportor"))
    commitment = reporting.status_report().commitment
    html = client.get(reverse("workspace:home")).content.decode()
    assert reverse("workspace:commitment", args=[2025, commitment.pk]) in html
    assert reverse("workspace:commitment", args=[2025, commitment.__class__.objects.get(plan__kind="regional", number="5.4").pk]) in html
