"""Every verbatim fixture text is the exact passage it was taken from, at the place the fixtures record
(fixtures/README.md, "Transcription" and "Where each text and figure stands").

Each mapping with verbatim fields records, under `at`, the place of every part of their texts (a
paragraph, a piece of one between bracketed remarks, a quotation in a remark): seed, line and,
where needed, column (tests/seeds.py). The test compares each part with the seed's text at that
place only, whitespace and line-break hyphenation being the only differences allowed; a part
without a place, or a place without its part, fails. Further:

- the paragraphs of one text come from one seed, and a text without remarks begins and ends where
  the seed's sentences do;
- a status text stands under its own commitment in 001;
- `[rättat: X]` follows a word of the source (it is in the passage at the place) that looks like X,
  and X is not a figure;
- `[Fotnot N: ”…”]` quotes footnote N, and a figure in a remark outside its quotations is in the seed;
- every figure of a series records the line of 001 it stands on (`at: {value: "001:LINE"}`): a line in
  the value's `source` (its table or its goal's results), where the figure is in the year's column of
  the table row, or in the sentence; a 100 read from "Alla …" stands where the sentence it quotes does.

The places were recorded with tests/record_source_positions.py (which locates each passage, as the
earlier test did) and reviewed; run it after adding a text, then review what it lists.
Without ../shared/seeds/ the tests are skipped and the session says so loudly; with REQUIRE_SEEDS=1 (CI)
they fail.
"""

import copy
import difflib
import re

import pytest
import yaml

from tests.record_source_positions import (
    INDICATOR_FILES,
    commitment_lines,
    derived_sentence,
    figure_at,
    period_label,
    source_region,
)
from tests.seeds import (
    AT,
    FIXTURES,
    PLACE,
    QUOTATION,
    REMARK,
    SUPERSCRIPTS,
    Seed,
    field_texts,
    load_seeds,
    normalise,
    recorded_places,
    require_seeds,
    verbatim_fields,
    verbatim_parts,
    without_corrections,
)

FIGURE = re.compile(r"\d+(?:[ ,]\d+)*")
RATTAT = re.compile(r"(\S+)\s*\[rättat: ([^\]]*)\]")
FOOTNOTE = re.compile(r"\[Fotnot (\d+): ”([^”]*)”\]")


def seed_for(seeds, place):
    match = PLACE.match(place or "")
    return seeds.get(match[1]) if match else None


def shown(seed, place):
    """The seed's text at a place, for a message."""
    span = seed.span(place) if seed else None
    return seed.flat[span[0]:span[1]][:100] if span else "(no such place)"


def problems_in_corrections(where, text):
    found = []
    for match in RATTAT.finditer(text):
        word, target = match.group(1).strip("”“\"(),.;:"), match.group(2)
        # A garbled term may be two words of the source ("personuppläringens procenten").
        two = " ".join(text[: match.start(2)].split()[-3:-1]) if " " in target.strip() or len(target) > len(word) + 4 else word
        if re.search(r"\d", target) or not re.search(r"[^\W\d_]", word):
            found.append(f"{where}: [rättat: {target}] corrects no garbled word ({word!r})")
        # A misspelling differs in a letter or two ("personuppläring"), not a synonym ("telefonlinjen" → "stödlinjen", 0.61).
        elif max(difflib.SequenceMatcher(None, w.lower(), target.lower()).ratio() for w in (word, two)) < 0.75:
            found.append(f"{where}: [rättat: {target}] does not follow a misspelling of it ({word!r})")
    return found


def problems_in_footnote(where, remark, seeds):
    """`[Fotnot N: ”…”]` quotes the seed's footnote N: the line that begins with superscript N."""
    match = FOOTNOTE.fullmatch(remark)
    if not match:
        return [f"{where}: a footnote remark that does not quote its footnote: {remark[:100]!r}"]
    number, quote = match.group(1), normalise(match.group(2))
    marker = "".join(SUPERSCRIPTS[int(digit)] for digit in number)
    for seed in seeds:
        for line in seed.lines:
            if line.startswith(marker) and line[len(marker):len(marker) + 1] not in ("", *SUPERSCRIPTS, *"0123456789"):
                if next(Seed("fn", line[len(marker):]).find_all(quote), None) is not None:
                    return []
    return [f"{where}: footnote {number} of the source does not say {quote[:100]!r}"]


