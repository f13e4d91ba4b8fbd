"""Record in the fixtures where each verbatim text and each figure was taken from.

    python -m tests.record_source_positions          # add the places that are missing, list what to review
    python -m tests.record_source_positions --check  # only list what is missing (exit 1 if anything is)

Every mapping with verbatim fields gets an `at:` mapping: for each field, the places of its parts
(tests/seeds.py: `DOC:LINE[.COL][-LINE[.COL]]`), one list per text; every figure of a series gets
`at: "001:LINE"`, the line of 001 it stands on (a table row or a sentence). The places are found by
locating each passage in the seeds, as the earlier fidelity test did; where a passage stands in more
than one place, the first that fits (the seed the file is transcribed from, after the field's
previous part, under its own commitment) is taken and listed for review. Places already recorded
are never changed: tests/test_strict_fidelity.py compares every text at its recorded place only.
"""

import re
import sys
from decimal import Decimal

import yaml

from tests.seeds import (
    AT,
    FIXTURES,
    REMARK,
    field_texts,
    load_seeds,
    normalise,
    seed_named,
    seeds_present,
    verbatim_fields,
    verbatim_parts,
    without_corrections,
)

# The seeds a file is transcribed from, most likely first (001 quotes 000 in places).
HOMES = {
    "strategy.yaml": ["000", "002", "001"],
    "local_plans.yaml": ["004", "003", "000", "001"],
}
DEFAULT_HOMES = ["001", "000", "002"]
INDICATOR_FILES = ("indicators_goals_1_4.yaml", "indicators_goals_5_8.yaml")
DERIVED = re.compile(r"\[Rapporten anger ingen procentsats; 100 procent är härlett ur: ”([^”]*)”\]")


def commitment_lines(seed001, number):
    """(first, last) 0-based lines of 001's follow-up under commitment `number`: its heading to the next one."""
    heading = re.compile(rf"^{re.escape(number)} \S")
    next_heading = re.compile(r"^(\d\.\d+ \S|Mål \d:|Sammanfattning och utvecklingsområden$)")
    lines = seed001.lines
    start = next(i for i, line in enumerate(lines) if heading.match(line))
    end = next((i for i in range(start + 1, len(lines)) if next_heading.match(lines[i])), len(lines))
    return start, end


def source_region(seed001, source):
    """(first, end) 0-based lines of 001 a value's `source` names: a table (its caption to the next
    table, diagram or heading) or a goal's results; None for another source."""
    lines = seed001.lines
    table = re.fullmatch(r"Lägesrapport 2024, Tabell (\d+)", source or "")
    goal = re.fullmatch(r"Lägesrapport 2024, Mål (\d+) \(text\)", source or "")
    if table:
        start = next(i for i, line in enumerate(lines) if re.match(rf"Tabell {table.group(1)}[.:]", line))
        end = next((i for i in range(start + 1, len(lines)) if re.match(r"(Tabell \d|Diagram \d|Mål \d:|\d\.\d+ )", lines[i])), len(lines))
        return start, end
    if goal:
        results = next(i for i, line in enumerate(lines) if line.startswith("Resultat – Strategi"))
        start = next(i for i in range(results, len(lines)) if lines[i].startswith(f"Mål {goal.group(1)}:"))
        end = next((i for i in range(start + 1, len(lines)) if re.match(r"(Mål \d:|Sammanfattning och utvecklingsområden$)", lines[i])), len(lines))
        return start, end
    return None


def figure_text(value):
    """A value as the source writes it: decimal comma, thousands apart (with a space or none)."""
    number = Decimal(str(value)).normalize()
    text = format(number, "f").replace(".", ",")
    whole, _, decimals = text.partition(",")
    grouped = "[ \u00a0]?".join(re.findall(r"\d{1,3}(?=(?:\d{3})*$)", whole))
    return rf"(?<![\d,]){grouped}{(',' + decimals) if decimals else ''}(?![\d,])"


def period_label(year, period):
    return f"{year}/{year + 1}" if period == "school" else str(year)


def table_cell(lines, index, label):
    """The cell of the table row lines[index] under the column headed `label`, or None (not a table row)."""
    if "\t" not in lines[index]:
        return None
    for header in range(index - 1, max(-1, index - 40), -1):
        cells = [c.strip() for c in lines[header].split("\t")]
        if label in cells:
            row = [c.strip() for c in lines[index].split("\t")]
            column = cells.index(label)
            # A table may give the unit in each cell ("58%").
            return re.sub(r"\s*%$", "", row[column]) if column < len(row) else ""
    return None


