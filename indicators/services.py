"""Transitions of indicator values through review; the one entry point for admin and tests."""

from django.db import transaction

from reporting import workflow
from reporting.models import EDITABLE_BY_REPORTER, ReportingRound, locked_years
from reporting.scoping import sees_everything

from .models import Value


@transaction.atomic
def value_submit(*, value: Value, user) -> Value:
    return workflow.submit(item=value, user=user)


@transaction.atomic
def value_return(*, value: Value, user, comment: str) -> Value:
    return workflow.return_(item=value, user=user, comment=comment)


@transaction.atomic
def value_approve(*, value: Value, user) -> Value:
    return workflow.approve(item=value, user=user)


@transaction.atomic
def value_reopen(*, value: Value, user, reason: str) -> Value:
    return workflow.reopen(item=value, user=user, reason=reason)


@transaction.atomic
def values_submit(*, values, user):
    return workflow.bulk(workflow.submit, items=values, user=user)


@transaction.atomic
def values_return(*, values, user, comment: str):
    return workflow.bulk(workflow.return_, items=values, user=user, comment=comment)


@transaction.atomic
def values_approve(*, values, user):
    return workflow.bulk(workflow.approve, items=values, user=user)


def value_cell_rule(*, user):
    """can_edit(existing value or None, year) for the values grid, by the same rules as the admin form.

    Decided from a few queries up front rather than per cell: the grid is
    already limited to indicators in the user's scope.
    """
    coordinator = sees_everything(user)
    locked = locked_years()
    open_years = set(ReportingRound.objects.open().values_list("year", flat=True))

    def can_edit(existing, year):
        if existing is not None and existing.reopened_at is not None:
            return coordinator or existing.state in EDITABLE_BY_REPORTER
        if year in locked:
            return False
        if coordinator:
            return True
        return year in open_years and (existing is None or existing.state in EDITABLE_BY_REPORTER)

    return can_edit
