"""Import of yearly values with django-import-export, long format: one value per row.

Every format (long CSV/XLSX, the report's wide tables, Kolada JSON) is first turned
into the long dataset (see formats.py) and then goes through `ValueResource`.

Speed: the lookups an import needs (indicators, series, areas, existing values) are
read once per import into dicts by `ValueLookups`; every row is then checked and
classified in one pass (`ValueResource.import_data_inner`, instead of import-export's
row by row), and the new and changed values are written with their history rows in
one statement each on PostgreSQL (bulk_copy.py), with Django's bulk methods elsewhere.
The Result has the totals, every bad row and the first rows of each kind for the
preview. A file with any bad row writes nothing.
"""

import re
import unicodedata
from collections import namedtuple
from copy import copy
from decimal import Decimal

from django import forms
from django.conf import settings
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from import_export import exceptions, fields, resources, widgets
from import_export.admin import ImportExportMixin
from import_export.formats.base_formats import CSV, XLSX
from import_export.results import Result, RowResult

from strategy.models import Area
from reporting.signals import reviewed_items_written
from reporting.models import State
from reporting.policy import Action, Policy, Write
from reporting.spreadsheet import neutralise_row
from reporting.uploads import NUL_MESSAGE, ChangedSincePreview, SafeImportMixin, has_nul

from .bulk_copy import HistoryRow, insert_with_history, update_with_history, uses_copy
from .formats import VALUE_IMPORT_FORMATS
from .grid import MISSING_CODES, parse_cell
from .models import FIRST_YEAR, LAST_YEAR, Category, Indicator, MissingReason, PeriodKind, Series, Value
from .selectors import MISSING_LABELS, format_number
from .services import value_item

REQUIRED_COLUMNS = ["year", "area", "breakdown", "value"]
# Columns written to the value when present in the file; absent columns keep what is stored.
OPTIONAL_COLUMNS = {"missing_reason": "missing_reason", "respondents": "respondents", "note": "footnote",
                    "source": "source_ref"}
TOTAL_WORDS = {"", "totalt", "total", "samtliga", "alla"}
YEAR_RE = re.compile(r"^(\d{4})(?:\.0+)?$")
SCHOOL_YEAR_RE = re.compile(r"^(\d{4})\s*/\s*(\d{2}|\d{4})$")
VALUE_QUANTUM = Decimal("0.0001")  # Value.value has four decimals
VALUE_LIMIT = Decimal("1e10")  # and at most ten digits before the point
# A number as people and spreadsheets write it, once spaces are removed: 6,9 · 6.9 · -3 · 12,5 %.
# Decimal() alone would also take 1_000, 1e3, NaN and Infinity.
NUMBER_RE = re.compile(r"^[+-]?\d+(?:[.,]\d+)?%?$")
RESPONDENTS_LIMIT = 2_147_483_647  # Value.respondents is a PositiveIntegerField (integer on PostgreSQL)
CHANGE_REASON = "Importerad från fil"
NUMBER = widgets.IntegerWidget(coerce_to_string=False)


def normalise(text):
    """Text for matching names typed by people: "Åk 8" and "ak8" are equal, so are "Upplands Väsby" and "upplands-vasby"."""
    text = unicodedata.normalize("NFKD", str(text or "").casefold())
    return "".join(ch for ch in text if ch.isalnum())


def cell_text(cell):
    """A cell from CSV (text) or XLSX (number, text or None) as text."""
    if cell.__class__ is str:  # nearly always (CSV); checked first because it runs ~10 times per row
        return cell.strip()
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


