"""Two people editing the same item: the second save on a stale version is refused, nothing is lost."""

import threading

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, connections
from django.urls import reverse

from indicators.grid import ValuesGridForm, values_grid_submit
from indicators.models import Indicator, Value
from strategy.models import Area

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


def in_own_thread(work):
    """Run `work()` in a new thread, on its own database connection, committed; return its result."""
    outcome = {}

    def run():
        try:
            outcome["result"] = work()
        except Exception as exc:  # handed to the caller
            outcome["error"] = exc
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["result"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_it_refuses_the_second_of_two_simultaneous_grid_saves_opened_on_the_same_grid():
    """Two saves from the same fingerprint at once, each in its own transaction: one wins, one is refused."""
    indicator = Indicator.objects.get(code="1.I2")
    used = Value.objects.filter(series__indicator=indicator).values("area_id")
    area = Area.objects.filter(kind="municipality").exclude(pk__in=used).order_by("code").first()
    series = list(indicator.series.order_by("order", "pk")[:2])
    opened = ValuesGridForm(indicator=indicator, area=area)
    base = {name: field.initial or "" for name, field in opened.fields.items()}
    user = in_own_thread(
        lambda: get_user_model().objects.create_superuser("samordnare-samtidigt", password="pw-for-tests")
    )
    barrier = threading.Barrier(2)

    def save(series_index, figure):
        data = {**base, ValuesGridForm.cell_name(series[series_index], 2023): figure}
        barrier.wait()
        form, result = values_grid_submit(data=data, indicator=indicator, area=area, user=user)
        return [str(e) for errors in form.errors.values() for e in errors], result

    results = [None, None]

    def worker(index, figure):
        try:
            results[index] = save(index, figure)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i, f)) for i, f in ((0, "6,1"), (1, "7,2"))]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        saved = [r for r in results if r and r[1] is not None]
        refused = [r for r in results if r and r[1] is None]
        assert len(saved) == 1 and len(refused) == 1, results
        assert "Någon annan har ändrat värdena" in " ".join(refused[0][0])
        stored = in_own_thread(lambda: list(Value.objects.filter(series__indicator=indicator, area=area)))
        assert len(stored) == 1, "the refused save wrote nothing; the saved one is whole"
    finally:
        def clean_up():
            values = Value.objects.filter(series__indicator=indicator, area=area)
            Value.history.filter(id__in=values.values("id")).delete()
            values.delete()
            get_user_model().objects.filter(pk=user.pk).delete()

        in_own_thread(clean_up)
