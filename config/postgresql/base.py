"""Django's PostgreSQL backend, with a deadline on the health check of a reused connection.

A persistent connection (CONN_MAX_AGE) is checked with SELECT 1 at its first use in each request
(CONN_HEALTH_CHECKS). The TCP keepalive and user timeout (config/settings.py, POSTGRES_OPTIONS)
end a connection whose peer stops acknowledging, but a database server that hangs while its host
still acknowledges (a stopped process, a stuck disk, a proxy that stops forwarding) would keep that
SELECT 1 waiting until gunicorn kills the worker. So the check gets DB_HEALTH_CHECK_SECONDS: past
it, the connection is cut and the request fails at once with OperationalError (a 503 page,
config.health.server_error) instead of trying a new connection to the same hung server. Only the
check has the deadline: a long query of a live server is bounded by statement_timeout instead.
"""

import socket
import threading

from django.conf import settings
from django.db.backends.postgresql import base
from django.db.utils import OperationalError


class DatabaseWrapper(base.DatabaseWrapper):
    health_check_hung = False

    def is_usable(self):
        if self.connection is None:
            return False
        cut = _Cutter(self.connection.pgconn.socket)
        timer = threading.Timer(settings.DB_HEALTH_CHECK_SECONDS, cut)
        timer.daemon = True
        timer.start()
        try:
            usable = super().is_usable()
        finally:
            timer.cancel()
            hung = cut.done()
        self.health_check_hung = hung
        return usable and not hung

    def close_if_health_check_failed(self):
        super().close_if_health_check_failed()
        if self.health_check_hung:
            self.health_check_hung = False
            raise OperationalError(  # sv-only: a database error, for the log and the operators
                f"Databasen svarade inte på hälsokontrollen inom {settings.DB_HEALTH_CHECK_SECONDS} s."
            )


class _Cutter:
    """Shuts the connection's socket down once, unless the check finished first.

    shutdown() wakes libpq's wait with end-of-file, so psycopg raises OperationalError; the
    descriptor stays libpq's to close."""

    def __init__(self, fileno):
        self.fileno = fileno
        self.lock = threading.Lock()
        self.finished = False
        self.fired = False

    def __call__(self):
        with self.lock:
            if self.finished:
                return
            self.fired = True
            with socket.socket(fileno=socket.dup(self.fileno)) as sock:
                sock.shutdown(socket.SHUT_RDWR)

    def done(self):
        """Mark the check finished; True if the socket had been cut."""
        with self.lock:
            self.finished = True
            return self.fired
