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
            # Every chart is drawn on the server: there with the page, no plotly loaded.
            charts = visit.page.locator("[data-chart]")
            assert charts.count() > 0
            assert visit.page.locator("[data-chart] svg.chart-svg").count() == charts.count()
            assert not any("plotly" in url for url in visit.requests)
        assert_clean(visit)
        assert axe_violations(visit.page) == "", f"{name}: {axe_violations(visit.page)}"


def test_it_shows_server_drawn_charts_and_loads_plotly_only_when_asked(open_page):
    visit = open_page(PAGES["report"])
    page = visit.page
    charts = page.locator("[data-chart]")
    assert charts.count() == 20  # one per indicator with figures that Lägesrapport 2024 presents
    assert page.locator("[data-chart] svg.chart-svg").count() == charts.count()
    assert not any("plotly" in url for url in visit.requests), "no plotly.js until a reader asks for it"
    chart = charts.last
    chart.scroll_into_view_if_needed()
    assert chart.locator("svg.chart-svg").bounding_box()["height"] > 100
    button = page.locator(f"[data-interactive='{chart.get_attribute('id')}']")
    button.click()
    chart.locator("svg.main-svg").first.wait_for()
    assert any("plotly" in url for url in visit.requests)
    assert chart.locator("svg.chart-svg").count() == 0  # the plotly chart replaced the SVG
    assert chart.locator(".scatterlayer .trace").count() == len(
        page.evaluate(f"JSON.parse(document.getElementById('{chart.get_attribute('data-chart')}').textContent).data")
    )
    assert not button.is_visible()
    assert page.evaluate("document.activeElement.id") == chart.get_attribute("id")  # focus stays in the panel
    assert page.locator("svg.main-svg").count() > 0 and page.locator("[data-chart] svg.chart-svg").count() == charts.count() - 1
    assert_clean(visit)
    assert axe_violations(page) == ""


def test_it_switches_the_indicator_chart_series_with_the_checkboxes(open_page):
    visit = open_page(PAGES["indicator"])
    page = visit.page
    shown = "document.querySelectorAll('[data-chart] g.series:not([display=none])').length"
    assert page.evaluate(shown) == 3
    page.get_by_role("checkbox", name="Påbörjade", exact=True).uncheck()
    assert page.evaluate(shown) == 2
    assert not page.locator(".chart-legend li", has_text="Påbörjade").is_visible()
    assert "valt=1" in page.url and page.url.count("serie=") == 2
    # The interactive chart starts with the series chosen, and follows the boxes too.
    page.get_by_role("button", name="Visa interaktivt diagram").click()
    page.wait_for_selector("[data-chart] .main-svg")
    visible = "document.querySelectorAll('[data-chart] .scatterlayer .trace').length"
    page.wait_for_function(f"{visible} === 2")
    page.get_by_role("checkbox", name="Påbörjade", exact=True).check()
    page.wait_for_function(f"{visible} === 3")
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
    page.get_by_role("button", name="Skriv ut", exact=True).click()
    page.wait_for_function("() => window.printed === true")
    assert page.get_by_role("button", name="Skriv ut", exact=True).is_visible()
    page.emulate_media(media="print")
    # The charts are SVG in the page: they print without any script having drawn them.
    assert not page.locator(".site-header nav").is_visible()
    assert page.locator("[data-chart] svg.chart-svg").last.is_visible()
    assert page.locator("table.data-table").first.is_visible()
    assert page.evaluate("getComputedStyle(document.querySelector('#mal-2')).breakBefore") == "page"
    assert not page.get_by_role("button", name="Skriv ut", exact=True).is_visible()
    assert not page.get_by_role("button", name="Visa interaktivt diagram").first.is_visible()


def test_it_shows_the_charts_without_javascript(browser, load_real_data):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(load_real_data.url + PAGES["goal"])
    charts = page.locator("[data-chart]")
    assert charts.count() > 0 and page.locator("svg.chart-svg").count() == charts.count()
    assert page.locator("svg.chart-svg").first.is_visible()
    assert page.get_by_role("button", name="Visa interaktivt diagram").count() == 0  # hidden: it needs the script
    context.close()
