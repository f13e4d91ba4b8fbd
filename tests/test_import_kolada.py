"""Import of Kolada's JSON through Indicator.kolada_kpi: T/K/M become the total, kvinnor and män series."""

import json
from decimal import Decimal

import pytest

from indicators.formats import KoladaJSON
from indicators.models import Series, Value
from reporting.models import State
from tests import factories
from tests.test_import_long import admin_confirm, admin_preview


def kolada(*entries):
    return json.dumps({"values": list(entries)})


def entry(municipality, period, *points, kpi="N07403"):
    return {"kpi": kpi, "municipality": municipality, "period": period, "values": list(points)}


def point(gender, value, count=None, status=""):
    return {"gender": gender, "value": value, "count": count, "status": status}


@pytest.fixture
def kolada_indicator(db):
    return factories.indicator("9.I91", unit="rate_100k", kolada_kpi="N07403")


@pytest.mark.django_db
def test_it_maps_kolada_values_to_series_areas_and_missing_reasons(coordinator_client, kolada_indicator):
    document = kolada(
        entry("0180", 2023, point("T", 12.5, 980), point("K", 14.1, 500), point("M", None, status="Missing")),
        entry("0001", 2023, point("T", 10.0)),
    )
    preview = admin_preview(coordinator_client, document, fmt=KoladaJSON, name="kolada.json")
    assert preview.context["result"].totals["new"] == 4
    assert Series.objects.filter(indicator=kolada_indicator).count() == 0, "the preview creates no series"
    admin_confirm(coordinator_client, preview)

    series = {s.key: s for s in Series.objects.filter(indicator=kolada_indicator)}
    assert set(series) == {"", "kon=kvinnor", "kon=man"}
    assert series[""].is_headline and series["kon=man"].label == "Män"
    stockholm = {v.series.key: v for v in Value.objects.filter(series__indicator=kolada_indicator, area__code="0180")}
    assert stockholm[""].value == Decimal("12.5") and stockholm[""].respondents == 980
    assert stockholm["kon=man"].value is None and stockholm["kon=man"].missing_reason == "not_available"
    assert Value.objects.get(series=series[""], area__slug="stockholms-lan").value == Decimal("10")
    assert {v.state for v in stockholm.values()} == {State.DRAFT}


@pytest.mark.django_db
def test_it_rejects_unknown_kpis_and_municipalities(coordinator_client, kolada_indicator):
    document = kolada(entry("0180", 2023, point("T", 1.0), kpi="N99999"), entry("9999", 2023, point("T", 1.0)))
    preview = admin_preview(coordinator_client, document, fmt=KoladaJSON, name="kolada.json")
    html = preview.content.decode()
    assert "Ingen indikator har Kolada-KPI" in html and "Okänt område" in html
    assert not Value.objects.filter(series__indicator=kolada_indicator).exists()
    assert not Series.objects.filter(indicator=kolada_indicator).exists()


@pytest.mark.django_db
def test_it_changes_nothing_on_reimport(coordinator_client, kolada_indicator):
    document = kolada(entry("0180", 2022, point("T", 3.0, 10), point("K", 4.0)))
    admin_confirm(coordinator_client, admin_preview(coordinator_client, document, fmt=KoladaJSON, name="k.json"))
    again = admin_preview(coordinator_client, document, fmt=KoladaJSON, name="k.json")
    assert again.context["result"].totals["skip"] == 2 and again.context["result"].totals["new"] == 0
