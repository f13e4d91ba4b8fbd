"""The page's languages: the switch, the hreflang alternates and the Swedish a translation falls back to.

Swedish is the source language. A text readers see has a column per language
(django-modeltranslation, e.g. Goal.title_en); where the page's language has none, the
Swedish is shown and marked lang="sv", so that a screen reader reads it as Swedish.
"""

from django.conf import settings
from django.urls import reverse, translate_url
from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from django import template

register = template.Library()

SOURCE_LANGUAGE = settings.LANGUAGE_CODE


def _fallback(obj, field):
    """True where the page is not Swedish and `obj` has no `field` in its language."""
    language = translation.get_language() or SOURCE_LANGUAGE
    if language == SOURCE_LANGUAGE:
        return False
    return not getattr(obj, f"{field}_{language}", None)


@register.filter
def in_language(obj, field):
    """`obj.field` in the page's language, or its Swedish wrapped in <span lang="sv">."""
    value = getattr(obj, field)
    if _fallback(obj, field):
        return format_html('<span lang="{}">{}</span>', SOURCE_LANGUAGE, value)
    return value


@register.filter
def lang_of(obj, field):
    """` lang="sv"` for the element holding `obj.field` when the page shows its Swedish fallback."""
    return mark_safe(f' lang="{SOURCE_LANGUAGE}"') if _fallback(obj, field) else ""


@register.simple_tag
def swedish_only():
    """` lang="sv"` for an element whose text exists only in Swedish (the source's words, no translation)."""
    language = translation.get_language() or SOURCE_LANGUAGE
    return mark_safe(f' lang="{SOURCE_LANGUAGE}"') if language != SOURCE_LANGUAGE else ""


@register.simple_tag(takes_context=True)
def page_languages(context):
    """The page's languages: {"alternates", "links", "form"}.

    A public page has an address per language (i18n_patterns): its `alternates` are the hreflang
    links and the switch links to them. The workspace, the desk, the admin and the account pages
    have one address: the switch is a `form` that sets the language cookie (config/locale.py).
    Other pages with one address (the open data page, errors) link to the start page in each language."""
    request = context.get("request")
    current = translation.get_language()
    if request is None:
        return {"alternates": [], "links": [], "form": False}
    alternates = [
        {"code": code, "name": name, "url": translate_url(request.path, code), "current": code == current}
        for code, name in settings.LANGUAGES
    ]
    for alternate in alternates:
        # hreflang wants full addresses; SITE_URL, not the request's host, so the cached page is one.
        alternate["absolute"] = settings.SITE_URL + alternate["url"]
    if len({a["url"] for a in alternates}) == len(alternates):
        return {"alternates": alternates, "links": alternates, "form": False}
    if request.path_info.startswith(tuple(settings.USER_LANGUAGE_PATHS)):
        choices = [{"code": code, "name": name, "current": code == current} for code, name in settings.LANGUAGES]
        return {"alternates": [], "links": choices, "form": True}
    homes = [
        {"code": code, "name": name, "url": translate_url(reverse("home"), code), "current": code == current}
        for code, name in settings.LANGUAGES
    ]
    return {"alternates": [], "links": homes, "form": False}


@register.filter(is_safe=True)
def swedish(value):
    """A text that exists only in Swedish (the source's words): wrapped in <span lang="sv"> on other pages."""
    if (translation.get_language() or SOURCE_LANGUAGE) == SOURCE_LANGUAGE or value in ("", None):
        return value
    return format_html('<span lang="{}">{}</span>', SOURCE_LANGUAGE, value)


@register.filter(is_safe=True)
def swedish_unless(value, translation_text):
    """`value` (already filtered) wrapped in <span lang="sv"> on another language's page without `translation_text`.

    For a translatable field shown through other filters or a property: `{{ c.text|corrected|swedish_unless:c.text_en }}`."""
    return value if translation_text else swedish(value)
