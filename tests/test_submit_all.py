"""A reporter submits all its drafts of the year at once, after a confirmation listing them."""

import pytest
from django.urls import reverse

from actions.models import StatusReport
from indicators.models import Value
from reporting.models import ReportingRound, State

from . import reporting

pytestmark = pytest.mark.django_db


@pytest.fixture
def kv_client(client, make_user):
    client.force_login(make_user("rapportor-kv", "kriminalvarden", "rapportör"))
    return client


@pytest.fixture
def drafts():
    reporting.open_round()
    return (
        reporting.status_report(number="2.10"),
        reporting.status_report(number="5.3", state=State.RETURNED, reviewer_comment="Komplettera."),
        reporting.status_report(number="5.4", text="", category="unknown"),  # says nothing yet
        reporting.value("2.I5"),
    )


def test_it_lists_the_drafts_first_and_submits_them_only_on_confirmation(kv_client, drafts):
    ready_report, returned, empty, value = drafts
    url = reverse("workspace:submit_all", args=[2025])
    assert reverse("workspace:submit_all", args=[2025]) in kv_client.get(reverse("workspace:home")).content.decode()
    page = kv_client.get(url).content.decode()
    assert "Ja, skicka in 3 poster" in page and "Kan inte skickas in än" in page
    assert StatusReport.objects.get(pk=ready_report.pk).state == State.DRAFT  # nothing yet

    response = kv_client.post(url, {"confirm": "1"}, follow=True)
    assert "3 poster är inskickade för granskning." in response.content.decode()
    states = {r.pk: r.state for r in StatusReport.objects.filter(pk__in=[ready_report.pk, returned.pk, empty.pk])}
    assert states == {ready_report.pk: State.SUBMITTED, returned.pk: State.SUBMITTED, empty.pk: State.DRAFT}
    assert Value.objects.get(pk=value.pk).state == State.SUBMITTED


def test_it_submits_nothing_without_the_confirmation_or_for_another_organisation(kv_client, make_user, drafts, client):
    url = reverse("workspace:submit_all", args=[2025])
    kv_client.post(url, {})
    assert not StatusReport.objects.filter(state=State.SUBMITTED).exists()
    kv_client.logout()
    client.force_login(make_user("rapportor-polis", "polisen", "rapportör"))
    client.post(url, {"confirm": "1"})
    assert not StatusReport.objects.filter(state=State.SUBMITTED).exists() and not Value.objects.filter(state=State.SUBMITTED).exists()


def test_it_submits_nothing_once_the_round_has_closed(kv_client, drafts):
    ready_report, returned, empty, value = drafts
    url = reverse("workspace:submit_all", args=[2025])
    kv_client.get(url)
    # Between the list and the confirmation, the round closes: the policy refuses, and nothing is submitted.
    ReportingRound.objects.filter(year=2025).update(is_open=False)
    response = kv_client.post(url, {"confirm": "1"}, follow=True)
    assert not StatusReport.objects.filter(state=State.SUBMITTED).exists()
    assert "Det finns inget utkast som kan skickas in nu." in response.content.decode()
