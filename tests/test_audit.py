"""The audit trail: every change to a reviewed item is recorded with who, when, and before/after."""

import pytest
from django.urls import reverse
from reporting.models import State

from . import reporting
from reporting import workflow

pytestmark = pytest.mark.django_db


@pytest.fixture
def reporter(make_user):
    reporting.open_round()
    return make_user("rapportor-kv", "kriminalvarden", "rapportor")


def test_it_records_who_moved_an_item_through_review(reporter, coordinator):
    report = reporting.status_report()
    workflow.submit(item=report, user=reporter)
    workflow.return_(item=report, user=coordinator, comment="Komplettera.")
    records = list(report.history.order_by("history_date"))
    assert [r.state for r in records] == [State.DRAFT, State.SUBMITTED, State.RETURNED]
    assert [r.history_user for r in records[1:]] == [reporter, coordinator]
    assert records[2].history_change_reason == "Återskickad med kommentar"
    delta = records[2].diff_against(records[1])
    changed = {c.field: (c.old, c.new) for c in delta.changes}
    assert changed["state"] == (State.SUBMITTED, State.RETURNED)
    assert changed["reviewer_comment"] == ("", "Komplettera.")


def test_it_records_value_changes_with_before_and_after(reporter, coordinator):
    value = reporting.value(number="10")
    workflow.submit(item=value, user=reporter)
    workflow.approve(item=value, user=coordinator)
    latest, previous = value.history.order_by("-history_date")[:2]
    assert latest.history_user == coordinator
    changed = {c.field: (c.old, c.new) for c in latest.diff_against(previous).changes}
    assert changed["state"] == (State.SUBMITTED, State.APPROVED)


def test_it_records_admin_edits_by_the_user_who_made_them(client, reporter):
    report = reporting.status_report(text="Före.")
    client.force_login(reporter)
    data = {
        "commitment": report.commitment_id,
        "organisation": report.organisation_id,
        "year": report.year,
        "category": "ongoing",
        "text": "Efter.",
        "expected_version": report.version,
    }
    client.post(reverse("admin:actions_statusreport_change", args=[report.pk]), data)
    latest = report.history.latest("history_date")
    assert (latest.history_user, latest.text) == (reporter, "Efter.")


def test_it_shows_the_changed_fields_on_the_history_page(client, reporter, coordinator):
    report = reporting.status_report(text="Före.")
    workflow.submit(item=report, user=reporter)
    workflow.return_(item=report, user=coordinator, comment="Saknar utfall.")
    client.force_login(reporter)
    html = client.get(reverse("admin:actions_statusreport_history", args=[report.pk])).content.decode()
    assert "Saknar utfall." in html
    assert "rapportor-kv" in html and coordinator.username in html
    assert "Återskickad" in html


def test_it_does_not_let_anyone_revert_through_history(coordinator_client, reporter):
    report = reporting.status_report()
    first = report.history.earliest("history_date")
    url = reverse("admin:actions_statusreport_simple_history", args=[report.pk, first.history_id])
    assert coordinator_client.get(url).status_code == 200
    assert coordinator_client.post(url, {"text": "återställd"}).status_code == 403
