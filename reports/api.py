"""A small read-only JSON API, /api/v1/. Approved values only; field names are stable
(documented on /data/), so new fields may be added but existing ones never change meaning.

Built with django-ninja: the response types below are the contract, and the OpenAPI
document (/api/v1/openapi.json) and the description on /data/ are generated from them.
ETag, 304 and CORS come from reports.opendata, as for the downloads.

The field names are stable codes in every language. The texts that describe the API (its
title and description, each operation's summary and description, each field's description)
are Swedish msgids: the served OpenAPI document carries each in every language of the site,
"Svensk text. / English text.", and /data/ shows them in the page's language.
"""

import json
from functools import lru_cache
from typing import List, Literal, Optional, Union

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.http import require_safe
from ninja import Field, NinjaAPI, Path, Schema
from ninja.renderers import JSONRenderer

from strategy.models import Goal
from reporting.addresses import absolute_url

from indicators.models import Indicator, MissingReason, PeriodKind, Value, period_label
from indicators.units import Unit

from .text import corrected_text


class Renderer(JSONRenderer):
    json_dumps_params = {"ensure_ascii": False}  # å, ä, ö as they are


api = NinjaAPI(
    title=_("Våldsstrategin i Stockholms län – öppna data"),
    version="1",
    description=_(
        "Läs godkända värden i uppföljningen av Strategi för att förebygga och bekämpa våld i "
        "Stockholms län 2020–2026, utan inloggning. Fältnamnen är stabila: nya fält kan tillkomma men "
        "befintliga byter inte betydelse."
    ),
    renderer=Renderer(),
    openapi_url=None,  # served by openapi_json below, at a fixed address without a namespace
    docs_url=None,  # no Swagger UI from a CDN; /data/ describes the API itself
    urls_namespace="api-v1",
)


def choices(model_choices):
    """The codes of a TextChoices as a Literal, so that the OpenAPI document lists them."""
    return Literal[tuple(model_choices.values)]


class Link(Schema):
    goals: str = Field(description=_("Adress till strategins mål."))
    indicators: str = Field(description=_("Adress till alla indikatorer."))
    documentation: str = Field(description=_("Sidan som beskriver data och API (/data/)."))
    openapi: str = Field(description=_("API:ets beskrivning i OpenAPI 3."))


class GoalOut(Schema):
    number: int = Field(description=_("Målets nummer, 1–8."))
    title: str = Field(description=_("Målsättningen."))
    short_name: str = Field(description=_("Kort namn på målet."))


class GoalList(Schema):
    goals: List[GoalOut] = Field(description=_("Strategins mål i nummerordning."))


class IndicatorOut(Schema):
    code: str = Field(description=_("Indikatorns kod, t.ex. 1.I2 (I = indikator, U = utvecklingsindikator)."))
    slug: str = Field(description=_("Kortnamn i adresser, t.ex. i /indikatorer/<kortnamn>/."))
    title: str = Field(description=_("Indikatorns namn."))
    kind: choices(Indicator.Kind) = Field(description=_("indicator eller development (utvecklingsindikator)."))
    goal: int = Field(description=_("Strategins mål (1–8) som indikatorn hör till."))
    theme: str = Field(description=_("Tema, om indikatorn har ett."))
    source: str = Field(description=_("Indikatorns datakälla."))
    unit: choices(Unit) = Field(description=_("Enhet."))
    decimals: int = Field(description=_("Antal decimaler som värdena visas med."))
    direction: choices(Indicator.Direction) = Field(description=_("Önskad riktning."))
    period_kind: choices(PeriodKind) = Field(description=_("calendar (kalenderår) eller school (läsår)."))
    status: choices(Indicator.Status) = Field(description=_("active eller retired (utgått)."))
    retired_last_year: Optional[int] = Field(description=_("Senaste år med data för en indikator som utgått."))
    retired_reason: str = Field(description=_("Skäl till att indikatorn utgått."))
    responsible: Optional[str] = Field(description=_("Ansvarig organisations kortnamn."))
    responsible_assumed: bool = Field(
        description=_("Sant om källan inte anger vem som är ansvarig och uppföljningen har antagit den ansvariga "
        "organisationen (skälet står i indikatorns anteckningar på webbplatsen).")
    )
    violence_types: List[str] = Field(description=_("Våldstyper (kortnamn)."))
    area: str = Field(description=_("Området som värdena avser (kortnamn)."))
    url: str = Field(description=_("Adress till indikatorn i API:et."))


class IndicatorList(Schema):
    indicators: List[IndicatorOut] = Field(description=_("Alla indikatorer, med och utan godkända värden."))


