"""The values grid: one screen per indicator and area, series as rows, years as columns.

A cell holds a number ("6,9" or "6.9"), a code for a missing value, or nothing.
The whole grid is validated first; one bad cell saves nothing.
"""

import hashlib
from decimal import Decimal, InvalidOperation

from django import forms
from django.db import transaction
from django.utils import timezone

from reporting.policy import Action, Policy, Write
from reporting.workflow import apply_content_state
from strategy.models import Area

from .models import FIRST_YEAR, LAST_YEAR, Indicator, MissingReason, Value
from .services import value_item

MISSING_CODES = {
    "x": MissingReason.TOO_FEW,
    "..": MissingReason.NOT_AVAILABLE,
    "-": MissingReason.NOT_APPLICABLE,
    "–": MissingReason.NOT_APPLICABLE,
}
CODE_FOR_REASON = {MissingReason.TOO_FEW: "x", MissingReason.NOT_AVAILABLE: "..", MissingReason.NOT_APPLICABLE: "–"}
FIRST_GRID_YEAR = 2019


def parse_cell(text):
    """'6,9' → (Decimal('6.9'), ''); 'x' → (None, 'too_few'); '' → None (no value)."""
    text = (text or "").strip().replace("\u00a0", "").replace(" ", "")
    if not text:
        return None
    if text.lower() in MISSING_CODES:
        return None, MISSING_CODES[text.lower()]
    try:
        number = Decimal(text.rstrip("%").replace(",", "."))
    except InvalidOperation:
        raise forms.ValidationError("Ange ett tal, t.ex. 6,9, eller en kod för saknat värde (x, .. eller –).")
    if not number.is_finite():
        raise forms.ValidationError("Ange ett tal, t.ex. 6,9.")
    return number, ""


def cell_text(value):
    if value.value is None:
        return CODE_FOR_REASON.get(value.missing_reason, "")
    text = format(value.value.normalize(), "f")
    return text.replace(".", ",")


def cell_changed(existing, parsed):
    if existing is None:
        return parsed is not None
    return parsed is None or (existing.value, existing.missing_reason) != parsed


def fingerprint(values):
    """A digest of the stored cells, so a concurrent change is noticed before it is overwritten."""
    rows = sorted(f"{v.series_id}:{v.year}:{v.value}:{v.missing_reason}" for v in values)
    return hashlib.sha256("|".join(rows).encode()).hexdigest()


class ValuesGridForm(forms.Form):
    fingerprint = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, indicator, area, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicator = indicator
        self.area = area
        self.policy = Policy(user)
        self.series = list(indicator.series.all())
        self.existing = {
            (v.series_id, v.year): v for v in Value.objects.filter(series__indicator=indicator, area=area)
        }
        last = max([timezone.now().year, *[y for _, y in self.existing]])
        first = min([FIRST_GRID_YEAR, *[y for _, y in self.existing]])
        self.years = list(range(first, last + 1))
        self.fields["fingerprint"].initial = fingerprint(self.existing.values())
        for s in self.series:
            for year in self.years:
                existing = self.existing.get((s.pk, year))
                self.fields[self.cell_name(s, year)] = forms.CharField(
                    required=False,
                    label=f"{s.display_label}, {indicator.period_label(year)}",
                    initial=cell_text(existing) if existing else "",
                    widget=forms.TextInput(attrs={"size": 6, "inputmode": "decimal"}),
                )

    @staticmethod
    def cell_name(series, year):
        return f"v_{series.pk}_{year}"

    def rows(self):
        for s in self.series:
            yield s, [self[self.cell_name(s, year)] for year in self.years]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("fingerprint") and cleaned["fingerprint"] != fingerprint(self.existing.values()):
            raise forms.ValidationError(
                "Någon annan har ändrat värdena sedan du öppnade sidan. Ladda om sidan och gör om dina ändringar."
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
                    self.add_error(name, f"Året måste ligga mellan {FIRST_YEAR} och {LAST_YEAR}.")
                    continue
                existing = self.existing.get((s.pk, year))
                if not cell_changed(existing, parsed):
                    continue
                decision = self.policy.decide(self.write(existing, year, parsed))
                if decision.allowed:
                    self.cells[(s, year)] = (parsed, decision.state)
                else:
                    self.add_error(name, decision.reason)
        return cleaned

    def write(self, existing, year, parsed):
        before = value_item(indicator=self.indicator, year=year, stored=existing) if existing else None
        if parsed is None:
            return Write(Action.DELETE, before=before)
        after = value_item(indicator=self.indicator, year=year)
        return Write(Action.CHANGE if existing else Action.CREATE, before=before, after=after)


@transaction.atomic
def values_grid_submit(*, data, indicator, area, user):
    """Check and save a posted grid: (form, counts, or None when the form has errors).

    The indicator's row is locked first, so that the stored cells the fingerprint
    is checked against cannot change before the save: of two saves opened on the
    same grid, the second waits and is then refused as stale.
    """
    Indicator.objects.select_for_update().filter(pk=indicator.pk).first()
    form = ValuesGridForm(data, indicator=indicator, area=area, user=user)
    if not form.is_valid():
        return form, None
    return form, _save_cells(form, user)


def _save_cells(form, user):
    """Write the changed cells, each in the state the policy decided (a change goes back to review)."""
    created = updated = deleted = 0
    for (series, year), (parsed, state) in form.cells.items():
        existing = form.existing.get((series.pk, year))
        if parsed is None:
            existing._history_user = user
            existing.delete()
            deleted += 1
            continue
        number, reason = parsed
        if existing:
            existing.value, existing.missing_reason = number, reason
            apply_content_state(existing, state)
            existing._history_user = user
            existing._change_reason = "Ändrat i värdetabellen"
            existing.save()
            updated += 1
        else:
            value = Value(series=series, area=form.area, year=year, value=number, missing_reason=reason, state=state)
            value._history_user = user
            value.save()
            created += 1
    return {"created": created, "updated": updated, "deleted": deleted}


def area_choices(indicator):
    """The indicator's own area first, then areas it already has values for, then the rest."""
    used = set(Value.objects.filter(series__indicator=indicator).values_list("area_id", flat=True))
    areas = list(Area.objects.all())
    return sorted(areas, key=lambda a: (a.pk != indicator.area_id, a.pk not in used, a.kind, a.name))
