"""In Chromium at 320 CSS px: the English site at /en/, its goal and indicator pages and the report's
English introduction, the language switch both ways by keyboard, and the lang attributes of a page
that mixes English with Swedish it has no translation for."""

import pytest

from tests.browser_support import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 320, "height": 800}
INDICATOR = "/indikatorer/mvc-fragor-om-vald/"
ENGLISH_PAGES = {
    "start": "/en/",
    "goal": "/en/mal/1/",
    "indicator": "/en" + INDICATOR,
    "report archive": "/en/lagesrapport/",
    "report": "/en/lagesrapport/2024/",
}


def lang(page):
    return page.locator("html").get_attribute("lang")


def test_it_walks_the_english_site_at_320_px_without_errors_or_axe_violations(open_page):
    problems = []
    for name, path in ENGLISH_PAGES.items():
        visit = open_page(path, viewport=PHONE)
        page = visit.page
        if lang(page) != "en":
            problems.append(f"{name}: <html lang={lang(page)}>")
        if page.evaluate("document.documentElement.scrollWidth") > PHONE["width"]:
            problems.append(f"{name}: wider than 320 px")
        if visit.errors or visit.external_requests:
            problems.append(f"{name}: {visit.errors} {visit.external_requests}")
        violations = axe_violations(page)
        if violations:
            problems.append(f"{name}: {violations}")
    assert problems == []


def test_it_shows_english_with_the_follow_ups_translation_marked(open_page):
    page = open_page("/en/mal/1/", viewport=PHONE).page
    assert page.locator("h1").inner_text() == "Goal 1: Preventing violence"
    assert "Translation by the follow-up." in page.locator(".translation-note").inner_text()
    report = open_page("/en/lagesrapport/2024/", viewport=PHONE).page
    assert "is not translated" in report.locator(".translation-note").last.inner_text()
    assert report.locator("article").first.evaluate("e => e.closest('[lang]').getAttribute('lang')") == "sv"


def test_it_switches_language_both_ways_by_keyboard(open_page):
    page = open_page("/en" + INDICATOR, viewport=PHONE).page
    page.locator(".language-switch a[hreflang='sv']").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**" + INDICATOR)
    assert lang(page) == "sv" and "/en/" not in page.url
    page.locator(".language-switch a[hreflang='en']").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/en" + INDICATOR)
    assert lang(page) == "en"
    # Where the address is one (the login page, the workspace, the admin), the switch is a form.
    page.goto(page.url.split("/en/")[0] + "/admin/login/")
    assert lang(page) == "sv"
    page.locator(".language-switch button[value='en']").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert lang(page) == "en" and page.url.endswith("/admin/login/")
    page.locator(".language-switch button[value='sv']").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert lang(page) == "sv"


def test_it_marks_the_swedish_on_a_mixed_page(open_page):
    from indicators.models import Indicator

    # An indicator without an English title: its Swedish title is shown and marked.
    Indicator.objects.filter(slug="mvc-fragor-om-vald").update(title_en=None)
    page = open_page("/en" + INDICATOR, viewport=PHONE).page
    assert lang(page) == "en"
    assert page.locator("h1").get_attribute("lang") == "sv"
    assert page.locator("h1").inner_text().startswith("Andel kvinnor")
    # Translated texts carry the page's language; the source's Swedish words carry lang="sv".
    assert page.locator(".breadcrumbs a", has_text="Goal 3").evaluate("e => e.closest('[lang]').lang") == "en"
    assert page.locator("dd span[lang='sv']", has_text="Stockholms län").count() == 1
    assert page.locator(".analysis [lang='sv']").count() == 1
    # The switch names each language in itself.
    assert page.locator(".language-switch [lang='sv']").inner_text() == "Svenska"


def test_it_marks_a_series_own_swedish_label_in_the_drawn_and_the_interactive_chart(open_page):
    # 4.I5's series named by the source keep its Swedish on the English page: marked, in both legends.
    own = "Barn under 13 år, Hedersrelaterat våld och förtryck, I egen regi"
    visit = open_page("/en/indikatorer/hanvisa-utsatta-ratt-stod/", viewport=PHONE)
    page = visit.page
    assert page.locator(".chart-legend li span[lang='sv']").all_inner_texts() == [own]
    page.get_by_role("button", name="Show interactive chart").click()
    page.wait_for_selector("[data-chart] .legend .traces text.legendtext")
    legend = """() => Array.from(document.querySelectorAll('[data-chart] .legend text.legendtext'))
                       .map(t => [t.textContent.replace(/\\s/g, ''), t.getAttribute('lang')])"""

    def marked():
        entries = page.evaluate(legend)
        assert len(entries) > 1
        return [text for text, language in entries if language == "sv"], [language for _, language in entries]

    swedish, languages = marked()
    assert swedish == [own.replace(" ", "")] and languages.count(None) == len(languages) - 1
    # plotly.js draws its legend again when a series is switched: the mark stays.
    page.get_by_role("checkbox", name="Children, Violence in close relationships, By the organisation itself or in collaboration",
                     exact=True).uncheck()
    page.wait_for_function(f"document.querySelectorAll('[data-chart] .legend .traces').length === {len(languages) - 1}")
    assert marked()[0] == [own.replace(" ", "")]
    # Its hover label too (the series drawn on the same points is switched off, so the hover is its).
    page.get_by_role("checkbox", name="Children, Violence in close relationships, By the organisation itself",
                     exact=True).uncheck()
    drawn = page.evaluate("""() => document.querySelector('[data-chart]')._fullData.filter(t => t.visible === true)
                                     .map(t => !!(t.meta && t.meta.name_parts))""")
    page.locator("[data-chart] .scatterlayer .trace").nth(drawn.index(True)).locator(".points path").first.hover(force=True)
    name = page.locator("[data-chart] .hoverlayer .hovertext text.name")
    name.wait_for()
    assert name.get_attribute("lang") == "sv" and name.text_content().startswith("Barn under")
    assert visit.errors == []
