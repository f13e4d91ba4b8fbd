"""The values' side of the import pipeline (reporting/importing.py): what a row of the long dataset
means — indicator (code or Kolada KPI), year or school year, area, breakdown, value or missing-value
code, respondents, note, source — and the Swedish message for each cell that means nothing.

Every value format (indicators/formats.py) reads its file into the long dataset; `ValueImport` resolves
it: every distinct indicator, year, area and breakdown once against lookups read in a few queries, the
numbers and respondents column by column (pandas), a cell the fast path cannot read once more by the
plain parser below, which says why.

    from indicators.importing import import_values_csv
    result = import_values_csv(open("values.csv", "rb"), user=user)           # write
    result = import_values_csv(text, user=user, dry_run=True)                  # preview only
    result.has_validation_errors(), result.totals, result.invalid_rows
"""

import re
import unicodedata
from decimal import Decimal, InvalidOperation

import numpy as np
import pandas as pd
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reporting.importing import Adapter, Distinct, Kind, run_import
from reporting.numbers import swedish_number
from reporting.uploads import read_csv_frame
from strategy.models import Area

from .grid import MISSING_CODES
from .models import FIRST_YEAR, LAST_YEAR, Category, Indicator, PeriodKind, Series, Value
from .selectors import MISSING_LABELS
from .units import STORED_LIMIT, STORED_QUANTUM, Unit, check_value

REQUIRED_COLUMNS = ["year", "area", "breakdown", "value"]
TOTAL_WORDS = {"", "totalt", "total", "samtliga", "alla"}
YEAR_RE = re.compile(r"^(\d{4})(?:\.0+)?$")
SCHOOL_YEAR_RE = re.compile(r"^(\d{4})\s*/\s*(\d{2}|\d{4})$")
# A number as people and spreadsheets write it, once spaces are removed: 6,9 · 6.9 · -3 · 12,5 %.
# Decimal() alone would also take 1_000, 1e3, NaN and Infinity.
NUMBER_PATTERN = r"[+-]?\d+(?:[.,]\d+)?%?"
RESPONDENTS_LIMIT = 2_147_483_647  # Value.respondents is a PositiveIntegerField (integer on PostgreSQL)
SOURCE_LENGTH = Value._meta.get_field("source_ref").max_length
# The file's optional columns and the value's fields they write; a column the file lacks keeps what is stored.
OPTIONAL_COLUMNS = {"respondents": "respondents", "note": "footnote", "source": "source_ref"}

VALUES = Kind(
    model=Value,
    key=["series_id", "area_id", "year"],
    written=["value", "missing_reason", "respondents", "footnote", "source_ref"],
    optional={"respondents": None, "footnote": "", "source_ref": ""},
    # Where an import row shows the policy's refusal: the field it names, as the file's column.
    policy_columns={"organisation": "indicator_code", "series": "indicator_code", "year": "year"},
    policy_column="value",
    duplicate_column="breakdown",
)
PREVIEW_ACTIONS = {"new": gettext_lazy("Ny: läggs till som utkast"), "update": gettext_lazy("Ändras: blir utkast"),
                   "skip": gettext_lazy("Oförändrad: hoppas över")}


def normalise(text):
    """Text for matching names typed by people: "Åk 8" and "ak8" are equal, so are "Upplands Väsby" and "upplands-vasby"."""
    text = unicodedata.normalize("NFKD", str(text or "").casefold())
    return "".join(ch for ch in text if ch.isalnum())


