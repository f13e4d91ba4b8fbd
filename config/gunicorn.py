"""Gunicorn settings for production: `gunicorn -c config/gunicorn.py config.wsgi`.

Everything can be tuned from the environment, so the same file serves a small
and a large machine.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", f"0.0.0.0:{os.environ.get('PORT', '8000')}")
# Synchronous workers: page views are short database reads. The usual rule of
# thumb (2 × cores + 1) unless WEB_CONCURRENCY says otherwise.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so that a slow leak never takes a server down, but not under
# normal load: a cached page costs about 1 ms, so 2000 requests recycled a worker every 1–2 s at
# full load (p99 800 ms instead of 25 ms). 200 000 is hours at a busy day's rate and minutes only
# at the bench's full throughput; the jitter (10 %) keeps the workers from restarting together.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "200000"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", str(max_requests // 10)))

# The TLS-terminating proxy in front sets X-Forwarded-Proto; trust it only from
# the addresses given (default: the proxy runs on the same machine).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")

# Access and error log to stdout, where the container or systemd collects them, as
# one JSON object per line like the application log (config/logging.py does the
# escaping, so a quote in a user agent cannot break a line).
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
# Path without the query string, which may carry search terms.
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms "%(a)s"'
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "config.logging.JsonFormatter"}},
    "handlers": {
        "stdout": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stdout"},
    },
    # Gunicorn merges this dict over its defaults key by key, so the root logger
    # must name a handler defined here.
    "root": {"handlers": ["stdout"], "level": loglevel.upper()},
    "loggers": {
        "gunicorn.error": {"handlers": ["stdout"], "level": loglevel.upper(), "propagate": False},
        "gunicorn.access": {"handlers": ["stdout"], "level": "INFO", "propagate": False},
    },
}
