"""Reads for the public pages: the start page, a goal, an indicator, a report edition.

Each page costs a constant number of queries however much data there is: the
indicators with their series and violence types are prefetched, and the values of
all the page's indicators come in one query (indicators.selectors.values_by_indicator)
and are grouped in Python.
"""

from types import SimpleNamespace

from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404

from actions.models import ActionPlan, Commitment, StatusReport
from reports.plans import latest_public_reports, local_measures_for_goal
from reports.charts import build_panel
from indicators.models import Indicator, Series, Value
from indicators.selectors import values_by_indicator
from strategy.models import Goal, GoalItem, Strategy

from .models import GoalSection, ReportEdition

OTHER_TYPES = "Övergripande, utan särskild våldstyp"


def indicators_for_goals(goal_ids):
    """Indicators shown under the goals (report_goal or goal), with series and violence types.

    Indicators come before development indicators, as in the strategy's Bilaga 1.
    """
    indicators = (
        Indicator.objects.filter(Q(report_goal_id__in=goal_ids) | Q(report_goal__isnull=True, goal_id__in=goal_ids))
        .select_related("goal", "report_goal", "area", "responsible")
        .prefetch_related(Prefetch("series", queryset=Series.objects.order_by("order", "id")), "violence_types")
    )
    return sorted(indicators, key=lambda ind: (ind.kind != Indicator.Kind.INDICATOR, ind.position, ind.code))


def panels(indicators, values):
    """One chart panel per indicator that has values to show."""
    return [build_panel(ind, list(ind.series.all()), values.get(ind.id, [])) for ind in indicators]


def worth_showing(panel):
    """A panel with values, or with notes the documents give instead of values."""
    return panel.has_data or bool(panel.indicator.notes)


def by_violence_type(items):
    """[(heading, [panel, …]), …] in violence-type order; indicators without a type come first.

    An indicator the strategy ties to several violence types is shown once, under a
    heading naming them all, rather than repeated under each.
    """
    groups = {}
    for panel in items:
        types = list(panel.indicator.violence_types.all())
        order = min((t.order for t in types), default=-1)
        if not types:
            heading = OTHER_TYPES
        elif len(types) == 1:
            heading = types[0].name
        else:
            heading = "Flera våldstyper: " + ", ".join(t.name for t in types)
            order += 0.5
        groups.setdefault((order, heading), []).append(panel)
    return [(heading, group) for (_order, heading), group in sorted(groups.items(), key=lambda item: item[0])]


def regional_commitments(goal_ids, status_reports):
    """The regional plan's commitments under the goals, with the given status reports prefetched."""
    return list(
        Commitment.objects.filter(goal_id__in=goal_ids, plan__kind=ActionPlan.Kind.REGIONAL)
        .select_related("plan")
        .prefetch_related(
            "lead_organisations",
            Prefetch("status_reports", queryset=status_reports.select_related("organisation"), to_attr="public_reports"),
        )
        .order_by("goal__number", "number_major", "number_minor")
    )


def latest_published_edition():
    return ReportEdition.objects.published().order_by("-year").first()


# The start page glances at a few indicators per goal; the goal page has them all.
GLANCE_PER_GOAL = 4


def home_page():
    strategy = Strategy.objects.order_by("id").first()
    goals = list(Goal.objects.filter(strategy=strategy).order_by("number")) if strategy else []
    indicators = indicators_for_goals([g.id for g in goals])  # indicators before development indicators
    values = values_by_indicator([ind.id for ind in indicators])
    glance = {g.id: [] for g in goals}
    for ind in indicators:
        if values.get(ind.id) and ind.status == Indicator.Status.ACTIVE:
            # Only the headline series: the first series when none is marked.
            headline = [s for s in ind.series.all() if s.is_headline] or list(ind.series.all())[:1]
            panel = build_panel(ind, headline, values[ind.id])
            if panel.series_rows:
                glance[ind.shown_goal.id].append(panel)
    return {
        "strategy": strategy,
        "goals": [(g, glance[g.id][:GLANCE_PER_GOAL], len(glance[g.id][GLANCE_PER_GOAL:])) for g in goals],
        "latest_edition": latest_published_edition(),
    }


