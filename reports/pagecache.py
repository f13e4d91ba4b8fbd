"""One cache for the public pages, retired as a whole when anything they show changes.

The public pages (start, goals, indicators, plans, published reports) are the
same for every reader. Each is rendered once per cache version and kept in the
shared cache; reports.signals bumps the version on every change of what they
show. reports.middleware also keeps each worker's copies in memory.
"""

import hashlib
import re
import time
from urllib.parse import urlencode

from django.core.cache import cache
from django.http import HttpResponse

VERSION_KEY = "pages:version"
# When the version last changed (seconds since the epoch): the Last-Modified of
# the downloads, the API and the catalogue (reports.opendata).
CHANGED_KEY = "pages:changed"
TIMEOUT = 24 * 60 * 60

# The query parameters each page reads. Any other parameter (utm_source, a random cache buster) is
# left out of the page's key, so it cannot multiply the renders.
PAGE_PARAMETERS = [
    (re.compile(r"^/indikatorer/$"), ("mal", "valdstyp", "typ", "kalla", "ansvarig", "utveckling", "q")),
    (re.compile(r"^/indikatorer/[\w-]+/$"), ("valt", "serie")),
    (re.compile(r"^/planer/(?!tackning/)[\w-]+/$"), ("ansvarig", "niva")),
]


def page_key(request):
    """The path and, in a fixed order, only the query parameters the page uses."""
    names = next((names for pattern, names in PAGE_PARAMETERS if pattern.match(request.path_info)), ())
    pairs = []
    for name in names:
        if name not in request.GET:
            continue
        if name == "valt":
            pairs.append((name, "1"))  # only its presence matters (reports.views.chosen_series)
        elif name == "serie":
            pairs.extend((name, v) for v in sorted({v for v in request.GET.getlist(name) if v.isdigit()}, key=int))
        else:
            pairs.append((name, request.GET.get(name, "")))
    return request.path + ("?" + urlencode(pairs) if pairs else "")


def current_version():
    """The version, or None if the cache has none (emptied, evicted, never set)."""
    return cache.get(VERSION_KEY)


def ensure_version():
    # A fresh version starts from the clock, never from 1: after the cache is
    # emptied, no page kept in a worker's memory can match it.
    return cache.get_or_set(VERSION_KEY, time.time_ns, timeout=None)


def bump():
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # not set: any new value retires the old pages
        cache.set(VERSION_KEY, time.time_ns(), timeout=None)
    cache.set(CHANGED_KEY, time.time(), timeout=None)


def version_and_changed():
    """(version, time of its last change); both start now if the cache has none."""
    version = ensure_version()
    changed = cache.get(CHANGED_KEY)
    if changed is None:
        # Unknown (cache emptied or never bumped): from now on, which is never too early.
        changed = time.time()
        cache.add(CHANGED_KEY, changed, timeout=None)
        changed = cache.get(CHANGED_KEY, changed)
    return version, changed


def shared_page(request, render):
    """The page at this URL from the cache, or `render()` (→ HTML) once per version."""
    # Hashed: a URL with a long query string is not a valid key for every cache backend.
    path = hashlib.sha256(page_key(request).encode()).hexdigest()
    key = f"pages:{path}:v{ensure_version()}"
    html = cache.get(key)
    if html is None:
        html = render()
        cache.set(key, html, TIMEOUT)
    response = HttpResponse(html)
    response.shared_page = True  # reports.middleware may keep it in memory
    return response
