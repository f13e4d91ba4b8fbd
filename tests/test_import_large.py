"""A large value import: a bounded number of queries whatever the number of rows, and a preview page
that shows the totals and a sample instead of every row."""

import csv
import io

import pytest
from django.db import connection

from indicators.importing import import_values_csv
from indicators.models import Series, Value
from reporting.importing import PREVIEW_ROWS
from strategy.models import Area
from tests.test_import_long import admin_preview

ROWS = 20_000


def large_csv(rows=ROWS):
    """`rows` new values of the real indicators: every series × area × year that has none yet."""
    existing = set(Value.objects.values_list("series_id", "area_id", "year"))
    series = list(Series.objects.select_related("indicator").order_by("indicator__code", "order", "pk"))
    areas = list(Area.objects.order_by("slug"))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["indicator_code", "year", "area", "breakdown", "value", "note"])
    written = 0
    for year in range(2023, 1998, -1):  # 2024 is locked: its edition is published
        for area in areas:
            for s in series:
                if written == rows:
                    return out.getvalue()
                if (s.pk, area.pk, year) not in existing:
                    # 1 is valid for every unit (percent, count, score, rate, days).
                    writer.writerow([s.indicator.code, year, area.slug, s.key or "Totalt", "1", f"rad {written}"])
                    written += 1
    raise AssertionError(f"the real data leaves room for only {written} new values")


@pytest.mark.django_db
def test_it_imports_20000_values_in_a_bounded_number_of_queries(coordinator, django_assert_max_num_queries):
    text = large_csv()
    history = Value.history.count()
    # Lookups, the preview sample and one statement per kind of write on PostgreSQL (13 queries).
    # Elsewhere Django's bulk_create/bulk_update are cut into batches by SQLite's 999 parameters
    # (~50 rows a query, ~860 queries): still far from one per row.
    bound = 30 if connection.vendor == "postgresql" else ROWS // 20
    with django_assert_max_num_queries(bound):
        result = import_values_csv(text, user=coordinator)
    assert result.totals["new"] == ROWS and not result.has_validation_errors() and not result.has_errors()
    assert Value.history.count() == history + ROWS

    with django_assert_max_num_queries(20):
        again = import_values_csv(text, user=coordinator)
    assert again.totals["skip"] == ROWS and again.totals["new"] == again.totals["update"] == 0
    assert Value.history.count() == history + ROWS

    with django_assert_max_num_queries(bound):
        changed = import_values_csv(text.replace(",1,rad", ",2,rad"), user=coordinator)
    assert changed.totals["update"] == ROWS
    assert Value.history.filter(history_type="~", history_user=coordinator).count() == ROWS


@pytest.mark.django_db
def test_it_previews_a_large_file_with_totals_and_the_first_rows_of_each_kind(coordinator_client):
    preview = admin_preview(coordinator_client, large_csv(2 * PREVIEW_ROWS + 7))
    result = preview.context["result"]
    assert result.totals["new"] == 2 * PREVIEW_ROWS + 7
    assert len(result.valid_rows()) == PREVIEW_ROWS
    html = preview.content.decode()
    assert f"{2 * PREVIEW_ROWS + 7} nya" in html and f"ytterligare {PREVIEW_ROWS + 7} rader" in " ".join(html.split())
    assert preview.context["confirm_form"]
    assert not Value.objects.filter(footnote="rad 0").exists(), "the preview writes nothing"


@pytest.mark.django_db
def test_it_counts_every_bad_row_of_a_large_file_and_lists_the_first(coordinator, settings):
    text = large_csv(300).replace(",1,rad", ",-1,rad")
    result = import_values_csv(text, user=coordinator)
    assert result.invalid_total() == 300
    assert len(result.invalid_rows) == settings.IMPORT_MAX_ERRORS_SHOWN
    assert result.invalid_left_out() == 300 - settings.IMPORT_MAX_ERRORS_SHOWN
    assert all("negativt" in row.error_dict["value"][0] for row in result.invalid_rows)
    assert not Value.objects.filter(footnote="rad 0").exists()
