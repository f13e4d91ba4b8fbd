"""What is particular to indicator values: how a value looks to the write policy, and its history line.

The review transitions (submit, return, approve, reopen) are the same for every
reviewed item and live in reporting.workflow.
"""

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
    # sv-only: the history line is stored, read by every later reader (as the other history reasons)
    name = (user.get_full_name() or user.get_username()) if user is not None else "okänd"  # sv-only: as below
    reason = f"Ur publicerad statistik, godkänd av {name}. Källa: {source}"  # sv-only: a stored history reason
    # The history's reason column holds 100 characters; the full source stays in the value's own field.
    return reason if len(reason) <= 100 else reason[:99] + "…"

