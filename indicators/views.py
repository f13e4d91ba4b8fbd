"""The public page of one indicator."""

from django.template.loader import render_to_string
from django.views.decorators.http import require_GET

from reports.pagecache import shared_page
from reports.selectors import indicator_page

from .charts import build_panel


def chosen_series(request, series_ids):
    """Series ids chosen with the form (?valt=1&serie=…), or None for the default choice.

    `valt` tells an empty choice (every box unticked) from a first visit.
    """
    if "valt" not in request.GET:
        return None
    chosen = set()
    for raw in request.GET.getlist("serie"):
        if raw.isdigit() and int(raw) in series_ids:
            chosen.add(int(raw))
    return chosen


@require_GET
def indicator_detail(request, slug):
    def render():
        indicator, values = indicator_page(slug)
        series = list(indicator.series.all())
        panel = build_panel(
            indicator, series, values, selected=chosen_series(request, {s.id for s in series}), keep_hidden=True
        )
        return render_to_string("public/indicator.html", {"indicator": indicator, "panel": panel}, request=request)

    return shared_page(request, render)
