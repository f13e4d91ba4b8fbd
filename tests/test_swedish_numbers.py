"""One Swedish number formatter (reporting.numbers.swedish_number): 1234,5 reads "1 234,5" on the public
indicator page and its chart, on the review desk, in the admin and in the import preview alike; the
downloads keep the plain 1234.5 that programs read."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from indicators.models import Value
from indicators.selectors import values_by_indicator
from reporting.models import State
from reporting.numbers import swedish_number
from reports.charts import build_panel
from tests import factories

from . import reporting

pytestmark = pytest.mark.django_db

SHOWN = "1\u00a0234,5"  # a no-break space between thousands, a decimal comma
UNGROUPED = ("1234,5", "1234.5", "1 234,5")  # the other formatters' texts (the last with a plain space)


@pytest.fixture
def indicator():
    ind = factories.indicator("9.I91", unit="days", decimals=1, slug="test-dagar")
    factories.headline(ind)
    return ind


def value(indicator, year, state, number="1234.5000"):
    return Value.objects.create(series=indicator.series.get(), area=indicator.area, year=year,
                                value=Decimal(number), state=state)


def assert_swedish(html):
    assert SHOWN in html
    for other in UNGROUPED:
        assert other not in html, other


def test_it_writes_numbers_the_swedish_way():
    assert swedish_number(Decimal("1234.5000")) == SHOWN
    assert swedish_number(Decimal("6.9000")) == "6,9" and swedish_number(Decimal("641.0000")) == "641"
    assert swedish_number(Decimal("1234567")) == "1\u00a0234\u00a0567"
    assert swedish_number(Decimal("6.95"), 1) == "7,0" and swedish_number(7, 1) == "7,0"
    assert swedish_number(-2.5) == "\u22122,5" and swedish_number(Decimal("-0.01"), 1) == "0,0"
    assert swedish_number(0.1 + 0.2, 1) == "0,3" and swedish_number(None) == ""


def test_it_shows_the_same_number_on_the_public_page_the_desk_and_the_admin(coordinator_client, indicator):
    reporting.open_round()
    value(indicator, 2023, State.APPROVED)
    value(indicator, 2024, State.APPROVED)
    # More digits than the indicator shows: the desk shows what was entered beside the rounded figure.
    submitted = value(indicator, 2025, State.SUBMITTED, "1234.55")

    public = Client().get(indicator.get_absolute_url()).content.decode()
    assert_swedish(public.split("<table", 1)[1])  # the chart's data table
    assert f"{SHOWN} dagar" in public
    figure = build_panel(indicator, [indicator.series.get()], values_by_indicator([indicator.id])[indicator.id]).figure_json
    assert figure["layout"]["separators"] == ",\u00a0"  # the interactive chart's axis, as the tables

    desk = coordinator_client.get(reverse("workspace:desk")).content.decode()
    assert f"{SHOWN} dagar" in desk  # last year's approved figure
    assert "1\u00a0234,6 dagar (inmatat 1\u00a0234,55)" in desk
    assert_swedish(desk)

    admin = coordinator_client.get(reverse("admin:indicators_value_changelist") + f"?q={indicator.code}")
    assert_swedish(admin.content.decode())

    # Machine-readable downloads keep the dot and no grouping.
    csv_text = Client().get(f"/indikatorer/{indicator.slug}/data.csv").getvalue().decode()
    assert '"1234.5"' in csv_text


def test_it_shows_the_same_number_in_the_import_preview(coordinator_client, indicator):
    text = "indicator_code,year,area,breakdown,value\n9.I91,2023,Stockholms län,Totalt,\"1234,5\"\n"
    preview = coordinator_client.post(
        reverse("admin:indicators_value_import"),
        {"format": 0, "resource": 0, "import_file": SimpleUploadedFile("varden.csv", text.encode())},
    )
    assert preview.status_code == 200
    assert_swedish(preview.content.decode().split("Förhandsgranskning", 1)[1])
