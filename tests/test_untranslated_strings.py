"""Every string a user sees is marked for translation (issue 25; README: Languages).

Python: every project module (not migrations, tests, bench, fixtures, the virtualenv, nor the management
commands, which speak to operators in a terminal, not to the site's users) is read with
`ast`. A string literal fails when it looks Swedish and is none of: an argument of a gettext-family
call (`GETTEXT_CALLS`), a docstring, or a literal on a line carrying `# sv-only: <why>`. A marker on
the first line of a statement covers the whole statement, so one marker serves a multi-line constant
(a download's column names). "Looks Swedish" is deliberately simple: it contains å, ä or ö (either
case), or it has at least two words (apart by white space) and one of them is a common Swedish word without those letters
(`SWEDISH_WORDS`: "och", "inte", "saknas", …). A one-word identifier such as "kommun" passes; a
Swedish word with å/ä/ö anywhere in code a user could see does not.

Templates (templates/** and <app>/templates/**, .html and .txt): a text node with a letter fails
unless it is inside `{% blocktranslate %}…{% endblocktranslate %}`, `{% comment %}`, `{% verbatim %}`,
a `<script>` or `<style>` element, or on a line carrying `{# sv-only: <why> #}`. Variables and tags
are not text. Attributes a user reads or hears (alt, title, aria-label, placeholder, a button's value)
count as text.

What can carry no marker goes into `ALLOWED` with its reason. The report names each failure as
`file:line: text`.
"""

import ast
import re
from html.parser import HTMLParser
from pathlib import Path

from django.conf import settings
from django.template.base import tag_re

BASE = Path(settings.BASE_DIR)

GETTEXT_CALLS = {
    "_",
    "gettext",
    "gettext_lazy",
    "gettext_noop",
    "ngettext",
    "ngettext_lazy",
    "pgettext",
    "pgettext_lazy",
    "npgettext",
    "npgettext_lazy",
}
SWEDISH_LETTERS = re.compile("[åäöÅÄÖ]")
# Common Swedish interface words without å/ä/ö that are not also English words.
SWEDISH_WORDS = {
    "och", "eller", "inte", "som", "med", "av", "det", "ett", "har", "kan", "ska", "saknas",
    "finns", "ingen", "inget", "inga", "alla", "spara", "logga", "sidan", "hittades", "indikator",
    "indikatorer", "kommun", "kommuner", "rapportering", "uppgifter",
}
WORD = re.compile(r"[^\W\d_]+")
PY_MARKER = re.compile(r"#\s*sv-only:\s*\S")
TEMPLATE_MARKER = re.compile(r"\{#\s*sv-only:\s*\S.*?#\}")
# "commands": manage.py commands speak to the operator in a terminal (help, progress), not to the site's users.
SKIPPED_DIRS = {"migrations", "tests", "bench", "fixtures", ".venv", "node_modules", "staticfiles", ".cache", ".git",
                "commands"}
TEXT_ATTRIBUTES = {"alt", "title", "aria-label", "placeholder", "aria-roledescription", "aria-valuetext"}
BUTTON_TYPES = {"submit", "button", "reset"}

# (file, text) that cannot carry a marker, each with its reason.
ALLOWED = [
    # ("path/to/file.py", "exact literal", "why it cannot be marked"),
    ("templates/public/_report_title.html", "ISBN", "the standard's name, the same in every language"),
    ("templates/reports/pdf/edition.html", "ISBN", "the standard's name, the same in every language"),
    ("templates/data/index.html", "RDF/XML", "a format's name"),
    ("templates/data/index.html", "Turtle", "a format's name"),
    ("templates/data/index.html", "JSON-LD", "a format's name"),
    ("templates/data/index.html", "/data/katalog.rdf", "an address"),
    ("templates/data/index.html", "/data/katalog.ttl", "an address"),
    ("templates/data/index.html", "/data/katalog.jsonld", "an address"),
]



def looks_swedish(text):
    if SWEDISH_LETTERS.search(text):
        return True
    # Two words apart by white space: a path such as "indikatorer/<slug:slug>/" is no sentence.
    words = [word.lower() for word in WORD.findall(text)]
    return len(text.split()) >= 2 and any(word in SWEDISH_WORDS for word in words)


def python_files():
    for path in sorted(BASE.rglob("*.py")):
        relative = path.relative_to(BASE)
        if not SKIPPED_DIRS.intersection(relative.parts[:-1]):
            yield relative


def docstrings(tree):
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def call_name(call):
    if isinstance(call.func, ast.Name):
        return call.func.id
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    return None


def python_failures(relative, source=None):
    source = (BASE / relative).read_text() if source is None else source
    lines = source.splitlines()
    tree = ast.parse(source)
    skip = docstrings(tree)
    marked_lines = {number for number, line in enumerate(lines, 1) if PY_MARKER.search(line)}
    # A marker on the first line of a simple statement covers every literal in that statement.
    for node in ast.walk(tree):
        if isinstance(node, ast.stmt) and node.lineno in marked_lines and not hasattr(node, "body"):
            for inner in ast.walk(node):
                skip.add(id(inner))
        if isinstance(node, ast.Call) and call_name(node) in GETTEXT_CALLS:
            for argument in [*node.args, *(keyword.value for keyword in node.keywords)]:
                for inner in ast.walk(argument):
                    skip.add(id(inner))
    failures = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Constant) and isinstance(node.value, str)) or id(node) in skip:
            continue
        if any(number in marked_lines for number in range(node.lineno, node.end_lineno + 1)):
            continue
        if looks_swedish(node.value):
            failures.append((str(relative), node.lineno, node.value))
    return failures


