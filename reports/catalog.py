"""The open data described for harvesters: a DCAT-AP-SE catalogue at /data/katalog.rdf (.ttl, .jsonld).

Sveriges dataportal harvests public bodies' catalogues in the DCAT-AP-SE profile of
DCAT. This one is built with rdflib from the database: one catalogue published by
Länsstyrelsen Stockholm, one dataset with every approved value, one dataset per
indicator that has approved values, each with its distributions (CSV, XLSX and the
JSON API, described as a data service with its OpenAPI document). The shapes in
reports/shapes/dcat-ap-se.ttl hold it to the profile's mandatory and recommended
properties (tests/test_catalog.py).

A graph is built once per page version (reports.pagecache), host and format and kept
in the shared cache; ETag and 304 come from reports.opendata.

Titles and descriptions are language-tagged literals in every language of the site
(`"…"@sv`, `"…"@en`): the interface's words through the catalogues (locale/), the
indicators' own titles from their translations. The data themselves, and so the datasets'
dct:language, stay Swedish.
"""

from django.conf import settings
from django.core.cache import cache
from django.db.models import Max, Min
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, RDFS, SKOS, XSD

from strategy.models import Area, Strategy

from indicators.models import Indicator, PeriodKind, Value
from indicators.units import Unit
from reporting.addresses import absolute_url

from . import pagecache
from .opendata import code_fingerprint
from .downloads import XLSX_TYPE

EU = "http://publications.europa.eu/resource/authority/"
DATA_THEME = Namespace(EU + "data-theme/")
FREQUENCY = Namespace(EU + "frequency/")
LANGUAGE = Namespace(EU + "language/")
ACCESS_RIGHT = Namespace(EU + "access-right/")
COUNTRY = Namespace(EU + "country/")
FILE_TYPE = Namespace(EU + "file-type/")
PUBLISHER_TYPE = Namespace("http://purl.org/adms/publishertype/")
IANA = Namespace("http://www.iana.org/assignments/media-types/")
NUTS = Namespace("http://data.europa.eu/nuts/code/")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")

# Stockholms län is NUTS 3 region SE110; the country is Sweden. Other areas (the
# municipalities, the police region …) get a location in this catalogue itself,
# named and with their official code, rather than an identifier guessed elsewhere.
NUTS_BY_COUNTY_CODE = {"01": "SE110"}

# Violence prevention is justice and public safety; the figures describe society.
THEMES = [DATA_THEME.JUST, DATA_THEME.SOCI]
# Their labels in the EU vocabulary, given inline (DCAT-AP asks a skos:Concept for a prefLabel).
THEME_LABELS = {  # sv-only: the EU vocabulary's labels, each language tagged
    DATA_THEME.JUST: {"sv": "Rättvisa, rättsliga system och allmän säkerhet", "en": "Justice, legal system and public safety"},
    DATA_THEME.SOCI: {"sv": "Befolkning och samhälle", "en": "Population and society"},
}

# Distribution kind → (IANA media type, file type in the EU vocabulary).
DISTRIBUTION_TYPES = {
    "csv": ("text/csv", "CSV"),
    "xlsx": (XLSX_TYPE, "XLSX"),
    "json": ("application/json", "JSON"),
}

# suffix → (rdflib format, media type)
FORMATS = {
    "rdf": ("xml", "application/rdf+xml"),
    "ttl": ("turtle", "text/turtle"),
    "jsonld": ("json-ld", "application/ld+json"),
}
CACHE_TIMEOUT = 24 * 60 * 60


def sv(text):
    return Literal(text, lang="sv")


def catalogue_languages():
    return [code for code, _name in settings.LANGUAGES]


# The language of the catalogue's texts in the EU vocabulary, per language of the site.
LANGUAGE_TERMS = {"sv": LANGUAGE.SWE, "en": LANGUAGE.ENG}


def year_literal(year):
    return Literal(str(year), datatype=XSD.gYear)


def date_literal(moment):
    return Literal(moment.date().isoformat(), datatype=XSD.date)