class ValueLookups:
    """Everything an import resolves against, read once (a few queries whatever the file size)."""

    def __init__(self, *, indicator_codes=None, kolada_kpis=None, lock=False):
        indicators = Indicator.objects.select_related("responsible")
        wanted = [c for c in indicator_codes or [] if c]
        kpis = [k for k in kolada_kpis or [] if k]
        if wanted or kpis:
            indicators = indicators.filter(code__in=wanted) | indicators.filter(kolada_kpi__in=kpis, kolada_kpi__gt="")
        self.indicators = {i.code: i for i in indicators}
        self.by_kpi = {i.kolada_kpi: i for i in self.indicators.values() if i.kolada_kpi}
        self.areas = {}
        for area in Area.objects.all():
            for name in (area.slug, area.name, area.code):
                if name:
                    self.areas.setdefault(normalise(name), area)
                    self.areas.setdefault(name, area)  # as written: no normalising for most rows
        self.categories = {(c.dimension.code, c.code): c for c in Category.objects.select_related("dimension")}
        self.series = {}  # indicator id → {key: series}
        for s in Series.objects.filter(indicator__in=self.indicators.values()):
            s.indicator = self._indicator_by_id(s.indicator_id)
            self.series.setdefault(s.indicator_id, {})[s.key] = s
        # Plain tuples, not instances: a few of the columns of up to 100 000 values. A confirm locks them
        # until it commits, so that no edit lands between its check against the preview and its writes.
        stored_values = Value.objects.filter(series__indicator__in=self.indicators.values())
        if lock:
            stored_values = stored_values.select_for_update(of=("self",))
        self.existing = {
            (series_id, area_id, year): Stored(*stored)
            for series_id, area_id, year, *stored in stored_values.values_list(
                "series_id", "area_id", "year", *Stored._fields)
        }
        self._breakdowns = {}

    def _indicator_by_id(self, pk):
        if not hasattr(self, "_ids"):
            self._ids = {i.pk: i for i in self.indicators.values()}
        return self._ids[pk]

    def area(self, text):
        area = self.areas.get(text) or self.areas.get(normalise(text))
        if area is None:
            raise ValidationError(f"Okänt område ”{text}”. Ange namn, kod eller kortnamn, t.ex. Stockholms län eller 0180.")
        return area

    def breakdown(self, indicator, text, *, create=False):
        """The series of `indicator` that a breakdown in words or as key means; cached per text."""
        cache_key = (indicator.pk, text, create)
        if cache_key not in self._breakdowns:
            self._breakdowns[cache_key] = self._resolve_breakdown(indicator, text, create)
        return self._breakdowns[cache_key]

    def _resolve_breakdown(self, indicator, text, create):
        series = self.series.setdefault(indicator.pk, {})
        wanted = normalise(text)
        if wanted in TOTAL_WORDS:
            key = ""
        elif "=" in text:
            key = text.strip()
        else:
            key = self._key_from_words(series.values(), wanted, text)
        if key is None:
            labels = "; ".join(s.label or "Totalt" for s in series.values()) or "inga"
            raise ValidationError(f"Okänd uppdelning ”{text}” för {indicator.code}. Indikatorn har: {labels}.")
        if key not in series:
            if not create:
                what = "ingen totalserie (Totalt)" if key == "" else f"ingen serie ”{text}”"
                raise ValidationError(f"Indikatorn {indicator.code} har {what}.")
            series[key] = self._create_series(indicator, key, series)
        return series[key]

    def _key_from_words(self, series, wanted, text):
        for s in series:
            if normalise(s.label) == wanted or (not s.label and wanted in TOTAL_WORDS):
                return s.key
        # "Flickor, åk 8": every part names one category of the series, in any order.
        parts = sorted(normalise(p) for p in text.split(","))
        for s in series:
            pairs = [pair.split("=", 1) for pair in s.key.split("|") if pair]
            names = [self._category_names(d, c) for d, c in pairs]
            if len(names) == len(parts) and self._parts_match(parts, names):
                return s.key
        return None

    def _category_names(self, dimension, code):
        category = self.categories.get((dimension, code))
        return {normalise(code), normalise(category.label) if category else ""}

    @staticmethod
    def _parts_match(parts, names):
        remaining = list(names)
        for part in parts:
            match = next((n for n in remaining if part in n), None)
            if match is None:
                return False
            remaining.remove(match)
        return True

    def _create_series(self, indicator, key, series):
        """A Kolada import may add the total and the kön series (kvinnor, män) an indicator lacks."""
        pairs = [pair.split("=", 1) for pair in key.split("|") if pair]
        categories = [self.categories.get(tuple(p)) for p in pairs]
        if None in categories:
            raise ValidationError(f"Okänd uppdelning ”{key}”.")
        has_headline = any(s.is_headline for s in series.values())
        created = Series.objects.create(
            indicator=indicator, key=key, is_headline=not key and not has_headline, order=len(series)
        )
        if categories:
            created.set_categories(categories)
        created.indicator = indicator
        return created