class ValueLookups:
    """Everything an import resolves against, read once (a few queries whatever the file size)."""

    def __init__(self, *, indicator_codes=(), kolada_kpis=()):
        indicators = Indicator.objects.select_related("responsible")
        wanted = [c for c in indicator_codes if c]
        kpis = [k for k in kolada_kpis if k]
        if wanted or kpis:
            indicators = indicators.filter(code__in=wanted) | indicators.filter(kolada_kpi__in=kpis, kolada_kpi__gt="")
        self.indicators = {i.code: i for i in indicators}
        self.by_kpi = {i.kolada_kpi: i for i in self.indicators.values() if i.kolada_kpi}
        self.by_id = {i.pk: i for i in self.indicators.values()}
        self.areas = {}
        self.areas_by_id = {}
        for area in Area.objects.all():
            self.areas_by_id[area.pk] = area
            for name in (area.slug, area.name, area.code):
                if name:
                    self.areas.setdefault(normalise(name), area)
                    self.areas.setdefault(name, area)  # as written: no normalising for most rows
        self.categories = {(c.dimension.code, c.code): c for c in Category.objects.select_related("dimension")}
        self.series = {}  # indicator id → {key: series}
        self.series_by_id = {}
        for s in Series.objects.filter(indicator__in=self.indicators.values()):
            s.indicator = self.by_id[s.indicator_id]
            self.series.setdefault(s.indicator_id, {})[s.key] = s
            self.series_by_id[s.pk] = s

    def indicator(self, code, kpi):
        """(indicator, whether the row is Kolada's) for the row's indicator code or Kolada KPI."""
        indicator = self.indicators.get(code) if code else self.by_kpi.get(kpi)
        if indicator is None:
            if code or not kpi:
                raise ValidationError(_("Okänd indikator ”%(code)s”. Ange koden, t.ex. 1.I2.") % {"code": code})
            raise ValidationError(_("Ingen indikator har Kolada-KPI ”%(kpi)s”.") % {"kpi": kpi})
        return indicator, bool(kpi)

    def area(self, text):
        area = self.areas.get(text) or self.areas.get(normalise(text))
        if area is None:
            raise ValidationError(_("Okänt område ”%(area)s”. Ange namn, kod eller kortnamn, t.ex. Stockholms län eller 0180.")
                                  % {"area": text})
        return area

    def breakdown(self, indicator, text, *, create=False):
        """The series of `indicator` that a breakdown in words or as key means."""
        series = self.series.setdefault(indicator.pk, {})
        wanted = normalise(text)
        if wanted in TOTAL_WORDS:
            key = ""
        elif "=" in text:
            key = text.strip()
        else:
            key = self._key_from_words(series.values(), wanted, text)
        if key is None:
            labels = "; ".join(s.label or _("Totalt") for s in series.values()) or _("inga")
            raise ValidationError(_("Okänd uppdelning ”%(breakdown)s” för %(code)s. Indikatorn har: %(labels)s.")
                                  % {"breakdown": text, "code": indicator.code, "labels": labels})
        if key not in series:
            if not create:
                if key == "":
                    raise ValidationError(_("Indikatorn %(code)s har ingen totalserie (Totalt).") % {"code": indicator.code})
                raise ValidationError(_("Indikatorn %(code)s har ingen serie ”%(breakdown)s”.")
                                      % {"code": indicator.code, "breakdown": text})
            series[key] = self._create_series(indicator, key, series)
            self.series_by_id[series[key].pk] = series[key]
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
            if len(names) == len(parts) and _parts_match(parts, names):
                return s.key
        return None

    def _category_names(self, dimension, code):
        category = self.categories.get((dimension, code))
        return {normalise(code), normalise(category.label) if category else ""}

    def _create_series(self, indicator, key, series):
        """A Kolada import may add the total and the kön series (kvinnor, män) an indicator lacks."""
        pairs = [pair.split("=", 1) for pair in key.split("|") if pair]
        categories = [self.categories.get(tuple(p)) for p in pairs]
        if None in categories:
            raise ValidationError(_("Okänd uppdelning ”%(breakdown)s”.") % {"breakdown": key})
        has_headline = any(s.is_headline for s in series.values())
        created = Series.objects.create(
            indicator=indicator, key=key, is_headline=not key and not has_headline, order=len(series)
        )
        if categories:
            created.set_categories(categories)
        created.indicator = indicator
        return created


def _parts_match(parts, names):
    remaining = list(names)
    for part in parts:
        match = next((n for n in remaining if part in n), None)
        if match is None:
            return False
        remaining.remove(match)
    return True


# --- one cell, with the reason it is refused --------------------------------------------------------

