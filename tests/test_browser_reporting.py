"""End to end in Chromium: a reporter reports, the coordinator returns, the reporter fixes, the coordinator approves, the public sees it."""

import datetime
import threading

import pytest
from django.core.management import call_command

from actions.models import Commitment, StatusReport
from reporting.models import ReportingRound
from strategy.models import Organisation

from .browser_support import CHROMIUM, CHROMIUM_ARGS, chromium_or_skip

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FIRST_TEXT = "Kriminalvården har utbildat all frivårdspersonal i våldsprevention."
FIXED_TEXT = "Kriminalvården har utbildat 240 av 250 medarbetare i frivården i våldsprevention."
COMMENT = "Ange hur många medarbetare som har utbildats."


@pytest.fixture
def reporting_setup(settings, request):
    chromium_or_skip()  # before loading the data, which takes a while
    live = request.getfixturevalue("load_real_data")
    settings.DEBUG, settings.DEMO_MODE = True, True
    call_command("create_demo_accounts")
    ReportingRound.objects.create(year=2025, deadline=datetime.date(2026, 3, 1), is_open=True)
    # An empty draft to open in the admin (the workspace, tested in test_browser_workspace.py, creates it itself).
    StatusReport.objects.create(
        commitment=Commitment.objects.get(plan__kind="regional", number="2.10"),
        organisation=Organisation.objects.get(slug="kriminalvarden"),
        year=2025,
    )
    return live.url


def log_in(browser, base_url, username):
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{base_url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "demo")
    with page.expect_navigation():
        page.click("input[type=submit]")
    # A reporter lands on the workspace (tests/test_browser_workspace.py); this test goes through the admin.
    page.goto(f"{base_url}/admin/")
    return page


def open_report(page, base_url):
    page.goto(f"{base_url}/admin/actions/statusreport/?year=2025")
    with page.expect_navigation():
        page.click("#result_list a:has-text('2.10')")


def review(page, transition, text=None):
    form = page.locator(f"form.review-action:has(input[value='{transition}'])")
    if text is not None:
        form.locator("textarea").fill(text)
    form.locator("input[type=submit]").click()
    page.wait_for_load_state()


def save_and_submit(page):
    """The change form's one button that saves and submits for review."""
    with page.expect_navigation():
        page.click("input[name=_submit_for_review]")


def in_own_browser(scenario):
    """Run scenario(browser) in a thread of its own with its own Playwright.

    The shared session `browser` fixture keeps Playwright's event loop running
    in the test thread, and a second module importing that fixture would start
    a second one there, which Playwright refuses; a thread of our own has no
    loop, whatever ran before. The live server does the database work.
    """
    from playwright.sync_api import sync_playwright

    failure = []

    def run():
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                try:
                    scenario(browser)
                finally:
                    browser.close()
        except BaseException as exc:  # re-raised in the test thread
            failure.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if failure:
        raise failure[0]


def test_it_runs_a_reporting_round_end_to_end(reporting_setup):
    in_own_browser(lambda browser: reporting_round_scenario(browser, reporting_setup))


def reporting_round_scenario(browser, base_url):
    reporter = log_in(browser, base_url, "kriminalvarden")
    assert "Att rapportera 2025" in reporter.content()
    open_report(reporter, base_url)
    reporter.select_option("#id_category", "ongoing")
    reporter.fill("#id_text", FIRST_TEXT)
    save_and_submit(reporter)
    open_report(reporter, base_url)
    assert "Inskickad" in reporter.locator("#review-status").inner_text()

    coordinator = log_in(browser, base_url, "samordnare")
    open_report(coordinator, base_url)
    review(coordinator, "return", COMMENT)
    assert "Återskickad" in coordinator.locator("#review-status").inner_text()

    open_report(reporter, base_url)
    assert COMMENT in reporter.locator("#reviewer-comment").inner_text()
    # Edited and submitted in one click: what is submitted is what the form holds.
    reporter.select_option("#id_category", "done")
    reporter.fill("#id_text", FIXED_TEXT)
    save_and_submit(reporter)

    assert FIXED_TEXT not in coordinator.goto(f"{base_url}/mal/2/").text()
    open_report(coordinator, base_url)
    assert "Inskickad" in coordinator.locator("#review-status").inner_text()
    assert coordinator.locator("#id_text").input_value() == FIXED_TEXT
    assert coordinator.locator("#id_category").input_value() == "done"
    review(coordinator, "approve")
    assert "Godkänd" in coordinator.locator("#review-status").inner_text()

    public = browser.new_context().new_page()
    public.goto(f"{base_url}/mal/2/")
    assert FIXED_TEXT in public.content()
