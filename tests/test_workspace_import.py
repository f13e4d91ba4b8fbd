"""A reporter imports its values from the workspace: a template of its own indicators, filled in and imported as drafts."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from indicators.importing import import_values_csv
from indicators.models import Indicator, Value
from reporting.models import State

from . import reporting

pytestmark = pytest.mark.django_db


@pytest.fixture
def kv(make_user):
    reporting.open_round()
    return make_user("rapportor-kv", "kriminalvarden", "rapportör")


def rows(response):
    text = b"".join(response.streaming_content).decode() if response.streaming else response.content.decode()
    return list(csv.DictReader(io.StringIO(text)))


def test_it_offers_a_template_of_the_organisations_own_indicators_and_imports_it_filled_in(client, kv):
    client.force_login(kv)
    home = client.get(reverse("workspace:home")).content.decode()
    assert reverse("workspace:import_template", args=[2025]) in home and reverse("admin:indicators_value_import") in home
    response = client.get(reverse("workspace:import_template", args=[2025]))
    assert response["Content-Type"].startswith("text/csv") and "attachment" in response["Content-Disposition"]
    template = rows(response)
    own = set(Indicator.objects.filter(responsible__slug="kriminalvarden", status="active").values_list("code", flat=True))
    assert {row["indicator_code"] for row in template} == {c for c in own if Indicator.objects.get(code=c).series.exists()}
    assert all(row["year"] == "2025" and row["value"] == "" for row in template)

    for number, row in enumerate(template, start=10):
        row["value"] = str(number)
    filled = io.StringIO()
    writer = csv.DictWriter(filled, fieldnames=list(template[0]))
    writer.writeheader()
    writer.writerows(template)
    result = import_values_csv(filled.getvalue(), user=kv)
    assert not result.has_validation_errors() and not result.has_errors()
    imported = Value.objects.filter(year=2025, series__indicator__code__in=own)
    assert imported.count() == len(template) and set(imported.values_list("state", flat=True)) == {State.DRAFT}


def test_it_gives_no_template_to_a_coordinator_or_another_organisations_items(client, kv, coordinator, make_user):
    client.force_login(make_user("rapportor-polis", "polisen", "rapportör"))
    codes = {row["indicator_code"] for row in rows(client.get(reverse("workspace:import_template", args=[2025])))}
    assert not codes & set(Indicator.objects.filter(responsible__slug="kriminalvarden").values_list("code", flat=True))
    client.force_login(coordinator)
    assert client.get(reverse("workspace:import_template", args=[2025])).status_code == 404


def test_it_writes_stored_figures_as_the_import_reads_them_back(client, kv):
    indicator = Indicator.objects.get(code="2.I5")
    first, second = list(indicator.series.order_by("order", "pk"))[:2]
    Value.objects.create(series=first, area=indicator.area, year=2025, value="41", state=State.DRAFT)
    Value.objects.create(series=second, area=indicator.area, year=2025, value=None, missing_reason="too_few", state=State.DRAFT)
    client.force_login(kv)
    template = rows(client.get(reverse("workspace:import_template", args=[2025])))
    assert [(row["value"], row["missing_reason"]) for row in template if row["indicator_code"] == "2.I5"][:2] == [
        ("41", ""), ("", "x")
    ]
    stored = [row for row in template if row["value"] or row["missing_reason"]]
    assert len(stored) == 2
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=list(template[0]))
    writer.writeheader()
    writer.writerows(stored)
    result = import_values_csv(text.getvalue(), user=kv, dry_run=True)
    errors = [(r.number, r.error_dict if hasattr(r, "error_dict") else r) for r in result.invalid_rows]
    assert not result.has_validation_errors() and result.totals["update"] == 0, errors[:3]


def filled_in(template, figures):
    """The template with `figures` written into its first rows, the rest left as downloaded."""
    for row, figure in zip(template, figures):
        row["value"] = figure
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=list(template[0]))
    writer.writeheader()
    writer.writerows(template)
    return text.getvalue()


def test_it_imports_a_template_filled_in_part_way_and_leaves_the_empty_rows_as_they_are(client, kv):
    """A reporter who has some of the figures fills in those rows and imports the template as it is: the
    rows left empty write nothing and are not errors, and the preview says how many there were."""
    client.force_login(kv)
    template = rows(client.get(reverse("workspace:import_template", args=[2025])))
    assert len(template) >= 3
    data = filled_in(template, ["12", "7"])

    preview = import_values_csv(data, user=kv, dry_run=True)
    assert not preview.has_validation_errors(), [(r.number, r.error_dict) for r in preview.invalid_rows]
    assert (preview.totals["new"], preview.left_blank) == (2, len(template) - 2)

    result = import_values_csv(data, user=kv)
    assert not result.has_validation_errors() and result.totals["new"] == 2
    assert Value.objects.filter(year=2025, series__indicator__responsible__slug="kriminalvarden").count() == 2

    response = client.post(reverse("admin:indicators_value_import"), {
        "import_file": SimpleUploadedFile("mall.csv", data.encode()), "format": "0"})
    page = response.content.decode()
    blank = len(template) - 2
    said = f"{blank} rad utan värde lämnas som den är." if blank == 1 else f"{blank} rader utan värde lämnas som de är."
    assert said in " ".join(page.split()), page[page.find("import-summary"):][:600]


def test_it_still_refuses_a_row_with_a_note_but_no_figure(client, kv):
    client.force_login(kv)
    template = rows(client.get(reverse("workspace:import_template", args=[2025])))
    template[0]["note"] = "Siffran kommer i maj."
    result = import_values_csv(filled_in(template, []), user=kv, dry_run=True)
    assert result.has_validation_errors() and result.totals["invalid"] == 1
    assert "Ange ett värde eller en orsak till att det saknas." in str(result.invalid_rows[0].error)