class CatalogBuilder:
    def __init__(self, base):
        self.base = base.rstrip("/")
        self.g = Graph()
        for prefix, ns in [("dcat", DCAT), ("dct", DCTERMS), ("foaf", FOAF), ("vcard", VCARD), ("skos", SKOS)]:
            self.g.bind(prefix, ns)
        self.licence = self.typed(URIRef(settings.DATA_LICENCE_URL), DCTERMS.LicenseDocument)
        self.theme_scheme = self.typed(URIRef(EU + "data-theme"), SKOS.ConceptScheme)
        self.add(self.theme_scheme, DCTERMS.title, Literal("Data theme", lang="en"))
        for theme, labels in THEME_LABELS.items():
            for lang, label in labels.items():
                self.add(theme, SKOS.prefLabel, Literal(label, lang=lang))

    def url(self, path):
        return URIRef(self.base + path)

    def node(self, name):
        """A resource of this catalogue: a fragment of its own address."""
        return URIRef(f"{self.base}{reverse('catalog')}#{name}")

    def add(self, subject, predicate, obj):
        self.g.add((subject, predicate, obj))

    def add_text(self, subject, predicate, text):
        """One literal per language: `text()` is called with that language active."""
        for language in catalogue_languages():
            with translation.override(language):
                self.add(subject, predicate, Literal(str(text()), lang=language))

    def typed(self, resource, *classes):
        """A resource of a vocabulary (EU authority tables, IANA, the licence), typed inline:
        DCAT-AP's range shapes check the class, and a harvester loads no vocabulary beside us."""
        for cls in classes:
            self.add(resource, RDF.type, cls)
        return resource

    def web_resource(self, url):
        """An address (accessURL, downloadURL …): DCAT-AP gives it the range rdfs:Resource."""
        return self.typed(url, RDFS.Resource)

    # -- agents --------------------------------------------------------------

    def publisher(self):
        agent = self.node("utgivare")
        self.add(agent, RDF.type, FOAF.Agent)
        self.add(agent, RDF.type, FOAF.Organization)
        self.add(agent, FOAF.name, sv(settings.DATA_PUBLISHER_NAME))
        # a state authority of the county
        self.add(agent, DCTERMS.type, self.typed(PUBLISHER_TYPE.RegionalAuthority, SKOS.Concept))
        self.add(PUBLISHER_TYPE.RegionalAuthority, SKOS.prefLabel, Literal("Regional authority", lang="en"))
        self.add(agent, FOAF.homepage, URIRef(settings.DATA_PUBLISHER_URL))
        self.add(agent, FOAF.mbox, URIRef(f"mailto:{settings.DATA_CONTACT_EMAIL}"))
        return agent

    def contact_point(self):
        contact = self.node("kontakt")
        self.add(contact, RDF.type, VCARD.Organization)
        self.add(contact, RDF.type, VCARD.Kind)
        self.add(contact, VCARD.fn, Literal(settings.DATA_PUBLISHER_NAME))
        self.add(contact, VCARD.hasEmail, URIRef(f"mailto:{settings.DATA_CONTACT_EMAIL}"))
        self.add(contact, VCARD.hasURL, URIRef(settings.DATA_PUBLISHER_URL))
        return contact

    # -- places and times ----------------------------------------------------

    def location(self, area):
        if area.kind in Area.NATIONAL_KINDS:
            place = COUNTRY.SWE
        elif area.kind == Area.COUNTY and area.code in NUTS_BY_COUNTY_CODE:
            place = NUTS[NUTS_BY_COUNTY_CODE[area.code]]
        else:
            place = self.node(f"omrade-{area.slug}")
            if area.code:
                self.add(place, DCTERMS.identifier, Literal(area.code))
        self.add(place, RDF.type, DCTERMS.Location)
        if place != COUNTRY.SWE:  # the EU vocabulary names the country itself
            self.add(place, SKOS.prefLabel, sv(area.name))
        return place

    def period(self, first, last, period_kind):
        period = BNode()
        self.add(period, RDF.type, DCTERMS.PeriodOfTime)
        self.add(period, DCAT.startDate, year_literal(first))
        # A school year (2022 = 2022/2023) ends the year after it starts.
        self.add(period, DCAT.endDate, year_literal(last + 1 if period_kind == PeriodKind.SCHOOL else last))
        return period

    # -- datasets ------------------------------------------------------------

    def dataset(self, name, *, title, description, keywords, landing_page, areas, first, last, period_kind,
                issued, modified, distributions):
        dataset = self.node(name)
        self.add(dataset, RDF.type, DCAT.Dataset)
        self.add(dataset, DCTERMS.identifier, Literal(str(dataset)))
        self.add_text(dataset, DCTERMS.title, title)
        self.add_text(dataset, DCTERMS.description, description)
        self.add(dataset, DCTERMS.publisher, self.agent)
        self.add(dataset, DCAT.contactPoint, self.contact)
        for keyword in keywords:
            self.add(dataset, DCAT.keyword, sv(keyword))
        for theme in THEMES:
            self.add(dataset, DCAT.theme, self.typed(theme, SKOS.Concept))
            self.add(theme, SKOS.inScheme, self.theme_scheme)
        self.add(dataset, DCTERMS.language, self.typed(LANGUAGE.SWE, DCTERMS.LinguisticSystem))
        self.add(dataset, DCAT.landingPage, landing_page)
        self.add(landing_page, RDF.type, FOAF.Document)
        for area in areas:
            self.add(dataset, DCTERMS.spatial, self.location(area))
        self.add(dataset, DCTERMS.temporal, self.period(first, last, period_kind))
        # the yearly report
        self.add(dataset, DCTERMS.accrualPeriodicity, self.typed(FREQUENCY.ANNUAL, DCTERMS.Frequency))
        self.add(dataset, DCTERMS.accessRights, self.typed(ACCESS_RIGHT.PUBLIC, DCTERMS.RightsStatement))
        if issued:
            self.add(dataset, DCTERMS.issued, date_literal(issued))
        if modified:
            self.add(dataset, DCTERMS.modified, date_literal(modified))
        for kind, title_, description_, url in distributions:
            self.add(dataset, DCAT.distribution, self.distribution(f"{name}-{kind}", kind, title_, description_, url))
        self.add(self.service, DCAT.servesDataset, dataset)
        self.add(self.catalog, DCAT.dataset, dataset)
        return dataset

    def distribution(self, name, kind, title, description, url):
        media_type, file_type = DISTRIBUTION_TYPES[kind]
        distribution = self.node(name)
        self.add(distribution, RDF.type, DCAT.Distribution)
        self.add_text(distribution, DCTERMS.title, title)
        self.add_text(distribution, DCTERMS.description, description)
        self.add(distribution, DCAT.accessURL, self.web_resource(url))
        if kind == "json":
            self.add(distribution, DCAT.accessService, self.service)
        else:
            self.add(distribution, DCAT.downloadURL, url)
        # DCAT-AP 3 and DCAT-AP-SE: the format from the EU file-type vocabulary, the media type from IANA.
        self.add(distribution, DCTERMS.format, self.typed(FILE_TYPE[file_type], DCTERMS.MediaTypeOrExtent))
        self.add(distribution, DCAT.mediaType, self.typed(IANA[media_type], DCTERMS.MediaType, DCTERMS.MediaTypeOrExtent))
        self.add(distribution, DCTERMS.license, self.licence)
        # columns and fields explained
        self.add(distribution, FOAF.page, self.typed(self.url(reverse("data_index")), FOAF.Document))
        return distribution

    # -- the whole -------------------------------------------------------------

    def build(self):
        strategy = Strategy.objects.order_by("id").first()

        def strategy_title():
            # The strategy's title in the active language (its Swedish where it has no translation).
            return strategy.title if strategy else _("Strategi för att förebygga och bekämpa våld i Stockholms län")

        self.agent = self.publisher()
        self.contact = self.contact_point()

        catalog = self.catalog = self.node("katalog")
        self.add(catalog, RDF.type, DCAT.Catalog)
        self.add_text(catalog, DCTERMS.title, lambda: _("Våldsstrategin i Stockholms län – öppna data"))
        self.add_text(catalog, DCTERMS.description, lambda: _(
            "Godkända värden för indikatorerna i uppföljningen av %(strategy)s, sammanställda av %(publisher)s."
        ) % {"strategy": strategy_title(), "publisher": settings.DATA_PUBLISHER_NAME})
        self.add(catalog, DCTERMS.publisher, self.agent)
        self.add(catalog, FOAF.homepage, self.url(reverse("data_index")))
        for language in catalogue_languages():  # the languages of the catalogue's own texts
            self.add(catalog, DCTERMS.language, self.typed(LANGUAGE_TERMS[language], DCTERMS.LinguisticSystem))
        self.add(catalog, DCTERMS.license, self.licence)
        self.add(catalog, DCAT.themeTaxonomy, self.theme_scheme)

        service = self.service = self.node("api")
        self.add(service, RDF.type, DCAT.DataService)
        self.add_text(service, DCTERMS.title, lambda: _("JSON-API för uppföljningen av våldsstrategin"))
        self.add_text(service, DCTERMS.description, lambda: _(
            "Läsbart utan inloggning: strategins mål, indikatorerna med metadata och deras godkända värden."
        ))
        self.add(service, DCAT.endpointURL, self.web_resource(self.url(reverse("api_index"))))
        self.add(service, DCAT.endpointDescription, self.web_resource(self.url(reverse("api_openapi"))))
        self.add(service, DCTERMS.publisher, self.agent)
        self.add(service, DCAT.contactPoint, self.contact)
        self.add(service, DCTERMS.license, self.licence)
        self.add(service, DCTERMS.accessRights, self.typed(ACCESS_RIGHT.PUBLIC, DCTERMS.RightsStatement))
        self.add(service, DCAT.landingPage, self.url(reverse("data_index")))
        self.add(catalog, DCAT.service, service)

        # One query: per indicator and area, the years and approval times of its approved values.
        coverage = {}
        for row in (
            Value.objects.published()
            .values("series__indicator_id", "area_id")
            .annotate(first=Min("year"), last=Max("year"), issued=Min("approved_at"), modified=Max("approved_at"))
            .order_by()
        ):
            coverage.setdefault(row["series__indicator_id"], []).append(row)
        areas = {a.id: a for a in Area.objects.all()}
        indicators = list(
            Indicator.objects.filter(id__in=coverage)
            .select_related("goal", "area")
            .prefetch_related("violence_types")
            .order_by("goal__number", "kind", "position", "code")
        )

        def span(rows):
            issued = [r["issued"] for r in rows if r["issued"]]
            modified = [r["modified"] for r in rows if r["modified"]]
            return {
                "first": min(r["first"] for r in rows),
                "last": max(r["last"] for r in rows),
                "issued": min(issued) if issued else None,
                "modified": max(modified) if modified else None,
            }

        def area_list(ids):
            return sorted((areas[i] for i in set(ids)), key=lambda a: (a.kind, a.name))

        all_rows = [r for rows in coverage.values() for r in rows]
        if all_rows:
            whole = span(all_rows)
            # The last year covered: a school year (2023 = 2023/2024) reaches into the next one.
            whole_end = max(
                max(r["last"] for r in coverage[ind.id]) + (1 if ind.period_kind == PeriodKind.SCHOOL else 0)
                for ind in indicators
            )
            values_csv, values_xlsx = self.url(reverse("values_csv")), self.url(reverse("values_xlsx"))
            self.dataset(
                "alla-varden",
                title=lambda: _("Våldsstrategin i Stockholms län: alla godkända värden"),
                description=lambda: _(
                    "Alla godkända värden för indikatorerna i uppföljningen av %(strategy)s, i långt format: "
                    "en rad per indikator, uppdelning, område och år."
                ) % {"strategy": strategy_title()},
                keywords=["våld", "våldsprevention", "indikatorer", "uppföljning", "Stockholms län"],  # sv-only: tagged @sv
                landing_page=self.url(reverse("data_index")),
                areas=area_list(r["area_id"] for r in all_rows),
                first=whole["first"], last=whole_end, period_kind=PeriodKind.CALENDAR,
                issued=whole["issued"], modified=whole["modified"],
                distributions=[
                    ("csv", lambda: _("Alla värden som CSV"),
                     lambda: _("UTF-8, kommatecken som avgränsare, punkt som decimaltecken."), values_csv),
                    ("xlsx", lambda: _("Alla värden som Excel (XLSX)"),
                     lambda: _("Samma kolumner som CSV-filen; värdena som tal, med ett blad som förklarar kolumnerna."),
                     values_xlsx),
                ],
            )
            if whole["modified"]:
                self.add(catalog, DCTERMS.modified, date_literal(whole["modified"]))
            if whole["issued"]:
                self.add(catalog, DCTERMS.issued, date_literal(whole["issued"]))
        for area in area_list(r["area_id"] for r in all_rows):
            self.add(catalog, DCTERMS.spatial, self.location(area))

        for ind in indicators:
            rows = coverage[ind.id]
            when = span(rows)
            with translation.override(settings.LANGUAGE_CODE):  # the keywords are tagged @sv
                types = [v.name for v in ind.violence_types.all()]
                goal_short_name = ind.goal.short_name
            keywords = ["våld", goal_short_name, *types]  # sv-only: tagged @sv
            if ind.theme:
                keywords.append(ind.theme)
            self.dataset(
                ind.slug,
                title=lambda ind=ind: indicator_title(ind),
                description=lambda ind=ind: indicator_description(ind, strategy_title()),
                keywords=list(dict.fromkeys(keywords)),
                landing_page=self.url(ind.get_absolute_url()),
                areas=area_list([ind.area_id, *(r["area_id"] for r in rows)]),
                first=when["first"], last=when["last"], period_kind=ind.period_kind,
                issued=when["issued"], modified=when["modified"],
                distributions=[
                    ("csv", lambda code=ind.code: _("%(code)s som CSV") % {"code": code},
                     lambda: _("Indikatorns godkända värden, samma kolumner som alla värden."),
                     self.url(reverse("indicator_csv", args=[ind.slug]))),
                    ("xlsx", lambda code=ind.code: _("%(code)s som Excel (XLSX)") % {"code": code},
                     lambda: _("Indikatorns godkända värden, värdena som tal."),
                     self.url(reverse("indicator_xlsx", args=[ind.slug]))),
                    ("json", lambda code=ind.code: _("%(code)s i JSON-API:et") % {"code": code},
                     lambda: _("Indikatorns godkända värden som JSON."),
                     self.url(reverse("api_indicator_values", args=[ind.slug]))),
                ],
            )
        return self.g


