"""The one write policy for reviewed items (indicator values, status reports).

It answers one question for every path that creates, changes, deletes or moves
an item through review — admin forms, the values grid, every importer, the
review buttons and actions:

    may this user make this write now, and in which review state does it leave the item?

A caller describes each write by the outcome, not by its form: what the item is
now (`before`) and what it would be afterwards (`after`), as `Item`s — the
organisation, the commitment or indicator it belongs to, its year, state and
lock. That is what lets a form, a grid cell and an import row share one
decision. A `Policy` reads its context (role, organisation, open rounds, locked
years, the organisation's commitments/indicators) once, so an import of 100 000
rows asks the database a few times, not per row.

The rules, in the order a refusal is reported:
- review (return, approve, reopen) is for coordinators only;
- a year whose report edition is published is locked, for coordinators too: an
  item there changes only after a coordinator reopens that one item;
- a reporter writes only its own organisation's items, for commitments it leads,
  shares or (for a local plan) owns, and indicators it is responsible for;
- a reporter writes only in a year with an open round (or a reopened item);
- a reporter changes only drafts and returned items;
- a status report is submitted and approved only when it says something;
- a figure taken from a published statistic (the data sources without a
  reporter) is recorded — saved and approved in one step — by coordinators only,
  and not in a locked year.

A content change leaves the item a draft (or keeps it returned), for everyone:
nothing reaches the public without review.
"""

from dataclasses import dataclass, replace
from enum import StrEnum

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext

from .models import EDITABLE_BY_REPORTER, ReportingRound, State, locked_years
from .scoping import organisation_for, sees_everything


class Action(StrEnum):
    CREATE = "create"
    CHANGE = "change"
    DELETE = "delete"
    SUBMIT = "submit"
    RETURN = "return"
    APPROVE = "approve"
    REOPEN = "reopen"
    # A coordinator's own entry of a figure from a published statistic: saved and approved in one step.
    RECORD = "record"


REVIEW_ACTIONS = {Action.RETURN, Action.APPROVE, Action.REOPEN}
CONTENT_ACTIONS = {Action.CREATE, Action.CHANGE, Action.DELETE}


@dataclass(frozen=True)
class Item:
    """A reviewed item as the policy sees it; models build one with `policy_item()`."""

    kind: type  # the model class, which says whose items are whose (`reportable_subject_ids`)
    subject_id: int | None  # the commitment or indicator
    organisation_id: int | None  # the reporting organisation
    year: int | None
    state: str | None = None  # None for an item not yet stored
    reopened: bool = False
    says_something: bool = True


@dataclass(frozen=True)
class Write:
    action: Action
    before: Item | None = None  # the stored item; None when creating
    after: Item | None = None  # the item after the write; None when deleting or for a transition


@dataclass(frozen=True)
class Decision:
    allowed: bool
    state: str | None = None  # the review state the item is left in
    reason: str = ""  # why not, in the active language (Swedish by default)
    field: str | None = None  # the field at fault, for forms and import rows
    permission: bool = False  # refused for who the user is, not for what the item is


