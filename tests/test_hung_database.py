"""A request on a reused connection to a database that hangs gets a 503 page within 5 s, not a worker
blocked until gunicorn kills it.

The real thing: gunicorn with the production settings, its persistent connection (CONN_MAX_AGE)
to PostgreSQL running through a TCP proxy in the test. The proxy then stops forwarding without
closing anything, so the database host still acknowledges every packet (TCP keepalive cannot tell)
and the connection simply never answers. PostgreSQL only; CI sets REQUIRE_SERVICES=1, so there it
must run.
"""

import http.client
import selectors
import socket
import threading
import time

import pytest
from django.db import OperationalError, connection
from django.test import Client

from bench.server import Gunicorn

from .services import needs, production_env



class PausableProxy:
    """127.0.0.1:<port> → PostgreSQL. pause() stops forwarding in both directions and keeps every socket
    open: to the app server the database hangs, with its host alive."""

    def __init__(self, host, port):
        self.upstream = (host, port)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.settimeout(0.1)
        self.port = self.listener.getsockname()[1]
        self.forwarding = threading.Event()
        self.forwarding.set()
        self.stopped = threading.Event()
        self.accepted = 0
        self.sockets = []
        self.threads = [threading.Thread(target=self._accept, daemon=True)]

    def __enter__(self):
        self.threads[0].start()
        return self

    def __exit__(self, *exc):
        self.stopped.set()
        self.forwarding.set()
        for thread in self.threads:
            thread.join(5)
        for sock in self.sockets + [self.listener]:
            sock.close()

    def pause(self):
        self.forwarding.clear()

    def resume(self):
        self.forwarding.set()

    def _accept(self):
        while not self.stopped.is_set():
            try:
                client, _ = self.listener.accept()
            except TimeoutError:
                continue
            # A hung server's host still completes the handshake of a new connection.
            self.accepted += 1
            server = socket.create_connection(self.upstream)
            self.sockets += [client, server]
            thread = threading.Thread(target=self._pump, args=(client, server), daemon=True)
            self.threads.append(thread)
            thread.start()

    def _pump(self, client, server):
        peer = {client: server, server: client}
        with selectors.DefaultSelector() as selector:
            for sock in peer:
                selector.register(sock, selectors.EVENT_READ)
            while not self.stopped.is_set():
                if not self.forwarding.wait(0.1):
                    continue  # paused: nothing is read, so nothing is answered
                for key, _ in selector.select(0.1):
                    try:
                        data = key.fileobj.recv(65536)
                        if data:
                            peer[key.fileobj].sendall(data)
                            continue
                    except OSError:
                        pass
                    client.close()
                    server.close()
                    return


def get(server, path):
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
    try:
        # The trusted proxy (this machine) says the reader came over https.
        conn.request("GET", path, headers={"Host": "127.0.0.1", "X-Forwarded-Proto": "https"})
        response = conn.getresponse()
        return response.status, response.read().decode(), response.getheader("Retry-After")
    finally:
        conn.close()


@pytest.fixture
def proxied_server(tmp_path, django_db_blocker):
    needs(connection.vendor == "postgresql", "Testet av en databas som hänger behöver PostgreSQL (DATABASE_URL).")
    db = connection.settings_dict
    with PausableProxy(db["HOST"] or "127.0.0.1", int(db["PORT"] or 5432)) as proxy:
        env = production_env(
            tmp_path,
            database_url=f"postgres://{db['USER']}@127.0.0.1:{proxy.port}/{db['NAME']}",
            CACHE_LOCATION=str(tmp_path / "cache"),
        )
        # One worker: the request after the pause must land where the connection was opened.
        with django_db_blocker.unblock(), Gunicorn(env, workers=1) as server:
            yield server, proxy


@pytest.mark.django_db(transaction=True)
def test_it_answers_503_within_5_seconds_when_the_reused_connections_database_hangs(proxied_server):
    server, proxy = proxied_server
    # A page that is not cached yet (its own search) reads the database; the connection stays open.
    status, _, _ = get(server, "/indikatorer/?q=forsta")
    assert status == 200
    opened = proxy.accepted

    proxy.pause()
    started = time.monotonic()
    status, page, retry_after = get(server, "/indikatorer/?q=andra")
    elapsed = time.monotonic() - started
    assert status == 503 and "når inte sin databas" in page and retry_after
    assert elapsed < 5, f"{elapsed:.1f} s"
    assert proxy.accepted == opened, "the request should have hung on the connection it reused"

    # The database answers again: the next request opens a fresh connection and gets its page.
    proxy.resume()
    status, _, _ = get(server, "/indikatorer/?q=tredje")
    assert status == 200


def test_it_answers_503_with_retry_after_when_the_database_cannot_be_reached(db, monkeypatch):
    from reports import views

    def unreachable(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(views, "goal_page", unreachable)
    response = Client(raise_request_exception=False).get("/mal/1/")
    assert response.status_code == 503 and response["Retry-After"] == "30"
    assert "Webbplatsen når inte sin databas för tillfället." in response.content.decode()


def test_it_answers_500_to_any_other_fault(db, monkeypatch):
    from reports import views

    def broken(*args, **kwargs):
        raise ValueError("ett fel i koden")

    monkeypatch.setattr(views, "goal_page", broken)
    response = Client(raise_request_exception=False).get("/mal/1/")
    assert response.status_code == 500 and "Retry-After" not in response