def parse_year(text, indicator, last_year):
    text = cell_text(text)
    match = YEAR_RE.match(text)
    school = SCHOOL_YEAR_RE.match(text)
    if school:
        first, second = int(school[1]), school[2]
        if int(second[-2:]) != (first + 1) % 100:
            raise ValidationError(f"Läsåret ”{text}” ska vara två år i följd, t.ex. 2022/2023.")
        if indicator.period_kind != PeriodKind.SCHOOL:
            raise ValidationError(f"{indicator.code} redovisas per kalenderår; ange året, t.ex. {first}.")
        year = first
    elif match:
        year = int(match[1])
    else:
        raise ValidationError(f"Ogiltigt år ”{text}”. Ange året, t.ex. 2023, eller läsåret, t.ex. 2022/2023.")
    if not FIRST_YEAR <= year <= last_year:
        raise ValidationError(f"Året {year} är inte rimligt; det ska ligga mellan {FIRST_YEAR} och {last_year}.")
    return year


def parse_missing_reason(text):
    text = cell_text(text)
    if not text:
        return ""
    lowered = text.casefold()
    if lowered in MISSING_CODES:
        return MISSING_CODES[lowered]
    for code, label in MissingReason.choices:
        if lowered in (code, label.casefold()):
            return code
    labels = ", ".join(f"”{label}”" for label in MISSING_LABELS.values())
    raise ValidationError(f"Okänd orsak till saknat värde ”{text}”. Ange {labels} eller x, .. eller –.")


def parse_value(cell, indicator):
    """(number or None, missing code or ""), checked against the indicator's unit."""
    text = repr(cell) if isinstance(cell, float) else cell_text(cell)  # a float from Excel with all its digits
    try:
        parsed = parse_cell(text)
    except forms.ValidationError as exc:
        raise ValidationError(f"”{text}” är inget tal. {exc.messages[0]}")
    if parsed is None:
        return None, ""
    number, reason = parsed
    if number is not None:
        if not NUMBER_RE.match(text.replace("\u00a0", "").replace(" ", "")):
            raise ValidationError(f"”{text}” är inget tal. Skriv talet med siffror och decimalkomma eller "
                                  "decimalpunkt, t.ex. 1000 eller 6,9.")
        if abs(number) >= VALUE_LIMIT:
            raise ValidationError(f"Värdet {text} är för stort; det får ha högst tio siffror före decimaltecknet.")
        if number != number.quantize(VALUE_QUANTUM):
            # Rounding would store another figure than the file's, or 0 for a very small one.
            raise ValidationError(f"Värdet {text} har fler än fyra decimaler; avrunda det i filen.")
        number = number.quantize(VALUE_QUANTUM)
        indicator.check_value(number)
    return number, reason


def parse_respondents(cell):
    text = cell_text(cell).replace("\u00a0", "").replace(" ", "")
    if not text:
        return None
    # [0-9], not isdigit(): "²" is a digit to Python but no number.
    if not re.fullmatch(r"[0-9]+", text):
        raise ValidationError(f"Antal svarande ”{cell_text(cell)}” ska vara ett heltal, 0 eller större.")
    if int(text) > RESPONDENTS_LIMIT:
        raise ValidationError(f"Antal svarande {cell_text(cell)} är för stort.")
    return int(text)


# Rows of each kind (new, changed, unchanged) the result keeps for the preview; bad rows up to
# settings.IMPORT_MAX_ERRORS_SHOWN.
PREVIEW_ROWS = 50
PREVIEW_ACTIONS = {
    RowResult.IMPORT_TYPE_NEW: "Ny: läggs till som utkast",
    RowResult.IMPORT_TYPE_UPDATE: "Ändras: blir utkast",
    RowResult.IMPORT_TYPE_SKIP: "Oförändrad: hoppas över",
}
# The stored fields of a value that an import reads, in one tuple per value.
Stored = namedtuple("Stored", "pk value missing_reason respondents footnote source_ref state reopened_at version")
# What an import writes: the value's fields in Stored's order (value … source_ref).
WRITTEN_FIELDS = ["value", "missing_reason", "respondents", "footnote", "source_ref"]
NEW_COLUMNS = ["series_id", "area_id", "year", *WRITTEN_FIELDS]
# A changed value also carries the review state the write policy leaves it in.
CHANGED_COLUMNS = ["id", *WRITTEN_FIELDS, "state"]
MISSING = object()


