"""Plain text from the fixtures and the admin, rendered as HTML paragraphs and lists."""

import re

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

register = template.Library()

EMPHASIS = re.compile(r"\*([^*\n]+)\*")


def _inline(text):
    # The source documents mark titles of works with *asterisks*: show them in italics.
    return EMPHASIS.sub(r"<em>\1</em>", escape(text))


@register.filter
def paragraphs(text):
    """Blocks separated by blank lines become <p>; a block of "- " lines becomes a <ul>."""
    html = []
    for block in re.split(r"\n\s*\n", (text or "").strip()):
        lines = [line.strip() for line in block.splitlines() if line.strip()]
        if not lines:
            continue
        if all(line.startswith(("- ", "• ")) for line in lines):
            items = "".join(f"<li>{_inline(line[2:].strip())}</li>" for line in lines)
            html.append(f"<ul>{items}</ul>")
        else:
            html.append(f"<p>{'<br>'.join(_inline(line) for line in lines)}</p>")
    return mark_safe("\n".join(html))


@register.filter
def lines(text):
    """The non-empty lines of a text field (footnotes, one per line)."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]

