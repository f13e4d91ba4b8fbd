"""The catalogue passes the official DCAT-AP 3.0.0 SHACL shapes (SEMIC), base constraints and
class ranges, with no result at all (issue 23). The shapes are the reference copy in
../shared/reference/dcat-ap/; the vocabulary resources the catalogue uses are typed in it."""

from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from pyshacl import validate
from rdflib import Graph, URIRef
from rdflib import namespace as ns

OFFICIAL = Path(settings.BASE_DIR).parent / "shared" / "reference" / "dcat-ap" / "dcat-ap-3.0.0-SHACL.ttl"
FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not OFFICIAL.exists(), reason=f"the official DCAT-AP shapes are missing: {OFFICIAL}"),
]


def catalogue(client, suffix="ttl"):
    response = client.get(reverse("catalog_file", args=[suffix]))
    assert response.status_code == 200
    return Graph().parse(data=response.content, format={"ttl": "turtle", "rdf": "xml", "jsonld": "json-ld"}[suffix])


def official_results(graph):
    shapes = Graph().parse(OFFICIAL, format="turtle")
    conforms, report, text = validate(graph, shacl_graph=shapes, advanced=True)
    results = list(report.subjects(ns.RDF.type, URIRef("http://www.w3.org/ns/shacl#ValidationResult")))
    return conforms, results, text


@pytest.mark.parametrize("suffix", ["ttl", "rdf", "jsonld"])
def test_it_passes_the_official_dcat_ap_3_shapes_with_no_result(client, suffix):
    conforms, results, text = official_results(catalogue(client, suffix))
    assert conforms and results == [], text


def test_it_gives_each_distribution_a_file_type_and_a_media_type_as_iris(client):
    graph = catalogue(client)
    distributions = list(graph.subjects(ns.RDF.type, ns.DCAT.Distribution))
    assert distributions
    for distribution in distributions:
        formats = list(graph.objects(distribution, ns.DCTERMS["format"]))
        assert len(formats) == 1 and str(formats[0]).startswith(FILE_TYPE), formats
        assert (formats[0], ns.RDF.type, ns.DCTERMS.MediaTypeOrExtent) in graph
        media = list(graph.objects(distribution, ns.DCAT.mediaType))
        assert len(media) == 1 and isinstance(media[0], URIRef)
        assert (media[0], ns.RDF.type, ns.DCTERMS.MediaType) in graph


def test_the_official_shapes_catch_a_literal_format(client):
    """Not vacuous: the literal "text/csv" the catalogue used to give fails them."""
    from rdflib import Literal

    graph = catalogue(client)
    distribution = next(graph.subjects(ns.RDF.type, ns.DCAT.Distribution))
    graph.remove((distribution, ns.DCTERMS["format"], None))
    graph.add((distribution, ns.DCTERMS["format"], Literal("text/csv")))
    conforms, results, _text = official_results(graph)
    assert not conforms and results
