"""Nothing moves when the page's script arrives (Cumulative Layout Shift, a Lighthouse performance
metric): the buttons that work only with JavaScript (Skriv ut, Visa interaktivt diagram) keep their place
while hidden, so showing them shifts no text below. In Chromium, with the script held back until after the
first paint — as on a slow phone, where Lighthouse found the report page's article shifted by 0.13."""

import time

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 412, "height": 823}  # Lighthouse's mobile screen
SCRIPT_DELAY = 0.6  # seconds: well after the first paint

RECORD_SHIFTS = """
window.__shifts = 0;
new PerformanceObserver(list => {
  for (const entry of list.getEntries()) if (!entry.hadRecentInput) window.__shifts += entry.value;
}).observe({type: "layout-shift", buffered: true});
"""


@pytest.mark.parametrize("path", ["/lagesrapport/2024/", "/mal/4/", "/indikatorer/hanvisa-utsatta-ratt-stod/"])
def test_it_moves_nothing_when_the_script_shows_its_buttons(browser, load_real_data, path):
    context = browser.new_context(viewport=PHONE)
    try:
        page = context.new_page()
        page.add_init_script(RECORD_SHIFTS)

        def late_script(route):
            time.sleep(SCRIPT_DELAY)
            route.continue_()

        page.route("**/js/charts*.js", late_script)
        page.goto(load_real_data.url + path)
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(300)
        # The script did run: its buttons are shown.
        assert page.locator("button[data-interactive], button[data-print]").first.is_visible()
        assert page.evaluate("window.__shifts") < 0.01
    finally:
        context.close()
