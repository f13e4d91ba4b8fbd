"""The review desk for a whole round: grouped by organisation and indicator, select all per group, filters,
the page keeps its place, a constant number of queries, and a bulk submit within a fixed query budget."""

import itertools
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actions.models import StatusReport
from indicators.models import Indicator, Series, Value
from reporting.models import State
from strategy.models import Organisation

from . import reporting
from reporting import workflow

pytestmark = pytest.mark.django_db
SERIAL = itertools.count()


def measured_indicators(count=3):
    """Indicators of different organisations that have a series to enter values in."""
    chosen, seen = [], set()
    for indicator in Indicator.objects.active().filter(
        responsible__isnull=False, pk__in=Series.objects.values("indicator_id")
    ).order_by("code"):
        if indicator.responsible_id not in seen:
            seen.add(indicator.responsible_id)
            chosen.append(indicator)
        if len(chosen) == count:
            break
    return chosen


def submitted_values(n, *, state=State.SUBMITTED, with_previous=True):
    """n values of the 2025 round over several indicators and organisations, each beside a 2024 approved one."""
    indicators = measured_indicators()
    made = []
    for i in range(n):
        indicator = indicators[i % len(indicators)]
        serial = next(SERIAL)
        series = Series.objects.create(indicator=indicator, key=f"test-{serial}", label=f"Testserie {i}", order=200 + i)
        made.append(Value.objects.create(series=series, area=indicator.area, year=2025, value=Decimal(700 + i), state=state))
        if with_previous:
            Value.objects.create(series=series, area=indicator.area, year=2024, value=Decimal(690 + i), state=State.APPROVED)
    return made


@pytest.mark.parametrize("n", [1, 10, 100])
def test_it_runs_the_same_number_of_queries_for_1_10_and_100_items(coordinator_client, round_2025, n, django_assert_num_queries):
    submitted_values(n)
    reporting.status_report(number="2.10", state=State.SUBMITTED)
    with django_assert_num_queries(12):
        response = coordinator_client.get(reverse("workspace:desk"))
    assert response.context["count"] == n + 1


def test_it_groups_by_organisation_then_one_table_per_indicator_with_previous_figures(coordinator_client, round_2025):
    values = submitted_values(6)
    report = reporting.status_report(number="2.10", state=State.SUBMITTED, text="Årets inskickade text.")
    response = coordinator_client.get(reverse("workspace:desk"))
    groups = response.context["groups"]
    names = [g["name"] for g in groups]
    assert names == sorted(names) and len(groups) in (3, 4)  # three indicators' organisations, perhaps Kriminalvården
    by_key = {g["key"]: g for g in groups}
    for value in values:
        group = by_key[f"organisation-{value.series.indicator.responsible_id}"]
        [table] = [t for t in group["indicators"] if t["indicator"] == value.series.indicator]
        assert [e["item"] for e in table["rows"]] == sorted(
            [v for v in values if v.series.indicator_id == value.series.indicator_id], key=lambda v: v.series.order
        )
    kv = by_key[f"organisation-{report.organisation_id}"]
    assert [e["item"] for e in kv["reports"]] == [report]
    html = response.content.decode()
    assert html.count('<table class="desk-values">') == 3
    assert "Testserie 0" in html and "690" in html and "700" in html and "Årets inskickade text." in html


def test_it_approves_a_whole_group_with_its_checkbox_or_its_button_without_javascript(coordinator_client, round_2025):
    values = submitted_values(6)
    first = values[0].series.indicator.responsible_id
    ours = [v for v in values if v.series.indicator.responsible_id == first]
    others = [v for v in values if v.series.indicator.responsible_id != first]
    url = reverse("workspace:desk_bulk_approve")
    page = coordinator_client.post(url, {"group": f"organisation-{first}"}).content.decode()
    assert f"Godkänn {len(ours)} poster?" in page
    assert all(f"varde-{v.pk}" in page for v in ours) and not any(f"varde-{v.pk}" in page for v in others)
    items = [f"varde-{v.pk}" for v in ours]
    response = coordinator_client.post(url, {"item": items, "confirm": "1"})
    assert response.url.endswith(f"#org-{values[0].series.indicator.responsible.slug}")  # back to the group
    assert {v.state for v in Value.objects.filter(pk__in=[v.pk for v in ours])} == {State.APPROVED}
    assert {v.state for v in Value.objects.filter(pk__in=[v.pk for v in others])} == {State.SUBMITTED}
    # An indicator's table has its own "Alla".
    indicator = others[0].series.indicator
    page = coordinator_client.post(url, {"group": f"indikator-{indicator.pk}"}).content.decode()
    assert all(f"varde-{v.pk}" in page for v in others if v.series.indicator_id == indicator.pk)


def test_it_offers_select_all_per_group_and_a_script_file_for_ticking(coordinator_client, round_2025):
    values = submitted_values(2)
    html = coordinator_client.get(reverse("workspace:desk")).content.decode()
    organisation = values[0].series.indicator.responsible_id
    assert f'name="group" value="organisation-{organisation}"' in html
    assert f'<button type="submit" form="bulk-form" name="group" value="organisation-{organisation}">' in html
    assert "js/desk-select-all.js" in html and "onclick" not in html and "<script>" not in html


