"""The production configuration: deploy checks, static files, health check, logging, gunicorn.

Production settings are read once at import, so the tests that need them start
a separate Python process with a production environment (no DEBUG).
"""

import json
import logging
import os
import runpy
import secrets
import subprocess
import sys
import textwrap
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.db import OperationalError
from django.test import RequestFactory

from bench.server import Gunicorn, get
from config.logging import JsonFormatter

BASE_DIR = Path(settings.BASE_DIR)


def production_env(tmp_path, **extra):
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "DEMO_MODE", "DJANGO_SETTINGS_MODULE"}}
    env.update(
        SECRET_KEY=secrets.token_urlsafe(50),
        # SQLite in a temporary folder: these checks need no server, and the
        # settings treat every database URL alike.
        DATABASE_URL=f"sqlite:///{tmp_path / 'prod.sqlite3'}",
        ALLOWED_HOSTS="example.org",
        SITE_URL="https://example.org",
        STATIC_ROOT=str(tmp_path / "static"),
        DJANGO_SETTINGS_MODULE="config.settings",
    )
    env.update(extra)
    return env


def run(args, env, check=True):
    result = subprocess.run(args, cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120)
    if check:
        assert result.returncode == 0, result.stdout + result.stderr
    return result


def manage(env, *args, check=True):
    return run([sys.executable, "manage.py", *args], env, check=check)


def test_it_passes_the_deploy_checks_with_production_settings(tmp_path):
    env = production_env(tmp_path, DATABASE_URL="postgres://postgres@127.0.0.1:5432/notused")
    result = manage(env, "check", "--deploy")
    assert result.returncode == 0
    assert "System check identified no issues" in result.stdout + result.stderr
    assert "WARNINGS" not in result.stdout + result.stderr


@pytest.mark.parametrize("missing", ["SECRET_KEY", "DATABASE_URL", "ALLOWED_HOSTS", "SITE_URL"])
def test_it_refuses_to_start_without_required_settings(tmp_path, missing):
    env = production_env(tmp_path)
    del env[missing]
    result = manage(env, "check", check=False)
    assert result.returncode != 0
    assert f"{missing} måste anges" in result.stderr


