"""Staff enter an indicator's values in one grid: series as rows, years as columns."""

from decimal import Decimal

import pytest
from django.urls import reverse

from indicators.grid import ValuesGridForm
from indicators.models import Indicator, Value
from strategy.models import Area

from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def grid_indicator():
    ind = factories.indicator(code="9.I50", unit="percent")
    total = factories.headline(ind)
    women = ind.series.create(key="kon=kvinnor", label="Kvinnor", order=2)
    return ind, total, women


def grid_url(ind):
    return reverse("admin:indicators_indicator_values", args=[ind.pk])


def post_grid(client, ind, cells, area=None):
    area = area or ind.area
    form = ValuesGridForm(indicator=ind, area=area)
    data = {"fingerprint": form.fields["fingerprint"].initial}
    for series, bound in form.rows():
        for cell in bound:
            data[cell.html_name] = cell.initial or ""
    data.update(cells)
    return client.post(f"{grid_url(ind)}?omrade={area.slug}", data)


def test_it_shows_series_as_rows_and_years_as_columns(coordinator_client, grid_indicator):
    ind, total, women = grid_indicator
    response = coordinator_client.get(grid_url(ind))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<th scope=\"row\">Totalt</th>" in html and "<th scope=\"row\">Kvinnor</th>" in html
    assert '<th scope="col">2019</th>' in html


def test_it_saves_numbers_with_decimal_comma_and_missing_codes(coordinator_client, grid_indicator):
    ind, total, women = grid_indicator
    response = post_grid(
        coordinator_client, ind, {f"v_{total.pk}_2023": "56,5", f"v_{women.pk}_2023": "x", f"v_{women.pk}_2022": "70"}
    )
    assert response.status_code == 302
    values = {(v.series_id, v.year): v for v in Value.objects.filter(series__indicator=ind)}
    assert values[(total.pk, 2023)].value == Decimal("56.5")
    assert values[(women.pk, 2023)].missing_reason == "too_few"
    assert values[(women.pk, 2022)].value == 70
    assert all(v.state == "draft" for v in values.values())


def test_it_saves_nothing_when_one_cell_is_bad(coordinator_client, grid_indicator):
    ind, total, women = grid_indicator
    response = post_grid(
        coordinator_client, ind, {f"v_{total.pk}_2023": "56", f"v_{women.pk}_2023": "120", f"v_{women.pk}_2022": "abc"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "En andel i procent måste ligga mellan 0 och 100." in html
    assert "Ange ett tal, t.ex. 6,9, eller en kod för saknat värde (x, .. eller –)." in html
    assert "Inget sparades." in html
    assert not Value.objects.filter(series__indicator=ind).exists()


def test_it_refuses_a_fraction_for_a_count(coordinator_client):
    ind = factories.indicator(code="9.I51", unit="count")
    total = factories.headline(ind)
    response = post_grid(coordinator_client, ind, {f"v_{total.pk}_2024": "2,5"})
    assert "Ett antal måste vara ett heltal." in response.content.decode()
    assert not Value.objects.filter(series=total).exists()


def test_it_refuses_to_overwrite_a_change_made_since_the_grid_was_opened(coordinator_client, grid_indicator):
    ind, total, women = grid_indicator
    form = ValuesGridForm(indicator=ind, area=ind.area)
    stale = form.fields["fingerprint"].initial
    Value.objects.create(series=total, area=ind.area, year=2023, value=10)
    response = coordinator_client.post(grid_url(ind), {"fingerprint": stale, f"v_{total.pk}_2023": "20"})
    assert "Någon annan har ändrat värdena" in response.content.decode()
    assert Value.objects.get(series=total, year=2023).value == 10


def test_it_leaves_unchanged_cells_alone(coordinator_client):
    ind = Indicator.objects.get(slug=Indicator.objects.filter(series__values__isnull=False).first().slug)
    before = {v.pk: (v.value, v.state, v.version) for v in Value.objects.filter(series__indicator=ind)}
    response = post_grid(coordinator_client, ind, {})
    assert response.status_code == 302
    after = {v.pk: (v.value, v.state, v.version) for v in Value.objects.filter(series__indicator=ind)}
    assert before == after


def test_it_shows_school_years_as_two_years(coordinator_client):
    ind = factories.indicator(code="9.I52", unit="mean_score", period_kind="school")
    factories.headline(ind)
    html = coordinator_client.get(grid_url(ind)).content.decode()
    assert "2022/2023" in html


def test_it_lets_staff_pick_another_area(coordinator_client, grid_indicator):
    ind, total, women = grid_indicator
    median = Area.objects.get(slug="riket-median")
    post_grid(coordinator_client, ind, {f"v_{total.pk}_2023": "40"}, area=median)
    assert Value.objects.get(series=total, area=median, year=2023).value == 40


@pytest.mark.parametrize("typed", ["2e1", "1E-1", "0x10", "5_0"])
def test_it_refuses_a_number_not_written_with_digits_and_a_decimal_sign(coordinator_client, grid_indicator, typed):
    # "2e1" was stored as 20 (Python's Decimal reads exponents and underscores); the importers refuse it.
    ind, total, women = grid_indicator
    response = post_grid(coordinator_client, ind, {f"v_{total.pk}_2023": typed})
    assert response.status_code == 200 and "Inget sparades." in response.content.decode()
    assert not Value.objects.filter(series__indicator=ind).exists()


@pytest.mark.parametrize("typed, stored", [("56,5", "56.5"), ("56.5", "56.5"), (",5", "0.5"), ("6 5", "65"), ("+7", "7"), ("7 %", "7")])
def test_it_still_reads_the_ways_people_write_a_number(coordinator_client, grid_indicator, typed, stored):
    ind, total, women = grid_indicator
    assert post_grid(coordinator_client, ind, {f"v_{total.pk}_2023": typed}).status_code == 302
    assert Value.objects.get(series=total, year=2023).value == Decimal(stored)
