"""The coordinator's review desk: submitted items beside last year's approved, approve, return with a comment, bulk approve."""

from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse

from indicators.models import Value
from reporting.models import Notification, State
from workspace.desk import implausible_jump

from . import reporting
from .worker import run_worker
from reporting import workflow

pytestmark = pytest.mark.django_db


@pytest.fixture
def kv_reporter(make_user):
    user = make_user("rapportor-kv", "kriminalvarden", "rapportor")
    user.email = "kv@example.org"
    user.save()
    return user


def test_it_lists_submitted_items_beside_last_years_approved(coordinator_client, round_2025):
    from actions.models import StatusReport

    existing = StatusReport.objects.filter(
        commitment__number="2.10", commitment__plan__kind="regional", organisation__slug="kriminalvarden", year=2024
    )
    if existing.exists():
        existing.update(state=State.APPROVED, text="Förra årets godkända text.")
    else:
        reporting.status_report(number="2.10", year=2024, state=State.APPROVED, text="Förra årets godkända text.")
    reporting.status_report(number="2.10", state=State.SUBMITTED, text="Årets inskickade text.")
    reporting.status_report(number="5.3", state=State.DRAFT, text="Ett utkast syns inte.")
    html = coordinator_client.get(reverse("workspace:desk")).content.decode()
    assert "Årets inskickade text." in html and "Förra årets godkända text." in html
    assert "Ett utkast syns inte." not in html


def test_it_warns_when_a_value_jumps_more_than_plausible(coordinator_client, round_2025):
    value = reporting.value(code="2.I5", state=State.SUBMITTED, number="90")
    Value.objects.update_or_create(
        series=value.series, area=value.area, year=2024,
        defaults={"value": Decimal("12"), "missing_reason": "", "state": State.APPROVED},
    )
    html = coordinator_client.get(reverse("workspace:desk")).content.decode()
    assert "Stor förändring" in html
    assert implausible_jump("percent", Decimal("12"), Decimal("14")) == ""
    assert "+12 procentenheter" in implausible_jump("percent", Decimal("12"), Decimal("24"))
    assert implausible_jump("count", Decimal("100"), Decimal("140")) == ""
    assert "+60 %" in implausible_jump("count", Decimal("100"), Decimal("160"))


def test_it_returns_only_with_a_comment_and_mails_the_reporters_after_commit(
    coordinator_client, round_2025, kv_reporter, django_capture_on_commit_callbacks
):
    report = reporting.status_report(number="2.10", state=State.SUBMITTED)
    url = reverse("workspace:desk_transition", args=["statusrapport", report.pk, "returnera"])
    with django_capture_on_commit_callbacks(execute=True):
        coordinator_client.post(url, {"comment": "  "})
    report.refresh_from_db()
    assert report.state == State.SUBMITTED and mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        coordinator_client.post(url, {"comment": "Ange hur många som utbildats."})
        assert mail.outbox == []  # nothing leaves before the commit
    assert callbacks
    report.refresh_from_db()
    assert report.state == State.RETURNED
    assert mail.outbox == []  # queued for the worker: the request never waits for SMTP
    run_worker()
    [message] = mail.outbox
    assert message.to == ["kv@example.org"] and "Ange hur många som utbildats." in message.body
    assert reverse("workspace:commitment", args=[2025, report.commitment_id]) in message.body
    record = Notification.objects.get(kind=Notification.Kind.RETURNED)
    assert record.recipient == kv_reporter and record.sent_at is not None and "2.10" in record.item_label
    listing = coordinator_client.get(reverse("admin:reporting_notification_changelist")).content.decode()
    assert "kv@example.org" in listing and "Återskickad med kommentar" in listing


