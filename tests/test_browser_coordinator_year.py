"""The coordinator's year and a reporter's, in Chromium at 320 px with axe.

The coordinator opens the 2025 round from the year overview (the confirmation lists the mails);
a reporter who forgot the password resets it from the login page by mail; the reporter downloads
the template of its indicators, imports it filled in, and submits every draft at once.
"""

import csv
import datetime
import io
import re

import pytest
from django.core.management import call_command

from indicators.models import Value
from reporting.models import ReportingRound, State

from .browser_support import axe_violations, chromium_or_skip
from .test_browser_workspace import go, log_in, no_horizontal_scroll, run_worker_in_thread, smtp_server  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
NARROW = {"width": 320, "height": 800}


@pytest.fixture
def year_setup(settings, request, smtp_server):  # noqa: F811
    chromium_or_skip()
    live = request.getfixturevalue("load_real_data")
    settings.DEBUG, settings.DEMO_MODE = True, True
    settings.SITE_URL = live.url
    call_command("create_demo_accounts")
    smtp_server.before_poll = run_worker_in_thread  # the round's mails go through the background worker
    ReportingRound.objects.create(year=2025, opens_on=datetime.date(2026, 1, 15), deadline=datetime.date(2026, 3, 1))
    return live.url, smtp_server


def checked(page):
    assert axe_violations(page) == "", page.url
    assert no_horizontal_scroll(page) is True, page.url


def test_it_opens_a_round_from_the_overview_and_a_reporter_resets_its_password_imports_and_submits(browser, year_setup, tmp_path):
    base_url, smtp = year_setup
    coordinator = log_in(browser, base_url, "samordnare", viewport=NARROW)
    assert coordinator.url.endswith("/rapportering/")
    checked(coordinator)
    go(coordinator, "a", coordinator.get_by_role("link", name=re.compile("Öppna omgången")).first)
    assert "kriminalvarden@example.org" in coordinator.inner_text("main") or "Kriminalvården" in coordinator.inner_text("main")
    checked(coordinator)
    go(coordinator, "button", coordinator.get_by_role("button", name=re.compile("Ja, öppna")))
    assert ReportingRound.objects.get(year=2025).is_open
    smtp.wait_for("kriminalvarden@example.org", "Rapporteringen 2025 har öppnat")
    coordinator.context.close()

    # The reporter has forgotten the password: a one-time link by mail sets a new one.
    context = browser.new_context(viewport=NARROW)
    page = context.new_page()
    page.goto(f"{base_url}/admin/login/")
    go(page, "a", page.get_by_role("link", name="Glömt lösenord?"))
    checked(page)
    page.fill("input[name=email]", "kriminalvarden@example.org")
    go(page, "main button[type=submit], main input[type=submit]")  # not the language switch
    _subject, body = smtp.wait_for("kriminalvarden@example.org", "lösenord")
    link = re.search(r"https?://\S+/konto/aterstall/\S+/", body)[0]
    page.goto(link)
    page.wait_for_load_state("networkidle")
    new_password = "ett-nytt-långt-lösenord-2026"
    page.fill("input[name=new_password1]", new_password)
    page.fill("input[name=new_password2]", new_password)
    go(page, "main button[type=submit], main input[type=submit]")
    page.goto(f"{base_url}/admin/login/")
    page.fill("#id_username", "kriminalvarden")
    page.fill("#id_password", new_password)
    go(page, "input[type=submit]")
    assert page.url.endswith("/rapportering/")

    # The template of the organisation's indicators, filled in and imported from the workspace.
    with page.expect_download() as download:
        page.get_by_role("link", name="ladda ner en mall med era indikatorer").click()
    template = download.value.path().read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(template)))
    for row in rows:
        row["value"] = "7"
    upload = tmp_path / "varden.csv"
    with upload.open("w", encoding="utf-8", newline="") as file:
        writer = csv.DictWriter(file, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    go(page, "a", page.get_by_role("link", name="importera filen"))
    page.set_input_files("input[name=import_file]", str(upload))
    page.select_option("select[name=format]", label="Långt format, CSV (en rad per värde)")
    import_form = page.locator("input[name=import_file]").locator("xpath=ancestor::form")
    go(page, "submit", import_form.locator("input[type=submit], button[type=submit]").first)
    assert page.locator("input[name=confirm]").count() == 1, page.inner_text("body")[:3000]
    go(page, "input[name=confirm]")
    drafts = Value.objects.filter(year=2025, series__indicator__responsible__slug="kriminalvarden", state=State.DRAFT)
    assert drafts.count() == len(rows)

    page.goto(f"{base_url}/rapportering/")
    go(page, "a", page.get_by_role("link", name="Skicka in alla utkast…"))
    checked(page)
    go(page, "button", page.get_by_role("button", name=re.compile("Ja, skicka in")))
    assert not Value.objects.filter(year=2025, series__indicator__responsible__slug="kriminalvarden", state=State.DRAFT).exists()
    context.close()