def translated(obj, field):
    """The field's text in the active language, or "" where it has none (no fallback to the Swedish)."""
    return getattr(obj, f"{field}_{translation.get_language()}", "") or ""


def indicator_title(indicator):
    """The indicator's title in the active language; without a translation, its kind and code in that
    language rather than the Swedish title tagged as another language."""
    return translated(indicator, "title") or _("%(kind)s %(code)s") % {
        "kind": indicator.get_kind_display(), "code": indicator.code,
    }


def indicator_description(indicator, strategy_title):
    description = _("%(kind)s %(code)s under mål %(number)s (%(goal)s) i %(strategy)s. Enhet: %(unit)s.") % {
        "kind": indicator.get_kind_display(), "code": indicator.code, "number": indicator.goal.number,
        "goal": indicator.goal.title, "strategy": strategy_title, "unit": Unit(indicator.unit).label.lower(),
    }
    own = translated(indicator, "description")
    if indicator.source and indicator.source not in indicator.description_sv:
        description += " " + _("Källa: %(source)s.") % {"source": indicator.source}
    if own:
        description += " " + own
    return description


def build_catalog(base):
    """The catalogue as an rdflib Graph; `base` is the site's address, e.g. https://host."""
    return CatalogBuilder(base).build()


def serialized(request, suffix):
    """The catalogue in one format, built once per page version and format."""
    rdflib_format, _media_type = FORMATS[suffix]
    base = absolute_url("/")
    # The code fingerprint too: a deploy that changes the catalogue or its settings builds it anew.
    key = f"catalog:{suffix}:{base}:v{pagecache.ensure_version()}:{code_fingerprint()}"
    body = cache.get(key)
    if body is None:
        body = build_catalog(base).serialize(format=rdflib_format, encoding="utf-8")
        cache.set(key, body, CACHE_TIMEOUT)
    return body


def respond(request, suffix):
    _rdflib_format, media_type = FORMATS[suffix]
    response = HttpResponse(serialized(request, suffix), content_type=f"{media_type}; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="katalog.{suffix}"'
    return response


@require_safe
def catalog_file(request, suffix):
    if suffix not in FORMATS:
        raise Http404(_("Okänt format"))
    return respond(request, suffix)


def negotiate(accept):
    """The suffix whose media type the Accept header prefers; RDF/XML when it names none."""
    best, best_q = "rdf", 0.0
    by_type = {media_type: suffix for suffix, (_f, media_type) in FORMATS.items()}
    for part in accept.split(","):
        media_type, *params = [p.strip() for p in part.split(";")]
        q = 1.0
        for param in params:
            if param.startswith("q="):
                try:
                    q = float(param[2:])
                except ValueError:
                    q = 0.0
        if media_type in by_type and q > best_q:
            best, best_q = by_type[media_type], q
    return best


@require_safe
def catalog_negotiated(request):
    suffix = negotiate(request.headers.get("Accept", ""))
    response = respond(request, suffix)
    response["Content-Location"] = reverse("catalog_file", args=[suffix])
    patch_vary_headers(response, ["Accept"])
    return response
