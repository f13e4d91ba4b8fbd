"""The report's light markup: what the coordinator writes, and the HTML a reader gets.

Markdown (python-markdown) gives paragraphs, headings, lists, links, emphasis and
footnotes (`text[^1]` … `[^1]: note`); nh3 then keeps only the tags below, so a
text can never carry a script, a style or an event handler into a published page.
A single line break stays a line break, as the texts loaded from the documents
expect. Headings start at h4: the report's own h2/h3 frame every text.
"""

import markdown
import nh3

ALLOWED_TAGS = {
    "p", "br", "h4", "h5", "h6", "ul", "ol", "li", "a", "em", "strong", "blockquote",
    "sup", "div", "hr",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "id", "class", "role"},
    "sup": {"id"},
    "li": {"id"},
    "div": {"class"},
    "ol": {"class"},
}
URL_SCHEMES = {"http", "https", "mailto"}


def _markdown(prefix):
    return markdown.Markdown(
        extensions=["footnotes", "nl2br", "sane_lists"],
        extension_configs={
            # Footnote ids are prefixed per text: the report has many texts with a footnote 1.
            "footnotes": {
                "BACKLINK_TEXT": "↩",
                "BACKLINK_TITLE": "Tillbaka till texten vid fotnot %d",
                "SEPARATOR": f"-{prefix}-",
            },
        },
        output_format="html",
    )


def _demote_headings(html):
    # "# Rubrik" in a section's text is a heading inside that section, below the report's h2/h3.
    for level in range(3, 0, -1):
        html = html.replace(f"<h{level}>", f"<h{level + 3}>").replace(f"</h{level}>", f"</h{level + 3}>")
    return html


def render(text, prefix="t"):
    """Sanitised HTML of a text in light markup; `prefix` keeps footnote ids unique on a page."""
    text = (text or "").strip()
    if not text:
        return ""
    html = _demote_headings(_markdown(prefix).convert(text))
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
    )
