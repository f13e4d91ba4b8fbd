"""Writes on reporting rounds: opening, closing, and locking a year once its report is published."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from .models import ReportingRound
from .scoping import sees_everything
from .signals import round_opened


@transaction.atomic
def reporting_round_open(*, reporting_round: ReportingRound, user) -> ReportingRound:
    if not sees_everything(user):
        raise PermissionDenied("Bara samordnare kan öppna en rapporteringsomgång.")
    if reporting_round.locked_at is not None:
        raise ValidationError(f"Lägesrapporten för {reporting_round.year} är redan publicerad.")
    reporting_round.is_open, reporting_round.opened_at, reporting_round.closed_at = True, timezone.now(), None
    reporting_round.save()
    round_opened.send(sender=ReportingRound, reporting_round=reporting_round, user=user)
    return reporting_round


@transaction.atomic
def reporting_round_close(*, reporting_round: ReportingRound, user) -> ReportingRound:
    if not sees_everything(user):
        raise PermissionDenied("Bara samordnare kan stänga en rapporteringsomgång.")
    reporting_round.is_open, reporting_round.closed_at = False, timezone.now()
    reporting_round.save()
    return reporting_round


def reporting_year_lock(*, year):
    """Lock the year's round: called by the reports app when it publishes the year's edition.

    A year without a round (loaded from the printed reports) has nothing to lock.
    """
    ReportingRound.objects.filter(year=year, locked_at__isnull=True).update(
        locked_at=timezone.now(), is_open=False, closed_at=timezone.now()
    )