def test_it_keeps_a_failed_mail_on_record(coordinator_client, round_2025, kv_reporter, settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2  # nothing listens there
    report = reporting.status_report(number="2.10", state=State.SUBMITTED)
    with django_capture_on_commit_callbacks(execute=True):
        coordinator_client.post(
            reverse("workspace:desk_transition", args=["statusrapport", report.pk, "returnera"]), {"comment": "Rätta."}
        )
    run_worker()
    report.refresh_from_db()
    record = Notification.objects.get()
    assert report.state == State.RETURNED and record.sent_at is None and record.error


def test_it_approves_one_item(coordinator_client, round_2025):
    report = reporting.status_report(number="2.10", state=State.SUBMITTED)
    coordinator_client.post(reverse("workspace:desk_transition", args=["statusrapport", report.pk, "godkann"]))
    report.refresh_from_db()
    assert report.state == State.APPROVED


def test_it_bulk_approves_only_after_a_confirmation_listing_the_items(coordinator_client, round_2025):
    report = reporting.status_report(number="2.10", state=State.SUBMITTED)
    value = reporting.value(code="2.I5", state=State.SUBMITTED)
    items = [f"statusrapport-{report.pk}", f"varde-{value.pk}"]
    url = reverse("workspace:desk_bulk_approve")
    page = coordinator_client.post(url, {"item": items}).content.decode()
    assert "Godkänn 2 poster?" in page and str(report) in page and str(value) in page
    report.refresh_from_db()
    assert report.state == State.SUBMITTED
    coordinator_client.post(url, {"item": items, "confirm": "1"})
    report.refresh_from_db()
    value.refresh_from_db()
    assert report.state == value.state == State.APPROVED


def test_it_bulk_approves_nothing_when_one_item_is_refused(coordinator_client, round_2025):
    report = reporting.status_report(number="2.10", state=State.SUBMITTED)
    draft = reporting.status_report(number="5.3", state=State.DRAFT)
    coordinator_client.post(
        reverse("workspace:desk_bulk_approve"),
        {"item": [f"statusrapport-{report.pk}", f"statusrapport-{draft.pk}"], "confirm": "1"},
    )
    report.refresh_from_db()
    assert report.state == State.SUBMITTED


def test_it_mails_the_coordinators_when_an_organisation_has_submitted_everything(
    client, make_user, coordinator, round_2025, django_capture_on_commit_callbacks
):
    coordinator.email = "samordnare@example.org"
    coordinator.save()
    from actions.models import Commitment
    from strategy.models import Organisation

    reporter = make_user("rapportor-polisen", "polisen", "rapportor")
    police = Organisation.objects.get(slug="polisen")
    commitments = list(Commitment.objects.reported_by(police))
    reports = [reporting.status_report(number=c.number, org_slug="polisen") for c in commitments]
    with django_capture_on_commit_callbacks(execute=True):
        for report in reports[:-1]:
            workflow.submit(item=report, user=reporter)
    run_worker()
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        workflow.submit(item=reports[-1], user=reporter)
    run_worker()
    [message] = mail.outbox
    assert message.to == ["samordnare@example.org"] and "Polisen har skickat in allt" in message.subject


def test_it_mails_every_reporting_organisation_when_a_round_opens(
    coordinator_client, kv_reporter, make_user, django_capture_on_commit_callbacks
):
    source = make_user("rapportor-bra", "bra", "rapportor")
    source.email = "bra@example.org"
    source.save()
    round_2026 = reporting.open_round(2026)
    round_2026.is_open = False
    round_2026.save()
    with django_capture_on_commit_callbacks(execute=True):
        coordinator_client.post(
            reverse("admin:reporting_reportinground_changelist"),
            {"action": "open_rounds", "_selected_action": [round_2026.pk]},
        )
    run_worker()
    # Brå leads no commitment, but with a reporter its figures are its own to report (workspace.tasks).
    messages = {tuple(message.to): message for message in mail.outbox}
    assert set(messages) == {("kv@example.org",), ("bra@example.org",)}
    for message in messages.values():
        assert "Rapporteringen 2026 har öppnat" in message.subject and "/rapportering/" in message.body
    assert "Åtagande 2.10" in messages["kv@example.org",].body
    assert "Indikator 5.I3" in messages["bra@example.org",].body and "Åtagande" not in messages["bra@example.org",].body
    assert {n.reporting_round for n in Notification.objects.all()} == {round_2026}


def test_it_shows_the_whole_desk_for_a_link_to_an_organisation_that_no_longer_exists(coordinator_client, round_2025):
    # A bookmark or an old mail's link filtered by an organisation since renamed or removed answered 404.
    reporting.status_report(number="2.10", state=State.SUBMITTED, text="Årets inskickade text.")
    response = coordinator_client.get(reverse("workspace:desk"), {"organisation": "namnandrad-myndighet"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Organisationen i länken finns inte längre" in html and "Årets inskickade text." in html


def test_it_ignores_filters_and_choices_that_only_look_like_numbers(coordinator_client, round_2025):
    # "²²²²".isdigit() is true and int() refuses it: the desk answered 500.
    assert coordinator_client.get(reverse("workspace:desk"), {"ar": "²²²²"}).status_code == 200
    response = coordinator_client.post(reverse("workspace:desk_bulk_approve"), {"item": ["statusrapport-²"], "group": ["organisation-²"]})
    assert response.status_code == 302


def test_it_says_what_it_approved_or_returned_in_plain_swedish(coordinator_client):
    """The desk's message names the kind of item, with the adjective in its gender: en statusrapport är
    godkänd, ett värde är godkänt."""
    reporting.open_round()
    report = reporting.status_report(number="2.10", state=State.SUBMITTED, text="Klart.")
    value = reporting.value(code="2.I5", state=State.SUBMITTED, number="12")

    def message(kind, pk, transition, **data):
        url = reverse("workspace:desk_transition", args=[kind, pk, transition])
        page = coordinator_client.post(url, data, follow=True).content.decode()
        return " ".join(page.split())

    assert f"Statusrapporten {report} är godkänd." in message("statusrapport", report.pk, "godkann")
    assert f"Värdet {value} är återskickat med kommentar." in message("varde", value.pk, "returnera", comment="Fel år?")
