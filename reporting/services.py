"""Writes on reporting rounds: opening, closing, and locking the years a published report covers."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from .models import LockedYear, ReportingRound, year_is_locked
from .scoping import sees_everything
from .signals import round_opened


@transaction.atomic
def reporting_round_open(*, reporting_round: ReportingRound, user) -> ReportingRound:
    if not sees_everything(user):
        raise PermissionDenied(gettext("Bara samordnare kan öppna en rapporteringsomgång."))
    if reporting_round.locked_at is not None or year_is_locked(reporting_round.year):
        raise ValidationError(
            gettext("Lägesrapporten för %(year)s är redan publicerad och året är låst.") % {"year": reporting_round.year}
        )
    # Read under a row lock: two clicks on Öppna at once open (and mail) once.
    if ReportingRound.objects.select_for_update().filter(pk=reporting_round.pk, is_open=True).exists():
        reporting_round.refresh_from_db()
        return reporting_round  # already open: the reporters were told when it opened
    reporting_round.is_open, reporting_round.opened_at, reporting_round.closed_at = True, timezone.now(), None
    reporting_round.save()
    round_opened.send(sender=ReportingRound, reporting_round=reporting_round, user=user)
    return reporting_round


@transaction.atomic
def reporting_round_close(*, reporting_round: ReportingRound, user) -> ReportingRound:
    if not sees_everything(user):
        raise PermissionDenied(gettext("Bara samordnare kan stänga en rapporteringsomgång."))
    if not reporting_round.is_open:
        return reporting_round  # closed already (or never opened): nothing to record
    reporting_round.is_open, reporting_round.closed_at = False, timezone.now()
    reporting_round.save()
    return reporting_round


@transaction.atomic
def reporting_years_lock(*, years, reason):
    """Lock every year a published report edition covers, whatever rounds exist.

    Called by the reports app when it publishes an edition. A locked item then
    changes only after a coordinator reopens it (the write policy says so).
    """
    now = timezone.now()
    rounds = {r.year: r for r in ReportingRound.objects.filter(year__in=list(years))}
    for year in years:
        lock, _ = LockedYear.objects.get_or_create(year=year, defaults={"reason": reason})
        if lock.reporting_round_id is None and year in rounds:
            lock.reporting_round = rounds[year]
            lock.save(update_fields=["reporting_round"])
    ReportingRound.objects.filter(year__in=list(years), locked_at__isnull=True).update(
        locked_at=now, is_open=False, closed_at=now
    )
