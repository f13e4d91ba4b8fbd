"""Public pages: the yearly report editions and the accessibility statement."""

from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET

from strategy.scoping import sees_everything

from .models import ReportEdition
from .selectors import latest_published_edition, report_page
from .services import CACHE_TIMEOUT, report_cache_key


@require_GET
def report(request, year):
    edition = get_object_or_404(ReportEdition, year=year)
    if not edition.is_published:
        # A draft is a coordinator's preview: never public, never cached.
        if not sees_everything(request.user):
            raise Http404("Ingen publicerad lägesrapport för året.")
        return render(request, "public/report.html", {**report_page(edition), "preview": True})
    # The page holds nothing user-specific, so one rendering serves everyone until
    # a publish or a change of what it shows bumps the cache version.
    key = report_cache_key(year)
    html = cache.get(key)
    if html is None:
        html = render_to_string("public/report.html", report_page(edition), request=request)
        cache.set(key, html, CACHE_TIMEOUT)
    return HttpResponse(html)


@require_GET
def latest_report(request):
    edition = latest_published_edition()
    if edition is None:
        raise Http404("Ingen lägesrapport är publicerad ännu.")
    return redirect(edition)


@require_GET
def accessibility(request):
    return render(request, "public/accessibility.html")
