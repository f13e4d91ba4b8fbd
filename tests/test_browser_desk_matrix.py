"""In Chromium, with axe: the completeness matrix fits 1280 px with the data sources in it, and the review desk
approves a whole group with its "Markera alla"."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from indicators.models import Value
from reporting.models import State

from . import reporting
from .browser_support import axe_violations, chromium_or_skip
from .test_browser_workspace import go, log_in, no_horizontal_scroll
from .test_review_desk_round import submitted_values

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
WIDE = {"width": 1280, "height": 900}
NARROW = {"width": 320, "height": 800}


@pytest.fixture
def round_setup(settings, request):
    chromium_or_skip()
    live = request.getfixturevalue("load_real_data")
    settings.DEBUG, settings.DEMO_MODE = True, True
    call_command("create_demo_accounts")
    reporting.open_round()
    return live.url


def test_it_fits_the_matrix_in_1280_px_with_the_data_sources(browser, round_setup):
    page = log_in(browser, round_setup, "samordnare", viewport=WIDE)
    page.goto(round_setup + reverse("workspace:matrix", args=[2025]))
    assert page.locator("th", has_text="Datakällor: Brå").count() == 1
    # The table itself needs no scrolling sideways at 1280 px: every column is in view.
    overflow = page.evaluate("() => { const w = document.querySelector('.table-wrap'); return w.scrollWidth - w.clientWidth; }")
    assert overflow <= 0, f"the matrix is {overflow} px too wide at 1280 px"
    assert no_horizontal_scroll(page) is True
    assert axe_violations(page) == ""
    page.set_viewport_size(NARROW)
    assert no_horizontal_scroll(page) is True  # at 320 px the table scrolls in its own box
    assert axe_violations(page) == ""


def test_it_approves_a_group_on_the_desk_with_select_all(browser, round_setup):
    values = submitted_values(6)
    values = list(Value.objects.filter(pk__in=[v.pk for v in values]).select_related("series__indicator"))
    organisation = values[0].series.indicator.responsible
    page = log_in(browser, round_setup, "samordnare", viewport=NARROW)
    page.goto(round_setup + reverse("workspace:desk"))
    assert axe_violations(page) == ""
    assert no_horizontal_scroll(page) is True
    page.check(f"#org-{organisation.slug}-all")
    ours = [v for v in values if v.series.indicator.responsible_id == organisation.pk]
    for value in ours:  # the script ticks the group's rows
        assert page.is_checked(f"#varde-{value.pk}-pick")
    go(page, "#bulk-form button[type=submit]")
    assert page.locator("h1").inner_text() == f"Godkänn {len(ours)} poster?"
    go(page, "button.primary")
    assert f"#org-{organisation.slug}" in page.url or page.url.endswith(reverse("workspace:desk"))
    assert {v.state for v in Value.objects.filter(pk__in=[v.pk for v in ours])} == {State.APPROVED}
