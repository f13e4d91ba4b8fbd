"""Reads for the public plan pages: the plans, one plan's structure, and the coverage map.

Each page is a fixed number of queries, whatever the number of plans or measures.
"""

from dataclasses import dataclass

from django.db.models import Count, Max, Prefetch
from django.shortcuts import get_object_or_404

from strategy.models import Goal, Organisation

from actions.models import ActionPlan, Commitment, PlanGoal, PreventionLevel, StatusReport

from .status import COMMITMENT_LABELS, commitment_status


def plan_list():
    return list(
        ActionPlan.objects.select_related("owner", "owner__parent")
        .annotate(n_goals=Count("plan_goals", distinct=True), n_measures=Count("commitments", distinct=True))
        .order_by("kind", "owner__name", "-start_year")
    )


def _measures(plan):
    return (
        Commitment.objects.filter(plan=plan)
        .select_related("goal", "plan_goal")
        .prefetch_related(
            "lead_organisations",
            "co_organisations",
            "prevention_levels",
            Prefetch(
                "status_reports",
                queryset=StatusReport.objects.published().select_related("organisation").order_by("-year"),
                to_attr="public_reports",
            ),
        )
        .order_by("number_major", "number_minor")
    )


@dataclass
class Section:
    """A heading of the plan with its measures: a local goal/focus area, or a regional goal."""

    number: str
    title: str
    regional_goals: list
    prerequisites: list
    description: str
    note: str
    measures: list


def plan_page(slug, *, organisation_slug="", level_code=""):
    plan = get_object_or_404(ActionPlan.objects.select_related("owner", "strategy"), slug=slug)
    measures = list(_measures(plan))
    for m in measures:
        m.latest_reports = latest_public_reports(m)
    # Filter choices come from the measures themselves, so they never offer an empty result.
    organisations = sorted(
        {o for m in measures for o in [*m.lead_organisations.all(), *m.co_organisations.all()]},
        key=lambda o: o.display_name,
    )
    levels = list(PreventionLevel.objects.all())
    selected_org = next((o for o in organisations if o.slug == organisation_slug), None)
    selected_level = next((lv for lv in levels if lv.code == level_code), None)
    shown = [
        m
        for m in measures
        if (selected_org is None or selected_org in [*m.lead_organisations.all(), *m.co_organisations.all()])
        and (selected_level is None or selected_level in m.prevention_levels.all())
    ]
    if plan.kind == ActionPlan.Kind.LOCAL:
        plan_goals = list(plan.plan_goals.prefetch_related("regional_goals").order_by("order"))
        sections = [
            Section(
                number=g.number,
                title=g.title,
                regional_goals=list(g.regional_goals.all()),
                prerequisites=g.prerequisite_list,
                description=g.description,
                note=g.note,
                measures=[m for m in shown if m.plan_goal_id == g.id],
            )
            for g in plan_goals
        ]
    else:
        goals = list(Goal.objects.filter(strategy=plan.strategy).order_by("number"))
        sections = [
            Section(
                number=str(g.number),
                title=g.short_name,
                regional_goals=[g],
                prerequisites=[],
                description=g.title,
                note="",
                measures=[m for m in shown if m.goal_id == g.id],
            )
            for g in goals
        ]
    return {
        "plan": plan,
        "sections": sections,
        "organisations": organisations,
        "levels": levels,
        "selected_org": selected_org,
        "selected_level": selected_level,
        "shown_count": len(shown),
        "total_count": len(measures),
        "remarks": [line for line in plan.remarks.splitlines() if line.strip()],
    }


def latest_public_reports(measure):
    """The approved status reports of the latest year reported (needs the `public_reports` prefetch)."""
    if not measure.public_reports:
        return []
    latest = max(r.year for r in measure.public_reports)
    return [r for r in measure.public_reports if r.year == latest]


@dataclass
class Cell:
    plan: ActionPlan
    addressed: bool
    measures: int


