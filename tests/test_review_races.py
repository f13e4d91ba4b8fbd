"""Races on review: a transition locks the row and checks the version the user was shown, and an import
confirm writes only what its preview showed. The losing side gets a Swedish message; no mail is sent for
a transition that did not happen.

The version checks are tested deterministically (one request after the other, on any database); one
threaded test with a barrier runs approve against edit on PostgreSQL, where the row locks are real."""

import html
import threading
from decimal import Decimal

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections
from django.test import Client
from django.urls import reverse
from actions.models import StatusReport
from config import settings as project_settings
from indicators.formats import VALUE_IMPORT_FORMATS, LongCSV
from indicators.models import Value
from reporting.models import Notification, ReportingRound, State
from reporting.uploads import TableCSV
from reporting.workflow import STALE_TRANSITION

from . import reporting
from reporting import workflow

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def upload_dir(settings, tmp_path):
    settings.IMPORT_UPLOAD_DIR = str(tmp_path / "uppladdningar")


@pytest.fixture
def kv_reporter(make_user):
    user = make_user("rapportor-kv", "kriminalvarden", "rapportor")
    user.email = "kv@example.org"
    user.save()
    return user


def text(response):
    return html.unescape(response.content.decode())


def returned_mails():
    return Notification.objects.filter(kind=Notification.Kind.RETURNED).count()


def edit(report, new_text, user):
    """Someone else's edit, as the change form saves it: a new version of the row."""
    fresh = StatusReport.objects.get(pk=report.pk)
    fresh.text, fresh.state = new_text, State.DRAFT
    fresh._history_user = user
    fresh.save()
    return fresh


# --- transitions ------------------------------------------------------------------------------------

def test_it_refuses_an_approve_of_a_report_edited_since_it_was_read(round_2025, coordinator):
    report = reporting.status_report(state=State.SUBMITTED, text="Gammal text.")
    seen = StatusReport.objects.get(pk=report.pk)  # the approver's copy
    edit(report, "Ny text som inte får försvinna.", coordinator)
    with pytest.raises(ValidationError, match="Någon annan har ändrat posten"):
        workflow.approve(item=seen, user=coordinator)
    report.refresh_from_db()
    assert report.text == "Ny text som inte får försvinna." and report.state == State.DRAFT


def test_it_refuses_an_approve_after_a_return_and_sends_only_the_return_mail(round_2025, coordinator, kv_reporter):
    report = reporting.status_report(state=State.SUBMITTED)
    approvers_copy = StatusReport.objects.get(pk=report.pk)
    workflow.return_(item=StatusReport.objects.get(pk=report.pk), user=coordinator,
                                         comment="Komplettera.")
    assert returned_mails() == 1
    with pytest.raises(ValidationError, match="Någon annan har ändrat posten"):
        workflow.approve(item=approvers_copy, user=coordinator)
    report.refresh_from_db()
    assert report.state == State.RETURNED
    assert returned_mails() == 1


def test_it_refuses_a_return_after_an_approve_and_sends_no_mail(round_2025, coordinator, kv_reporter):
    report = reporting.status_report(state=State.SUBMITTED)
    returners_copy = StatusReport.objects.get(pk=report.pk)
    workflow.approve(item=StatusReport.objects.get(pk=report.pk), user=coordinator)
    with pytest.raises(ValidationError, match="Någon annan har ändrat posten"):
        workflow.return_(item=returners_copy, user=coordinator, comment="För sent.")
    report.refresh_from_db()
    assert report.state == State.APPROVED
    assert returned_mails() == 0


def test_it_checks_the_version_the_page_showed(round_2025, coordinator):
    value = reporting.value(state=State.SUBMITTED)
    shown = value.version
    value.footnote = "Fotnot tillagd efter att sidan visades."
    value.save()
    with pytest.raises(ValidationError, match="Någon annan har ändrat posten"):
        workflow.approve(item=Value.objects.get(pk=value.pk), user=coordinator,
                                         expected_version=shown)
    assert Value.objects.get(pk=value.pk).state == State.SUBMITTED
    approved = workflow.approve(item=Value.objects.get(pk=value.pk), user=coordinator,
                                                expected_version=value.version)
    assert approved.state == State.APPROVED


