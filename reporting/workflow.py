"""The review transitions shared by indicator values and status reports.

draft → submitted → (returned → submitted)* → approved; a locked item of a
published year → reopened (returned) → submitted → approved. Whether a user may
make a transition, and the state it leaves, is the write policy's decision
(reporting.policy); here the transition is carried out and recorded.

These are the services for every reviewed model (a Value, a StatusReport): the
admin, the workspace, the review desk and the tests call them with `item=`.
Each transition locks the item's row and refuses (ValidationError, in Swedish)
if it is not the version the user was shown (`expected_version`, from the form)
or the one in hand.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop, ngettext

from .models import State
from .numbers import whole_number
from .policy import Action, Policy, Write, item_of
from .signals import review_transition


# Swedish str (the tests compare it), translated where it is raised.
STALE_TRANSITION = gettext_noop(
    "Någon annan har ändrat posten sedan du öppnade den, så åtgärden gjordes inte. "
    "Ladda om sidan och se efter hur posten ser ut nu."
)


# A version no item has: what an unreadable posted version becomes, so that the transition is refused as
# stale instead of run unchecked.
UNREADABLE_VERSION = -1


def posted_version(data):
    """The version a review form was shown with, or None for a form without one (an old page)."""
    text = data.get("expected_version", "")
    if text == "":
        return None
    version = whole_number(text)
    return UNREADABLE_VERSION if version is None else version


def _lock(item, expected_version):
    """Lock the item's row until the transaction ends and refuse if it is not the version the user saw.

    `expected_version` is the version the page showed (the forms carry it); the item in hand must be
    that version too. Two transitions of one item are then serialised, and the one that comes second
    finds a newer version and is refused: an approve cannot store the old text over an edit made
    meanwhile, nor land after a return whose mail has gone. Nothing is saved or sent for the refused one.
    """
    if item.pk is None:
        return
    stored = type(item)._default_manager.select_for_update().filter(pk=item.pk).values_list("version", flat=True)
    version = stored.first()
    if version is None or version != item.version or (expected_version is not None and version != expected_version):
        raise ValidationError(gettext(STALE_TRANSITION), code="stale")


def _decide(action, item, user, policy, expected_version=None):
    _lock(item, expected_version)
    return policy.check(Write(action, before=item_of(item)))


def _save(item, user, reason, transition):
    item._history_user = user
    item._change_reason = reason
    item.save()
    review_transition.send(sender=type(item), item=item, transition=transition, user=user)
    return item


def _required_text(text, message):
    if not (text or "").strip():
        raise ValidationError(message)
    return text.strip()


# Submitting and approving, in the caller's transaction (one savepoint each would double a bulk action's queries).

def _submit(item, user, policy, expected_version=None):
    item.state = _decide(Action.SUBMIT, item, user, policy, expected_version)
    item.submitted_at = timezone.now()
    return _save(item, user, "Inskickad för granskning", "submit")  # sv-only: the history's stored reason


def _approve(item, user, policy, expected_version=None):
    item.state = _decide(Action.APPROVE, item, user, policy, expected_version)
    item.approved_at, item.approved_by = timezone.now(), user
    # Approving a reopened item locks it again with the rest of the published year.
    item.reopened_at = None
    return _save(item, user, "Godkänd", "approve")  # sv-only: the history's stored reason


@transaction.atomic
def submit(*, item, user, expected_version=None):
    return _submit(item, user, Policy(user), expected_version)


@transaction.atomic
def return_(*, item, user, comment, expected_version=None):
    state = _decide(Action.RETURN, item, user, Policy(user), expected_version)
    comment = _required_text(comment, gettext("Skriv en kommentar som talar om vad som behöver ändras."))
    item.state, item.reviewer_comment = state, comment
    return _save(item, user, "Återskickad med kommentar", "return")  # sv-only: the history's stored reason


@transaction.atomic
def approve(*, item, user, expected_version=None):
    return _approve(item, user, Policy(user), expected_version)


@transaction.atomic
def reopen(*, item, user, reason, expected_version=None):
    state = _decide(Action.REOPEN, item, user, Policy(user), expected_version)
    reason = _required_text(reason, gettext("Ange ett skäl till att posten låses upp."))
    item.reopened_at, item.reopened_by, item.reopened_reason = timezone.now(), user, reason
    item.state, item.reviewer_comment = state, reason
    return _save(item, user, f"Upplåst: {reason}", "reopen")  # sv-only: the history's stored reason


def apply_content_state(item, state):
    """Leave a changed or new item in the state the policy decided: out of review, not approved."""
    item.state = state
    item.approved_at, item.approved_by = None, None
    if state == State.DRAFT:
        item.submitted_at = None


def save_content(item, *, user, state, and_submit=False):
    """Save a reviewed item's content as a form left it, in the state the policy decided (`state`).

    `state` is None when the form changed nothing the policy judges. With
    `and_submit` the item is then submitted in the same transaction: what is
    submitted is what was just saved, never an older row. Used by the review
    admin and the workspace.
    """
    item._history_user = user
    if state is not None:
        apply_content_state(item, state)
    item.save()
    if and_submit:
        submit(item=item, user=user)
    return item


def refusal_message(exc):
    """The words (in the active language) of a refused write (ValidationError or PermissionDenied), for a message or form error."""
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(exc) or gettext("Åtgärden är inte tillåten.")


@transaction.atomic
def submit_all(*, items, user):
    return _all(_submit, items=items, user=user)


@transaction.atomic
def approve_all(*, items, user, shown_versions=None):
    """Approve every item or none. With `shown_versions` ({item: the version the user was shown}) every
    item changed since is named in one refusal before anything is written: a confirmation must not
    approve what the coordinator did not see."""
    items = list(items)
    if shown_versions:
        refuse_changed(items, shown_versions)
    return _all(_approve, items=items, user=user, shown_versions=shown_versions or {})


def refuse_changed(items, shown_versions):
    """Refuse, naming every one, if any of `items` is no longer the version the user was shown.

    The rows are locked until the transaction ends (one query per model). An item without a shown
    version is not judged here (its own transition still locks it); a deleted one counts as changed."""
    by_model = {}
    for item in items:
        if shown_versions.get(item) is not None:
            by_model.setdefault(type(item), []).append(item)
    changed = []
    for model, judged in by_model.items():
        stored = dict(
            model._default_manager.select_for_update().filter(pk__in=[i.pk for i in judged]).values_list("pk", "version")
        )
        changed += [item for item in judged if stored.get(item.pk) != shown_versions[item]]
    if changed:
        names = "; ".join(str(item) for item in changed)
        raise ValidationError(
            ngettext(
                "Någon annan har ändrat %(names)s sedan du öppnade granskningen. "
                "Ladda om sidan och se efter hur posten ser ut nu.",
                "Någon annan har ändrat %(names)s sedan du öppnade granskningen. "
                "Ladda om sidan och se efter hur posterna ser ut nu.",
                len(changed),
            ) % {"names": names},
            code="stale",
        )


def _all(transition, *, items, user, shown_versions=None):
    """Apply one transition to many items, all or nothing: the transaction rolls back on the first refusal."""
    policy = Policy(user)
    shown_versions = shown_versions or {}
    done = []
    for item in items:
        try:
            done.append(transition(item, user, policy, shown_versions.get(item)))
        except (ValidationError, PermissionDenied) as exc:
            message = exc.messages[0] if isinstance(exc, ValidationError) else str(exc)
            raise ValidationError(gettext("%(item)s: %(message)s") % {"item": item, "message": message}) from exc
    return done
