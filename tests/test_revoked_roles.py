"""A revoked account stops writing at once: the workspace, the desk and the report editor ask the admin's check.

Active, staff, a role group, and for a reporter its organisation, asked on every request of an
open session: revoking any of them refuses every write with nothing changed.
"""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from actions.models import Commitment, StatusReport
from indicators.models import Indicator, Value
from reporting.admin_review import SUBMIT_BUTTON
from reporting.models import ReportingRound, State
from reporting.roles import COORDINATOR, REPORTER
from reports.models import ReportEdition
from strategy.models import Membership

from . import reporting

pytestmark = pytest.mark.django_db


def leave_group(user, name):
    user.groups.remove(Group.objects.get(name=name))


def clear_staff(user, name):
    user.is_staff = False
    user.save()


def deactivate(user, name):
    user.is_active = False
    user.save()


def leave_organisation(user, name):
    Membership.objects.filter(user=user).delete()


REVOCATIONS = [leave_group, clear_staff, deactivate, leave_organisation]


@pytest.fixture
def reporter(make_user):
    reporting.open_round()
    return make_user("rapportor-kv", "kriminalvarden", "rapportor")


def reporter_writes():
    """(url, data) of every workspace write a reporter makes: save, submit, grid save, grid submit."""
    commitment = Commitment.objects.get(plan__kind="regional", number="2.10")
    report = reporting.status_report(number="2.10", state=State.DRAFT)
    commitment_url = reverse("workspace:commitment", args=[2025, commitment.pk])
    indicator = Indicator.objects.get(code="2.I5")
    series = indicator.series.order_by("order", "pk").first()
    grid_url = reverse("workspace:indicator", args=[2025, indicator.pk]) + f"?omrade={indicator.area.slug}"
    grid = {f"v_{series.pk}_2025": "12"}
    save = {"category": "done", "text": "Ändrat efter återkallad behörighet.", "expected_version": report.version}
    return [
        (commitment_url, {**save, "_save": "1"}),
        (commitment_url, {**save, SUBMIT_BUTTON: "1"}),
        (grid_url, grid),
        (grid_url, {**grid, SUBMIT_BUTTON: "1"}),
    ]


def snapshot():
    return (
        list(StatusReport.objects.order_by("pk").values_list("pk", "state", "text", "version")),
        list(Value.objects.order_by("pk").values_list("pk", "state", "value")),
    )


@pytest.mark.parametrize("revoke", REVOCATIONS)
def test_it_refuses_every_workspace_write_of_a_revoked_reporter(client, reporter, revoke):
    writes = reporter_writes()
    client.force_login(reporter)
    assert client.get(reverse("workspace:home")).status_code == 200  # an open, working session
    before = snapshot()
    revoke(reporter, REPORTER)
    for url, data in writes:
        response = client.post(url, data)
        assert response.status_code in (302, 403, 404), url
        if response.status_code == 302:  # only to the login page, never "saved"
            assert response["Location"].startswith(reverse("admin:login"))
    assert snapshot() == before
    assert client.get(reverse("workspace:home")).status_code in (302, 403)


@pytest.mark.parametrize("revoke", [leave_group, clear_staff, deactivate])
def test_it_refuses_every_desk_and_editor_write_of_a_revoked_coordinator(client, coordinator, revoke):
    reporting.open_round()
    planned = ReportingRound.objects.create(year=2026, deadline="2027-03-31")
    submitted = reporting.status_report(number="2.10", state=State.SUBMITTED)
    client.force_login(coordinator)
    assert client.get(reverse("workspace:desk")).status_code == 200
    revoke(coordinator, COORDINATOR)
    editions = ReportEdition.objects.count()
    responses = [
        client.post(reverse("workspace:desk_transition", args=["statusrapport", submitted.pk, "godkann"])),
        client.post(reverse("workspace:desk_bulk_approve"), {"items": [f"statusrapport-{submitted.pk}"], "confirm": "1"}),
        client.post(reverse("report_editions"), {"year": 2026}),
        client.get(reverse("workspace:matrix_csv", args=[2025])),
        client.post(reverse("workspace:round_open", args=[2026]), {"confirm": "1"}),
        client.post(reverse("workspace:round_close", args=[2025]), {"confirm": "1"}),
    ]
    for response in responses:
        assert response.status_code in (302, 403, 404)
        if response.status_code == 302:
            assert response["Location"].startswith(reverse("admin:login"))
    submitted.refresh_from_db()
    assert submitted.state == State.SUBMITTED and ReportEdition.objects.count() == editions
    planned.refresh_from_db()
    assert not planned.is_open and ReportingRound.objects.get(year=2025).is_open


def test_it_still_lets_a_reporter_with_every_right_write(client, reporter):
    url, data = reporter_writes()[0]
    client.force_login(reporter)
    assert client.post(url, data).status_code == 302
    assert StatusReport.objects.get(commitment__number="2.10", year=2025, commitment__plan__kind="regional").text.startswith("Ändrat")