def problems_in_text(where, text, places, seeds):
    """What is wrong with one verbatim text and its recorded places (empty: faithful)."""
    found = problems_in_corrections(where, text)
    parts = verbatim_parts(text)
    if places is None:
        return found + [f"{where}: no place recorded (tests/record_source_positions.py)"]
    if len(places) != len(parts):
        return found + [f"{where}: {len(parts)} passages but {len(places)} places recorded"]
    exact = REMARK.search(without_corrections(text)) is None
    homes = set()
    for part, place in zip(parts, places):
        seed = seed_for(seeds, place)
        if seed is None or not seed.at(part.text, place):
            found.append(f"{where}: not the passage at {place}:\n    fixture: {part.text[:100]!r}\n    {place}: {shown(seed, place)!r}")
            continue
        if not part.quoted:
            homes.add(seed.name)
        if exact and not seed.is_sentence(seed.span(place), part.text):
            found.append(f"{where}: {place} is not a whole sentence of the source: {part.text[:80]!r}")
    if len(homes) > 1:
        found.append(f"{where}: its paragraphs come from different seeds ({', '.join(sorted(homes))})")
    home = [seeds[name] for name in homes] or list(seeds.values())
    for remark in REMARK.findall(without_corrections(text)):
        if remark.startswith("[Fotnot"):
            found += problems_in_footnote(where, remark, home)
        for figure in FIGURE.findall(QUOTATION.sub("", remark)):
            if not any(re.search(rf"(?<![\d,]){re.escape(figure)}(?![\d,])", s.flat) for s in home):
                found.append(f"{where}: the figure {figure} in a remark is not in the source: {remark[:100]!r}")
    return found


def problems_in_files(files, seeds):
    found = []
    for name, data in files.items():
        for mapping, field, path in verbatim_fields(data):
            where = f"{name} {path}"
            texts, places = field_texts(mapping, field), recorded_places(mapping, field)
            if places is not None and len(places) != len(texts):
                found.append(f"{where}: {len(texts)} texts but {len(places)} lists of places")
                continue
            for i, text in enumerate(texts):
                label = where if isinstance(mapping[field], str) else f"{where}[{i}]"
                found += problems_in_text(label, text, None if places is None else places[i], seeds)
        found += problems_in_stray_places(name, data)
    return found


def problems_in_stray_places(name, data):
    """An `at` entry names a field with text (or a series value): no place is left behind."""
    found = []

    def walk(node, path):
        if isinstance(node, dict):
            for field in node.get(AT) or {}:
                if field != "value" and not node.get(field):
                    found.append(f"{name} {path}: `{AT}` records places for {field!r}, which has no text")
            for key, child in node.items():
                if key != AT:
                    walk(child, f"{path}.{key}")
        elif isinstance(node, list):
            for i, child in enumerate(node):
                walk(child, f"{path}[{i}]")

    walk(data, "")
    return found


def problems_in_status_reports(actions, seed001):
    """A status text's first passage stands under its own commitment in 001."""
    found = []
    for i, report in enumerate(actions.get("status_reports") or []):
        places = (report.get(AT) or {}).get("text") or [None]
        match = PLACE.match(places[0] or "")
        first, end = commitment_lines(seed001, report["commitment"])
        if not match or match[1] != "001" or not first < int(match[2]) - 1 < end:
            found.append(f"actions.yaml status_reports[{i}] ({report['commitment']}): {places[0]} is not under {report['commitment']} in 001 (lines {first + 2}–{end})")
    return found


def problems_in_values(indicator_files, seed001):
    found = []
    for name, data in indicator_files.items():
        for ind in data.get("indicators") or []:
            for s, series in enumerate(ind.get("series") or []):
                for value in series.get("values") or []:
                    if value.get("value") is None:
                        continue
                    where = f"{name} {ind['code']} series {s} {value['year']}"
                    found += problems_in_value(where, seed001, ind, series, value)
    return found


