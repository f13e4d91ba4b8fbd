"""Every verbatim fixture text is the exact passage of one source document (fixtures/README.md, "Transcription").

Stricter than tests/test_text_fidelity.py: each seed is compared on its own, with only whitespace,
line-break hyphenation, markup and footnote markers normalised (words stay apart, letters and
figures stay as they are); a paragraph must be a contiguous passage that starts and ends where a
sentence does; all paragraphs of one field come from the same seed; a status text stands under its
own commitment in 001; `[rättat: X]` follows a word that is in the seed and looks like X; a figure
in a bracketed remark is in the seed; and every value is found where its `source` says.

Without ../shared/seeds/ the test fails, unless FIDELITY_SKIP_WITHOUT_SEEDS=1 says to skip.
"""

import copy
import difflib
import os
import re
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import pytest
import yaml
from django.conf import settings

from tests.test_text_fidelity import FIXTURES, SEEDS, VERBATIM_FIELDS

SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
SPACES = " \t\u00a0\u2009\u202f"
CORRECTION = re.compile(r"(\S+)\s*\[rättat: ([^\]]*)\]")
REMARK = re.compile(r"\[[^\]]*\]")
QUOTATION = re.compile(r"”([^”]*)”")
FIGURE = re.compile(r"\d+(?:[ ,]\d+)*")


def seeds_or_fail():
    if not SEEDS.is_dir():
        if os.environ.get("FIDELITY_SKIP_WITHOUT_SEEDS") == "1":
            pytest.skip(f"FIDELITY_SKIP_WITHOUT_SEEDS=1 and no source documents at {SEEDS}")
        pytest.fail(f"The source documents are missing ({SEEDS}): the fidelity test cannot run. "
                    "Set FIDELITY_SKIP_WITHOUT_SEEDS=1 to skip it knowingly.")


class Seed:
    """One source document, normalised: `text` has single spaces; `breaks` holds the positions of paragraph breaks."""

    def __init__(self, path):
        self.name = path.name[:3]
        raw = path.read_text(encoding="utf-8")
        self.lines = raw.splitlines()
        text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", raw)  # markdown links: keep the text
        text = text.replace("*", "")
        text = re.sub(f"[{SUPERSCRIPTS}]+", "", text)
        text = re.sub(r"\[\d+\]", "", text)
        # Footnote markers run into the text (000): "trygghet22.", "kvinnor.19 Målen", "2016–20201 och".
        text = re.sub(r"(?<=[^\W\d_])\d{1,2}(?=[\s.,;:)])", "", text)
        text = re.sub(r"(?<=[^\W\d_][.,;:])\d{1,2}(?=\s)", "", text)
        text = re.sub(r"(?<=\b(?:19|20)\d\d)\d{1,2}(?=\s)", "", text)

        # A paragraph break is \x01, a line break \x02: a fixture's space may stand for either, and a
        # word may run on over a line break, with or without its hyphen ("verk/ställa", "kvinnofrids-/kränkning").
        # Thin and no-break spaces ("26\u2009kommuner") are spaces like any other.
        text = re.sub(f"[{SPACES}]*\n[{SPACES}]*\n\\s*", "\x01", text)
        text = re.sub(f"[{SPACES}\r]*\n[{SPACES}]*", "\x02", text)
        text = re.sub(f"[{SPACES}\r]+", " ", text)
        self.text = text
        self.flat = re.sub(r"[\x01\x02]", " ", text)

    def find_all(self, passage):
        for match in passage_pattern(passage).finditer(self.text):
            yield match.start(), match.end()

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


@lru_cache(maxsize=1)
def load_seeds():
    return tuple(Seed(p) for p in sorted(SEEDS.glob("*.txt")))


@lru_cache(maxsize=4096)
def passage_pattern(passage):
    parts = []
    for ch in passage:
        if ch == " ":
            parts.append("[ \x01\x02]+")
        else:
            parts.append(re.escape(ch) + "(?:-?\x02)?")
    return re.compile("".join(parts))


def normalise(paragraph):
    return re.sub(r"\s+", " ", paragraph).strip()


