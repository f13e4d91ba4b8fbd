"""Builders for the reporting-round tests: an open 2025 round and items in it."""

import datetime
from decimal import Decimal

from actions.models import Commitment, StatusReport
from reporting.models import ReportingRound
from indicators.models import Indicator, Value
from reports.models import ReportEdition
from reports.services import report_edition_publish
from strategy.models import Organisation, Strategy
from reporting.models import State

YEAR = 2025


def open_round(year=YEAR):
    return ReportingRound.objects.create(
        year=year, deadline=datetime.date(year + 1, 3, 1), is_open=True, opened_at=datetime.datetime.now(datetime.UTC)
    )


def status_report(number="2.10", org_slug="kriminalvarden", year=YEAR, state=State.DRAFT, **kwargs):
    return StatusReport.objects.create(
        commitment=Commitment.objects.get(plan__kind="regional", number=number),
        organisation=Organisation.objects.get(slug=org_slug),
        year=year,
        state=state,
        text=kwargs.pop("text", "Arbetet pågår enligt plan."),
        category=kwargs.pop("category", "ongoing"),
        **kwargs,
    )


def value(code="2.I5", year=YEAR, state=State.DRAFT, number="12"):
    indicator = Indicator.objects.get(code=code)
    return Value.objects.create(
        series=indicator.series.order_by("order", "pk").first(),
        area=indicator.area,
        year=year,
        value=Decimal(number),
        state=state,
    )


def every_series(code="2.I5", year=YEAR, state=State.DRAFT, number="12"):
    """A value for the year in each series of the indicator: its task answered in full (workspace.tasks.year_series)."""
    indicator = Indicator.objects.get(code=code)
    return [
        Value.objects.create(series=series, area=indicator.area, year=year, value=Decimal(number), state=state)
        for series in indicator.series.order_by("order", "pk")
    ]


def publish_edition(year=YEAR):
    """A published edition for the year, through the service that freezes it and locks the round."""
    edition = ReportEdition.objects.update_or_create(
        year=year,
        defaults={
            "strategy": Strategy.objects.first(),
            "title": f"Lägesrapport {year}",
            "isbn": "978-91-7937-999-5",
            "report_number": f"{year + 1}:1",
        },
    )[0]
    return report_edition_publish(edition=edition, user=None)
