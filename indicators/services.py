"""Writes on indicator values: review transitions, and how a value looks to the write policy."""

from django.db import transaction

from reporting import workflow
from reporting.policy import Item

from .models import Value


def value_item(*, indicator, year, stored=None):
    """A value as the write policy sees it, built from what a grid or an import already holds.

    `stored` is the stored value (an instance or any object with state and
    reopened_at), or None for a new one.
    """
    return Item(
        kind=Value,
        subject_id=indicator.pk,
        organisation_id=indicator.responsible_id,
        year=year,
        state=stored.state if stored is not None else None,
        reopened=stored is not None and stored.reopened_at is not None,
    )


def record_change_reason(*, user, source):
    """The history line of a figure a coordinator took from a published statistic and approved at once."""
    name = (user.get_full_name() or user.get_username()) if user is not None else "okänd"
    reason = f"Ur publicerad statistik, godkänd av {name}. Källa: {source}"
    # The history's reason column holds 100 characters; the full source stays in the value's own field.
    return reason if len(reason) <= 100 else reason[:99] + "…"


@transaction.atomic
def value_submit(*, value: Value, user, expected_version: int | None = None) -> Value:
    return workflow.submit(item=value, user=user, expected_version=expected_version)


@transaction.atomic
def value_return(*, value: Value, user, comment: str, expected_version: int | None = None) -> Value:
    return workflow.return_(item=value, user=user, comment=comment, expected_version=expected_version)


@transaction.atomic
def value_approve(*, value: Value, user, expected_version: int | None = None) -> Value:
    return workflow.approve(item=value, user=user, expected_version=expected_version)


@transaction.atomic
def value_reopen(*, value: Value, user, reason: str, expected_version: int | None = None) -> Value:
    return workflow.reopen(item=value, user=user, reason=reason, expected_version=expected_version)


@transaction.atomic
def values_submit(*, values, user):
    return workflow.bulk(workflow.submit, items=values, user=user)


@transaction.atomic
def values_return(*, values, user, comment: str):
    return workflow.bulk(workflow.return_, items=values, user=user, comment=comment)


@transaction.atomic
def values_approve(*, values, user, expected_versions=None):
    return workflow.bulk(workflow.approve, items=values, user=user, expected_versions=expected_versions)
