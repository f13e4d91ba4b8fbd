"""Shared pieces for browser tests (import from a test module; not a conftest).

    from tests.browser_support import browser, load_real_data, open_page  # noqa: F401 (fixtures)

`browser` is Chromium from /usr/bin/chromium; without it the test is skipped,
unless REQUIRE_BROWSER=1, when it fails. live_server tests flush the database,
so `load_real_data` loads the real data inside the test.
"""

import os
import shutil
from urllib.parse import urlsplit

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def chromium_or_skip():
    if os.path.exists(CHROMIUM) or shutil.which("chromium"):
        return
    message = f"Chromium saknas ({CHROMIUM}); installera paketet chromium för webbläsartesterna."
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def browser():
    chromium_or_skip()
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop running in the test thread; Django would
    # then refuse the test's own (synchronous) database calls. Allowed only while the
    # browser runs (browser tests run last), so that no other test or subprocess inherits it.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def load_real_data(live_server):
    from reports.management.commands.load_real_data import load_all
    from reporting.roles import ensure_groups

    load_all()
    ensure_groups()
    return live_server


class Visit:
    """A page that records console errors, page errors and requests leaving the live server."""

    def __init__(self, browser, base_url, viewport=None):
        self.context = browser.new_context(**({"viewport": viewport} if viewport else {}))
        self.page = self.context.new_page()
        self.host = urlsplit(base_url).hostname
        self.errors = []
        self.external_requests = []
        self.requests = []
        self.page.on("console", lambda msg: msg.type == "error" and self.errors.append(msg.text))
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        self.page.on("request", self._request)

    def _request(self, request):
        self.requests.append(request.url)
        host = urlsplit(request.url).hostname
        if request.url.startswith(("data:", "blob:", "about:")):
            return
        if host not in (self.host, "127.0.0.1", "localhost"):
            self.external_requests.append(request.url)

    def close(self):
        self.context.close()


@pytest.fixture
def open_page(browser, load_real_data):
    visits = []

    def open_(path, viewport=None):
        visit = Visit(browser, load_real_data.url, viewport)
        visits.append(visit)
        visit.page.goto(load_real_data.url + path)
        visit.page.wait_for_load_state("networkidle")
        return visit

    yield open_
    for visit in visits:
        visit.close()


def axe_violations(page):
    """axe-core's WCAG 2.1 A/AA violations on the page, as a readable report ("" when none)."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    return results.generate_report() if results.violations_count else ""


def tab_through(page, limit=400):
    """Press Tab until focus wraps; returns a description of every element that got focus."""
    reached = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        described = page.evaluate(
            """() => { const e = document.activeElement;
                 if (!e || e === document.body) return null;
                 return e.tagName.toLowerCase() + '|' + (e.getAttribute('href') || e.getAttribute('name') || '')
                        + '|' + (e.value || '') + '|' + (e.textContent || '').trim().slice(0, 60); }"""
        )
        if described is None or (reached and described == reached[0]):
            break
        reached.append(described)
    return reached


def focusable_controls(page):
    """The links, form controls and buttons a keyboard user must be able to reach."""
    return page.evaluate(
        """() => Array.from(document.querySelectorAll('a[href], input:not([type=hidden]), button, select, textarea'))
             .filter(e => !e.disabled && !e.hidden && e.offsetParent !== null && !e.closest('.modebar'))
             .map(e => e.tagName.toLowerCase() + '|' + (e.getAttribute('href') || e.getAttribute('name') || '')
                       + '|' + (e.value || '') + '|' + (e.textContent || '').trim().slice(0, 60))"""
    )
