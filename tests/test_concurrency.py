"""Two people editing the same item: the second save on a stale version is refused, nothing is lost."""

import pytest
from django.urls import reverse

from reporting.admin_review import STALE_MESSAGE

from . import reporting

pytestmark = pytest.mark.django_db


def form_data(report, text, version):
    return {
        "commitment": report.commitment_id,
        "organisation": report.organisation_id,
        "year": report.year,
        "category": "ongoing",
        "text": text,
        "expected_version": version,
    }


def test_it_carries_the_opened_version_in_a_hidden_field(coordinator_client):
    reporting.open_round()
    report = reporting.status_report()
    html = coordinator_client.get(reverse("admin:actions_statusreport_change", args=[report.pk])).content.decode()
    assert f'<input type="hidden" name="expected_version" value="{report.version}"' in html


def test_it_refuses_a_save_on_a_stale_version(client, make_user):
    reporting.open_round()
    report = reporting.status_report(text="Ursprunglig text.")
    url = reverse("admin:actions_statusreport_change", args=[report.pk])
    first, second = make_user("rapportor-1", "kriminalvarden", "rapportor"), make_user("samordnare-2", "lansstyrelsen", "samordnare")
    opened_version = report.version

    client.force_login(first)
    assert client.post(url, form_data(report, "Först sparad.", opened_version)).status_code == 302

    client.force_login(second)
    response = client.post(url, form_data(report, "Sparad på gammal version.", opened_version))
    assert response.status_code == 200
    assert STALE_MESSAGE in response.content.decode()
    report.refresh_from_db()
    assert report.text == "Först sparad." and report.version == opened_version + 1


def test_it_refuses_a_save_without_a_version(coordinator_client):
    reporting.open_round()
    report = reporting.status_report(text="Ursprunglig text.")
    data = form_data(report, "Utan version.", "")
    response = coordinator_client.post(reverse("admin:actions_statusreport_change", args=[report.pk]), data)
    assert response.status_code == 200
    report.refresh_from_db()
    assert report.text == "Ursprunglig text."


def test_it_refuses_a_stale_value_edit(coordinator_client):
    reporting.open_round()
    value = reporting.value(number="10")
    stale = value.version
    value.value = 11
    value.save()
    data = {"series": value.series_id, "area": value.area_id, "year": value.year, "value": "12", "expected_version": stale}
    response = coordinator_client.post(reverse("admin:indicators_value_change", args=[value.pk]), data)
    assert STALE_MESSAGE in response.content.decode()
    value.refresh_from_db()
    assert value.value == 11
