"""The large data set: the real indicators and series, more areas and more years.

The real data has values for a few years and mostly for Stockholms län. The
large set keeps every indicator and series as it is and fills in the other areas
(the 26 municipalities, the police and prosecution regions, the country and, as
comparison, the other twenty counties) and the years back to 2000, until it holds
TARGET_VALUES approved values. Figures are random but valid for the unit.
"""

import random
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

from indicators.models import FIRST_YEAR, Series, Value
from indicators.units import Unit
from strategy.models import Area
from reporting.models import State

TARGET_VALUES = 100_000
LAST_YEAR = 2026

OTHER_COUNTIES = [
    ("Uppsala län", "03"), ("Södermanlands län", "04"), ("Östergötlands län", "05"), ("Jönköpings län", "06"),
    ("Kronobergs län", "07"), ("Kalmar län", "08"), ("Gotlands län", "09"), ("Blekinge län", "10"),
    ("Skåne län", "12"), ("Hallands län", "13"), ("Västra Götalands län", "14"), ("Värmlands län", "17"),
    ("Örebro län", "18"), ("Västmanlands län", "19"), ("Dalarnas län", "20"), ("Gävleborgs län", "21"),
    ("Västernorrlands län", "22"), ("Jämtlands län", "23"), ("Västerbottens län", "24"), ("Norrbottens län", "25"),
]

# Upper ends of plausible figures per unit.
UNIT_MAX = {Unit.PERCENT: 100, Unit.COUNT: 5000, Unit.MEAN_SCORE: 10, Unit.RATE: 1500, Unit.DAYS: 365}


def random_value(rng, unit):
    top = UNIT_MAX.get(unit, 100)
    if unit == Unit.COUNT:
        return Decimal(rng.randint(0, top))
    return Decimal(str(round(rng.uniform(0, top), 1)))


def add_other_counties():
    for name, code in OTHER_COUNTIES:
        slug = "lan-" + code
        Area.objects.get_or_create(slug=slug, defaults={"name": name, "kind": Area.COUNTY, "code": code})


@transaction.atomic
def grow(target=TARGET_VALUES, seed=2024):
    """Add approved values until there are `target`; returns how many were added."""
    add_other_counties()
    rng = random.Random(seed)
    existing = set(Value.objects.values_list("series_id", "area_id", "year"))
    missing = target - len(existing)
    if missing <= 0:
        return 0
    series = list(Series.objects.select_related("indicator").order_by("indicator__code", "order", "id"))
    areas = list(Area.objects.order_by("kind", "code", "slug"))
    # One template row with every column as Django would write it (defaults,
    # auto_now, fields added later included); each value only changes five columns.
    template = Value(series=series[0], area=areas[0], year=LAST_YEAR, value=Decimal(0), state=State.APPROVED,
                     approved_at=timezone.now(), source_ref="Benchmark")
    fields = [f for f in Value._meta.concrete_fields if not f.primary_key]
    base_row = [f.get_db_prep_save(f.pre_save(template, True), connection) for f in fields]
    position = {f.attname: i for i, f in enumerate(fields)}
    rows = []
    # Newest years first, so that the years a page shows are full before older ones are.
    for year in range(LAST_YEAR, FIRST_YEAR - 1, -1):
        for area in areas:
            for s in series:
                if len(rows) == missing:
                    break
                if (s.id, area.id, year) in existing:
                    continue
                row = list(base_row)
                row[position["series_id"]] = s.id
                row[position["area_id"]] = area.id
                row[position["year"]] = year
                row[position["value"]] = random_value(rng, s.indicator.unit)
                row[position["respondents"]] = rng.randint(20, 2000)
                rows.append(row)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    with connection.cursor() as cursor:
        # COPY: the fastest way in, and the same conversions as bulk_create.
        with cursor.cursor.copy(f"COPY {Value._meta.db_table} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    return len(rows)
