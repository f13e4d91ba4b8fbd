"""The public sweep in English: the remaining public pages, the data page, the API's OpenAPI document and the
DCAT catalogue in both languages; what stays Swedish (the XLSX's explaining sheet, the PDF, the reset mail)."""

import io

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from django.utils import translation
from rdflib import Graph
from rdflib.namespace import DCAT, DCTERMS, RDF

from indicators.models import Indicator, Value
from reports.downloads import about_rows, write_xlsx
from reports.models import ReportEdition
from reports.pdf import pdf_html

pytestmark = pytest.mark.django_db


def languages(graph, subject, predicate):
    return {literal.language: str(literal) for literal in graph.objects(subject, predicate)}


def test_it_gives_the_openapi_documents_texts_in_swedish_and_english(client):
    doc = client.get(reverse("api_openapi")).json()
    assert doc["info"]["title"] == (
        "Våldsstrategin i Stockholms län – öppna data / The violence strategy in Stockholm County – open data"
    )
    swedish, english = doc["info"]["description"].split(" / ")
    assert swedish.startswith("Läs godkända värden") and english.startswith("Read the approved values")
    for path, operations in doc["paths"].items():
        for operation in operations.values():
            assert " / " in operation["summary"] and " / " in operation["description"], path
    number = doc["components"]["schemas"]["GoalOut"]["properties"]["number"]
    assert number["description"] == "Målets nummer, 1–8. / The goal's number, 1–8."
    assert doc["paths"]["/api/v1/goals/"]["get"]["summary"] == "Mål / Goals"
    # The field names and codes are the same in every language.
    assert "number" in doc["components"]["schemas"]["GoalOut"]["properties"]


def test_it_gives_the_catalogue_english_titles_beside_the_swedish(client):
    graph = Graph().parse(data=client.get(reverse("catalog_file", args=["ttl"])).content, format="turtle")
    datasets = list(graph.subjects(RDF.type, DCAT.Dataset))
    assert len(datasets) > 1
    for resource in [*datasets, *graph.subjects(RDF.type, DCAT.Distribution),
                     *graph.subjects(RDF.type, DCAT.DataService), *graph.subjects(RDF.type, DCAT.Catalog)]:
        for predicate in (DCTERMS.title, DCTERMS.description):
            texts = languages(graph, resource, predicate)
            assert set(texts) == {"sv", "en"}, (resource, predicate)
            assert texts["sv"] != texts["en"], (resource, predicate)
    catalog = next(graph.subjects(RDF.type, DCAT.Catalog))
    assert languages(graph, catalog, DCTERMS.title) == {
        "sv": "Våldsstrategin i Stockholms län – öppna data",
        "en": "The violence strategy in Stockholm County – open data",
    }
    # An indicator's dataset: its own title in each language.
    indicator = Indicator.objects.filter(slug__in=[str(d).rsplit("#", 1)[1] for d in datasets]).exclude(title_en="")[0]
    dataset = next(d for d in datasets if str(d).endswith("#" + indicator.slug))
    assert languages(graph, dataset, DCTERMS.title) == {"sv": indicator.title_sv, "en": indicator.title_en}


def test_it_gives_an_indicator_without_english_its_kind_and_code_in_english(client):
    indicator = Indicator.objects.filter(series__values__in=Value.objects.published()).distinct().order_by("code")[0]
    Indicator.objects.filter(pk=indicator.pk).update(title_en="")
    graph = Graph().parse(data=client.get(reverse("catalog_file", args=["ttl"])).content, format="turtle")
    dataset = next(d for d in graph.subjects(RDF.type, DCAT.Dataset) if str(d).endswith("#" + indicator.slug))
    titles = languages(graph, dataset, DCTERMS.title)
    assert titles["sv"] == indicator.title_sv
    assert titles["en"].endswith(indicator.code) and indicator.title_sv not in titles["en"]


