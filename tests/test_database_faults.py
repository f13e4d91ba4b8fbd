"""A sick database: /healthz answers 503 within seconds, a download fails with an error status, the
PostgreSQL connection has timeouts and health checks."""

import io
import json
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import openpyxl
import pytest
from django.db import OperationalError, connections
from django.urls import reverse

BASE_DIR = Path(__file__).resolve().parent.parent


class SilentListener:
    """A TCP port that accepts connections and never answers: a hung database server."""

    def __init__(self):
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen(16)
        self.port = self.socket.getsockname()[1]
        self.accepted = []
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.serve, daemon=True)

    def serve(self):
        self.socket.settimeout(0.2)
        while not self.stop.is_set():
            try:
                connection, _ = self.socket.accept()
            except OSError:
                continue
            self.accepted.append(connection)  # held open, never read from or written to

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join()
        for connection in self.accepted:
            connection.close()
        self.socket.close()


def add_alias(name, alias):
    """A database alias added at run time, completed with Django's defaults like the configured ones."""
    configured = connections.configure_settings({"default": dict(connections.settings["default"]), name: alias})
    connections.settings[name] = configured[name]


def wait_for_health_checks():
    """A check still waiting for the hung database holds the one-at-a-time lock; the next test must not
    inherit it. It gives up after the connect timeout."""
    for thread in threading.enumerate():
        if thread.name == "healthz":
            thread.join(15)


@pytest.fixture
def hung_database(settings, django_db_blocker):
    """A database alias on the silent listener, with the production PostgreSQL options; /healthz checks it."""
    with SilentListener() as listener:
        alias = {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": "hung", "USER": "postgres", "PASSWORD": "", "HOST": "127.0.0.1", "PORT": str(listener.port),
            "OPTIONS": dict(settings.POSTGRES_OPTIONS),
        }
        add_alias("hung", alias)
        settings.HEALTHZ_DATABASE = "hung"
        try:
            with django_db_blocker.unblock():
                yield listener
                wait_for_health_checks()
        finally:
            del connections.settings["hung"]
            try:
                del connections["hung"]
            except AttributeError:
                pass


def test_it_answers_503_within_5_seconds_when_the_database_accepts_and_never_answers(client, hung_database):
    started = time.monotonic()
    response = client.get("/healthz")
    elapsed = time.monotonic() - started
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "unavailable"}
    assert elapsed < 5, f"{elapsed:.1f} s"
    assert hung_database.accepted, "the check never reached the listener"


def test_it_answers_the_next_check_at_once_while_one_still_waits(client, hung_database, settings):
    settings.HEALTHZ_TIMEOUT = 0.5
    first = client.get("/healthz")
    started = time.monotonic()
    second = client.get("/healthz")
    assert first.status_code == second.status_code == 503
    assert time.monotonic() - started < 5


def test_it_answers_503_when_nothing_listens(client, settings, django_db_blocker):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed again: nothing listens there
    alias = {"ENGINE": "django.db.backends.postgresql", "NAME": "gone", "USER": "postgres", "HOST": "127.0.0.1",
             "PORT": str(port), "OPTIONS": dict(settings.POSTGRES_OPTIONS)}
    add_alias("gone", alias)
    settings.HEALTHZ_DATABASE = "gone"
    try:
        with django_db_blocker.unblock():
            started = time.monotonic()
            response = client.get("/healthz")
        assert response.status_code == 503 and time.monotonic() - started < 5
    finally:
        del connections.settings["gone"]


def test_it_answers_head_on_the_health_check(client, db):
    assert client.head("/healthz").status_code == 200


@pytest.mark.parametrize("url_name", ["values_csv", "values_xlsx"])
def test_it_fails_a_download_with_an_error_status_not_a_truncated_file(db, url_name, monkeypatch, settings):
    """The database fails after the first row: the reader gets an error status (503, the database's
    fault: config.health.server_error), never a 200 with half a file, and no half file is kept for the
    next reader (the downloads are stored once per page version)."""
    from django.test import Client

    from indicators.models import Value
    from reports import downloads

    real_rows = downloads.published_value_rows

    def failing_rows(*args, **kwargs):
        rows = real_rows(*args, **kwargs)
        yield next(rows)
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(downloads, "published_value_rows", failing_rows)
    response = Client(raise_request_exception=False).get(reverse(url_name))
    assert response.status_code == 503
    assert all(p.name.endswith(".lock") for p in Path(settings.DOWNLOAD_CACHE_DIR).iterdir())  # no file, whole or half

    monkeypatch.setattr(downloads, "published_value_rows", real_rows)
    body = Client().get(reverse(url_name)).getvalue()
    if url_name == "values_csv":
        assert body.count(b"\n") == Value.objects.published().count() + 1
    else:
        assert len(openpyxl.load_workbook(io.BytesIO(body))["Värden"]["A"]) == Value.objects.published().count() + 1


def production_databases(database_url):
    """DATABASES as the production settings build them for `database_url`."""
    env = dict(os.environ, DATABASE_URL=database_url, SECRET_KEY="x" * 50, ALLOWED_HOSTS="example.org",
               SITE_URL="https://example.org", DEBUG="")
    code = "import json, config.settings as s; print(json.dumps(s.DATABASES['default']))"
    out = subprocess.run([sys.executable, "-c", code], cwd=BASE_DIR, env=env, capture_output=True, text=True,
                         check=True)
    return json.loads(out.stdout)


def test_it_gives_postgresql_timeouts_and_health_checks():
    database = production_databases("postgres://app@db.example.org:5432/app")
    assert database["CONN_HEALTH_CHECKS"] is True
    assert database["OPTIONS"]["connect_timeout"] <= 5
    assert "statement_timeout=" in database["OPTIONS"]["options"]
