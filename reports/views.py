"""Public pages: the yearly report editions and the accessibility statement."""

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET

from strategy.scoping import sees_everything

from . import pagecache
from .models import ReportEdition
from .selectors import latest_published_edition, report_page


@require_GET
def report(request, year):
    edition = get_object_or_404(ReportEdition, year=year)
    if not edition.is_published:
        # A draft is a coordinator's preview: never public, never cached.
        if not sees_everything(request.user):
            raise Http404("Ingen publicerad lägesrapport för året.")
        return render(request, "public/report.html", {**report_page(edition), "preview": True})
    return pagecache.shared_page(
        request, lambda: render_to_string("public/report.html", report_page(edition), request=request)
    )


@require_GET
def latest_report(request):
    edition = latest_published_edition()
    if edition is None:
        raise Http404("Ingen lägesrapport är publicerad ännu.")
    return redirect(edition)


@require_GET
def accessibility(request):
    return render(request, "public/accessibility.html")