class ValueRowResult(RowResult):
    number = None  # the row in the file, 1 = the first row after the header

    def add_instance_info(self, instance):
        # The model's __str__ reads several related objects; this says the same from the cached ones.
        self.object_id = instance.pk
        series = instance._state.fields_cache["series"]
        self.object_repr = f"{series.indicator.code} {series.display_label} {instance.year} {instance.area.name}"


class ValueImportResult(Result):
    """import_export's Result with the totals of every row but row results only for the bad rows and
    the first PREVIEW_ROWS of each kind, so that the preview of 100 000 rows is a page of a few hundred."""

    preview_rows = PREVIEW_ROWS

    def rows_left_out(self):
        shown = sum(1 for row in self.rows if row.import_type in RowResult.valid_import_types)
        return sum(self.totals[kind] for kind in RowResult.valid_import_types) - shown

    def invalid_total(self):
        return self.totals[RowResult.IMPORT_TYPE_INVALID]

    def invalid_left_out(self):
        """Bad rows counted but not listed (settings.IMPORT_MAX_ERRORS_SHOWN)."""
        return self.invalid_total() - len(self.invalid_rows)


class ImportPlan:
    """What a checked file will write: new values and changed ones, as plain tuples."""

    def __init__(self):
        self.new = []  # (series_id, area_id, year, value, missing_reason, respondents, footnote, source_ref)
        self.changed = []  # (id, value, missing_reason, respondents, footnote, source_ref)
        self.samples = []  # (row number, import type, series, area, year, fields, stored) for the preview
        # Every row's value as it was found: "indicator|breakdown|area|year" → (version, 0 if none; series,
        # area, year).
        # The preview keeps the versions (result.preview_versions); the confirm compares them.
        self.found = {}

    def preview_versions(self):
        return {key: found[0] for key, found in self.found.items()}

    def changed_since(self, preview_versions):
        """Labels of the rows whose value is not the one the preview saw (edited, added or deleted since)."""
        return [
            f"{series.indicator.code} {series.display_label} {area.name} {series.indicator.period_label(year)}"
            for key, (version, series, area, year) in self.found.items()
            if preview_versions.get(key) != version
        ]


# Where an import row shows the policy's refusal: the field it names, as the file's column.
POLICY_COLUMNS = {"organisation": "indicator_code", "series": "indicator_code", "year": "year"}


