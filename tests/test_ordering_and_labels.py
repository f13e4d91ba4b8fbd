"""School years read as "2022/2023"; commitment numbers sort numerically."""

import pytest
from django.core.exceptions import ValidationError

from actions.models import ActionPlan, Commitment
from indicators.models import PeriodKind, Value, period_label
from strategy.models import Area, Goal

from . import factories

pytestmark = pytest.mark.django_db


def test_it_labels_a_school_year_with_both_years():
    assert period_label(2022, PeriodKind.SCHOOL) == "2022/2023"
    assert period_label(2022, PeriodKind.CALENDAR) == "2022"


def test_it_labels_a_stored_school_year_value():
    series = factories.headline(factories.indicator(period_kind=PeriodKind.SCHOOL, unit="mean_score"))
    value = Value.objects.create(series=series, area=Area.objects.get(slug="stockholms-lan"), year=2023, value=7)
    assert value.period_label == "2023/2024"


def test_it_orders_commitment_numbers_numerically():
    plan = ActionPlan.objects.get(slug="handlingsplan-2024-2027")
    goal = Goal.objects.get(number=2)
    Commitment.objects.create(plan=plan, goal=goal, number="2.9", text="Nio")
    numbers = [c.number for c in Commitment.objects.filter(plan=plan, goal=goal)]
    assert numbers.index("2.9") < numbers.index("2.10")
    assert numbers == sorted(numbers, key=lambda n: tuple(int(p) for p in n.split(".")))


def test_it_refuses_a_malformed_commitment_number():
    plan = ActionPlan.objects.get(slug="handlingsplan-2024-2027")
    commitment = Commitment(plan=plan, goal=Goal.objects.get(number=2), number="två", text="x")
    with pytest.raises(ValidationError) as exc:
        commitment.full_clean()
    assert "Numret ska skrivas som mål och löpnummer, t.ex. 2.10." in exc.value.message_dict["number"]
