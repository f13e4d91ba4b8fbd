"""A bound on the API's uncached work, per machine, so that it cannot take every worker.

An API answer that is not in the cache is rendered from the database (tens to hundreds of
milliseconds for a large indicator), and anyone can make requests miss the cache: every change
of content starts a new page version, and the answers are kept per host and indicator. Without a
bound, a crawler or a script fetching every indicator's values occupied every gunicorn worker and
the cached pages, which cost a millisecond, waited seconds behind it.

So at most API_CONCURRENCY renders run at once on one machine (all workers and threads of all
app servers there); a request beyond that is answered 503 with Retry-After at once, before any SQL,
and the other workers stay free for the pages. Answers from the cache and 304s are not counted.
The slots are files locked with flock(): a lock is released when its holder finishes or dies, so
a killed worker never keeps a slot.
"""

import fcntl
import os
import random
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings


@contextmanager
def api_slot():
    """True while this request holds one of the machine's API_CONCURRENCY slots; False if all are taken."""
    directory = Path(settings.API_SLOT_DIR)
    directory.mkdir(parents=True, exist_ok=True)
    slots = max(1, settings.API_CONCURRENCY)
    # In random order, so that the requests do not all try slot 0 first.
    for number in random.sample(range(slots), slots):
        fd = os.open(directory / f"slot-{number}", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            continue
        try:
            yield True
        finally:
            os.close(fd)  # releases the lock
        return
    yield False
