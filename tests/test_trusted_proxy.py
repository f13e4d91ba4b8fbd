"""Forwarded headers count only from the configured proxy: nobody can aim a lockout or fake https."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from config.proxy import client_ip

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.2"
LOGIN = "/admin/login/?next=/admin/"
PASSWORD = "korrekt-hast-batteri-häfta"


@pytest.fixture
def samordnare(make_user):
    user = make_user("samordnare", "lansstyrelsen", "samordnare")
    user.set_password(PASSWORD)
    user.save()
    return user


@pytest.fixture
def axes_on(settings):
    settings.AXES_ENABLED = True
    return settings


def attempt(client, password, **headers):
    return client.post(LOGIN, {"username": "samordnare", "password": password, "next": "/admin/"}, **headers)


def test_it_does_not_let_a_spoofed_address_behind_the_proxy_lock_out_the_coordinator(client, samordnare, axes_on):
    axes_on.TRUSTED_PROXIES = [PROXY]
    # The attacker claims 192.0.2.7; the proxy appends the address it really saw.
    for _ in range(5):
        attempt(client, "fel-lösenord", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="192.0.2.7, 203.0.113.66")
    # The attacker's own address is locked...
    assert attempt(client, PASSWORD, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.66").status_code == 429
    # ...the real coordinator, from her own address through the same proxy, is not.
    response = attempt(client, PASSWORD, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.20")
    assert response.status_code == 302 and client.session["_auth_user_id"] == str(samordnare.pk)


def test_it_ignores_forwarded_for_on_a_direct_connection(client, samordnare, axes_on):
    axes_on.TRUSTED_PROXIES = []
    # Without a proxy the header is the client's claim: it cannot move a lockout onto someone else.
    for _ in range(5):
        attempt(client, "fel-lösenord", REMOTE_ADDR="203.0.113.66", HTTP_X_FORWARDED_FOR="198.51.100.20")
    assert attempt(client, PASSWORD, REMOTE_ADDR="203.0.113.66").status_code == 429
    response = attempt(client, PASSWORD, REMOTE_ADDR="198.51.100.20")
    assert response.status_code == 302


def test_it_reads_the_client_address_only_from_a_trusted_proxy(rf, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/24"]
    assert client_ip(rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.1.1.1, 203.0.113.66")) == "203.0.113.66"
    # Two proxies of ours in the chain: the address the outer one saw.
    assert client_ip(rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.66, 10.0.0.3")) == "203.0.113.66"
    assert client_ip(rf.get("/", REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR="203.0.113.66")) == "192.0.2.1"
    assert client_ip(rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="nonsense")) == "10.0.0.2"


def test_it_trusts_x_forwarded_proto_only_from_the_proxy(client, settings):
    settings.TRUSTED_PROXIES = [PROXY]
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_SSL_REDIRECT = True
    # From anyone else the header is dropped: plain http, so the site redirects to https.
    assert client.get("/", REMOTE_ADDR="203.0.113.66", HTTP_X_FORWARDED_PROTO="https").status_code == 301
    assert client.get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_PROTO="https").status_code == 200


def test_it_refuses_to_start_with_a_malformed_proxy_address(tmp_path):
    """Checked once, when the settings load: a deploy with a typo fails at once, naming the entry."""
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "DJANGO_SETTINGS_MODULE"}}
    env.update(DJANGO_SETTINGS_MODULE="config.settings", DEBUG="1", TRUSTED_PROXIES="10.0.0.2, 10.0.0.300",
               DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=Path(__file__).resolve().parent.parent, env=env,
                            capture_output=True, text=True)
    assert result.returncode != 0
    assert "TRUSTED_PROXIES: '10.0.0.300' är ingen adress eller inget nät" in result.stderr
