"""/healthz for the load balancer: is this app server able to reach the database?

The check runs in a thread of its own with a deadline (HEALTHZ_TIMEOUT): a database that accepts
connections and never answers must give 503 within seconds, not hold the worker until gunicorn
kills it. The thread uses its own connection and closes it. While one check is still waiting,
the next answers 503 at once, so a hung database cannot pile up threads.
"""

import logging
import sys
import threading

from django.conf import settings
from django.db import InterfaceError, OperationalError, connections
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.views.defaults import server_error as django_server_error
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)

_running = threading.Lock()


def database_answers(alias, timeout):
    """True if `alias` answers SELECT 1 within `timeout` seconds."""
    if not _running.acquire(blocking=False):
        return False  # the previous check is still waiting for the database
    outcome = {}

    def check():
        try:
            connection = connections[alias]
            try:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT 1")
                    outcome["ok"] = cursor.fetchone() == (1,)
            finally:
                connection.close()
        except Exception as exc:  # noqa: BLE001 - any failure means "not healthy"
            outcome["error"] = exc
        finally:
            _running.release()

    thread = threading.Thread(target=check, name="healthz", daemon=True)
    thread.start()
    thread.join(timeout)
    if thread.is_alive():
        logger.error("Hälsokontroll: databasen svarade inte inom %s s", timeout)  # sv-only: the log, for operators
        return False
    if "error" in outcome:
        logger.error("Hälsokontroll: databasen svarar inte: %r", outcome["error"])  # sv-only: the log, for operators
    return outcome.get("ok", False)


@never_cache
@require_safe
def healthz(request):
    if not database_answers(settings.HEALTHZ_DATABASE, settings.HEALTHZ_TIMEOUT):
        # 503 takes this server out of the load balancer's rotation until the database answers again.
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok"})


# Seconds a client is asked to wait before trying again when the database cannot be reached.
RETRY_AFTER_SECONDS = 30


def server_error(request):
    """handler500: Django's 500 page, but 503 with Retry-After when the database cannot be reached.

    A hung or unreachable database is a temporary outage, not a fault in the page: the reader (and
    a crawler, and the load balancer) is told to come back. Rendered without the database, like 500.html.
    """
    if isinstance(sys.exc_info()[1], (OperationalError, InterfaceError)):
        response = HttpResponse(loader.get_template("503.html").render(), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return django_server_error(request)
