"""The coordinator's worklist for the data sources: the year's indicators no reporter reports.

An indicator whose responsible organisation has no reporter (no active member in
the Rapportör group) gets its figures from a published statistic, typed in by the
coordinator: which indicators these are for a year is `workspace.tasks`' rule
(`data_source_indicators`), the same the completeness matrix counts as the data
sources' tasks. The list shows, for the year, which of their series still lack an
approved value (the series that count for the year, `workspace.tasks.year_series`),
and a line is complete when the matrix counts the task approved (`indicator_state`:
the same rule, one place); the entry grid records each figure with its footnote and source,
saved and approved in one step (the write policy's RECORD: coordinators only, not
in a locked year), so the history says who took it from where.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F, Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext, ngettext

from indicators.grid import ValuesGridForm, values_grid_submit
from indicators.models import FIRST_YEAR, LAST_YEAR, Indicator, Value
from reporting.models import State, locked_years
from reporting.scoping import may_coordinate, role_required

from .tasks import data_source_indicators, indicator_state, year_series


@dataclass
class Line:
    indicator: Indicator

    @property
    def missing(self):
        """The series that count for the year without an approved value."""
        return [s for s in self.indicator.ordered_series if not any(v.state == State.APPROVED for v in s.year_values)]

    @property
    def state(self):
        """The indicator's task's state, by the rule the matrix counts (`workspace.tasks.indicator_state`)."""
        values = [v for s in self.indicator.ordered_series for v in s.year_values]
        return indicator_state(values, len(self.indicator.ordered_series))[0]

    @property
    def complete(self):
        return self.state == State.APPROVED


def worklist_indicators(year):
    """The data sources' indicators for the year (`workspace.tasks.data_source_indicators`), in three queries.

    Each comes with its series that count for the year (`workspace.tasks.year_series`), and
    each series with its value for the year in the indicator's own area (`year_values`, a
    list of at most one).
    """
    own = Value.objects.filter(year=year, area_id=F("series__indicator__area_id"))
    series = year_series(year).order_by("order", "pk").prefetch_related(
        Prefetch("values", queryset=own, to_attr="year_values")
    )
    return (
        data_source_indicators(year)
        .select_related("responsible", "goal")
        .prefetch_related(Prefetch("series", queryset=series, to_attr="ordered_series"))
    )


def worklist_lines(year):
    lines = [
        Line(indicator)
        for indicator in worklist_indicators(year)
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
    subject = get_object_or_404(worklist_indicators(year), pk=pk)
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