def parse_year(text, indicator, last_year):
    match = YEAR_RE.match(text)
    school = SCHOOL_YEAR_RE.match(text)
    if school:
        first, second = int(school[1]), school[2]
        if int(second[-2:]) != (first + 1) % 100:
            raise ValidationError(_("Läsåret ”%(year)s” ska vara två år i följd, t.ex. 2022/2023.") % {"year": text})
        if indicator.period_kind != PeriodKind.SCHOOL:
            raise ValidationError(_("%(code)s redovisas per kalenderår; ange året, t.ex. %(year)s.")
                                  % {"code": indicator.code, "year": first})
        year = first
    elif match:
        year = int(match[1])
    else:
        raise ValidationError(_("Ogiltigt år ”%(year)s”. Ange året, t.ex. 2023, eller läsåret, t.ex. 2022/2023.") % {"year": text})
    if not FIRST_YEAR <= year <= last_year:
        raise ValidationError(_("Året %(year)s är inte rimligt; det ska ligga mellan %(first)s och %(last)s.")
                              % {"year": year, "first": FIRST_YEAR, "last": last_year})
    return year


def parse_missing_reason(text):
    if not text:
        return ""
    lowered = text.casefold()
    if lowered in MISSING_CODES:
        return MISSING_CODES[lowered]
    # The Swedish labels whatever the language: they are the words the files are written in.
    for code, label in MISSING_LABELS.items():
        if lowered in (code, label.casefold()):
            return code
    labels = ", ".join(f"”{label}”" for label in MISSING_LABELS.values())
    raise ValidationError(_("Okänd orsak till saknat värde ”%(reason)s”. Ange %(labels)s eller x, .. eller –.")
                          % {"reason": text, "labels": labels})


def parse_value(text, unit):
    """(number or None, missing code or ""), checked against the unit: the plain parser, for the cells the
    column-wise one (`parse_values`) refuses, so that each gets its reason."""
    compact = text.replace("\u00a0", "").replace(" ", "")
    if not compact:
        return None, ""
    if compact.lower() in MISSING_CODES:
        return None, MISSING_CODES[compact.lower()]
    try:
        number = Decimal(compact.rstrip("%").replace(",", "."))
    except InvalidOperation:
        raise ValidationError(_("”%(text)s” är inget tal. Ange ett tal, t.ex. 6,9, eller en kod för saknat värde "
                                "(x, .. eller –).") % {"text": text})
    if not number.is_finite():
        raise ValidationError(_("”%(text)s” är inget tal. Ange ett tal, t.ex. 6,9.") % {"text": text})
    if not re.fullmatch(NUMBER_PATTERN, compact):
        raise ValidationError(_("”%(text)s” är inget tal. Skriv talet med siffror och decimalkomma eller "
                                "decimalpunkt, t.ex. 1000 eller 6,9.") % {"text": text})
    if abs(number) >= STORED_LIMIT:  # as units.check_value, with the cell named
        raise ValidationError(_("Värdet %(text)s är för stort; det får ha högst tio siffror före decimaltecknet.") % {"text": text})
    if number != number.quantize(STORED_QUANTUM):
        # Rounding would store another figure than the file's, or 0 for a very small one.
        raise ValidationError(_("Värdet %(text)s har fler än fyra decimaler; avrunda det i filen.") % {"text": text})
    check_value(unit, number)
    return float(number), ""


def parse_respondents(text):
    compact = text.replace("\u00a0", "").replace(" ", "")
    if not compact:
        return None
    # [0-9], not isdigit(): "²" is a digit to Python but no number.
    if not re.fullmatch(r"[0-9]+", compact):
        raise ValidationError(_("Antal svarande ”%(text)s” ska vara ett heltal, 0 eller större.") % {"text": text})
    if int(compact) > RESPONDENTS_LIMIT:
        raise ValidationError(_("Antal svarande %(text)s är för stort.") % {"text": text})
    return int(compact)


# --- whole columns ------------------------------------------------------------------------------

