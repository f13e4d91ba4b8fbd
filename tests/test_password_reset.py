"""Password reset for everyone: Django's own views in Swedish, the same answer for any address, rate limited."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from workspace import accounts

pytestmark = pytest.mark.django_db

RESET = "/konto/losenord/"
DONE = "/konto/losenord/skickat/"


@pytest.fixture
def reporter(make_user):
    user = make_user("rapportor-kv", "kriminalvarden", "rapportor")
    get_user_model().objects.filter(pk=user.pk).update(email="kv@example.org")
    return user


def test_it_links_to_the_reset_from_the_login_page(client):
    html = client.get(reverse("admin:login")).content.decode()
    assert f'href="{RESET}"' in html and "Glömt lösenord?" in html


def test_it_gives_an_unknown_address_the_same_answer_and_no_mail(client, reporter):
    unknown = client.post(RESET, {"email": "ingen@example.org"})
    known = client.post(RESET, {"email": "kv@example.org"})
    assert unknown.status_code == known.status_code == 302 and unknown["Location"] == known["Location"] == DONE
    assert [m.to for m in mail.outbox] == [["kv@example.org"]]
    assert "Kolla din e-post" in client.get(DONE).content.decode()


def test_it_mails_a_link_that_sets_a_new_password_and_then_logs_in(client, reporter):
    assert "Glömt lösenord?" in client.get(RESET).content.decode()
    client.post(RESET, {"email": "kv@example.org"})
    (message,) = mail.outbox
    assert message.subject == "Nytt lösenord till uppföljningen av våldsstrategin"
    assert "rapportor-kv" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and 'lang="sv"' in html
    link = re.search(r"http://testserver(/konto/aterstall/\S+/)", message.body).group(1)
    form_page = client.get(link, follow=True)
    assert "Välj nytt lösenord" in form_page.content.decode()
    set_url = form_page.redirect_chain[-1][0]
    done = client.post(set_url, {"new_password1": "Ett-nytt-langt-losen-42", "new_password2": "Ett-nytt-langt-losen-42"})
    assert done.status_code == 302 and done["Location"] == "/konto/klart/"
    assert "Lösenordet är bytt" in client.get("/konto/klart/").content.decode()
    assert "Länken gäller inte längre" in client.get(link, follow=True).content.decode()  # used once
    client.logout()
    login = client.post(reverse("admin:login"), {"username": "rapportor-kv", "password": "Ett-nytt-langt-losen-42"})
    assert login.status_code == 302 and login["Location"] == reverse("workspace:home")


def test_it_limits_requests_per_address_with_the_same_answer(client, reporter):
    for _ in range(accounts.PER_ADDRESS + 2):
        response = client.post(RESET, {"email": "kv@example.org"})
        assert response.status_code == 302 and response["Location"] == DONE
    assert len(mail.outbox) == accounts.PER_ADDRESS


def test_it_limits_requests_per_client_address(client, reporter):
    for n in range(accounts.PER_IP):
        client.post(RESET, {"email": f"nagon-{n}@example.org"})
    response = client.post(RESET, {"email": "kv@example.org"})
    assert response.status_code == 302 and response["Location"] == DONE and mail.outbox == []


def test_it_counts_each_client_behind_the_trusted_proxy_on_its_own(settings, client, reporter):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    for n in range(accounts.PER_IP):
        client.post(RESET, {"email": f"nagon-{n}@example.org"}, HTTP_X_FORWARDED_FOR="203.0.113.7")
    # Another client behind the same proxy still gets its mail.
    client.post(RESET, {"email": "kv@example.org"}, HTTP_X_FORWARDED_FOR="198.51.100.9")
    assert len(mail.outbox) == 1
