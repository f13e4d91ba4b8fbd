"""The values grid: one screen per indicator and area, series as rows, years as columns.

A cell holds a number ("6,9" or "6.9"), a code for a missing value, or nothing.
The whole grid is validated first; one bad cell saves nothing.

With `notes`, each cell also has a footnote and a source ("hämtat från"). With
`record`, a coordinator enters figures from a published statistic: each changed
cell is saved and approved in one step (the write policy's RECORD), and must
name its source, which the value's history keeps with the coordinator's name.
"""

import hashlib
import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from reporting.models import State
from reporting.policy import Action, Policy, Write
from reporting.workflow import apply_content_state
from strategy.models import Area

from .models import FIRST_YEAR, LAST_YEAR, Indicator, MissingReason, Value, year_range_message
from .services import record_change_reason, value_item

MISSING_CODES = {
    "x": MissingReason.TOO_FEW,
    "..": MissingReason.NOT_AVAILABLE,
    "-": MissingReason.NOT_APPLICABLE,
    "–": MissingReason.NOT_APPLICABLE,
}
CODE_FOR_REASON = {MissingReason.TOO_FEW: "x", MissingReason.NOT_AVAILABLE: "..", MissingReason.NOT_APPLICABLE: "–"}
FIRST_GRID_YEAR = 2019
NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:[.,][0-9]*)?|[.,][0-9]+)%?")


def parse_cell(text):
    """'6,9' → (Decimal('6.9'), ''); 'x' → (None, 'too_few'); '' → None (no value)."""
    text = (text or "").strip().replace("\u00a0", "").replace(" ", "")
    if not text:
        return None
    if text.lower() in MISSING_CODES:
        return None, MISSING_CODES[text.lower()]
    # Digits with a decimal comma or point only: Decimal would also read "2e1" (20) and "5_0" (50).
    if not NUMBER.fullmatch(text):
        raise forms.ValidationError(gettext("Ange ett tal, t.ex. 6,9, eller en kod för saknat värde (x, .. eller –)."))
    try:
        number = Decimal(text.rstrip("%").replace(",", "."))
    except InvalidOperation:
        raise forms.ValidationError(gettext("Ange ett tal, t.ex. 6,9, eller en kod för saknat värde (x, .. eller –)."))
    if not number.is_finite():
        raise forms.ValidationError(gettext("Ange ett tal, t.ex. 6,9."))
    return number, ""


def cell_text(value):
    if value.value is None:
        return CODE_FOR_REASON.get(value.missing_reason, "")
    text = format(value.value.normalize(), "f")
    return text.replace(".", ",")


def cell_changed(existing, parsed, notes=None):
    if existing is None:
        return parsed is not None
    if parsed is None:
        return True
    return (existing.value, existing.missing_reason) != parsed or (
        notes is not None and (existing.footnote, existing.source_ref) != notes
    )


def fingerprint(values, notes=False):
    """A digest of the stored cells, so a concurrent change is noticed before it is overwritten."""
    rows = sorted(
        f"{v.series_id}:{v.year}:{v.value}:{v.missing_reason}" + (f":{v.footnote}:{v.source_ref}" if notes else "")
        for v in values
    )
    return hashlib.sha256("|".join(rows).encode()).hexdigest()


