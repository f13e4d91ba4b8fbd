"""Requests per second under gunicorn, started as in production (config/gunicorn.py)."""

import http.client
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
WORKERS = 2


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(port, path, timeout=10):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


class Gunicorn:
    """gunicorn -c config/gunicorn.py config.wsgi on a free port, for a `with` block.

    With keep_output the log lines (stdout) are kept in `output` after the block;
    the bench throws them away.
    """

    def __init__(self, env, keep_output=False, workers=WORKERS):
        self.port = free_port()
        self.env = dict(env, WEB_CONCURRENCY=str(workers), GUNICORN_BIND=f"127.0.0.1:{self.port}")
        self.keep_output = keep_output
        self.output = ""
        self.process = None

    def __enter__(self):
        gunicorn = Path(sys.executable).parent / "gunicorn"
        # Files, not pipes: nobody reads a pipe while the server runs, and once one is full (64 KB of
        # log lines) every worker blocks on its next write.
        self.stderr = tempfile.TemporaryFile()
        self.stdout = tempfile.TemporaryFile() if self.keep_output else subprocess.DEVNULL
        self.process = subprocess.Popen(
            [str(gunicorn), "-c", "config/gunicorn.py", "config.wsgi"],
            cwd=BASE_DIR, env=self.env, stderr=self.stderr, stdout=self.stdout,
        )
        deadline = time.monotonic() + 30
        last = "ingen anslutning"
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self.stderr.seek(0)
                raise RuntimeError("gunicorn startade inte: " + self.stderr.read().decode()[-2000:])
            try:
                status = get(self.port, "/healthz", timeout=2)[0]
                if status == 200:
                    return self
                last = f"HTTP {status}"
            except OSError:
                pass
            time.sleep(0.2)
        self.__exit__()
        raise RuntimeError(f"gunicorn svarade inte 200 på /healthz inom 30 s ({last})")

    def __exit__(self, *exc):
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        if self.keep_output:
            self.stdout.seek(0)
            self.output = self.stdout.read().decode()
            self.stdout.close()
        self.stderr.close()


# wrk script: every request gets its own random query string (a cache buster).
RANDOM_QUERY_LUA = """
request = function()
  return wrk.format("GET", wrk.path .. "?r=" .. math.random(1, 1000000000) .. "&utm_source=bench")
end
"""


def random_query(path):
    return f"{path}?r={random.getrandbits(40):x}&utm_source=bench"


def with_wrk(port, path, seconds, connections, randomise=False):
    script = []
    if randomise:
        lua = tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False)
        lua.write(RANDOM_QUERY_LUA)
        lua.close()
        script = ["-s", lua.name]
    out = subprocess.run(
        # A long timeout: a slow page must count as slow, not drop out as a timeout.
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "20s", *script,
         f"http://127.0.0.1:{port}{path}"],
        capture_output=True, text=True, check=True,
    ).stdout
    if script:
        Path(script[1]).unlink()
    rate = float(re.search(r"Requests/sec:\s*([\d.]+)", out).group(1))
    bad = re.search(r"Non-2xx or 3xx responses:\s*(\d+)", out)
    timeouts = re.search(r"timeout (\d+)", out)
    return rate, (int(bad.group(1)) if bad else 0) + (int(timeouts.group(1)) if timeouts else 0)


def with_threads(port, path, seconds, connections, randomise=False):
    """A small load generator for machines without wrk: one connection per thread, reopened when closed."""
    done, errors = [0] * connections, [0] * connections
    deadline = time.monotonic() + seconds

    def worker(i):
        conn = None
        while time.monotonic() < deadline:
            try:
                if conn is None:
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                conn.request("GET", random_query(path) if randomise else path)
                response = conn.getresponse()
                response.read()
                if response.status == 200:
                    done[i] += 1
                else:
                    errors[i] += 1
                if response.will_close:
                    conn.close()
                    conn = None
            except OSError:
                errors[i] += 1
                conn = None
        if conn is not None:
            conn.close()

    start = time.monotonic()
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(done) / (time.monotonic() - start), sum(errors)


def requests_per_second(port, path, seconds=5, connections=8, randomise=False):
    """(requests/s, failed requests, tool); with randomise, every request has a random query string."""
    if shutil.which("wrk"):
        return (*with_wrk(port, path, seconds, connections, randomise), "wrk")
    return (*with_threads(port, path, seconds, connections, randomise), "python")



def latencies(port, paths, seconds):
    """Milliseconds of each request, one after the other, taking `paths` in turn; and the failures."""
    times, failed = [], 0
    deadline = time.monotonic() + seconds
    i = 0
    while time.monotonic() < deadline:
        path = paths[i % len(paths)]
        i += 1
        start = time.perf_counter()
        try:
            status, _ = get(port, path, timeout=30)
        except OSError:
            failed += 1
            continue
        if status != 200:
            failed += 1
            continue
        times.append((time.perf_counter() - start) * 1000)
    return times, failed


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def _uncached_load(port, paths, connections, polite, stop, results):
    """Requests from `connections` threads, each to a path of `paths`; after each answer its copy is
    removed from the servers' shared cache (the file cache this process is configured with too), so
    that none is answered from the cache: the API caches per path and page version, and a client has
    no other way to make it miss. A `polite` client waits as a 503's Retry-After asks; the others ask
    again at once. Runs until `stop` is set, then puts {status: count} on `results`."""
    from django.core.cache import cache

    from reports.opendata import api_cache_key

    tally = [{} for _ in range(connections)]

    def worker(i):
        while not stop.is_set():
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            wait = 0
            try:
                path = random.choice(paths)
                conn.request("GET", path)
                response = conn.getresponse()
                response.read()  # as a client does (the proxy in production reads it at once)
                status = str(response.status)
                if response.status == 200:
                    cache.delete(api_cache_key(path, response.getheader("ETag")))
                if polite and response.status == 503:
                    wait = float(response.getheader("Retry-After") or 1)
            except OSError:
                status = "error"
            finally:
                conn.close()
            tally[i][status] = tally[i].get(status, 0) + 1
            stop.wait(wait)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    counts = {}
    for part in tally:
        for status, n in part.items():
            counts[status] = counts.get(status, 0) + n
    results.put(counts)


class UncachedLoad:
    """`_uncached_load` in a process of its own (so that it does not share the measuring process's
    interpreter lock), for a `with` block; `rates` afterwards: requests per second by status."""

    def __init__(self, port, paths, connections=16, polite=True):
        import multiprocessing

        context = multiprocessing.get_context("fork")
        self.stop, self.results = context.Event(), context.Queue()
        self.process = context.Process(
            target=_uncached_load, args=(port, paths, connections, polite, self.stop, self.results)
        )
        self.rates = {}

    def __enter__(self):
        self.started = time.monotonic()
        self.process.start()
        time.sleep(1)  # let it reach full load before anything is measured
        return self

    def __exit__(self, *exc):
        self.stop.set()
        counts = self.results.get(timeout=60)
        seconds = time.monotonic() - self.started
        self.process.join(10)
        self.rates = {status: n / seconds for status, n in counts.items()}
