"""For the tests that run the site as production does (gunicorn, no DEBUG) beside a service the suite
does not start (PostgreSQL, Redis): CI has them and sets REQUIRE_SERVICES=1."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent


def needs(condition, message):
    """Skip the test unless `condition`; fail it instead where the services are required (CI)."""
    if condition:
        return
    if os.environ.get("REQUIRE_SERVICES") == "1":
        pytest.fail(message)
    pytest.skip(message)


def production_env(tmp_path, *, database_url, **extra):
    """The environment of a production start on 127.0.0.1 behind a trusted proxy (this machine),
    with its static files collected under `tmp_path`."""
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "DEMO_MODE", "DJANGO_SETTINGS_MODULE"}}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        SECRET_KEY=secrets.token_urlsafe(50),
        DATABASE_URL=database_url,
        ALLOWED_HOSTS="127.0.0.1",
        SITE_URL="http://127.0.0.1",
        TRUSTED_PROXIES="127.0.0.1",
        STATIC_ROOT=str(tmp_path / "static"),
        **extra,
    )
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput"], cwd=BASE_DIR, env=env, check=True, capture_output=True
    )
    return env
