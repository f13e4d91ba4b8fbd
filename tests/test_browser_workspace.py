"""End to end in Chromium with a real SMTP server: a round opens, Polisen reports from its workspace, the desk returns and approves.

The SMTP server is aiosmtpd on localhost, started by the test; the site queues
its mails and the background worker (run by the test, tests/worker.py) sends them
through Django's SMTP backend to it, as in production.
"""

import datetime
import email
import email.policy
import socket
import threading
import time

import pytest
from django.core.management import call_command
from django.db import connections

from indicators.models import Indicator
from strategy.models import Organisation

from .browser_support import axe_violations, chromium_or_skip, focusable_controls, tab_through
from .test_browser_reporting import in_own_browser
from .worker import run_worker

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

INDICATOR = "5.I4"  # made Polisen's for the test (Polisen is responsible for no indicator in the real data); one series, one value to enter
FIRST_TEXT = "Polisen och Åklagarmyndigheten har tagit fram en gemensam rutin för kontaktförbud."
FIXED_TEXT = "Polisen och Åklagarmyndigheten har infört en gemensam rutin för kontaktförbud i hela regionen."
COMMENT = "Skriv om rutinen är införd eller bara framtagen."
NARROW = {"width": 320, "height": 800}


class Sink:
    """An aiosmtpd handler keeping every message it receives."""

    def __init__(self):
        self.messages = []
        self.before_poll = lambda: None

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.original_content or envelope.content, policy=email.policy.default)
        self.messages.append((envelope.rcpt_tos, message["Subject"], message.get_body().get_content()))
        return "250 OK"

    def wait_for(self, to, subject_part, timeout=10):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.before_poll()
            for rcpt, subject, body in self.messages:
                if to in rcpt and subject_part in subject:
                    return subject, body
            time.sleep(0.1)
        raise AssertionError(f"Inget mejl till {to} med {subject_part!r}; fick {[(r, s) for r, s, _ in self.messages]}")


@pytest.fixture
def smtp_server(settings):
    from aiosmtpd.controller import Controller

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", port, False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    yield sink
    controller.stop()


@pytest.fixture
def workspace_setup(settings, request, smtp_server):
    chromium_or_skip()
    live = request.getfixturevalue("load_real_data")
    settings.DEBUG, settings.DEMO_MODE = True, True
    settings.SITE_URL = live.url
    call_command("create_demo_accounts")
    # The site queues its mails for the background worker: the test is the worker, run while it waits for a mail.
    smtp_server.before_poll = run_worker_in_thread
    Indicator.objects.filter(code=INDICATOR).update(responsible=Organisation.objects.get(slug="polisen"))
    return live.url, smtp_server


def run_worker_in_thread():
    """The worker beside the browser's thread, whose Playwright event loop forbids database calls."""
    failure = []

    def run():
        try:
            run_worker()
        except BaseException as exc:  # re-raised in the caller's thread
            failure.append(exc)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if failure:
        raise failure[0]


