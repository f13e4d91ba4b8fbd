"""Units of measure and the range each one allows. One place for the rule;
model clean(), the admin grid and the importers all call `check_value`."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class Unit(models.TextChoices):
    PERCENT = "percent", _("Procent")
    COUNT = "count", _("Antal")
    MEAN_SCORE = "mean_score", _("Medelvärde (skala 0–10)")
    RATE = "rate_100k", _("Per 100 000 invånare")
    DAYS = "days", _("Dagar")


# After a number in the downloads, which are Swedish in every language (reports.downloads).
UNIT_SUFFIX = {
    Unit.PERCENT: " %",
    Unit.COUNT: "",
    Unit.MEAN_SCORE: "",
    Unit.RATE: " per 100 000",
    Unit.DAYS: " dagar",
}

# After a number on a page, in the page's language (the words; the signs are the same everywhere).
UNIT_WORD = {
    Unit.RATE: _("per 100 000"),
    Unit.DAYS: _("dagar"),
}

AXIS_TITLE = {
    Unit.PERCENT: _("Procent"),
    Unit.COUNT: _("Antal"),
    Unit.MEAN_SCORE: _("Medelvärde (0–10)"),
    Unit.RATE: _("Per 100 000 invånare"),
    Unit.DAYS: _("Dagar"),
}


# What Value.value (DecimalField(max_digits=14, decimal_places=4)) can hold. A larger figure breaks
# the page that reads it back (SQLite) or the save (PostgreSQL); more decimals are stored rounded,
# another figure than the one entered. The importers refuse both with their own row messages.
STORED_LIMIT = Decimal("1e10")
STORED_QUANTUM = Decimal("0.0001")


def check_value(unit, value):
    """Raise ValidationError with a Swedish message if `value` is not valid for `unit`."""
    if value is None:
        return
    # A float's binary expansion (6.9 → 6.9000000000000003…) would count as more decimals than it has.
    value = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    if not value.is_finite() or abs(value) >= STORED_LIMIT:
        raise ValidationError(gettext("Värdet är för stort; det får ha högst tio siffror före decimaltecknet."), code="too_large")
    if value != value.quantize(STORED_QUANTUM):
        raise ValidationError(gettext("Värdet har fler än fyra decimaler; avrunda det."), code="too_many_decimals")
    if value < 0:
        raise ValidationError(gettext("Värdet får inte vara negativt."), code="negative")
    if unit == Unit.PERCENT and value > 100:
        raise ValidationError(gettext("En andel i procent måste ligga mellan 0 och 100."), code="percent_range")
    if unit == Unit.MEAN_SCORE and value > 10:
        raise ValidationError(gettext("Ett medelvärde måste ligga mellan 0 och 10."), code="score_range")
    if unit == Unit.COUNT and value != value.to_integral_value():
        raise ValidationError(gettext("Ett antal måste vara ett heltal."), code="count_integer")
