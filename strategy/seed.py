"""Load the strategy part of the real data (fixtures/strategy.yaml).

All loaders upsert by natural key and save only what differs, so that loading
twice changes nothing: no new rows, no new history entries.
"""

from .models import Area, Goal, GoalItem, NationalGoal, Organisation, Strategy, ViolenceType


def upsert(model, lookup, values):
    """Get or create `model` by `lookup`; write `values` only where they differ."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        return model.objects.create(**{**lookup, **values}), True
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if changed:
        for name in changed:
            setattr(obj, name, values[name])
        obj.save(update_fields=changed + (["updated_at"] if hasattr(obj, "updated_at") else []))
    return obj, bool(changed)


def set_list(goal, kind, texts):
    for order, text in enumerate(texts or [], start=1):
        upsert(GoalItem, {"goal": goal, "kind": kind, "order": order}, {"text": text.strip()})
    GoalItem.objects.filter(goal=goal, kind=kind, order__gt=len(texts or [])).delete()


def upsert_organisation(o):
    """An organisation from its fixture entry; its parent must be loaded first."""
    parent = Organisation.objects.get(slug=o["parent"]) if o.get("parent") else None
    return upsert(
        Organisation,
        {"slug": o["slug"]},
        {
            "name": o["name"],
            "short_name": o.get("short_name") or "",
            "kind": o["kind"],
            "parent": parent,
            "municipality_code": str(o.get("municipality_code") or ""),
            "description": (o.get("description") or "").strip(),
            "operation_kvinnofrid_member": bool(o.get("operation_kvinnofrid_member")),
        },
    )[0]


def load(data):
    s = data["strategy"]
    strategy, _ = upsert(
        Strategy,
        {"slug": s["slug"]},
        {
            "title": s["title"],
            "start_year": s["start_year"],
            "end_year": s["end_year"],
            "vision": s["vision"].strip(),
            "report_number": s.get("report_number", ""),
            "publisher": s.get("publisher", ""),
            "introduction": (s.get("introduction") or "").strip(),
        },
    )
    for order, vt in enumerate(data["violence_types"], start=1):
        upsert(
            ViolenceType,
            {"slug": vt["slug"]},
            {"name": vt["name"], "definition": (vt.get("definition") or "").strip(), "order": order},
        )
    for ng in data.get("national_goals", []):
        upsert(
            NationalGoal,
            {"code": str(ng["code"])},
            {"title": ng["title"], "description": (ng.get("description") or "").strip(), "source": ng.get("source", "")},
        )
    for g in data["goals"]:
        goal, _ = upsert(
            Goal,
            {"strategy": strategy, "number": g["number"]},
            {
                "title": g["title"].strip().rstrip("."),
                "short_name": g["short_name"],
                "indicator_intro": (g.get("indicator_intro") or "").strip(),
            },
        )
        set_list(goal, GoalItem.PREREQUISITE, g.get("prerequisites"))
        set_list(goal, GoalItem.MEASURE, g.get("measures"))
        set_list(goal, GoalItem.NATIONAL_MEASURE, g.get("national_measures"))
        goal.national_goals.set(NationalGoal.objects.filter(code__in=[str(c) for c in g.get("national_goals", [])]))
    for o in data["organisations"]:
        upsert_organisation(o)
    for a in data["areas"]:
        upsert(
            Area,
            {"slug": a["slug"]},
            {
                "name": a["name"],
                "kind": a["kind"],
                "code": str(a.get("code") or ""),
                "description": (a.get("description") or "").strip(),
            },
        )
    return strategy
