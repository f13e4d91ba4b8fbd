# The one command surface. `make run` and `make test` work on a fresh clone.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: install run worker migrate data messages compile-messages test test-fast bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet ".[dev]"
	touch $(STAMP)

install: $(STAMP)

migrate: install
	DEBUG=1 $(BIN)/python manage.py migrate --noinput

data: migrate
	DEBUG=1 $(BIN)/python manage.py load_real_data
	DEBUG=1 $(BIN)/python manage.py create_demo_accounts

# The interface's catalogues (locale/<language>/LC_MESSAGES/django.po, README: Languages).
# `make messages` collects every marked string from the code and templates into them (a translator then
# fills in the new entries) and compiles them; `compile-messages` only compiles. The compiled .mo files
# are committed, so a machine without GNU gettext (msgfmt) runs the site and the tests with them.
MESSAGES_LANGUAGES := sv en
MESSAGES_IGNORE := --ignore=.venv --ignore=node_modules --ignore=staticfiles --ignore=bench --ignore=tests --ignore=.cache
messages: install
	DEBUG=1 $(BIN)/python manage.py makemessages $(addprefix -l ,$(MESSAGES_LANGUAGES)) --no-obsolete --add-location=file $(MESSAGES_IGNORE)
	DEBUG=1 $(BIN)/python manage.py compilemessages $(MESSAGES_IGNORE)

compile-messages: install
	@if command -v msgfmt >/dev/null; then DEBUG=1 $(BIN)/python manage.py compilemessages $(MESSAGES_IGNORE); \
	else echo "msgfmt (GNU gettext) saknas: de incheckade .mo-filerna används."; fi

# The server and, beside it, the background worker (the round's mails, an edition's PDF); Ctrl-C stops both.
# The worker does not reload on code changes (a reloading worker forks a child that `kill` would miss).
# The mails link to the address this serves (SITE_URL follows PORT unless it is set).
SITE_URL ?= http://127.0.0.1:$(PORT)
export SITE_URL

run: data compile-messages
	DEBUG=1 $(BIN)/python manage.py db_worker --no-reload --queue-name '*' & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	DEBUG=1 $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# The background worker alone (what production runs beside gunicorn).
worker: migrate
	DEBUG=1 $(BIN)/python manage.py db_worker --no-reload --queue-name '*'

# The whole suite. Browser tests run when Chromium is installed (CI installs it). The fidelity
# tests need the source documents in ../shared/seeds/: without them they are skipped, said loudly
# here and in pytest's summary (REQUIRE_SEEDS=1, as in CI, makes that a failure).
SEEDS_DIR := ../shared/seeds
test: install compile-messages
	@test -d $(SEEDS_DIR) || echo "!!! THE SOURCE DOCUMENTS ARE MISSING ($(SEEDS_DIR)): the fidelity tests will be skipped !!!" >&2
	DEBUG=1 $(BIN)/python manage.py makemigrations --check --dry-run
	DEBUG=1 $(BIN)/python manage.py check
	$(BIN)/lint-imports
	$(BIN)/pytest

test-fast: install
	$(BIN)/pytest -m "not browser"

# Lighthouse for `make bench`, pinned in package-lock.json, into ./node_modules.
node_modules/.installed: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund
	touch $@

bench: install node_modules/.installed
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .cache node_modules
