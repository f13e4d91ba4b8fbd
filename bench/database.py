"""The bench's own PostgreSQL database, created fresh and dropped afterwards."""

import os
import secrets
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/test"
# BENCH_DATABASE names another one, e.g. when two checkouts bench on the same server at once.
BENCH_DATABASE = os.environ.get("BENCH_DATABASE") or "bench_valdsstrategi"


def with_database(url, name):
    return urlunsplit(urlsplit(url)._replace(path="/" + name))


def bench_url():
    base = os.environ.get("DATABASE_URL") or DEFAULT_URL
    if urlsplit(base).scheme not in {"postgres", "postgresql", "pgsql"}:
        raise SystemExit(f"make bench behöver PostgreSQL; DATABASE_URL är {base}")
    return with_database(base, BENCH_DATABASE)


def _admin(url):
    # The maintenance database, since one cannot drop the database one is connected to.
    return psycopg.connect(with_database(url, "postgres"), autocommit=True)


def recreate(url):
    name = urlsplit(url).path.lstrip("/")
    with _admin(url) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def drop(url):
    name = urlsplit(url).path.lstrip("/")
    with _admin(url) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def production_environment(url, static_root):
    """The environment of a production start (no DEBUG), pointed at the bench database.

    Plain http on localhost, so no redirect to https: it would measure nothing.
    """
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "DEMO_MODE"}}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DATABASE_URL=url,
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        SITE_URL="http://127.0.0.1",
        SECURE_SSL_REDIRECT="0",
        STATIC_ROOT=str(static_root),
        LOG_LEVEL="ERROR",
    )
    return env