def problems_in_text(where, text, seeds, whole=True):
    """What is wrong with one verbatim field value, as a list of messages (empty: faithful)."""
    found = []
    for match in CORRECTION.finditer(text):
        word, target = match.group(1).strip("”“\"(),.;:"), match.group(2)
        # A garbled term may be two words of the source ("personuppläringens procenten").
        two = " ".join(text[: match.start(2)].split()[-3:-1]) if " " in target.strip() or len(target) > len(word) + 4 else word
        if re.search(r"\d", target) or not re.search(r"[^\W\d_]", word):
            found.append(f"{where}: [rättat: {target}] corrects no garbled word ({word!r})")
        # A misspelling differs in a letter or two ("personuppläring"), not a synonym ("telefonlinjen" → "stödlinjen", 0.61).
        elif max(difflib.SequenceMatcher(None, w.lower(), target.lower()).ratio() for w in (word, two)) < 0.75:
            found.append(f"{where}: [rättat: {target}] does not follow a misspelling of it ({word!r})")
        elif not any(re.search(rf"(?<!\w){re.escape(word)}(?!\w)", s.flat) for s in seeds):
            found.append(f"{where}: {word!r} before [rättat: {target}] is not the source's spelling")
    text = re.sub(r"\s*\[rättat: [^\]]*\]", "", text)
    remarks = REMARK.findall(text)
    paragraphs = [normalise(p) for part in REMARK.split(text) for p in re.split(r"\n\s*\n", part) if re.search(r"\w", p)]
    # Each paragraph is a passage of one seed; all of them of the same seed.
    candidates = None
    for paragraph in paragraphs:
        exact = remarks == [] and whole
        homes = {s.name for s in seeds for span in s.find_all(paragraph) if not exact or s.is_sentence(span, paragraph)}
        if not homes:
            found.append(f"{where}: not a passage of any seed as written: {paragraph[:100]!r}")
            continue
        candidates = homes if candidates is None else candidates & homes
    if candidates is not None and not candidates:
        found.append(f"{where}: its paragraphs come from different seeds")
    home = [s for s in seeds if s.name in (candidates or ())] or list(seeds)
    for remark in remarks:
        if remark.startswith("[Fotnot"):
            found += problems_in_footnote(where, remark, home)
        quotes = QUOTATION.findall(remark)
        for quote in quotes:
            if not any(next(s.find_all(normalise(quote)), None) for s in seeds):
                found.append(f"{where}: quotation not in any seed: {quote[:100]!r}")
        outside = QUOTATION.sub("", remark)
        for figure in FIGURE.findall(outside):
            if not any(re.search(rf"(?<![\d,]){re.escape(figure)}(?![\d,])", s.flat) for s in home):
                found.append(f"{where}: the figure {figure} in a remark is not in the source: {remark[:100]!r}")
    return found


FOOTNOTE = re.compile(r"\[Fotnot (\d+): ”([^”]*)”\]")


def problems_in_footnote(where, remark, seeds):
    """`[Fotnot N: ”…”]` quotes the seed's footnote N: the line that begins with superscript N."""
    match = FOOTNOTE.fullmatch(remark)
    if not match:
        return [f"{where}: a footnote remark that does not quote its footnote: {remark[:100]!r}"]
    number, quote = match.group(1), normalise(match.group(2))
    marker = "".join(SUPERSCRIPTS[int(digit)] for digit in number)
    for seed in seeds:
        for line in seed.lines:
            if line.startswith(marker) and not line[len(marker)].isdigit() and not line[len(marker)] in SUPERSCRIPTS:
                if next(_seed_from_text(line[len(marker):]).find_all(quote), None) is not None:
                    return []
    return [f"{where}: footnote {number} of the source does not say {quote[:100]!r}"]


def verbatim_fields(data, path=""):
    """(path, text) of every verbatim string in a fixture file's data."""

    def walk(node, path, field):
        if isinstance(node, dict):
            for key, child in node.items():
                yield from walk(child, f"{path}.{key}", key)
        elif isinstance(node, list):
            for index, child in enumerate(node):
                yield from walk(child, f"{path}[{index}]", field)
        elif isinstance(node, str) and field in VERBATIM_FIELDS and node.strip():
            yield path.lstrip("."), node

    yield from walk(data, path, None)


def load_fixture(name):
    return yaml.safe_load((FIXTURES / name).read_text(encoding="utf-8"))


def problems_in_files(files, seeds):
    found = []
    for name, data in files.items():
        for path, text in verbatim_fields(data):
            found += problems_in_text(f"{name} {path}", text, seeds)
    return found


def commitment_region(seed, number):
    """(start, end) in 001's lines of the follow-up under commitment `number`: its heading to the next heading or goal."""
    heading = re.compile(rf"^{re.escape(number)} \S")
    next_heading = re.compile(r"^(\d\.\d+ \S|Mål \d:|Sammanfattning och utvecklingsområden$)")
    lines = seed.lines
    start = next(i for i, line in enumerate(lines) if heading.match(line))
    end = next((i for i in range(start + 1, len(lines)) if next_heading.match(lines[i])), len(lines))
    return start, end


