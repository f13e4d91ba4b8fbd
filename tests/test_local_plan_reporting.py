"""A municipality reports on its own plan's measures; a committee only on its committee's."""

import pytest
from django.urls import reverse
from actions.models import Commitment, StatusReport
from strategy.models import Organisation
from reporting.models import State

from . import reporting
from reporting import workflow

pytestmark = pytest.mark.django_db

PLAN = "sodertalje-handlingsplan-2024-2027"
CULTURE = "sodertalje-kultur-och-fritidsnamnderna"


def measure(number):
    return Commitment.objects.get(plan__slug=PLAN, number=number)


def listed(client):
    response = client.get(reverse("admin:actions_commitment_changelist"))
    assert response.status_code == 200
    return {c.number for c in response.context["cl"].queryset}


def add_report(client, commitment, organisation_slug):
    return client.post(
        reverse("admin:actions_statusreport_add"),
        {
            "commitment": commitment.pk,
            "year": reporting.YEAR,
            "organisation": Organisation.objects.get(slug=organisation_slug).pk,
            "category": "ongoing",
            "text": "Kampanjveckan genomfördes.",
        },
    )


@pytest.fixture
def committee_client(client, make_user):
    reporting.open_round()
    client.force_login(make_user("kultur", CULTURE, "rapportor"))
    return client


@pytest.fixture
def municipality_client(client, make_user):
    reporting.open_round()
    client.force_login(make_user("sodertalje-rapportor", "sodertalje", "rapportor"))
    return client


def test_it_shows_a_committee_only_its_own_measures(committee_client):
    numbers = listed(committee_client)
    assert {"1:1", "1:2"} <= numbers  # Kultur- och fritidsnämnderna leads these
    assert "2:1" not in numbers  # Socialnämnden's
    assert "2.10" not in numbers  # the regional plan's


def test_it_shows_a_municipality_every_measure_of_its_own_plan_and_nothing_regional(municipality_client):
    numbers = listed(municipality_client)
    assert numbers == set(Commitment.objects.filter(plan__slug=PLAN).values_list("number", flat=True))


def test_it_answers_404_for_another_committees_measure(committee_client):
    url = reverse("admin:actions_commitment_change", args=[measure("2:1").pk])
    assert committee_client.get(url).status_code == 404


def test_it_lets_a_committee_report_on_its_own_measure(committee_client):
    response = add_report(committee_client, measure("1:1"), CULTURE)
    assert response.status_code == 302
    report = StatusReport.objects.get(commitment=measure("1:1"), year=reporting.YEAR)
    assert report.organisation.slug == CULTURE and report.state == State.DRAFT


def test_it_refuses_a_committee_reporting_on_another_committees_measure(committee_client):
    response = add_report(committee_client, measure("2:1"), CULTURE)
    assert response.status_code == 200  # the form again, with the choice refused
    assert not StatusReport.objects.filter(commitment=measure("2:1")).exists()


def test_it_runs_a_local_measure_through_the_same_review(committee_client, coordinator):
    add_report(committee_client, measure("1:1"), CULTURE)
    report = StatusReport.objects.get(commitment=measure("1:1"), year=reporting.YEAR)
    reporter = Organisation.objects.get(slug=CULTURE).members.get().user
    workflow.submit(item=report, user=reporter)
    workflow.approve(item=report, user=coordinator)
    html = committee_client.get(reverse("plan", args=[PLAN]), {"ansvarig": CULTURE}).content.decode()
    assert "Kampanjveckan genomfördes." in html


def test_it_shows_the_municipality_its_committees_report_and_lets_it_start_from_it(municipality_client):
    culture = Organisation.objects.get(slug=CULTURE)
    committee_report = StatusReport.objects.create(
        commitment=measure("1:1"), organisation=culture, year=reporting.YEAR, state=State.SUBMITTED,
        category="ongoing", text="Nämndens egen redovisning av kampanjveckan.",
    )
    url = reverse("workspace:commitment", args=[reporting.YEAR, measure("1:1").pk])
    page = municipality_client.get(url).content.decode()
    assert "Nämndernas rapporter om åtgärden" in page and "Nämndens egen redovisning av kampanjveckan." in page
    assert f"?utga_fran={committee_report.pk}" in page
    started = municipality_client.get(f"{url}?utga_fran={committee_report.pk}")
    assert started.context["form"].initial["text"] == "Nämndens egen redovisning av kampanjveckan."
    assert not StatusReport.objects.filter(organisation__slug="sodertalje", commitment=measure("1:1")).exists()
    # Another municipality's or an unknown report is no starting point.
    assert municipality_client.get(f"{url}?utga_fran=999999").context["start_from"] is None
