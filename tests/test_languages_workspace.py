"""The reporters' workspace and the review desk follow the language the user chose (the cookie); the mails stay Swedish."""

import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse

from indicators.models import Value
from reporting.models import Notification, State

from . import reporting

pytestmark = pytest.mark.django_db


def html_lang(page):
    return re.search(r'<html lang="([^"]+)"', page).group(1)


@pytest.fixture
def reporter_client(client, make_user):
    user = make_user("rapportor-kv", "kriminalvarden", "rapportor")
    user.email = "kv@example.org"
    user.save()
    client.force_login(user)
    return client


def test_it_shows_the_reporters_workspace_in_english_with_the_cookie_and_in_swedish_without(reporter_client, round_2025):
    reporting.status_report(number="2.10", state=State.RETURNED, reviewer_comment="Ange antalet.")
    swedish = reporter_client.get(reverse("workspace:home")).content.decode()
    assert html_lang(swedish) == "sv"
    assert "Att rapportera för Kriminalvården" in swedish and "Sista dag att rapportera" in swedish
    assert "Återskickad med kommentar" in swedish

    reporter_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = reporter_client.get(reverse("workspace:home")).content.decode()
    assert html_lang(english) == "en"
    assert "To report for Kriminalvården" in english and "Last day to report" in english
    assert "Returned with a comment" in english  # a state label from workspace.tasks
    assert "Commitments and measures" in english and "Log out" in english
    assert "Att rapportera" not in english and "Sista dag" not in english


def test_it_shows_the_desk_in_english_with_the_cookie_and_in_swedish_without(coordinator_client, round_2025):
    value = reporting.value(code="2.I5", state=State.SUBMITTED, number="1234.5")
    Value.objects.update_or_create(
        series=value.series, area=value.area, year=2024,
        defaults={"value": Decimal("12"), "missing_reason": "", "state": State.APPROVED},
    )
    reporting.status_report(number="2.10", state=State.SUBMITTED, text="Årets inskickade text.")
    swedish = coordinator_client.get(reverse("workspace:desk")).content.decode()
    assert html_lang(swedish) == "sv"
    assert "<strong>2</strong> poster väntar på granskning." in swedish
    assert "Stor förändring: +10\u00a0188 % sedan förra godkända värdet." in swedish

    coordinator_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = coordinator_client.get(reverse("workspace:desk")).content.decode()
    assert html_lang(english) == "en"
    assert "<h1>Review</h1>" in english
    assert "<strong>2</strong> items await review." in english
    assert "Large change: +10,188 % since the previous approved value." in english  # the page's words and notation
    assert "Return with a comment" in english and "Previous approved" in english
    assert "Årets inskickade text." in english  # the reporter's words are content, never translated
    assert "väntar på granskning" not in english


def test_it_mails_in_swedish_whatever_language_the_coordinator_works_in(
    coordinator_client, round_2025, make_user, django_capture_on_commit_callbacks
):
    reporter = make_user("rapportor-kv", "kriminalvarden", "rapportor")
    reporter.email = "kv@example.org"
    reporter.save()
    report = reporting.status_report(number="2.10", state=State.SUBMITTED)
    coordinator_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with django_capture_on_commit_callbacks(execute=False):
        response = coordinator_client.post(
            reverse("workspace:desk_transition", args=["statusrapport", report.pk, "returnera"]),
            {"comment": "Rätta."},
            follow=True,
        )
    assert "returned with a comment." in response.content.decode()  # the desk's message: English
    mail = Notification.objects.get(kind=Notification.Kind.RETURNED)
    assert mail.subject.startswith("Återskickad med kommentar:")
    assert "Kommentar från samordnaren:" in mail.body and "Vänliga hälsningar" in mail.body
    assert '<html lang="sv">' in mail.body_html
