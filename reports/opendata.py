"""Cheap polling and open CORS for the open data: downloads, the JSON API and the catalogue.

What these answer changes only when the shared page version does (reports.pagecache,
bumped after every committed change of content) or when the code or the open-data
settings change (a deploy). So the ETag is made of the version and a fingerprint of
that code and those settings, and Last-Modified is the time of the version's last
change. A client that sends either back gets 304 Not Modified before sessions,
authentication and the view run: one cache read, no SQL. The data is public, so any
site may read it with GET (CORS).
"""

import hashlib
import re
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, JsonResponse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date

from . import pagecache
from .apislots import api_slot

# The downloads, the API (with its OpenAPI document) and the catalogue; not the HTML pages.
OPEN_DATA_PATHS = re.compile(
    r"^/(api/v1/.*|data/values\.(csv|xlsx)|data/katalog(\.(rdf|ttl|jsonld))?|indikatorer/[\w-]+/data\.(csv|xlsx))$"
)
API_PREFIX = "/api/v1/"
# The catalogue without a suffix picks its format from Accept (reports.catalog).
NEGOTIATED_PATHS = {"/data/katalog"}

# What shapes the open-data responses besides the data itself: a deploy that changes
# any of it must not be answered with 304 for a body made by the old code.
FINGERPRINTED_FILES = [
    "reports/api.py",
    "reports/catalog.py",
    "reports/downloads.py",
    "reports/opendata.py",
    "reports/workbook.py",
    "indicators/selectors.py",
]
FINGERPRINTED_SETTINGS = [
    "DATA_LICENCE_URL",
    "DATA_LICENCE_NAME",
    "DATA_PUBLISHER_NAME",
    "DATA_PUBLISHER_URL",
    "DATA_CONTACT_EMAIL",
    "SITE_URL",  # the absolute links the answers carry (reporting.addresses)
]

CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    # ETag is not a CORS-safelisted response header: without this a script cannot read it.
    "Access-Control-Expose-Headers": "ETag, Content-Disposition",
}
PREFLIGHT_HEADERS = {
    "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
    # A script that polls sends the validators back itself, which needs a preflight.
    "Access-Control-Allow-Headers": "If-None-Match, If-Modified-Since",
    "Access-Control-Max-Age": "86400",
}


@lru_cache(maxsize=1)
def code_fingerprint():
    digest = hashlib.sha256()
    for name in FINGERPRINTED_FILES:
        digest.update(Path(settings.BASE_DIR, name).read_bytes())
    for name in FINGERPRINTED_SETTINGS:
        digest.update(repr(getattr(settings, name, None)).encode())
    return digest.hexdigest()[:10]


def validators(request):
    """(ETag, Last-Modified as seconds) of what this open-data URL answers now."""
    version, changed = pagecache.version_and_changed()
    variant = ""
    if request.path_info in NEGOTIATED_PATHS:
        variant = "-" + hashlib.sha256(request.headers.get("Accept", "").encode()).hexdigest()[:8]
    # Weak: the same data, but not always the same bytes (an XLSX file carries its creation time).
    return f'W/"{version}-{code_fingerprint()}{variant}"', int(changed)


class OpenDataMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not OPEN_DATA_PATHS.match(request.path_info):
            return self.get_response(request)
        if request.method == "OPTIONS":
            response = HttpResponse(status=204)
            for name, value in {**CORS_HEADERS, **PREFLIGHT_HEADERS}.items():
                response[name] = value
            return response
        conditional = request.method in ("GET", "HEAD")
        response = None
        if conditional:
            # Read before the view runs: a change committed meanwhile gives the new body the
            # old ETag, so the next poll downloads again; never an old body under a new ETag.
            etag, last_modified = validators(request)
            response = get_conditional_response(request, etag=etag, last_modified=last_modified)
        if response is None:
            response = self._answer(request, etag if conditional else None)
        if conditional and response.status_code in (200, 304):
            response["ETag"] = etag
            response["Last-Modified"] = http_date(last_modified)
            # Stored, but asked again each time: the answer is usually a cheap 304.
            response["Cache-Control"] = "public, no-cache"
        for name, value in CORS_HEADERS.items():
            response[name] = value
        return response

    def _answer(self, request, etag):
        if not request.path_info.startswith(API_PREFIX) or etag is None:
            return self.get_response(request)
        # The API's views (django-ninja) take GET only; HEAD is GET without the body, as HTTP says.
        head = request.method == "HEAD"
        request.method = "GET"
        response = self._cached_api(request, etag)
        if head:
            request.method = "HEAD"
            response["Content-Length"] = str(len(response.content))
            response.content = b""
        return response

    def _cached_api(self, request, etag):
        """The API's answer, rendered once per page version like the pages (reports.pagecache).

        Keyed by the ETag (page version and code fingerprint) and the path; the answers' absolute
        links are the site's own address (reporting.addresses), not the request's Host, so a client
        cannot multiply the copies. Only a 200 is kept: unknown slugs cannot fill the cache."""
        key = api_cache_key(request.path, etag)
        stored = cache.get(key)
        if stored is not None:
            body, content_type = stored
            return HttpResponse(body, content_type=content_type)
        with api_slot() as granted:
            if not granted:
                return api_busy()
            response = self.get_response(request)
        if response.status_code == 200 and not response.streaming and not response.cookies:
            cache.set(key, (response.content, response["Content-Type"]), pagecache.TIMEOUT)
        return response


def api_cache_key(path, etag):
    return "api:" + hashlib.sha256(f"{path}|{etag}".encode()).hexdigest()


def api_busy():
    """503 for an API request beyond the machine's bound on uncached work (reports.apislots)."""
    response = JsonResponse(
        {"detail": "API:et har många frågor just nu. Försök igen om en stund."},  # sv-only: the API answers in Swedish
        status=503, json_dumps_params={"ensure_ascii": False},
    )
    response["Retry-After"] = str(settings.API_RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    # Not one ERROR line per refused request from Django's request log: under the very load that
    # refuses them that would flood the log. gunicorn's access log still has each one.
    response._has_been_logged = True
    return response
