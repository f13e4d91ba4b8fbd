"""The report editor, the admin and reporting's messages follow the user's language (issue 25).

Swedish by default; English with the language cookie or under translation.override("en")."""

import pytest
from django.conf import settings
from django.utils import translation

from indicators.models import Value
from reporting.policy import Action, Item, Policy, Write
from reporting.uploads import FileRefused, check_size

pytestmark = pytest.mark.django_db


def approval_refusal(user):
    """What the write policy answers a reporter who tries to approve a submitted value."""
    item = Item(kind=Value, subject_id=None, organisation_id=None, year=2024, state="submitted")
    decision = Policy(user).decide(Write(Action.APPROVE, before=item))
    assert not decision.allowed
    return decision.reason


def upload_refusal():
    """What the upload reader answers a file one byte over the size limit."""
    with pytest.raises(FileRefused) as refused:
        check_size(settings.IMPORT_MAX_FILE_BYTES + 1)
    return str(refused.value)


def test_it_gives_a_policy_refusal_in_swedish_by_default_and_in_english_with_english_active(make_user):
    reporter = make_user("rapportor-sprak", "polisen", "rapportor")
    assert approval_refusal(reporter) == "Bara samordnare kan granska."
    with translation.override("en"):
        assert approval_refusal(reporter) == "Only coordinators can review."


def test_it_gives_an_upload_limit_message_in_swedish_by_default_and_in_english_with_english_active():
    swedish = upload_refusal()
    assert swedish.startswith("Filen är ") and "Dela upp den i flera filer." in swedish
    with translation.override("en"):
        english = upload_refusal()
    assert english.startswith("The file is ") and "Split it into several files." in english


def test_it_shows_the_report_editor_and_the_admin_in_the_language_the_user_chose(coordinator_client):
    editions = coordinator_client.get("/rapportering/lagesrapport/").content.decode()
    assert "<h1>Lägesrapporter</h1>" in editions and "Skapa utkast" in editions
    admin = coordinator_client.get("/admin/indicators/value/").content.decode()
    assert "Godkänn markerade" in admin

    coordinator_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    editions = coordinator_client.get("/rapportering/lagesrapport/").content.decode()
    assert '<html lang="en"' in editions
    assert "<h1>Status reports</h1>" in editions and "Create draft" in editions
    assert "Here you write, check and publish the regional status report." in editions
    admin = coordinator_client.get("/admin/indicators/value/").content.decode()
    assert "Approve selected" in admin and "Godkänn markerade" not in admin