def figure_at(lines, index, value, label):
    """Whether the value's figure stands on lines[index]: in its column of a table row, or in a sentence."""
    pattern = figure_text(value)
    cell = table_cell(lines, index, label)
    if cell is not None:
        return re.fullmatch(pattern, cell) is not None
    return re.search(pattern, lines[index]) is not None


def derived_sentence(value):
    """The sentence a 100 read from "Alla"/"Samtliga" quotes (fixtures/README.md, rule 3), or None."""
    match = DERIVED.search(value.get("footnote") or "")
    if not match or Decimal(str(value["value"])) != 100 or not re.search(r"\b(alla|samtliga)\b", match.group(1), re.I):
        return None
    return normalise(match.group(1))


def sentence_lines(seed, sentence, region):
    """The 0-based lines in region where `sentence` starts."""
    return [seed.origin[start][0] for start, _ in seed.find_all(sentence) if region[0] <= seed.origin[start][0] < region[1]]


def value_candidates(seed001, indicator, series, value):
    """The 0-based lines of 001 where the value's figure may stand, the likeliest first: in a table,
    its rows; in prose, the sentences that also name the year."""
    source = value.get("source") or series.get("source") or indicator.get("values_source") or ""
    region = source_region(seed001, source)
    if region is None:
        return []
    sentence = derived_sentence(value)
    if sentence:
        return sentence_lines(seed001, sentence, region)
    label = period_label(value["year"], indicator.get("period", "calendar"))
    lines = [i for i in range(*region) if figure_at(seed001.lines, i, value["value"], label)]
    if source.startswith("Lägesrapport 2024, Tabell"):
        return [i for i in lines if table_cell(seed001.lines, i, label) is not None] or lines
    return sorted(lines, key=lambda i: str(value["year"]) not in seed001.lines[i])


def choose(candidates, after=None):
    """The first candidate at or after `after` (the previous part's end), else the first."""
    later = [c for c in candidates if after is not None and c[0] >= after]
    return (later or candidates)[0]


def places_for_text(file_name, mapping, field, text, review, where, after_by_seed):
    """The places of one text's parts, found by locating them; ambiguities go to `review`.

    `after_by_seed` carries, per seed, where the previous text of the same field ended: a list's
    items follow each other in the source."""
    seeds = load_seeds()
    parts = verbatim_parts(text)
    homes = HOMES.get(file_name, DEFAULT_HOMES)
    if field == "national_measures" or "national_goals" in where:
        homes = ["002", *homes]  # Delmål 6 words them
    order = sorted(seeds, key=lambda s: homes.index(s.name) if s.name in homes else len(homes))
    region = None
    if file_name == "actions.yaml" and field == "text" and "commitment" in mapping:
        seed001 = seed_named("001")
        first, end = commitment_lines(seed001, mapping["commitment"])
        region = (seed001.line_start.get(first + 1, 0), seed001.line_start.get(end, len(seed001.text)))
    exact = REMARK.search(without_corrections(text)) is None
    # The seed of the paragraphs: the first home that has them all.
    paragraphs = [p for p in parts if not p.quoted]
    home = next((s for s in order if all(next(s.find_all(p.text), None) for p in paragraphs)), None) if paragraphs else None
    places = []
    for part in parts:
        candidates_by_seed = [home] if (home and not part.quoted) else ([home] if home else []) + order
        found = None
        for seed in candidates_by_seed:
            spans = list(seed.find_all(part.text))
            if region and seed.name == "001" and not part.quoted:
                spans = [s for s in spans if region[0] <= s[0] < region[1]] or spans
            if exact:
                spans = [s for s in spans if seed.is_sentence(s, part.text)] or spans
            if spans:
                span = choose(spans, after_by_seed.get(seed.name))
                if len(spans) > 1:
                    review.append(f"{where}: {len(spans)} places in {seed.name}, took {seed.place(*span)}: {part.text[:70]!r}")
                found = seed.place(*span)
                after_by_seed[seed.name] = span[1]
                break
        if found is None:
            review.append(f"{where}: NOT FOUND: {part.text[:90]!r}")
        places.append(found)
    return places


# --- writing into the YAML text -------------------------------------------------------------

