"""Writes on report editions: publishing, and keeping the cached report pages fresh."""

from django.db import transaction
from django.utils import timezone

from indicators.models import Value
from reporting.services import reporting_year_lock

from . import pagecache
from .models import ReportEdition

def snapshot_of_published_values(edition):
    """value id → [number as text or None, missing reason] for every approved value the edition shows.

    Only what the report draws (own area and the nation, its years): the snapshot
    stays small however many municipal values there are.
    """
    rows = (
        Value.objects.published()
        .on_pages()
        .filter(year__lte=edition.year, year__gte=edition.strategy.first_report_year)
        .values_list("id", "value", "missing_reason")
    )
    return {str(pk): [None if number is None else str(number), reason] for pk, number, reason in rows}


@transaction.atomic
def report_edition_publish(*, edition, user):
    """Publish an edition and freeze the figures it shows.

    Publishing again keeps the first snapshot: a published edition stays as it was
    published. `user` is recorded in the edition's history.
    """
    edition = ReportEdition.objects.select_for_update(of=("self",)).select_related("strategy").get(pk=edition.pk)
    if not edition.snapshot:
        edition.snapshot = snapshot_of_published_values(edition)
    edition.state = ReportEdition.State.PUBLISHED
    edition.published_at = edition.published_at or timezone.now()
    edition._history_user = user
    edition.save()
    reporting_year_lock(year=edition.year)
    transaction.on_commit(pagecache.bump)
    return edition
