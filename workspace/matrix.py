"""The completeness matrix: reporting organisations × commitments and values, counts and percent, and its CSV.

Committees and municipal companies are grouped under their municipality; data
sources (organisations that only answer for indicators) are not reporters and
are left out (see workspace.tasks).
"""

from dataclasses import dataclass, field

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render

from reporting.models import ReportingRound
from reporting.scoping import role_required, sees_everything
from reporting.spreadsheet import BOM, ExcelSwedish, csv_writer

from .tasks import STATE_LABELS, STATE_ORDER, round_progress


@dataclass
class Line:
    """One row of the matrix: an organisation, or a whole group or round as a sum."""

    name: str
    parent: str = ""
    commitments: dict = field(default_factory=lambda: dict.fromkeys(STATE_ORDER, 0))
    values: dict = field(default_factory=lambda: dict.fromkeys(STATE_ORDER, 0))
    progress: object = None  # the organisation's Progress, for its item list
    slug: str = ""

    def add(self, other):
        for state in STATE_ORDER:
            self.commitments[state] += other.commitments[state]
            self.values[state] += other.values[state]

    @property
    def total(self):
        return sum(self.commitments.values()) + sum(self.values.values())

    @property
    def done(self):
        return sum(self.commitments[s] + self.values[s] for s in ("submitted", "approved"))

    @property
    def approved(self):
        return self.commitments["approved"] + self.values["approved"]

    def percent(self, part):
        return round(100 * part / self.total) if self.total else 0

    @property
    def done_percent(self):
        return self.percent(self.done)

    @property
    def approved_percent(self):
        return self.percent(self.approved)

    def count(self, state):
        return self.commitments[state] + self.values[state]


def _line(progress):
    line = Line(progress.organisation.display_name, progress=progress, slug=progress.organisation.slug)
    line.commitments = progress.counts(progress.commitments)
    line.values = progress.counts(progress.indicators)
    parent = progress.organisation.parent
    line.parent = parent.display_name if parent else ""
    return line


def round_matrix(*, year):
    """(groups, total): each group a municipality or an organisation with its committees; total the round's sum.

    A group is (line for the organisation itself or None, [lines of its committees], sum line).
    """
    progress = round_progress(year=year)
    groups = {}
    for p in progress.values():
        organisation = p.organisation
        top = organisation.parent if organisation.parent_id else organisation
        groups.setdefault(top.pk, {"top": top, "own": None, "children": []})
        if top.pk == organisation.pk:
            groups[top.pk]["own"] = _line(p)
        else:
            groups[top.pk]["children"].append(_line(p))
    result = []
    total = Line("Hela omgången")
    for group in sorted(groups.values(), key=lambda g: g["top"].name):
        group["children"].sort(key=lambda line: line.name)
        summed = Line(group["top"].display_name, slug=group["top"].slug)
        for line in ([group["own"]] if group["own"] else []) + group["children"]:
            summed.add(line)
        total.add(summed)
        result.append({"top": group["top"], "own": group["own"], "children": group["children"], "sum": summed})
    return result, total


def _round(request, year):
    if not sees_everything(request.user):
        raise Http404("Finns inte.")
    return get_object_or_404(ReportingRound, year=year)


@role_required
def matrix(request, year):
    reporting_round = _round(request, year)
    groups, total = round_matrix(year=year)
    state = request.GET.get("tillstand", "")
    chosen = request.GET.get("organisation", "")
    if state not in STATE_LABELS:
        state = ""
    shown = []
    for group in groups:
        lines = ([group["own"]] if group["own"] else []) + group["children"]
        if chosen and chosen not in {group["top"].slug, *(line.slug for line in lines)}:
            continue
        if state and not any(line.count(state) for line in lines):
            continue
        shown.append(group)
    items = []
    if chosen:
        for group in shown:
            for line in ([group["own"]] if group["own"] else []) + group["children"]:
                if chosen in (line.slug, group["top"].slug):
                    items += [(line.name, t) for t in line.progress.tasks if not state or t.state == state]
    choices = sorted(
        {(g["top"].slug, g["top"].display_name) for g in groups}
        | {(line.slug, line.name) for g in groups for line in g["children"]},
        key=lambda c: c[1],
    )
    return render(
        request,
        "workspace/matrix.html",
        {
            "reporting_round": reporting_round,
            "groups": shown,
            "total": total,
            "states": [(s, STATE_LABELS[s]) for s in STATE_ORDER],
            "state": state,
            "chosen": chosen,
            "choices": choices,
            "items": items,
        },
    )


CSV_HEADER = (
    ["organisation", "ingår i"]
    + [f"åtaganden {STATE_LABELS[s].lower()}" for s in STATE_ORDER]
    + [f"värden {STATE_LABELS[s].lower()}" for s in STATE_ORDER]
    + ["poster", "inskickade eller godkända", "andel inskickade eller godkända (%)", "andel godkända (%)"]
)


def _csv_row(line, parent=""):
    return (
        [line.name, parent]
        + [line.commitments[s] for s in STATE_ORDER]
        + [line.values[s] for s in STATE_ORDER]
        + [line.total, line.done, line.done_percent, line.approved_percent]
    )


@role_required
def matrix_csv(request, year):
    _round(request, year)
    groups, total = round_matrix(year=year)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="rapporteringslage-{year}.csv"'
    # For the coordinator's Excel: Swedish dialect (";", every field quoted), UTF-8 with a BOM, and
    # organisation names neutralised like every cell the site writes (reporting.spreadsheet).
    response.write(BOM)
    writer = csv_writer(response, dialect=ExcelSwedish)
    writer.writerow(CSV_HEADER)
    for group in groups:
        if group["own"]:
            writer.writerow(_csv_row(group["own"]))
        for line in group["children"]:
            writer.writerow(_csv_row(line, group["top"].display_name))
        if group["children"]:
            writer.writerow(_csv_row(Line(f"{group['sum'].name}, sammanlagt", commitments=group["sum"].commitments, values=group["sum"].values)))
    writer.writerow(_csv_row(total))
    return response
