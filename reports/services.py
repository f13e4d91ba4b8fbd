"""Writes on report editions: publishing, and keeping the cached report pages fresh."""

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from indicators.models import Value

from .models import ReportEdition

CACHE_VERSION_KEY = "reports:page-version"
CACHE_TIMEOUT = 24 * 60 * 60


def report_cache_key(year):
    """The cache key of a report page; bumping the version retires every cached page at once."""
    version = cache.get_or_set(CACHE_VERSION_KEY, 1, timeout=None)
    return f"reports:page:{year}:v{version}"


def bump_report_cache():
    try:
        cache.incr(CACHE_VERSION_KEY)
    except ValueError:  # not set yet (or evicted): any new value retires the old keys
        cache.set(CACHE_VERSION_KEY, int(timezone.now().timestamp()), timeout=None)


def snapshot_of_published_values(year):
    """value id → [number as text or None, missing reason] for every approved value up to `year`."""
    rows = Value.objects.published().filter(year__lte=year).values_list("id", "value", "missing_reason")
    return {str(pk): [None if number is None else str(number), reason] for pk, number, reason in rows}


@transaction.atomic
def report_edition_publish(*, edition, user):
    """Publish an edition and freeze the figures it shows.

    Publishing again keeps the first snapshot: a published edition stays as it was
    published. `user` is recorded in the edition's history.
    """
    edition = ReportEdition.objects.select_for_update().get(pk=edition.pk)
    if not edition.snapshot:
        edition.snapshot = snapshot_of_published_values(edition.year)
    edition.state = ReportEdition.State.PUBLISHED
    edition.published_at = edition.published_at or timezone.now()
    edition._history_user = user
    edition.save()
    transaction.on_commit(bump_report_cache)
    return edition
