"""The completeness matrix: reporting organisations × commitments and values, counts and percent, and its CSV.

Committees and municipal companies are grouped under their municipality, and a
local-plan measure counts once in its group; the data sources (the year's
indicators of organisations without a reporter, whose figures the coordinators
enter: workspace.tasks decides, as it does for the worklist) follow as rows of
their own, "Datakällor: Brå", and are counted in the round's total. An
organisation in the round without a reporter has both: its row for its
commitments and a data-source row for its indicators.
"""

import io
from dataclasses import dataclass, field
from types import SimpleNamespace

from django.http import Http404, HttpResponse
from openpyxl import Workbook
from django.shortcuts import get_object_or_404, render
from django.utils import translation
from django.utils.translation import gettext, gettext_lazy as _

from reporting.models import ReportingRound, State
from reporting.scoping import role_required, sees_everything
from reporting.spreadsheet import BOM, ExcelSwedish, csv_writer, xlsx_row

from .tasks import MISSING, STATE_LABELS, STATE_ORDER, data_source_progress, round_progress


@dataclass
class Line:
    """One row of the matrix: an organisation, or a whole group or round as a sum."""

    name: str
    parent: str = ""
    commitments: dict = field(default_factory=lambda: dict.fromkeys(STATE_ORDER, 0))
    values: dict = field(default_factory=lambda: dict.fromkeys(STATE_ORDER, 0))
    tasks: list = field(default_factory=list)  # the organisation's tasks as the matrix counts them
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


def _line(organisation, tasks, name=None, parent=None):
    line = Line(name or organisation.display_name, tasks=tasks, slug=organisation.slug)
    for task in tasks:
        (line.commitments if task.kind == "commitment" else line.values)[task.state] += 1
    if parent is None:
        parent = organisation.parent.display_name if organisation.parent_id else ""
    line.parent = parent
    return line


# A local measure reported by a municipality and one of its committees counts once, in the state furthest
# along: the committee's submitted report answers for the municipality too.
FURTHEST = [State.APPROVED, State.SUBMITTED, State.RETURNED, State.DRAFT, MISSING]


def _measures_once(members):
    """{organisation id: tasks}, each local-plan measure kept once within a municipality and its committees.

    `members` is the group's Progress list (the municipality first, then its
    committees). The measure stays on the row of the one that got furthest with
    it, in that state; with nothing reported, on the first committee's row.
    """
    holders = {}
    for progress in members:
        for task in progress.commitments:
            if task.subject.plan.is_local:
                holders.setdefault(task.subject.pk, []).append((progress.organisation, task))
    keep = {}
    for commitment_id, held in holders.items():
        # The row of whoever got furthest (Socialnämnden's submitted report), else of the first committee.
        organisation, task = min(
            held, key=lambda pair: (FURTHEST.index(pair[1].state), not pair[0].parent_id, pair[0].name)
        )
        keep[commitment_id] = (organisation.pk, task)
    result = {}
    for progress in members:
        tasks = []
        for task in progress.tasks:
            if task.kind == "commitment" and task.subject.pk in keep:
                owner, kept = keep[task.subject.pk]
                if owner == progress.organisation.pk:
                    tasks.append(kept)
            else:
                tasks.append(task)
        result[progress.organisation.pk] = tasks
    return result


SOURCES_SLUG = "datakallor"


def round_matrix(*, year):
    """(groups, total): each group a municipality or an organisation with its committees, then the data sources;
    total the round's sum.

    A group is {"top", "own": line for the organisation itself or None, "children": [lines], "sum": line}.
    """
    progress = round_progress(year=year)
    members = {}
    for p in progress.values():
        organisation = p.organisation
        top = organisation.parent if organisation.parent_id else organisation
        members.setdefault(top.pk, {"top": top, "progress": []})["progress"].append(p)
    result = []
    total = Line(gettext("Hela omgången"))
    for group in sorted(members.values(), key=lambda g: g["top"].name):
        top = group["top"]
        tasks = _measures_once(group["progress"])
        own, children = None, []
        for p in group["progress"]:
            line = _line(p.organisation, tasks[p.organisation.pk])
            if p.organisation.pk == top.pk:
                own = line
            else:
                children.append(line)
        children.sort(key=lambda line: line.name)
        summed = Line(top.display_name, slug=top.slug)
        for line in ([own] if own else []) + children:
            summed.add(line)
        total.add(summed)
        result.append({"top": top, "own": own, "children": children, "sum": summed, "sources": False})
    # The data sources are counted too: their figures are part of the round, entered by the coordinators.
    sources = sorted(data_source_progress(year=year).values(), key=lambda p: p.organisation.display_name)
    if sources:
        lines = [_line(p.organisation, p.tasks, name=gettext("Datakällor: %(organisation)s") % {"organisation": p.organisation.display_name}, parent="") for p in sources]
        sources_name = gettext("Datakällor")
        summed = Line(sources_name, slug=SOURCES_SLUG)
        for line in lines:
            summed.add(line)
        total.add(summed)
        top = SimpleNamespace(slug=SOURCES_SLUG, display_name=sources_name, name=sources_name)
        result.append({"top": top, "own": None, "children": lines, "sum": summed, "sources": True})
    return result, total


