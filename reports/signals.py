"""Retire cached report pages whenever something a report shows changes."""

from django.db.models.signals import m2m_changed, post_delete, post_save

from actions.models import Commitment, StatusReport
from indicators.models import Indicator, Series, Value
from strategy.models import Goal

from .models import GoalSection, ReportEdition
from .services import bump_report_cache


def _bump(sender, **kwargs):
    bump_report_cache()


def connect():
    for model in (ReportEdition, GoalSection, Value, StatusReport, Commitment, Indicator, Series, Goal):
        post_save.connect(_bump, sender=model, dispatch_uid=f"report-cache-save-{model._meta.label}")
        post_delete.connect(_bump, sender=model, dispatch_uid=f"report-cache-delete-{model._meta.label}")
    m2m_changed.connect(
        _bump, sender=Indicator.violence_types.through, dispatch_uid="report-cache-indicator-violence-types"
    )
