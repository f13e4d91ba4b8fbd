"""Who may see what: the one place that answers it for admin, imports and exports.

A coordinator (samordnare) sees everything. Any other staff user is a reporter
for the organisation of its membership and sees only that organisation's items.
"""

from .roles import is_coordinator


def organisation_for(user):
    """The organisation a user reports for, or None."""
    membership = getattr(user, "membership", None) if user.is_authenticated else None
    return membership.organisation if membership else None


def sees_everything(user):
    return user.is_authenticated and user.is_active and is_coordinator(user)
