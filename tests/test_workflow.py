"""The review workflow: draft → submitted → returned → submitted → approved, the lock after publication, reopening."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from reporting.models import State

from . import reporting
from reporting import workflow

pytestmark = pytest.mark.django_db


@pytest.fixture
def reporter(make_user):
    reporting.open_round()
    return make_user("rapportor-kv", "kriminalvarden", "rapportor")


def test_it_walks_a_status_report_through_review(reporter, coordinator):
    report = reporting.status_report()
    workflow.submit(item=report, user=reporter)
    assert report.state == State.SUBMITTED and report.submitted_at is not None
    workflow.return_(item=report, user=coordinator, comment="Beskriv utfallet.")
    assert (report.state, report.reviewer_comment) == (State.RETURNED, "Beskriv utfallet.")
    workflow.submit(item=report, user=reporter)
    workflow.approve(item=report, user=coordinator)
    report.refresh_from_db()
    assert report.state == State.APPROVED
    assert report.approved_by == coordinator and report.approved_at is not None
    assert report.is_public


def test_it_walks_a_value_through_review(reporter, coordinator):
    value = reporting.value()
    workflow.submit(item=value, user=reporter)
    workflow.return_(item=value, user=coordinator, comment="Fel källa.")
    workflow.submit(item=value, user=reporter)
    workflow.approve(item=value, user=coordinator)
    value.refresh_from_db()
    assert (value.state, value.approved_by) == (State.APPROVED, coordinator)


@pytest.mark.parametrize(
    "state, transition",
    [
        (State.DRAFT, "approve"),
        (State.DRAFT, "return"),
        (State.RETURNED, "approve"),
        (State.APPROVED, "submit"),
        (State.APPROVED, "return"),
        (State.SUBMITTED, "submit"),
    ],
)
def test_it_refuses_illegal_transitions_in_swedish(reporter, coordinator, state, transition):
    report = reporting.status_report(state=state)
    calls = {
        "submit": lambda: workflow.submit(item=report, user=reporter),
        "return": lambda: workflow.return_(item=report, user=coordinator, comment="x"),
        "approve": lambda: workflow.approve(item=report, user=coordinator),
    }
    with pytest.raises(ValidationError, match="Bara"):
        calls[transition]()
    report.refresh_from_db()
    assert report.state == state


def test_it_needs_a_comment_to_return(reporter, coordinator):
    report = reporting.status_report(state=State.SUBMITTED)
    with pytest.raises(ValidationError, match="kommentar"):
        workflow.return_(item=report, user=coordinator, comment="  ")


def test_it_refuses_bulk_approval_entirely_if_one_item_is_not_submitted(reporter, coordinator):
    ready = reporting.status_report(state=State.SUBMITTED)
    draft = reporting.status_report(number="5.3")
    with pytest.raises(ValidationError):
        workflow.approve_all(items=[ready, draft], user=coordinator)
    ready.refresh_from_db()
    assert ready.state == State.SUBMITTED


def test_it_refuses_a_reporter_outside_an_open_round(make_user):
    reporter = make_user("rapportor-kv", "kriminalvarden", "rapportor")
    report = reporting.status_report()
    with pytest.raises(ValidationError, match="inte öppen"):
        workflow.submit(item=report, user=reporter)


def test_it_keeps_a_returned_report_returned_when_the_reporter_edits_it(client, reporter):
    report = reporting.status_report(state=State.RETURNED, reviewer_comment="Komplettera.")
    client.force_login(reporter)
    url = reverse("admin:actions_statusreport_change", args=[report.pk])
    page = client.get(url).content.decode()
    assert "Komplettera." in page and "Spara och skicka in för granskning" in page
    data = {
        "commitment": report.commitment_id,
        "organisation": report.organisation_id,
        "year": report.year,
        "category": "done",
        "text": "Kompletterat.",
        "expected_version": report.version,
    }
    assert client.post(url, data).status_code == 302
    report.refresh_from_db()
    assert (report.state, report.text) == (State.RETURNED, "Kompletterat.")


def test_it_lets_the_coordinator_return_and_approve_from_the_change_page(client, reporter, coordinator):
    report = reporting.status_report(state=State.SUBMITTED)
    client.force_login(coordinator)
    review_url = reverse("admin:actions_statusreport_review", args=[report.pk])
    client.post(review_url, {"transition": "return", "text": "Ange antal deltagare."})
    report.refresh_from_db()
    assert (report.state, report.reviewer_comment) == (State.RETURNED, "Ange antal deltagare.")
    report.state = State.SUBMITTED
    report.save()
    client.post(review_url, {"transition": "approve"})
    report.refresh_from_db()
    assert report.state == State.APPROVED


def test_it_locks_the_rounds_items_once_the_edition_is_published(client, reporter, coordinator):
    approved = reporting.status_report(state=State.APPROVED)
    submitted = reporting.status_report(number="5.3", state=State.SUBMITTED)
    reporting.publish_edition()
    with pytest.raises(ValidationError, match="låst"):
        workflow.approve(item=submitted, user=coordinator)
    with pytest.raises(ValidationError, match="låst"):
        workflow.return_(item=submitted, user=coordinator, comment="x")
    client.force_login(coordinator)
    url = reverse("admin:actions_statusreport_change", args=[approved.pk])
    assert client.post(url, {"text": "ändrat", "expected_version": approved.version}).status_code == 403
    assert client.post(reverse("admin:actions_statusreport_delete", args=[approved.pk]), {"post": "yes"}).status_code == 403


def test_it_reopens_one_item_without_unlocking_the_rest(reporter, coordinator):
    reopened = reporting.status_report(state=State.APPROVED)
    other = reporting.status_report(number="5.3", state=State.APPROVED)
    reporting.publish_edition()
    with pytest.raises(ValidationError, match="skäl"):
        workflow.reopen(item=reopened, user=coordinator, reason="")
    workflow.reopen(item=reopened, user=coordinator, reason="Felaktig siffra i texten.")
    reopened.refresh_from_db()
    other.refresh_from_db()
    assert not reopened.is_locked and other.is_locked
    assert (reopened.state, reopened.reopened_by) == (State.RETURNED, coordinator)
    assert reopened.reopened_reason == "Felaktig siffra i texten."
    # The reporter can fix and resubmit it even though the round has ended.
    workflow.submit(item=reopened, user=reporter)
    with pytest.raises(ValidationError, match="låst"):
        workflow.submit(item=other, user=reporter)
    workflow.approve(item=reopened, user=coordinator)
    reopened.refresh_from_db()
    assert reopened.is_locked and reopened.reopened_reason == "Felaktig siffra i texten."


def test_it_refuses_to_reopen_an_unlocked_item(reporter, coordinator):
    report = reporting.status_report(state=State.APPROVED)
    with pytest.raises(ValidationError, match="inte låst"):
        workflow.reopen(item=report, user=coordinator, reason="Varför inte")


def test_it_publishes_only_approved_values_in_the_download(client, reporter, coordinator):
    draft = reporting.value(number="11")
    approved = reporting.value(code="2.I7", number="222")
    workflow.submit(item=approved, user=coordinator)
    workflow.approve(item=approved, user=coordinator)
    workflow.submit(item=draft, user=reporter)
    csv = b"".join(client.get("/data/values.csv").streaming_content).decode()
    rows_2025 = [line for line in csv.splitlines() if ',"2025",' in line]
    assert any("2.I7" in line and ',"222",' in line for line in rows_2025)
    assert not any("2.I5" in line for line in rows_2025)


def test_it_shows_only_approved_status_reports_on_the_goal_page(
    client, reporter, coordinator, django_capture_on_commit_callbacks
):
    report = reporting.status_report(text="Hemligt utkast om 2025.")
    assert "Hemligt utkast om 2025." not in client.get("/mal/2/").content.decode()
    workflow.submit(item=report, user=reporter)
    assert "Hemligt utkast om 2025." not in client.get("/mal/2/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.approve(item=report, user=coordinator)
    assert "Hemligt utkast om 2025." in client.get("/mal/2/").content.decode()
