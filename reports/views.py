"""The public site: start page, goals, indicators, plans, the yearly report editions.

Every public page is the same for every reader and is served from the page
cache (reports.pagecache); a report edition's draft is a coordinator's preview
and is never cached.
"""

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils.cache import get_conditional_response
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from reporting.numbers import whole_number
from reporting.scoping import may_coordinate, sees_everything

from . import pagecache, plans
from .charts import build_panel
from .models import EditionPdf, ReportEdition
from .pdf import edition_pdf_bytes, edition_source_html
from .selectors import (
    goal_page,
    home_page,
    indicator_index,
    indicator_page,
    published_editions,
    published_report_page,
    report_opening,
)
from .services import render_edition_body, report_edition_freeze_missing


def _shared(request, template, context_builder):
    return pagecache.shared_page(request, lambda: render_to_string(template, context_builder(), request=request))


@require_safe
def home(request):
    return _shared(request, "public/home.html", home_page)


@require_safe
def goal(request, number):
    return _shared(request, "public/goal.html", lambda: goal_page(number))


@require_safe
def indicator_list(request):
    return _shared(request, "public/indicator_index.html", lambda: indicator_index(request.GET))


def chosen_series(request, series_ids):
    """Series ids chosen with the form (?valt=1&serie=…), or None for the default choice.

    `valt` tells an empty choice (every box unticked) from a first visit.
    """
    if "valt" not in request.GET:
        return None
    chosen = set()
    for raw in request.GET.getlist("serie"):
        if whole_number(raw) in series_ids:
            chosen.add(whole_number(raw))
    return chosen


@require_safe
def indicator_detail(request, slug):
    def context():
        indicator, values, analysis = indicator_page(slug)
        series = list(indicator.series.all())
        panel = build_panel(
            indicator, series, values, selected=chosen_series(request, {s.id for s in series}), keep_hidden=True
        )
        return {"indicator": indicator, "panel": panel, "analysis": analysis}

    return _shared(request, "public/indicator.html", context)


@require_safe
def plan_list(request):
    return _shared(request, "public/plans.html", lambda: {"plans": plans.plan_list()})


@require_safe
def plan_detail(request, slug):
    return _shared(
        request,
        "public/plan.html",
        lambda: plans.plan_page(
            slug, organisation_slug=request.GET.get("ansvarig", ""), level_code=request.GET.get("niva", "")
        ),
    )


@require_safe
def commitment_detail(request, slug, number):
    return _shared(request, "public/commitment.html", lambda: plans.commitment_page(slug, number))


@require_safe
def coverage(request):
    return _shared(request, "public/coverage.html", plans.coverage_map)


@require_safe
def report(request, year):
    edition = get_object_or_404(ReportEdition.objects.select_related("strategy"), year=year)
    if not edition.is_published:
        # A draft is a coordinator's preview: never public, never cached.
        if not sees_everything(request.user):
            raise Http404(_("Ingen publicerad lägesrapport för året."))
        context = {"edition": edition, **report_opening(render_edition_body(edition)), "preview": True}
        return render(request, "public/report.html", context)
    if not edition.frozen_html:
        edition = report_edition_freeze_missing(edition=edition)
    return _shared(request, "public/report.html", lambda: {**published_report_page(edition), "pdf": stored_pdf(edition)})


def stored_pdf(edition):
    """The edition's PDF record without its content (the page's link says its pages and size), or None."""
    return EditionPdf.objects.defer("content").filter(edition=edition).first()


def pdf_response(data, *, filename, etag=None):
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    if etag:
        response["ETag"] = f'"{etag}"'
    return response


@require_safe
def report_pdf(request, year, file_year):
    """The PDF stored at publication: the same bytes for ever, so its SHA-256 is its ETag."""
    if file_year != year:
        raise Http404(_("Ingen sådan fil."))
    pdf = EditionPdf.objects.filter(
        edition__year=year, edition__state=ReportEdition.State.PUBLISHED, state=EditionPdf.State.READY
    ).defer("content").first()
    if pdf is None:
        raise Http404(_("PDF:en för lägesrapporten finns inte ännu."))
    # Django's reading of If-None-Match: a list of tags, a weak tag and * match too, not only the literal one.
    not_modified = get_conditional_response(request, etag=f'"{pdf.sha256}"')
    if not_modified is not None:
        not_modified["ETag"] = f'"{pdf.sha256}"'
        return not_modified
    content = EditionPdf.objects.values_list("content", flat=True).get(pk=pdf.pk)
    response = pdf_response(bytes(content), filename=f"lagesrapport-{year}.pdf", etag=pdf.sha256)
    # Immutable, but its address is stable: let a cache keep it a day, then check the ETag.
    response["Cache-Control"] = "public, max-age=86400"
    return response


@require_safe
def report_preview_pdf(request, year):
    """A coordinator's PDF of the edition as it would be published now: made on request, never stored."""
    edition = get_object_or_404(ReportEdition, year=year)
    if not may_coordinate(request.user):
        raise Http404(_("Ingen förhandsgranskning för dig."))
    data = edition_pdf_bytes(edition, body_html=edition_source_html(edition))
    response = pdf_response(data, filename=f"lagesrapport-{year}-forhandsgranskning.pdf")
    response["Cache-Control"] = "private, no-store"
    return response


@require_safe
def report_archive(request):
    return _shared(request, "public/report_archive.html", lambda: {"editions": published_editions()})


@require_safe
def accessibility(request):
    return render(request, "public/accessibility.html")