def test_the_desk_refuses_a_transition_on_a_changed_report_in_swedish(coordinator_client, coordinator, round_2025,
                                                                     kv_reporter):
    report = reporting.status_report(state=State.SUBMITTED, text="Gammal text.")
    desk = text(coordinator_client.get(reverse("workspace:desk")))
    assert f'name="expected_version" value="{report.version}"' in desk
    shown = report.version
    edited = edit(report, "Ny text.", coordinator)
    edited.state = State.SUBMITTED
    edited.save()
    for transition, data in (("godkann", {}), ("returnera", {"comment": "Komplettera."})):
        url = reverse("workspace:desk_transition", args=["statusrapport", report.pk, transition])
        response = coordinator_client.post(url, {**data, "expected_version": shown}, follow=True)
        assert STALE_TRANSITION in text(response)
    report.refresh_from_db()
    assert report.state == State.SUBMITTED and report.text == "Ny text."
    assert returned_mails() == 0


def test_the_admin_review_buttons_carry_and_check_the_version(coordinator_client, coordinator, round_2025):
    report = reporting.status_report(state=State.SUBMITTED)
    page = text(coordinator_client.get(reverse("admin:actions_statusreport_change", args=[report.pk])))
    assert f'name="expected_version" value="{report.version}"' in page.split('id="review-actions"')[1]
    url = reverse("admin:actions_statusreport_review", args=[report.pk])
    response = coordinator_client.post(url, {"transition": "approve", "expected_version": report.version - 1},
                                       follow=True)
    assert STALE_TRANSITION in text(response)
    assert StatusReport.objects.get(pk=report.pk).state == State.SUBMITTED
    coordinator_client.post(url, {"transition": "approve", "expected_version": report.version})
    assert StatusReport.objects.get(pk=report.pk).state == State.APPROVED


# --- import confirm against changes since its preview --------------------------------------------------

VALUES_CSV = (
    "indicator_code,year,area,breakdown,value,missing_reason,respondents,note\n"
    "1.I2,2021,0180,År 2 på gymnasiet,7.0,,,\n"
    "1.I2,2022,Stockholms län,\"Flickor, År 2 på gymnasiet\",6.9,,,Ändrad\n"
)


def value_preview(client, data=VALUES_CSV):
    return client.post(reverse("admin:indicators_value_import"),
                       {"format": VALUE_IMPORT_FORMATS.index(LongCSV), "resource": 0,
                        "import_file": SimpleUploadedFile("varden.csv", data.encode())})


def confirm(client, response, url_name):
    form = response.context["confirm_form"]
    data = {name: form.initial.get(name, field.initial) for name, field in form.fields.items()}
    return client.post(reverse(url_name), {k: v for k, v in data.items() if v is not None}, follow=True)


def test_it_refuses_a_value_confirm_when_a_row_changed_since_the_preview(coordinator_client):
    shown = value_preview(coordinator_client)
    assert shown.context["confirm_form"] is not None
    stored = Value.objects.get(series__indicator__code="1.I2", series__label="Flickor, År 2 på gymnasiet",
                               area__slug="stockholms-lan", year=2022)
    stored.footnote = "Någon annans fotnot."
    stored.save()
    response = confirm(coordinator_client, shown, "admin:indicators_value_process_import")
    page = text(response)
    assert "Inget importerades: 1 rad har ändrats av någon annan sedan förhandsgranskningen" in page
    assert "1.I2 Flickor, År 2 på gymnasiet Stockholms län 2022" in page
    stored.refresh_from_db()
    assert stored.footnote == "Någon annans fotnot."
    assert not Value.objects.filter(series__indicator__code="1.I2", area__code="0180", year=2021).exists()


def test_it_refuses_a_confirm_after_another_import_of_the_same_rows(coordinator_client, make_user):
    other = Client()
    other.force_login(make_user("samordnare-b", "lansstyrelsen", "samordnare"))
    mine = value_preview(coordinator_client)
    theirs_data = VALUES_CSV.replace("7.0", "8.0").replace("6.9", "5.5")
    confirm(other, value_preview(other, theirs_data), "admin:indicators_value_process_import")
    new = Value.objects.get(series__indicator__code="1.I2", area__code="0180", year=2021)
    assert new.value == Decimal("8")
    page = text(confirm(coordinator_client, mine, "admin:indicators_value_process_import"))
    assert "2 rader har ändrats av någon annan" in page
    new.refresh_from_db()
    assert new.value == Decimal("8"), "the other import's rows are kept"


def test_it_confirms_a_value_import_nobody_touched(coordinator_client):
    confirm(coordinator_client, value_preview(coordinator_client), "admin:indicators_value_process_import")
    assert Value.objects.get(series__indicator__code="1.I2", area__code="0180", year=2021).value == Decimal("7")


