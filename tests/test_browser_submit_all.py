"""A reporter is warned before leaving unsaved text, and submits all drafts after a confirmation (Chromium, axe, 320 px)."""

import pytest
from django.core.management import call_command

from actions.models import StatusReport
from reporting.models import State

from . import reporting
from .browser_support import axe_violations, chromium_or_skip
from .test_browser_workspace import go, log_in, no_horizontal_scroll

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
NARROW = {"width": 320, "height": 800}


@pytest.fixture
def reporter_setup(settings, request):
    chromium_or_skip()
    live = request.getfixturevalue("load_real_data")
    settings.DEBUG, settings.DEMO_MODE = True, True
    call_command("create_demo_accounts")
    reporting.open_round()
    reporting.status_report(number="2.10")
    reporting.status_report(number="5.3")
    return live.url


def test_it_warns_before_leaving_unsaved_text_and_submits_all_drafts(browser, reporter_setup):
    page = log_in(browser, reporter_setup, "kriminalvarden", viewport=NARROW)
    commitment = StatusReport.objects.get(commitment__number="2.10", year=2025).commitment
    page.goto(f"{reporter_setup}/rapportering/2025/atagande/{commitment.pk}/")
    dialogs = []

    def answer(dialog):
        dialogs.append(dialog.type)
        dialog.dismiss()  # stay on the page

    page.on("dialog", answer)
    page.locator("textarea").first.click()
    page.keyboard.type(" Och ett tillägg som inte är sparat.")
    page.get_by_role("link", name="Att rapportera").first.click()
    page.wait_for_timeout(500)
    assert dialogs == ["beforeunload"] and "/atagande/" in page.url
    page.remove_listener("dialog", answer)

    page.goto(f"{reporter_setup}/rapportering/")
    page.on("dialog", lambda dialog: dialog.accept())
    go(page, "a", page.get_by_role("link", name="Skicka in alla utkast…"))
    assert "Ja, skicka in 2 poster" in page.inner_text("main")
    assert axe_violations(page) == "" and no_horizontal_scroll(page) is True
    go(page, "button", page.get_by_role("button", name="Ja, skicka in 2 poster"))
    assert "2 poster är inskickade för granskning." in page.inner_text("main")
    assert set(StatusReport.objects.filter(year=2025, commitment__number__in=["2.10", "5.3"]).values_list("state", flat=True)) == {
        State.SUBMITTED
    }
    page.context.close()