def problems_in_status_reports(actions, seed001):
    """A status text stands under its own commitment in 001 (not only somewhere in the seeds)."""
    found = []
    for i, report in enumerate(actions.get("status_reports") or []):
        start, end = commitment_region(seed001, report["commitment"])
        region = _seed_from_text("\n".join(seed001.lines[start + 1:end]))
        first = normalise(re.split(r"\n\s*\n", re.sub(r"\s*\[rättat: [^\]]*\]", "", report["text"]))[0])
        if next(region.find_all(first), None) is None:
            found.append(f"actions.yaml status_reports[{i}] ({report['commitment']}): not the follow-up under {report['commitment']} in 001")
    return found


def _seed_from_text(raw):
    seed = Seed.__new__(Seed)
    path = type("P", (), {"name": "001", "read_text": lambda self, encoding=None: raw})()
    Seed.__init__(seed, path)
    return seed


def figure_pattern(value):
    number = Decimal(str(value)).normalize()
    text = format(number, "f").replace(".", ",")
    whole, _, decimals = text.partition(",")
    grouped = "[ \u00a0]?".join(re.findall(r"\d{1,3}(?=(?:\d{3})*$)", whole))
    return rf"(?<![\d,]){grouped}{(',' + decimals) if decimals else ''}(?![\d,])"


def source_lines(seed001, source):
    """The lines of 001 a value's `source` points at: a table (its caption to the next table or heading) or a goal's results."""
    lines = seed001.lines
    table = re.fullmatch(r"Lägesrapport 2024, Tabell (\d+)", source)
    goal = re.fullmatch(r"Lägesrapport 2024, Mål (\d+) \(text\)", source)
    if table:
        start = next(i for i, line in enumerate(lines) if re.match(rf"Tabell {table.group(1)}[.:]", line))
        end = next((i for i in range(start + 1, len(lines)) if re.match(r"(Tabell \d|Diagram \d|Mål \d:|\d\.\d+ )", lines[i])), len(lines))
        return lines[start:end]
    if goal:
        results = next(i for i, line in enumerate(lines) if line.startswith("Resultat – Strategi"))
        start = next(i for i in range(results, len(lines)) if lines[i].startswith(f"Mål {goal.group(1)}:"))
        end = next((i for i in range(start + 1, len(lines)) if re.match(r"(Mål \d:|Sammanfattning och utvecklingsområden$)", lines[i])), len(lines))
        return lines[start:end]
    return None


DERIVED = re.compile(r"\[Rapporten anger ingen procentsats; 100 procent är härlett ur: ”([^”]*)”\]")


def derived_from_quantifier(value, lines):
    """fixtures/README.md, rule 3: 100 read from "Alla"/"Samtliga" counts as found when the footnote quotes
    that sentence and the sentence stands at the value's source."""
    match = DERIVED.search(value.get("footnote") or "")
    if not match or Decimal(str(value["value"])) != 100 or not re.search(r"\b(alla|samtliga)\b", match.group(1), re.I):
        return False
    return next(_seed_from_text("\n".join(lines)).find_all(normalise(match.group(1))), None) is not None


def problems_in_values(indicator_files, seed001):
    found = []
    for name, data in indicator_files.items():
        for ind in data.get("indicators") or []:
            for s, series in enumerate(ind.get("series") or []):
                for value in series.get("values") or []:
                    if value.get("value") is None:
                        continue
                    source = value.get("source") or ind.get("values_source") or ""
                    lines = source_lines(seed001, source)
                    if lines is None:
                        found.append(f"{name} {ind['code']} {value['year']}: unknown source {source!r}")
                    elif derived_from_quantifier(value, lines):
                        continue
                    elif not re.search(figure_pattern(value["value"]), "\n".join(lines)):
                        found.append(f"{name} {ind['code']} series {s} {value['year']}: {value['value']} not in {source}")
    return found


INDICATOR_FILES = ("indicators_goals_1_4.yaml", "indicators_goals_5_8.yaml")


@pytest.fixture(scope="module")
def seeds():
    seeds_or_fail()
    return load_seeds()


@pytest.fixture(scope="module")
def seed001(seeds):
    return next(s for s in seeds if s.name == "001")


@pytest.fixture(scope="module")
def files():
    return {p.name: yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted(FIXTURES.glob("*.yaml"))}


def test_it_finds_every_verbatim_text_as_a_passage_of_one_seed(files, seeds):
    found = problems_in_files(files, seeds)
    assert not found, "\n".join(found)


def test_it_finds_every_status_text_under_its_commitment(files, seed001):
    found = problems_in_status_reports(files["actions.yaml"], seed001)
    assert not found, "\n".join(found)


def test_it_finds_every_value_where_its_source_says(files, seed001):
    found = problems_in_values({n: files[n] for n in INDICATOR_FILES}, seed001)
    assert not found, "\n".join(found)