def problems_in_value(where, seed001, ind, series, value):
    place = (value.get(AT) or {}).get("value")
    match = re.fullmatch(r"001:(\d+)", place or "")
    if not match:
        return [f"{where}: no line of 001 recorded for {value['value']} (at: {{value: \"001:LINE\"}})"]
    line = int(match[1]) - 1
    source = value.get("source") or series.get("source") or ind.get("values_source") or ""
    region = source_region(seed001, source)
    if region is None:
        return [f"{where}: unknown source {source!r}"]
    if not region[0] <= line < region[1]:
        return [f"{where}: {place} is not in {source} (lines {region[0] + 1}–{region[1]})"]
    sentence = derived_sentence(value)
    if sentence:
        if not any(seed001.origin[a][0] == line for a, _ in seed001.find_all(sentence)):
            return [f"{where}: the sentence its 100 is read from is not at {place}"]
        return []
    label = period_label(value["year"], ind.get("period", "calendar"))
    if not figure_at(seed001.lines, line, value["value"], label):
        return [f"{where}: {value['value']} not at {place} ({source}): {seed001.lines[line][:100]!r}"]
    return []


def all_problems(files, seeds):
    seed001 = seeds["001"]
    return (
        problems_in_files(files, seeds)
        + problems_in_status_reports(files["actions.yaml"], seed001)
        + problems_in_values({n: files[n] for n in INDICATOR_FILES}, seed001)
    )


@pytest.fixture(scope="module")
def seeds():
    require_seeds()
    return {s.name: s for s in load_seeds()}


@pytest.fixture(scope="module")
def files():
    return {p.name: yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted(FIXTURES.glob("*.yaml"))}


def test_it_finds_every_verbatim_text_at_its_recorded_place(files, seeds):
    found = problems_in_files(files, seeds)
    assert not found, "\n".join(found)


def test_it_finds_every_status_text_under_its_commitment(files, seeds):
    found = problems_in_status_reports(files["actions.yaml"], seeds["001"])
    assert not found, "\n".join(found)


def test_it_finds_every_figure_at_its_recorded_line(files, seeds):
    found = problems_in_values({n: files[n] for n in INDICATOR_FILES}, seeds["001"])
    assert not found, "\n".join(found)


def test_it_checks_the_texts_that_carry_the_source_s_words(files):
    paths = {(name, path) for name, data in files.items() for _, _, path in verbatim_fields(data)}
    assert ("indicators_goals_5_8.yaml", "indicators[0].description") in paths
    assert ("actions.yaml", "status_reports[0].text") in paths
    assert ("reports.yaml", "editions[0].sections[4].summary") in paths
    assert ("strategy.yaml", "violence_types[0].definition") in paths
    assert any(path.endswith(".break_note") for _, path in paths)
    assert not any(path.endswith((".title", ".note", ".label", ".source")) for _, path in paths)
    values = [v for n in INDICATOR_FILES for i in files[n]["indicators"] for s in i.get("series") or [] for v in s["values"]]
    assert len([v for v in values if v.get("value") is not None]) >= 150


# --- the mutations the test must catch, each kept ------------------------------------------------

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


def code_index(files, code):
    for name in INDICATOR_FILES:
        for i, ind in enumerate(files[name]["indicators"]):
            if ind["code"] == code:
                return i
    raise KeyError(code)


def first_sentence_from(seed, elsewhere=()):
    """The first whole sentence of `seed` that none of the `elsewhere` seeds also has (001 quotes 000)."""
    for match in re.finditer(r"(?:(?<=\x01)|(?<=\. ))[A-ZÅÄÖ][^.\x01\x02]{40,200}\.", seed.text):
        if not any(next(other.find_all(match.group(0)), None) for other in elsewhere):
            return match.group(0)
    raise LookupError(f"no sentence of {seed.name} only")


def from_000(s):
    return first_sentence_from(s["000"], [x for n, x in s.items() if n != "000"])


