"""The trend of a series in words, judged against the indicator's desired direction.

The rule, the same on every page:

- compare the first and the last year that has a number (missing values are skipped);
- a series needs numbers for at least two different years, otherwise there is no trend;
- a change smaller than the unit's tolerance (TOLERANCE) counts as "oförändrad": the
  sources report percent as whole numbers and mean scores with one decimal, so a
  smaller difference is rounding, not a change;
- a change is "i önskad riktning" when it goes the way Indicator.direction wants;
  a neutral indicator (and an unchanged series) gets no judgement.

Pure functions on plain values, so the pages, the report and the tests share them.
"""

from dataclasses import dataclass
from decimal import Decimal

from .units import Unit

INCREASE = "increase"
DECREASE = "decrease"

# Smallest difference between first and last value that counts as a change.
TOLERANCE = {
    Unit.PERCENT: Decimal("1"),  # one percentage point
    Unit.MEAN_SCORE: Decimal("0.1"),  # one reported decimal on the 0–10 scale
    Unit.COUNT: Decimal("1"),  # any whole difference
    Unit.RATE: Decimal("0.05"),  # reported with two decimals
    Unit.DAYS: Decimal("1"),
}

WORDS = {"up": "ökar", "down": "minskar", "flat": "oförändrad"}


@dataclass(frozen=True)
class Trend:
    movement: str  # "up", "down" or "flat"
    first_year: int
    last_year: int
    first: Decimal
    last: Decimal
    desired: bool | None  # None: no desired direction, or no change

    @property
    def word(self):
        return WORDS[self.movement]

    @property
    def judgement(self):
        if self.desired is None:
            return ""
        return "i önskad riktning" if self.desired else "inte i önskad riktning"

    def text(self, period_label=str):
        """E.g. "ökar 2019–2024, i önskad riktning"."""
        span = f"{period_label(self.first_year)}–{period_label(self.last_year)}"
        judgement = f", {self.judgement}" if self.judgement else ""
        return f"{self.word} {span}{judgement}"


def movement(first, last, unit):
    change = Decimal(last) - Decimal(first)
    if abs(change) < TOLERANCE.get(unit, Decimal("0")):
        return "flat"
    return "up" if change > 0 else "down"


def trend(points, unit, direction):
    """Trend of a series from its (year, value) points; value None means missing.

    Returns None when fewer than two years have a number.
    """
    numbers = sorted((year, Decimal(value)) for year, value in points if value is not None)
    if len(numbers) < 2 or numbers[0][0] == numbers[-1][0]:
        return None
    (first_year, first), (last_year, last) = numbers[0], numbers[-1]
    moved = movement(first, last, unit)
    desired = None
    if moved != "flat" and direction in (INCREASE, DECREASE):
        desired = (moved == "up") == (direction == INCREASE)
    return Trend(moved, first_year, last_year, first, last, desired)
