"""The DCAT-AP-SE catalogue: three serialisations, valid against the repo's SHACL shapes, every
indicator with approved values a dataset whose distributions answer."""

from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.urls import reverse
from pyshacl import validate
from rdflib import Graph, Literal, URIRef
from rdflib import namespace as ns

from indicators.models import Indicator, Value

SHAPES = Path(settings.BASE_DIR, "reports", "shapes", "dcat-ap-se.ttl")
FORMATS = {"rdf": "xml", "ttl": "turtle", "jsonld": "json-ld"}


def catalogue(client, suffix):
    response = client.get(reverse("catalog_file", args=[suffix]))
    assert response.status_code == 200
    return response, Graph().parse(data=response.content, format=FORMATS[suffix])


def shacl_results(graph):
    conforms, report, text = validate(graph, shacl_graph=Graph().parse(SHAPES, format="turtle"))
    sh = "http://www.w3.org/ns/shacl#"
    results = list(report.subjects(ns.RDF.type, URIRef(sh + "ValidationResult")))
    return conforms, results, text


@pytest.mark.django_db
@pytest.mark.parametrize("suffix", FORMATS)
def test_it_publishes_a_catalogue_that_meets_dcat_ap_se_in_every_serialisation(client, suffix):
    response, graph = catalogue(client, suffix)
    assert response["Content-Type"].startswith({"rdf": "application/rdf+xml", "ttl": "text/turtle",
                                                "jsonld": "application/ld+json"}[suffix])
    conforms, results, text = shacl_results(graph)
    # Neither a violation (mandatory) nor a warning (recommended).
    assert conforms and results == [], text
    assert len(list(graph.subjects(ns.RDF.type, ns.DCAT.Catalog))) == 1


@pytest.mark.django_db
def test_it_has_the_same_graph_in_all_three_serialisations(client):
    graphs = [catalogue(client, suffix)[1] for suffix in FORMATS]
    assert len(graphs[0]) > 100
    assert all(len(g) == len(graphs[0]) for g in graphs)
    assert set(graphs[0].subjects(ns.RDF.type, ns.DCAT.Dataset)) == set(graphs[2].subjects(ns.RDF.type, ns.DCAT.Dataset))


@pytest.mark.django_db
def test_it_finds_what_a_dataset_lacks(client):
    """The shapes are not vacuous: a dataset without publisher and a distribution without format fail."""
    _response, graph = catalogue(client, "ttl")
    dataset = next(graph.subjects(ns.RDF.type, ns.DCAT.Dataset))
    graph.remove((dataset, ns.DCTERMS.publisher, None))
    distribution = next(graph.subjects(ns.RDF.type, ns.DCAT.Distribution))
    graph.remove((distribution, ns.DCTERMS["format"], None))
    conforms, results, _text = shacl_results(graph)
    assert not conforms and len(results) >= 2


@pytest.mark.django_db
def test_it_makes_every_published_indicator_a_dataset_with_working_distributions(client):
    _response, graph = catalogue(client, "ttl")
    published = Indicator.objects.filter(
        id__in=Value.objects.published().values("series__indicator_id")
    )
    assert published.exists()
    landing_pages = {str(page) for page in graph.objects(None, ns.DCAT.landingPage)}
    titles = {str(t) for d in graph.subjects(ns.RDF.type, ns.DCAT.Dataset) for t in graph.objects(d, ns.DCTERMS.title)}
    for indicator in published:
        assert f"{settings.SITE_URL}{indicator.get_absolute_url()}" in landing_pages
        assert indicator.title in titles
    # One dataset per indicator with approved values, and one with all values.
    assert len(list(graph.subjects(ns.RDF.type, ns.DCAT.Dataset))) == published.count() + 1

    urls = {str(u) for d in graph.subjects(ns.RDF.type, ns.DCAT.Distribution) for u in graph.objects(d, ns.DCAT.accessURL)}
    urls |= {str(u) for d in graph.subjects(ns.RDF.type, ns.DCAT.Distribution) for u in graph.objects(d, ns.DCAT.downloadURL)}
    urls |= {str(u) for s in graph.subjects(ns.RDF.type, ns.DCAT.DataService) for u in graph.objects(s, ns.DCAT.endpointURL)}
    urls |= {str(u) for s in graph.subjects(ns.RDF.type, ns.DCAT.DataService) for u in graph.objects(s, ns.DCAT.endpointDescription)}
    assert len(urls) >= 3 * published.count()
    for url in sorted(urls):
        assert url.startswith(f"{settings.SITE_URL}/")
        assert client.get(urlsplit(url).path).status_code == 200, url


@pytest.mark.django_db
def test_it_describes_an_indicator_with_its_years_places_and_licence(client):
    _response, graph = catalogue(client, "ttl")
    indicator = Indicator.objects.get(code="1.I2")  # school years 2019/2020 … in the real data
    dataset = next(d for d in graph.subjects(ns.RDF.type, ns.DCAT.Dataset)
                   if (d, ns.DCAT.landingPage, URIRef(f"{settings.SITE_URL}{indicator.get_absolute_url()}")) in graph)
    years = Value.objects.published().filter(series__indicator=indicator).values_list("year", flat=True)
    period = graph.value(dataset, ns.DCTERMS.temporal)
    assert str(graph.value(period, ns.DCAT.startDate)) == str(min(years))
    assert str(graph.value(period, ns.DCAT.endDate)) == str(max(years) + 1)  # a school year ends the next year
    assert URIRef("http://data.europa.eu/nuts/code/SE110") in set(graph.objects(dataset, ns.DCTERMS.spatial))
    assert (dataset, ns.DCAT.keyword, Literal("våld", lang="sv")) in graph
    distribution = next(iter(graph.objects(dataset, ns.DCAT.distribution)))
    assert graph.value(distribution, ns.DCTERMS.license) == URIRef(settings.DATA_LICENCE_URL)


@pytest.mark.django_db
def test_it_negotiates_the_format_and_is_discoverable_from_every_page(client):
    response = client.get("/data/katalog", HTTP_ACCEPT="text/turtle;q=0.9, application/ld+json;q=0.5")
    assert response["Content-Type"].startswith("text/turtle") and "Accept" in response["Vary"].split(", ")
    assert client.get("/data/katalog", HTTP_ACCEPT="application/ld+json")["Content-Type"].startswith(
        "application/ld+json")
    assert client.get("/data/katalog")["Content-Type"].startswith("application/rdf+xml")
    assert client.get("/data/katalog.pdf").status_code == 404
    home = client.get(reverse("home")).content.decode()
    assert '<link rel="alternate" type="application/rdf+xml"' in home and "/data/katalog.rdf" in home
    data_page = client.get(reverse("data_index")).content.decode()
    assert "/data/katalog.ttl" in data_page and "/data/katalog.jsonld" in data_page
