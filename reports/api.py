"""A small read-only JSON API, /api/v1/. Approved values only; field names are stable
(documented on /data/), so new fields may be added but existing ones never change meaning."""

from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.decorators.http import require_safe

from strategy.models import Goal

from indicators.models import Indicator, Value, period_label


def api_response(data):
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"  # public data, readable from any site
    return response


def number(value):
    """Decimal → JSON number without trailing zeros: 25.0000 → 25, 6.9000 → 6.9."""
    if value is None:
        return None
    normal = value.normalize()
    return int(normal) if normal == normal.to_integral_value() else float(normal)


def indicator_data(indicator, request):
    return {
        "code": indicator.code,
        "slug": indicator.slug,
        "title": indicator.title,
        "kind": indicator.kind,
        "goal": indicator.goal.number,
        "theme": indicator.theme,
        "source": indicator.source,
        "unit": indicator.unit,
        "decimals": indicator.decimals,
        "direction": indicator.direction,
        "period_kind": indicator.period_kind,
        "status": indicator.status,
        "retired_last_year": indicator.retired_last_year,
        "retired_reason": indicator.retired_reason,
        "responsible": indicator.responsible.slug if indicator.responsible else None,
        "violence_types": [v.slug for v in indicator.violence_types.all()],
        "area": indicator.area.slug,
        "url": request.build_absolute_uri(reverse("api_indicator", args=[indicator.slug])),
    }


def indicator_queryset():
    return Indicator.objects.select_related("goal", "responsible", "area").prefetch_related("violence_types")


@require_safe
def index(request):
    return api_response({
        "goals": request.build_absolute_uri(reverse("api_goals")),
        "indicators": request.build_absolute_uri(reverse("api_indicators")),
        "documentation": request.build_absolute_uri(reverse("data_index")),
    })


@require_safe
def goals(request):
    return api_response({
        "goals": [
            {"number": g.number, "title": g.title, "short_name": g.short_name}
            for g in Goal.objects.order_by("number")
        ]
    })


@require_safe
def indicators(request):
    return api_response({"indicators": [indicator_data(i, request) for i in indicator_queryset()]})


@require_safe
def indicator(request, slug):
    ind = get_object_or_404(indicator_queryset(), slug=slug)
    data = indicator_data(ind, request)
    data["series"] = [
        {"key": s.key, "breakdown": s.display_label, "is_headline": s.is_headline} for s in ind.series.all()
    ]
    data["values_url"] = request.build_absolute_uri(reverse("api_indicator_values", args=[ind.slug]))
    return api_response(data)


@require_safe
def indicator_values(request, slug):
    ind = get_object_or_404(Indicator, slug=slug)
    values = (
        Value.objects.published()
        .for_indicator(ind)
        .select_related("series", "area")
        .order_by("series__order", "series_id", "area__name", "year")
    )
    return api_response({
        "indicator": ind.code,
        "unit": ind.unit,
        "values": [
            {
                "series": v.series.key,
                "breakdown": v.series.display_label,
                "area": v.area.slug,
                "area_name": v.area.name,
                "area_code": v.area.code,
                "year": v.year,
                "period": period_label(v.year, ind.period_kind),
                "value": number(v.value),
                "missing_reason": v.missing_reason or None,
                "respondents": v.respondents,
                "note": v.footnote,
                "source": v.source_ref,
            }
            for v in values
        ],
    })
