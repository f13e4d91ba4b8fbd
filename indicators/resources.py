"""Import of yearly values with django-import-export, long format: one value per row.

Every format (long CSV/XLSX, the report's wide tables, Kolada JSON) is first turned
into the long dataset (see formats.py) and then goes through `ValueResource`.

Speed: the lookups an import needs (indicators, series, areas, existing values) are
read once per import into dicts by `ValueLookups`; rows are then resolved in memory
and written with bulk_create/bulk_update (plus bulk history rows). A file with any
bad row writes nothing: the resource always rolls back on validation errors.
"""

import re
import unicodedata
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from import_export import fields, resources
from import_export.admin import ImportMixin
from import_export.results import RowResult

from strategy.models import Area
from strategy.scoping import organisation_for, sees_everything
from strategy.workflow import State

from .bulk_copy import copy_history, copy_insert, copy_update, uses_copy
from .formats import VALUE_IMPORT_FORMATS
from .grid import MISSING_CODES, parse_cell
from .models import FIRST_YEAR, LAST_YEAR, Category, Indicator, MissingReason, PeriodKind, Series, Value
from .selectors import MISSING_LABELS, format_number

REQUIRED_COLUMNS = ["year", "area", "breakdown", "value"]
# Columns written to the value when present in the file; absent columns keep what is stored.
OPTIONAL_COLUMNS = {"missing_reason": "missing_reason", "respondents": "respondents", "note": "footnote",
                    "source": "source_ref"}
