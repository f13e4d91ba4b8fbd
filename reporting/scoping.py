"""Who may see what: the one place that answers it for admin, imports and exports.

A coordinator (samordnare) sees everything. Any other staff user is a reporter
for the organisation of its membership and sees only that organisation's items.
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext

from .roles import REPORTER, is_coordinator


def organisation_for(user):
    """The organisation a user reports for, or None."""
    membership = getattr(user, "membership", None) if user.is_authenticated else None
    return membership.organisation if membership else None


def sees_everything(user):
    return user.is_authenticated and user.is_active and is_coordinator(user)


def has_role(user):
    """The admin's own door and a role, asked again on every request (a revocation takes effect at once).

    Active, staff (what the admin requires), and a role group: Samordnare (or superuser), or
    Rapportör together with an organisation to report for. Removing any of them on an open
    session shuts the workspace as it shuts the admin.
    """
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return False
    if is_coordinator(user):
        return True
    return organisation_for(user) is not None and user.groups.filter(name=REPORTER).exists()


def may_coordinate(user):
    """A coordinator who may still use the site's staff pages (the review desk, the report editor)."""
    return has_role(user) and sees_everything(user)


def role_required(view):
    """login_required, and then has_role: a session whose role was revoked is refused (403)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not has_role(request.user):
            raise PermissionDenied(
                gettext("Ditt konto har inte längre behörighet att rapportera. Kontakta Länsstyrelsens samordnare.")
            )
        return view(request, *args, **kwargs)

    return login_required(wrapped)
