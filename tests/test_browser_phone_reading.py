"""Reading on a phone (issue 23), in Chromium: the start page's goal cards begin within the first
screen, the report opens with its summary and then its contents, and a wide table stays readable at
320 px (it scrolls inside its own focusable, labelled box, its rows keep their labels in view and no
cell is squeezed to a word a line), with no sideways scrolling of the page (WCAG 1.4.10)."""

import pytest

from tests.browser_support import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SMALL_PHONE = {"width": 320, "height": 568}
PHONE = {"width": 375, "height": 667}


def page_width(page):
    return page.evaluate("document.documentElement.scrollWidth")


@pytest.mark.parametrize("viewport", [SMALL_PHONE, PHONE], ids=["320x568", "375x667"])
def test_it_shows_the_goal_cards_within_a_phones_first_screen(open_page, viewport):
    page = open_page("/", viewport=viewport).page
    first_goal = page.locator(".goal-card h3").first.bounding_box()
    assert first_goal["y"] + first_goal["height"] <= viewport["height"], first_goal
    assert page_width(page) <= viewport["width"]
    # Everything the start page said is still there, after the goals.
    for selector in [".vision", "a[href='/lagesrapport/2024/']", "#national"]:
        assert page.locator(f"main {selector}").count() == 1, selector
    assert axe_violations(page) == ""


def test_it_opens_the_report_with_its_summary_then_its_contents_on_a_phone(open_page):
    page = open_page("/lagesrapport/2024/", viewport=SMALL_PHONE).page
    outline = page.evaluate(
        "Array.from(document.querySelectorAll('main h1, main h2')).slice(0, 3).map(h => h.textContent.trim())"
    )
    assert outline[1:] == ["Sammanfattning", "Innehåll"]
    assert page.locator("main h1").count() == 1
    assert page_width(page) <= SMALL_PHONE["width"]
    # One tap takes the reader to a goal's summary at the end of the report.
    page.locator(".report-opening a[href='#sammanfattning-mal-4']").click()
    page.wait_for_timeout(300)
    top = page.evaluate("document.getElementById('sammanfattning-mal-4').getBoundingClientRect().top")
    assert -2 <= top < SMALL_PHONE["height"]
    assert page.evaluate("scrollY") > 10 * SMALL_PHONE["height"]
    # On a phone of 375 × 667 the summary's heading begins within the first screen, below the title page.
    page = open_page("/lagesrapport/2024/", viewport=PHONE).page
    assert page.locator(".report-opening h2").bounding_box()["y"] < PHONE["height"]


TABLE_PAGES = [
    "/indikatorer/kriminalvarden-behandlingsprogram-vnr/",
    "/mal/1/",
    "/lagesrapport/2024/",
    "/planer/handlingsplan-2024-2027/2.2/",
    "/planer/tackning/",
    "/planer/handlingsplan-2024-2027/",
]

# Every table of the page: whether it is wider than its column, whether its scroll box is focusable and
# labelled, a cell squeezed so narrow that its text runs a word or two a line (more than two lines in
# under 7em), and whether the first row's label stays in view when the box is scrolled to its far end.
TABLES = """() => Array.from(document.querySelectorAll('main table')).map(table => {
  let box = table.parentElement;
  while (box && box !== document.body && getComputedStyle(box).overflowX === 'visible') box = box.parentElement;
  if (box === document.body) box = null;
  const rows = Array.from(table.tBodies).flatMap(b => Array.from(b.rows));
  const squeezed = rows.flatMap(r => Array.from(r.cells)).find(cell => {
    const style = getComputedStyle(cell);
    const width = cell.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    const text = document.createRange();
    text.selectNodeContents(cell);
    const lines = text.getBoundingClientRect().height / parseFloat(style.lineHeight);
    return lines > 2.5 && width < 7 * parseFloat(style.fontSize);
  });
  let labelKept = true;
  const label = rows.length && rows[0].querySelector('th[scope=row]');
  if (box && label && box.scrollWidth > box.clientWidth) {
    box.scrollLeft = box.scrollWidth;
    const l = label.getBoundingClientRect(), b = box.getBoundingClientRect();
    labelKept = l.left >= b.left - 1 && l.left < b.right;
    box.scrollLeft = 0;
  }
  return {
    name: (table.caption ? table.caption.textContent : table.className).trim().slice(0, 60),
    wide: box ? box.scrollWidth > box.clientWidth : table.getBoundingClientRect().width > document.querySelector('main').clientWidth,
    boxed: !!box && box.tabIndex === 0 && box.getAttribute('role') === 'region'
           && !!(box.getAttribute('aria-label') || box.getAttribute('aria-labelledby')),
    squeezed: squeezed ? squeezed.textContent.trim().slice(0, 60) : '',
    labelKept: labelKept,
  };
})"""


def test_it_keeps_wide_tables_readable_at_320_px(open_page):
    problems = []
    for path in TABLE_PAGES:
        page = open_page(path, viewport=SMALL_PHONE).page
        # Lay out every panel (content-visibility) so that the tables have their sizes.
        page.add_style_tag(content=".panel { content-visibility: visible !important; }")
        for table in page.evaluate(TABLES):
            if table["wide"] and not table["boxed"]:
                problems.append(f"{path}: {table['name']}: wider than the screen, not in a focusable labelled box")
            if table["squeezed"]:
                problems.append(f"{path}: {table['name']}: a cell squeezed to a word a line: {table['squeezed']}")
            if not table["labelKept"]:
                problems.append(f"{path}: {table['name']}: the row labels scroll out of view")
        if page_width(page) > SMALL_PHONE["width"]:
            problems.append(f"{path}: the page scrolls sideways")
    assert problems == []