def coverage_map():
    """Regional goals × plans: does the plan follow the goal, and with how many measures?

    A local plan follows a regional goal through its own goals' links; the
    regional plan through its commitments' goals.
    """
    goals = list(Goal.objects.order_by("strategy_id", "number"))
    plans = plan_list()
    links = {}  # (plan id, goal id) → number of measures
    for plan_id, goal_id, n in PlanGoal.regional_goals.through.objects.annotate(
        n=Count("plangoal__measures")
    ).values_list("plangoal__plan_id", "goal_id", "n"):
        links[(plan_id, goal_id)] = links.get((plan_id, goal_id), 0) + n
    for plan_id, goal_id, n in (
        Commitment.objects.filter(goal__isnull=False).values("plan_id", "goal_id").annotate(n=Count("id")).values_list(
            "plan_id", "goal_id", "n"
        )
    ):
        links[(plan_id, goal_id)] = links.get((plan_id, goal_id), 0) + n
    local_plans = [p for p in plans if p.kind == ActionPlan.Kind.LOCAL]
    municipality_count = Organisation.objects.filter(kind=Organisation.MUNICIPALITY).count()
    rows = []
    for goal in goals:
        cells = [Cell(plan=p, addressed=(p.id, goal.id) in links, measures=links.get((p.id, goal.id), 0)) for p in plans]
        rows.append(
            {
                "goal": goal,
                "cells": cells,
                "local_plans": sum(1 for c in cells if c.addressed and c.plan.kind == ActionPlan.Kind.LOCAL),
                "municipalities": len(
                    {
                        municipality_of(c.plan.owner)
                        for c in cells
                        if c.addressed and c.plan.kind == ActionPlan.Kind.LOCAL
                    }
                    - {None}
                ),
            }
        )
    return {
        "plans": plans,
        "rows": rows,
        "uncovered": [r["goal"] for r in rows if r["local_plans"] == 0],
        "local_plan_count": len(local_plans),
        # The county's municipalities, and how many of them have a plan here at all.
        "municipality_count": municipality_count,
        "municipalities_with_plan": len({municipality_of(p.owner) for p in local_plans} - {None}),
    }


def municipality_of(organisation):
    """The municipality a local plan's owner is or belongs to (a committee, a district), by id."""
    while organisation is not None:
        if organisation.kind == Organisation.MUNICIPALITY:
            return organisation.id
        organisation = organisation.parent
    return None


def local_measures_for_goal(goal):
    """Local plans' measures that follow the regional goal, grouped by plan (for the goal page)."""
    measures = (
        Commitment.objects.filter(plan__kind=ActionPlan.Kind.LOCAL, plan_goal__regional_goals=goal)
        .select_related("plan", "plan__owner", "plan_goal")
        .prefetch_related("lead_organisations", "prevention_levels")
        .order_by("plan__title", "number_major", "number_minor")
        .distinct()
    )
    grouped = {}
    for m in measures:
        grouped.setdefault(m.plan, []).append(m)
    return list(grouped.items())


def commitment_page(slug, number):
    """One commitment or local measure: its status per year and the text of each approved report.

    A fixed number of queries, however many years and reports there are.
    """
    commitment = get_object_or_404(
        Commitment.objects.select_related("plan", "plan__owner", "goal", "plan_goal").prefetch_related(
            "lead_organisations",
            "co_organisations",
            "prevention_levels",
            "violence_types",
            "plan_goal__regional_goals",
            Prefetch(
                "status_reports",
                queryset=StatusReport.objects.published().select_related("organisation").order_by("-year", "organisation__name"),
                to_attr="public_reports",
            ),
        ),
        plan__slug=slug,
        number=number,
    )
    plan = commitment.plan
    # The plan's latest reported year, so that a year this commitment lacks still shows as a gap.
    plan_latest = StatusReport.objects.published().filter(commitment__plan=plan).aggregate(y=Max("year"))["y"]
    reported = [r.year for r in commitment.public_reports]
    last = max([plan.start_year, *( [plan_latest] if plan_latest else []), *reported])
    years = [
        (year, [r for r in commitment.public_reports if r.year == year])
        for year in range(last, min([plan.start_year, *reported]) - 1, -1)
    ]
    category, latest_year = commitment_status(commitment.public_reports)
    return {
        "commitment": commitment,
        "plan": plan,
        "regional_goals": commitment.regional_goals,
        "years": years,
        "status_key": category,
        "status_label": COMMITMENT_LABELS[category],
        "status_year": latest_year,
    }