def test_it_refuses_a_status_report_confirm_when_the_report_changed_since_the_preview(coordinator_client,
                                                                                        coordinator, round_2025):
    report = reporting.status_report(number="2.10", org_slug="kriminalvarden", text="Före.")
    data = "commitment,year,organisation,category,text\n2.10,2025,kriminalvarden,Pågående,Från filen.\n"
    shown = coordinator_client.post(reverse("admin:actions_statusreport_import"),
                                    {"format": 0, "resource": 0, "import_file": SimpleUploadedFile("s.csv", data.encode())})
    assert shown.context["confirm_form"] is not None, text(shown)
    edit(report, "Någon annans text.", coordinator)
    page = text(confirm(coordinator_client, shown, "admin:actions_statusreport_process_import"))
    assert "1 rad har ändrats av någon annan" in page and "2.10 2025" in page
    report.refresh_from_db()
    assert report.text == "Någon annans text."
    assert TableCSV


# --- the PostgreSQL connection ------------------------------------------------------------------------

def test_it_gives_up_on_a_dead_postgresql_connection_within_five_seconds():
    options = project_settings.POSTGRES_OPTIONS
    assert options["keepalives"] == 1
    # Idle 2 s, then a probe a second for 3 s: a silent peer is noticed within 5 s.
    assert options["keepalives_idle"] + options["keepalives_interval"] * options["keepalives_count"] <= 5
    assert options["tcp_user_timeout"] <= 5000  # ms: unacknowledged data is given up after 5 s
    if django_settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        assert django_settings.DATABASES["default"]["OPTIONS"]["tcp_user_timeout"] == options["tcp_user_timeout"]


# --- PostgreSQL, threads and a barrier -----------------------------------------------------------------

def in_own_thread(work):
    outcome = {}

    def run():
        try:
            outcome["result"] = work()
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    return outcome.get("result")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL (CI runs it)")
def test_it_never_loses_an_edit_to_a_simultaneous_approve():
    """20 runs of approve (the desk) against an edit (the change form) of the same submitted report, each
    in its own thread and transaction, released together: whichever wins, the other is refused, and the
    stored text is the editor's whenever the editor was told it was saved."""
    def set_up():
        created_round = None
        if not ReportingRound.objects.filter(year=reporting.YEAR).exists():
            created_round = reporting.open_round().pk
        users = [get_user_model().objects.create_superuser(f"samordnare-kapplopp-{i}", password="pw-for-tests")
                 for i in range(2)]
        report = reporting.status_report(state=State.SUBMITTED, text="Inskickad text.")
        return users, report.pk, created_round

    users, pk, created_round = in_own_thread(set_up)
    outcomes = []
    try:
        for run in range(20):
            in_own_thread(lambda: StatusReport.objects.filter(pk=pk).update(
                state=State.SUBMITTED, text="Inskickad text.", approved_at=None, approved_by=None))
            report = in_own_thread(lambda: StatusReport.objects.get(pk=pk))
            barrier = threading.Barrier(2)
            results = {}
            new_text = f"Rättad text, körning {run}."

            def approve():
                barrier.wait()
                try:
                    workflow.approve(item=StatusReport.objects.get(pk=pk), user=users[0],
                                                          expected_version=report.version)
                    results["approve"] = True
                except ValidationError:
                    results["approve"] = False

            def edit_form():
                client = Client()
                client.force_login(users[1])
                data = {"commitment": report.commitment_id, "organisation": report.organisation_id,
                        "year": report.year, "category": report.category, "text": new_text,
                        "expected_version": report.version}
                barrier.wait()
                response = client.post(reverse("admin:actions_statusreport_change", args=[pk]), data)
                results["edit"] = response.status_code == 302

            threads = [threading.Thread(target=lambda f=f: (f(), connections.close_all())) for f in (approve, edit_form)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            stored = in_own_thread(lambda: StatusReport.objects.get(pk=pk))
            outcomes.append((results.get("approve"), results.get("edit"), stored.state, stored.text))
            assert results["approve"] != results["edit"], outcomes[-1]
            if results["edit"]:
                assert stored.text == new_text and stored.state == State.DRAFT, outcomes[-1]
            else:
                assert stored.text == "Inskickad text." and stored.state == State.APPROVED, outcomes[-1]
    finally:
        def clean_up():
            StatusReport.history.filter(id=pk).delete()
            StatusReport.objects.filter(pk=pk).delete()
            get_user_model().objects.filter(pk__in=[u.pk for u in users]).delete()
            if created_round is not None:
                ReportingRound.objects.filter(pk=created_round).delete()

        in_own_thread(clean_up)
