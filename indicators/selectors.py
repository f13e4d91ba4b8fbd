"""Reads of published indicator data, shared by downloads, the API and the pages."""

from collections.abc import Mapping
from functools import cached_property

from django.utils import translation

from .models import Indicator, MissingReason, PeriodKind, Value, period_label
from .units import Unit

LONG_COLUMNS = [
    "goal",
    "indicator_code",
    "indicator",
    "kind",
    "year",
    "period",
    "area",
    "area_code",
    "breakdown",
    "value",
    "unit",
    "missing_reason",
    "respondents",
    "note",
    "source",
    "data_source",
    # Last, so that the columns before keep their places for readers of older files.
    "series_break",
    "series_break_note",
]



class SwedishLabels(Mapping):
    """A TextChoices' labels in Swedish whatever the reader's language: code → label.

    The downloads, the catalogue and the imported files use these words as data, the same in
    every language (README: Languages), while the pages show the choices in the page's language.
    Made on first use (translations need the app registry), then kept: the Swedish never changes.
    """

    def __init__(self, choices):
        self.choices = choices

    @cached_property
    def labels(self):
        with translation.override("sv"):
            return {value: str(label) for value, label in self.choices.choices}

    def __getitem__(self, code):
        return self.labels[code]

    def __iter__(self):
        return iter(self.labels)

    def __len__(self):
        return len(self.labels)


KIND_LABELS = SwedishLabels(Indicator.Kind)
UNIT_LABELS = SwedishLabels(Unit)
MISSING_LABELS = SwedishLabels(MissingReason)


def format_number(value):
    """Decimal → plain text without trailing zeros: 6.9000 → "6.9", 25.0000 → "25"."""
    if value is None:
        return ""
    text = format(value.normalize(), "f")
    return text


def published_value_rows(indicator=None):
    """One dict per approved value, in LONG_COLUMNS order, in goal/indicator/series/area/year order.

    One query, whatever the number of values.
    """
    values = Value.objects.published().filter(series__indicator__status__in=["active", "retired"])
    if indicator is not None:
        values = values.filter(series__indicator=indicator)
    fields = [
        "series__indicator__goal__number",
        "series__indicator__code",
        "series__indicator__title",
        "series__indicator__kind",
        "year",
        "series__indicator__period_kind",
        "area__name",
        "area__code",
        "series__label",
        "value",
        "series__indicator__unit",
        "missing_reason",
        "respondents",
        "footnote",
        "source_ref",
        "series__indicator__source",
        "series__break_year",
        "series__break_note",
    ]
    ordering = [
        "series__indicator__goal__number",
        "series__indicator__kind",
        "series__indicator__position",
        "series__indicator__code",
        "series__order",
        "series_id",
        "area__name",
        "year",
    ]
    for row in values.order_by(*ordering).values_list(*fields):
        (goal, code, title, kind, year, period_kind, area, area_code, label, value, unit, missing, respondents,
         footnote, source_ref, data_source, break_year, break_note) = row
        yield {
            "goal": goal,
            "indicator_code": code,
            "indicator": title,
            "kind": KIND_LABELS[kind],
            "year": year,
            "period": period_label(year, period_kind or PeriodKind.CALENDAR),
            "area": area,
            "area_code": area_code,
            "breakdown": label or "Totalt",  # sv-only: the downloads' stable word for the whole group
            "value": format_number(value),
            "unit": UNIT_LABELS[unit],
            "missing_reason": MISSING_LABELS.get(missing, "") if missing else "",
            "respondents": "" if respondents is None else respondents,
            "note": footnote,
            "source": source_ref,
            "data_source": data_source,
            "series_break": "" if break_year is None else period_label(break_year, period_kind or PeriodKind.CALENDAR),
            "series_break_note": break_note,
        }


# Fields the public pages need to draw a chart and its table; plain dicts, no model instances.
PANEL_VALUE_FIELDS = [
    "id",
    "series_id",
    "series__indicator_id",
    "area_id",
    "area__name",
    "area__kind",
    "year",
    "value",
    "missing_reason",
    "footnote",
    "state",
]


def values_by_indicator(indicator_ids, *, published_only=True, up_to_year=None, from_year=None, ids=None):
    """Values of many indicators in ONE query, grouped in Python: indicator id → list of dicts.

    `published_only=False` also returns unapproved rows, for a caller (the frozen report
    edition) that decides itself which rows to show; public callers keep the default.
    """
    values = Value.objects.filter(series__indicator_id__in=list(indicator_ids)).on_pages()
    if ids is not None:
        # A published edition's figures, by primary key: a handful of rows however large the table.
        values = values.filter(pk__in=ids)
    if published_only:
        values = values.published()
    if up_to_year is not None:
        values = values.filter(year__lte=up_to_year)
    if from_year is not None:
        values = values.filter(year__gte=from_year)
    grouped = {indicator_id: [] for indicator_id in indicator_ids}
    for row in values.order_by("series__order", "series_id", "area_id", "year").values(*PANEL_VALUE_FIELDS):
        grouped.setdefault(row["series__indicator_id"], []).append(row)
    return grouped
