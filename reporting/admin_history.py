"""Readable history pages and Swedish numbers in the admin.

simple_history's own history page speaks English, shows raw choice codes, UTC
timestamps and "None" for a change made by an import. Here: Swedish headings,
field names (the models' verbose names) and choice labels, local time
(settings.TIME_ZONE, Europe/Stockholm), the user's name, and each change as
före → efter. Numbers are written in the user's language (reporting.numbers: 641, 6,9, 1 234,5 in Swedish).
"""

import datetime
from decimal import Decimal

from django import forms
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import DeletedObject
from simple_history.template_utils import HistoricalRecordContextHelper

from .numbers import local_number, swedish_number

EMPTY = "–"
HISTORY_TYPES = {"+": _("Skapad"), "~": _("Ändrad"), "-": _("Borttagen")}


def user_name(user):
    if user is None:
        return gettext("Systemet (inläsning eller import)")
    return user.get_full_name() or user.username


class SwedishHistoryHelper(HistoricalRecordContextHelper):
    def prepare_delta_change_value(self, change, value):
        field = self.model._meta.get_field(change.field)
        if isinstance(field, models.ManyToManyField):
            return super().prepare_delta_change_value(change, value)
        return readable_value(field, value)


def readable_value(field, value):
    if value is None or value == "":
        return EMPTY
    if isinstance(value, DeletedObject):
        # A user (or another row) deleted since: said in Swedish, without a database id.
        return gettext("borttagen %(model)s") % {"model": value.model._meta.verbose_name}
    if getattr(field, "choices", None):
        return dict(field.flatchoices).get(value, value)
    if isinstance(value, bool):
        return gettext("Ja") if value else gettext("Nej")
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        return date_format(value, "j F Y H:i")
    if isinstance(value, datetime.date):
        return date_format(value, "j F Y")
    if isinstance(value, (Decimal, float)):
        return local_number(value)  # the admin follows the user's language
    return value


class ReadableHistoryAdmin:
    """Mix into an admin before SimpleHistoryAdmin."""

    object_history_list_template = "admin/readable_history_list.html"

    def get_historical_record_context_helper(self, request, historical_record):
        return SwedishHistoryHelper(self.model, historical_record)

    def history_view_title(self, request, obj):
        return gettext("Historik: %(item)s") % {"item": obj}

    def set_history_delta_changes(self, request, historical_records, *args, **kwargs):
        super().set_history_delta_changes(request, historical_records, *args, **kwargs)
        for record in historical_records:
            record.type_label = HISTORY_TYPES.get(record.history_type, record.history_type)
            record.user_label = user_name(record.history_user)
            record.local_date = date_format(timezone.localtime(record.history_date), "j F Y H:i")


class SwedishDecimalField(forms.DecimalField):
    """A decimal form field that shows 6,9 rather than 6,9000, and reads 6,9 or 6.9."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("localize", True)
        super().__init__(*args, **kwargs)

    def prepare_value(self, value):
        if isinstance(value, Decimal):
            return swedish_number(value).replace("\u00a0", "")
        return value

    def to_python(self, value):
        if isinstance(value, str):
            value = value.replace("\u00a0", "").replace(" ", "").replace("−", "-").replace(".", ",")
        return super().to_python(value)


SWEDISH_NUMBER_OVERRIDES = {models.DecimalField: {"form_class": SwedishDecimalField}}
