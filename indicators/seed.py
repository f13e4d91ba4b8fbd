"""Load indicators, their series and values (fixtures/indicators*.yaml)."""

import re
from decimal import Decimal

from django.utils import timezone

from strategy.models import Area, Goal, Organisation, Strategy, ViolenceType
from strategy.seed import upsert
from reporting.models import State

from .models import Category, Dimension, Indicator, Series, Value, breakdown_key

CODE_RE = re.compile(r"^(\d+)\.([IU])(\d+)$")


def load_dimensions(dimensions):
    for d_order, d in enumerate(dimensions or [], start=1):
        dimension, _ = upsert(Dimension, {"code": d["code"]}, {"name": d["name"]})
        if dimension.order == 0:
            dimension.order = Dimension.objects.count()
            dimension.save(update_fields=["order"])
        for c_order, c in enumerate(d.get("categories", []), start=1):
            upsert(Category, {"dimension": dimension, "code": str(c["code"])}, {"label": c["label"], "order": c_order})


def get_series(indicator, breakdown, order, headline, label=None):
    """The series for `breakdown`, found by its key; `label` replaces the label the categories give.

    A label is given where the categories alone would drop a restriction the source makes
    ("Barn under 13 år"); the key, and so the series, stays the same.
    """
    pairs = [(d, str(c)) for d, c in (breakdown or {}).items()]
    key = breakdown_key(pairs)
    categories = [Category.objects.select_related("dimension").get(dimension__code=d, code=c) for d, c in pairs]
    series, _ = upsert(Series, {"indicator": indicator, "key": key}, {"order": order, "is_headline": headline})
    if {c.pk for c in series.categories.all()} != {c.pk for c in categories} or (categories and not series.label):
        series.set_categories(categories)
    if label and series.label != label:
        series.label = label
        series.save(update_fields=["label"])
    return series


def load_indicator(strategy, item, areas, approved_at):
    match = CODE_RE.match(item["code"])
    goal = Goal.objects.get(strategy=strategy, number=item["goal"])
    report_goal = (
        Goal.objects.get(strategy=strategy, number=item["report_goal"]) if item.get("report_goal") else None
    )
    responsible = Organisation.objects.get(slug=item["responsible"]) if item.get("responsible") else None
    indicator, _ = upsert(
        Indicator,
        {"code": item["code"]},
        {
            "goal": goal,
            "report_goal": report_goal,
            "position": int(match[3]) if match else 0,
            "slug": item["slug"],
            "title": item["title"].strip().rstrip("."),
            "kind": item.get("kind", "indicator"),
            "origin": item.get("origin", "bilaga1"),
            "theme": item.get("theme") or "",
            "source": item.get("source") or "",
            "unit": item.get("unit", "percent"),
            "decimals": item.get("decimals", 0),
            "direction": item.get("direction", "neutral"),
            "period_kind": item.get("period", "calendar"),
            "area": areas[item.get("area") or "stockholms-lan"],
            "responsible": responsible,
            "responsible_assumed": bool(item.get("responsible_assumed")),
            "status": item.get("status", "active"),
            "retired_last_year": item.get("retired_last_year"),
            "retired_reason": (item.get("retired_reason") or "").strip(),
            "description": (item.get("description") or "").strip(),
            "kolada_kpi": item.get("kolada_kpi") or "",
        },
    )
    indicator.violence_types.set(ViolenceType.objects.filter(slug__in=item.get("violence_types") or []))

    series_list = item.get("series") or []
    has_headline = any(s.get("headline") for s in series_list)
    for order, s in enumerate(series_list, start=1):
        headline = bool(s.get("headline")) if has_headline else order == 1
        series = get_series(indicator, s.get("breakdown"), order, headline, s.get("label"))
        series_break = {"break_year": s.get("break_year"), "break_note": (s.get("break_note") or "").strip()}
        if {k: getattr(series, k) for k in series_break} != series_break:
            Series.objects.filter(pk=series.pk).update(**series_break)
        for v in s.get("values") or []:
            value = v.get("value")
            upsert(
                Value,
                {"series": series, "year": v["year"], "area": areas[v.get("area") or indicator.area.slug]},
                {
                    "value": None if value is None else Decimal(str(value)),
                    "missing_reason": v.get("missing") or "",
                    "respondents": v.get("respondents"),
                    "footnote": (v.get("footnote") or "").strip(),
                    "source_ref": v.get("source") or s.get("source") or item.get("values_source") or "",
                    "state": State.APPROVED,
                },
            )
    # Shipped values are the published figures: approved from the start.
    Value.objects.filter(series__indicator=indicator, approved_at__isnull=True, state=State.APPROVED).update(
        approved_at=approved_at
    )
    return indicator


def load(files, strategy_slug="strategi-2020-2026"):
    strategy = Strategy.objects.get(slug=strategy_slug)
    areas = {a.slug: a for a in Area.objects.all()}
    approved_at = timezone.now()
    for data in files:
        load_dimensions(data.get("dimensions"))
    count = 0
    for data in files:
        for item in data.get("indicators") or []:
            load_indicator(strategy, item, areas, approved_at)
            count += 1
    return count
