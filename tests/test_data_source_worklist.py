"""The data-source worklist: indicators no reporter reports, and the coordinator's one-step entry of published figures."""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from indicators.models import Indicator, Value
from indicators.services import value_item
from reporting.models import State, locked_years
from reporting.policy import Action, Policy, Write

from .reporting import value

pytestmark = pytest.mark.django_db

YEAR = 2025
BRA = "5.I3"  # Brå's, one series


def worklist_url(year=YEAR):
    return f"/rapportering/datakallor/{year}/"


def entry_url(code=BRA, year=YEAR):
    return f"/rapportering/datakallor/{year}/indikator/{Indicator.objects.get(code=code).pk}/"


def cell(code=BRA, year=YEAR):
    series = Indicator.objects.get(code=code).series.order_by("order", "pk").first()
    return f"v_{series.pk}_{year}", f"f_{series.pk}_{year}", f"k_{series.pk}_{year}"


def posted(client, code=BRA, year=YEAR, number="12,5", footnote="", source="Brå, NTU 2025, tabell 4"):
    page = client.get(entry_url(code, year))
    v, f, k = cell(code, year)
    data = {"fingerprint": page.context["form"]["fingerprint"].value(), v: number, f: footnote, k: source}
    return client.post(entry_url(code, year), data)


@pytest.fixture
def reporters(make_user):
    """Reporters for the organisations that have them in the demo: their indicators are not the worklist's."""
    return [make_user("rapportor-kv", "kriminalvarden", "rapportor"), make_user("rapportor-am", "aklagarmyndigheten", "rapportor")]


def test_it_lists_the_indicators_whose_organisation_has_no_reporter(coordinator_client, reporters):
    html = coordinator_client.get(worklist_url()).content.decode()
    for name in ("Brå", "Socialstyrelsen", "Skolinspektionen", "Operation Kvinnofrid"):
        assert name in html
    assert "Indikator 5.I3<" in html and "Indikator 2.I1<" in html
    # SCB's only indicator, 1.I1, has no series yet: nothing to enter, so not listed (workspace.tasks.year_indicators).
    assert "Indikator 1.I1<" not in html and "SCB" not in html
    assert "Indikator 2.I5<" not in html and "Indikator 2.I7<" not in html  # Kriminalvården's, Åklagarmyndighetens


def test_it_lists_an_organisation_again_once_its_reporter_is_deactivated(coordinator_client, reporters):
    reporters[0].is_active = False
    reporters[0].save()
    assert "Indikator 2.I5<" in coordinator_client.get(worklist_url()).content.decode()


def test_it_says_what_is_missing_for_the_year(coordinator_client, reporters):
    value(BRA, year=YEAR, state=State.APPROVED)
    value("5.I4", year=YEAR, state=State.DRAFT)  # a draft is still missing
    lines = {line.indicator.code: line for _, group in coordinator_client.get(worklist_url()).context["groups"] for line in group}
    assert lines[BRA].complete and lines[BRA].missing == []
    assert not lines["5.I4"].complete and len(lines["5.I4"].missing) == 1
    assert "3.I1" not in lines  # Brå's, but no series yet: nothing to enter


def test_it_runs_the_same_number_of_queries_for_few_and_many_indicators_and_values(
    coordinator_client, make_user, django_assert_num_queries
):
    # First only Skolinspektionen has no reporter: one source, four indicators, one approved value.
    slugs = set(
        Indicator.objects.exclude(responsible=None).filter(series__isnull=False).values_list("responsible__slug", flat=True)
    )
    users = [make_user(f"rapportor-{slug}", slug, "rapportor") for slug in sorted(slugs - {"skolinspektionen"})]
    value("1.I3", year=YEAR, state=State.APPROVED)
    coordinator_client.get(worklist_url())  # warm the session and the caches
    with CaptureQueriesContext(connection) as few:
        response = coordinator_client.get(worklist_url())
    assert len(response.context["groups"]) == 1
    # Then every source lacks a reporter, with many more indicators, series and approved values.
    get_user_model().objects.filter(pk__in=[u.pk for u in users]).update(is_active=False)
    for code in ("5.I4", "5.I7", "5.I12", "2.I1", "7.I3", "2.I5", "4.I5"):
        value(code, year=YEAR, state=State.APPROVED)
    with django_assert_num_queries(len(few)):
        response = coordinator_client.get(worklist_url())
    assert len(response.context["groups"]) == len(slugs)