def template_files():
    for directory in [BASE / "templates", *BASE.glob("*/templates")]:
        for path in sorted(directory.rglob("*")):
            if path.suffix in {".html", ".txt"}:
                yield path.relative_to(BASE)


def blank(text):
    """The same length and line breaks, no text: positions in what is left stay the file's."""
    return re.sub(r"[^\n]", " ", text)


def visible_source(source):
    """The template with tags, variables, comments and translated blocks blanked out."""
    kept, position, closing = [], 0, None
    for match in tag_re.finditer(source):
        between = source[position : match.start()]
        kept.append(blank(between) if closing else between)
        token = match.group(0)
        kept.append(blank(token))
        position = match.end()
        if token.startswith("{%"):
            name = (token[2:-2].split() or [""])[0]
            if closing is None and name in {"blocktranslate", "blocktrans", "comment", "verbatim"}:
                closing = {"blocktrans": "endblocktrans"}.get(name, "end" + name)
            elif name == closing:
                closing = None
    kept.append(source[position:])
    # A tag whose name is a variable (<{{ heading }} class="…">) is still a tag, not text: give it a name.
    return re.sub(r"<(/?) ", lambda m: f"<{m[1]}x", "".join(kept))


class TextNodes(HTMLParser):
    """Collects (line, text) for every text node and read-aloud attribute with a letter."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found, self.raw = [], None

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag in {"script", "style"}:
            self.raw = tag
        line = self.getpos()[0]
        for name, value in attrs:
            readable = name in TEXT_ATTRIBUTES or (name == "value" and values.get("type") in BUTTON_TYPES)
            if readable and value and WORD.search(value):
                self.found.append((line, " ".join(value.split())))

    def handle_endtag(self, tag):
        if tag == self.raw:
            self.raw = None

    def handle_data(self, data):
        if self.raw or not WORD.search(data):
            return
        line = self.getpos()[0]
        for offset, text in enumerate(data.split("\n")):
            if WORD.search(text):
                self.found.append((line + offset, " ".join(text.split())))


def template_failures(relative, source=None):
    source = (BASE / relative).read_text() if source is None else source
    marked_lines = {number for number, line in enumerate(source.splitlines(), 1) if TEMPLATE_MARKER.search(line)}
    parser = TextNodes()
    parser.feed(visible_source(source))
    parser.close()
    return [(str(relative), line, text) for line, text in parser.found if line not in marked_lines]


def all_failures():
    failures = [failure for path in python_files() for failure in python_failures(path)]
    failures += [failure for path in template_files() for failure in template_failures(path)]
    allowed = {(path, text) for path, text, _reason in ALLOWED}
    return [failure for failure in failures if (failure[0], failure[2].strip()) not in allowed]


def report(failures):
    return "\n".join(f"  {path}:{line}: {text!r}" for path, line, text in failures)


def test_it_finds_no_unmarked_string():
    failures = all_failures()
    assert not failures, (
        f"{len(failures)} strängar visas för användare utan att vara märkta för översättning "
        "(gettext/{% translate %}; eller # sv-only: <varför> / {# sv-only: <varför> #}):\n" + report(failures)
    )


def test_it_allows_nothing_without_a_reason():
    assert all(reason.strip() for _path, _text, reason in ALLOWED)


def test_it_catches_an_unmarked_python_string_and_passes_a_marked_one():
    source = '''
"""Modulens dokumentation på svenska."""
from django.utils.translation import gettext as _, pgettext

MESSAGE = "Värdet saknas."
LABEL = _("Värdet saknas.")
CONTEXT = pgettext("rubrik", "Mål")
COLUMN = "län"  # sv-only: the download's stable column name
COLUMNS = [  # sv-only: the download's stable column names
    "kommun",
    "år",
]
WORDS = "inte sparad"
IDENTIFIER = "kommun"
ENGLISH = "Not saved"
FORMATTED = f"Det gick inte: {MESSAGE}"
'''
    failures = python_failures(Path("example.py"), source)
    assert [(line, text) for _path, line, text in failures] == [
        (5, "Värdet saknas."),
        (13, "inte sparad"),
        (16, "Det gick inte: "),
    ]


def test_it_catches_unmarked_template_text_and_passes_marked_text():
    source = """{% load i18n %}
<h1 class="rubrik">{% translate "Mål" %}</h1>
<p>Spara ändringar</p>
{% blocktranslate trimmed with n=count %}
  {{ n }} indikatorer
{% endblocktranslate %}
{% comment %}Förklaring för utvecklare{% endcomment %}
{# en kommentar #}
<a href="{% url 'x' %}" title="Öppna">{{ name }}</a>
<p>Källa: SCB</p> {# sv-only: the source's own name #}
<script>const x = "ingen text";</script>
<input type="submit" value="Skicka">
<input type="hidden" name="åtgärd" value="spara">
<p>{{ a }} · {{ b }} 2024–2025</p>
"""
    failures = template_failures(Path("example.html"), source)
    assert [(line, text) for _path, line, text in failures] == [
        (3, "Spara ändringar"),
        (9, "Öppna"),
        (12, "Skicka"),
    ]