class SeriesOut(Schema):
    key: str = Field(description=_("Uppdelningens kod, t.ex. arskurs=ak8|kon=flickor; tom för totalen."))
    breakdown: str = Field(description=_("Uppdelningen i ord, t.ex. Flickor, Åk 8 i grundskolan; Totalt för totalen."))
    is_headline: bool = Field(description=_("Om serien är indikatorns huvudserie."))
    break_year: Optional[int] = Field(
        None, description=_("Tidsseriebrott: första året med en ny definition; värden före och efter jämförs inte.")
    )
    break_note: str = Field("", description=_("Varför serien bryts, med källans ord."))


class IndicatorDetail(IndicatorOut):
    series: List[SeriesOut] = Field(description=_("Indikatorns serier (uppdelningar)."))
    values_url: str = Field(description=_("Adress till indikatorns godkända värden."))


class ValueOut(Schema):
    series: str = Field(description=_("Seriens kod (se series.key)."))
    breakdown: str = Field(description=_("Uppdelningen i ord."))
    area: str = Field(description=_("Områdets kortnamn."))
    area_name: str = Field(description=_("Områdets namn."))
    area_code: str = Field(description=_("Kommunkod, länskod 01 eller 00 för riket; tom om koden saknas."))
    year: int = Field(description=_("År; för läsår det första året (2022 = läsåret 2022/2023)."))
    period: str = Field(description=_("Året som det skrivs i rapporten: 2022 eller 2022/2023."))
    # int first: 25 stays 25, as before, and 6.9 stays 6.9.
    value: Union[int, float, None] = Field(description=_("Värdet; null om det saknas (se missing_reason)."))
    missing_reason: Optional[choices(MissingReason)] = Field(description=_("Varför värdet saknas, annars null."))
    respondents: Optional[int] = Field(description=_("Antal svarande eller fall, om det är känt."))
    note: str = Field(description=_("Fotnot till värdet, med uppföljningens stavningsrättelser införda."))
    source: str = Field(description=_("Var värdet är hämtat, t.ex. Lägesrapport 2024, Tabell 1."))


class ValueList(Schema):
    indicator: str = Field(description=_("Indikatorns kod."))
    unit: choices(Unit) = Field(description=_("Enhet."))
    values: List[ValueOut] = Field(description=_("Godkända värden i ordningen serie, område, år."))


class NotFound(Schema):
    detail: str = Field(description=_("Felmeddelande."))


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
        # The API gives texts as a reader reads them: corrections applied, never "[rättat: …]".
        # The verbatim wording stays in the downloads (/data/values.csv).
        "retired_reason": corrected_text(indicator.retired_reason),
        "responsible": indicator.responsible.slug if indicator.responsible else None,
        "responsible_assumed": indicator.responsible_assumed,
        "violence_types": [v.slug for v in indicator.violence_types.all()],
        "area": indicator.area.slug,
        "url": absolute_url(reverse("api_indicator", args=[indicator.slug])),
    }


def indicator_queryset():
    return Indicator.objects.select_related("goal", "responsible", "area").prefetch_related("violence_types")


@api.get("/", response=Link, url_name="api_index", summary=_("Ingång"), description=_("Adresser till API:ets delar."))
def index(request):
    return {
        "goals": absolute_url(reverse("api_goals")),
        "indicators": absolute_url(reverse("api_indicators")),
        "documentation": absolute_url(reverse("data_index")),
        "openapi": absolute_url(reverse("api_openapi")),
    }


@api.get(
    "/goals/", response=GoalList, url_name="api_goals", summary=pgettext_lazy("API-operation", "Mål"),
    description=_("Strategins mål."),
)
def goals(request):
    return {
        "goals": [
            {"number": g.number, "title": g.title, "short_name": g.short_name}
            for g in Goal.objects.order_by("number")
        ]
    }


@api.get(
    "/indicators/", response=IndicatorList, url_name="api_indicators", summary=_("Indikatorer"),
    description=_("Alla indikatorer med metadata."),
)
def indicators(request):
    return {"indicators": [indicator_data(i, request) for i in indicator_queryset()]}


@api.get(
    "/indicators/{slug}/", response={200: IndicatorDetail, 404: NotFound}, url_name="api_indicator",
    summary=_("En indikator"), description=_("En indikator, dess serier (uppdelningar) och länk till värdena."),
)
def indicator(request, slug: str = Path(..., description=_("Indikatorns kortnamn (slug)."))):
    ind = get_object_or_404(indicator_queryset(), slug=slug)
    data = indicator_data(ind, request)
    data["series"] = [
        {
            "key": s.key, "breakdown": s.display_label, "is_headline": s.is_headline,
            "break_year": s.break_year, "break_note": s.break_note,
        }
        for s in ind.series.all()
    ]
    data["values_url"] = absolute_url(reverse("api_indicator_values", args=[ind.slug]))
    return data


