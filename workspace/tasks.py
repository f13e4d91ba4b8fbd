"""What each organisation must report in a round, what the coordinators enter for the data sources, and how far each has come.

One place for the answer, used by the reporter's workspace, the year overview, the
coordinator's completeness matrix (and its downloads), the data sources' worklist,
the round's mails and reminders and the "everything submitted" mail.

A round's tasks for its year:

- each commitment or measure, for each organisation that reports on it (the write
  policy's scope, `Commitment.reported_by`): it leads or shares it or, a
  municipality, it is in its own local plan;
- each indicator with figures to enter for the year (`year_indicators`: in use that
  year, i.e. active or retired after it, with a series to enter values in and a
  responsible organisation), for exactly one of
  - its responsible organisation, when that organisation has an active reporter
    (`reporter_organisations`), who enters and submits the figures: `round_progress`;
  - otherwise a *data source* (with the demo accounts: Brå, Skolinspektionen,
    Operation Kvinnofrid and Socialstyrelsen's Öppna jämförelser): no one there
    reports, so the coordinators enter the figures from the published statistic: `data_source_indicators` (the
    worklist), `data_source_progress` (the matrix's "Datakällor" rows).

Who types the figures in decides it, not whether the organisation also has
commitments: an organisation in the round with no reporter yet has its figures
entered by the coordinators (its commitments stay its own), and one that only
answers for indicators reports them itself once it has a reporter. Either way each
indicator is counted once, so the round's total does not depend on the accounts.

When an indicator's task is done is decided here too (`indicator_state`): every
series that counts for the year (`year_series`) needs a value for the year in the
indicator's own area, so an indicator with one series of four answered is not
done. The matrix, the workspace, the mails and the worklist all read it.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery, Value as V
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from actions.models import ActionPlan, Commitment, StatusReport, reporting_pairs
from indicators.models import Indicator, Series, Value
from reporting.models import State
from reporting.roles import REPORTER
from strategy.models import Membership, Organisation

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
# An indicator's series in several states show the one that needs action first. A series
# without a value (MISSING) comes after a returned or draft value (those are already being
# worked on, and the reporter must act on them anyway) but before submitted and approved
# ones: one unanswered series keeps the indicator from being done.
INDICATOR_STATE_PRIORITY = [State.RETURNED, State.DRAFT, MISSING, State.SUBMITTED, State.APPROVED]


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


def reporter_organisations():
    """The organisations with an active reporter, as a subquery: the one test of "has a reporter"."""
    return Membership.objects.filter(user__is_active=True, user__groups__name=REPORTER).values("organisation_id")


def year_indicators(year):
    """The indicators with figures to enter for `year`: each is an organisation's task or a data source's.

    In use that year (active, or retired after it: a past year still needed its
    values), with a series to enter values in (a development indicator not yet
    measured has nothing to enter) and with a responsible organisation.
    """
    return Indicator.objects.in_use(year).filter(responsible__isnull=False, pk__in=Series.objects.values("indicator_id"))


def year_series(year):
    """The series that count for `year`: each needs a value for the year before the indicator's task is done.

    Every series of the indicator counts, the headline and the breakdowns alike, except
    one *added later*: a series whose first value in the indicator's own area is for a
    year after `year`, while another series of the indicator has a value in or before
    `year`, did not exist then (4.I5's 2024 breakdown by form of support in 2023, 2.I3's
    women and men in 2019), so a round for a past year does not wait for it. When no
    series has a value in or before the year, all of them count: the indicator is the
    year's task (`year_indicators`) and none of its figures is in. A series with no value
    at all counts: it is there to be filled in. A series break (`break_year`) does not
    end a series (the same series goes on under the new definition), and the model
    records no last year of a series, so a series the source no longer gives is answered
    with a missing reason ("Ej tillgänglig"), which is a value.
    """
    own = Value.objects.filter(series_id=OuterRef("pk"), area_id=OuterRef("indicator__area_id"))
    measured = Value.objects.filter(
        series__indicator_id=OuterRef("indicator_id"), area_id=OuterRef("indicator__area_id"), year__lte=year
    )
    return Series.objects.filter(Q(Exists(own.filter(year__lte=year))) | ~Q(Exists(own)) | ~Q(Exists(measured)))


def indicator_state(values, series_count):
    """(state, the value that needs action first) of an indicator's task, from its values for the year.

    `values` are the year's values in the indicator's own area (any state; one with a missing
    reason answers its series like a number), `series_count` how many of its series count for
    the year (`year_series`). A series without a value makes the task MISSING unless a value
    is returned or a draft (INDICATOR_STATE_PRIORITY): done (submitted or approved) only when
    every series is answered, approved only when every value is.
    """
    states = {v.state for v in values}
    if len({v.series_id for v in values}) < series_count:
        states.add(MISSING)
    state = next((s for s in INDICATOR_STATE_PRIORITY if s in states), MISSING)
    return state, next((v for v in values if v.state == state), None)


def series_count(year):
    """An annotation for indicators: how many of their series count for `year` (a subquery, not a query per series)."""
    counted = (
        year_series(year).filter(indicator_id=OuterRef("pk")).order_by().values("indicator_id").annotate(n=Count("pk"))
    )
    return Coalesce(Subquery(counted.values("n"), output_field=IntegerField()), V(0))


def reported_indicators(year):
    """The year's indicators that their organisation's reporters enter and submit."""
    return year_indicators(year).filter(responsible__in=reporter_organisations())


def data_source_indicators(year):
    """The year's indicators whose figures the coordinators enter: their organisation has no reporter."""
    return year_indicators(year).exclude(responsible__in=reporter_organisations())


