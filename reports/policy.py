"""Who may write a report edition, and when: the one rule every path asks.

The editor, the admin, the services and the loader of the real data all call
`check_edition_write` before they change an edition or one of its parts, and
`check_edition_publish` / `check_edition_correction` before those steps:

- only a coordinator (samordnare) writes the report; the loader of the real data
  writes as no one (`user=None`), which only a management command does;
- a published edition never changes: its texts, sections and analyses are
  refused, and it cannot be deleted or published again;
- a published edition is corrected only by a dated rättelse, which only a
  published edition takes.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext

from reporting.scoping import sees_everything

from .models import PUBLISHED_REFUSAL


def edition_write_refusal(*, user, edition):
    """Why `user` may not change `edition` now, in the active language, or "" when they may."""
    if user is not None and not sees_everything(user):
        return gettext("Bara samordnare kan skriva lägesrapporten.")
    if edition is not None and edition.is_published:
        return gettext(PUBLISHED_REFUSAL) % {"year": edition.year}
    return ""


def _coordinator_only(user, message):
    if user is not None and not sees_everything(user):
        raise PermissionDenied(message)


def check_edition_write(*, user, edition):
    _coordinator_only(user, gettext("Bara samordnare kan skriva lägesrapporten."))
    refusal = edition_write_refusal(user=user, edition=edition)
    if refusal:
        raise ValidationError(refusal)


def check_edition_publish(*, user, edition):
    _coordinator_only(user, gettext("Bara samordnare kan publicera lägesrapporten."))
    if edition.is_published:
        raise ValidationError(gettext("Lägesrapport %(year)s är redan publicerad.") % {"year": edition.year})


def check_edition_correction(*, user, edition):
    _coordinator_only(user, gettext("Bara samordnare kan lägga till en rättelse."))
    if not edition.is_published:
        raise ValidationError(gettext("Ett utkast rättas inte: ändra texten i stället."))
