"""The coordinator's worklist for the data sources: indicators no reporter reports.

An indicator whose responsible organisation has no reporter (no active member in
the Rapportör group) — Brå, Socialstyrelsen, Skolinspektionen, SCB in the real
data — gets its figures from a published statistic, typed in by the coordinator.
The list shows, for a year, which of their series still lack an approved value;
the entry grid records each figure with its footnote and source, saved and
approved in one step (the write policy's RECORD: coordinators only, not in a
locked year), so the history says who took it from where.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext, ngettext

from indicators.grid import ValuesGridForm, values_grid_submit
from indicators.models import FIRST_YEAR, LAST_YEAR, Indicator, Series, Value
from reporting.models import State, locked_years
from reporting.roles import REPORTER
from reporting.scoping import may_coordinate, role_required
from strategy.models import Membership


@dataclass
class Line:
    indicator: Indicator
    missing: list  # the series without an approved value for the year

    @property
    def has_series(self):
        return bool(self.indicator.ordered_series)

    @property
    def complete(self):
        return self.has_series and not self.missing


def data_source_indicators(year):
    """Indicators for the year whose responsible organisation has no reporter, in three queries.

    An indicator with no responsible organisation at all is not a data source's
    and is left out, as the completeness matrix leaves it out.

    Each comes with its series, and each series with its approved value for the
    year in the indicator's own area (`approved`, a list of at most one).
    """
    with_reporter = Membership.objects.filter(user__is_active=True, user__groups__name=REPORTER).values(
        "organisation_id"
    )
    approved = Value.objects.filter(year=year, state=State.APPROVED, area_id=F("series__indicator__area_id"))
    series = Series.objects.order_by("order", "pk").prefetch_related(
        Prefetch("values", queryset=approved, to_attr="approved")
    )
    return (
        Indicator.objects.filter(Q(status=Indicator.Status.ACTIVE) | Q(retired_last_year__gte=year))
        .filter(responsible__isnull=False)
        .exclude(responsible__in=with_reporter)
        .select_related("responsible", "goal")
        .prefetch_related(Prefetch("series", queryset=series, to_attr="ordered_series"))
    )


def worklist_lines(year):
    lines = [
        Line(indicator, [s for s in indicator.ordered_series if not s.approved])
        for indicator in data_source_indicators(year)
    ]
    return sorted(
        lines,
        key=lambda line: (
            line.indicator.responsible.display_name,
            line.indicator.goal.number,
            line.indicator.code,
        ),
    )


def _coordinator_year(request, year):
    if not may_coordinate(request.user):
        raise PermissionDenied(gettext("Bara samordnare kan föra in siffror för datakällorna."))
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Http404(gettext("Året finns inte."))


@role_required
def worklist(request, year):
    _coordinator_year(request, year)
    lines = worklist_lines(year)
    groups = {}
    for line in lines:
        groups.setdefault(line.indicator.responsible.display_name, []).append(line)
    return render(
        request,
        "workspace/worklist.html",
        {
            "year": year,
            "groups": list(groups.items()),
            "missing": sum(len(line.missing) for line in lines),
            "incomplete": sum(not line.complete for line in lines),
            "total": len(lines),
            "locked": year in locked_years(),
        },
    )


@role_required
def entry(request, year, pk):
    """One indicator's figures for the year: value, footnote and source per series, approved on saving."""
    _coordinator_year(request, year)
    subject = get_object_or_404(data_source_indicators(year), pk=pk)
    grid = {"indicator": subject, "area": subject.area, "user": request.user, "years": [year], "record": True}
    if request.method == "POST":
        with transaction.atomic():
            form, result = values_grid_submit(data=request.POST, **grid)
        if result is not None:
            recorded = result["created"] + result["updated"]
            messages.success(
                request,
                # The Swedish reads as it always has for one figure too (the tests read it); English has its singular.
                ngettext(
                    "%(code)s: %(count)d värden för %(year)s förda in och godkända, %(deleted)d borttagna. "
                    "De godkända syns på den öppna webbplatsen.",
                    "%(code)s: %(count)d värden för %(year)s förda in och godkända, %(deleted)d borttagna. "
                    "De godkända syns på den öppna webbplatsen.",
                    recorded,
                )
                % {"code": subject.code, "count": recorded, "year": year, "deleted": result["deleted"]},
            )
            return redirect("workspace:worklist", year)
    else:
        form = ValuesGridForm(**grid)
    return render(
        request,
        "workspace/worklist_entry.html",
        {
            "year": year,
            "indicator": subject,
            "form": form,
            "rows": [
                {
                    "series": series,
                    "fields": [
                        (gettext("Värde %(year)s") % {"year": year}, v), (gettext("Fotnot"), f), (gettext("Källa"), s)
                    ],
                    "stored": form.existing.get((series.pk, year)),
                }
                for series, ((v, f, s),) in form.note_rows()
            ],
            "locked": year in locked_years(),
        },
    )
