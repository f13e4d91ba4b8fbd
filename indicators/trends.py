"""The trend of a series in words, judged against the indicator's desired direction.

The rule, the same on every page:

- compare the first and the last year that has a number (missing values are skipped);
- a series needs numbers for at least two different years, otherwise there is no trend;
- a change smaller than the unit's tolerance (TOLERANCE) counts as "oförändrad": the
  sources report percent as whole numbers and mean scores with one decimal, so a
  smaller difference is rounding, not a change;
- a change is "i önskad riktning" when it goes the way Indicator.direction wants;
  a neutral indicator (and an unchanged series) gets no judgement;
- the latest change is the last run of the series: back from the last year for as
  long as every step goes the same way (or stays within the tolerance). When it goes
  another way than the whole period, the text says both ("ökar 2019–2024, men minskar
  sedan 2022"), and the judgement is of the latest change, so first-versus-last never
  hides a recent reversal. `Trend.status` is what the goal summaries count: "desired"
  only when the whole period and the latest change agree.

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


# What a goal summary counts (Trend.status); "too_little" is for a series without a trend.
DESIRED, AGAINST, REVERSED, UNCHANGED, NO_DIRECTION, TOO_LITTLE = (
    "desired",
    "against",
    "reversed",
    "unchanged",
    "no_direction",
    "too_little",
)


@dataclass(frozen=True)
class Trend:
    movement: str  # "up", "down" or "flat", over the whole period
    first_year: int
    last_year: int
    first: Decimal
    last: Decimal
    desired: bool | None  # None: no desired direction, or no change
    # The latest change, when it goes another way than the whole period (else None).
    recent_movement: str | None = None
    recent_year: int | None = None  # the year the latest change starts from
    recent_desired: bool | None = None

    @property
    def word(self):
        return WORDS[self.movement]

    @property
    def reversed(self):
        return self.recent_movement is not None

    @property
    def judgement(self):
        """The judgement of the latest change (the whole period's when they agree)."""
        desired = self.recent_desired if self.reversed else self.desired
        if desired is None:
            return ""
        return "i önskad riktning" if desired else "inte i önskad riktning"

    @property
    def status(self):
        if self.reversed:
            return REVERSED if self.recent_desired is not None or self.desired is not None else NO_DIRECTION
        if self.movement == "flat":
            return UNCHANGED
        if self.desired is None:
            return NO_DIRECTION
        return DESIRED if self.desired else AGAINST

    def text(self, period_label=str):
        """E.g. "ökar 2019–2024, i önskad riktning" or "ökar 2019–2024, men minskar sedan 2022, …"."""
        span = f"{period_label(self.first_year)}–{period_label(self.last_year)}"
        recent = f", men {WORDS[self.recent_movement]} sedan {period_label(self.recent_year)}" if self.reversed else ""
        judgement = f", {self.judgement}" if self.judgement else ""
        return f"{self.word} {span}{recent}{judgement}"


def movement(first, last, unit):
    change = Decimal(last) - Decimal(first)
    if abs(change) < TOLERANCE.get(unit, Decimal("0")):
        return "flat"
    return "up" if change > 0 else "down"


def latest_run_start(numbers, unit):
    """Index of the point the latest run starts from: back from the end while every step
    goes one way or stays within the tolerance."""
    way = None
    start = len(numbers) - 1
    while start > 0:
        step = movement(numbers[start - 1][1], numbers[start][1], unit)
        if step != "flat":
            if way is None:
                way = step
            elif step != way:
                break
        start -= 1
    return start


def _desired(moved, direction):
    if moved != "flat" and direction in (INCREASE, DECREASE):
        return (moved == "up") == (direction == INCREASE)
    return None


def trend(points, unit, direction):
    """Trend of a series from its (year, value) points; value None means missing.

    Returns None when fewer than two years have a number.
    """
    numbers = sorted((year, Decimal(value)) for year, value in points if value is not None)
    if len(numbers) < 2 or numbers[0][0] == numbers[-1][0]:
        return None
    (first_year, first), (last_year, last) = numbers[0], numbers[-1]
    moved = movement(first, last, unit)
    start = latest_run_start(numbers, unit)
    recent = movement(numbers[start][1], last, unit) if start > 0 else moved
    if recent == moved or recent == "flat":
        return Trend(moved, first_year, last_year, first, last, _desired(moved, direction))
    return Trend(
        moved,
        first_year,
        last_year,
        first,
        last,
        _desired(moved, direction),
        recent_movement=recent,
        recent_year=numbers[start][0],
        recent_desired=_desired(recent, direction),
    )
