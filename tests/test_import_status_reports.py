"""Status reports in and out: import with scope and preview, export and the per-organisation Excel."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from import_export.formats.base_formats import CSV

from actions.models import StatusReport
from actions.resources import StatusReportResource
from reporting.models import State

HEADER = "commitment,year,organisation,category,text\n"


def preview(client, text):
    upload = SimpleUploadedFile("status.csv", text.encode())
    return client.post(reverse("admin:actions_statusreport_import"), {"format": 0, "resource": 0, "import_file": upload})


@pytest.mark.django_db
def test_it_imports_status_reports_as_drafts_and_skips_them_on_reimport(coordinator_client, coordinator):
    text = HEADER + "1.1,2025,lansstyrelsen,Pågående,Arbetet fortsätter.\n"
    response = preview(coordinator_client, text)
    assert response.context["result"].totals["new"] == 1
    form = response.context["confirm_form"]
    coordinator_client.post(
        reverse("admin:actions_statusreport_process_import"),
        {k: v for k, v in ((n, form.initial.get(n, f.initial)) for n, f in form.fields.items()) if v is not None},
    )
    report = StatusReport.objects.get(commitment__number="1.1", year=2025, organisation__slug="lansstyrelsen")
    assert report.state == State.DRAFT and report.category == "ongoing"
    assert report.history.count() == 1
    again = StatusReportResource(user=coordinator).import_data(CSV().create_dataset(text), dry_run=False)
    assert again.totals["skip"] == 1


@pytest.mark.django_db
def test_it_keeps_a_reporter_to_its_own_organisation(client, make_user):
    reporter = make_user("rapportor-polisen", "polisen", "rapportor")
    client.force_login(reporter)
    before = StatusReport.objects.count()
    response = preview(client, HEADER + "1.1,2025,polisen,Genomförd,Klart.\n1.2,2025,lansstyrelsen,Genomförd,Klart.\n")
    html = response.content.decode()
    assert "Du kan bara rapportera för din egen organisation" in html
    assert response.context["result"].has_validation_errors()
    assert StatusReport.objects.count() == before


@pytest.mark.django_db
def test_it_reports_unknown_commitments_and_categories(coordinator):
    text = HEADER + "99.99,2025,lansstyrelsen,Pågående,x\n1.1,2025,lansstyrelsen,Kanske,x\n"
    result = StatusReportResource(user=coordinator).import_data(CSV().create_dataset(text), dry_run=True)
    messages = [m for row in result.invalid_rows for ms in row.error_dict.values() for m in ms]
    assert any("Okänt åtagande" in m for m in messages) and any("Okänd status" in m for m in messages)


@pytest.mark.django_db
def test_it_downloads_a_years_reports_per_organisation_scoped_for_reporters(client, make_user):
    reporter = make_user("rapportor-lst", "lansstyrelsen", "rapportor")
    client.force_login(reporter)
    everything = StatusReport.objects.filter(year=2024)
    assert everything.exclude(organisation__slug="lansstyrelsen").exists(), "the real data has other organisations"
    response = client.post(
        reverse("admin:actions_statusreport_changelist"),
        {"action": "download_status_reports_xlsx", "_selected_action": list(everything.values_list("pk", flat=True))},
    )
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert len(book.sheetnames) == 1
    rows = list(book.active.iter_rows(values_only=True))
    assert len(rows) - 1 == everything.filter(organisation__slug="lansstyrelsen").count()
