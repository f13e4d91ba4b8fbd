"""The source's words as a reader gets them: corrections applied, the follow-up's remarks told apart.

The fixtures keep the source's word followed by a correction, `personuppläring [rättat:
personuppklaring]` (fixtures/README.md, rule 2). The downloads carry that verbatim text; the
public pages and the API show the corrected word. Every function here takes a text string, so
it works the same for any field (indicator notes today, an edition's analysis text tomorrow).
"""

import re

from django.utils.translation import gettext as _
from difflib import SequenceMatcher

CORRECTION = re.compile(r"\[rättat:\s*([^\]]*?)\s*\]")  # sv-only: the fixtures' own markup
# A correction replaces the last word before it, or the last few when the source split one
# word in two ("personuppläringens procenten [rättat: personuppklaringsprocenten]").
MAX_REPLACED_WORDS = 3
ELISIONS = {"…", "...", ""}


def _replaced_span(before, correction):
    """(start, end) in `before` of the source words the correction replaces.

    The words are the last 1 to MAX_REPLACED_WORDS words before the marker; of those, the
    run that reads most like the correction wins, the shortest on a tie.
    """
    words = list(re.finditer(r"[^\W\d_][\w-]*", before))
    if not words:
        return None
    best = None
    for count in range(1, min(MAX_REPLACED_WORDS, len(words)) + 1):
        run = words[-count:]
        # Only whitespace may lie between the words and after the last one.
        if before[run[-1].end():].strip() or any(
            before[a.end():b.start()].strip() for a, b in zip(run, run[1:])
        ):
            break
        start, end = run[0].start(), run[-1].end()
        score = SequenceMatcher(None, before[start:end].casefold(), correction.casefold()).ratio()
        if best is None or score > best[0]:
            best = (score, start, end)
    return best and best[1:]


def split_corrections(text):
    """(the text with each correction in place of the source's word, [(source word, correction), …]).

    The one function for corrected text: filters, API and search all call it.
    """
    text = text or ""
    if "[rättat:" not in text:  # sv-only: the fixtures' own markup
        return text, []
    out, found, position = [], [], 0
    for match in CORRECTION.finditer(text):
        before = text[position:match.start()]
        correction = match[1]
        span = _replaced_span(before, correction) if correction else None
        if span is None:
            out.append(before.rstrip())  # nothing to replace: only the marker goes
        else:
            start, end = span
            found.append((before[start:end], correction))
            out.append(before[:start] + correction)
        position = match.end()
    out.append(text[position:])
    return "".join(out), list(dict.fromkeys(found))


def corrected_text(text):
    """The text with every `[rättat: …]` applied: what a reader and the API get."""
    return split_corrections(text)[0]


def correction_note(corrections):
    """"Om texten" in words for [(source word, correction), …]; empty without corrections."""
    if not corrections:
        return ""
    pairs = ", ".join(f"”{was}” → ”{now}”" for was, now in corrections)
    return _("Om texten: stavningen har rättats av uppföljningen: %(pairs)s.") % {"pairs": pairs}


def _closing_bracket(text, opening):
    depth = 0
    for index in range(opening, len(text)):
        if text[index] == "[":
            depth += 1
        elif text[index] == "]":
            depth -= 1
            if depth == 0:
                return index
    return -1


def follow_up_remark(text):
    """The inside of a text bracketed as a whole ("[I Lägesrapport 2024 …]"), or None.

    Such a text is the follow-up's remark, not the source's words. An elision "[…]" alone is not
    a remark, nor is "[a] b [c]", which begins and ends with brackets that are not one pair.
    """
    text = (text or "").strip()
    if not text.startswith("[") or _closing_bracket(text, 0) != len(text) - 1:
        return None
    inner = text[1:-1].strip()
    return None if inner in ELISIONS else inner
