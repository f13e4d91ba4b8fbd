"""In-process measurements of the public pages through Django's full request stack."""

import gzip
import statistics
import time
from html.parser import HTMLParser

from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Q
from django.test import Client
from django.test.utils import CaptureQueriesContext

from indicators.models import Indicator
from reporting.models import State

# The public page types; {slug} is filled with the indicator that has the most values.
PAGES = ["/", "/mal/1/", "/indikatorer/{slug}/", "/lagesrapport/2024/"]
# The downloads, measured apart (bench.__main__.measure_downloads): written once per page version.
DOWNLOADS = ["/data/values.csv", "/data/values.xlsx", "/indikatorer/{slug}/data.csv", "/indikatorer/{slug}/data.xlsx"]
REPORT_PAGE = "/lagesrapport/2024/"


def busiest_indicator_slug():
    """The active indicator with the most approved values: the heaviest indicator page."""
    indicator = (
        Indicator.objects.active()
        .annotate(n=Count("series__values", filter=Q(series__values__state=State.APPROVED)))
        .order_by("-n", "code")
        .first()
    )
    return indicator.slug if indicator else "saknas"


def page_paths(pages=PAGES):
    slug = busiest_indicator_slug()
    return [p.format(slug=slug) for p in pages]


def fetch(client, path):
    """(status, body) with the whole body read, streamed or not."""
    response = client.get(path)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response.status_code, body


def count_queries(client, path):
    """SQL queries for one request with an empty cache: the work a page really does."""
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        status, _ = fetch(client, path)
    return status, len(queries.captured_queries)


def milliseconds(client, path, *, clear_cache=False):
    if clear_cache:
        cache.clear()
    start = time.perf_counter()
    status, _ = fetch(client, path)
    elapsed = (time.perf_counter() - start) * 1000
    if status != 200:
        raise RuntimeError(f"{path} svarade {status}")
    return elapsed


def median_ms(client, path, repeat, *, clear_cache=False, budget_seconds=4.0):
    """Median of `repeat` requests, or of as many as fit in the time budget (at least three).

    The budget keeps the bench short when a page is slow; a fast page gets all its repeats.
    """
    times = []
    deadline = time.perf_counter() + budget_seconds
    while len(times) < repeat and (len(times) < 3 or time.perf_counter() < deadline):
        times.append(milliseconds(client, path, clear_cache=clear_cache))
    return statistics.median(times)


class PageAssets(HTMLParser):
    """The stylesheets and scripts a page makes the browser load (plotly.js counted too: the worst case, a reader who asks for an interactive chart)."""

    def __init__(self):
        super().__init__()
        self.urls = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link" and "stylesheet" in (attrs.get("rel") or "").split() and attrs.get("href"):
            self.urls.append(attrs["href"])
        elif tag == "script" and attrs.get("src"):
            self.urls.append(attrs["src"])
            if attrs.get("data-plotly"):
                # charts.js loads plotly.js when a reader asks for an interactive chart.
                self.urls.append(attrs["data-plotly"])


def transfer_sizes(client, path):
    """[(url, status, bytes, gzipped bytes)] for the page and everything it loads."""
    status, html = fetch(client, path)
    sizes = [(path, status, len(html), len(gzip.compress(html, 6)))]
    if status != 200:
        return sizes
    parser = PageAssets()
    parser.feed(html.decode("utf-8", "replace"))
    for url in dict.fromkeys(parser.urls):
        if not url.startswith("/") or url.startswith("//"):
            sizes.append((url, "extern", 0, 0))
            continue
        asset_status, body = fetch(client, url)
        sizes.append((url, asset_status, len(body), len(gzip.compress(body, 6))))
    return sizes


def new_client():
    # A new client builds a new handler, so whitenoise sees files written since the last one.
    # A page that fails answers 500 (and logs its traceback) instead of stopping the bench.
    return Client(raise_request_exception=False)
