"""The Lägesrapport 2024 as a PDF: a report with cover, colophon and contents, accessible (PDF/UA-1), with no web left in it.

The PDF is made once for the module (a few seconds) and opened with pikepdf
(structure, metadata, outline) and pypdf (the text of each page).
"""

import html
import io
import re

import pikepdf
import pypdf
import pytest

from reports.models import ReportEdition
from reports.pdf import edition_pdf, edition_source_html

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def made(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        edition = ReportEdition.objects.get(year=2024)
        body = edition_source_html(edition)
        return edition, body, edition_pdf(edition, body_html=body)


@pytest.fixture(scope="module")
def pdf(made):
    return pikepdf.open(io.BytesIO(made[2].data))


@pytest.fixture(scope="module")
def pages(made):
    reader = pypdf.PdfReader(io.BytesIO(made[2].data))
    return [" ".join(page.extract_text().split()) for page in reader.pages]


def structure(pdf):
    """Every structure element of the tag tree, in reading order."""
    found = []

    def walk(node):
        if isinstance(node, pikepdf.Dictionary) and "/S" in node:
            found.append(node)
        kids = node.get("/K") if isinstance(node, pikepdf.Dictionary) else None
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids] if isinstance(kids, pikepdf.Dictionary) else []:
            walk(kid)

    walk(pdf.Root.StructTreeRoot)
    return found


def test_it_declares_pdf_ua_1_with_language_title_and_tagged_structure(made, pdf):
    edition = made[0]
    metadata = pdf.Root.Metadata.read_bytes().decode()
    assert re.search(r'pdfuaid:part(="1"|>1<)', metadata)
    assert "/StructTreeRoot" in pdf.Root and pdf.Root.MarkInfo.Marked
    assert str(pdf.Root.Lang) == "sv"
    assert str(pdf.docinfo.Title) == edition.title and edition.title in metadata
    assert pdf.Root.ViewerPreferences.DisplayDocTitle  # viewers show the title, not the file name
    tags = {str(element.S) for element in structure(pdf)}
    assert {"/H1", "/H2", "/H3", "/P", "/L", "/LI", "/Table", "/TH", "/TD", "/Figure", "/Caption"} <= tags


def test_it_has_bookmarks_from_the_headings(pdf):
    with pdf.open_outline() as outline:
        titles = []

        def walk(items):
            for item in items:
                titles.append(item.title)
                walk(item.children)

        walk(outline.root)
    assert "Innehåll" in titles and "Förord" in titles
    assert "Mål 1: Förebygga våld" in titles and "Sammanfattning och utvecklingsområden" in titles


def test_it_gives_every_chart_its_summary_sentence_as_alternative_text(made, pdf):
    body = made[1]
    summaries = [" ".join(s.split()) for s in re.findall(r'<p class="summary" id="[^"]+">(.*?)</p>', body, re.S)]
    assert summaries
    figures = [element for element in structure(pdf) if element.S == "/Figure"]
    assert all(str(figure.get("/Alt", "")).strip() for figure in figures)  # the legend's swatches too
    alts = [str(figure.Alt) for figure in figures]
    for summary in summaries:
        assert html.unescape(summary) in alts


def test_it_tags_the_tables_with_header_cells(pdf):
    tables = [element for element in structure(pdf) if element.S == "/Table"]
    assert tables
    for table in tables:
        inside = []

        def walk(node):
            for kid in node.K if isinstance(node.get("/K"), pikepdf.Array) else []:
                if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                    inside.append(str(kid.S))
                    walk(kid)

        walk(table)
        assert "/TH" in inside and "/TD" in inside


def test_it_is_a_report_with_cover_colophon_and_contents(made, pages):
    edition = made[0]
    cover, colophon, contents = pages[0], pages[1], pages[2]
    assert edition.title in cover and "Länsstyrelsen Stockholm" in cover and "2024" in cover
    assert edition.cover_credit in cover
    for label, value in [("Titel", edition.title), ("Författare", edition.author), ("ISBN", edition.isbn),
                         ("Rapportnummer", edition.report_number), ("Utgivningsår", str(edition.publication_year)),
                         ("Omslagsbild", edition.cover_credit)]:
        assert f"{label} {value}" in colophon
    assert contents.startswith("Innehåll")
    # Each chapter with the page it starts on, and that page opens with it.
    listed = re.findall(r"(Mål \d: [^.]+?) \.+ ?(\d+)", contents)
    assert len(listed) == 8
    for title, page in listed:
        assert pages[int(page) - 1].startswith(title)


def test_it_numbers_tables_and_figures_and_every_page_after_the_cover(made, pages):
    text = " ".join(pages)
    # As the report numbers them: Tabell 1–8 and Diagram 1–7, never a number of our own.
    normalised = " ".join(text.split())
    for kind, count in (("Tabell", 8), ("Diagram", 7)):
        for number in range(1, count + 1):
            assert f"{kind} {number}" in normalised, (kind, number)
    assert "Tabell 5. Sammanställning av antal påbörjade" in normalised
    assert "Tabell 9" not in normalised and "Diagram 8" not in normalised
    assert made[2].pages == len(pages)
    assert "Sida" not in pages[0]
    for number, page in enumerate(pages[1:], start=2):
        assert f"Sida {number} av {len(pages)}" in page
        assert "Lägesrapport 2024" in page  # the running header


def test_it_starts_each_goal_on_a_new_page(made, pages):
    for title in re.findall(r'<h2 id="mal-\d-h">(.*?)</h2>', made[1]):
        assert any(page.startswith(title) for page in pages), title


def test_it_holds_no_web_address_and_no_link_to_the_server(made, pages):
    text = " ".join(pages)
    raw = made[2].data
    for word in ("http://127.0.0.1", "localhost", "/indikatorer/"):
        assert word not in text and word.encode() not in raw
    assert b"/URI" not in raw  # only links within the document (the contents)
    assert "Visa interaktivt diagram" not in text and "Skriv ut" not in text


def test_it_holds_no_transcription_markup(pages):
    assert "[rättat:" not in " ".join(pages)