def parse_values(text, units):
    """The value column at once: (number per row, NaN for none; missing code per row; which rows the
    fast path read). Each distinct cell is parsed once, the unit's range checked per row; rows the fast
    path did not read go to parse_value one distinct cell at a time, for their message."""
    codes, uniques = pd.factorize(text.to_numpy(dtype=object))
    compact = pd.Series(uniques, dtype=object).str.replace("\u00a0", "", regex=False).str.replace(" ", "", regex=False)
    code = compact.str.lower().map(MISSING_CODES).fillna("")
    plain = compact.str.fullmatch(NUMBER_PATTERN).fillna(False).astype(bool)
    digits = compact.where(plain, "").str.rstrip("%").str.replace(",", ".", regex=False)
    number = pd.to_numeric(digits.where(plain), errors="coerce")
    decimals = digits.str.extract(r"\.(\d+)$", expand=False).fillna("").str.rstrip("0").str.len()
    plain &= (decimals <= 4) & (number.abs() < float(STORED_LIMIT))
    empty = (compact == "") | (code != "")
    number = pd.Series(number.where(plain).to_numpy()[codes], index=text.index)
    plain = plain.to_numpy()[codes]
    fits = (number >= 0) & ~((units == Unit.PERCENT) & (number > 100)) & ~((units == Unit.MEAN_SCORE) & (number > 10))
    fits &= ~((units == Unit.COUNT) & (number % 1 != 0))
    read = (plain & fits.to_numpy()) | empty.to_numpy()[codes]
    return number.where(read), pd.Series(code.to_numpy()[codes], index=text.index), read


def parse_respondents_column(text):
    codes, uniques = pd.factorize(text.to_numpy(dtype=object))
    compact = pd.Series(uniques, dtype=object).str.replace("\u00a0", "", regex=False).str.replace(" ", "", regex=False)
    plain = compact.str.fullmatch(r"[0-9]{1,10}").fillna(False).astype(bool)
    number = pd.to_numeric(compact.where(plain), errors="coerce")
    plain &= number.fillna(0) <= RESPONDENTS_LIMIT
    number = pd.Series(number.where(plain).to_numpy()[codes], index=text.index).astype("Int64")
    return number, (plain | (compact == "")).to_numpy()[codes]