TOTAL_WORDS = {"", "totalt", "total", "samtliga", "alla"}
YEAR_RE = re.compile(r"^(\d{4})(?:\.0+)?$")
SCHOOL_YEAR_RE = re.compile(r"^(\d{4})\s*/\s*(\d{2}|\d{4})$")
VALUE_QUANTUM = Decimal("0.0001")  # Value.value has four decimals
VALUE_LIMIT = Decimal("1e10")  # and at most ten digits before the point
CHANGE_REASON = "Importerad från fil"


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

    def __init__(self, *, indicator_codes=None, kolada_kpis=None):
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
        self.existing = {
            (v.series_id, v.area_id, v.year): v
            for v in Value.objects.filter(series__indicator__in=self.indicators.values())
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
    try:
        parsed = parse_cell(cell_text(cell))
    except forms.ValidationError as exc:
        raise ValidationError(f"”{cell_text(cell)}” är inget tal. {exc.messages[0]}")
    if parsed is None:
        return None, ""
    number, reason = parsed
    if number is not None:
        if abs(number) >= VALUE_LIMIT:
            raise ValidationError(f"Värdet {cell_text(cell)} är för stort.")
        number = number.quantize(VALUE_QUANTUM)
        indicator.check_value(number)
    return number, reason


def parse_respondents(cell):
    text = cell_text(cell).replace("\u00a0", "").replace(" ", "")
    if not text:
        return None
    if not text.isdigit():
        raise ValidationError(f"Antal svarande ”{cell_text(cell)}” ska vara ett heltal, 0 eller större.")
    return int(text)


class ValueRowResult(RowResult):
    def add_instance_info(self, instance):
        # The model's __str__ reads several related objects; this says the same from the cached ones.
        self.object_id = instance.pk
        series = instance._state.fields_cache["series"]
        self.object_repr = f"{series.indicator.code} {series.display_label} {instance.year} {instance.area.name}"


class ValueResource(resources.ModelResource):
    """Long format, one value per row; also accepts exactly what /data/values.csv produces."""

    indicator_code = fields.Field(column_name="indicator_code", readonly=True)
    year = fields.Field(attribute="year", column_name="year", readonly=True)
    area = fields.Field(column_name="area", readonly=True)
    breakdown = fields.Field(column_name="breakdown", readonly=True)
    value = fields.Field(column_name="value", readonly=True)
    missing_reason = fields.Field(column_name="missing_reason", readonly=True)
    respondents = fields.Field(attribute="respondents", column_name="respondents", readonly=True)
    note = fields.Field(attribute="footnote", column_name="note", readonly=True)
    source = fields.Field(attribute="source_ref", column_name="source", readonly=True)

    class Meta:
        model = Value
        fields = ["indicator_code", "year", "area", "breakdown", "value", "missing_reason", "respondents", "note",
                  "source"]
        import_id_fields = ()
        use_transactions = True
        use_bulk = True
        batch_size = 2000
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = False

    def __init__(self, *, user=None, **kwargs):
        super().__init__(**kwargs)
        self.user = user
        self.lookups = None
        self.seen = {}
        self.columns = set()
        self.row_number = None

    @classmethod
    def get_display_name(cls):
        return "Värden (långt format)"

    # --- the import --------------------------------------------------------------------------------

    def import_data(self, dataset, **kwargs):
        # One bad row means nothing is written, also when confirming.
        kwargs["rollback_on_validation_errors"] = True
        return super().import_data(dataset, **kwargs)

    def before_import(self, dataset, **kwargs):
        self.columns = {h.strip() for h in dataset.headers or [] if h}
        missing = [c for c in REQUIRED_COLUMNS if c not in self.columns]
        if not self.columns & {"indicator_code", "kolada_kpi"}:
            missing.insert(0, "indicator_code")
        if missing:
            dataset.wipe()  # so that no row is tried against a file that cannot be read
            raise ValidationError(f"Filen saknar kolumnerna {', '.join(missing)}.")
        dataset.headers = [h.strip() if h else h for h in dataset.headers]
        self.lookups = ValueLookups(
            indicator_codes=set(self._column(dataset, "indicator_code")),
            kolada_kpis=set(self._column(dataset, "kolada_kpi")),
        )
        # A reporter imports only its own organisation's indicators; a coordinator any.
        self.scoped = not (self.user and sees_everything(self.user))
        self.organisation = organisation_for(self.user) if self.user else None
        self.seen = {}
        self.last_year = min(LAST_YEAR, timezone.now().year)  # no figures for years to come
        # A new Value by position, which is much cheaper than by keyword for 100 000 rows.
        self.new_value_fields = [f.attname for f in Value._meta.concrete_fields]
        self.new_value_defaults = [f.get_default() for f in Value._meta.concrete_fields]

    @staticmethod
    def _column(dataset, name):
        return [cell_text(c) for c in dataset[name]] if name in dataset.headers else []

    def get_or_init_instance(self, instance_loader, row):
        self.before = None
        self.parsed = self.parse_row(row)
        series, area, year = self.parsed["series"], self.parsed["area"], self.parsed["year"]
        key = (series.pk, area.pk, year)
        if key in self.seen:
            raise ValidationError(
                {"breakdown": f"Dubblett: rad {self.seen[key]} har redan ett värde för samma indikator, "
                              "uppdelning, område och år."}
            )
        self.seen[key] = self.row_number
        existing = self.lookups.existing.get(key)
        if existing is not None:
            existing._state.fields_cache.update(series=series, area=area)
            self.before = self.snapshot(existing)
            return existing, False
        return self.new_value(series, area, year), True

    def new_value(self, series, area, year):
        values = dict(zip(self.new_value_fields, self.new_value_defaults))
        values.update(series_id=series.pk, area_id=area.pk, year=year, state=State.DRAFT)
        value = Value(*values.values())
        value._state.fields_cache.update(series=series, area=area)
        return value

    def get_row_result_class(self):
        return ValueRowResult

    def import_row(self, row, instance_loader, **kwargs):
        self.row_number = kwargs.get("row_number")
        return super().import_row(row, instance_loader, **kwargs)

    def parse_row(self, row):
        """Resolve and check one row; a ValidationError names the columns that are wrong, in Swedish."""
        errors = {}
        indicator = self._indicator(row, errors)
        parsed = {"indicator": indicator}
        if indicator is None:
            raise ValidationError(errors)
        breakdown = cell_text(row.get("breakdown"))
        kolada = bool(cell_text(row.get("kolada_kpi")))
        steps = [  # (column, what it becomes, how)
            ("year", "year", lambda: parse_year(row.get("year"), indicator, self.last_year)),
            ("area", "area", lambda: self.lookups.area(cell_text(row.get("area")))),
            ("breakdown", "series", lambda: self.lookups.breakdown(indicator, breakdown, create=kolada)),
            ("value", "value", lambda: parse_value(row.get("value"), indicator)),
            ("missing_reason", "missing_reason", lambda: parse_missing_reason(row.get("missing_reason"))),
            ("respondents", "respondents", lambda: parse_respondents(row.get("respondents"))),
        ]
        for column, name, step in steps:
            try:
                parsed[name] = step()
            except ValidationError as exc:
                errors[column] = exc.messages
        if "value" in parsed and "missing_reason" in parsed:
            (number, code), reason = parsed["value"], parsed["missing_reason"]
            if number is not None and reason:
                errors["missing_reason"] = ["Ange antingen ett värde eller en orsak till att det saknas, inte båda."]
            elif number is None and not (code or reason):
                errors["value"] = ["Ange ett värde eller en orsak till att det saknas."]
            parsed["number"], parsed["reason"] = number, code or reason
        source = cell_text(row.get("source"))
        if len(source) > Value._meta.get_field("source_ref").max_length:
            errors["source"] = ["Källan får vara högst 300 tecken."]
        if errors:
            raise ValidationError(errors)
        return parsed

    def _indicator(self, row, errors):
        code, kpi = cell_text(row.get("indicator_code")), cell_text(row.get("kolada_kpi"))
        indicator = self.lookups.indicators.get(code) if code else self.lookups.by_kpi.get(kpi)
        if indicator is None:
            if code or not kpi:
                errors["indicator_code"] = [f"Okänd indikator ”{code}”. Ange koden, t.ex. 1.I2."]
            else:
                errors["indicator_code"] = [f"Ingen indikator har Kolada-KPI ”{kpi}”."]
            return None
        if self.scoped and (self.organisation is None or indicator.responsible_id != self.organisation.pk):
            errors["indicator_code"] = [
                f"Du får bara importera värden för din organisations indikatorer; {indicator.code} ansvarar "
                f"{indicator.responsible or 'ingen organisation'} för."
            ]
            return None
        return indicator

    def import_instance(self, instance, row, **kwargs):
        parsed = self.parsed
        instance.value, instance.missing_reason = parsed["number"], parsed["reason"]
        if "respondents" in self.columns:
            instance.respondents = parsed["respondents"]
        if "note" in self.columns:
            instance.footnote = cell_text(row.get("note"))
        if "source" in self.columns:
            instance.source_ref = cell_text(row.get("source"))

    @staticmethod
    def snapshot(value):
        return (value.value, value.missing_reason, value.respondents, value.footnote, value.source_ref)

    def skip_row(self, instance, original, row, import_validation_errors=None):
        return self.before is not None and self.snapshot(instance) == self.before

    def before_save_instance(self, instance, row, **kwargs):
        # New and changed values enter the review workflow again; nothing imported is public until approved.
        instance.state, instance.submitted_at, instance.approved_at, instance.approved_by = State.DRAFT, None, None, None
        if instance.pk:
            instance.version += 1
            instance.updated_at = timezone.now()

    # --- bulk writes with history ----------------------------------------------------------------

    def get_bulk_update_fields(self):
        return ["value", "missing_reason", "respondents", "footnote", "source_ref", "state", "submitted_at",
                "approved_at", "approved_by", "updated_at", "version"]

    def bulk_create(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        self._write(super().bulk_create, False, using_transactions, dry_run, raise_errors, batch_size, result)

    def bulk_update(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        self._write(super().bulk_update, True, using_transactions, dry_run, raise_errors, batch_size, result)

    def _write(self, write, update, using_transactions, dry_run, raise_errors, batch_size, result):
        instances = self.update_instances if update else self.create_instances
        # (result.has_errors() would go through every row result; once per batch adds up.)
        if dry_run or result.invalid_rows or result.base_errors:
            # Every row was checked in memory already; the preview need not write and roll back.
            instances.clear()
            return
        if uses_copy():
            self._copy(instances, update)
            instances.clear()
            return
        written = list(instances)
        write(using_transactions, dry_run, raise_errors, batch_size=batch_size, result=result)
        if written and not result.has_errors():
            Value.history.bulk_history_create(
                written, batch_size=batch_size, update=update, default_user=self.user,
                default_change_reason=CHANGE_REASON,
            )

    def _copy(self, instances, update):
        """PostgreSQL: COPY the batch and its history rows (what bulk_create/bulk_update and
        bulk_history_create would write, in a fraction of the time)."""
        now = timezone.now()
        if update:
            copy_update(Value, instances, self.get_bulk_update_fields())
        else:
            for obj in instances:
                obj.created_at = obj.updated_at = now
            copy_insert(Value, instances)
        copy_history(Value, instances, history_type="~" if update else "+", user=self.user, reason=CHANGE_REASON,
                     date=now)

    # --- how a row looks in the preview ----------------------------------------------------------

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


class ValueImportAdminMixin(ImportMixin):
    """Adds "Importera" to the values admin: choose a file and a format, see the preview, confirm."""

    resource_classes = [ValueResource]
    import_formats = VALUE_IMPORT_FORMATS
    import_template_name = "admin/indicators/value/import.html"

    def get_import_resource_kwargs(self, request, **kwargs):
        return {"user": request.user}

    def has_import_permission(self, request):
        return request.user.has_perms(["indicators.add_value", "indicators.change_value"])
