"""In Chromium: the coverage map and a local plan's page, filtered by prevention level, pass axe."""

import pytest

from tests.browser_support import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_shows_the_coverage_map_accessibly(open_page):
    visit = open_page("/planer/tackning/")
    page = visit.page
    assert page.get_by_role("table", name="Regionala mål och planer som följer dem").is_visible()
    assert "Mål 5 Effektiv brottsbekämpning" in page.inner_text("main")
    assert axe_violations(page) == ""
    assert visit.errors == [] and visit.external_requests == []


def test_it_filters_a_plan_by_prevention_level_accessibly(open_page):
    visit = open_page("/planer/")
    page = visit.page
    page.get_by_role("link", name="Handlingsplan mot våld 2024–2027").click()
    page.wait_for_load_state("networkidle")
    assert "Visar 33 av 33 åtgärder" in page.inner_text("main")
    page.get_by_label("Preventionsnivå").select_option("universell")
    page.get_by_role("button", name="Filtrera").click()
    page.wait_for_load_state("networkidle")
    status = page.get_by_role("status").inner_text()
    assert "på preventionsnivån universell" in status
    shown = int(status.split()[1])
    assert 0 < shown < 33
    rows = page.locator("table.measures tbody tr")
    assert rows.count() == shown
    assert all("Universell" in rows.nth(i).inner_text() for i in range(rows.count()))
    assert axe_violations(page) == ""
    assert visit.errors == [] and visit.external_requests == []
