"""Background jobs of the reports: an edition's PDF, made by the worker after publication.

Publishing answers at once; the worker (`manage.py db_worker`) makes the PDF,
which takes seconds, and stores it once with its SHA-256. A failed run is
recorded on the EditionPdf (attempts, error), retried after
settings.TASK_RETRY_DELAYS and marked failed after the last one; each failed run
also stays as a failed task with its traceback (django_tasks_db's admin).
"""

import datetime
import hashlib
import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from . import pagecache
from .models import EditionPdf
from .pdf import edition_pdf, edition_source_html

log = logging.getLogger(__name__)


def edition_pdf_queue(edition):
    """Queue the PDF of a published edition, once the current transaction commits.

    Nothing is queued for a PDF already stored: it is never made again.
    """
    record, _ = EditionPdf.objects.get_or_create(edition_id=edition.pk)
    if record.is_ready:
        return record
    if record.state == EditionPdf.State.FAILED:
        # Queued again by hand (or by load_real_data): a fresh series of attempts.
        EditionPdf.objects.filter(pk=record.pk).update(state=EditionPdf.State.PENDING, attempts=0)
    edition_id = edition.pk
    transaction.on_commit(lambda: generate_edition_pdf.enqueue(edition_id))
    return record


@task()
def generate_edition_pdf(edition_id, attempt=1):
    """Make and store the edition's PDF; on failure record it and queue the next attempt, if any."""
    record = EditionPdf.objects.select_related("edition").defer("content").get(edition_id=edition_id)
    if record.is_ready:
        return record.sha256  # stored already: a published edition's PDF never changes
    edition = record.edition
    try:
        if not edition.is_published:
            raise ValueError(
                f"{edition} är inte publicerad; bara en publicerad lägesrapport får en sparad PDF."  # sv-only: stored by the worker
            )
        rendered = edition_pdf(edition, body_html=edition_source_html(edition))
    except Exception as exc:
        _failed(record, attempt, exc)
        raise  # the task itself is recorded as failed, with its traceback
    checksum = hashlib.sha256(rendered.data).hexdigest()
    with transaction.atomic():
        # Only a row without a PDF is filled: a run that lost a race to another never overwrites.
        EditionPdf.objects.filter(pk=record.pk).exclude(state=EditionPdf.State.READY).update(
            state=EditionPdf.State.READY,
            content=rendered.data,
            sha256=checksum,
            pages=rendered.pages,
            bytes=len(rendered.data),
            generated_at=timezone.now(),
            attempts=attempt,
            error="",
        )
        # The edition's page says whether its PDF is ready: let it be rendered again.
        transaction.on_commit(pagecache.bump)
    return checksum


def _failed(record, attempt, exc):
    delays = settings.TASK_RETRY_DELAYS
    last = attempt > len(delays)
    log.exception("PDF för %s misslyckades (försök %s)", record.edition, attempt)  # sv-only: a log line for operators
    EditionPdf.objects.filter(pk=record.pk).exclude(state=EditionPdf.State.READY).update(
        state=EditionPdf.State.FAILED if last else EditionPdf.State.PENDING,
        attempts=attempt,
        error=f"Försök {attempt}: {type(exc).__name__}: {exc}"[:2000],  # sv-only: stored by the worker
    )
    if not last:
        run_after = timezone.now() + datetime.timedelta(seconds=delays[attempt - 1])
        generate_edition_pdf.using(run_after=run_after).enqueue(record.edition_id, attempt=attempt + 1)

