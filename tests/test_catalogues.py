"""The interface's catalogues (locale/<language>/LC_MESSAGES/django.po) are complete and compiled.

makemessages runs on a copy of the project (so the checkout is never written) and must find
exactly the messages the committed catalogues hold: a string marked in the code or a template
but missing from a catalogue fails here, as does one left in a catalogue after the code dropped
it. Every English entry is translated and none is fuzzy (a guess msgmerge made that no one has
checked). Swedish is the source language: its msgstr may stay empty (the msgid is the Swedish).
The committed .mo files say what their .po files say.
"""

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings

BASE = Path(settings.BASE_DIR)
LANGUAGES = [code for code, _ in settings.LANGUAGES]
SOURCE_LANGUAGE = settings.LANGUAGE_CODE
# As `make messages` (Makefile, MESSAGES_IGNORE).
IGNORE = [".venv", "node_modules", "staticfiles", "bench", "tests", ".cache"]
NOT_COPIED = shutil.ignore_patterns(".git", ".venv", "node_modules", "staticfiles", ".cache", "db.sqlite3", "*.pyc", "__pycache__", "fixtures", "bench")


def catalogue(language, base=BASE):
    return polib.pofile(str(base / "locale" / language / "LC_MESSAGES" / "django.po"))


def key(entry):
    return (entry.msgctxt, entry.msgid, entry.msgid_plural)


def describe(keys):
    return "\n".join(f"  {msgid!r}" + (f" (kontext {ctx!r})" if ctx else "") for ctx, msgid, _ in sorted(keys, key=str))


@pytest.fixture(scope="module")
def collected(tmp_path_factory):
    """The catalogues as makemessages makes them from today's code, in a copy of the project."""
    if not (shutil.which("xgettext") and shutil.which("msgmerge")):
        pytest.skip("GNU gettext (xgettext, msgmerge) saknas; installera paketet gettext.")
    copy = tmp_path_factory.mktemp("messages") / "project"
    shutil.copytree(BASE, copy, ignore=NOT_COPIED)
    command = [sys.executable, "manage.py", "makemessages", "--no-obsolete", "--add-location=file"]
    command += [f"--locale={code}" for code in LANGUAGES] + [f"--ignore={pattern}" for pattern in IGNORE]
    env = {"DEBUG": "1", "PATH": "/usr/bin:/bin", "DATABASE_URL": f"sqlite:///{copy / 'db.sqlite3'}"}
    subprocess.run(command, cwd=copy, env=env, check=True, capture_output=True, timeout=300)
    return {code: catalogue(code, copy) for code in LANGUAGES}


@pytest.mark.parametrize("language", LANGUAGES)
def test_it_holds_every_message_the_code_marks_and_no_other(collected, language):
    committed = {key(e) for e in catalogue(language) if not e.obsolete}
    wanted = {key(e) for e in collected[language] if not e.obsolete}
    missing, left_over = wanted - committed, committed - wanted
    assert not missing, f"Saknas i locale/{language} (kör make messages och översätt):\n{describe(missing)}"
    assert not left_over, f"Används inte längre men står kvar i locale/{language} (kör make messages):\n{describe(left_over)}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_it_has_no_fuzzy_entry(language):
    po = catalogue(language)
    fuzzy = [key(e) for e in po if "fuzzy" in e.flags and not e.obsolete]
    assert not fuzzy, f"Osäkra (fuzzy) översättningar i locale/{language}; granska dem och ta bort flaggan:\n{describe(fuzzy)}"
    assert not po.metadata_is_fuzzy, f"Huvudet i locale/{language} är markerat fuzzy."


@pytest.mark.parametrize("language", [code for code in LANGUAGES if code != SOURCE_LANGUAGE])
def test_it_translates_every_message(language):
    untranslated = [key(e) for e in catalogue(language).untranslated_entries()]
    assert not untranslated, f"Oöversatta meddelanden i locale/{language}:\n{describe(untranslated)}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_it_has_compiled_what_the_catalogue_says(language):
    po = catalogue(language)
    mo = polib.mofile(str(BASE / "locale" / language / "LC_MESSAGES" / "django.mo"))
    compiled = {key(e): (e.msgstr, dict(e.msgstr_plural)) for e in mo}
    stale = [
        key(e) for e in po.translated_entries()
        if compiled.get(key(e)) != (e.msgstr, {int(n): text for n, text in e.msgstr_plural.items()})
    ]
    assert not stale, f"locale/{language}/LC_MESSAGES/django.mo är inaktuell (kör make compile-messages):\n{describe(stale)}"