class ValuesGridForm(forms.Form):
    fingerprint = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, indicator, area, user=None, years=None, notes=False, record=False, note_years=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicator = indicator
        self.area = area
        self.user = user
        self.policy = Policy(user)
        self.notes = notes or record
        # Footnote and source for these years only (the reporter's open year), or for every year shown.
        self.note_years = None if note_years is None else set(note_years)
        self.record = record
        self.series = list(indicator.series.all())
        values = Value.objects.filter(series__indicator=indicator, area=area)
        if years is not None:
            values = values.filter(year__in=years)
        self.existing = {(v.series_id, v.year): v for v in values}
        if years is None:
            last = max([timezone.now().year, *[y for _, y in self.existing]])
            first = min([FIRST_GRID_YEAR, *[y for _, y in self.existing]])
            years = range(first, last + 1)
        self.years = list(years)
        self.fields["fingerprint"].initial = fingerprint(self.existing.values(), self.notes)
        for s in self.series:
            for year in self.years:
                existing = self.existing.get((s.pk, year))
                label = f"{s.display_label}, {indicator.period_label(year)}"
                self.fields[self.cell_name(s, year)] = forms.CharField(
                    required=False,
                    label=label,
                    initial=cell_text(existing) if existing else "",
                    widget=forms.TextInput(attrs={"size": 6, "inputmode": "decimal"}),
                )
                if self.has_notes(year):
                    self.fields[self.footnote_name(s, year)] = forms.CharField(
                        required=False, label=gettext("Fotnot: %(cell)s") % {"cell": label}, initial=existing.footnote if existing else "",
                        widget=forms.TextInput(attrs={"size": 16}),
                    )
                    self.fields[self.source_name(s, year)] = forms.CharField(
                        required=False, max_length=300, label=gettext("Källa: %(cell)s") % {"cell": label},
                        initial=existing.source_ref if existing else "",
                        widget=forms.TextInput(attrs={"size": 16}),
                    )

    @staticmethod
    def cell_name(series, year):
        return f"v_{series.pk}_{year}"

    @staticmethod
    def footnote_name(series, year):
        return f"f_{series.pk}_{year}"

    @staticmethod
    def source_name(series, year):
        return f"k_{series.pk}_{year}"

    def rows(self):
        for s in self.series:
            yield s, [self[self.cell_name(s, year)] for year in self.years]

    def note_rows(self):
        """(series, [(value field, footnote field, source field) per year]) for a grid with notes."""
        for s in self.series:
            yield s, [
                (self[self.cell_name(s, y)], self[self.footnote_name(s, y)], self[self.source_name(s, y)])
                for y in self.years
            ]

    def has_notes(self, year):
        return self.notes and (self.note_years is None or year in self.note_years)

    def _notes(self, series, year):
        if not self.has_notes(year):
            return None
        footnote = (self.data.get(self.add_prefix(self.footnote_name(series, year))) or "").strip()
        source = (self.data.get(self.add_prefix(self.source_name(series, year))) or "").strip()
        return footnote, source

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("fingerprint") and cleaned["fingerprint"] != fingerprint(self.existing.values(), self.notes):
            raise forms.ValidationError(
                gettext("Någon annan har ändrat värdena sedan du öppnade sidan. Ladda om sidan och gör om dina ändringar.")
            )
        self.cells = {}  # (series, year) → (parsed, the state the policy leaves it in)
        for s in self.series:
            for year in self.years:
                name = self.cell_name(s, year)
                try:
                    parsed = parse_cell(self.data.get(self.add_prefix(name)))
                    if parsed and parsed[0] is not None:
                        self.indicator.check_value(parsed[0])
                except forms.ValidationError as exc:
                    self.add_error(name, exc)
                    continue
                if not FIRST_YEAR <= year <= LAST_YEAR:
                    self.add_error(name, year_range_message(FIRST_YEAR, LAST_YEAR))
                    continue
                existing = self.existing.get((s.pk, year))
                notes = self._notes(s, year)
                if notes is not None and len(notes[1]) > 300:
                    self.add_error(self.source_name(s, year), gettext("Källan får vara högst 300 tecken."))
                    continue
                if notes is not None and any(ord(c) < 32 or ord(c) == 127 for c in notes[1]):
                    self.add_error(self.source_name(s, year), gettext("Källan ska stå på en rad, utan styrtecken."))
                    continue
                if not cell_changed(existing, parsed, notes):
                    continue
                if self.record and parsed is not None and not notes[1]:
                    self.add_error(
                        self.source_name(s, year),
                        gettext(
                            "Ange källan siffran är hämtad från, t.ex. Brå, Nationella trygghetsundersökningen 2025, tabell 3."
                        ),
                    )
                    continue
                decision = self.policy.decide(self.write(existing, year, parsed))
                if decision.allowed:
                    self.cells[(s, year)] = (parsed, decision.state, notes)
                else:
                    self.add_error(name, decision.reason)
        return cleaned

    def write(self, existing, year, parsed):
        before = value_item(indicator=self.indicator, year=year, stored=existing) if existing else None
        if parsed is None:
            return Write(Action.DELETE, before=before)
        after = value_item(indicator=self.indicator, year=year)
        if self.record:
            return Write(Action.RECORD, before=before, after=after)
        return Write(Action.CHANGE if existing else Action.CREATE, before=before, after=after)


@transaction.atomic
def values_grid_submit(*, data, indicator, area, user, years=None, notes=False, record=False, note_years=None):
    """Check and save a posted grid: (form, counts, or None when the form has errors).

    The indicator's row is locked first, so that the stored cells the fingerprint
    is checked against cannot change before the save: of two saves opened on the
    same grid, the second waits and is then refused as stale.
    """
    Indicator.objects.select_for_update().filter(pk=indicator.pk).first()
    form = ValuesGridForm(
        data, indicator=indicator, area=area, user=user, years=years, notes=notes, record=record, note_years=note_years
    )
    if not form.is_valid():
        return form, None
    return form, _save_cells(form, user)


def _save_cells(form, user):
    """Write the changed cells, each in the state the policy decided (a change goes back to review).

    A recorded cell (the policy left it approved) is approved by the user now, and
    its history names the source it was taken from.
    """
    created = updated = deleted = 0
    for (series, year), (parsed, state, notes) in form.cells.items():
        existing = form.existing.get((series.pk, year))
        if parsed is None:
            existing._history_user = user
            existing.delete()
            deleted += 1
            continue
        number, reason = parsed
        value = existing or Value(series=series, area=form.area, year=year)
        value.value, value.missing_reason = number, reason
        if notes is not None:
            value.footnote, value.source_ref = notes
        apply_content_state(value, state)
        value._history_user = user
        if state == State.APPROVED:
            now = timezone.now()
            value.submitted_at = value.approved_at = now
            value.approved_by, value.reopened_at = user, None
            value._change_reason = record_change_reason(user=user, source=value.source_ref)
        elif existing:
            value._change_reason = "Ändrat i värdetabellen"  # sv-only: stored in the history as written
        value.save()
        if existing:
            updated += 1
        else:
            created += 1
    return {"created": created, "updated": updated, "deleted": deleted}


def area_choices(indicator):
    """The indicator's own area first, then areas it already has values for, then the rest."""
    used = set(Value.objects.filter(series__indicator=indicator).values_list("area_id", flat=True))
    areas = list(Area.objects.all())
    return sorted(areas, key=lambda a: (a.pk != indicator.area_id, a.pk not in used, a.kind, a.name))