def _round(request, year):
    if not sees_everything(request.user):
        raise Http404(gettext("Finns inte."))
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
                    items += [(line.name, t) for t in line.tasks if not state or t.state == state]
    # One choice per organisation: one in the round without a reporter has its own row and a data source's
    # ("Datakällor: Socialstyrelsen"), both shown when it is chosen, under its own name (its group comes first).
    names = {}
    for g in groups:
        for slug, name in [(g["top"].slug, g["top"].display_name), *((line.slug, line.name) for line in g["children"])]:
            names.setdefault(slug, name)
    choices = sorted(names.items(), key=lambda c: c[1])
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


# The download is Swedish in every language, its column names stable (README: Languages): its rows are
# built under DOWNLOAD_LANGUAGE, and its header names the states in their Swedish words (as STATE_LABELS).
DOWNLOAD_LANGUAGE = "sv"
STATE_WORDS = ["saknas", "utkast", "återskickad med kommentar", "inskickad", "godkänd"]  # sv-only: column names
CSV_HEADER = (
    ["organisation", "ingår i"]  # sv-only: column names
    + [f"åtaganden {word}" for word in STATE_WORDS]  # sv-only: column names
    + [f"värden {word}" for word in STATE_WORDS]  # sv-only: column names
    + ["poster", "inskickade eller godkända", "andel inskickade eller godkända (%)", "andel godkända (%)"]  # sv-only: column names
)


def _csv_row(line, parent=""):
    return (
        [line.name, parent]
        + [line.commitments[s] for s in STATE_ORDER]
        + [line.values[s] for s in STATE_ORDER]
        + [line.total, line.done, line.done_percent, line.approved_percent]
    )


def _export_rows(groups, total):
    """The matrix as rows for a spreadsheet: each organisation, each group's sum, the data sources, the whole round."""
    for group in groups:
        if group["own"]:
            yield _csv_row(group["own"])
        for line in group["children"]:
            yield _csv_row(line, "" if group["sources"] else group["top"].display_name)
        if group["children"]:
            name = gettext("%(name)s, sammanlagt") % {"name": group["sum"].name}
            yield _csv_row(Line(name, commitments=group["sum"].commitments, values=group["sum"].values))
    yield _csv_row(total)


@role_required
def matrix_csv(request, year):
    _round(request, year)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="rapporteringslage-{year}.csv"'
    # For the coordinator's Excel: Swedish dialect (";", every field quoted), UTF-8 with a BOM, and
    # organisation names neutralised like every cell the site writes (reporting.spreadsheet).
    response.write(BOM)
    writer = csv_writer(response, dialect=ExcelSwedish)
    writer.writerow(CSV_HEADER)
    with translation.override(DOWNLOAD_LANGUAGE):
        writer.writerows(_export_rows(*round_matrix(year=year)))
    return response


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@role_required
def matrix_xlsx(request, year):
    """The same rows as the CSV in a workbook: counts and percentages as numbers, names as neutralised text."""
    _round(request, year)
    book = Workbook(write_only=True)
    sheet = book.create_sheet(f"Rapporteringsläge {year}")  # sv-only: the download's sheet name
    sheet.freeze_panes = "B2"
    sheet.column_dimensions["A"].width = 45
    sheet.column_dimensions["B"].width = 25
    sheet.append(xlsx_row(sheet, CSV_HEADER))
    with translation.override(DOWNLOAD_LANGUAGE):
        for row in _export_rows(*round_matrix(year=year)):
            sheet.append(xlsx_row(sheet, row))
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="rapporteringslage-{year}.xlsx"'
    return response
