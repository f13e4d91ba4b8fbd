"""Public pages served from process memory, before the rest of the stack.

A public page is the same for every reader until the shared page version
changes (reports.pagecache). Each worker keeps the bytes of the pages it has
served and answers a repeat request before sessions, CSRF, authentication and
the view run, at about the cost of a static file. The version is read from the
shared cache on every such request, so a bump in any worker retires every copy.
"""

import re

from django.conf import settings
from django.http import HttpResponse
from django.utils.cache import get_conditional_response

from . import pagecache

# Only these paths can be shared pages, in Swedish or under a language's prefix (/en/); anything else
# skips the version lookup.
PREFIXES = "|".join(re.escape(code) for code, _ in settings.LANGUAGES if code != settings.LANGUAGE_CODE)
SHARED_PATHS = re.compile(rf"^/(({PREFIXES})/)?($|mal/\d+/$|indikatorer/([\w-]+/)?$|lagesrapport/\d{{4}}/$|planer/)")
MAX_PAGES = 500  # per worker; indicator pages multiply by the series a reader picks


class PublicPageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.pages = {}  # full path → (version, body, headers)

    def __call__(self, request):
        if request.method != "GET" or not SHARED_PATHS.match(request.path_info):
            return self.get_response(request)
        # Unknown query parameters do not make a new page; each language has its own copy.
        path = pagecache.language_key(request)
        version = pagecache.current_version()
        stored = self.pages.get(path)
        if stored is not None and version is not None and stored[0] == version:
            unchanged = get_conditional_response(request, etag=stored[2].get("ETag"))
            if unchanged is not None:
                unchanged["ETag"] = stored[2]["ETag"]
                return unchanged
            return HttpResponse(stored[1], headers=stored[2])
        response = self.get_response(request)
        # The view marks what is the same for everyone; a response that sets a
        # cookie is someone's own and is never kept.
        if version is not None and getattr(response, "shared_page", False) and response.status_code == 200:
            if not response.cookies:
                if len(self.pages) >= MAX_PAGES:
                    self.pages.clear()
                self.pages[path] = (version, response.content, dict(response.items()))
        return response
