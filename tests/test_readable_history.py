"""History pages in Swedish (field names, choice labels, local time, the user's name, före → efter) and Swedish numbers in the admin."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from reporting.admin_history import SwedishDecimalField
from reporting.numbers import swedish_number
from reporting.models import State

from . import reporting
from reporting import workflow

pytestmark = pytest.mark.django_db


def test_it_writes_numbers_the_swedish_way():
    assert swedish_number(Decimal("641.0000")) == "641"
    assert swedish_number(Decimal("6.9000")) == "6,9"
    assert swedish_number(Decimal("1.7100")) == "1,71"
    assert swedish_number(Decimal("600")) == "600"
    assert swedish_number(Decimal("12345.5")) == "12\u00a0345,5"
    assert swedish_number(Decimal("-2.5")) == "−2,5"
    field = SwedishDecimalField(max_digits=14, decimal_places=4)
    assert field.prepare_value(Decimal("6.9000")) == "6,9"
    assert field.clean("6,9") == Decimal("6.9") and field.clean("6.9") == Decimal("6.9")


def test_it_shows_values_without_trailing_zeros_in_the_admin(coordinator_client):
    value = reporting.value(code="2.I5", number="641")
    html = coordinator_client.get(reverse("admin:indicators_value_changelist"), {"year": 2025}).content.decode()
    assert ">641<" in html and "641,0000" not in html
    form_html = coordinator_client.get(reverse("admin:indicators_value_change", args=[value.pk])).content.decode()
    assert 'value="641"' in form_html and "641,0000" not in form_html


def test_it_shows_history_in_swedish_with_local_time_and_names(coordinator_client, make_user, coordinator):
    reporting.open_round()
    reporter = make_user("rapportor-kv", "kriminalvarden", "rapportor")
    reporter.first_name, reporter.last_name = "Karin", "Vall"
    reporter.save()
    report = reporting.status_report(number="2.10", category="unspecified", text="")
    report.category, report.text = "ongoing", "Arbetet pågår."
    report._history_user = reporter
    report.save()
    workflow.submit(item=report, user=reporter)
    html = coordinator_client.get(reverse("admin:actions_statusreport_history", args=[report.pk])).content.decode()
    assert "Karin Vall" in html
    assert "Status:</strong> Ej angiven → Pågående" in html  # labels, not codes
    assert "Status i granskningen:</strong> Utkast → Inskickad" in html
    assert "Systemet (inläsning eller import)" in html  # the first version, made without a user
    local = timezone.localtime(report.history.latest().history_date)
    assert f"{local:%H:%M}" in html and local.utcoffset() != datetime.timedelta(0)
    assert "Date/time" not in html and "Changed by" not in html and "draft" not in html



def test_it_names_a_deleted_user_in_swedish_without_an_id(coordinator_client, make_user):
    reporting.open_round()
    approver = make_user("tillfallig-samordnare", "lansstyrelsen", "samordnare")
    report = reporting.status_report(number="2.10", state="submitted")
    report.state, report.approved_by = "approved", approver
    report.save()
    approver.delete()
    html = coordinator_client.get(reverse("admin:actions_statusreport_history", args=[report.pk])).content.decode()
    assert "borttagen användare" in html
    assert "Deleted" not in html and "pk=" not in html