def test_it_has_the_secure_settings_in_production(tmp_path):
    env = production_env(tmp_path)
    script = textwrap.dedent(
        """
        import json, django
        django.setup()
        from django.conf import settings as s
        print(json.dumps({
            "DEBUG": s.DEBUG,
            "SESSION_COOKIE_SECURE": s.SESSION_COOKIE_SECURE,
            "CSRF_COOKIE_SECURE": s.CSRF_COOKIE_SECURE,
            "SESSION_COOKIE_HTTPONLY": s.SESSION_COOKIE_HTTPONLY,
            "SECURE_SSL_REDIRECT": s.SECURE_SSL_REDIRECT,
            "SECURE_HSTS_SECONDS": s.SECURE_HSTS_SECONDS,
            "storage": s.STORAGES["staticfiles"]["BACKEND"],
        }))
        """
    )
    values = json.loads(run([sys.executable, "-c", script], env).stdout.strip().splitlines()[-1])
    assert values["DEBUG"] is False
    assert values["SESSION_COOKIE_SECURE"] and values["CSRF_COOKIE_SECURE"] and values["SESSION_COOKIE_HTTPONLY"]
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_HSTS_SECONDS"] >= 31536000
    assert values["storage"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"


@pytest.fixture(scope="module")
def collected(tmp_path_factory):
    """collectstatic with the production storage, once for the tests that serve pages."""
    tmp_path = tmp_path_factory.mktemp("prod")
    # The proxy runs on the same machine (the test client's address).
    env = production_env(tmp_path, TRUSTED_PROXIES="127.0.0.1")
    manage(env, "collectstatic", "--noinput")
    manage(env, "migrate", "--noinput")
    return tmp_path, env


def test_it_collects_static_files_hashed_and_compressed(collected):
    tmp_path, _ = collected
    static = tmp_path / "static"
    manifest = json.loads((static / "staticfiles.json").read_text())["paths"]
    hashed = manifest["css/site.css"]
    assert hashed != "css/site.css"
    assert (static / hashed).exists()
    assert (static / (hashed + ".gz")).exists()
    assert (static / manifest["admin/js/theme.js"]).exists()


def test_it_serves_pages_securely_in_production(collected):
    """Over the real production settings: redirect to https, HSTS, secure cookies, CSP, whitenoise."""
    tmp_path, env = collected
    script = textwrap.dedent(
        """
        import json, django
        django.setup()
        from django.test import Client
        plain = Client(HTTP_HOST="example.org")
        secure = Client(HTTP_HOST="example.org", HTTP_X_FORWARDED_PROTO="https")
        spoofed = Client(HTTP_HOST="example.org", HTTP_X_FORWARDED_PROTO="https", REMOTE_ADDR="203.0.113.66")
        spoofed_login = spoofed.get("/admin/login/")
        health_http = plain.get("/healthz")
        login_http = plain.get("/admin/login/")
        login = secure.get("/admin/login/")
        body = login.content.decode()
        css_url = body.split('href="')[1].split('"')[0] if 'rel="stylesheet"' in body else ""
        css = secure.get(css_url, HTTP_ACCEPT_ENCODING="gzip") if css_url else None
        print(json.dumps({
            "health_http": [health_http.status_code, health_http.json()],
            "login_http": [login_http.status_code, login_http.get("Location", "")],
            "spoofed_login": spoofed_login.status_code,
            "login": login.status_code,
            "hsts": login.get("Strict-Transport-Security", ""),
            "csp": login.get("Content-Security-Policy", ""),
            "csrf_cookie_secure": bool(login.cookies["csrftoken"]["secure"]),
            "css_url": css_url,
            "css_status": css.status_code if css else None,
            "css_encoding": css.get("Content-Encoding", "") if css else "",
            "css_cache": css.get("Cache-Control", "") if css else "",
        }))
        """
    )
    result = run([sys.executable, "-c", script], env)
    values = json.loads(result.stdout.strip().splitlines()[-1])
    # The load balancer's http health check is not redirected …
    assert values["health_http"] == [200, {"status": "ok"}]
    # … everything else is.
    assert values["login_http"][0] == 301
    assert values["login_http"][1].startswith("https://example.org/admin/login/")
    assert values["login"] == 200
    # X-Forwarded-Proto from a client that is not the proxy is not believed.
    assert values["spoofed_login"] == 301
    assert "max-age=31536000" in values["hsts"] and "includeSubDomains" in values["hsts"]
    assert "script-src 'self'" in values["csp"]
    assert values["csrf_cookie_secure"]
    # Static files: hashed name, served compressed and cached for a long time by whitenoise.
    assert values["css_url"].startswith("/static/admin/css/")
    assert values["css_status"] == 200
    assert values["css_encoding"] == "gzip"
    assert "max-age=315360000" in values["css_cache"]


def test_it_answers_the_health_check_when_the_database_does(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_it_answers_503_when_the_database_does_not(client, db):
    from django.db import connections

    with mock.patch.object(type(connections["default"]), "cursor", side_effect=OperationalError("connection refused")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "error"


def test_it_does_not_need_a_login_for_the_health_check(client, db):
    response = client.get("/healthz", follow=False)
    assert response.status_code == 200
    assert "login" not in response.get("Location", "")


def test_it_logs_one_json_object_per_line_with_exception_and_path():
    request = RequestFactory().get("/mal/1/?q=hemligt")
    try:
        raise ValueError('ett "citat"\noch en ny rad')
    except ValueError:
        record = logging.getLogger("django.request").makeRecord(
            "django.request", logging.ERROR, __file__, 1, "Internal Server Error: %s", (request.path,),
            sys.exc_info(), extra={"request": request, "status_code": 500},
        )
    line = JsonFormatter().format(record)
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["level"] == "ERROR"
    assert entry["logger"] == "django.request"
    assert entry["message"] == "Internal Server Error: /mal/1/"
    assert entry["path"] == "/mal/1/"
    assert entry["status"] == 500
    assert 'ValueError: ett "citat"' in entry["exception"]
    # The query string is not logged: it may hold personal data.
    assert "hemligt" not in line


def test_it_uses_the_json_formatter_in_the_settings():
    assert settings.LOGGING["formatters"]["json"]["()"] == "config.logging.JsonFormatter"


def test_it_configures_gunicorn_from_the_environment(monkeypatch):
    monkeypatch.setenv("WEB_CONCURRENCY", "3")
    monkeypatch.setenv("PORT", "8123")
    config = runpy.run_path(str(BASE_DIR / "config" / "gunicorn.py"))
    assert config["workers"] == 3
    assert config["bind"] == "0.0.0.0:8123"
    assert config["accesslog"] == "-"
    assert config["logconfig_dict"]["handlers"]["stdout"]["stream"] == "ext://sys.stdout"


def test_it_serves_under_gunicorn_with_json_access_log(collected):
    """Start gunicorn exactly as in production and ask it for /healthz."""
    tmp_path, env = collected
    with Gunicorn(dict(env, ALLOWED_HOSTS="example.org,127.0.0.1"), keep_output=True) as server:
        status, body = get(server.port, "/healthz")
    assert status == 200
    assert json.loads(body) == {"status": "ok"}
    access = [json.loads(line) for line in server.output.splitlines() if '"gunicorn.access"' in line]
    assert any('"GET /healthz"' in entry["message"] and " 200 " in entry["message"] for entry in access), server.output


def test_it_refuses_a_short_secret_key_in_production(tmp_path):
    result = manage(production_env(tmp_path, SECRET_KEY="abc"), "check", check=False)
    assert result.returncode != 0
    assert "SECRET_KEY är för kort (3 tecken, minst 50" in result.stderr
    # Fifty characters are enough.
    manage(production_env(tmp_path, SECRET_KEY="x" * 50), "check")