def round_progress(*, year, organisations=None):
    """{organisation id: Progress} for every organisation with something to report (or those given), in a fixed
    number of queries: the commitments it reports on, and the year's indicators when it has a reporter."""
    pairs = reporting_pairs()
    indicators = reported_indicators(year)
    orgs = Organisation.objects.filter(
        Q(pk__in={org for org, _ in pairs}) | Q(pk__in=indicators.values("responsible_id"))
    ).select_related("parent")
    if organisations is not None:
        orgs = orgs.filter(pk__in=[o.pk for o in organisations])
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

    for indicator, task in _indicator_tasks(indicators.filter(responsible_id__in=progress), year):
        progress[indicator.responsible_id].tasks.append(task)
    return progress


def data_source_progress(*, year):
    """{organisation id: Progress} for the data sources: the year's indicators of organisations without a reporter
    (`data_source_indicators`), whose figures the coordinators enter from published statistics."""
    progress = {}
    for indicator, task in _indicator_tasks(data_source_indicators(year).select_related("responsible__parent"), year):
        progress.setdefault(indicator.responsible_id, Progress(indicator.responsible)).tasks.append(task)
    return progress


def _indicator_tasks(indicators, year):
    """(indicator, Task) for each of the queryset's indicators: `indicator_state` of its series for the year.

    Two queries, also when there are none (a subquery, not the list: the counts stay the same whoever has a reporter;
    the series that count are counted in the indicators' query).
    """
    values = {}
    chosen = Value.objects.filter(year=year, series__indicator__in=indicators.values("pk"))
    indicators = list(indicators.annotate(year_series_count=series_count(year)))
    for value in chosen.select_related("series"):
        values.setdefault((value.series.indicator_id, value.area_id), []).append(value)
    for indicator in indicators:
        own = values.get((indicator.pk, indicator.area_id), [])
        state, first = indicator_state(own, indicator.year_series_count)
        comment = first.reviewer_comment if first and state == State.RETURNED else ""
        yield indicator, Task("indicator", indicator, state, first, comment)


def organisation_progress(*, organisation, year):
    return round_progress(year=year, organisations=[organisation]).get(organisation.pk, Progress(organisation))


def _commitment_order(commitment):
    if commitment is None:
        return (1, 0, 0, 0)
    return (commitment.plan.kind != ActionPlan.Kind.REGIONAL, commitment.plan_id, commitment.number_major, commitment.number_minor)
