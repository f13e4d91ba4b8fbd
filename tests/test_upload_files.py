"""The uploaded file between preview and confirm: a name the server chose, bound to the uploader's session,
removed after confirm, cancel or expiry; nothing the client sends names a file."""

import html
import os
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from actions.models import StatusReport
from indicators.formats import VALUE_IMPORT_FORMATS, LongCSV
from indicators.models import Value
from reporting.uploads import EXPIRED_UPLOAD, TOKEN_RE, TableCSV, UNKNOWN_UPLOAD

pytestmark = pytest.mark.django_db

CSV = (
    "indicator_code,year,area,breakdown,value,missing_reason,respondents,note\n"
    "1.I2,2021,0180,År 2 på gymnasiet,7.0,,,\n"
).encode()


@pytest.fixture(autouse=True)
def upload_dir(settings, tmp_path):
    settings.IMPORT_UPLOAD_DIR = str(tmp_path / "uppladdningar")
    return tmp_path / "uppladdningar"


def files_in(folder):
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def preview(client, data=CSV, name="varden.csv"):
    return client.post(reverse("admin:indicators_value_import"),
                       {"format": VALUE_IMPORT_FORMATS.index(LongCSV), "resource": 0,
                        "import_file": SimpleUploadedFile(name, data)})


def confirm_data(response):
    form = response.context["confirm_form"]
    data = {name: form.initial.get(name, field.initial) for name, field in form.fields.items()}
    return {k: v for k, v in data.items() if v is not None}


def confirm(client, data):
    return client.post(reverse("admin:indicators_value_process_import"), data, follow=True)


def text(response):
    return html.unescape(response.content.decode())


def new_value():
    return Value.objects.filter(series__indicator__code="1.I2", area__code="0180", year=2021)


def test_it_keeps_the_file_under_a_random_name_and_removes_it_after_the_confirm(coordinator_client, upload_dir):
    shown = preview(coordinator_client)
    data = confirm_data(shown)
    assert TOKEN_RE.match(data["import_file_name"]), "the server's own random name, not the client's"
    assert "varden" not in data["import_file_name"]
    assert files_in(upload_dir) == sorted([data["import_file_name"], data["import_file_name"] + ".preview"])
    assert not new_value().exists()
    confirm(coordinator_client, data)
    assert new_value().exists()
    assert files_in(upload_dir) == []


def test_it_removes_the_file_when_the_import_is_cancelled(coordinator_client, upload_dir):
    shown = preview(coordinator_client)
    assert "Avbryt importen" in text(shown)
    token = confirm_data(shown)["import_file_name"]
    response = coordinator_client.post(reverse("admin:indicators_value_cancel_import"), {"import_file_name": token},
                                       follow=True)
    assert "Importen avbröts" in text(response)
    assert files_in(upload_dir) == []
    # The cancelled preview cannot be confirmed afterwards.
    assert UNKNOWN_UPLOAD in text(confirm(coordinator_client, confirm_data(shown)))
    assert not new_value().exists()


def test_it_removes_expired_uploads_and_refuses_their_confirm(coordinator_client, upload_dir, settings):
    old, young = preview(coordinator_client), preview(coordinator_client)
    old_token = confirm_data(old)["import_file_name"]
    two_hours_ago = time.time() - 2 * 3600
    for name in (old_token, old_token + ".preview"):
        os.utime(upload_dir / name, (two_hours_ago, two_hours_ago))
    call_command("remove_expired_uploads")
    young_token = confirm_data(young)["import_file_name"]
    assert files_in(upload_dir) == sorted([young_token, young_token + ".preview"])
    assert EXPIRED_UPLOAD in text(confirm(coordinator_client, confirm_data(old)))
    assert not new_value().exists()
    # And the session's own record expires too: a preview older than IMPORT_UPLOAD_MAX_AGE is not confirmed.
    settings.IMPORT_UPLOAD_MAX_AGE = -1
    assert EXPIRED_UPLOAD in text(confirm(coordinator_client, confirm_data(young)))
    assert files_in(upload_dir) == [] and not new_value().exists()


def test_it_leaves_no_file_for_a_refused_preview(coordinator_client, upload_dir):
    response = preview(coordinator_client, b"foo,bar\n1,2\n")
    assert "Filen saknar kolumnerna" in text(response)
    assert files_in(upload_dir) == []


def test_it_refuses_a_forged_file_name_and_deletes_nothing(coordinator_client, coordinator, make_user, upload_dir,
                                                          tmp_path):
    victim = tmp_path / "annan-process.txt"
    victim.write_text("inte din")
    (tmp_path / "uppladdningar").mkdir(exist_ok=True)
    other = Client()
    other.force_login(make_user("samordnare-annan", "lansstyrelsen", "samordnare"))
    others_token = confirm_data(preview(other))["import_file_name"]
    mine = confirm_data(preview(coordinator_client))
    for forged in ["../annan-process.txt", str(victim), others_token, "0" * 32, "", "a" * 5000, "..", "\x00"]:
        response = confirm(coordinator_client, {**mine, "import_file_name": forged})
        assert response.status_code == 200
        assert UNKNOWN_UPLOAD in text(response), forged
    assert victim.read_text() == "inte din"
    assert others_token in files_in(upload_dir), "another session's upload is untouched"
    assert not new_value().exists()
    # The other session can still confirm its own file; mine is still mine.
    confirm(other, {**mine, "import_file_name": others_token})
    assert new_value().exists()


def test_it_refuses_a_garbled_format_without_a_500(coordinator_client, upload_dir):
    data = confirm_data(preview(coordinator_client))
    response = confirm(coordinator_client, {**data, "format": "99"})
    assert UNKNOWN_UPLOAD in text(response)
    assert files_in(upload_dir) == []


def test_it_binds_a_status_report_upload_to_its_own_import(coordinator_client, upload_dir):
    """A value preview's name is no key to the status report import."""
    token = confirm_data(preview(coordinator_client))["import_file_name"]
    before = StatusReport.objects.count()
    response = coordinator_client.post(
        reverse("admin:actions_statusreport_process_import"),
        {"import_file_name": token, "original_file_name": "x.csv", "format": 0, "resource": 0}, follow=True)
    assert UNKNOWN_UPLOAD in text(response)
    assert StatusReport.objects.count() == before
    assert token in files_in(upload_dir)
    assert TableCSV  # the status report import reads CSV through the same reader
