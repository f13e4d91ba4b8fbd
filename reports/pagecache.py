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
from django.utils import translation
from django.utils.cache import get_conditional_response

from reporting.numbers import whole_number

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


def unprefixed(path):
    """The path without its language prefix (/en/mal/1/ → /mal/1/): what PAGE_PARAMETERS match."""
    language = translation.get_language_from_path(path)
    return path[len(language) + 1 :] if language else path


def page_key(request):
    """The path and, in a fixed order, only the query parameters the page uses."""
    path = unprefixed(request.path_info)
    names = next((names for pattern, names in PAGE_PARAMETERS if pattern.match(path)), ())
    pairs = []
    for name in names:
        if name not in request.GET:
            continue
        if name == "valt":
            pairs.append((name, "1"))  # only its presence matters (reports.views.chosen_series)
        elif name == "serie":
            # As reports.views.chosen_series reads them.
            pairs.extend((name, v) for v in sorted({v for v in request.GET.getlist(name) if whole_number(v) is not None}, key=int))
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


def language_key(request):
    """The page's key in the active language (config.locale.LanguageMiddleware chose it from the address).

    The language is part of the key even though the English addresses have their own prefix:
    the copy kept must be the one rendered in the reader's language, whatever the address."""
    return f"{translation.get_language()}:{page_key(request)}"


def shared_page(request, render):
    """The page at this URL from the cache, or `render()` (→ HTML) once per version.

    The ETag is the rendered page's digest, so each language's copy has its own, and a
    reader who sends it back gets 304 while the page is unchanged."""
    # Hashed: a URL with a long query string is not a valid key for every cache backend.
    path = hashlib.sha256(language_key(request).encode()).hexdigest()
    key = f"pages:{path}:v{ensure_version()}"
    stored = cache.get(key)
    if stored is None:
        html = render()
        stored = (html, f'"{hashlib.sha256(html.encode()).hexdigest()[:32]}"')
        cache.set(key, stored, TIMEOUT)
    html, etag = stored
    response = get_conditional_response(request, etag=etag) or HttpResponse(html)
    response["ETag"] = etag
    response.shared_page = True  # reports.middleware may keep it in memory
    return response
