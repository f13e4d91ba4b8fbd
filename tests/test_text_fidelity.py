"""What the fixtures give as the source's words is the source's words (fixtures/README.md, "Transcription").

Every text in a verbatim field must occur in the source documents (../shared/seeds/) once both
sides are normalised for what a PDF-to-text copy changes: line breaks, hyphenation at line ends,
whitespace, markup and footnote markers. Editorial parts are in square brackets: a
`[rättat: …]` after a misspelled word, or a bracketed remark; they are left out of the check.
"""

import re
from pathlib import Path

import pytest
import yaml
from django.conf import settings

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
SEEDS = Path(settings.BASE_DIR).parent / "shared" / "seeds"

# Fields whose text is the source's words. Everything else (titles, names, labels, sources,
# and `note`, the editors' own remark on a commitment, focus area or measure) is editorial.
VERBATIM_FIELDS = {
    # strategy.yaml
    "vision", "introduction", "definition", "description", "indicator_intro",
    "prerequisites", "measures", "national_measures",
    # indicators*.yaml
    "retired_reason", "notes", "footnote",
    # actions.yaml, local_plans.yaml
    "text", "footnotes", "follow_up", "remarks",
    # reports.yaml
    "foreword", "how_produced", "how_produced_footnotes", "how_to_use", "results_intro",
    "summary_intro", "intro", "summary", "summary_footnotes", "development_areas", "caption", "break_note",
}

CORRECTION = re.compile(r"\s*\[rättat: [^\]]*\]")
EDITORIAL = re.compile(r"\[[^\]]*\]")
QUOTATION = re.compile(r"”([^”]*)”")
SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"


def comparable(text):
    """Letters, digits and punctuation only: no whitespace, hyphens or quotation marks.

    Line breaks, hyphenation at line ends (kept or lost by the PDF copy: "kvinnofrids-/kränkning",
    "föreställ/ningar", "hjälp-/och") and spacing then compare equal, while any respelled,
    added or dropped letter or figure still differs.
    """
    return re.sub(r"[\s\-\u00ad”“\"]+", "", text)


def seed_text(path):
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)  # markdown links: keep the text
    text = text.replace("*", "")  # markdown emphasis
    text = re.sub(f"[{SUPERSCRIPTS}]+", "", text)  # footnote markers ¹²
    text = re.sub(r"\[\d+\]", "", text)  # footnote markers [1]
    # Footnote markers run into the text: "trygghet22.", "kvinnor.19 Målen", "2016–20201 och".
    text = re.sub(r"(?<=[^\W\d_])\d{1,2}(?=[\s.,;:)])", "", text)
    text = re.sub(r"(?<=[^\W\d_][.,;:])\d{1,2}(?=\s)", "", text)
    text = re.sub(r"(?<=\b(?:19|20)\d\d)\d{1,2}(?=\s)", "", text)
    return comparable(text)


def fixture_texts():
    """(file, location, text) for every string in a verbatim field of every fixture."""

    def walk(node, path, field):
        if isinstance(node, dict):
            for key, child in node.items():
                yield from walk(child, f"{path}.{key}", key)
        elif isinstance(node, list):
            for index, child in enumerate(node):
                yield from walk(child, f"{path}[{index}]", field)
        elif isinstance(node, str) and field in VERBATIM_FIELDS and node.strip():
            yield path, node

    for file in sorted(FIXTURES.glob("*.yaml")):
        for path, text in walk(yaml.safe_load(file.read_text(encoding="utf-8")), "", None):
            yield file.name, path.lstrip("."), text


def verbatim_parts(text):
    """The source's words in a fixture text.

    Corrections `[rättat: …]` are dropped; any other bracketed part is the editors' and splits
    the text, except for the quotations ”…” in it; paragraphs are checked one by one.
    """
    text = CORRECTION.sub("", text)
    for remark in EDITORIAL.findall(text):
        yield from QUOTATION.findall(remark)
    for part in EDITORIAL.split(text):
        for paragraph in re.split(r"\n\s*\n", part):
            if re.search(r"\w", paragraph):
                yield paragraph.strip()


@pytest.fixture(scope="module")
def seeds():
    if not SEEDS.is_dir():
        pytest.skip(f"the source documents are not at {SEEDS}")
    return "".join(seed_text(p) for p in sorted(SEEDS.glob("*.txt")))


def test_it_finds_every_verbatim_fixture_text_in_the_source_documents(seeds):
    missing = [
        f"{file} {path}: {part[:120]}"
        for file, path, text in fixture_texts()
        for part in verbatim_parts(text)
        if comparable(part) not in seeds
    ]
    assert not missing, "not in ../shared/seeds/ as written:\n" + "\n".join(missing)


def test_it_checks_the_texts_that_carry_the_source_s_words():
    texts = {(file, path) for file, path, _ in fixture_texts()}
    assert ("indicators_goals_5_8.yaml", "indicators[0].description") in texts
    assert ("actions.yaml", "status_reports[0].text") in texts
    assert ("reports.yaml", "editions[0].sections[4].summary") in texts
    assert ("strategy.yaml", "violence_types[0].definition") in texts
    assert not any(path.endswith((".title", ".note", ".label", ".source")) for _, path in texts)


def test_it_sees_a_silent_respelling_and_accepts_a_marked_correction(seeds):
    garbled = "Antalet personupplagade brott är för lågt för att det ska vara relevant att mäta i procent."
    assert comparable(garbled) in seeds
    assert comparable(garbled.replace("personupplagade", "personuppklarade")) not in seeds
    marked = garbled.replace("personupplagade", "personupplagade [rättat: personuppklarade]")
    assert all(comparable(part) in seeds for part in verbatim_parts(marked))


def test_it_leaves_bracketed_editorial_remarks_out_but_checks_the_quotations_in_them():
    parts = list(verbatim_parts("[Härlett ur: ”Alla kommuner erbjuder stöd.”] Två. […] Tre.\n\nFyra."))
    assert parts == ["Alla kommuner erbjuder stöd.", "Två.", "Tre.", "Fyra."]
