"""The source documents (../shared/seeds/) as the fidelity test reads them, and the places the fixtures record.

Not a test module: tests/test_strict_fidelity.py and the script that records the places
(tests/record_source_positions.py) share it.

A seed is read line by line. Each line is normalised for what a PDF-to-text copy adds (markup,
footnote markers, runs of whitespace), remembering for every character the raw column it came
from; the lines are joined by "\x02" (a line break) or "\x01" (a paragraph break, a blank line).
A fixture text then matches a passage when its spaces stand for any run of spaces and breaks,
and each of its characters may be followed by a line break, with or without a hyphen
("verk-/ställa"): whitespace and line-break hyphenation are the only differences allowed.

A recorded place is `DOC:LINE[.COL][-LINE[.COL]]`: the seed (its three-digit prefix), the line
(1-based, as `sed -n 373p` counts) and, where the passage does not start at the line's first
word, the raw column (1-based) of its first character; after "-", the line and column of its
last character, omitted when the passage ends where its first line does. "001:373" is the whole
of line 373; "001:373.310-373.414" a sentence inside it; "000:201-212" lines 201 to 212.
"""

import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent
FIXTURES = BASE_DIR / "fixtures"
SEEDS = BASE_DIR.parent / "shared" / "seeds"

# Fields whose text is the source's words (fixtures/README.md, "Transcription"). Everything else
# (titles, names, labels, sources, and `note`, the editors' own remark) is editorial.
VERBATIM_FIELDS = {
    # strategy.yaml
    "vision", "introduction", "definition", "description", "indicator_intro",
    "prerequisites", "measures", "national_measures",
    # indicators*.yaml
    "retired_reason", "notes", "footnote", "break_note",
    # actions.yaml, local_plans.yaml
    "text", "footnotes", "follow_up", "remarks",
    # reports.yaml
    "foreword", "how_produced", "how_produced_footnotes", "how_to_use", "results_intro",
    "summary_intro", "intro", "summary", "summary_footnotes", "development_areas", "caption",
}
# The key, in any mapping with verbatim fields, that records where each of their parts is.
AT = "at"

SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
SPACES = " \t\u00a0\u2009\u202f\r"
CORRECTION = re.compile(r"\s*\[rättat: [^\]]*\]")
REMARK = re.compile(r"\[[^\]]*\]")
QUOTATION = re.compile(r"”([^”]*)”")
PLACE = re.compile(r"^(\d{3}):(\d+)(?:\.(\d+))?(?:-(\d+)(?:\.(\d+))?)?$")

# What a PDF-to-text copy adds, removed line by line: (pattern, the group kept or None).
LINE_CLEANING = [
    (re.compile(r"\[([^\]]*)\]\([^)]*\)"), 1),  # markdown links: keep the text
    (re.compile(r"\*"), None),  # markdown emphasis
    (re.compile(f"[{SUPERSCRIPTS}]+"), None),  # footnote markers ¹²
    (re.compile(r"\[\d+\]"), None),  # footnote markers [1]
    # Footnote markers run into the text (000): "trygghet22.", "kvinnor.19 Målen", "2016–20201 och".
    (re.compile(r"(?<=[^\W\d_])\d{1,2}(?=[\s.,;:)]|$)"), None),
    (re.compile(r"(?<=[^\W\d_][.,;:])\d{1,2}(?=\s|$)"), None),
    (re.compile(r"(?<=\b(?:19|20)\d\d)\d{1,2}(?=\s|$)"), None),
    (re.compile(f"[{SPACES}]+"), " "),  # thin and no-break spaces ("26\u2009kommuner") are spaces like any other
]


def clean_line(raw):
    """(text, columns): a raw line normalised, and the raw column (0-based) of each character kept."""
    text, columns = raw, list(range(len(raw)))
    for pattern, keep in LINE_CLEANING:
        out, cols, at = [], [], 0
        for match in pattern.finditer(text):
            out.append(text[at:match.start()])
            cols += columns[at:match.start()]
            if keep == " ":
                out.append(" ")
                cols.append(columns[match.start()])
            elif keep is not None:
                out.append(match.group(keep))
                cols += columns[match.start(keep):match.end(keep)]
            at = match.end()
        out.append(text[at:])
        cols += columns[at:]
        text, columns = "".join(out), cols
    start, end = len(text) - len(text.lstrip(" ")), len(text.rstrip(" "))
    return text[start:end], columns[start:end]