def test_it_returns_to_the_same_group_and_filters_after_an_action(coordinator_client, round_2025):
    [value] = submitted_values(1)
    organisation = value.series.indicator.responsible
    url = reverse("workspace:desk_transition", args=["varde", value.pk, "godkann"])
    response = coordinator_client.post(url, {"organisation": organisation.slug, "typ": "varden", "ankare": f"indikator-{value.series.indicator_id}"})
    assert response.url == (
        reverse("workspace:desk") + f"?organisation={organisation.slug}&typ=varden#indikator-{value.series.indicator_id}"
    )
    value.refresh_from_db()
    assert value.state == State.APPROVED
    # The anchor on the page is the one the form sends.
    [other] = Value.objects.filter(pk=submitted_values(1, with_previous=False)[0].pk)
    html = coordinator_client.get(reverse("workspace:desk")).content.decode()
    assert f'id="indikator-{other.series.indicator_id}"' in html
    assert f'name="ankare" value="indikator-{other.series.indicator_id}"' in html


def test_it_refuses_hostile_anchors_and_group_keys_without_an_error(coordinator_client, round_2025):
    [value] = submitted_values(1)
    response = coordinator_client.post(
        reverse("workspace:desk_transition", args=["varde", value.pk, "godkann"]),
        {"ankare": "x\"><script>", "organisation": "../../etc", "ar": "99999"},
    )
    assert response.status_code == 302 and response.url == reverse("workspace:desk")
    response = coordinator_client.post(reverse("workspace:desk_bulk_approve"), {"group": ["organisation-abc", "indikator-", "x"]})
    assert response.status_code == 302
    assert coordinator_client.get(response.url).status_code == 200


def test_it_filters_by_organisation_kind_and_state(coordinator_client, round_2025):
    values = submitted_values(3)
    report = reporting.status_report(number="2.10", state=State.SUBMITTED)
    returned = reporting.status_report(number="5.3", state=State.RETURNED, reviewer_comment="Komplettera.")
    url = reverse("workspace:desk")

    def items(**params):
        groups = coordinator_client.get(url, params).context["groups"]
        return {e["item"] for g in groups for t in g["indicators"] for e in t["rows"]} | {
            e["item"] for g in groups for e in g["reports"]
        }

    assert items() == set(values) | {report}
    assert items(typ="varden") == set(values)
    assert items(typ="statusrapporter") == {report}
    assert items(tillstand="returned") == {returned}
    organisation = values[1].series.indicator.responsible
    assert items(organisation=organisation.slug) == {v for v in values if v.series.indicator.responsible == organisation} | (
        {report} if report.organisation == organisation else set()
    )
    html = coordinator_client.get(url, {"tillstand": "returned"}).content.decode()
    assert "Komplettera." in html and "bulk-form" not in html  # nothing to approve there


def test_it_shows_values_with_the_indicators_decimals(coordinator_client, round_2025):
    [value] = submitted_values(1)
    indicator = value.series.indicator
    Value.objects.filter(pk=value.pk).update(value=Decimal("702"))
    Indicator.objects.filter(pk=indicator.pk).update(decimals=0)
    html = coordinator_client.get(reverse("workspace:desk")).content.decode()
    assert "702,0000" not in html and "702,0" not in html and ">702" in html.replace(" ", "")
    Indicator.objects.filter(pk=indicator.pk).update(decimals=1)
    html = coordinator_client.get(reverse("workspace:desk")).content.decode()
    assert "702,0" in html and "702,0000" not in html
    # Digits beyond the indicator's decimals are not silently rounded away from the reviewer.
    Value.objects.filter(pk=value.pk).update(value=Decimal("6.95"))
    html = coordinator_client.get(reverse("workspace:desk")).content.decode()
    assert "7,0" in html and "inmatat 6,95" in html
    page = coordinator_client.post(reverse("workspace:desk_bulk_approve"), {"item": [f"varde-{value.pk}"]}).content.decode()
    assert "inmatat 6,95" in page and "6,9500" not in page


@pytest.mark.parametrize("n", [1, 100])
def test_it_submits_100_values_within_a_fixed_query_budget(make_user, round_2025, n, django_capture_on_commit_callbacks):
    """Each value costs its update and its history row; the organisation's progress is checked once, after commit."""
    indicator = measured_indicators(1)[0]
    reporter = make_user("rapportor-budget", indicator.responsible.slug, "rapportor")
    values = []
    for i in range(n):
        series = Series.objects.create(indicator=indicator, key=f"budget-{i}", label=f"B{i}", order=300 + i)
        values.append(Value.objects.create(series=series, area=indicator.area, year=2025, value=Decimal(i), state=State.DRAFT))
    values = list(Value.objects.filter(pk__in=[v.pk for v in values]).select_related("series__indicator"))
    with CaptureQueriesContext(connection) as queries:
        with django_capture_on_commit_callbacks(execute=True):
            workflow.submit_all(items=values, user=reporter)
    per_value = 3  # at most: the row lock of a version-checked transition, the UPDATE and the history INSERT
    fixed = 20
    assert len(queries) <= fixed + per_value * n
    assert {v.state for v in Value.objects.filter(pk__in=[v.pk for v in values])} == {State.SUBMITTED}
