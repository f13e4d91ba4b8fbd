"""The site's own address, for the links an answer carries away from the page: the JSON API, the DCAT
catalogue, the downloads and the round's mails.

From settings.SITE_URL, never from the request's Host header: a client chooses that header (any port of
an allowed host passes ALLOWED_HOSTS), and the answers are kept per page version, so an address taken
from it would let a client multiply the cached copies and force a fresh render at will.
"""

from django.conf import settings


def absolute_url(path):
    """`/data/` → `https://example.org/data/`."""
    return settings.SITE_URL.rstrip("/") + path
