"""Which language a request is answered in.

The public site says it in its address: Swedish at today's addresses, English under /en/
(config/urls.py, i18n_patterns without a prefix for Swedish). The workspace, the desk, the
admin and the account pages have one address for both languages and follow the language the
user chose with the switch (Django's language cookie, set by `set_language`); without that
cookie they are Swedish. The browser's Accept-Language is never used: a Swedish coordinator
with an English browser must not find the desk in English, and a cached public page must
depend on its address alone.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.views.i18n import set_language


def chosen_language(request):
    """The language of the cookie the switch sets, if it is one the site offers."""
    code = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    return code if code in dict(settings.LANGUAGES) else None


def request_language(request):
    from_path = translation.get_language_from_path(request.path_info)
    if from_path:
        return from_path
    if request.path_info.startswith(tuple(settings.USER_LANGUAGE_PATHS)):
        return chosen_language(request) or settings.LANGUAGE_CODE
    return settings.LANGUAGE_CODE


class LanguageMiddleware:
    """Django's LocaleMiddleware, choosing as above (it would also read Accept-Language)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        translation.activate(request_language(request))
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        if request.path_info.startswith(tuple(settings.USER_LANGUAGE_PATHS)):
            # One address, two languages: a shared cache must tell them apart.
            patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
        return response


def switch_language(request):
    """Django's set_language, resolving `next` in its own language.

    set_language finds the page in the new language by resolving `next` in the active language;
    /sprak/ itself is Swedish, so an English address (/en/…) would not resolve and the reader
    would stay on the English page."""
    next_url = request.POST.get("next", request.GET.get("next")) or ""
    language = translation.get_language_from_path(urlsplit(next_url).path) or settings.LANGUAGE_CODE
    with translation.override(language):
        return set_language(request)
