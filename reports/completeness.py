"""What a reporting round still lacks: per organisation, each commitment's status report and each indicator's values.

A fixed number of queries, one per table, whatever the number of organisations.
"""

from dataclasses import dataclass, field

from indicators.models import Indicator, Value
from strategy.models import Organisation
from reporting.models import State

from actions.models import Commitment, StatusReport

MISSING = "missing"
STATE_LABELS = {MISSING: "Saknas", **dict(State.choices)}
# An indicator with values in several states shows the one that needs action first.
VALUE_STATE_PRIORITY = [State.RETURNED, State.DRAFT, State.SUBMITTED, State.APPROVED]


@dataclass
class Row:
    """One commitment or indicator: `subject_id` is its id, `item_id` the status report's, if any."""

    label: str
    title: str
    state: str
    subject_id: int
    item_id: int | None = None

    @property
    def state_label(self):
        return STATE_LABELS[self.state]


@dataclass
class OrganisationProgress:
    organisation: Organisation
    commitments: list = field(default_factory=list)
    indicators: list = field(default_factory=list)

    def counts(self):
        counts = {state: 0 for state in STATE_LABELS}
        for row in self.commitments + self.indicators:
            counts[row.state] += 1
        return [(STATE_LABELS[state], n) for state, n in counts.items()]


def round_completeness(*, year, organisation=None):
    """[OrganisationProgress] for every organisation with something to report, or just the one given.

    Commitments are reported by their lead organisations; indicator values for
    the year in the indicator's own area by the responsible organisation.
    """
    leads = Commitment.lead_organisations.through.objects.select_related("commitment").order_by(
        "commitment__number_major", "commitment__number_minor"
    )
    indicators = Indicator.objects.active().filter(responsible__isnull=False)
    reports = StatusReport.objects.filter(year=year)
    values = Value.objects.filter(year=year, series__indicator__responsible__isnull=False)
    organisations = Organisation.objects.all()
    if organisation is not None:
        leads = leads.filter(organisation=organisation)
        indicators = indicators.filter(responsible=organisation)
        reports = reports.filter(organisation=organisation)
        values = values.filter(series__indicator__responsible=organisation)
        organisations = organisations.filter(pk=organisation.pk)

    report_state = {
        (r.commitment_id, r.organisation_id): (r.state, r.pk)
        for r in reports.only("commitment_id", "organisation_id", "state")
    }
    value_states = {}
    for indicator_id, area_id, state in values.values_list("series__indicator_id", "area_id", "state"):
        value_states.setdefault((indicator_id, area_id), set()).add(state)

    progress = {o.pk: OrganisationProgress(o) for o in organisations}
    for lead in leads:
        state, pk = report_state.get((lead.commitment_id, lead.organisation_id), (MISSING, None))
        progress[lead.organisation_id].commitments.append(
            Row(lead.commitment.number, lead.commitment.text, state, lead.commitment_id, pk)
        )
    for indicator in indicators:
        states = value_states.get((indicator.pk, indicator.area_id), set())
        state = next((s for s in VALUE_STATE_PRIORITY if s in states), MISSING)
        progress[indicator.responsible_id].indicators.append(Row(indicator.code, indicator.title, state, indicator.pk))
    return [p for p in progress.values() if p.commitments or p.indicators]
