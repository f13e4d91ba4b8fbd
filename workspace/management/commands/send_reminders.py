"""Remind organisations with items still to submit, 14 and 3 days before the round's deadline.

Meant for a daily cron job or systemd timer; safe to run more often: each
reminder goes at most once per round, organisation and address (the
Notification table's named unique constraint). A run that misses the 14th day
sends the 14-day reminder on the next run before the 3-day window.
"""

import datetime

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from reporting.models import Notification, ReportingRound
from workspace import mail
from workspace.tasks import round_progress

# (kind, first day of its window in days before the deadline, last day)
WINDOWS = [(Notification.Kind.REMINDER_3, 3, 0), (Notification.Kind.REMINDER_14, 14, 4)]


def reminder_kind(days_left):
    for kind, first, last in WINDOWS:
        if last <= days_left <= first:
            return kind
    return None


def send_reminders(today):
    """The Notifications created (and sent after commit) for `today`."""
    sent = []
    for reporting_round in ReportingRound.objects.open().order_by("year"):
        days_left = (reporting_round.deadline - today).days
        kind = reminder_kind(days_left)
        if kind is None:
            continue
        with transaction.atomic():
            for progress in round_progress(year=reporting_round.year).values():
                if progress.outstanding:
                    sent += mail.reminder(kind, reporting_round, progress, days_left)
    return sent


class Command(BaseCommand):
    help = "Skickar påminnelser 14 och 3 dagar före sista dag till organisationer som har poster kvar att skicka in."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Dagens datum (ÅÅÅÅ-MM-DD), för prov; annars i dag.")

    def handle(self, *args, date=None, **options):
        today = datetime.date.fromisoformat(date) if date else timezone.localdate()
        sent = send_reminders(today)
        self.stdout.write(f"{len(sent)} påminnelser skickade.")
