"""Trend verdicts that do not flip on noise: one reported step is no change, and a latest
change overrides the whole period only when it holds (issue 23)."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from indicators.models import Indicator
from indicators.trends import trend
from indicators.units import Unit
from reports.selectors import home_page
from reports.status import AGAINST, UNCHANGED, indicator_trend
from indicators.selectors import values_by_indicator


def test_it_calls_a_move_of_one_reported_step_unchanged():
    # 1.I3 7,8 → 7,7 and 1.I4 7,4 → 7,3 on the 0–10 scale, reported with one decimal.
    for first, last in [("7.8", "7.7"), ("7.4", "7.3")]:
        found = trend([(2022, Decimal(first)), (2023, Decimal(last))], Unit.MEAN_SCORE, "increase", decimals=1)
        assert found.word == "oförändrad" and found.status == UNCHANGED and found.judgement == ""
    # Two steps are a change.
    assert trend([(2022, Decimal("7.8")), (2023, Decimal("7.6"))], Unit.MEAN_SCORE, "increase", decimals=1).word == "minskar"
    # The step follows the indicator's decimals: a percent given with one decimal moves at 0,2.
    assert trend([(2022, Decimal("50.0")), (2023, Decimal("50.2"))], Unit.PERCENT, "increase", decimals=1).word == "ökar"
    assert trend([(2022, 50), (2023, 51)], Unit.PERCENT, "increase", decimals=0).word == "oförändrad"


FALL_THEN_ONE_RISE = [(2020, 60), (2021, 55), (2022, 50), (2023, 44), (2024, 36), (2025, 40)]


def test_it_does_not_let_a_one_year_rise_after_a_five_year_fall_turn_the_verdict():
    # 2.I5 Pågående with 2025 data: 36 → 40 on one step against a fall since 2020.
    found = trend(FALL_THEN_ONE_RISE, Unit.COUNT, "decrease", decimals=0)
    assert found.text() == "minskar 2020–2025, i önskad riktning" and not found.reversed
    found = trend(FALL_THEN_ONE_RISE, Unit.COUNT, "increase", decimals=0)
    assert "i önskad riktning" not in found.text().replace("inte i önskad riktning", "")
    assert found.status == AGAINST
    # One reported step up (36 → 37) is not even a change.
    found = trend([*FALL_THEN_ONE_RISE[:-1], (2025, 37)], Unit.COUNT, "increase", decimals=0)
    assert found.status == AGAINST and not found.reversed


def test_it_lets_a_latest_change_that_holds_override_the_whole_period():
    # Two years of rise after the fall: it has turned.
    found = trend([*FALL_THEN_ONE_RISE, (2026, 45)], Unit.COUNT, "increase", decimals=0)
    assert found.text() == "minskar 2020–2026, men ökar sedan 2024, i önskad riktning"
    # One year, but clearly beyond the tolerance (at least five steps).
    found = trend([*FALL_THEN_ONE_RISE[:-1], (2025, 41)], Unit.COUNT, "increase", decimals=0)
    assert found.reversed and found.recent_year == 2024


@pytest.mark.django_db
def test_it_counts_1_i3_and_1_i4_unchanged_and_not_against_goal_1(client):
    indicators = list(Indicator.objects.filter(code__in=["1.I3", "1.I4"]).prefetch_related("series"))
    values = values_by_indicator([ind.id for ind in indicators])
    for ind in indicators:
        assert indicator_trend(ind, values[ind.id]).status == UNCHANGED, ind.code
    page = home_page()
    status = next(status for goal, _glance, _more, status in page["goals"] if goal.number == 1)
    groups = {group.key: {ind.code for ind in group.items} for group in status.trends}
    assert {"1.I3", "1.I4"} <= groups[UNCHANGED]
    assert not groups[AGAINST] & {"1.I3", "1.I4"}
    # …so Mål 1's card on the start page has nothing red for them.
    html = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", client.get("/").content.decode()))
    card = html[html.index("Mål 1:") : html.index("Mål 2:")]
    assert "0 utvecklas inte i önskad riktning" in card


@pytest.mark.django_db
def test_it_states_the_rule_on_the_goal_page(client):
    html = re.sub(r"\s+", " ", client.get(reverse("goal", args=[1])).content.decode())
    assert "inte är större än det minsta steg källan redovisar" in html
    assert "minst två år med förändring" in html
