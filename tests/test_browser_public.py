import pytest

from tests.browser_support import axe_violations, focusable_controls, tab_through

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = {
    "start": "/",
    "goal": "/mal/2/",
    "indicator": "/indikatorer/kriminalvarden-behandlingsprogram-vnr/",
    "report": "/lagesrapport/2024/",
    "accessibility": "/tillganglighet/",
    "data": "/data/",  # downloads, catalogue and the API described from its OpenAPI document
}


def assert_clean(visit):
    assert visit.errors == [], visit.errors
    assert visit.external_requests == [], visit.external_requests


def test_it_renders_every_public_page_without_errors_external_requests_or_axe_violations(open_page):
    for name, path in PAGES.items():
        visit = open_page(path)
        assert visit.page.locator("html").get_attribute("lang") == "sv"
        if name in ("goal", "indicator", "report"):
            # Charts are drawn as they come near the viewport: scroll to each in turn.
            charts = visit.page.locator("[data-chart]")
            assert charts.count() > 0
            for i in range(charts.count()):
                charts.nth(i).scroll_into_view_if_needed()
                charts.nth(i).locator("svg.main-svg").first.wait_for()
        assert_clean(visit)
        assert axe_violations(visit.page) == "", f"{name}: {axe_violations(visit.page)}"


def test_it_draws_charts_only_as_they_come_near_the_viewport(open_page):
    visit = open_page("/")
    assert not any("plotly" in url for url in visit.requests), "the start page has no chart: no plotly"
    visit = open_page(PAGES["report"])
    page = visit.page
    charts = page.locator("[data-chart]")
    assert charts.count() > 20
    assert page.locator("[data-chart] svg.main-svg").count() == 0  # the title page and contents come first
    box = charts.last.bounding_box()
    assert box["height"] >= 400  # the height is reserved before drawing
    charts.last.scroll_into_view_if_needed()
    charts.last.locator("svg.main-svg").first.wait_for()
    assert charts.last.bounding_box()["height"] == box["height"]  # drawing shifts nothing
    assert page.locator("[data-chart] svg.main-svg").count() < charts.count()
    assert_clean(visit)


def test_it_switches_the_indicator_chart_series_with_the_checkboxes(open_page):
    visit = open_page(PAGES["indicator"])
    page = visit.page
    page.locator("[data-chart]").scroll_into_view_if_needed()
    page.wait_for_selector("[data-chart] .main-svg")
    assert page.locator("[data-chart] .scatterlayer .trace").count() == 3
    page.get_by_role("checkbox", name="Påbörjade", exact=True).uncheck()
    page.wait_for_function("document.querySelectorAll('[data-chart] .scatterlayer .trace').length === 2")
    assert "valt=1" in page.url and page.url.count("serie=") == 2
    page.get_by_role("checkbox", name="Påbörjade", exact=True).check()
    page.wait_for_function("document.querySelectorAll('[data-chart] .scatterlayer .trace').length === 3")
    assert_clean(visit)


def test_it_switches_series_without_javascript_through_the_form(browser, load_real_data):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(load_real_data.url + PAGES["indicator"])
    page.get_by_role("checkbox", name="Fullföljda", exact=True).uncheck()
    page.get_by_role("button", name="Uppdatera diagrammet").click()
    page.wait_for_load_state()
    assert not page.get_by_role("checkbox", name="Fullföljda", exact=True).is_checked()
    assert page.get_by_role("checkbox", name="Påbörjade", exact=True).is_checked()
    context.close()


def test_it_reaches_every_link_checkbox_and_button_with_the_keyboard(open_page):
    for name in ("start", "goal", "indicator", "report"):
        visit = open_page(PAGES[name])
        visit.page.wait_for_load_state("networkidle")
        controls = focusable_controls(visit.page)
        reached = tab_through(visit.page, limit=1500)  # stops when focus leaves the page
        missing = [c for c in controls if c not in reached]
        assert controls and missing == [], f"{name}: not reachable by Tab: {missing[:5]}"


def test_it_prints_the_report_with_charts_and_without_navigation(open_page):
    visit = open_page(PAGES["report"])
    page = visit.page
    page.evaluate("() => { window.print = () => { window.printed = true; }; }")  # headless: no dialog to wait for
    page.get_by_role("button", name="Skriv ut / Spara som PDF").click()
    page.wait_for_function("() => window.printed === true")
    # The print button draws every chart first, also those the reader never scrolled to.
    assert page.locator("[data-chart] svg.main-svg").count() >= page.locator("[data-chart]").count()
    assert page.get_by_role("button", name="Skriv ut / Spara som PDF").is_visible()
    page.emulate_media(media="print")
    assert not page.locator(".site-header nav").is_visible()
    assert page.locator("[data-chart] .main-svg").first.is_visible()
    assert page.locator("table.data-table").first.is_visible()
    assert page.evaluate("getComputedStyle(document.querySelector('#mal-2')).breakBefore") == "page"
    assert not page.get_by_role("button", name="Skriv ut / Spara som PDF").is_visible()
