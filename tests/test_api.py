"""The read-only JSON API under /api/v1/: stable fields, approved values only."""

from decimal import Decimal

import pytest
from django.urls import reverse

from indicators.models import Indicator, Value
from strategy.models import Area
from reporting.models import State

INDICATOR_FIELDS = {
    "code", "slug", "title", "kind", "goal", "theme", "source", "unit", "decimals", "direction", "period_kind",
    "status", "retired_last_year", "retired_reason", "responsible", "responsible_assumed", "violence_types", "area", "url",
}


@pytest.mark.django_db
def test_it_lists_goals_and_indicators_with_metadata(client):
    goals = client.get(reverse("api_goals")).json()["goals"]
    assert [g["number"] for g in goals] == list(range(1, 9))
    indicators = client.get(reverse("api_indicators")).json()["indicators"]
    assert len(indicators) == Indicator.objects.count()
    first = next(i for i in indicators if i["code"] == "1.I2")
    assert set(first) == INDICATOR_FIELDS
    assert first["responsible"] == "skolinspektionen" and first["period_kind"] == "school" and first["goal"] == 1


@pytest.mark.django_db
def test_it_shows_an_indicator_with_its_series(client):
    ind = Indicator.objects.get(code="1.I2")
    data = client.get(reverse("api_indicator", args=[ind.slug])).json()
    assert {"key": "arskurs=ak8|kon=flickor", "breakdown": "Flickor, Åk 8 i grundskolan", "is_headline": False, "break_year": None, "break_note": ""} in data["series"]
    assert data["values_url"].endswith(f"/api/v1/indicators/{ind.slug}/values/")
    assert client.get(reverse("api_indicator", args=["finns-inte"])).status_code == 404


@pytest.mark.django_db
def test_it_gives_approved_values_only(client):
    ind = Indicator.objects.get(code="1.I2")
    series = ind.series.get(key="arskurs=ak8|kon=flickor")
    Value.objects.create(series=series, area=Area.objects.get(slug="riket"), year=2020, value=Decimal("5.5"),
                         state=State.DRAFT)
    values = client.get(reverse("api_indicator_values", args=[ind.slug])).json()["values"]
    assert len(values) == Value.objects.published().filter(series__indicator=ind).count()
    assert not any(v["area"] == "riket" and v["year"] == 2020 for v in values)
    sample = next(v for v in values if v["series"] == "arskurs=gy2|kon=flickor" and v["year"] == 2022)
    assert sample["value"] == 6.6 and sample["period"] == "2022/2023" and sample["area"] == "stockholms-lan"
