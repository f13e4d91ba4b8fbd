"""/lagesrapport/ lists every published edition, newest first, with its PDF once the worker has made it."""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reports.models import ReportEdition

from . import reporting

pytestmark = pytest.mark.django_db


def rows(client):
    html = client.get(reverse("report_archive")).content.decode()
    return re.findall(r'<th scope="row"><a href="/lagesrapport/(\d{4})/">', html), html


def test_it_lists_published_editions_newest_first_and_never_a_draft(client, coordinator):
    ReportEdition.objects.create(strategy=ReportEdition.objects.get(year=2024).strategy, year=2026, title="Utkast 2026")
    reporting.publish_edition(2025)
    years, html = rows(client)
    assert years == ["2025", "2024"]
    assert "Utkast 2026" not in html
    assert "2025:9" in html  # the 2024 edition's report number


def test_it_says_skapas_until_the_pdf_is_ready(client):
    years, html = rows(client)
    assert years == ["2024"] and "Skapas" in html


def test_it_lists_in_a_constant_number_of_queries(client):
    def count():
        cache.clear()  # the page itself, not its cached copy
        with CaptureQueriesContext(connection) as queries:
            client.get(reverse("report_archive"))
        return len(queries)

    one = count()
    for year in (2025, 2026, 2027):
        reporting.publish_edition(year)
    assert count() == one
    assert rows(client)[0] == ["2027", "2026", "2025", "2024"]
