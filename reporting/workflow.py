"""The review transitions shared by indicator values and status reports.

draft → submitted → (returned → submitted)* → approved; a locked item of a
published year → reopened (returned) → submitted → approved. Whether a user may
make a transition, and the state it leaves, is the write policy's decision
(reporting.policy); here the transition is carried out and recorded.

Each app's services wrap these so that the callers (admin, workspace, imports,
tests) have one keyword-only entry point per model.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from .models import State
from .policy import Action, Policy, Write, item_of
from .signals import review_transition


STALE_TRANSITION = (
    "Någon annan har ändrat posten sedan du öppnade den, så åtgärden gjordes inte. "
    "Ladda om sidan och se efter hur posten ser ut nu."
)


def posted_version(data):
    """The version a review form was shown with, or None for a form without one (an old page)."""
    text = data.get("expected_version", "")
    return int(text) if text.isascii() and text.isdigit() and len(text) < 10 else None


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
        raise ValidationError(STALE_TRANSITION, code="stale")


def _decide(action, item, user, policy, expected_version=None):
    _lock(item, expected_version)
    return (policy or Policy(user)).check(Write(action, before=item_of(item)))


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


def submit(*, item, user, policy=None, expected_version=None):
    item.state = _decide(Action.SUBMIT, item, user, policy, expected_version)
    item.submitted_at = timezone.now()
    return _save(item, user, "Inskickad för granskning", "submit")


def return_(*, item, user, comment, policy=None, expected_version=None):
    state = _decide(Action.RETURN, item, user, policy, expected_version)
    comment = _required_text(comment, "Skriv en kommentar som talar om vad som behöver ändras.")
    item.state, item.reviewer_comment = state, comment
    return _save(item, user, "Återskickad med kommentar", "return")


def approve(*, item, user, policy=None, expected_version=None):
    item.state = _decide(Action.APPROVE, item, user, policy, expected_version)
    item.approved_at, item.approved_by = timezone.now(), user
    # Approving a reopened item locks it again with the rest of the published year.
    item.reopened_at = None
    return _save(item, user, "Godkänd", "approve")


def reopen(*, item, user, reason, policy=None, expected_version=None):
    state = _decide(Action.REOPEN, item, user, policy, expected_version)
    reason = _required_text(reason, "Ange ett skäl till att posten låses upp.")
    item.reopened_at, item.reopened_by, item.reopened_reason = timezone.now(), user, reason
    item.state, item.reviewer_comment = state, reason
    return _save(item, user, f"Upplåst: {reason}", "reopen")


TRANSITIONS = {"submit": submit, "return": return_, "approve": approve, "reopen": reopen}


def apply_content_state(item, state):
    """Leave a changed or new item in the state the policy decided: out of review, not approved."""
    item.state = state
    item.approved_at, item.approved_by = None, None
    if state == State.DRAFT:
        item.submitted_at = None


def save_content(item, *, user, state, submit=None):
    """Save a reviewed item's content as a form left it, in the state the policy decided (`state`).

    `state` is None when the form changed nothing the policy judges. With
    `submit` (the model's submit service, called as submit(item, user)) the item
    is then submitted in the same transaction: what is submitted is what was
    just saved, never an older row. Used by the review admin and the workspace.
    """
    item._history_user = user
    if state is not None:
        apply_content_state(item, state)
    item.save()
    if submit is not None:
        submit(item, user)
    return item


def refusal_message(exc):
    """The Swedish words of a refused write (ValidationError or PermissionDenied), for a message or form error."""
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(exc) or "Åtgärden är inte tillåten."


def _changed_since_shown(items, expected_versions):
    """The items whose stored version is not the one the user was shown, their rows locked meanwhile.

    `expected_versions` maps an item's pk to the version the page showed; an item without one is
    not judged here (its own transition still locks it). A deleted item counts as changed."""
    items = [item for item in items if expected_versions.get(item.pk) is not None]
    if not items:
        return []
    model = type(items[0])
    stored = dict(
        model._default_manager.select_for_update().filter(pk__in=[i.pk for i in items]).values_list("pk", "version")
    )
    return [item for item in items if stored.get(item.pk) != expected_versions[item.pk]]


def refuse_changed(*shown):
    """Refuse, naming every one, if any item changed since the user was shown it.

    Each argument is (items, {pk: version shown}); a confirmation that lists items from several
    models passes them all, so that one refusal names every changed row."""
    changed = [item for items, versions in shown for item in _changed_since_shown(list(items), versions or {})]
    if changed:
        names = "; ".join(str(item) for item in changed)
        them = "posten" if len(changed) == 1 else "posterna"
        raise ValidationError(
            f"Någon annan har ändrat {names} sedan du öppnade granskningen. "
            f"Ladda om sidan och se efter hur {them} ser ut nu.",
            code="stale",
        )


def bulk(transition, *, items, user, expected_versions=None, **kwargs):
    """Apply one transition to many items, all or nothing: the caller's transaction rolls back on the first refusal.

    With `expected_versions` (pk → the version the user was shown) every item changed since is
    named in one refusal before anything is written: a confirmation must not approve what the
    user did not see."""
    expected_versions = expected_versions or {}
    if expected_versions:
        items = list(items)
        refuse_changed((items, expected_versions))
    policy = Policy(user)
    done = []
    for item in items:
        try:
            done.append(transition(item=item, user=user, policy=policy,
                                   expected_version=expected_versions.get(item.pk), **kwargs))
        except (ValidationError, PermissionDenied) as exc:
            message = exc.messages[0] if isinstance(exc, ValidationError) else str(exc)
            raise ValidationError(f"{item}: {message}") from exc
    return done
