"""Each unit accepts only its own range, with a Swedish message."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from indicators.models import Value
from indicators.units import Unit, check_value
from strategy.models import Area

from . import factories


@pytest.mark.parametrize(
    "unit, bad, message",
    [
        (Unit.PERCENT, "100.5", "En andel i procent måste ligga mellan 0 och 100."),
        (Unit.PERCENT, "-1", "Värdet får inte vara negativt."),
        (Unit.MEAN_SCORE, "10.1", "Ett medelvärde måste ligga mellan 0 och 10."),
        (Unit.COUNT, "2.5", "Ett antal måste vara ett heltal."),
        (Unit.COUNT, "-3", "Värdet får inte vara negativt."),
        (Unit.RATE, "-0.1", "Värdet får inte vara negativt."),
        (Unit.DAYS, "-2", "Värdet får inte vara negativt."),
        (Unit.COUNT, "10000000000", "Värdet är för stort; det får ha högst tio siffror före decimaltecknet."),
        (Unit.RATE, "1" * 40, "Värdet är för stort; det får ha högst tio siffror före decimaltecknet."),
        (Unit.RATE, "1.23456", "Värdet har fler än fyra decimaler; avrunda det."),
    ],
)
def test_it_refuses_a_value_outside_the_unit(unit, bad, message):
    with pytest.raises(ValidationError) as exc:
        check_value(unit, Decimal(bad))
    assert exc.value.messages == [message]


@pytest.mark.parametrize(
    "unit, good",
    [(Unit.PERCENT, "0"), (Unit.PERCENT, "100"), (Unit.MEAN_SCORE, "6.9"), (Unit.COUNT, "144"), (Unit.RATE, "1.71"), (Unit.DAYS, "90"),
     (Unit.COUNT, "9999999999"), (Unit.RATE, "1.2345")],
)
def test_it_accepts_a_value_inside_the_unit(unit, good):
    check_value(unit, Decimal(good))
    check_value(unit, float(good))  # as a loader may hand it over


@pytest.mark.django_db
def test_it_reports_the_unit_error_on_the_value_field():
    series = factories.headline(factories.indicator(unit=Unit.MEAN_SCORE))
    value = Value(series=series, area=Area.objects.get(slug="stockholms-lan"), year=2023, value=Decimal("11"))
    with pytest.raises(ValidationError) as exc:
        value.full_clean()
    assert exc.value.message_dict["value"] == ["Ett medelvärde måste ligga mellan 0 och 10."]