def test_it_records_a_bra_figure_approved_and_public_at_once(coordinator_client, coordinator, reporters):
    response = posted(coordinator_client, footnote="Preliminär siffra")
    assert response.status_code == 302 and response["Location"] == worklist_url()
    recorded = Value.objects.get(series__indicator__code=BRA, year=YEAR, area=Indicator.objects.get(code=BRA).area)
    assert recorded.value == Decimal("12.5") and recorded.state == State.APPROVED
    assert recorded.approved_by == coordinator and recorded.approved_at is not None
    assert recorded.footnote == "Preliminär siffra" and recorded.source_ref == "Brå, NTU 2025, tabell 4"
    assert Value.objects.published().filter(pk=recorded.pk).exists()
    (entry,) = recorded.history.all()  # one recorded step, not create + submit + approve
    assert entry.history_user == coordinator
    assert "samordnare-test" in entry.history_change_reason and "Brå, NTU 2025, tabell 4" in entry.history_change_reason
    follow = coordinator_client.get(worklist_url())
    assert "förda in och godkända" in follow.content.decode()
    lines = {line.indicator.code: line for _, group in follow.context["groups"] for line in group}
    assert lines[BRA].complete


def test_it_refuses_a_figure_without_a_source(coordinator_client, reporters):
    response = posted(coordinator_client, source="")
    assert response.status_code == 200 and "Ange källan" in response.content.decode()
    assert not Value.objects.filter(series__indicator__code=BRA, year=YEAR).exists()


def test_it_refuses_a_cell_that_is_not_a_number_with_a_swedish_message(coordinator_client, reporters):
    response = posted(coordinator_client, number="=cmd()")
    assert response.status_code == 200 and "Ange ett tal" in response.content.decode()


def test_it_refuses_a_source_on_two_lines(coordinator_client, reporters):
    response = posted(coordinator_client, source="Brå\r\ntabell 4")
    assert response.status_code == 200 and "på en rad" in response.content.decode()
    assert not Value.objects.filter(series__indicator__code=BRA, year=YEAR).exists()


def test_it_refuses_a_locked_year(coordinator_client, reporters):
    locked = sorted(locked_years())[-1]
    response = posted(coordinator_client, year=locked, number="99")
    assert response.status_code == 200 and "är publicerad och posten är låst" in response.content.decode()


def test_it_is_not_for_reporters(client, reporters):
    client.force_login(reporters[0])
    assert client.get(worklist_url()).status_code == 403
    assert client.get(entry_url()).status_code == 403
    v, f, k = cell()
    assert client.post(entry_url(), {v: "1", k: "Brå"}).status_code == 403
    assert not Value.objects.filter(series__indicator__code=BRA, year=YEAR).exists()


def test_it_has_no_entry_for_an_indicator_with_a_reporter(coordinator_client, reporters):
    assert coordinator_client.get(entry_url("2.I5")).status_code == 404


def test_it_lets_the_policy_record_for_coordinators_only(coordinator, reporters):
    indicator = Indicator.objects.get(code=BRA)
    write = Write(Action.RECORD, after=value_item(indicator=indicator, year=YEAR))
    assert Policy(coordinator).decide(write).state == State.APPROVED
    refused = Policy(reporters[0]).decide(write)
    assert not refused.allowed and refused.permission
    locked = Write(Action.RECORD, after=value_item(indicator=indicator, year=sorted(locked_years())[-1]))
    assert not Policy(coordinator).decide(locked).allowed