class ValueResource(resources.ModelResource):
    """Long format, one value per row; also accepts exactly what /data/values.csv produces."""

    indicator_code = fields.Field(column_name="indicator_code", readonly=True)
    # Numbers stay numbers in an XLSX export (import-export renders text by default).
    year = fields.Field(attribute="year", column_name="year", readonly=True, widget=NUMBER)
    area = fields.Field(column_name="area", readonly=True)
    breakdown = fields.Field(column_name="breakdown", readonly=True)
    value = fields.Field(column_name="value", readonly=True)
    missing_reason = fields.Field(column_name="missing_reason", readonly=True)
    respondents = fields.Field(attribute="respondents", column_name="respondents", readonly=True, widget=NUMBER)
    note = fields.Field(attribute="footnote", column_name="note", readonly=True)
    source = fields.Field(attribute="source_ref", column_name="source", readonly=True)

    # The export page's names for the columns (reporting.uploads.SwedishExportForm).
    column_labels = {"indicator_code": "Indikatorkod", "year": "År", "area": "Område", "breakdown": "Uppdelning",
                     "value": "Värde", "missing_reason": "Orsak till saknat värde", "respondents": "Antal svarande",
                     "note": "Fotnot", "source": "Källa"}

    class Meta:
        model = Value
        fields = ["indicator_code", "year", "area", "breakdown", "value", "missing_reason", "respondents", "note",
                  "source"]
        import_id_fields = ()
        use_transactions = True
        batch_size = 2000
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = False

    def __init__(self, *, user=None, **kwargs):
        super().__init__(**kwargs)
        self.user = user
        self.lookups = None
        self.columns = set()
        self.nul_columns = []

    @classmethod
    def get_display_name(cls):
        return "Värden (långt format)"

    def get_result_class(self):
        return ValueImportResult

    def get_row_result_class(self):
        return ValueRowResult

    # --- the import --------------------------------------------------------------------------------

    def import_data(self, dataset, **kwargs):
        # One bad row means nothing is written, also when confirming.
        kwargs["rollback_on_validation_errors"] = True
        return super().import_data(dataset, **kwargs)

    def import_data_inner(self, dataset, dry_run, raise_errors, using_transactions, collect_failed_rows, **kwargs):
        """Every row at once instead of import-export's row by row.

        import-export builds a model instance, a RowResult and a diff for every row, which for
        100 000 rows is most of an import's time. Here one pass checks and classifies the rows
        (new, changed, unchanged, bad) against the lookups in dicts; the Result gets the totals,
        every bad row and the first rows of each kind (with their diff, for the preview); the
        writes are a few statements. import_data (import-export's) still runs this in the
        transaction that rolls back a preview, a Kolada series created on the way included.
        """
        result = self.get_result_class()()
        result.diff_headers = self.get_diff_headers()
        result.total_rows = len(dataset)
        try:
            self.before_import(dataset, dry_run=dry_run, **kwargs)
        except Exception as exc:
            self.handle_import_error(result, exc, raise_errors)
            return result
        if collect_failed_rows:
            result.add_dataset_headers(dataset.headers)
        plan = self.plan(dataset, result, collect_failed_rows)
        if result.invalid_rows:
            if raise_errors:
                first = result.invalid_rows[0]
                raise exceptions.ImportError(first.error, number=first.number)
        else:
            result.preview_versions = plan.preview_versions()
            preview_versions = kwargs.get("preview_versions")
            if not dry_run and preview_versions is not None:
                # A confirm writes what its preview showed or nothing: another import or an edit since
                # would otherwise be overwritten without anyone having seen it.
                changed = plan.changed_since(preview_versions)
                if changed:
                    raise ChangedSincePreview(changed)
            self.add_samples(plan, result)
            if not dry_run:
                self.write(plan)
        result.rows.sort(key=lambda row: row.number)
        return result

    def before_import(self, dataset, **kwargs):
        self.columns = {h.strip() for h in dataset.headers or [] if h}
        missing = [c for c in REQUIRED_COLUMNS if c not in self.columns]
        if not self.columns & {"indicator_code", "kolada_kpi"}:
            missing.insert(0, "indicator_code")
        if missing:
            dataset.wipe()  # so that no row is tried against a file that cannot be read
            raise ValidationError(f"Filen saknar kolumnerna {', '.join(missing)}.")
        dataset.headers = [h.strip() if h else h for h in dataset.headers]
        # Columns with a NUL anywhere (PostgreSQL cannot store or even compare it): their rows are refused
        # before any lookup. One scan per column, so the rows of a clean file cost nothing more.
        self.nul_columns = [h for h in dataset.headers if h and "\x00" in "".join(
            c for c in dataset[h] if isinstance(c, str))]
        self.lookups = ValueLookups(
            indicator_codes={c for c in self._column(dataset, "indicator_code") if "\x00" not in c},
            kolada_kpis={k for k in self._column(dataset, "kolada_kpi") if "\x00" not in k},
            # Locked only where the import runs in its transaction (always through the admin).
            lock=not kwargs.get("dry_run", True) and transaction.get_connection().in_atomic_block,
        )
        # Who may write which row, and the state it leaves: the write policy, its context read once.
        self.policy = Policy(self.user)
        self.last_year = min(LAST_YEAR, timezone.now().year)  # no figures for years to come
        # Each distinct cell is parsed once: a file of 100 000 values has a few hundred distinct years,
        # areas and breakdowns. Per column: key → (result, error messages or None).
        self.parsed_cells = {column: {} for column in ("indicator_code", "year", "area", "breakdown", "value",
                                                       "missing_reason", "respondents")}

    @staticmethod
    def _column(dataset, name):
        return [cell_text(c) for c in dataset[name]] if name in dataset.headers else []

    def plan(self, dataset, result, collect_failed_rows=False):
        """Check and classify every row; totals and bad rows go to `result`, the writes to the plan."""
        plan = ImportPlan()
        headers = dataset.headers
        has_respondents, has_note, has_source = (c in self.columns for c in ("respondents", "note", "source"))
        existing = self.lookups.existing
        seen = {}
        totals = result.totals
        samples = {RowResult.IMPORT_TYPE_NEW: 0, RowResult.IMPORT_TYPE_UPDATE: 0, RowResult.IMPORT_TYPE_SKIP: 0}
        for number, cells in enumerate(dataset, 1):
            row = dict(zip(headers, cells))
            try:
                indicator, series, area, year, value, reason, respondents = self.parse_row(row)
                key = (series.pk, area.pk, year)
                if key in seen:
                    raise ValidationError(
                        {"breakdown": f"Dubblett: rad {seen[key]} har redan ett värde för samma indikator, "
                                      "uppdelning, område och år."}
                    )
                seen[key] = number
                stored = existing.get(key)
                # By the series' indicator and breakdown, not its id: a Kolada series the preview created
                # (and rolled back) has another id at the confirm.
                plan.found[f"{series.indicator_id}|{series.key}|{area.pk}|{year}"] = (
                    stored.version if stored else 0, series, area, year)
                # Columns the file lacks keep what is stored.
                fields = (
                    value,
                    reason,
                    respondents if has_respondents else (stored.respondents if stored else None),
                    cell_text(row.get("note")) if has_note else (stored.footnote if stored else ""),
                    cell_text(row.get("source")) if has_source else (stored.source_ref if stored else ""),
                )
                if stored is None:
                    import_type = RowResult.IMPORT_TYPE_NEW
                elif fields == stored[1:6]:
                    import_type = RowResult.IMPORT_TYPE_SKIP
                else:
                    import_type = RowResult.IMPORT_TYPE_UPDATE
                if import_type != RowResult.IMPORT_TYPE_SKIP:
                    state = self.decide(indicator, year, stored)
            except ValidationError as exc:
                self.add_invalid_row(result, number, row, exc, collect_failed_rows)
                continue
            totals[import_type] += 1
            if import_type == RowResult.IMPORT_TYPE_NEW:
                plan.new.append((series.pk, area.pk, year, *fields))
            elif import_type == RowResult.IMPORT_TYPE_UPDATE:
                plan.changed.append((stored.pk, *fields, state))
            if samples[import_type] < PREVIEW_ROWS:
                samples[import_type] += 1
                plan.samples.append((number, import_type, series, area, year, fields, stored))
        return plan

    def add_invalid_row(self, result, number, row, error, collect_failed_rows):
        result.totals[RowResult.IMPORT_TYPE_INVALID] += 1
        if len(result.invalid_rows) >= settings.IMPORT_MAX_ERRORS_SHOWN:
            return  # counted, not kept: a file of bad rows must not become a page (and memory) its size
        row_result = self.get_row_result_class()()
        row_result.number = number
        row_result.import_type = RowResult.IMPORT_TYPE_INVALID
        row_result.validation_error = error
        result.append_invalid_row(number, row, error)
        result.append_row_result(row_result)
        if collect_failed_rows:
            result.append_failed_row(row, error)

    def parse_row(self, row):
        """Resolve and check one row; a ValidationError names the columns that are wrong, in Swedish.

        (indicator, series, area, year, value, missing reason, respondents). The caches are keyed by
        the cells as read, so that a repeated cell costs one dict lookup (no stripping, no parsing)."""
        errors = {}
        get = row.get
        if self.nul_columns:
            errors = {column: [NUL_MESSAGE] for column in self.nul_columns if has_nul(get(column))}
            if errors:
                raise ValidationError(errors)
        code, kpi = get("indicator_code"), get("kolada_kpi")
        found = self._parse("indicator_code", (code, kpi), lambda: self._indicator(code, kpi), errors)
        if found is None:
            raise ValidationError(errors)
        indicator, kolada = found
        year_cell, area_cell, breakdown_cell = get("year"), get("area"), get("breakdown")
        value_cell, reason_cell, respondents_cell = get("value"), get("missing_reason"), get("respondents")
        year = self._parse("year", (year_cell, indicator.pk),
                           lambda: parse_year(year_cell, indicator, self.last_year), errors)
        area = self._parse("area", area_cell, lambda: self.lookups.area(cell_text(area_cell)), errors)
        series = self._parse("breakdown", (breakdown_cell, indicator.pk, kolada),
                             lambda: self.lookups.breakdown(indicator, cell_text(breakdown_cell), create=kolada),
                             errors)
        # The unit is all that the check of a number depends on.
        parsed_value = self._parse("value", (value_cell, indicator.unit),
                                   lambda: parse_value(value_cell, indicator), errors)
        reason = self._parse("missing_reason", reason_cell, lambda: parse_missing_reason(reason_cell), errors)
        respondents = self._parse("respondents", respondents_cell, lambda: parse_respondents(respondents_cell),
                                  errors)
        number = code = None
        if "value" not in errors and "missing_reason" not in errors:
            number, code = parsed_value
            if number is not None and reason:
                errors["missing_reason"] = ["Ange antingen ett värde eller en orsak till att det saknas, inte båda."]
            elif number is None and not (code or reason):
                errors["value"] = ["Ange ett värde eller en orsak till att det saknas."]
        source = get("source")
        if source and len(cell_text(source)) > Value._meta.get_field("source_ref").max_length:
            errors["source"] = ["Källan får vara högst 300 tecken."]
        if errors:
            raise ValidationError(errors)
        return indicator, series, area, year, number, code or reason, respondents

    def _parse(self, column, key, parse, errors):
        """parse() once per distinct cell; its error messages are remembered too and added to `errors`."""
        cache = self.parsed_cells[column]
        outcome = cache.get(key, MISSING)
        if outcome is MISSING:
            try:
                outcome = (parse(), None)
            except ValidationError as exc:
                outcome = (None, exc.messages)
            cache[key] = outcome
        if outcome[1]:
            errors[column] = outcome[1]
        return outcome[0]

    def _indicator(self, code_cell, kpi_cell):
        """(indicator, whether the row is Kolada's) for the row's indicator code or Kolada KPI."""
        code, kpi = cell_text(code_cell), cell_text(kpi_cell)
        indicator = self.lookups.indicators.get(code) if code else self.lookups.by_kpi.get(kpi)
        if indicator is None:
            if code or not kpi:
                raise ValidationError(f"Okänd indikator ”{code}”. Ange koden, t.ex. 1.I2.")
            raise ValidationError(f"Ingen indikator har Kolada-KPI ”{kpi}”.")
        return indicator, bool(kpi)

    def decide(self, indicator, year, stored):
        """The state the write policy leaves this row's value in, or its refusal as the row's error."""
        after = value_item(indicator=indicator, year=year)
        if stored is None:
            write = Write(Action.CREATE, after=after)
        else:
            write = Write(Action.CHANGE, before=value_item(indicator=indicator, year=year, stored=stored), after=after)
        decision = self.policy.decide(write)
        if not decision.allowed:
            raise ValidationError({POLICY_COLUMNS.get(decision.field, "value"): decision.reason})
        return decision.state

    # --- the preview -------------------------------------------------------------------------------

    def add_samples(self, plan, result):
        """Row results with their before/after diff for the first rows of each kind (a few queries)."""
        stored_pks = [stored.pk for *_, stored in plan.samples if stored is not None]
        originals = Value.objects.in_bulk(stored_pks)
        for number, import_type, series, area, year, fields, stored in plan.samples:
            if stored is None:
                original = Value(series=series, area=area, year=year)
            else:
                original = originals[stored.pk]
                original._state.fields_cache.update(series=series, area=area)
            instance = copy(original)  # Model.__getstate__ copies its _state and cached related objects too
            for name, value in zip(WRITTEN_FIELDS, fields):
                setattr(instance, name, value)
            row_result = self.get_row_result_class()()
            row_result.number = number
            row_result.import_type = import_type
            if not self._meta.skip_diff:
                diff = self.get_diff_class()(self, original, import_type == RowResult.IMPORT_TYPE_NEW)
                diff.compare_with(self, instance)
                row_result.diff = diff.as_html()
            row_result.add_instance_info(instance)
            row_result.preview = self.preview_row(import_type, series, area, year, instance,
                                                  None if stored is None else original)
            result.append_row_result(row_result)

    @staticmethod
    def preview_row(import_type, series, area, year, after, before):
        """What the preview shows of a row: where the value goes, what it was, what it becomes."""
        def shown(value):
            if value is None:
                return ""
            if value.value is None:
                return MISSING_LABELS.get(value.missing_reason, "")
            return format_number(value.value).replace(".", ",")  # exactly, not rounded for display

        return {
            "indicator": series.indicator.code,
            "area": area.name,
            "breakdown": series.display_label,
            "year": series.indicator.period_label(year),
            "before": shown(before),
            "after": shown(after),
            "action": PREVIEW_ACTIONS[import_type],
        }

    # --- the writes, with a history row each -------------------------------------------------------

    def write(self, plan):
        """New and changed values become drafts (nothing imported is public until approved), each with
        a history row by the importer."""
        if not (plan.new or plan.changed):
            return
        now = timezone.now()
        # The review fields a written value gets besides the state the policy decided (nothing imported
        # is approved); a changed value also gets version + 1.
        draft = {"submitted_at": None, "approved_at": None, "approved_by_id": None, "updated_at": now}
        history = HistoryRow(user_id=self.user.pk if self.user else None, reason=CHANGE_REASON, date=now)
        if uses_copy():
            new_defaults = {name: value for name, value in self.new_value_defaults(now).items()
                            if name not in NEW_COLUMNS}
            insert_with_history(Value, NEW_COLUMNS, plan.new, constants=new_defaults, history=history)
            update_with_history(Value, CHANGED_COLUMNS, plan.changed, constants=draft, increment="version",
                                history=history)
        else:
            self._write_with_django(plan, draft, now)
        # Bulk writes send no post_save, which is what retires the cached public pages; a changed
        # value that was approved is no longer public.
        reviewed_items_written.send(sender=Value)

    @staticmethod
    def new_value_defaults(now):
        """Every concrete field of a new draft value, as Django would save it."""
        template = Value(state=State.DRAFT, created_at=now, updated_at=now)
        return {f.attname: getattr(template, f.attname) for f in Value._meta.concrete_fields if not f.primary_key}

    def _write_with_django(self, plan, draft, now):
        """Other databases than PostgreSQL (SQLite in the tests): Django's bulk methods."""
        defaults = self.new_value_defaults(now)
        created = [Value(**{**defaults, **dict(zip(NEW_COLUMNS, row))}) for row in plan.new]
        Value.objects.bulk_create(created, batch_size=self._meta.batch_size)
        changed = Value.objects.in_bulk([row[0] for row in plan.changed])
        updated = []
        for pk, *fields in plan.changed:
            value = changed[pk]
            for name, field_value in zip(CHANGED_COLUMNS[1:], fields):
                setattr(value, name, field_value)
            for name, field_value in draft.items():
                setattr(value, name, field_value)
            value.version += 1
            updated.append(value)
        Value.objects.bulk_update(updated, [*CHANGED_COLUMNS[1:], *draft, "version"], batch_size=self._meta.batch_size)
        for written, update in ((created, False), (updated, True)):
            if written:
                Value.history.bulk_history_create(
                    written, batch_size=self._meta.batch_size, update=update, default_user=self.user,
                    default_change_reason=CHANGE_REASON, default_date=now,
                )

    # --- how a row looks in the preview and in an export ----------------------------------------

    def export_resource(self, instance, selected_fields=None, **kwargs):
        # A footnote or source typed as =HYPERLINK(…) must not become a formula in the reader's Excel.
        return neutralise_row(super().export_resource(instance, selected_fields, **kwargs))

    def dehydrate_indicator_code(self, value):
        return value.series.indicator.code

    def dehydrate_area(self, value):
        return value.area.name

    def dehydrate_breakdown(self, value):
        return value.series.display_label

    def dehydrate_value(self, value):
        return format_number(value.value).replace(".", ",")

    def dehydrate_missing_reason(self, value):
        return MISSING_LABELS.get(value.missing_reason, "")


