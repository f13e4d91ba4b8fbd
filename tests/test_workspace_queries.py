"""The reporter's workspace pages cost the same number of queries for 1, 10 and 100 items."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from indicators.models import Value
from reporting.models import State
from strategy.models import Organisation

from . import factories, reporting

pytestmark = pytest.mark.django_db


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def add_items(count, start):
    organisation = Organisation.objects.get(slug="kriminalvarden")
    for number in range(start, start + count):
        indicator = factories.indicator(f"9.I{number}", responsible=organisation)
        series = factories.headline(indicator)
        Value.objects.create(series=series, area=indicator.area, year=2025, value=Decimal(number), state=State.DRAFT)


def test_it_lists_the_items_and_the_drafts_in_a_constant_number_of_queries(client, make_user):
    reporting.open_round()
    client.force_login(make_user("rapportor-kv", "kriminalvarden", "rapportör"))
    counts = []
    added = 0
    for total in (1, 10, 100):
        add_items(total - added, 100 + added)
        added = total
        counts.append(
            (queries(client, reverse("workspace:home")), queries(client, reverse("workspace:submit_all", args=[2025])))
        )
    assert counts[0] == counts[1] == counts[2], counts
