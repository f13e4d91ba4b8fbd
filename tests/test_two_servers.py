"""Two app servers over one PostgreSQL and one Redis, with the production settings.

Started as in production (gunicorn, config/gunicorn.py, no DEBUG), sharing the
test database and a Redis cache: a change made through one is what the other
serves at its next request, and sessions, lockouts and the page cache hold across
both. CI runs it (PostgreSQL and Debian's redis-server); elsewhere it is skipped
unless REQUIRE_SERVICES=1.
"""

import http.client
import os
import re
from http.cookies import SimpleCookie
from urllib.parse import urlencode

import pytest
from django.contrib.auth import get_user_model
from django.db import connection

from reporting.models import State
from reporting.roles import ensure_groups
from reports.management.commands.load_real_data import load_all
from strategy.models import Membership, Organisation

from bench.server import Gunicorn

from . import reporting
from .services import needs, production_env

pytestmark = pytest.mark.django_db(transaction=True)
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
PASSWORD = "ett-riktigt-långt-lösenord-2025"


def redis_available():
    import redis

    try:
        client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
        client.flushdb()  # a database of its own for this test
        return True
    except redis.exceptions.RedisError:
        return False


class Browser:
    """One visitor with one cookie jar, talking to either server (as a browser does, ports share cookies)."""

    def __init__(self):
        self.cookies = {}

    def request(self, server, method, path, data=None):
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
        origin = f"https://127.0.0.1:{server.port}"
        headers = {
            # The trusted proxy (this machine) says the client came over https.
            "X-Forwarded-Proto": "https",
            "Host": f"127.0.0.1:{server.port}",
            "Origin": origin,
            "Referer": origin + path,
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urlencode(data)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            for header in response.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(header).items():
                    self.cookies[name] = morsel.value
            return response.status, response.read().decode(), response.getheader("Location", "")
        finally:
            conn.close()

    def csrf(self, html):
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)[1]

    def log_in(self, server, username, password):
        status, html, _ = self.request(server, "GET", "/admin/login/")
        assert status == 200, html[:500]
        return self.request(
            server, "POST", "/admin/login/",
            {"csrfmiddlewaretoken": self.csrf(html), "username": username, "password": password, "next": "/rapportering/"},
        )


@pytest.fixture
def servers(tmp_path):
    needs(connection.vendor == "postgresql", "Två servrar behöver PostgreSQL (DATABASE_URL).")
    needs(redis_available(), f"Två servrar behöver Redis på {REDIS_URL} (apt-get install redis-server).")
    load_all()
    ensure_groups()
    db = connection.settings_dict
    env = production_env(
        tmp_path,
        database_url=f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        CACHE_BACKEND="django.core.cache.backends.redis.RedisCache",
        CACHE_LOCATION=REDIS_URL,
    )
    with Gunicorn(env) as first, Gunicorn(env) as second:
        yield first, second


def test_it_serves_one_site_from_two_servers(servers, settings):
    first, second = servers
    # Stored with the production hasher (the tests' fast MD5 is not one the servers accept).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    coordinator = get_user_model().objects.create_user("samordnare-a", "a@example.org", PASSWORD, is_staff=True)
    other = get_user_model().objects.create_user("samordnare-b", "b@example.org", PASSWORD, is_staff=True)
    for user in (coordinator, other):
        user.groups.add(ensure_groups()[0])
        Membership.objects.create(user=user, organisation=Organisation.objects.get(slug="lansstyrelsen"))
    reporting.open_round()
    report = reporting.status_report(number="2.10", state=State.SUBMITTED, text="Godkänd genom den andra servern.")
    goal = f"/mal/{report.commitment.goal.number}/"

    # Both servers cache the goal page (in the shared Redis and in their workers' memory).
    visitor = Browser()
    for server in (first, second, first, second):
        status, page, _ = visitor.request(server, "GET", goal)
        assert status == 200 and "Godkänd genom den andra servern." not in page

    # Logged in on the first server, the session holds on the second.
    status, html, _ = visitor.log_in(first, "samordnare-a", PASSWORD)
    assert status == 302 and "sessionid" in visitor.cookies, re.findall(r'class="errornote"[^<]*|<p class="errornote">.*?</p>|errorlist.*?</ul>', html, re.S)
    status, desk, _ = visitor.request(second, "GET", "/rapportering/granskning/")
    assert status == 200 and "Logga ut" in desk

    # Approved through the second server, both serve the change at their next request.
    status, _, _ = visitor.request(
        second, "POST", f"/rapportering/granskning/statusrapport/{report.pk}/godkann/",
        {"csrfmiddlewaretoken": visitor.csrf(desk), "expected_version": report.version},
    )
    assert status == 302
    report.refresh_from_db()
    assert report.state == State.APPROVED
    for server in (first, second):
        status, page, _ = Browser().request(server, "GET", goal)
        assert status == 200 and "Godkänd genom den andra servern." in page, server.port

    # Five wrong passwords on one server lock the pair (user, address) on both.
    attacker = Browser()
    for _ in range(5):
        attacker.log_in(first, "samordnare-b", "fel-lösenord")
    status, html, _ = Browser().log_in(second, "samordnare-b", PASSWORD)
    assert status in (403, 429) or "låst" in html.lower(), (status, html[:300])
    assert "sessionid" not in attacker.cookies
