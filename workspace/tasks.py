"""What each organisation must report in a round, and how far it has come.

One place for the answer, used by the reporter's workspace, the coordinator's
completeness matrix, the reminder mails and the "everything submitted" mail.

An organisation reports the commitments it leads or shares and, for a
municipality, every measure of its own local plan (the write policy's scope:
`Commitment.reported_by`), and the values of the active indicators it is
responsible for that have a series to enter values in, for the round's year in the indicator's own area. Only such
organisations report: an organisation that is only responsible for indicators
(Brå, SCB, Socialstyrelsen … whose published statistics the coordinators
enter) is a data source, not a reporter, and is left out; `data_source_progress`
gives the data sources' own progress (for the completeness matrix).
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from actions.models import ActionPlan, Commitment, StatusReport, reporting_pairs
from indicators.models import Indicator, Series, Value
from reporting.models import State
from strategy.models import Organisation

MISSING = "missing"
STATE_LABELS = {
    MISSING: _("Saknas"),
    State.DRAFT: _("Utkast"),
    State.SUBMITTED: _("Inskickad"),
    State.RETURNED: _("Återskickad med kommentar"),
    State.APPROVED: _("Godkänd"),
}
STATE_ORDER = [MISSING, State.DRAFT, State.RETURNED, State.SUBMITTED, State.APPROVED]
# Done from the reporter's side: nothing more to do until the coordinator answers.
DONE_STATES = {State.SUBMITTED, State.APPROVED}
# An indicator with values in several states shows the one that needs action first.
VALUE_STATE_PRIORITY = [State.RETURNED, State.DRAFT, State.SUBMITTED, State.APPROVED]


@dataclass
class Task:
    kind: str  # "commitment" or "indicator"
    subject: object  # the Commitment or Indicator
    state: str
    item: object = None  # the status report, or the first value that needs action
    comment: str = ""  # the coordinator's comment on a returned item

    @property
    def state_label(self):
        return STATE_LABELS[self.state]

    @property
    def done(self):
        return self.state in DONE_STATES


@dataclass
class Progress:
    organisation: Organisation
    tasks: list = field(default_factory=list)

    @property
    def commitments(self):
        return [t for t in self.tasks if t.kind == "commitment"]

    @property
    def indicators(self):
        return [t for t in self.tasks if t.kind == "indicator"]

    @property
    def done(self):
        return sum(t.done for t in self.tasks)

    @property
    def total(self):
        return len(self.tasks)

    @property
    def complete(self):
        return self.done == self.total

    @property
    def outstanding(self):
        return [t for t in self.tasks if not t.done]

    def counts(self, tasks=None):
        counts = dict.fromkeys(STATE_ORDER, 0)
        for task in self.tasks if tasks is None else tasks:
            counts[task.state] += 1
        return counts


def round_progress(*, year, organisations=None):
    """{organisation id: Progress} for every reporting organisation (or those given), in a fixed number of queries."""
    pairs = reporting_pairs()
    wanted = None if organisations is None else {o.pk for o in organisations}
    reporting_ids = {org for org, _ in pairs if wanted is None or org in wanted}
    orgs = Organisation.objects.filter(pk__in=reporting_ids).select_related("parent")
    progress = {o.pk: Progress(o) for o in orgs}

    commitments = {
        c.pk: c
        for c in Commitment.objects.filter(pk__in={c for o, c in pairs if o in progress}).select_related(
            "plan", "goal", "plan_goal"
        )
    }
    reports = {
        (r.commitment_id, r.organisation_id): r
        for r in StatusReport.objects.filter(year=year, organisation_id__in=progress)
    }
    for org_id, commitment_id in sorted(pairs, key=lambda p: _commitment_order(commitments.get(p[1]))):
        if org_id not in progress:
            continue
        report = reports.get((commitment_id, org_id))
        progress[org_id].tasks.append(
            Task(
                "commitment",
                commitments[commitment_id],
                report.state if report else MISSING,
                report,
                report.reviewer_comment if report and report.state == State.RETURNED else "",
            )
        )

    # An indicator without a series (a development indicator not yet measured) has nothing to enter.
    indicators = list(
        Indicator.objects.active().filter(responsible_id__in=progress, pk__in=Series.objects.values("indicator_id"))
    )
    for indicator, task in _indicator_tasks(indicators, year):
        progress[indicator.responsible_id].tasks.append(task)
    return progress


def data_source_progress(*, year):
    """{organisation id: Progress} for the data sources: organisations responsible for measured indicators that
    report nothing else (Brå, SCB …), whose figures the coordinators enter from published statistics."""
    reporters = {org for org, _ in reporting_pairs()}
    indicators = list(
        Indicator.objects.active()
        .filter(responsible__isnull=False, pk__in=Series.objects.values("indicator_id"))
        .exclude(responsible_id__in=reporters)
        .select_related("responsible__parent")
    )
    progress = {}
    for indicator, task in _indicator_tasks(indicators, year):
        progress.setdefault(indicator.responsible_id, Progress(indicator.responsible)).tasks.append(task)
    return progress


def _indicator_tasks(indicators, year):
    """(indicator, Task) for each indicator: the state of its values for the year in its own area (one query)."""
    values = {}
    for value in Value.objects.filter(year=year, series__indicator__in=indicators).select_related("series"):
        values.setdefault((value.series.indicator_id, value.area_id), []).append(value)
    for indicator in indicators:
        own = values.get((indicator.pk, indicator.area_id), [])
        states = {v.state for v in own}
        state = next((s for s in VALUE_STATE_PRIORITY if s in states), MISSING)
        first = next((v for v in own if v.state == state), None)
        comment = first.reviewer_comment if first and state == State.RETURNED else ""
        yield indicator, Task("indicator", indicator, state, first, comment)


def organisation_progress(*, organisation, year):
    return round_progress(year=year, organisations=[organisation]).get(organisation.pk, Progress(organisation))


def _commitment_order(commitment):
    if commitment is None:
        return (1, 0, 0, 0)
    return (commitment.plan.kind != ActionPlan.Kind.REGIONAL, commitment.plan_id, commitment.number_major, commitment.number_minor)
