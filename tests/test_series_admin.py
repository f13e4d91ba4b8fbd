"""A coordinator adds a breakdown series in the admin: key and label come from the chosen categories."""

import pytest
from django.urls import reverse

from indicators.models import Category, Series

from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def indicator():
    ind = factories.indicator("9.I60", unit="count")
    factories.headline(ind)
    return ind


def add_series(client, indicator, categories, label=""):
    return client.post(
        reverse("admin:indicators_series_add"),
        {"indicator": indicator.pk, "label": label, "categories": [c.pk for c in categories], "order": 1},
    )


def test_it_derives_key_and_label_of_a_new_series_from_its_categories(coordinator_client, indicator):
    women = Category.objects.get(dimension__code="kon", code="kvinnor")
    response = add_series(coordinator_client, indicator, [women])
    assert response.status_code == 302
    series = indicator.series.get(categories=women)
    assert (series.key, series.label) == ("kon=kvinnor", women.label)


def test_it_keeps_a_label_the_coordinator_wrote(coordinator_client, indicator):
    women = Category.objects.get(dimension__code="kon", code="kvinnor")
    add_series(coordinator_client, indicator, [women], label="Kvinnor 18–84 år")
    assert indicator.series.get(key="kon=kvinnor").label == "Kvinnor 18–84 år"


def test_it_refuses_a_breakdown_the_indicator_already_has_in_swedish(coordinator_client, indicator):
    women = Category.objects.get(dimension__code="kon", code="kvinnor")
    add_series(coordinator_client, indicator, [women])
    response = add_series(coordinator_client, indicator, [women])
    assert response.status_code == 200
    assert "Indikatorn har redan en serie med den uppdelningen." in response.content.decode()
    assert Series.objects.filter(indicator=indicator, key="kon=kvinnor").count() == 1


def test_it_refuses_a_second_total_in_swedish(coordinator_client, indicator):
    response = add_series(coordinator_client, indicator, [])
    assert "Indikatorn har redan en serie med den uppdelningen." in response.content.decode()
    assert indicator.series.count() == 1