class ValueImport(Adapter):
    kind = VALUES

    def resolve(self, rows):
        columns = set(rows.frame.columns)
        missing = [c for c in REQUIRED_COLUMNS if c not in columns]
        if not columns & {"indicator_code", "kolada_kpi"}:
            missing.insert(0, "indicator_code")
        if missing:
            raise ValidationError(f"Filen saknar kolumnerna {', '.join(missing)}.")
        clean = ~rows.bad()  # a row with a NUL anywhere is refused for that alone
        code, kpi = rows.text("indicator_code"), rows.text("kolada_kpi")
        self.lookups = lookups = ValueLookups(indicator_codes=set(code[clean]), kolada_kpis=set(kpi[clean]))
        found = Distinct(pd.DataFrame({"code": code, "kpi": kpi}), lookups.indicator, where=clean)
        rows.refuse("indicator_code", found.errors.notna(), found.errors)
        known = clean & found.errors.isna().to_numpy()
        indicator_id = found.column(lambda f: f[0].pk)
        kolada = found.column(lambda f: f[1])
        by_id = lookups.by_id
        last_year = min(LAST_YEAR, timezone.now().year)  # no figures for years to come

        def cells(**columns):
            return pd.DataFrame(columns, index=rows.frame.index)

        year = Distinct(cells(year=rows.text("year"), indicator=indicator_id),
                        lambda text, pk: parse_year(text, by_id[pk], last_year), where=known)
        area = Distinct(cells(area=rows.text("area")), lambda text: lookups.area(text).pk, where=known)
        series = Distinct(cells(breakdown=rows.text("breakdown"), indicator=indicator_id, kolada=kolada),
                          lambda text, pk, create: lookups.breakdown(by_id[pk], text, create=create).pk, where=known)
        units = indicator_id.map({pk: indicator.unit for pk, indicator in by_id.items()})
        number, code, read = parse_values(rows.text("value"), units)
        slow = Distinct(cells(value=rows.text("value"), unit=units), parse_value, where=known & ~read)
        number = number.where(read, slow.column(lambda p: p[0]).astype(float))
        code = code.where(read, slow.column(lambda p: p[1]).fillna(""))
        reason = Distinct(cells(reason=rows.text("missing_reason")), parse_missing_reason, where=known)
        for column, parsed in (("year", year), ("area", area), ("breakdown", series), ("value", slow),
                               ("missing_reason", reason)):
            rows.refuse(column, parsed.errors.notna(), parsed.errors)
        resolved = pd.DataFrame({
            "series_id": series.column(), "area_id": area.column(), "year": year.column(), "value": number,
            "subject_id": indicator_id,
            "organisation_id": indicator_id.map({pk: indicator.responsible_id for pk, indicator in by_id.items()}),
        }, index=rows.frame.index)
        if rows.has("respondents"):
            respondents, read = parse_respondents_column(rows.text("respondents"))
            slow = Distinct(cells(respondents=rows.text("respondents")), parse_respondents, where=known & ~read)
            rows.refuse("respondents", slow.errors.notna(), slow.errors)
            resolved["respondents"] = respondents
        if rows.has("note"):
            resolved["footnote"] = rows.text("note")
        if rows.has("source"):
            resolved["source_ref"] = rows.text("source")
            rows.refuse("source", known & (rows.text("source").str.len() > SOURCE_LENGTH).to_numpy(),
                        _("Källan får vara högst %(limit)s tecken.") % {"limit": SOURCE_LENGTH})
        # A number or a reason it is missing, not both and not neither.
        reasons = reason.column().fillna("")
        both = known & number.notna().to_numpy() & (reasons != "").to_numpy()
        rows.refuse("missing_reason", both & ~rows.bad(),
                    _("Ange antingen ett värde eller en orsak till att det saknas, inte båda."))
        neither = known & number.isna().to_numpy() & (code == "").to_numpy() & (reasons == "").to_numpy()
        # A row with nothing in it but where it belongs (a template's row for a figure not yet at hand) is
        # left as it is; one that says something else (a note, a source, respondents) wants its figure.
        says_nothing = np.ones(len(rows), dtype=bool)
        for column in OPTIONAL_COLUMNS:
            if rows.has(column):
                says_nothing &= (rows.text(column) == "").to_numpy()
        rows.leave_blank(neither & says_nothing & ~rows.bad())
        rows.refuse("value", neither & ~says_nothing & ~rows.bad(),
                    _("Ange ett värde eller en orsak till att det saknas."))
        resolved["missing_reason"] = code.where(code != "", reasons)
        return resolved

    def stored_rows(self, keys):
        return Value.objects.filter(series_id__in=set(keys["series_id"]))

    def typed(self, stored):
        stored["value"] = stored["value"].astype(float)
        stored["respondents"] = pd.array(stored["respondents"].tolist(), dtype="Int64")
        return stored

    def duplicate_error(self, first):
        return _("Dubblett: rad %(row)s har redan ett värde för samma indikator, uppdelning, område och år.") % {"row": first}

    def found(self, plan):
        # By the series' indicator and breakdown, not its id: a Kolada series the preview created (and
        # rolled back) has another id at the confirm.
        keys = plan["series_id"].map({pk: s.key for pk, s in self.lookups.series_by_id.items()})
        return (plan["subject_id"].astype(str) + "|" + keys + "|" + plan["area_id"].astype(str) + "|"
                + plan["year"].astype(str))

    def label(self, row):
        series = self.lookups.series_by_id[row["series_id"]]
        area = self.lookups.areas_by_id[row["area_id"]]
        return f"{series.indicator.code} {series.display_label} {area.name} {series.indicator.period_label(row['year'])}"

    def preview(self, row, import_type):
        """Where the value goes, what it was, what it becomes."""
        series = self.lookups.series_by_id[row["series_id"]]
        before = "" if import_type == "new" else shown(row["value_stored"], row["missing_reason_stored"])
        return {
            "indicator": series.indicator.code,
            "area": self.lookups.areas_by_id[row["area_id"]].name,
            "breakdown": series.display_label,
            "year": series.indicator.period_label(row["year"]),
            "before": before,
            "after": shown(row["value"], row["missing_reason"]),
            "action": PREVIEW_ACTIONS[import_type],
        }, None


def shown(value, missing_reason):
    if value is None or pd.isna(value):
        return MISSING_LABELS.get(missing_reason, "")
    return swedish_number(Decimal(repr(float(value))))  # exactly, not rounded for display


def import_values(frame, *, user, dry_run=False, preview_versions=None):
    """Import the long dataset (a frame read by a value format) as `user`; import-export's Result."""
    return run_import(ValueImport(user), frame, dry_run=dry_run, preview_versions=preview_versions)


def import_values_csv(fileobj_or_text, *, user, dry_run=False):
    """Import a long-format CSV (file object, bytes or text) as `user`, as the admin does."""
    data = fileobj_or_text.read() if hasattr(fileobj_or_text, "read") else fileobj_or_text
    return import_values(read_csv_frame(data), user=user, dry_run=dry_run)

