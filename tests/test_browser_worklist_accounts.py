"""End to end in Chromium at 320 px: the coordinator records a Brå figure from the data-source worklist,
and invites a reporter who chooses a password from the mail and logs in.

The mail goes through Django's SMTP backend to an aiosmtpd server on localhost (as in
tests/test_browser_workspace.py).
"""

import re

import pytest

from indicators.models import Indicator, Value
from reporting.models import State

from .browser_support import axe_violations
from .test_browser_reporting import in_own_browser
from .test_browser_workspace import NARROW, go, log_in, no_horizontal_scroll, smtp_server, workspace_setup  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BRA = "5.I3"
SOURCE = "Brå, Nationella trygghetsundersökningen 2025, tabell 4"
PASSWORD = "Ett-nytt-langt-losen-42"
INVITED = "nina.nyberg@example.org"


def test_it_records_a_bra_figure_and_invites_a_reporter(workspace_setup):
    base_url, smtp = workspace_setup
    in_own_browser(lambda browser: scenario(browser, base_url, smtp))
    value = Value.objects.get(series__indicator__code=BRA, year=2025, area=Indicator.objects.get(code=BRA).area)
    assert value.state == State.APPROVED and value.source_ref == SOURCE
    assert value.history.get().history_user.username == "samordnare"


def scenario(browser, base_url, smtp):
    # From the year overview to the data-source worklist, and Brå's indicator 5.I3.
    coordinator = log_in(browser, base_url, "samordnare", viewport=NARROW)
    go(coordinator, "a:has-text('Datakällor utan rapportör 2025')")
    assert coordinator.url == f"{base_url}/rapportering/datakallor/2025/"
    assert "Brå" in coordinator.content()
    assert no_horizontal_scroll(coordinator) is True
    assert axe_violations(coordinator) == ""
    go(coordinator, f"a:text-is('Indikator {BRA}')")
    assert no_horizontal_scroll(coordinator) is True
    assert axe_violations(coordinator) == ""
    coordinator.locator("input[name^='v_']").first.fill("12,5")
    coordinator.locator("input[name^='f_']").first.fill("Preliminär siffra")
    coordinator.locator("input[name^='k_']").first.fill(SOURCE)
    go(coordinator, "button:has-text('Spara och godkänn')")
    assert "förda in och godkända" in coordinator.content()
    item = coordinator.locator("li", has=coordinator.locator(f"a:text-is('Indikator {BRA}')"))
    assert "Klar" in item.inner_text()

    # Accounts: invite a reporter for Brå.
    go(coordinator, "nav a:text-is('Konton')")
    assert no_horizontal_scroll(coordinator) is True
    assert axe_violations(coordinator) == ""
    coordinator.fill("#id_invite-first_name", "Nina")
    coordinator.fill("#id_invite-last_name", "Nyberg")
    coordinator.fill("#id_invite-email", INVITED)
    coordinator.select_option("#id_invite-organisation", label="Brå")
    go(coordinator, "button:text-is('Bjud in')")
    assert f"skickas till {INVITED}" in coordinator.content()
    subject, body = smtp.wait_for(INVITED, "rapportör")
    link = re.search(r"(https?://\S+/konto/aterstall/\S+/)", body).group(1)
    assert link.startswith(base_url)

    # The reporter chooses a password from the mail and logs in to the workspace.
    reporter = browser.new_context(viewport=NARROW).new_page()
    reporter.goto(link)
    assert no_horizontal_scroll(reporter) is True
    assert axe_violations(reporter) == ""
    reporter.fill("#id_new_password1", PASSWORD)
    reporter.fill("#id_new_password2", PASSWORD)
    go(reporter, "main [type=submit]")  # not the language switch
    assert "Lösenordet är bytt" in reporter.content()
    reporter.goto(f"{base_url}/admin/login/")
    reporter.fill("#id_username", INVITED)
    reporter.fill("#id_password", PASSWORD)
    go(reporter, "input[type=submit]")
    assert reporter.url == f"{base_url}/rapportering/"
    assert "Brå" in reporter.content()
