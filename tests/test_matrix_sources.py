"""The completeness matrix counts the data sources, each local-plan measure once, and downloads as XLSX and CSV."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from actions.models import ActionPlan, Commitment, StatusReport
from indicators.models import Indicator, Series
from reporting.models import State
from strategy.models import Organisation
from workspace.matrix import round_matrix

from . import reporting

pytestmark = pytest.mark.django_db


@pytest.fixture
def round_2025():
    reporting.open_round()
    reporting.status_report(number="2.10", state=State.SUBMITTED)


def sources_group(groups):
    [group] = [g for g in groups if g["sources"]]
    return group


def test_it_lists_the_data_sources_as_rows_of_their_own_and_counts_them(round_2025):
    groups, total = round_matrix(year=2025)
    lines = {line.slug: line for line in sources_group(groups)["children"]}
    bra = Organisation.objects.get(slug="bra")
    measured = Indicator.objects.active().filter(responsible=bra, pk__in=Series.objects.values("indicator_id")).count()
    assert lines["bra"].name == "Datakällor: Brå" and lines["bra"].total == measured > 0
    assert lines["bra"].values["missing"] == measured and lines["bra"].commitments["missing"] == 0
    # Organisations without a reporter are data sources (none has one here): Socialstyrelsen, which shares a
    # commitment, too; its row in the round keeps that commitment only.
    assert "socialstyrelsen" in lines and Commitment.objects.reported_by(Organisation.objects.get(slug="socialstyrelsen")).exists()
    assert sum(g["sum"].total for g in groups) == total.total
    assert sources_group(groups)["sum"].total == sum(line.total for line in lines.values())
    # Values the coordinator enters and approves, one in every series, count.
    indicator = Indicator.objects.active().filter(responsible=bra, pk__in=Series.objects.values("indicator_id")).first()
    reporting.every_series(code=indicator.code, state=State.APPROVED)
    groups, new_total = round_matrix(year=2025)
    bra_line = next(line for line in sources_group(groups)["children"] if line.slug == "bra")
    assert bra_line.values["approved"] == 1 and new_total.approved == total.approved + 1


def test_it_shows_the_data_sources_on_the_page(coordinator_client, round_2025):
    response = coordinator_client.get(reverse("workspace:matrix", args=[2025]))
    html = response.content.decode()
    assert "Datakällor: Brå" in html and "Datakällor, sammanlagt" in html
    response = coordinator_client.get(reverse("workspace:matrix", args=[2025]), {"organisation": "bra"})
    assert response.context["items"] and all(t.kind == "indicator" for _, t in response.context["items"])


def test_it_counts_each_local_plan_measure_once_for_a_municipality_and_its_committees(round_2025):
    plan = ActionPlan.objects.get(owner__slug="sodertalje")
    measures = plan.commitments.count()
    socialnamnden = Organisation.objects.get(slug="sodertalje-socialnamnden")
    measure = plan.commitments.get(number="1:3")
    StatusReport.objects.create(
        commitment=measure, organisation=socialnamnden, year=2025, state=State.SUBMITTED, text="Samverkan pågår.", category="ongoing"
    )
    groups, _ = round_matrix(year=2025)
    [sodertalje] = [g for g in groups if g["top"].slug == "sodertalje"]
    lines = [sodertalje["own"], *sodertalje["children"]]
    local = [
        (line.slug, task) for line in lines for task in line.tasks
        if task.kind == "commitment" and task.subject.plan_id == plan.pk
    ]
    assert len(local) == measures == len({task.subject.pk for _, task in local})
    [(holder, task)] = [(slug, task) for slug, task in local if task.subject == measure]
    # Socialnämnden's submitted report answers for the municipality: counted once, as submitted.
    assert holder == "sodertalje-socialnamnden" and task.state == State.SUBMITTED


def test_it_downloads_as_xlsx_with_numbers_as_numbers(coordinator_client, round_2025):
    response = coordinator_client.get(reverse("workspace:matrix_xlsx", args=[2025]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    assert 'filename="rapporteringslage-2025.xlsx"' in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    header, body = rows[0], {row[0]: row for row in rows[1:]}
    kv = dict(zip(header, body["Kriminalvården"]))
    assert kv["åtaganden inskickad"] == 1 and isinstance(kv["poster"], int)
    assert isinstance(kv["andel inskickade eller godkända (%)"], int)
    groups, total = round_matrix(year=2025)
    assert list(body["Hela omgången"][-4:]) == [total.total, total.done, total.done_percent, total.approved_percent]
    assert "Datakällor: Brå" in body
    # Same rows as the CSV, which stays UTF-8 with a BOM and semicolons.
    csv_response = coordinator_client.get(reverse("workspace:matrix_csv", args=[2025]))
    assert csv_response.content.startswith(b"\xef\xbb\xbf")
    csv_rows = list(csv.reader(io.StringIO(csv_response.content.decode("utf-8-sig")), delimiter=";"))
    assert [row[0] for row in csv_rows] == [str(row[0]) for row in rows]


def test_it_neutralises_names_in_the_xlsx(coordinator_client, round_2025):
    Organisation.objects.filter(slug="kriminalvarden").update(name="=HYPERLINK(\"http://example.org\")", short_name="")
    response = coordinator_client.get(reverse("workspace:matrix_xlsx", args=[2025]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [cell for row in sheet.iter_rows() for cell in row if isinstance(cell.value, str) and "HYPERLINK" in cell.value]
    assert cells and all(cell.data_type == "s" and not cell.value.startswith("=") for cell in cells)
    assert any(cell.value.startswith("'=HYPERLINK") for cell in cells)


@pytest.mark.parametrize("reports", [0, 10])
def test_it_builds_the_matrix_in_a_fixed_number_of_queries(coordinator_client, round_2025, reports, django_assert_num_queries):
    for commitment in Commitment.objects.reported_by(Organisation.objects.get(slug="polisen"))[:reports]:
        reporting.status_report(number=commitment.number, org_slug="polisen", state=State.SUBMITTED)
    with django_assert_num_queries(17):
        coordinator_client.get(reverse("workspace:matrix", args=[2025]))