class ValueImportAdminMixin(SafeImportMixin, ImportExportMixin):
    """Adds "Importera" to the values admin (choose a file and a format, see the preview, confirm)
    and "Exportera" of the selected or filtered values in the same long format, so that an
    export can be edited and imported again."""

    resource_classes = [ValueResource]
    import_formats = VALUE_IMPORT_FORMATS
    export_formats = [CSV, XLSX]
    import_template_name = "admin/indicators/value/import.html"

    def get_import_resource_kwargs(self, request, **kwargs):
        return {"user": request.user}

    def generate_log_entries(self, result, request):
        """One admin log entry for the whole import instead of import-export's one per row: the
        result keeps only the first rows of each kind, and every value written has its own
        history row by the importer."""
        if self.get_skip_admin_log():
            return
        new, changed = result.totals[RowResult.IMPORT_TYPE_NEW], result.totals[RowResult.IMPORT_TYPE_UPDATE]
        if new or changed:
            LogEntry.objects.create(
                user_id=request.user.pk,
                content_type=ContentType.objects.get_for_model(Value),
                object_repr=f"Import: {new} nya och {changed} ändrade värden",
                action_flag=ADDITION if new else CHANGE,
                change_message=f"{CHANGE_REASON}: {new} nya, {changed} ändrade värden.",
            )

    def has_import_permission(self, request):
        return request.user.has_perms(["indicators.add_value", "indicators.change_value"])
