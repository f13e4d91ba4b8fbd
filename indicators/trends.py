"""The trend of a series in words, judged against the indicator's desired direction.

The rule, the same on every page:

- compare the first and the last year that has a number (missing values are skipped);
- a series needs numbers for at least two different years, otherwise there is no trend;
- a change no larger than the smallest step the source reports (one unit of the
  indicator's last decimal, 10**-decimals: 1 for whole numbers, 0,1 for the 0–10 means)
  counts as "oförändrad": a one-step move is within the source's rounding, not a change;
- a change is "i önskad riktning" when it goes the way Indicator.direction wants;
  a neutral indicator (and an unchanged series) gets no judgement;
- the latest change is the last run of the series: back from the last year for as
  long as every step goes the same way (or stays within the tolerance). When it goes
  another way than the whole period, the text says both ("ökar 2019–2024, men minskar
  sedan 2022"), and the judgement is of the latest change, so first-versus-last never
  hides a recent reversal. The latest change overrides the whole period only when it
  holds: it moves over at least two years (two steps of the series that each change),
  or its one step is clearly beyond the tolerance (CLEAR_STEPS reported steps); a
  single year's small rise after a long fall is noise, not a turn. `Trend.status` is what the goal summaries count: "desired"
  only when the whole period and the latest change agree;
- no trend crosses a break in the series (Series.break_year, where the source changes what
  is measured): only the years from the break on count, and with fewer than two of them
  there is no trend.

Pure functions on plain values, so the pages, the report and the tests share them.
"""

from dataclasses import dataclass, replace
from decimal import Decimal

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .units import Unit

INCREASE = "increase"
DECREASE = "decrease"

# The smallest step a source reports, when the caller does not give the indicator's
# decimals: percent as whole numbers, the 0–10 means with one decimal, rates with two.
DEFAULT_STEP = {
    Unit.PERCENT: Decimal("1"),
    Unit.MEAN_SCORE: Decimal("0.1"),
    Unit.COUNT: Decimal("1"),
    Unit.RATE: Decimal("0.01"),
    Unit.DAYS: Decimal("1"),
}
# A latest change of a single year overrides the whole period only when it is at least
# this many reported steps: "clearly exceeds the tolerance".
CLEAR_STEPS = 5

WORDS = {"up": _("ökar"), "down": _("minskar"), "flat": _("oförändrad")}


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
    break_year: int | None = None  # set when earlier years were left out at a break in the series

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
        return gettext("i önskad riktning") if desired else gettext("inte i önskad riktning")

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
        text = gettext("%(movement)s %(first)s–%(last)s") % {
            "movement": self.word,
            "first": period_label(self.first_year),
            "last": period_label(self.last_year),
        }
        if self.break_year:
            text += gettext(" (jämförbart från tidsseriebrottet %(year)s)") % {"year": period_label(self.break_year)}
        if self.reversed:
            text += gettext(", men %(movement)s sedan %(year)s") % {
                "movement": WORDS[self.recent_movement],
                "year": period_label(self.recent_year),
            }
        return text + (f", {self.judgement}" if self.judgement else "")


def smallest_step(unit, decimals=None):
    """One unit of the last decimal the source reports (10**-decimals)."""
    if decimals is None:
        return DEFAULT_STEP.get(unit, Decimal("1"))
    return Decimal(1).scaleb(-int(decimals))


def movement(first, last, step):
    change = Decimal(last) - Decimal(first)
    if abs(change) <= step:
        return "flat"
    return "up" if change > 0 else "down"


def latest_run_start(numbers, step):
    """Index of the point the latest run starts from: back from the end while every step
    goes one way or stays within the tolerance."""
    way = None
    start = len(numbers) - 1
    while start > 0:
        moved = movement(numbers[start - 1][1], numbers[start][1], step)
        if moved != "flat":
            if way is None:
                way = moved
            elif moved != way:
                break
        start -= 1
    return start


def _desired(moved, direction):
    if moved != "flat" and direction in (INCREASE, DECREASE):
        return (moved == "up") == (direction == INCREASE)
    return None


def holds(run, step):
    """Whether the latest run is more than noise: two or more changing steps, or one step
    of at least CLEAR_STEPS reported steps."""
    changes = sum(1 for (_y, a), (_z, b) in zip(run, run[1:]) if movement(a, b, step) != "flat")
    return changes >= 2 or abs(run[-1][1] - run[0][1]) >= CLEAR_STEPS * step


def trend(points, unit, direction, decimals=None, break_year=None):
    """Trend of a series from its (year, value) points; value None means missing.

    `decimals` is the indicator's number of reported decimals (the smallest step);
    without it the unit's usual precision. `break_year` is the first year after a break in
    the series: earlier years are not compared with it. Returns None when fewer than two
    years (after the break) have a number.
    """
    numbers = sorted((year, Decimal(value)) for year, value in points if value is not None)
    cut = bool(break_year is not None and numbers and numbers[0][0] < break_year)
    if cut:
        numbers = [(year, value) for year, value in numbers if year >= break_year]
    if len(numbers) < 2 or numbers[0][0] == numbers[-1][0]:
        return None
    trend_for = _trend(numbers, unit, direction, decimals)
    return replace(trend_for, break_year=break_year) if cut else trend_for


def crosses_break(points, break_year):
    """Whether a series has numbers on both sides of its break (and so no trend across them)."""
    years = [year for year, value in points if value is not None]
    return break_year is not None and any(y < break_year for y in years) and any(y >= break_year for y in years)


def _trend(numbers, unit, direction, decimals):
    step = smallest_step(unit, decimals)
    (first_year, first), (last_year, last) = numbers[0], numbers[-1]
    moved = movement(first, last, step)
    start = latest_run_start(numbers, step)
    recent = movement(numbers[start][1], last, step) if start > 0 else moved
    if recent == moved or recent == "flat" or not holds(numbers[start:], step):
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