def node_at(root, path):
    """The composed YAML node at a path like "status_reports[3]" or "editions[0].sections[2]"."""
    node = root
    for key, index in re.findall(r"([^.\[\]]+)|\[(\d+)\]", path):
        if key:
            node = next(v for k, v in node.value if k.value == key)
        else:
            node = node.value[int(index)]
    return node


def flow(value):
    return yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, width=10**6).strip()


def at_block(fields, indent):
    """The `at:` lines for a block mapping: one line per field."""
    lines = [f"{' ' * indent}{AT}:"]
    for field, places in fields.items():
        lines.append(f"{' ' * (indent + 2)}{field}: {flow(places)}")
    return "\n".join(lines)


def insertion_for(node, fields):
    """(line, column, text) that adds `at` to a mapping node."""
    if node.flow_style:
        end = node.end_mark
        return end.line, end.column - 1, f", {AT}: {flow(fields)}"
    indent = node.value[0][0].start_mark.column
    last = node.value[-1][1].end_mark
    if not last.buffer[last.pointer - last.column:last.pointer].strip():
        # The value ended with its line (a block scalar or list): a line of its own before the next one.
        return last.line, 0, at_block(fields, indent) + "\n"
    return last.line, last.column, "\n" + at_block(fields, indent)


def apply(text, insertions):
    lines = text.split("\n")
    for line, column, addition in sorted(insertions, reverse=True):
        lines[line] = lines[line][:column] + addition + lines[line][column:]
    return "\n".join(lines)


def mapping_path(field_path, field):
    return field_path[: -len(field) - 1] if field_path.endswith("." + field) else ""


def record(check=False):
    review, missing = [], []
    seed001 = seed_named("001")
    for path in sorted(FIXTURES.glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        data, root = yaml.safe_load(text), yaml.compose(text)
        pending = {}  # mapping path -> (mapping, {field: places})
        for mapping, field, field_path in verbatim_fields(data):
            if (mapping.get(AT) or {}).get(field) is not None:
                continue
            where = f"{path.name} {field_path}"
            missing.append(where)
            texts = field_texts(mapping, field)
            after_by_seed = {}
            places = [
                places_for_text(path.name, mapping, field, t, review, f"{where}[{i}]", after_by_seed)
                for i, t in enumerate(texts)
            ]
            places = places[0] if isinstance(mapping[field], str) else places
            pending.setdefault(mapping_path(field_path, field), (mapping, {}))[1][field] = places
        last_row = {}
        if path.name in INDICATOR_FILES:
            for i, indicator in enumerate(data.get("indicators") or []):
                for j, series in enumerate(indicator.get("series") or []):
                    for k, value in enumerate(series.get("values") or []):
                        if value.get("value") is None or (value.get(AT) or {}).get("value"):
                            continue
                        where = f"{path.name} {indicator['code']} series[{j}] {value['year']}"
                        missing.append(where)
                        lines = value_candidates(seed001, indicator, series, value)
                        if not lines:
                            review.append(f"{where}: NOT FOUND: {value['value']}")
                            continue
                        # A table's rows follow the series in order: the next row after the previous series' one.
                        key = (indicator["code"], value["year"])
                        line = next((n for n in lines if n > last_row.get(key, -1)), lines[0]) if lines and "\t" in seed001.lines[lines[0]] else lines[0]
                        last_row[key] = line
                        if len(lines) > 1:
                            review.append(f"{where}: {value['value']} on {len(lines)} lines {[n + 1 for n in lines]}, took {line + 1}")
                        mpath = f"indicators[{i}].series[{j}].values[{k}]"
                        pending.setdefault(mpath, (value, {}))[1]["value"] = f"001:{line + 1}"
        insertions = []
        for mpath, (mapping, fields) in pending.items():
            if AT in mapping:
                review.append(f"{path.name} {mpath}: has `{AT}` already; add by hand: {fields}")
                continue
            insertions.append(insertion_for(node_at(root, mpath), fields))
        if insertions and not check:
            path.write_text(apply(text, insertions), encoding="utf-8")
    return missing, review


def main(argv):
    if not seeds_present():
        print("The source documents are missing (../shared/seeds/): nothing to locate the passages in.")
        return 2
    check = "--check" in argv
    missing, review = record(check=check)
    for line in review:
        print(line)
    print(f"{len(missing)} texts and figures without a recorded place{' (not written: --check)' if check else ' recorded'}.")
    return 1 if check and missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

