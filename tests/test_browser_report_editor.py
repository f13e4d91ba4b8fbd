"""The coordinator writes, previews, checks and publishes Lägesrapport 2025 in Chromium, at 320 px, with axe."""

import pytest
from django.core.management import call_command

from reports.models import ReportEdition

from .browser_support import axe_violations, chromium_or_skip
from .test_browser_workspace import go, log_in, no_horizontal_scroll

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
NARROW = {"width": 320, "height": 800}


@pytest.fixture
def editor_setup(settings, request):
    chromium_or_skip()
    live = request.getfixturevalue("load_real_data")
    settings.DEBUG, settings.DEMO_MODE = True, True
    call_command("create_demo_accounts")
    return live.url


def checked(page):
    """The page passes axe's WCAG 2.1 AA rules and reflows at 320 px."""
    assert axe_violations(page) == "", page.url
    assert no_horizontal_scroll(page) is True, page.url


def test_it_walks_the_editor_edit_preview_checks_publish(browser, editor_setup):
    page = log_in(browser, editor_setup, "samordnare", viewport=NARROW)
    page.goto(f"{editor_setup}/rapportering/lagesrapport/")
    checked(page)
    page.fill("#id_year", "2025")
    go(page, "button[type=submit].primary")
    assert page.url.endswith("/rapportering/lagesrapport/2025/")
    checked(page)

    # Edit goal 2 and see the preview drawn as it will be published.
    go(page, "a", page.get_by_role("link", name="Mål 2:").first)
    checked(page)
    page.fill("#id_avsnitt-intro", "## Året i korthet\n\nArbetet med mål 2 fortsatte under 2025.")
    go(page, "button[type=submit].primary")
    preview = page.locator(".editor-preview")
    assert preview.locator("h5", has_text="Året i korthet").count() == 1
    assert "Arbetet med mål 2 fortsatte under 2025." in preview.inner_text()
    checked(page)

    # The ISBN and the report number are part of the title page.
    page.goto(f"{editor_setup}/rapportering/lagesrapport/2025/del/uppgifter/")
    page.fill("#id_isbn", "978-91-7937-400-6")
    page.fill("#id_report_number", "2026:3")
    go(page, "button[type=submit].primary")
    assert "978-91-7937-400-6" in page.locator(".editor-preview").inner_text()

    # The checks, then the confirmed publication.
    page.goto(f"{editor_setup}/rapportering/lagesrapport/2025/kontroller/")
    assert "Statusrapporter för 2025 som saknas" in page.inner_text("main")
    checked(page)
    go(page, "a", page.get_by_role("link", name="Till publiceringen…"))
    checked(page)
    go(page, "button[type=submit].primary")  # without the confirmation: refused
    assert "Bekräfta att du vill publicera." in page.inner_text("main")
    assert not ReportEdition.objects.get(year=2025).is_published
    page.check("#id_confirm")
    go(page, "button", page.get_by_role("button", name="Publicera Lägesrapport 2025"))
    assert page.url.endswith("/lagesrapport/2025/")
    assert ReportEdition.objects.get(year=2025).is_published
    assert "Arbetet med mål 2 fortsatte under 2025." in page.inner_text("main")
    checked(page)
    page.context.close()
