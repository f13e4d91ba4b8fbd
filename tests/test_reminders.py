"""The reminder command: 14 and 3 days before the deadline, to organisations with items left, never twice."""

import datetime
import re

import pytest
from django.core import mail
from django.core.management import call_command

from actions.models import Commitment
from indicators.models import Indicator
from reporting.models import Notification, ReportingRound, State
from strategy.models import Organisation

from . import reporting
from .worker import run_worker

pytestmark = pytest.mark.django_db

DEADLINE = datetime.date(2026, 3, 1)


@pytest.fixture
def round_2025():
    return ReportingRound.objects.create(year=2025, deadline=DEADLINE, is_open=True)


@pytest.fixture
def reporters(make_user):
    users = {}
    for slug in ["polisen", "kriminalvarden", "aklagarmyndigheten"]:
        user = make_user(f"rapportor-{slug}", slug, "rapportor")
        user.email = f"{slug}@example.org"
        user.save()
        users[slug] = user
    return users


def complete(slug):
    """Submit everything the organisation must report for 2025."""
    organisation = Organisation.objects.get(slug=slug)
    for commitment in Commitment.objects.reported_by(organisation):
        reporting.status_report(number=commitment.number, org_slug=slug, state=State.SUBMITTED)
    for indicator in Indicator.objects.active().filter(responsible=organisation, series__isnull=False).distinct():
        reporting.every_series(code=indicator.code, state=State.APPROVED)


def remind(day, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", date=day.isoformat())
    run_worker()  # the mails go out from the background worker


def recipients():
    return sorted(address for message in mail.outbox for address in message.to)


def test_it_reminds_at_14_days_everyone_with_items_left_but_not_the_complete(
    round_2025, reporters, django_capture_on_commit_callbacks
):
    complete("polisen")
    remind(DEADLINE - datetime.timedelta(days=15), django_capture_on_commit_callbacks)
    assert mail.outbox == []
    remind(DEADLINE - datetime.timedelta(days=14), django_capture_on_commit_callbacks)
    assert recipients() == ["aklagarmyndigheten@example.org", "kriminalvarden@example.org"]
    message = next(m for m in mail.outbox if m.to == ["kriminalvarden@example.org"])
    assert "1 mars 2026" in message.subject and "om 14 dagar" in message.body
    assert re.search(r"Åtagande 2\.10 \w[^\n]*: saknas", message.body) and "http://" in message.body
    assert Notification.objects.filter(kind=Notification.Kind.REMINDER_14, sent_at__isnull=False).count() == 2


def test_it_never_sends_the_same_reminder_twice(round_2025, reporters, django_capture_on_commit_callbacks):
    for days in [14, 14, 13, 10, 4]:
        remind(DEADLINE - datetime.timedelta(days=days), django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 3  # one 14-day reminder each for polisen, kriminalvården, åklagarmyndigheten
    remind(DEADLINE - datetime.timedelta(days=3), django_capture_on_commit_callbacks)
    remind(DEADLINE - datetime.timedelta(days=3), django_capture_on_commit_callbacks)
    remind(DEADLINE - datetime.timedelta(days=1), django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 6
    kinds = Notification.objects.filter(email="polisen@example.org").values_list("kind", flat=True)
    assert sorted(kinds) == [Notification.Kind.REMINDER_14, Notification.Kind.REMINDER_3]


def test_it_reminds_at_3_days_only_those_still_missing_items(round_2025, reporters, django_capture_on_commit_callbacks):
    remind(DEADLINE - datetime.timedelta(days=14), django_capture_on_commit_callbacks)
    complete("kriminalvarden")
    mail.outbox.clear()
    remind(DEADLINE - datetime.timedelta(days=3), django_capture_on_commit_callbacks)
    assert recipients() == ["aklagarmyndigheten@example.org", "polisen@example.org"]
    assert "om 3 dagar" in mail.outbox[0].body


def test_it_sends_nothing_after_the_deadline_or_for_a_closed_round(round_2025, reporters, django_capture_on_commit_callbacks):
    remind(DEADLINE + datetime.timedelta(days=1), django_capture_on_commit_callbacks)
    round_2025.is_open = False
    round_2025.save()
    remind(DEADLINE - datetime.timedelta(days=3), django_capture_on_commit_callbacks)
    assert mail.outbox == []


def test_it_refuses_a_second_identical_reminder_in_the_database(round_2025, reporters):
    from django.db import IntegrityError, transaction

    fields = dict(kind=Notification.Kind.REMINDER_3, email="polisen@example.org", reporting_round=round_2025,
                  organisation=Organisation.objects.get(slug="polisen"), subject="s", body="b")
    Notification.objects.create(**fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(**fields)
