"""The review workflow shared by indicator values and status reports.

draft → submitted → (returned → submitted)* → approved. Only approved items are
public. Once the year's report edition is published the year's items are
locked; a coordinator may reopen a single item with a reason.

The transitions are generic here; each app's services wrap them so that the
callers (admin, imports, tests) have one keyword-only entry point per model.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from .models import EDITABLE_BY_REPORTER, State
from .scoping import organisation_for, sees_everything


def reports_for(user, item):
    """Whether the user reports for the item's organisation."""
    organisation = organisation_for(user)
    return organisation is not None and organisation.pk == item.reporting_organisation_id


def reporter_may_edit(user, item):
    """The rule for a reporter's edits, shared by the admin and the services."""
    return reports_for(user, item) and item.state in EDITABLE_BY_REPORTER and item.is_reportable() and not item.is_locked


def _require_coordinator(user):
    if not sees_everything(user):
        raise PermissionDenied("Bara samordnare kan granska.")


def _require_unlocked(item):
    if item.is_locked:
        raise ValidationError(
            f"Lägesrapporten för {item.year} är publicerad och posten är låst. En samordnare kan låsa upp den."
        )


def _require_state(item, allowed, message):
    if item.state not in allowed:
        raise ValidationError(f"{message} (posten är {item.get_state_display().lower()}).")


def _save(item, user, reason):
    item._history_user = user
    item._change_reason = reason
    item.save()
    return item


def submit(*, item, user):
    _require_unlocked(item)
    if not sees_everything(user):
        if not reports_for(user, item):
            raise PermissionDenied("Du kan bara skicka in din egen organisations uppgifter.")
        if not item.is_reportable():
            raise ValidationError(f"Rapporteringsomgången {item.year} är inte öppen.")
    _require_state(item, EDITABLE_BY_REPORTER, "Bara utkast och återskickade poster kan skickas in")
    item.state, item.submitted_at = State.SUBMITTED, timezone.now()
    return _save(item, user, "Inskickad för granskning")


def return_(*, item, user, comment):
    _require_coordinator(user)
    _require_unlocked(item)
    _require_state(item, [State.SUBMITTED], "Bara inskickade poster kan skickas tillbaka")
    if not (comment or "").strip():
        raise ValidationError("Skriv en kommentar som talar om vad som behöver ändras.")
    item.state, item.reviewer_comment = State.RETURNED, comment.strip()
    return _save(item, user, "Återskickad med kommentar")


def approve(*, item, user):
    _require_coordinator(user)
    _require_unlocked(item)
    _require_state(item, [State.SUBMITTED], "Bara inskickade poster kan godkännas")
    item.state, item.approved_at, item.approved_by = State.APPROVED, timezone.now(), user
    # Approving a reopened item locks it again with the rest of the published year.
    item.reopened_at = None
    return _save(item, user, "Godkänd")


def reopen(*, item, user, reason):
    _require_coordinator(user)
    if not item.is_locked:
        raise ValidationError("Posten är inte låst och behöver inte låsas upp.")
    if not (reason or "").strip():
        raise ValidationError("Ange ett skäl till att posten låses upp.")
    item.reopened_at, item.reopened_by, item.reopened_reason = timezone.now(), user, reason.strip()
    item.state, item.reviewer_comment = State.RETURNED, reason.strip()
    return _save(item, user, f"Upplåst: {reason.strip()}")


TRANSITIONS = {"submit": submit, "return": return_, "approve": approve, "reopen": reopen}


def bulk(transition, *, items, user, **kwargs):
    """Apply one transition to many items, all or nothing: the caller's transaction rolls back on the first refusal."""
    done = []
    for item in items:
        try:
            done.append(transition(item=item, user=user, **kwargs))
        except (ValidationError, PermissionDenied) as exc:
            message = exc.messages[0] if isinstance(exc, ValidationError) else str(exc)
            raise ValidationError(f"{item}: {message}") from exc
    return done
