"""A page per commitment: its status per year and the text of each approved report."""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actions.models import ActionPlan, Commitment, StatusReport
from strategy.models import Organisation

pytestmark = pytest.mark.django_db


def text_of(response):
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.fixture
def commitment():
    return Commitment.objects.filter(plan__kind=ActionPlan.Kind.REGIONAL, goal__number=2).order_by("number_minor").first()


def url_of(c):
    return reverse("commitment", args=[c.plan.slug, c.number])


def report(c, year, category, text, state="approved", org="lansstyrelsen"):
    return StatusReport.objects.create(
        commitment=c, year=year, category=category, text=text, state=state,
        organisation=Organisation.objects.get(slug=org),
    )


def test_it_shows_the_status_per_year_and_the_text_of_each_approved_report(client, commitment):
    approved_2024 = commitment.status_reports.get(year=2024, state="approved")
    report(commitment, 2025, "done", "Arbetet avslutades under 2025.")
    report(commitment, 2026, "ongoing", "Utkast som inte får synas", state="draft")
    html = text_of(client.get(url_of(commitment)))
    assert f"<h1>Åtagande {commitment.number}</h1>" in html
    assert commitment.text in html
    per_year = html[html.index("Status per år") : html.index("Redovisningar")]
    assert per_year.index(">2025<") < per_year.index(">2024<")
    assert "Genomförd" in per_year and approved_2024.get_category_display() in per_year
    assert "2026" not in per_year
    assert "Arbetet avslutades under 2025." in html
    assert approved_2024.text.split("\n")[0][:40] in html
    assert "Utkast som inte får synas" not in html
    # The badge is the latest approved status.
    assert '<span class="status-badge status-c-done">Genomförd</span> <span class="muted">senaste godkända status, 2025</span>' in html


def test_it_shows_a_year_without_an_approved_report_as_a_gap(client, commitment):
    other = Commitment.objects.filter(plan=commitment.plan).exclude(pk=commitment.pk).first()
    report(other, 2025, "ongoing", "Annat åtagande")
    html = text_of(client.get(url_of(commitment)))
    assert "Ingen godkänd rapport" in html and "Ingen godkänd redovisning för 2025." in html


def test_it_links_the_goal_pages_commitments_to_their_pages_with_a_status_badge(client, commitment):
    html = text_of(client.get(reverse("goal", args=[2])))
    assert f'<a href="{url_of(commitment)}">{commitment.number} ' in html
    assert 'class="status-badge status-c-' in html


def test_it_shows_a_local_measure_and_links_it_from_its_plan(client):
    measure = Commitment.objects.filter(plan__kind=ActionPlan.Kind.LOCAL).first()
    html = text_of(client.get(url_of(measure)))
    assert f"<h1>Åtgärd {measure.number}</h1>" in html
    assert url_of(measure) in text_of(client.get(reverse("plan", args=[measure.plan.slug])))


def test_it_answers_404_for_an_unknown_commitment(client, commitment):
    assert client.get(reverse("commitment", args=[commitment.plan.slug, "99.99"])).status_code == 404
    assert client.get(reverse("commitment", args=["finns-inte", commitment.number])).status_code == 404


def test_it_keeps_the_number_of_queries_constant_as_reports_grow(client, commitment):
    url = url_of(commitment)

    def count():
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    before = count()
    assert before <= 12
    for year, org in [(2025, "lansstyrelsen"), (2025, "polisen"), (2026, "lansstyrelsen"), (2027, "polisen")]:
        report(commitment, year, "ongoing", f"Redovisning {year}", org=org)
    commitment.co_organisations.set(Organisation.objects.all()[:3])
    assert count() == before
