"""The desk's bulk approve carries the version of each item the coordinator saw: an item changed
between the desk and the confirmation is named and nothing is approved."""

import re
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from reporting.models import State

from . import reporting

pytestmark = pytest.mark.django_db

URL = "workspace:desk_bulk_approve"


@pytest.fixture
def items(db):
    reporting.open_round()
    report = reporting.status_report(number="2.10", state=State.SUBMITTED, text="Texten som granskaren läste.")
    value = reporting.value(code="2.I5", state=State.SUBMITTED, number="12")
    return report, value


def hidden_fields(html):
    """The form's hidden fields as the browser would post them: [(name, value), …] without the CSRF token."""
    fields = re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html)
    return [(name, value) for name, value in fields if name != "csrfmiddlewaretoken"]


def desk_form(client, *keys):
    """What the desk's bulk form posts with `keys` ticked: the ticks and every item's shown version."""
    html = client.get(reverse("workspace:desk")).content.decode()
    return [("item", key) for key in keys] + [(n, v) for n, v in hidden_fields(html) if n.startswith("version-")]


def post(client, fields):
    data = {}
    for name, value in fields:
        data.setdefault(name, []).append(value)
    return client.post(reverse(URL), data)


def test_it_approves_what_the_desk_showed_when_nothing_changed(coordinator_client, items):
    report, value = items
    confirm = post(coordinator_client, desk_form(coordinator_client, f"statusrapport-{report.pk}", f"varde-{value.pk}"))
    assert "Godkänn 2 poster?" in confirm.content.decode()
    post(coordinator_client, hidden_fields(confirm.content.decode()))
    report.refresh_from_db()
    value.refresh_from_db()
    assert report.state == value.state == State.APPROVED


def test_it_refuses_an_item_changed_between_the_desk_and_the_confirmation(coordinator_client, items):
    report, value = items
    fields = desk_form(coordinator_client, f"statusrapport-{report.pk}", f"varde-{value.pk}")
    # Someone edits the value after the desk was shown, before the coordinator ticks and confirms.
    value.value = Decimal("99")
    value.save()
    confirm = post(coordinator_client, fields).content.decode()
    response = post(coordinator_client, hidden_fields(confirm))
    [message] = [str(m) for m in get_messages(response.wsgi_request)]
    assert message.startswith("Inget godkändes.") and str(value) in message and "ändrat" in message
    assert str(report) not in message
    report.refresh_from_db()
    value.refresh_from_db()
    assert report.state == value.state == State.SUBMITTED and value.value == Decimal("99")


def test_it_refuses_an_item_changed_while_the_confirmation_was_open(coordinator_client, items):
    report, value = items
    confirm = post(coordinator_client, desk_form(coordinator_client, f"statusrapport-{report.pk}")).content.decode()
    report.text = "Ändrad medan bekräftelsen låg öppen."
    report.save()
    response = post(coordinator_client, hidden_fields(confirm))
    [message] = [str(m) for m in get_messages(response.wsgi_request)]
    assert str(report) in message and "Ladda om sidan" in message
    report.refresh_from_db()
    assert report.state == State.SUBMITTED


def test_it_names_every_changed_item(coordinator_client, items):
    report, value = items
    fields = desk_form(coordinator_client, f"statusrapport-{report.pk}", f"varde-{value.pk}")
    confirm = post(coordinator_client, fields).content.decode()
    for item in items:
        item.save()
    response = post(coordinator_client, hidden_fields(confirm))
    messages = " ".join(str(m) for m in get_messages(response.wsgi_request))
    assert str(report) in messages and str(value) in messages and "posterna" in messages


def test_it_says_one_post_in_the_singular(coordinator_client, items):
    report, _ = items
    page = post(coordinator_client, [("item", f"statusrapport-{report.pk}")]).content.decode()
    assert "Godkänn 1 post?" in page


def test_it_refuses_a_malformed_version_instead_of_approving_unchecked(coordinator_client, items):
    report, _ = items
    response = post(
        coordinator_client,
        [("item", f"statusrapport-{report.pk}"), ("confirm", "1"), (f"version-statusrapport-{report.pk}", "x\x00")],
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.state == State.SUBMITTED


@pytest.mark.parametrize("version", ["²", "tre", "-1", "9" * 12])
def test_it_refuses_a_transition_whose_shown_version_cannot_be_read(coordinator_client, items, version):
    """A version the desk never writes (a hand-made or damaged request) is not taken as "no version
    shown", which would approve whatever the item is now: the transition is refused and nothing changes."""
    report, _value = items
    url = reverse("workspace:desk_transition", args=["statusrapport", report.pk, "godkann"])
    response = coordinator_client.post(url, {"expected_version": version}, follow=True)
    report.refresh_from_db()
    assert report.state == State.SUBMITTED
    assert "Ladda om sidan" in response.content.decode()
