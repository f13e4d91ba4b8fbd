"""Plain text from the fixtures and the admin, rendered as HTML paragraphs and lists."""

import re

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

from reports import markup as light_markup

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



# Transcription notes are in […] (fixtures/README.md): they tell staff where a figure comes
# from in the report. A reader gets them in plain words; the exact wording stays in the
# data and in the downloads.
READER_PHRASES = [
    (re.compile(r"^Cellen för (\d{4}(?:/\d{4})?) är tom i rapportens Tabell \d+\.?$"), r"Uppgift saknas för \1 i källan."),
    (
        re.compile(r"^Rapporten anger ingen procentsats; (\d+) procent är härlett ur: (.*)$", re.S),
        r"Källan anger ingen procentsats; \1 procent bygger på uppgiften \2",
    ),
    (re.compile(r"^Lägesrapport (\d{4}) visar (?:serien|i Diagram \d+).*\(bild(?:er)?, inga värden i texten\).*$", re.S),
     r"Lägesrapport \1 visar uppgiften bara som diagram, utan siffror."),
    (re.compile(r"^Rapporten anger inte vem som tagit fram uppgiften\..*$", re.S),
     "Lägesrapporten anger inte vem som har tagit fram uppgiften."),
]
REWORDINGS = [("rapportens ", "lägesrapportens "), ("Rapporten ", "Lägesrapporten ")]


@register.filter
def reader_note(text):
    """A transcription note ("[Cellen för 2019 är tom i rapportens Tabell 5.]") in a reader's words."""
    text = (text or "").strip()
    if not (text.startswith("[") and text.endswith("]")):
        return text
    inner = text[1:-1].strip()
    for pattern, replacement in READER_PHRASES:
        if pattern.match(inner):
            return pattern.sub(replacement, inner)
    for old, new in REWORDINGS:
        inner = inner.replace(old, new)
    return inner


@register.filter
def markup(text, prefix="t"):
    """A text the coordinator writes in the report editor, in light markup, as sanitised HTML."""
    return mark_safe(light_markup.render(text, prefix=f"{prefix}".replace(" ", "-")))


def is_remark(block):
    """A paragraph in square brackets as a whole is the follow-up's own remark, not the report's words."""
    return block.startswith("[") and block.endswith("]") and block.count("[") == 1


@register.filter
def analysis(blocks, prefix="a"):
    """An analysis's paragraphs as HTML: the report's words in light markup, remarks labelled as ours."""
    html = []
    words = []

    def flush():
        if words:
            html.append(light_markup.render("\n\n".join(words), prefix=f"{prefix}-{len(html)}"))
            words.clear()

    for block in blocks or []:
        if is_remark(block):
            flush()
            html.append(
                '<p class="note follow-up"><strong>Uppföljningens anmärkning:</strong> '
                f"{_inline(reader_note(block))}</p>"
            )
        else:
            words.append(block)
    flush()
    return mark_safe("\n".join(html))
