from decimal import Decimal

from indicators.trends import trend
from indicators.units import Unit


def test_it_reads_an_increase_of_a_wanted_increase_as_in_the_desired_direction():
    found = trend([(2019, Decimal("25")), (2024, Decimal("37"))], Unit.PERCENT, "increase")
    assert (found.word, found.judgement) == ("ökar", "i önskad riktning")
    assert found.text() == "ökar 2019–2024, i önskad riktning"


def test_it_reads_a_decrease_of_a_wanted_increase_as_not_in_the_desired_direction():
    found = trend([(2022, Decimal("110")), (2024, Decimal("70"))], Unit.COUNT, "increase")
    assert (found.word, found.judgement) == ("minskar", "inte i önskad riktning")


def test_it_reads_a_decrease_of_a_wanted_decrease_as_in_the_desired_direction():
    found = trend([(2020, 10), (2023, 4)], Unit.RATE, "decrease")
    assert found.judgement == "i önskad riktning"


def test_it_calls_a_change_below_the_units_tolerance_unchanged_without_judgement():
    assert trend([(2020, Decimal("50")), (2021, Decimal("50.9"))], Unit.PERCENT, "increase").word == "oförändrad"
    assert trend([(2022, Decimal("6.9")), (2023, Decimal("6.9"))], Unit.MEAN_SCORE, "increase").judgement == ""
    assert trend([(2022, Decimal("6.9")), (2023, Decimal("7.0"))], Unit.MEAN_SCORE, "increase").word == "ökar"


def test_it_gives_no_judgement_for_an_indicator_without_desired_direction():
    found = trend([(2022, 82), (2024, 144)], Unit.COUNT, "neutral")
    assert found.word == "ökar" and found.judgement == ""


def test_it_compares_the_first_and_last_available_values_skipping_missing_ones():
    found = trend([(2019, None), (2020, Decimal("44")), (2022, None), (2024, Decimal("36"))], Unit.COUNT, "neutral")
    assert (found.first_year, found.last_year, found.first, found.last) == (2020, 2024, 44, 36)


def test_it_has_no_trend_with_fewer_than_two_years_of_numbers():
    assert trend([(2024, Decimal("100"))], Unit.PERCENT, "increase") is None
    assert trend([(2023, None), (2024, Decimal("100"))], Unit.PERCENT, "increase") is None
    assert trend([], Unit.PERCENT, "increase") is None


def test_it_labels_school_years_in_the_text():
    found = trend([(2022, Decimal("5")), (2023, Decimal("6"))], Unit.MEAN_SCORE, "increase")
    assert found.text(lambda y: f"{y}/{y + 1}") == "ökar 2022/2023–2023/2024, i önskad riktning"