def log_in(browser, base_url, username, viewport=None):
    context = browser.new_context(viewport=viewport) if viewport else browser.new_context()
    page = context.new_page()
    page.goto(f"{base_url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "demo")
    go(page, "input[type=submit]")
    return page


def go(page, selector, locator=None):
    """Click what submits a form or follows a link, and wait for the next page."""
    with page.expect_navigation():
        (locator or page.locator(selector)).click()


def no_horizontal_scroll(page):
    """True, or the elements that stick out to the right (for the failure message)."""
    fits = page.evaluate("() => document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    return fits or page.evaluate(WIDE_JS)


WIDE_JS = """() => Array.from(document.querySelectorAll('body *'))
  .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
  .filter(e => !e.parentElement.closest('.table-wrap'))  // a table scrolls in its own box
  .slice(0, 8).map(e => e.tagName.toLowerCase() + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))"""


def test_it_runs_a_round_from_the_workspace_and_the_review_desk_with_mail(workspace_setup):
    base_url, smtp = workspace_setup
    in_own_browser(lambda browser: scenario(browser, base_url, smtp))


def scenario(browser, base_url, smtp):
    # The coordinator creates round 2025 with a deadline and opens it.
    coordinator = log_in(browser, base_url, "samordnare")
    coordinator.goto(f"{base_url}/admin/reporting/reportinground/add/")
    coordinator.fill("#id_year", "2025")
    coordinator.fill("#id_deadline", "2026-03-01")
    go(coordinator, "input[name=_save]")
    coordinator.locator("tr:has-text('2025') input[name=_selected_action]").check()
    coordinator.select_option("select[name=action]", "open_rounds")
    go(coordinator, "button[name=index]")
    assert "1 rapporteringsomgång öppnad: 2025." in coordinator.content()
    subject, body = smtp.wait_for("polisen@example.org", "Rapporteringen 2025 har öppnat")
    assert "1 mars 2026" in subject and f"{base_url}/rapportering/" in body

    # Polisen lands on its workspace and reports commitment 1.6 and a value, submitting both from there.
    police = log_in(browser, base_url, "polisen", viewport=NARROW)
    assert police.url == f"{base_url}/rapportering/"
    assert "0 av 2 klara" in police.locator("#progress").inner_text()
    assert no_horizontal_scroll(police) is True
    assert axe_violations(police) == ""
    go(police, "a:has-text('Åtagande 1.6')")
    assert no_horizontal_scroll(police) is True
    assert axe_violations(police) == ""
    assert set(focusable_controls(police)) <= set(tab_through(police))  # every control by keyboard
    police.select_option("#id_category", "ongoing")
    police.fill("#id_text", FIRST_TEXT)
    go(police, "button:text-is('Skicka in')")
    assert police.url == f"{base_url}/rapportering/"
    assert "1 av 2 klara" in police.locator("#progress").inner_text()
    go(police, f"a:has-text('Indikator {INDICATOR}')")
    assert no_horizontal_scroll(police) is True
    assert axe_violations(police) == ""
    cell = police.locator("input[name$='_2025']").first
    assert police.locator("input[name$='_2024']").first.get_attribute("readonly") is not None
    cell.fill("17")
    go(police, "button:has-text('Spara och skicka in 2025')")
    assert "2 av 2 klara" in police.locator("#progress").inner_text()

    # The coordinator returns the commitment from the review desk, with a comment; the reporters are mailed.
    coordinator.set_viewport_size(NARROW)
    coordinator.goto(f"{base_url}/rapportering/granskning/")
    assert no_horizontal_scroll(coordinator) is True
    assert axe_violations(coordinator) == ""
    item = coordinator.locator("article.review-item", has_text="åtagande 1.6")
    assert FIRST_TEXT in item.inner_text()
    item.locator("summary").click()  # the return form opens from "Skicka tillbaka …"
    item.locator("textarea").fill(COMMENT)
    go(coordinator, None, item.locator("button:has-text('Skicka tillbaka med kommentar')"))
    subject, body = smtp.wait_for("polisen@example.org", "Återskickad med kommentar")
    assert COMMENT in body and "/rapportering/2025/atagande/" in body

    # Polisen sees the comment, fixes the text and submits in one click.
    police.goto(f"{base_url}/rapportering/")
    assert COMMENT in police.content()
    go(police, "a:has-text('Åtagande 1.6')")
    assert COMMENT in police.locator("#reviewer-comment").inner_text()
    police.fill("#id_text", FIXED_TEXT)
    go(police, "button:text-is('Skicka in')")
    assert "inskickat" in police.content()

    # The coordinator approves it and the value; the public goal page shows the report.
    coordinator.goto(f"{base_url}/rapportering/granskning/")
    item = coordinator.locator("article.review-item", has_text="åtagande 1.6")
    assert FIXED_TEXT in item.inner_text()
    go(coordinator, None, item.locator("button.primary:has-text('Godkänn')"))
    # The value is a row of its indicator's table.
    assert coordinator.locator("h3", has_text=INDICATOR).count() == 1
    go(coordinator, None, coordinator.locator("table.desk-values button.primary:has-text('Godkänn')"))
    assert "Inget väntar på granskning" in coordinator.content()
    coordinator.goto(f"{base_url}/rapportering/rapporteringslage/2025/")
    assert no_horizontal_scroll(coordinator) is True
    assert axe_violations(coordinator) == ""

    public = browser.new_context().new_page()
    public.goto(f"{base_url}/mal/1/")
    assert FIXED_TEXT in public.content()
