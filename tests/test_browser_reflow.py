"""In Chromium at a small phone's, a phone's and a desktop's width: every public page type
reflows (WCAG 1.4.10: no sideways scrolling of the page at 320 CSS px), has no console
errors and passes axe."""

import pytest

from tests.browser_support import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGE_TYPES = {
    "start": "/",
    "goal": "/mal/2/",
    "indicator": "/indikatorer/kriminalvarden-behandlingsprogram-vnr/",
    "report": "/lagesrapport/2024/",
    "indicator index": "/indikatorer/?mal=2&q=program",
    "commitment": "/planer/handlingsplan-2024-2027/2.2/",
    "plans": "/planer/",
    "local plan": "/planer/sodertalje-handlingsplan-2024-2027/",
    "regional plan": "/planer/handlingsplan-2024-2027/",
    "coverage": "/planer/tackning/",
    "data": "/data/",
    "accessibility": "/tillganglighet/",
}


@pytest.mark.parametrize("width", [320, 390, 1280])
def test_it_reflows_every_public_page_type_without_errors_or_axe_violations(open_page, width):
    problems = []
    for name, path in PAGE_TYPES.items():
        visit = open_page(path, viewport={"width": width, "height": 800})
        page = visit.page
        # Panels are laid out as they come into view (content-visibility): scroll through the page.
        page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
        page.wait_for_timeout(300)
        # Every chart is an SVG as wide as its column, never wider.
        too_wide = page.evaluate(
            "Array.from(document.querySelectorAll('svg.chart-svg')).filter(s => s.getBoundingClientRect().right > innerWidth).length"
        )
        if too_wide:
            problems.append(f"{name}: {too_wide} charts wider than the screen")
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        # "100 %" never breaks between the figure and its unit.
        wrapping = page.evaluate(
            "Array.from(document.querySelectorAll('td.num')).filter(td => getComputedStyle(td).whiteSpace !== 'nowrap').length"
        )
        if wrapping:
            problems.append(f"{name}: {wrapping} figure cells may wrap")
        if scroll_width > width:
            problems.append(f"{name}: page is {scroll_width} px wide at {width} px")
        if visit.errors:
            problems.append(f"{name}: {visit.errors}")
        violations = axe_violations(page)
        if violations:
            problems.append(f"{name}: {violations}")
        visit.close()
    assert problems == []
