"""Control characters in an address are a 404 (path) or 400 (query), before any view sees them.

No address of the site holds one, and PostgreSQL refuses a NUL in a query parameter outright
("A string literal cannot contain NUL"), so `/api/v1/indicators/%00/` reached the database and was
a 500. Answering here covers every view, the API and the admin alike.
"""

import re
from urllib.parse import unquote

from django.core.exceptions import BadRequest
from django.http import Http404, JsonResponse
from django.utils.translation import gettext

CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class ControlCharactersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if CONTROL.search(request.path_info) or CONTROL.search(request.path):
            if request.path_info.startswith("/api/"):
                return JsonResponse({"detail": "Finns inte."}, status=404)  # sv-only: as the API's own 404, Swedish in every language
            raise Http404(gettext("Sidan finns inte."))
        if "\x00" in unquote(request.META.get("QUERY_STRING", "")):
            raise BadRequest(gettext("Adressen innehåller ogiltiga tecken."))
        return self.get_response(request)