class Policy:
    def __init__(self, user):
        self.user = user
        self.coordinator = user is not None and sees_everything(user)
        self.organisation = organisation_for(user) if user is not None else None
        self.locked = locked_years()
        self.open = set(ReportingRound.objects.open().values_list("year", flat=True))
        self._scopes = {}

    # --- the decision ------------------------------------------------------------------------------

    def decide(self, write):
        before, after = write.before, write.after
        if after is not None and before is not None and after.year == before.year:
            # A reopened item stays reopened while it keeps its year.
            after = replace(after, reopened=before.reopened)
        items = [item for item in (before, after) if item is not None]
        if write.action in REVIEW_ACTIONS and not self.coordinator:
            return _refuse(gettext("Bara samordnare kan granska."), permission=True)
        if write.action == Action.RECORD and not self.coordinator:
            return _refuse(
                gettext("Bara samordnare kan föra in och godkänna en siffra ur en publicerad statistik."),
                permission=True,
            )
        if write.action == Action.REOPEN:
            if not self._is_locked(before):
                return _refuse(gettext("Posten är inte låst och behöver inte låsas upp."))
            return Decision(True, State.RETURNED)
        for item in items:
            if self._is_locked(item):
                return _refuse(
                    gettext("Lägesrapporten för %(year)s är publicerad och posten är låst. "
                            "En samordnare kan låsa upp den.") % {"year": item.year},
                    "year",
                )
        if not self.coordinator:
            refusal = self._reporter_refusal(write.action, before, items)
            if refusal:
                return refusal
        return self._transition(write.action, before, after)

    def check(self, write):
        """The decision's state, or the refusal raised (PermissionDenied or ValidationError)."""
        decision = self.decide(write)
        if not decision.allowed:
            raise PermissionDenied(decision.reason) if decision.permission else ValidationError(decision.reason)
        return decision.state

    # --- the rules ---------------------------------------------------------------------------------

    def _is_locked(self, item):
        return item.year in self.locked and not item.reopened

    def _reporter_refusal(self, action, before, items):
        organisation = self.organisation
        for item in items:
            if organisation is None or item.organisation_id != organisation.pk:
                return _refuse(
                    gettext("Du kan bara rapportera för din egen organisation."), "organisation", permission=True
                )
            if item.subject_id not in self._scope(item.kind):
                return _refuse(item.kind.out_of_scope_message(organisation), item.kind.subject_field)
        for item in items:
            if not item.reopened and item.year not in self.open:
                return _refuse(
                    gettext("Rapporteringsomgången %(year)s är inte öppen. Du kan bara rapportera för ett år "
                            "med en öppen rapporteringsomgång.") % {"year": item.year},
                    "year",
                )
        if before is not None and before.state not in EDITABLE_BY_REPORTER and action != Action.SUBMIT:
            label = State(before.state).label.lower()
            return _refuse(
                gettext("Posten är %(state)s och kan inte ändras. En samordnare kan skicka tillbaka den.") % {"state": label}
            )
        return None

    def _transition(self, action, before, after):
        if action == Action.CREATE:
            return Decision(True, State.DRAFT)
        if action == Action.CHANGE:
            # A returned item stays returned until it is submitted again; anything else is a new draft.
            return Decision(True, State.RETURNED if before.state == State.RETURNED else State.DRAFT)
        if action == Action.DELETE:
            return Decision(True, None)
        if action == Action.RECORD:
            # The coordinator is both the one who enters and the one who reviews: nothing is left to review.
            return Decision(True, State.APPROVED)
        if action == Action.SUBMIT:
            if before.state not in EDITABLE_BY_REPORTER:
                return _refuse(_state_message(gettext("Bara utkast och återskickade poster kan skickas in"), before))
            if not (after or before).says_something:
                return _refuse(gettext(str((after or before).kind.empty_message)), "text")
            return Decision(True, State.SUBMITTED)
        if before.state != State.SUBMITTED:
            if action == Action.RETURN:
                message = gettext("Bara inskickade poster kan skickas tillbaka")
            else:
                message = gettext("Bara inskickade poster kan godkännas")
            return _refuse(_state_message(message, before))
        if action == Action.APPROVE and not before.says_something:
            return _refuse(gettext(str(before.kind.empty_message)), "text")
        return Decision(True, State.RETURNED if action == Action.RETURN else State.APPROVED)

    def _scope(self, kind):
        if kind not in self._scopes:
            self._scopes[kind] = set(kind.reportable_subject_ids(self.organisation))
        return self._scopes[kind]

    # --- for screens -------------------------------------------------------------------------------

    def may(self, action, item):
        """Whether the user may do `action` to the stored `item` (for buttons and read-only views)."""
        after = item if action == Action.CHANGE else None
        return self.decide(Write(action, before=item, after=after)).allowed


def item_of(obj, **changes):
    """The Item of a model instance as it is in memory (stored or not), with `changes` applied."""
    item = Item(
        kind=type(obj),
        subject_id=obj.policy_subject_id,
        organisation_id=obj.reporting_organisation_id,
        year=obj.year,
        state=None if obj._state.adding else obj.state,
        reopened=obj.reopened_at is not None,
        says_something=obj.says_something,
    )
    return replace(item, **changes) if changes else item


def _refuse(reason, field=None, permission=False):
    return Decision(False, reason=reason, field=field, permission=permission)


def _state_message(message, item):
    return gettext("%(message)s (posten är %(state)s).") % {"message": message, "state": State(item.state).label.lower()}