def mutate(files, name, path, change):
    """A deep copy of the fixtures with one field changed: `path` is a list of keys and indexes."""
    mutated = copy.deepcopy(files)
    node = mutated[name]
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = change(node[path[-1]])
    return mutated


def status_index(files, number):
    return next(i for i, r in enumerate(files["actions.yaml"]["status_reports"]) if r["commitment"] == number)


def first_sentence_from(seed, elsewhere=()):
    """The first whole sentence of `seed` that none of the `elsewhere` seeds also has (001 quotes 000)."""
    for match in re.finditer(r"(?:(?<=\x01)|(?<=\. ))[A-ZÅÄÖ][^.\x01\x02]{40,200}\.", seed.text):
        if not any(next(other.find_all(match.group(0)), None) for other in elsewhere):
            return match.group(0)
    raise LookupError(f"no sentence of {seed.name} only")


MUTATIONS = {
    "a truncated status text": lambda f, s: mutate(
        f, "actions.yaml", ["status_reports", status_index(f, "1.6"), "text"], lambda t: t[: len(t) // 2].rstrip()
    ),
    "another commitment's text": lambda f, s: mutate(
        f, "actions.yaml", ["status_reports", status_index(f, "1.6"), "text"],
        lambda t: f["actions.yaml"]["status_reports"][status_index(f, "1.7")]["text"],
    ),
    "a sentence from another seed": lambda f, s: mutate(
        f, "reports.yaml", ["editions", 0, "sections", 0, "summary"],
        lambda t: t + "\n\n" + first_sentence_from(next(x for x in s if x.name == "000"), [x for x in s if x.name != "000"]),
    ),
    "a false bracketed figure": lambda f, s: mutate(
        f, "indicators_goals_1_4.yaml", ["indicators", code_index(f, "2.I1"), "notes"],
        lambda notes: notes + ["[Fotnot 6: 2024 besvarades enkäten av 37 kommuner/stadsdelar.]"],
    ),
    "a baseless [rättat: …]": lambda f, s: mutate(
        f, "indicators_goals_1_4.yaml", ["indicators", code_index(f, "2.I4"), "notes"],
        lambda notes: [notes[0].replace("144 personer", "144 [rättat: 155] personer")],
    ),
    "a baseless [rättat: …] after a correct word": lambda f, s: mutate(
        f, "indicators_goals_1_4.yaml", ["indicators", code_index(f, "2.I4"), "notes"],
        lambda notes: [notes[0].replace("telefonlinjen", "telefonlinjen [rättat: stödlinjen]")],
    ),
    "two words joined": lambda f, s: mutate(
        f, "indicators_goals_1_4.yaml", ["indicators", code_index(f, "2.I4"), "notes"],
        lambda notes: [notes[0].replace("kontaktade 144", "kontaktade144")],
    ),
}


def code_index(files, code):
    for name in INDICATOR_FILES:
        for i, ind in enumerate(files[name]["indicators"]):
            if ind["code"] == code:
                return i
    raise KeyError(code)


def all_problems(files, seeds, seed001):
    return (
        problems_in_files(files, seeds)
        + problems_in_status_reports(files["actions.yaml"], seed001)
        + problems_in_values({n: files[n] for n in INDICATOR_FILES}, seed001)
    )


@pytest.mark.parametrize("mutation", list(MUTATIONS))
def test_it_fails_on_a_mutated_text(mutation, files, seeds, seed001):
    assert not all_problems(files, seeds, seed001)
    assert all_problems(MUTATIONS[mutation](files, seeds), seeds, seed001)


def test_it_fails_on_a_changed_series_value(files, seeds, seed001):
    name = "indicators_goals_1_4.yaml"
    index = code_index(files, "2.I5")

    def change(series):
        series = copy.deepcopy(series)
        for s in series:
            for v in s["values"]:
                if v.get("value") == 146:
                    v["value"] = 147
        return series

    mutated = mutate(files, name, ["indicators", index, "series"], change)
    assert mutated != files
    assert any("147 not in Lägesrapport 2024, Tabell 5" in p for p in all_problems(mutated, seeds, seed001))


def test_it_fails_loudly_without_the_seeds(monkeypatch, tmp_path):
    monkeypatch.setattr("tests.test_strict_fidelity.SEEDS", tmp_path / "missing")
    monkeypatch.delenv("FIDELITY_SKIP_WITHOUT_SEEDS", raising=False)
    with pytest.raises(pytest.fail.Exception, match="source documents are missing"):
        seeds_or_fail()
    monkeypatch.setenv("FIDELITY_SKIP_WITHOUT_SEEDS", "1")
    with pytest.raises(pytest.skip.Exception):
        seeds_or_fail()


assert settings  # the fixtures' and seeds' paths come from settings.BASE_DIR (tests.test_text_fidelity)
