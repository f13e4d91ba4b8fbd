"""An edition as a report Länsstyrelsen would publish: an accessible (PDF/UA-1) A4 PDF made with WeasyPrint.

The PDF is drawn from the edition's body HTML, the `<article class="report">` of
its web page, so the PDF and the page never say different things. Around it
come what a printed report has and a web page has not: a cover, a colophon page,
a table of contents with page numbers, numbered tables and figures, page
numbers and a running header (templates/reports/pdf/). What belongs to the web
only is left out: links to the site's own pages become plain text, buttons and
the page's own contents list are hidden, nothing is fetched from a server.
"""

import html
import re
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.html import strip_tags
from weasyprint import HTML, URLFetcher

from .models import REPORT_LANGUAGE
from .selectors import report_page

# Tagged structure, language, title and the PDF/UA identification in the XMP metadata.
VARIANT = "pdf/ua-1"


@dataclass(frozen=True)
class RenderedPdf:
    data: bytes
    pages: int


def edition_source_html(edition):
    """What the PDF of an edition is made from: its frozen main content once published, else a draft's now.

    The same template publishing freezes (reports.services.render_edition_body), so the
    PDF and the web page of an edition never disagree.
    """
    if edition.frozen_html:
        return edition.frozen_html
    with translation.override(REPORT_LANGUAGE):  # as reports.services.render_edition_body
        return render_to_string("public/_report_body.html", report_page(edition))


def edition_pdf(edition, *, body_html):
    """The edition's PDF and its page count."""
    body = print_body(body_html)
    # Nothing in the PDF comes from a server: the body is self-contained (its charts are inline SVG).
    fetcher = URLFetcher(allowed_protocols={"data"})
    document = HTML(string=pdf_html(edition, body), url_fetcher=fetcher).render(pdf_variant=VARIANT)
    data = document.write_pdf(pdf_variant=VARIANT)
    return RenderedPdf(data=data, pages=len(document.pages))


def edition_pdf_bytes(edition, *, body_html):
    return edition_pdf(edition, body_html=body_html).data


@translation.override(REPORT_LANGUAGE)
def pdf_html(edition, body):
    return render_to_string(
        "reports/pdf/edition.html",
        {"edition": edition, "body": body, "contents": contents(body)},
    )


# --- the body, made ready for print ------------------------------------------------------------------

# A link to one of the site's pages (the panel titles link to the indicator pages): in print only its text.
SITE_LINK = re.compile(r'<a\s[^>]*?href="(?!#)[^"]*"[^>]*>(.*?)</a>', re.S)
LABELLED_SVG = re.compile(r'<svg\b(?P<attrs>[^>]*\baria-labelledby="(?P<ids>[^"]+)"[^>]*)>')
# A legend swatch: hidden from screen readers beside its label, but every figure in a PDF/UA needs alternative text.
HIDDEN_SVG = re.compile(r'<svg\b(?P<attrs>[^>]*\baria-hidden="true"[^>]*)>(?P<inside>.*?)</svg>\s*(?P<label>[^<]*)', re.S)
HEADING = re.compile(r'<h2\b[^>]*\bid="(?P<id>[^"]+)"[^>]*>(?P<text>.*?)</h2>', re.S)


def print_body(body_html):
    body = SITE_LINK.sub(r"\1", body_html)
    body = LABELLED_SVG.sub(lambda m: _with_title(m, _label(body, m.group("ids"))), body)
    body = HIDDEN_SVG.sub(_swatch_with_title, body)
    return body


def _text_of(body, element_id):
    match = re.search(
        rf'<(?P<tag>p|span|h[1-6]|caption)\b[^>]*\bid="{re.escape(element_id)}"[^>]*>(?P<inside>.*?)</(?P=tag)>', body, re.S
    )
    return " ".join(html.unescape(strip_tags(match.group("inside"))).split()) if match else ""


def _label(body, ids):
    """A chart's alternative text: its summary sentence (what the page's screen reader hears after the title)."""
    ids = ids.split()
    summaries = [i for i in ids if i.endswith("-summary")]
    return " ".join(t for t in (_text_of(body, i) for i in summaries or ids) if t)


def _with_title(match, text):
    if not text:
        return match.group(0)
    return f"{match.group(0)}<title>{html.escape(text)}</title>"


def _swatch_with_title(match):
    label = " ".join(html.unescape(match.group("label")).split())
    title = f"<title>{html.escape('Teckenförklaring: ' + label)}</title>" if label else ""  # sv-only: the PDF body
    return f'<svg{match.group("attrs")}>{title}{match.group("inside")}</svg> {match.group("label")}'


@dataclass(frozen=True)
class Entry:
    anchor: str
    text: str
    goal: bool


def contents(body):
    """The table of contents: every chapter (h2) of the body, in order, with its anchor."""
    return [
        Entry(anchor=m.group("id"), text=" ".join(html.unescape(strip_tags(m.group("text"))).split()),
              goal=m.group("id").startswith("mal-"))
        for m in HEADING.finditer(body)
    ]
