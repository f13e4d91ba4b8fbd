"""Accounts in the workspace: the coordinator invites, deactivates and moves reporters, and lifts a lockout."""

import re
from datetime import datetime, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reporting.roles import REPORTER
from strategy.models import Organisation

pytestmark = pytest.mark.django_db

ACCOUNTS = "/rapportering/konton/"
PASSWORD = "Ett-nytt-langt-losen-42"


def invite(client, email="ny.rapportor@example.org", organisation="kriminalvarden"):
    return client.post(
        ACCOUNTS,
        {
            "invite-first_name": "Nina",
            "invite-last_name": "Nyberg",
            "invite-email": email,
            "invite-organisation": Organisation.objects.get(slug=organisation).pk,
        },
    )


def log_in(client, username, password):
    return client.post(reverse("admin:login"), {"username": username, "password": password})


@pytest.fixture
def other():
    """A second browser: `client` is the coordinator's (coordinator_client logs it in)."""
    return Client()


@pytest.fixture
def reporter(make_user):
    return make_user("rapportor-kv", "kriminalvarden", "rapportor")


def test_it_invites_a_reporter_who_sets_a_password_and_lands_in_the_workspace(
    coordinator_client, other, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(coordinator_client)
    assert response.status_code == 302 and response["Location"] == ACCOUNTS
    user = get_user_model().objects.get(username="ny.rapportor@example.org")
    assert not user.has_usable_password() and user.is_active and user.is_staff
    assert user.membership.organisation.slug == "kriminalvarden" and user.groups.filter(name=REPORTER).exists()
    (message,) = mail.outbox
    assert message.to == ["ny.rapportor@example.org"] and "rapportör" in message.subject
    assert "Kriminalvården" in message.body and "samordnare-test" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and 'lang="sv"' in html
    link = re.search(r"https?://[^/\s]+(/konto/aterstall/\S+/)", message.body).group(1)
    form_page = other.get(link, follow=True)
    set_url = form_page.redirect_chain[-1][0]
    done = other.post(set_url, {"new_password1": PASSWORD, "new_password2": PASSWORD})
    assert done.status_code == 302 and done["Location"] == "/konto/klart/"
    assert "Länken gäller inte längre" in other.get(link, follow=True).content.decode()  # one time only
    other.logout()
    login = log_in(other, "ny.rapportor@example.org", PASSWORD)
    assert login.status_code == 302 and login["Location"] == reverse("workspace:home")
    home = other.get(login["Location"])
    assert home.status_code == 200 and "Kriminalvården" in home.content.decode()


def test_it_refuses_a_second_account_for_the_same_address(coordinator_client, reporter):
    invite(coordinator_client)
    response = invite(coordinator_client, email="NY.rapportor@example.org")
    assert response.status_code == 200 and "Det finns redan ett konto" in response.content.decode()
    assert get_user_model().objects.filter(email__iexact="ny.rapportor@example.org").count() == 1


def test_it_refuses_an_invitation_without_an_organisation(coordinator_client):
    response = coordinator_client.post(ACCOUNTS, {"invite-first_name": "A", "invite-last_name": "B", "invite-email": "a@example.org", "invite-organisation": "999999"})
    assert response.status_code == 200 and "Ingen inbjudan skickades" in response.content.decode()
    assert mail.outbox == [] and not get_user_model().objects.filter(email="a@example.org").exists()


def test_it_deactivates_a_reporter_who_then_cannot_log_in(coordinator_client, other, reporter):
    assert log_in(other, "rapportor-kv", "pw-for-tests").status_code == 302
    other.logout()
    response = coordinator_client.post(f"{ACCOUNTS}{reporter.pk}/inaktivera/", {"confirm": "1"})
    assert response.status_code == 302
    reporter.refresh_from_db()
    assert not reporter.is_active
    refused = log_in(other, "rapportor-kv", "pw-for-tests")
    assert refused.status_code == 200 and not refused.wsgi_request.user.is_authenticated


def test_it_moves_a_reporter_to_another_organisation(coordinator_client, reporter):
    polisen = Organisation.objects.get(slug="polisen")
    response = coordinator_client.post(f"{ACCOUNTS}{reporter.pk}/flytta/", {f"move-{reporter.pk}-organisation": polisen.pk})
    assert response.status_code == 302
    reporter.membership.refresh_from_db()
    assert reporter.membership.organisation == polisen


def test_it_refuses_a_move_to_no_organisation_with_a_message(coordinator_client, reporter):
    response = coordinator_client.post(f"{ACCOUNTS}{reporter.pk}/flytta/", {f"move-{reporter.pk}-organisation": "x"}, follow=True)
    assert "flyttades inte" in response.content.decode()
    reporter.membership.refresh_from_db()
    assert reporter.membership.organisation.slug == "kriminalvarden"


def test_it_lifts_a_lockout(settings, coordinator_client, other, reporter):
    settings.AXES_ENABLED = True
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(other, "rapportor-kv", "fel-losenord")
    assert not log_in(other, "rapportor-kv", "pw-for-tests").wsgi_request.user.is_authenticated  # locked out
    page = coordinator_client.get(ACCOUNTS).content.decode()
    assert "Spärrad efter för många felaktiga inloggningar" in page
    assert coordinator_client.post(f"{ACCOUNTS}{reporter.pk}/hav-sparr/").status_code == 302
    login = log_in(other, "rapportor-kv", "pw-for-tests")
    assert login.status_code == 302 and login.wsgi_request.user.is_authenticated


def test_it_manages_reporters_only(coordinator_client, make_user):
    other = make_user("samordnare-2", "lansstyrelsen", "samordnare")
    assert coordinator_client.post(f"{ACCOUNTS}{other.pk}/inaktivera/").status_code == 404
    other.refresh_from_db()
    assert other.is_active


def test_it_is_for_coordinators_only(client, reporter):
    client.force_login(reporter)
    assert client.get(ACCOUNTS).status_code == 403
    assert invite(client).status_code == 403
    assert client.post(f"{ACCOUNTS}{reporter.pk}/inaktivera/").status_code == 403
    reporter.refresh_from_db()
    assert reporter.is_active and mail.outbox == []


def test_it_rolls_the_account_back_when_the_mail_cannot_be_sent(coordinator_client, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2  # nothing listens
    response = invite(coordinator_client)
    assert response.status_code == 503 and "inget konto skapades" in response.content.decode()
    assert not get_user_model().objects.filter(email="ny.rapportor@example.org").exists()


def test_it_lists_one_or_many_reporters_in_the_same_number_of_queries(coordinator_client, make_user, django_assert_num_queries):
    make_user("rapportor-0", "kriminalvarden", "rapportor")
    coordinator_client.get(ACCOUNTS)
    with CaptureQueriesContext(connection) as one:
        coordinator_client.get(ACCOUNTS)
    for n, slug in enumerate(["polisen", "bra", "socialstyrelsen", "aklagarmyndigheten", "scb"], 1):
        make_user(f"rapportor-{n}", slug, "rapportor")
    with django_assert_num_queries(len(one)):
        html = coordinator_client.get(ACCOUNTS).content.decode()
    assert "rapportor-5" in html


def test_it_sends_a_new_invitation_when_the_first_link_has_expired(
    coordinator_client, other, monkeypatch, settings
):
    # The first invitation was sent longer ago than a link is valid.
    long_ago = datetime.now() - timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT + 3600)
    with monkeypatch.context() as patch:
        patch.setattr(PasswordResetTokenGenerator, "_now", lambda self: long_ago)
        invite(coordinator_client)
    user = get_user_model().objects.get(username="ny.rapportor@example.org")
    expired = re.search(r"https?://[^/\s]+(/konto/aterstall/\S+/)", mail.outbox[0].body).group(1)
    assert "Länken gäller inte längre" in other.get(expired, follow=True).content.decode()

    page = coordinator_client.get(ACCOUNTS).content.decode()
    url = reverse("workspace:account_reinvite", args=[user.pk])
    assert f'action="{url}"' in page and "Skicka inbjudan igen" in page
    response = coordinator_client.post(url, follow=True)
    assert "En ny inbjudan med en ny länk har skickats till ny.rapportor@example.org." in response.content.decode()
    assert len(mail.outbox) == 2 and mail.outbox[1].to == ["ny.rapportor@example.org"]
    assert "Kriminalvården" in mail.outbox[1].body
    link = re.search(r"https?://[^/\s]+(/konto/aterstall/\S+/)", mail.outbox[1].body).group(1)
    form_page = other.get(link, follow=True)
    done = other.post(form_page.redirect_chain[-1][0], {"new_password1": PASSWORD, "new_password2": PASSWORD})
    assert done.status_code == 302 and done["Location"] == "/konto/klart/"


def test_it_does_not_re_invite_a_reporter_who_has_a_password(coordinator_client, reporter):
    page = coordinator_client.get(ACCOUNTS).content.decode()
    url = reverse("workspace:account_reinvite", args=[reporter.pk])
    assert f'action="{url}"' not in page
    response = coordinator_client.post(url, follow=True)
    assert "kan bjudas in igen" in response.content.decode() and mail.outbox == []


def test_it_asks_before_it_deactivates_a_reporter(coordinator_client, reporter):
    # One click on the accounts page used to lock a reporter out at once, with no way back there.
    page = coordinator_client.get(ACCOUNTS).content.decode()
    confirm_url = f"{ACCOUNTS}{reporter.pk}/inaktivera/"
    assert f'href="{confirm_url}"' in page
    confirm = coordinator_client.get(confirm_url)
    assert confirm.status_code == 200
    html = confirm.content.decode()
    assert "Inaktivera rapportor-kv?" in html and 'name="confirm" value="1"' in html and "Inget har ändrats än." in html
    reporter.refresh_from_db()
    assert reporter.is_active
    unconfirmed = coordinator_client.post(confirm_url)
    assert unconfirmed.status_code == 302 and unconfirmed["Location"] == confirm_url
    reporter.refresh_from_db()
    assert reporter.is_active
    assert coordinator_client.post(confirm_url, {"confirm": "1"})["Location"] == ACCOUNTS
    reporter.refresh_from_db()
    assert not reporter.is_active
