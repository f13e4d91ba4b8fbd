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
    assert trend([(2022, Decimal("6.9")), (2023, Decimal("7.1"))], Unit.MEAN_SCORE, "increase").word == "ökar"


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


# 2.I5 Fullföljda behandlingsprogram (Tabell 5): up over the period, down since its 2022 peak.
FULLFOLJDA = [(2019, 31), (2020, 21), (2021, 52), (2022, 110), (2023, 94), (2024, 70)]


def test_it_states_a_recent_reversal_beside_the_whole_period_as_for_2_i5():
    found = trend(FULLFOLJDA, Unit.COUNT, "increase")
    assert found.text() == "ökar 2019–2024, men minskar sedan 2022, inte i önskad riktning"
    assert (found.movement, found.recent_movement, found.recent_year) == ("up", "down", 2022)
    assert found.status == "reversed"


def test_it_takes_the_latest_run_of_a_series_that_reverses_more_than_once():
    points = [(2017, 10), (2018, 30), (2019, 15), (2020, 40), (2021, 35), (2022, 20), (2023, 22), (2024, 26)]
    found = trend(points, Unit.COUNT, "decrease")
    # Whole period 10 → 26 up; the last run starts from the low of 2022.
    assert found.text() == "ökar 2017–2024, inte i önskad riktning"
    assert not found.reversed and found.status == "against"
    down_last = [*points, (2025, 12)]
    found = trend(down_last, Unit.COUNT, "decrease")
    assert found.text() == "ökar 2017–2025, men minskar sedan 2024, i önskad riktning"
    assert found.status == "reversed"


def test_it_lets_steps_within_the_tolerance_continue_the_latest_run():
    # 50 → 60 → 60.5 → 55: the plateau 2020–2021 is no change, so the fall runs from 2020.
    found = trend([(2019, 50), (2020, 60), (2021, Decimal("60.5")), (2022, 55)], Unit.PERCENT, "increase")
    assert found.text() == "ökar 2019–2022, men minskar sedan 2020, inte i önskad riktning"
    found = trend([(2019, 40), (2020, 50), (2021, Decimal("50.5")), (2022, 60)], Unit.PERCENT, "increase")
    assert found.text() == "ökar 2019–2022, i önskad riktning" and found.status == "desired"


def test_it_says_nothing_more_when_the_latest_change_is_within_the_tolerance():
    found = trend([(2019, 40), (2022, 60), (2024, Decimal("59.5"))], Unit.PERCENT, "increase")
    assert found.text() == "ökar 2019–2024, i önskad riktning" and not found.reversed


def test_it_reports_a_recent_change_of_a_series_unchanged_over_the_whole_period():
    found = trend([(2019, 50), (2021, 40), (2024, 50)], Unit.PERCENT, "decrease")
    assert found.text() == "oförändrad 2019–2024, men ökar sedan 2021, inte i önskad riktning"
    assert found.status == "reversed"


def test_it_counts_each_kind_of_trend_for_the_goal_summaries():
    assert trend([(2019, 1), (2024, 5)], Unit.COUNT, "increase").status == "desired"
    assert trend([(2019, 5), (2024, 1)], Unit.COUNT, "increase").status == "against"
    assert trend([(2019, 5), (2024, 5)], Unit.COUNT, "increase").status == "unchanged"
    assert trend([(2019, 5), (2024, 9)], Unit.COUNT, "neutral").status == "no_direction"
    assert trend([(2019, 5), (2022, 15), (2024, 8)], Unit.COUNT, "neutral").text() == "ökar 2019–2024, men minskar sedan 2022"
