"""Log records as one JSON object per line, for a log collector.

A format string that merely looks like JSON breaks as soon as a message
contains a quote or a newline (a traceback always does); json.dumps escapes
both, so every line stays parseable.
"""

import json
import logging
from datetime import datetime, timezone


class JsonFormatter(logging.Formatter):
    def format(self, record):
        entry = {
            "time": datetime.fromtimestamp(record.created, tz=timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        # django.request and django.security attach the request; the path tells
        # which page failed. Never the query string or body: they may hold personal data.
        request = getattr(record, "request", None)
        path = getattr(request, "path", None)
        if path:
            entry["path"] = path
            entry["method"] = getattr(request, "method", "")
        status_code = getattr(record, "status_code", None)
        if status_code is not None:
            entry["status"] = status_code
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)