class Seed:
    """One source document: `text` normalised, with the raw line and column of every character."""

    def __init__(self, name, raw):
        self.name = name
        self.lines = raw.splitlines()
        parts, self.origin = [], []  # origin[i]: (line, raw column), both 0-based; None for a break
        self.line_start, self.line_end = {}, {}
        blank = False
        for number, raw_line in enumerate(self.lines):
            text, columns = clean_line(raw_line)
            if not text:
                blank = True
                continue
            if parts:
                parts.append("\x01" if blank else "\x02")
                self.origin.append(None)
            blank = False
            offset = len(self.origin)
            self.line_start[number], self.line_end[number] = offset, offset + len(text)
            parts.append(text)
            self.origin += [(number, c) for c in columns]
        self.text = "".join(parts)
        self.flat = re.sub(r"[\x01\x02]", " ", self.text)

    @classmethod
    def from_path(cls, path):
        return cls(path.name[:3], path.read_text(encoding="utf-8"))

    def find_all(self, passage):
        for match in passage_pattern(passage).finditer(self.text):
            yield match.start(), match.end()

    def place(self, start, end):
        """The recorded place of the passage text[start:end]."""
        line, column = self.origin[start]
        last_line, last_column = self.origin[end - 1]
        place = f"{self.name}:{line + 1}" + ("" if start == self.line_start[line] else f".{column + 1}")
        if end == self.line_end[last_line]:
            return place if last_line == line else f"{place}-{last_line + 1}"
        return f"{place}-{last_line + 1}.{last_column + 1}"

    def span(self, place):
        """(start, end) in `text` of a recorded place, or None when it names no text of this seed."""
        match = PLACE.match(place or "")
        if not match or match[1] != self.name:
            return None
        line, column, last_line, last_column = (int(g) - 1 if g else None for g in match.groups()[1:])
        if line not in self.line_start:
            return None
        start = self.line_start[line] if column is None else self._offset(line, column)
        last_line = line if last_line is None else last_line
        if last_line not in self.line_end:
            return None
        end = self.line_end[last_line] if last_column is None else self._offset(last_line, last_column, after=True)
        return (start, end) if start is not None and end is not None and start < end else None

    def _offset(self, line, column, after=False):
        for i in range(self.line_start[line], self.line_end[line]):
            if self.origin[i][1] == column:
                return i + 1 if after else i
        return None

    def at(self, passage, place):
        """Whether `passage` is exactly the text at `place` (whitespace and line-break hyphenation aside)."""
        span = self.span(place)
        return span is not None and passage_pattern(passage).fullmatch(self.text, *span) is not None

    def is_sentence(self, span, passage):
        """The passage starts and ends where a sentence or a list item of the seed does."""
        start, end = span
        before = self.flat[max(0, start - 12):start]
        starts = (
            start == 0
            or self.text[start - 1] in "\x01\x02"
            or re.search(r"([.!?:;”)]|[-•–]|\d+(\.\d+)*|\t)\s?$", before) is not None
        )
        # A quotation ends where its closing mark is (003: vision: ”Stockholm är … oberoende relation”.).
        ends = passage[-1] in ".!?:;”)" or end == len(self.text) or self.text[end:end + 1] in ("\x01", "\x02", "”")
        return starts and ends


@lru_cache(maxsize=8192)
def passage_pattern(passage):
    """A fixture passage as a pattern over a seed's text: a space stands for any run of spaces and
    breaks; a word may run on over a line break, with or without its hyphen."""
    parts = []
    for i, ch in enumerate(passage):
        if ch == " ":
            parts.append("[ \x01\x02]+")
        else:
            tail = "(?:-?\x02)?" if i + 1 < len(passage) and passage[i + 1] != " " else ""
            parts.append(re.escape(ch) + tail)
    return re.compile("".join(parts))


def normalise(paragraph):
    return re.sub(r"\s+", " ", paragraph).strip()


def without_corrections(text):
    return CORRECTION.sub("", text)


@dataclass(frozen=True)
class Part:
    """One run of the source's words in a fixture text: a paragraph (or a piece of one between
    bracketed remarks), or a quotation inside a remark."""

    text: str
    quoted: bool  # inside a bracketed remark


def verbatim_parts(text):
    """The source's words in a fixture text, in the order they appear.

    `[rättat: …]` is left out (the word before it is the source's); any other bracketed part is
    the editors' and splits the text, except for its quotations ”…”; paragraphs are parts of
    their own.
    """
    text = without_corrections(text)
    parts, at = [], 0
    for remark in [*REMARK.finditer(text), None]:
        piece = text[at:remark.start() if remark else len(text)]
        parts += [Part(normalise(p), False) for p in re.split(r"\n\s*\n", piece) if re.search(r"\w", p)]
        if remark:
            parts += [Part(normalise(q), True) for q in QUOTATION.findall(remark.group(0)) if normalise(q)]
            at = remark.end()
    return parts


def verbatim_fields(data, path=""):
    """(mapping, field, path) of every verbatim field with text, for a fixture file's data.

    The field's value is a string, or a list of strings (a list of mappings is walked into)."""

    def walk(node, path):
        if isinstance(node, dict):
            for key, child in node.items():
                if key == AT:
                    continue
                here = f"{path}.{key}"
                if key in VERBATIM_FIELDS and (
                    (isinstance(child, str) and child.strip())
                    or (isinstance(child, list) and child and all(isinstance(c, str) for c in child))
                ):
                    yield node, key, here.lstrip(".")
                else:
                    yield from walk(child, here)
        elif isinstance(node, list):
            for index, child in enumerate(node):
                yield from walk(child, f"{path}[{index}]")

    yield from walk(data, path)


def field_texts(mapping, field):
    """The field's texts: [text] for a string field, its items for a list field."""
    value = mapping[field]
    return [value] if isinstance(value, str) else list(value)


def recorded_places(mapping, field):
    """The places recorded for the field: one list per text (see field_texts), or None when none are."""
    places = (mapping.get(AT) or {}).get(field)
    if places is None:
        return None
    return [places] if isinstance(mapping[field], str) else places


@lru_cache(maxsize=1)
def load_seeds():
    return tuple(Seed.from_path(p) for p in sorted(SEEDS.glob("*.txt")))


def seed_named(name):
    return next((s for s in load_seeds() if s.name == name), None)


def seeds_present():
    return SEEDS.is_dir() and any(SEEDS.glob("*.txt"))


def require_seeds():
    """Fail or skip (loudly, tests/conftest.py) when the source documents are not there.

    CI has them and sets REQUIRE_SEEDS=1: there the fidelity tests must run. Elsewhere (a fresh
    clone without ../shared/) they are skipped, and the session's summary says so in capitals.
    """
    if seeds_present():
        return
    message = f"the source documents are missing ({SEEDS}): the fidelity tests cannot run"
    if os.environ.get("REQUIRE_SEEDS") == "1":
        pytest.fail(message + " (REQUIRE_SEEDS=1)")
    pytest.skip(message)