def goal_page(number):
    goal = get_object_or_404(Goal.objects.select_related("strategy"), number=number)
    items = list(goal.items.order_by("kind", "order"))
    indicators = indicators_for_goals([goal.id])
    values = values_by_indicator([ind.id for ind in indicators])
    active = panels([ind for ind in indicators if ind.status == Indicator.Status.ACTIVE], values)
    commitments = regional_commitments([goal.id], StatusReport.objects.published().order_by("-year"))
    return {
        "goal": goal,
        "prerequisites": [i for i in items if i.kind == GoalItem.PREREQUISITE],
        "measures": [i for i in items if i.kind == GoalItem.MEASURE],
        "groups": by_violence_type([p for p in active if worth_showing(p)]),
        "without_data": [p.indicator for p in active if not worth_showing(p)],
        "retired": [ind for ind in indicators if ind.status == Indicator.Status.RETIRED],
        "commitments": [(c, latest_public_reports(c)) for c in commitments],
        "local_measures": local_measures_for_goal(goal),
    }


def indicator_page(slug):
    indicator = get_object_or_404(
        Indicator.objects.select_related("goal", "report_goal", "area", "responsible").prefetch_related(
            Prefetch("series", queryset=Series.objects.order_by("order", "id")), "violence_types"
        ),
        slug=slug,
    )
    return indicator, values_by_indicator([indicator.id])[indicator.id]


def edition_values(edition, indicator_ids, *, from_year=None):
    """The figures a report edition shows, indicator id → value dicts.

    A published edition shows exactly what it was published with, from its
    snapshot; a frozen figure that has since been corrected by an approved value
    carries the new figure as "corrected". A draft (preview) shows today's approved
    values from `from_year` up to its year.
    """
    if not edition.snapshot:
        return values_by_indicator(indicator_ids, up_to_year=edition.year, from_year=from_year)
    frozen = edition.frozen_values
    approved_now = Value.objects.published().filter(pk__in=[row["id"] for row in frozen])
    live = {pk: (number, reason) for pk, number, reason in approved_now.values_list("id", "value", "missing_reason")}
    wanted = set(indicator_ids)
    shown = {indicator_id: [] for indicator_id in indicator_ids}
    for row in frozen:
        if row["series__indicator_id"] not in wanted:
            continue
        current = live.get(row["id"])
        if current and current[0] is not None and current != (row["value"], row["missing_reason"]):
            row["corrected"] = current[0]
        shown[row["series__indicator_id"]].append(row)
    return shown


def edition_status_reports(edition, commitments):
    """commitment id → the status reports the edition shows: frozen when published, approved ones in a preview."""
    if edition.snapshot:
        shown = {}
        for report in edition.snapshot.get("status_reports", []):
            shown.setdefault(report["commitment_id"], []).append(
                SimpleNamespace(
                    organisation=SimpleNamespace(display_name=report["organisation"]),
                    year=report["year"],
                    get_category_display=report["category_label"],
                    text=report["text"],
                )
            )
        return shown
    return {c.id: c.public_reports for c in commitments}


def report_page(edition):
    goals = list(Goal.objects.filter(strategy_id=edition.strategy_id).select_related("strategy").order_by("number"))
    sections = {s.goal_id: s for s in GoalSection.objects.filter(edition=edition)}
    indicators = indicators_for_goals([g.id for g in goals])
    first_year = goals[0].strategy.first_report_year if goals else None
    values = edition_values(edition, [ind.id for ind in indicators], from_year=first_year)
    live_reports = StatusReport.objects.none() if edition.snapshot else StatusReport.objects.published()
    commitments = regional_commitments([g.id for g in goals], live_reports.filter(year=edition.year))
    reports = edition_status_reports(edition, commitments)
    per_goal = []
    for goal in goals:
        mine = [ind for ind in indicators if ind.shown_goal.id == goal.id]
        active = [ind for ind in mine if ind.status == Indicator.Status.ACTIVE]
        per_goal.append(
            {
                "goal": goal,
                "section": sections.get(goal.id),
                "groups": by_violence_type([p for p in panels(active, values) if worth_showing(p)]),
                "retired": [ind for ind in mine if ind.status == Indicator.Status.RETIRED],
                "commitments": [(c, reports.get(c.id, [])) for c in commitments if c.goal_id == goal.id],
            }
        )
    return {"edition": edition, "goals": per_goal}