@api.get(
    "/indicators/{slug}/values/", response={200: ValueList, 404: NotFound}, url_name="api_indicator_values",
    summary=_("En indikators värden"), description=_("Indikatorns godkända värden, ett per serie, område och år."),
)
def indicator_values(request, slug: str = Path(..., description=_("Indikatorns kortnamn (slug)."))):
    ind = get_object_or_404(Indicator, slug=slug)
    values = (
        Value.objects.published()
        .for_indicator(ind)
        .select_related("series", "area")
        .order_by("series__order", "series_id", "area__name", "year")
    )
    return {
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
                "note": corrected_text(v.footnote),
                "source": v.source_ref,
            }
            for v in values
        ],
    }


API_PREFIX = "/api/v1/"


# The keys whose texts describe the API, given in every language in the served document.
DESCRIBING_KEYS = {"title", "description", "summary"}
LANGUAGE_SEPARATOR = " / "


@lru_cache(maxsize=None)
def openapi_document_in(language):
    """The OpenAPI 3 document with its texts in one language, generated once per process and language."""
    with translation.override(language):
        # Through JSON once (the lazy texts rendered now): plain dicts and lists, as a client will read it.
        return json.loads(json.dumps(
            api.get_openapi_schema(path_prefix=API_PREFIX), ensure_ascii=False, cls=DjangoJSONEncoder
        ))


def merged(versions, key=None):
    """One document from its versions in each language: a describing text as "sv / en" (once where they
    are the same, as the generated schema titles are), everything else as the first version has it."""
    first = versions[0]
    if isinstance(first, dict):
        return {k: merged([v[k] for v in versions], k) for k in first}
    if isinstance(first, list):
        return [merged(list(items)) for items in zip(*versions)]
    if key in DESCRIBING_KEYS and isinstance(first, str):
        return LANGUAGE_SEPARATOR.join(dict.fromkeys(versions))
    return first


@lru_cache(maxsize=1)
def openapi_document():
    """The served OpenAPI 3 document: its texts in every language of the site, Swedish first."""
    return merged([openapi_document_in(code) for code, _name in settings.LANGUAGES])


@require_safe
def openapi_json(request):
    return JsonResponse(openapi_document(), json_dumps_params={"ensure_ascii": False})


def _type_text(schema, schemas):
    if "$ref" in schema:
        return gettext("objekt")
    if "anyOf" in schema:
        return f" {gettext('eller')} ".join(_type_text(option, schemas) for option in schema["anyOf"])
    if "enum" in schema:
        return gettext("text: %(codes)s") % {"codes": ", ".join(str(v) for v in schema["enum"])}
    if schema.get("type") == "array":
        return gettext("lista av %(type)s") % {"type": _type_text(schema.get("items", {}), schemas)}
    return {
        "string": gettext("text"), "integer": gettext("heltal"), "number": gettext("tal"),
        "boolean": gettext("sant/falskt"), "null": "null",
    }.get(schema.get("type"), schema.get("type", ""))


def _resolve(schema, schemas):
    while "$ref" in schema:
        schema = schemas[schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def _fields(schema, schemas, prefix=""):
    """[(name, type, description), …] of an object schema, nested lists of objects flattened as name[].field."""
    rows = []
    schema = _resolve(schema, schemas)
    for name, prop in schema.get("properties", {}).items():
        rows.append((prefix + name, _type_text(prop, schemas), prop.get("description", "")))
        items = prop.get("items", {})
        if prop.get("type") == "array" and "$ref" in items:
            rows.extend(_fields(items, schemas, prefix=f"{prefix}{name}[]."))
    return rows


def api_description():
    """The API as /data/ shows it, read from the OpenAPI document in the page's language: nothing written twice."""
    document = openapi_document_in(translation.get_language() or settings.LANGUAGE_CODE)
    schemas = document.get("components", {}).get("schemas", {})
    endpoints = []
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            responses = operation.get("responses", {})
            ok = responses.get("200", {}).get("content", {}).get("application/json", {}).get("schema", {})
            endpoints.append({
                "method": method.upper(),
                "path": path,
                "summary": operation.get("summary", ""),
                "description": operation.get("description", ""),
                "parameters": [
                    (p["name"], p.get("description", "")) for p in operation.get("parameters", [])
                ],
                "fields": _fields(ok, schemas),
                "not_found": "404" in responses,
            })
    return {"title": document["info"]["title"], "description": document["info"].get("description", ""),
            "version": document["info"]["version"], "endpoints": endpoints}