def status(f, number):
    return ["status_reports", status_index(f, number)]


def with_place(f, name, path, field, change):
    """Change a mapping's field and its recorded places together (as if the places were recorded anew)."""
    return mutate(f, name, path, lambda m: {**m, field: change(m)[0], AT: {**m[AT], field: change(m)[1]}})


MUTATIONS = {
    "a truncated status text": lambda f, s: mutate(
        f, "actions.yaml", [*status(f, "1.6"), "text"], lambda t: t[: len(t) // 2].rstrip()
    ),
    "a status text that lacks its last sentence": lambda f, s: mutate(
        f, "actions.yaml", [*status(f, "1.6"), "text"], lambda t: t.rstrip().rsplit(". ", 1)[0] + "."
    ),
    "another commitment's text": lambda f, s: mutate(
        f, "actions.yaml", [*status(f, "1.6"), "text"],
        lambda t: f["actions.yaml"]["status_reports"][status_index(f, "1.7")]["text"],
    ),
    "another commitment's text with its places": lambda f, s: mutate(
        f, "actions.yaml", status(f, "1.6"),
        lambda r: {**r, "text": (other := f["actions.yaml"]["status_reports"][status_index(f, "1.7")])["text"], AT: other[AT]},
    ),
    "a sentence from another seed": lambda f, s: mutate(
        f, "reports.yaml", ["editions", 0, "sections", 0, "summary"], lambda t: t + "\n\n" + from_000(s)
    ),
    "a sentence from another seed, run on in a paragraph": lambda f, s: mutate(
        f, "reports.yaml", ["editions", 0, "sections", 0, "summary"], lambda t: t + " " + from_000(s)
    ),
    "a sentence from another seed with its place": lambda f, s: with_place(
        f, "reports.yaml", ["editions", 0, "sections", 0], "summary",
        lambda m: (m["summary"] + "\n\n" + from_000(s), m[AT]["summary"] + [s["000"].place(*next(s["000"].find_all(from_000(s))))]),
    ),
    "a false bracketed figure": lambda f, s: mutate(
        f, "indicators_goals_1_4.yaml", ["indicators", code_index(f, "2.I1"), "notes"],
        lambda notes: [n.replace("av 31 kommuner", "av 37 kommuner") for n in notes],
    ),
    "a false bracketed figure that quotes nothing": lambda f, s: with_place(
        f, "indicators_goals_1_4.yaml", ["indicators", code_index(f, "2.I1")], "notes",
        lambda m: (m["notes"] + ["[Fotnot 6: 2024 besvarades enkäten av 37 kommuner/stadsdelar.]"], m[AT]["notes"] + [[]]),
    ),
    "a baseless [rättat: …]": lambda f, s: mutate(
        f, "indicators_goals_1_4.yaml", ["indicators", code_index(f, "2.I4"), "notes"],
        lambda notes: [notes[0].replace("144 personer", "144 [rättat: 155] personer"), *notes[1:]],
    ),
    "a baseless [rättat: …] after a correct word": lambda f, s: mutate(
        f, "indicators_goals_1_4.yaml", ["indicators", code_index(f, "2.I4"), "notes"],
        lambda notes: [notes[0].replace("telefonlinjen", "telefonlinjen [rättat: stödlinjen]"), *notes[1:]],
    ),
    "a corrected word that is not the source's": lambda f, s: mutate(
        f, "indicators_goals_1_4.yaml", ["indicators", code_index(f, "2.I4"), "notes"],
        lambda notes: [notes[0].replace("telefonlinjen", "telefonlinjenn [rättat: telefonlinjen]"), *notes[1:]],
    ),
    "two words joined": lambda f, s: mutate(
        f, "indicators_goals_1_4.yaml", ["indicators", code_index(f, "2.I4"), "notes"],
        lambda notes: [notes[0].replace("kontaktade 144", "kontaktade144"), *notes[1:]],
    ),
    "a text without its place": lambda f, s: mutate(
        f, "actions.yaml", status(f, "1.6"), lambda r: {k: v for k, v in r.items() if k != AT}
    ),
    "a place moved to the next paragraph": lambda f, s: mutate(
        f, "actions.yaml", [*status(f, "1.6"), AT, "text"],
        lambda places: [re.sub(r":(\d+)", lambda m: f":{int(m[1]) + 2}", places[0]), *places[1:]],
    ),
}


def changed_value(f, code, old, new, place=None):
    """The fixtures with `code`'s figure `old` changed to `new` (and its recorded line, when given)."""
    index = code_index(f, code)
    name = next(n for n in INDICATOR_FILES if f[n]["indicators"][index:index + 1] and f[n]["indicators"][index]["code"] == code)

    def change(series):
        series = copy.deepcopy(series)
        for s in series:
            for v in s["values"]:
                if v.get("value") == old:
                    v["value"] = new
                    if place:
                        v[AT] = {**v[AT], "value": place}
        return series

    return mutate(f, name, ["indicators", index, "series"], change)


VALUE_MUTATIONS = {
    "a changed series value": lambda f: changed_value(f, "2.I5", 146, 147),
    "a changed table figure": lambda f: changed_value(f, "1.I3", 7.8, 7.9),
    "a figure moved to another row of its table": lambda f: changed_value(f, "2.I5", 146, 146, place="001:238"),
}


@pytest.mark.parametrize("mutation", list(MUTATIONS))
def test_it_fails_on_a_mutated_text(mutation, files, seeds):
    assert not all_problems(files, seeds)
    mutated = MUTATIONS[mutation](files, seeds)
    assert mutated != files
    assert all_problems(mutated, seeds)


@pytest.mark.parametrize("mutation", list(VALUE_MUTATIONS))
def test_it_fails_on_a_mutated_series_value(mutation, files, seeds):
    mutated = VALUE_MUTATIONS[mutation](files)
    assert mutated != files
    found = problems_in_values({n: mutated[n] for n in INDICATOR_FILES}, seeds["001"])
    assert found, mutation


def test_it_reads_places_by_line_and_column():
    seed = Seed("009", "Rubrik\n\nEn mening här. Och en verk-\nsamhet som fortsätter.\n\n* Punkt ett¹²\n")
    assert seed.place(*next(seed.find_all("Rubrik"))) == "009:1"
    second = next(seed.find_all("Och en verksamhet som fortsätter."))
    assert seed.place(*second) == "009:3.16-4"
    assert seed.at("Och en verksamhet som fortsätter.", "009:3.16-4")
    assert seed.at("Och en verk-samhet som fortsätter.", "009:3.16-4")  # a line-end hyphen may stay or go
    assert not seed.at("Och en verk samhet som fortsätter.", "009:3.16-4")  # but a word is not split
    assert not seed.at("Och en verksamhet somfortsätter.", "009:3.16-4")  # nor two joined
    assert seed.at("En mening här.", "009:3-3.14")
    assert not seed.at("En mening här.", "009:3")  # the whole line says more
    assert seed.at("Punkt ett", "009:6")  # markup and footnote markers are not the source's words
    assert not seed.at("Rubrik", "008:1") and not seed.at("Rubrik", "009:2")


def test_it_splits_a_text_into_the_source_s_passages():
    parts = verbatim_parts("[Härlett ur: ”Alla kommuner erbjuder stöd.”] Två [rättat: Tvåa]. […] Tre.\n\nFyra.")
    assert [(p.text, p.quoted) for p in parts] == [
        ("Alla kommuner erbjuder stöd.", True), ("Två.", False), ("Tre.", False), ("Fyra.", False)
    ]


def test_without_the_seeds_it_skips_loudly_or_fails_when_required(monkeypatch, tmp_path):
    monkeypatch.setattr("tests.seeds.SEEDS", tmp_path / "missing")
    monkeypatch.delenv("REQUIRE_SEEDS", raising=False)
    with pytest.raises(pytest.skip.Exception, match="source documents are missing"):
        require_seeds()
    monkeypatch.setenv("REQUIRE_SEEDS", "1")
    with pytest.raises(pytest.fail.Exception, match="source documents are missing"):
        require_seeds()

