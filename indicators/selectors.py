"""Reads of published indicator data, shared by downloads, the API and the pages."""

import re
from collections.abc import Mapping
from functools import cached_property

from django.conf import settings
from django.core.cache import cache
from django.utils import translation
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from modeltranslation.utils import build_localized_fieldname

from .models import CATEGORY_LABELS_KEY, Category, Indicator, MissingReason, PeriodKind, Value, period_label
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


def page_language():
    """The language of the page being made (Swedish, the source, outside a request)."""
    return translation.get_language() or settings.LANGUAGE_CODE


class LanguageText(str):
    """A text a page shows, with the language of each of its parts: a series' label in the page's
    language, or the series' own Swedish on an English page, or an area's Swedish name before it.

    It is the plain text wherever a str goes (comparisons, gettext's %, the downloads); `html()` gives
    it for an element's content with every part not in the page's language in <span lang="…">, so a
    screen reader reads it in its language (WCAG 3.1.2) and a template need not know which part is
    which. Not `__html__`: the same text also goes into attributes (a page's meta description)."""

    def __new__(cls, parts):
        parts = tuple((str(text), language) for text, language in parts if text)
        made = super().__new__(cls, "".join(text for text, _ in parts))
        made.parts = parts
        return made

    def __reduce__(self):  # copy and pickle make it from its parts, not from its text
        return (LanguageText, (self.parts,))

    @classmethod
    def of(cls, text, language=None):
        """`text`, all of it in `language` (the page's when None)."""
        return cls([(text, language or page_language())])

    @classmethod
    def join(cls, separator, texts):
        """The texts joined by `separator` (in the page's language), each part keeping its language."""
        parts = []
        for i, text in enumerate(texts):
            if i:
                parts.append((separator, page_language()))
            parts += text.parts if isinstance(text, LanguageText) else [(text, page_language())]
        return cls(parts)

    @classmethod
    def format(cls, template, values):
        """`template % values` (a sentence in the page's language), the LanguageText values keeping their parts."""
        marks = {name: f"\x00{name}\x00" for name, value in values.items() if isinstance(value, LanguageText)}
        text = template % {name: marks.get(name, value) for name, value in values.items()}
        parts = []
        for i, piece in enumerate(re.split("\x00([^\x00]*)\x00", text)):
            parts += values[piece].parts if i % 2 else [(piece, page_language())]
        return cls(parts)

    @property
    def foreign_parts(self):
        """The parts not in the page's language, as (text, language)."""
        return [(text, language) for text, language in self.parts if language != page_language()]

    @property
    def in_page_language(self):
        return not self.foreign_parts

    def html(self):
        page = page_language()
        return mark_safe("".join(
            conditional_escape(text) if language == page else format_html('<span lang="{}">{}</span>', language, text)
            for text, language in self.parts
        ))


def category_labels(language):
    """Each category's Swedish label → (its label in `language`, the language that label is in): the
    Swedish, "sv", where it has none. Read once and kept in the shared cache until a category changes
    (indicators.models forgets it then)."""
    key = CATEGORY_LABELS_KEY % language
    labels = cache.get(key)
    if labels is None:
        pairs = Category.objects.values_list(build_localized_fieldname("label", "sv"),
                                             build_localized_fieldname("label", language))
        labels = {swedish: (other, language) if other else (swedish, "sv") for swedish, other in pairs}
        cache.set(key, labels, None)
    return labels


def series_label(series):
    """A series' breakdown as a page in the active language says it, as a LanguageText: the one place
    that decides which of its words are in the page's language.

    The stored label is the Swedish one the downloads and the API carry ("Flickor, Åk 8 i grundskolan");
    another language reads each category in its own words ("Girls, Year 8 of compulsory school"), or in
    Swedish where it has none (that category marked Swedish). A label of the series' own (4.I5's "Barn
    under 13 år, …", named by the source, not by its categories) is all Swedish, and marked so."""
    language = page_language()
    if not series.label:
        return LanguageText.of(gettext("Totalt"))
    if language == "sv":
        return LanguageText.of(series.label, "sv")
    labels = category_labels(language)
    # The label is the categories' labels joined by ", ", and a category's own label may hold a comma:
    # at each place the longest run of parts that is a category's label.
    parts, words, start = series.label.split(", "), [], 0
    while start < len(parts):
        for end in range(len(parts), start, -1):
            label = ", ".join(parts[start:end])
            if label in labels:
                words.append(LanguageText([labels[label]]))
                start = end
                break
        else:
            # A label of the series' own, not its categories': all of it in Swedish rather than half.
            return LanguageText.of(series.label, "sv")
    return LanguageText.join(", ", words)
