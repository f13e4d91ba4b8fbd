"""Plain text from the fixtures and the admin, rendered as HTML paragraphs and lists.

Every filter that outputs a verbatim text shows it corrected (reports.text): the reader never
sees `[rättat: …]`, and an "Om texten" note at the end of the block says what was corrected.
A text bracketed as a whole is the follow-up's remark and is labelled as such.
"""

import re

from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reports import markup as light_markup
from reports.text import correction_note, corrected_text, follow_up_remark, split_corrections

from .languages import swedish

register = template.Library()

FOLLOW_UP_LABEL = gettext_lazy("Uppföljningens anmärkning:")

EMPHASIS = re.compile(r"\*([^*\n]+)\*")


def _inline(text):
    # The source documents mark titles of works with *asterisks*: show them in italics.
    return EMPHASIS.sub(r"<em>\1</em>", escape(text))


@register.filter
def paragraphs(text):
    """Blocks separated by blank lines become <p>; a block of "- " lines becomes a <ul>.

    A block bracketed as a whole is the follow-up's remark, labelled; corrections are applied
    and listed in one "Om texten" note after the last block.
    """
    text, corrections = split_corrections((text or "").strip())
    html = []
    for block in re.split(r"\n\s*\n", text):
        lines = [line.strip() for line in block.splitlines() if line.strip()]
        if not lines:
            continue
        remark = follow_up_remark(block)
        if remark is not None:
            html.append(f'<p class="note follow-up">{_label()} {_inline(reader_note(block.strip()))}</p>')
        elif all(line.startswith(("- ", "• ")) for line in lines):
            items = "".join(f"<li>{_inline(line[2:].strip())}</li>" for line in lines)
            html.append(f"<ul>{items}</ul>")
        else:
            html.append(f"<p>{'<br>'.join(_inline(line) for line in lines)}</p>")
    if corrections:
        html.append(format_html('<p class="text-note">{}</p>', correction_note(corrections)))
    return mark_safe("\n".join(html))


def _label():
    return f'<strong class="follow-up-label">{FOLLOW_UP_LABEL}</strong>'


def _inline_note(corrections):
    return format_html(' <span class="text-note">{}</span>', correction_note(corrections)) if corrections else ""


@register.filter
def corrected(text):
    """The text with its corrections applied, as plain text (for titles and meta descriptions)."""
    return corrected_text(text)


@register.filter
def clean_text(text):
    """A verbatim text inside a <p>, <li> or <dd>: corrected, with an inline "Om texten" note."""
    text, corrections = split_corrections(text)
    return mark_safe(_inline(text) + _inline_note(corrections))


@register.filter
def note_text(text):
    """A note or footnote inside a <p> or <li>: the follow-up's remark labelled and in a reader's
    words (reader_note), the source's words as they are; corrected either way."""
    text, corrections = split_corrections((text or "").strip())
    if follow_up_remark(text) is None:
        return mark_safe(_inline(text) + _inline_note(corrections))
    return mark_safe(
        f'<span class="follow-up">{_label()} {_inline(reader_note(text))}</span>' + _inline_note(corrections)
    )


@register.filter
def follow_up_note(text):
    """A remark that is the follow-up's own (a commitment's `note`), labelled as such."""
    text = (text or "").strip()
    if not text:
        return ""
    # The label is the page's language, the remark itself the follow-up's Swedish.
    return mark_safe(f"{_label()} {swedish(mark_safe(_inline(corrected_text(text))))}")


@register.filter
def lines(text):
    """The non-empty lines of a text field (footnotes, one per line)."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]



# Transcription notes are in […] (fixtures/README.md): they tell staff where a figure comes
# from in the report. A reader gets them in plain words; the exact wording stays in the
# data and in the downloads.
# The patterns read the source's Swedish notes; the plain words are the interface's, in the page's language.
READER_PHRASES = [
    (re.compile(r"^Cellen för (\d{4}(?:/\d{4})?) är tom i rapportens Tabell \d+\.?$"),  # sv-only: reads the data's Swedish
     lambda m: _("Uppgift saknas för %(year)s i källan.") % {"year": m[1]}),
    (
        re.compile(r"^Rapporten anger ingen procentsats; (\d+) procent är härlett ur: (.*)$", re.S),  # sv-only: reads the data's Swedish
        lambda m: _("Källan anger ingen procentsats; %(percent)s procent bygger på uppgiften %(source)s") % {
            "percent": m[1], "source": m[2],
        },
    ),
    (re.compile(r"^Lägesrapport (\d{4}) visar (?:serien|i Diagram \d+).*\(bild(?:er)?, inga värden i texten\).*$", re.S),  # sv-only: reads the data's Swedish
     lambda m: _("Lägesrapport %(year)s visar uppgiften bara som diagram, utan siffror.") % {"year": m[1]}),
    (re.compile(r"^Rapporten anger inte vem som tagit fram uppgiften\..*$", re.S),  # sv-only: reads the data's Swedish
     lambda m: _("Lägesrapporten anger inte vem som har tagit fram uppgiften.")),
]
# Rewords the source's own (Swedish) note, which stays in its language.
REWORDINGS = [("rapportens ", "lägesrapportens "), ("Rapporten ", "Lägesrapporten ")]  # sv-only: the source's words


@register.filter
def reader_note(text):
    """A transcription note ("[Cellen för 2019 är tom i rapportens Tabell 5.]") in a reader's words.

    Plain text, corrected; note_text adds the label that says whose words they are.
    """
    text = corrected_text((text or "").strip())
    inner = follow_up_remark(text)
    if inner is None:
        return text
    for pattern, replacement in READER_PHRASES:
        if pattern.match(inner):
            return pattern.sub(replacement, inner)
    for old, new in REWORDINGS:
        inner = inner.replace(old, new)
    return inner


def _correction_block(corrections):
    return format_html('<p class="text-note">{}</p>', correction_note(corrections)) if corrections else ""


@register.filter
def markup(text, prefix="t"):
    """A text written in the report editor, in light markup: sanitised HTML, corrections applied."""
    text, corrections = split_corrections(text)
    return mark_safe(light_markup.render(text, prefix=f"{prefix}".replace(" ", "-")) + _correction_block(corrections))


@register.filter
def analysis(blocks, prefix="a"):
    """An analysis's paragraphs as HTML: the report's words in light markup, remarks labelled as ours.

    Corrections are applied everywhere and listed in one "Om texten" note at the end.
    """
    html, words, all_corrections = [], [], []

    def flush():
        if words:
            html.append(light_markup.render("\n\n".join(words), prefix=f"{prefix}-{len(html)}"))
            words.clear()

    for block in blocks or []:
        block, corrections = split_corrections(block)
        all_corrections.extend(corrections)
        if follow_up_remark(block) is not None:
            flush()
            html.append(f'<p class="note follow-up">{_label()} {_inline(reader_note(block))}</p>')
        else:
            words.append(block)
    flush()
    html.append(_correction_block(list(dict.fromkeys(all_corrections))))
    return mark_safe("\n".join(part for part in html if part))
