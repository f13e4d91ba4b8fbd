"""The round's mails are templates (subject, text and HTML): item titles, the coordinator's contact, the site's address."""

import datetime

import pytest
from django.core import mail

from actions.models import Commitment
from reporting.models import Notification, ReportingRound
from workspace import mail as workspace_mail
from workspace.tasks import round_progress

from .worker import run_worker

pytestmark = pytest.mark.django_db


@pytest.fixture
def reporting_round(db):
    return ReportingRound.objects.create(year=2025, opens_on=datetime.date(2026, 1, 15), deadline=datetime.date(2026, 3, 1))


def test_it_names_each_item_by_its_code_and_title_and_the_coordinator_to_contact(settings, reporting_round):
    settings.COORDINATOR_CONTACT_NAME = "Anna Samordnare"
    settings.COORDINATOR_CONTACT_EMAIL = "anna.samordnare@lansstyrelsen.se"
    settings.SITE_URL = "http://127.0.0.1:8123"
    mails = workspace_mail.round_opened_mails(reporting_round, round_progress(year=2025))
    police = next(m for m in mails if m.organisation.slug == "polisen")
    commitment = Commitment.objects.get(plan__kind="regional", number="1.6")
    assert police.subject == "Rapporteringen 2025 har öppnat – sista dag 1 mars 2026"
    assert f"- Åtagande 1.6 {commitment.text[:40]}" in police.body
    assert "Kontakt: Anna Samordnare <anna.samordnare@lansstyrelsen.se>" in police.body
    assert "http://127.0.0.1:8123/rapportering/" in police.body and "8000" not in police.body
    assert '<a href="http://127.0.0.1:8123/rapportering/">' in police.html and '<html lang="sv">' in police.html
    assert "<li>Åtagande 1.6 " in police.html


def test_it_sends_text_with_an_html_alternative_through_the_worker(
    make_user, reporting_round, django_capture_on_commit_callbacks
):
    user = make_user("polis", "polisen", "rapportör")
    user.email = "polis@example.org"
    user.save()
    with django_capture_on_commit_callbacks(execute=True):
        workspace_mail.round_opened(reporting_round, round_progress(year=2025))
    run_worker()
    [message] = [m for m in mail.outbox if m.to == ["polis@example.org"]]
    [(html, kind)] = message.alternatives
    assert kind == "text/html" and "<ul>" in html and "Sista dag att rapportera: 1 mars 2026." in message.body
    assert Notification.objects.get(email="polis@example.org").body_html == html


def test_it_escapes_names_in_the_html_but_not_in_the_text(reporting_round):
    item = type("Item", (), {"year": 2025, "reviewer_comment": "Se <b>rad 2</b> & rätta", "__str__": lambda self: "Värde <x>"})()
    subject, text, html = workspace_mail.render_mail(
        "item_returned",
        {"item": item, "organisation": type("O", (), {"display_name": "A & B"})(), "year": 2025,
         "comment": item.reviewer_comment, "link": "http://x/"},
    )
    assert subject == "Återskickad med kommentar: Värde <x>"
    assert "Se <b>rad 2</b> & rätta" in text and "A & B" in text
    assert "Se &lt;b&gt;rad 2&lt;/b&gt; &amp; rätta" in html and "A &amp; B" in html
