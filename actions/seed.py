"""Load the regional action plan, its commitments and status reports (fixtures/actions.yaml)."""

from django.utils import timezone

from strategy.models import Goal, Organisation, Strategy, ViolenceType
from strategy.seed import upsert, upsert_organisation
from reporting.models import State

from .models import ActionPlan, Commitment, PlanGoal, PreventionLevel, StatusReport

PREVENTION_LEVELS = [("universell", "Universell"), ("selektiv", "Selektiv"), ("indikerad", "Indikerad")]


def load_prevention_levels():
    for order, (code, name) in enumerate(PREVENTION_LEVELS, start=1):
        upsert(PreventionLevel, {"code": code}, {"name": name, "order": order})


def orgs(slugs):
    found = list(Organisation.objects.filter(slug__in=slugs or []))
    missing = set(slugs or []) - {o.slug for o in found}
    if missing:
        raise ValueError(f"Okända organisationer: {', '.join(sorted(missing))}")  # sv-only: the loader's error, for operators
    return found


def load_plan(strategy, data):
    p = data["plan"]
    plan, _ = upsert(
        ActionPlan,
        {"slug": p["slug"]},
        {
            "strategy": strategy,
            "title": p["title"],
            "kind": p.get("kind", ActionPlan.Kind.REGIONAL),
            "owner": Organisation.objects.get(slug=p["owner"]),
            "start_year": p["start_year"],
            "end_year": p["end_year"],
            "report_number": p.get("report_number", ""),
        },
    )
    for c in data.get("commitments") or []:
        commitment, _ = upsert(
            Commitment,
            {"plan": plan, "number": str(c["number"])},
            {
                "goal": Goal.objects.get(strategy=strategy, number=c["goal"]),
                "text": c["text"].strip(),
                "note": (c.get("note") or "").strip(),
                "lead_assumed": bool(c.get("lead_assumed")),
            },
        )
        commitment.lead_organisations.set(orgs(c.get("lead")))
        commitment.co_organisations.set(orgs(c.get("co")))
        commitment.prevention_levels.set(PreventionLevel.objects.filter(code__in=c.get("prevention_levels") or []))
        commitment.violence_types.set(ViolenceType.objects.filter(slug__in=c.get("violence_types") or []))
    now = timezone.now()
    for r in data.get("status_reports") or []:
        text = r["text"].strip()
        if r.get("footnotes"):
            text += "\n\n" + "\n".join(f"Fotnot: {f.strip()}" for f in r["footnotes"])
        report, _ = upsert(
            StatusReport,
            {
                "commitment": Commitment.objects.get(plan=plan, number=str(r["commitment"])),
                "year": r["year"],
                "organisation": Organisation.objects.get(slug=r["organisation"]),
            },
            {"category": r.get("category", "unspecified"), "text": text, "state": State.APPROVED},
        )
        if report.approved_at is None:
            StatusReport.objects.filter(pk=report.pk).update(approved_at=now, submitted_at=now)
    return plan


def lines(items):
    return "\n".join(str(item).strip() for item in items or [])


def load_local_plan(strategy, p):
    """A municipality's own plan: its committees, its goals or focus areas and their measures."""
    for o in p.get("organisations") or []:
        upsert_organisation(o)
    plan, _ = upsert(
        ActionPlan,
        {"slug": p["slug"]},
        {
            "strategy": strategy,
            "title": p["title"],
            "kind": ActionPlan.Kind.LOCAL,
            "owner": Organisation.objects.get(slug=p["owner"]),
            "start_year": p["start_year"],
            "end_year": p["end_year"],
            "adopted": p.get("adopted") or "",
            "vision": (p.get("vision") or "").strip(),
            "description": (p.get("description") or "").strip(),
            "follow_up": (p.get("follow_up") or "").strip(),
            "remarks": lines(p.get("remarks")),
            "source": p.get("source") or "",
        },
    )
    for order, f in enumerate(p.get("focus_areas") or [], start=1):
        number = "" if f.get("number") is None else str(f["number"])
        # An unnumbered goal is known by its title.
        lookup = {"plan": plan, "number": number} if number else {"plan": plan, "number": "", "title": f["title"].strip()}
        plan_goal, _ = upsert(
            PlanGoal,
            lookup,
            {
                "title": f["title"].strip(),
                "description": (f.get("description") or "").strip(),
                "prerequisites": lines(f.get("prerequisites")),
                "note": (f.get("note") or "").strip(),
                "order": order,
            },
        )
        plan_goal.regional_goals.set(Goal.objects.filter(strategy=strategy, number__in=f.get("regional_goals") or []))
        for m in f.get("measures") or []:
            measure, _ = upsert(
                Commitment,
                {"plan": plan, "number": str(m["number"])},
                {
                    "goal": None,
                    "plan_goal": plan_goal,
                    "text": m["text"].strip(),
                    "note": (m.get("note") or "").strip(),
                    "lead_assumed": bool(m.get("lead_assumed")),
                },
            )
            measure.lead_organisations.set(orgs(m.get("lead")))
            measure.co_organisations.set(orgs(m.get("co")))
            measure.prevention_levels.set(PreventionLevel.objects.filter(code__in=m.get("prevention_levels") or []))
    return plan


def load(files, strategy_slug="strategi-2020-2026"):
    strategy = Strategy.objects.get(slug=strategy_slug)
    load_prevention_levels()
    plans = []
    for data in files:
        if "plan" in data:
            plans.append(load_plan(strategy, data))
        for local in data.get("plans") or []:
            plans.append(load_local_plan(strategy, local))
    return plans
