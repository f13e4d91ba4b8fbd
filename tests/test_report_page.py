import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from actions.models import StatusReport
from indicators.models import Indicator
from reports.models import ReportEdition
from reports.services import report_edition_correct, report_edition_publish

pytestmark = pytest.mark.django_db

MAX_QUERIES = 15


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def text_of(response):
    return re.sub(r"\s+", " ", response.content.decode())


def report_html(client, year=2024):
    response = client.get(reverse("report", args=[year]))
    assert response.status_code == 200
    return text_of(response)


def test_it_reproduces_the_structure_and_figures_of_the_2024_report(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(MAX_QUERIES):
        html = report_html(client)
    edition = ReportEdition.objects.get(year=2024)
    for text in [edition.title, "ISBN", edition.isbn, "Rapportnummer", edition.report_number, "Utgivningsår",
                 "Omslagsbild", edition.cover_credit, "Förord", "Claes Lindgren",
                 "Hur lägesrapporten har tagits fram", "Hur lägesrapporten kan användas",
                 "Resultat – strategi och handlingsplan", "Sammanfattning och utvecklingsområden",
                 "Indikatorer som utgått", "Utvecklingsområden"]:
        assert text in html
    positions = [html.index(f'id="mal-{n}-h"') for n in range(1, 9)]
    assert positions == sorted(positions)
    assert '<td class="num">146</td>' in html  # Tabell 5, påbörjade 2024
    assert '<td class="num">37 %</td>' in html  # Tabell 7, 2024
    assert '<td class="num">6,9</td>' in html and "2022/2023" in html  # Tabell 1
    assert '<td class="num">144</td>' in html  # Välj att sluta 2024
    assert "<li>Synliggöra utvecklingsområden i det strategiska och operativa arbetet.</li>" in html


def test_it_shows_retired_indicators_with_their_last_year_and_reason(client):
    html = report_html(client)
    retired = Indicator.objects.get(code="4.I1")
    assert retired.title in html
    assert f"Senaste år med data: {retired.retired_last_year}" in html


def test_it_shows_the_years_approved_status_reports_only(client):
    approved = StatusReport.objects.published().filter(year=2024).first()
    draft = StatusReport.objects.published().filter(year=2024).last()
    StatusReport.objects.filter(pk=draft.pk).update(state="returned", text="Återskickad text")
    html = report_html(client)
    assert approved.text.split("\n")[0][:60] in html
    assert "Återskickad text" not in html


def test_it_gives_404_for_an_unpublished_edition_to_the_public_and_a_preview_to_a_coordinator(coordinator):
    client, coordinator_client = Client(), Client()
    coordinator_client.force_login(coordinator)
    edition = ReportEdition.objects.get(year=2024)
    ReportEdition.objects.create(strategy=edition.strategy, year=2025, title="Lägesrapport 2025 (utkast)")
    assert client.get(reverse("report", args=[2025])).status_code == 404
    html = report_html(coordinator_client, 2025)
    assert "Förhandsgranskning" in html and "Lägesrapport 2025 (utkast)" in html
    assert "Förhandsgranskning" not in report_html(client, 2024)
    # The archive lists published editions only.
    archive = text_of(client.get(reverse("report_archive")))
    assert reverse("report", args=[2024]) in archive and reverse("report", args=[2025]) not in archive
    assert "Lägesrapport 2025" not in text_of(client.get("/"))


def test_it_snapshots_the_figures_when_the_loaded_edition_is_published():
    edition = ReportEdition.objects.get(year=2024)
    indicator = Indicator.objects.get(slug="beviljade-kontaktforbud")
    value = indicator.series.get().values.get(year=2024)
    frozen = {row["id"]: row for row in edition.snapshot["values"]}
    assert (frozen[value.id]["value"], frozen[value.id]["year"]) == ("37.0000", 2024)
    frozen_reports = {r["commitment_id"] for r in edition.snapshot["status_reports"]}
    assert frozen_reports == set(StatusReport.objects.published().filter(year=2024).values_list("commitment_id", flat=True))


def test_it_keeps_a_published_edition_stable_and_notes_a_later_correction(client):
    indicator = Indicator.objects.get(slug="beviljade-kontaktforbud")
    value = indicator.series.get().values.get(year=2024)
    value.value = Decimal("38")
    value.save()
    later = indicator.series.get().values.create(area=indicator.area, year=2023 - 5, value=Decimal("11"), state="approved")
    html = report_html(client)
    assert '<td class="num">37 %</td><td class="num">Värdet har senare korrigerats till 38 %</td>' in html
    assert '<td class="num">37 %</td>' in re.search(r'id="chart-beviljade-kontaktforbud".*?</table>', html)[0]
    assert "2018" not in re.search(r'id="chart-beviljade-kontaktforbud".*?</table>', html)[0]
    assert later.year == 2018
    # The indicator page shows today's approved figure.
    assert '<td class="num">38 %</td>' in text_of(client.get(reverse("indicator", args=[indicator.slug])))


def test_it_keeps_the_published_figure_while_a_correction_is_under_review(client):
    indicator = Indicator.objects.get(slug="beviljade-kontaktforbud")
    value = indicator.series.get().values.get(year=2024)
    value.value, value.state = Decimal("40"), "draft"
    value.save()
    html = report_html(client)
    assert '<td class="num">37 %</td>' in html
    # Nowhere but on a chart's axis, whose ticks are round marks, not figures.
    assert "40 %" not in re.sub(r'<svg class="chart-svg".*?</svg>', "", html)


def test_it_publishes_a_draft_with_a_snapshot_that_later_values_do_not_change(client, coordinator):
    edition = ReportEdition.objects.get(year=2024)
    draft = ReportEdition.objects.create(
        strategy=edition.strategy, year=2025, title="Lägesrapport 2025", isbn="978-91-7937-999-5", report_number="2026:1"
    )
    indicator = Indicator.objects.get(slug="valj-att-sluta-stodsokande")
    series = indicator.series.get()
    series.values.create(area=indicator.area, year=2025, value=Decimal("150"), state="approved")
    published = report_edition_publish(edition=draft, user=coordinator)
    assert published.is_published and published.published_at and published.snapshot
    assert '<td class="num">150</td>' in report_html(client, 2025)
    series.values.filter(year=2025).update(value=Decimal("151"))  # bypasses the signals: cache still valid
    cache.clear()
    series.values.create(area=indicator.area, year=2017, value=Decimal("1"), state="approved")
    html = report_html(client, 2025)
    assert '<td class="num">150</td><td class="num">Värdet har senare korrigerats till 151</td>' in html
    assert ">2017<" not in html
    snapshot = dict(published.snapshot)
    with pytest.raises(ValidationError, match="redan publicerad"):
        report_edition_publish(edition=published, user=coordinator)
    assert ReportEdition.objects.get(pk=published.pk).snapshot == snapshot


def test_it_caches_the_report_page_and_renders_again_after_a_change(
    client, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    report_html(client)
    with django_assert_max_num_queries(2):
        report_html(client)
    with django_capture_on_commit_callbacks(execute=True):
        report_edition_correct(edition=ReportEdition.objects.get(year=2024), user=None, text="En rättelse från testet")
    assert "En rättelse från testet" in report_html(client)
    indicator = Indicator.objects.get(slug="valj-att-sluta-stodsokande")
    report = StatusReport.objects.published().filter(year=2024).select_related("commitment__goal").first()
    report.text = "En godkänd rättelse av statusrapporten"
    with django_capture_on_commit_callbacks(execute=True):
        report.save()
    # The published edition keeps the text it was published with; the goal page shows today's.
    assert "En godkänd rättelse av statusrapporten" not in report_html(client)
    assert "En godkänd rättelse av statusrapporten" in client.get(f"/mal/{report.commitment.goal.number}/").content.decode()
    assert indicator.title in report_html(client)


def test_it_renders_the_report_in_a_constant_number_of_queries_as_data_grows(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count():
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            report_html(client)
        return len(queries)

    before = count()
    for report in StatusReport.objects.published().filter(year=2024)[:5]:
        report.pk = None
        report.year = 2023
        report.save()
    assert count() == before <= MAX_QUERIES


def test_it_has_a_print_stylesheet_with_a_page_break_per_goal(client):
    from django.contrib.staticfiles import finders

    css = open(finders.find("css/site.css"), encoding="utf-8").read()
    print_rules = css[css.index("@media print"):]
    assert ".report-goal { break-before: page; }" in print_rules
    assert "nav" in print_rules and "display: none" in print_rules
    assert 'class="report-goal"' in report_html(client)


def test_it_numbers_tables_and_diagrams_as_the_report_does(client):
    html = report_html(client)
    for kind, count in (("Tabell", 8), ("Diagram", 7)):
        for number in range(1, count + 1):
            assert re.search(rf'<div class="report-caption">(<p>[^<]*</p> )?<p>{kind} {number}[.:] ', html), (kind, number)
    # Under the indicator whose figures it shows, before its chart or table.
    section = html[html.index("Tabell 5. Sammanställning") - 3000 : html.index("Tabell 5. Sammanställning")]
    assert 'class="panel-title"' in section
    assert "personuppklaringsprocent" in html and "personuppläringens procent uppdelat" not in html
