"""Writes on report editions: publishing, and keeping the cached report pages fresh."""

from django.db import transaction
from django.utils import timezone

from actions.models import ActionPlan, StatusReport
from indicators.models import Value
from indicators.selectors import PANEL_VALUE_FIELDS
from reporting.services import reporting_year_lock

from . import pagecache
from .models import ReportEdition
from .tasks import edition_pdf_queue

# A frozen value: what a chart and its table draw, and its place in the order they are drawn in.
FROZEN_VALUE_FIELDS = [f for f in PANEL_VALUE_FIELDS if f != "state"] + ["series__order"]

def edition_snapshot(edition):
    """Everything the edition shows of the reviewed data, as it is when it is published.

    Per value: the fields a chart and its table draw (number, missing reason,
    series, area, year, footnote); per status report of the regional plan:
    organisation, category and text. Only what the report draws (own area and the
    nation, its years): the snapshot stays small however many municipal values
    there are. The published page is drawn from this alone.
    """
    values = (
        Value.objects.published()
        .on_pages()
        .filter(year__lte=edition.year, year__gte=edition.strategy.first_report_year)
        .order_by("series__order", "series_id", "area_id", "year")
        .values(*FROZEN_VALUE_FIELDS)
    )
    reports = (
        StatusReport.objects.published()
        .filter(year=edition.year, commitment__plan__kind=ActionPlan.Kind.REGIONAL)
        .select_related("organisation")
        .order_by("commitment_id", "organisation__name")
    )
    return {
        "values": [{**row, "value": None if row["value"] is None else str(row["value"])} for row in values],
        "status_reports": [
            {
                "id": report.pk,
                "commitment_id": report.commitment_id,
                "organisation": report.organisation.display_name,
                "year": report.year,
                "category": report.category,
                "category_label": report.get_category_display(),
                "text": report.text,
            }
            for report in reports
        ],
    }


@transaction.atomic
def report_edition_publish(*, edition, user):
    """Publish an edition and freeze the figures it shows.

    Publishing again keeps the first snapshot: a published edition stays as it was
    published. `user` is recorded in the edition's history.
    """
    edition = ReportEdition.objects.select_for_update(of=("self",)).select_related("strategy").get(pk=edition.pk)
    if not edition.snapshot:
        edition.snapshot = edition_snapshot(edition)
    edition.state = ReportEdition.State.PUBLISHED
    edition.published_at = edition.published_at or timezone.now()
    edition._history_user = user
    edition.save()
    reporting_year_lock(year=edition.year)
    transaction.on_commit(pagecache.bump)
    edition_pdf_queue(edition)
    return edition