def test_it_shows_the_remaining_public_pages_in_english(client):
    for path, english, swedish in [
        ("/indikatorer/", "Search the indicators", "Sök bland indikatorerna"),
        ("/planer/", "Plans and programmes", "Planer och program"),
        ("/planer/tackning/", "Which regional goals do the plans follow?", "Vilka regionala mål följer planerna?"),
        ("/tillganglighet/", "How accessible is the website?", "Hur tillgänglig är webbplatsen?"),
        ("/data/", "Fields in the response", "Fält i svaret"),
    ]:
        assert swedish in client.get(path).content.decode(), path
        page = client.get("/en" + path).content.decode()
        assert english in page and swedish not in page, path


def test_it_describes_the_api_and_the_columns_on_the_data_page_in_its_language(client):
    swedish, english = client.get("/data/").content.decode(), client.get("/en/data/").content.decode()
    assert "Målets nummer, 1–8." in swedish and "The goal&#x27;s number, 1–8." not in swedish
    assert "The goal&#x27;s number, 1–8." in english and "Målets nummer, 1–8." not in english
    assert "integer" in english and "heltal" in swedish
    assert "The indicator&#x27;s data source, e.g." in english
    # The downloads keep their Swedish addresses.
    assert 'href="/data/values.csv"' in english


def test_it_links_the_menu_to_the_data_page_in_the_pages_language(client):
    assert '<a href="/en/data/">Data and API</a>' in client.get("/en/").content.decode()
    assert '<a href="/data/">Data och API</a>' in client.get("/").content.decode()


def test_it_answers_an_unknown_english_address_in_english(client):
    response = client.get("/en/finns-inte/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_it_keeps_the_xlsx_explaining_sheet_swedish_for_an_english_reader(rf):
    file = io.BytesIO()
    with translation.override("en"):
        write_xlsx(file, [], about=about_rows(rf.get("/")))
    book = openpyxl.load_workbook(io.BytesIO(file.getvalue()))
    assert book.sheetnames == ["Värden", "Om data"]
    texts = [cell for row in book["Om data"].iter_rows(values_only=True) for cell in row if cell]
    assert "Kolumn" in texts and "Indikatorns datakälla, t.ex. Skolinspektionens skolenkät." in texts


def test_it_prints_the_report_in_swedish_whatever_the_language():
    edition = ReportEdition(year=2024, title="Lägesrapport 2024")
    with translation.override("en"):
        html = pdf_html(edition, "")
    assert '<html lang="sv">' in html
    assert "Regional lägesrapport 2024" in html and '"Sida " counter(page) " av "' in html


def test_it_shows_the_reset_form_in_the_users_language_and_mails_in_swedish(client, make_user):
    user = make_user("rapportor-en", "kriminalvarden", "rapportor")
    get_user_model().objects.filter(pk=user.pk).update(email="en@example.org")
    client.cookies["django_language"] = "en"
    assert "Forgotten your password?" in client.get(reverse("password_reset")).content.decode()
    client.post(reverse("password_reset"), {"email": "en@example.org"})
    assert mail.outbox[0].subject == "Nytt lösenord till uppföljningen av våldsstrategin"
    assert "Vänliga hälsningar" in mail.outbox[0].body


def test_it_names_the_charts_own_parts_in_the_pages_language(client):
    """The break marker's label, the legend's name and the button's loading text are the page's words: on
    the English 4.I5 page (its 2024 break) English, on the Swedish one Swedish."""
    english = client.get("/en/indikatorer/hanvisa-utsatta-ratt-stod/").content.decode()
    swedish = client.get("/indikatorer/hanvisa-utsatta-ratt-stod/").content.decode()

    assert ">Series break<" in english and '"text": "Series break"' in english.replace('":"', '": "')
    assert "Tidsseriebrott<" not in english and '"Tidsseriebrott"' not in english
    assert ">Tidsseriebrott<" in swedish
    assert 'aria-label="Series in the chart"' in english and 'aria-label="Diagrammets serier"' in swedish
    assert 'data-loading="Loading the interactive chart …"' in english
    assert 'data-loading="Laddar interaktivt diagram …"' in swedish
