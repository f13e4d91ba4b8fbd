"""A published edition never changes: its page is drawn from what was frozen when it was published."""

from decimal import Decimal

import pytest
from django.core.cache import cache
from django.urls import reverse
from indicators.grid import ValuesGridForm
from indicators.importing import import_values_csv
from indicators.models import Value
from reporting.models import State
from reports.models import ReportEdition

from . import factories, reporting
from reporting import workflow

pytestmark = pytest.mark.django_db
YEAR = reporting.YEAR


@pytest.fixture
def published(coordinator):
    """A 2025 round with one approved value and one approved status report, then the 2025 edition published."""
    reporting.open_round(YEAR)
    indicator = factories.indicator("9.I70", unit="count", goal=None)
    factories.headline(indicator)
    value = Value.objects.create(
        series=indicator.series.get(), area=indicator.area, year=YEAR, value=Decimal(41),
        footnote="Fotnot vid publiceringen.", state=State.APPROVED,
    )
    report = reporting.status_report(text="Text vid publiceringen.", state=State.APPROVED)
    edition = reporting.publish_edition(YEAR)
    return edition, indicator, value, report


def render(client, year=YEAR):
    cache.clear()
    response = client.get(f"/lagesrapport/{year}/")
    assert response.status_code == 200
    return response.content


def test_it_freezes_what_the_edition_shows(published):
    edition, indicator, value, report = published
    frozen = {row["id"]: row for row in ReportEdition.objects.get(pk=edition.pk).snapshot["values"]}
    assert (frozen[value.id]["value"], frozen[value.id]["footnote"]) == ("41.0000", "Fotnot vid publiceringen.")
    reports = ReportEdition.objects.get(pk=edition.pk).snapshot["status_reports"]
    assert [(r["commitment_id"], r["text"]) for r in reports] == [(report.commitment_id, "Text vid publiceringen.")]


def test_it_keeps_the_published_page_byte_identical_whatever_happens_to_the_live_data(
    client, coordinator_client, coordinator, published
):
    edition, indicator, value, report = published
    before = render(client)
    assert b"Text vid publiceringen." in before and b"Fotnot vid publiceringen." in before

    # A coordinator reopens one value and one status report of the locked year...
    workflow.reopen(item=value, user=coordinator, reason="Fel fotnot.")
    workflow.reopen(item=report, user=coordinator, reason="Komplettera texten.")
    value.refresh_from_db()
    report.refresh_from_db()
    # ...imports another figure for the value...
    import_values_csv(
        f"indicator_code,year,area,breakdown,value\n9.I70,{YEAR},Stockholms län,Totalt,44\n", user=coordinator
    )
    value.refresh_from_db()
    assert value.value == Decimal(44)
    # ...moves it to another year with a new footnote in the change form...
    coordinator_client.post(
        reverse("admin:indicators_value_change", args=[value.pk]),
        {"series": value.series_id, "area": value.area_id, "year": YEAR - 1, "value": "43",
         "footnote": "Ny fotnot, ej granskad.", "expected_version": value.version},
    )
    # ...rewrites the status report...
    coordinator_client.post(
        reverse("admin:actions_statusreport_change", args=[report.pk]),
        {"commitment": report.commitment_id, "organisation": report.organisation_id, "year": YEAR,
         "category": "done", "text": "Ny text, ej granskad.", "expected_version": report.version},
    )
    value.refresh_from_db()
    report.refresh_from_db()
    assert (value.year, value.footnote, report.text) == (YEAR - 1, "Ny fotnot, ej granskad.", "Ny text, ej granskad.")
    # ...and empties the value's cell in the grid.
    form = ValuesGridForm(indicator=indicator, area=indicator.area)
    grid = {"fingerprint": form.fields["fingerprint"].initial, ValuesGridForm.cell_name(value.series, YEAR - 1): ""}
    coordinator_client.post(reverse("admin:indicators_indicator_values", args=[indicator.pk]), grid)
    assert not Value.objects.filter(pk=value.pk).exists()

    assert render(client) == before
    goal_page = client.get(f"/mal/{report.commitment.goal.number}/").content
    assert b"Text vid publiceringen." not in goal_page, "the live pages show only what is approved now"


def test_it_notes_a_later_approved_correction_without_changing_the_frozen_figure(client, coordinator, published):
    edition, indicator, value, report = published
    workflow.reopen(item=value, user=coordinator, reason="Rättad siffra.")
    value.refresh_from_db()
    value.value = Decimal(45)
    value.save()
    workflow.submit(item=value, user=coordinator)
    workflow.approve(item=value, user=coordinator)
    html = render(client).decode()
    assert "korrigerats till 45" in html
