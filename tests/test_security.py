"""Security: CSP, login throttling, session expiry, password rules, inert user-entered text."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import Resolver404, resolve
from django.utils import timezone

from actions.models import StatusReport
from indicators.models import Indicator, Value
from reports.services import (
    goal_section_write,
    indicator_analysis_write,
    report_edition_correct,
    report_edition_create,
    report_edition_publish,
    report_edition_update,
)
from reporting.models import State

SCRIPT = "<script>alert(1)</script>"
RAW = "<script>alert(1)"
ESCAPED = "&lt;script&gt;alert(1)"

# The public pages; the ones not built yet are skipped (see public_paths).
PUBLIC_PAGE_PATTERNS = ["/", "/mal/1/", "/indikatorer/{slug}/", "/lagesrapport/2024/", "/lagesrapport/2025/", "/data/values.csv"]


def public_paths(indicator_slug):
    """The public pages that exist in this checkout, with the real indicator's address filled in."""
    paths = []
    for pattern in PUBLIC_PAGE_PATTERNS:
        path = pattern.format(slug=indicator_slug)
        try:
            resolve(path)
        except Resolver404:
            continue
        paths.append(path)
    return paths


def csp_directives(response):
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


def assert_strict_csp(response):
    directives = csp_directives(response)
    assert directives["default-src"] == ["'self'"]
    # Only the site's own script files: no inline script, no eval, no other host.
    assert directives["script-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]


def test_it_sends_a_strict_csp_on_public_responses(client, db):
    # A real indicator's page: a 404 page would carry the header too and prove nothing about the page.
    slug = Indicator.objects.filter(series__values__in=Value.objects.published()).order_by("code").first().slug
    # The real data publishes the 2024 report only; the 2025 one is the hostile-text test's own.
    paths = [path for path in public_paths(slug) if path != "/lagesrapport/2025/"]
    assert f"/indikatorer/{slug}/" in paths
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        assert_strict_csp(response)


def test_it_sends_a_strict_csp_on_the_admin_and_the_login_page_works_under_it(client, db):
    response = client.get("/admin/login/")
    assert response.status_code == 200
    assert_strict_csp(response)
    html = response.content.decode()
    # Under script-src 'self' an inline script or event handler would not run:
    # the login page may only load script files from the site itself.
    for chunk in html.split("<script")[1:]:
        tag = chunk.split(">", 1)[0]
        assert "src=" in tag, tag
        src = tag.split("src=", 1)[1].strip("\"' ")
        assert src.startswith("/static/"), src
    assert " onload=" not in html and " onclick=" not in html
    get_user_model().objects.create_superuser("admin-csp", password="ett-riktigt-långt-lösenord")
    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": "admin-csp", "password": "ett-riktigt-långt-lösenord", "next": "/admin/"},
    )
    assert response.status_code == 302
    admin_index = client.get("/admin/")
    assert admin_index.status_code == 200
    assert_strict_csp(admin_index)


@pytest.fixture
def staff_user(db):
    return get_user_model().objects.create_user(
        "lasse-test", password="korrekt-hast-batteri-häfta", is_staff=True, is_superuser=True
    )


@override_settings(AXES_ENABLED=True)
def test_it_locks_out_the_admin_login_after_five_wrong_passwords(client, staff_user):
    login = "/admin/login/?next=/admin/"
    statuses = []
    for _ in range(6):
        response = client.post(login, {"username": "lasse-test", "password": "fel-lösenord", "next": "/admin/"})
        statuses.append(response.status_code)
    # The first wrong passwords show the form again; by the sixth the account is locked.
    assert statuses[:4] == [200, 200, 200, 200]
    assert statuses[5] == 429
    # While locked, even the right password is refused.
    response = client.post(login, {"username": "lasse-test", "password": "korrekt-hast-batteri-häfta", "next": "/admin/"})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302


@override_settings(AXES_ENABLED=True)
def test_it_does_not_lock_out_after_a_few_mistakes(client, staff_user):
    login = "/admin/login/?next=/admin/"
    for _ in range(3):
        client.post(login, {"username": "lasse-test", "password": "fel-lösenord", "next": "/admin/"})
    response = client.post(login, {"username": "lasse-test", "password": "korrekt-hast-batteri-häfta", "next": "/admin/"})
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_it_expires_sessions(client, staff_user, settings):
    assert 0 < settings.SESSION_COOKIE_AGE <= 12 * 60 * 60
    client.force_login(staff_user)
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE
    assert client.get("/admin/").status_code == 200
    # A session older than SESSION_COOKIE_AGE is no longer accepted.
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


@pytest.mark.parametrize("password", ["kort", "password1234", "123456789012", "lasse-test-1"])
def test_it_refuses_weak_passwords(password, staff_user):
    with pytest.raises(ValidationError):
        validate_password(password, user=staff_user)


def test_it_accepts_a_long_password(staff_user):
    validate_password("korrekt-hast-batteri-häfta", user=staff_user)


@pytest.fixture
def hostile_texts(db):
    """A script tag in every kind of user-entered text that reaches a public page."""
    value = (
        Value.objects.published()
        .filter(series__indicator__goal__number=1, series__is_headline=True)
        .select_related("series__indicator")
        .first()
    )
    assert value is not None, "the real data has approved values for goal 1"
    value.footnote = SCRIPT
    value.save()
    indicator = value.series.indicator

    report = StatusReport.objects.filter(year=2024).first()
    assert report is not None, "the real data has status reports for 2024"
    report.text = SCRIPT
    report.state = State.APPROVED
    report.save()

    # A new edition written with the hostile texts, then published (the latest: its analyses are live).
    edition = report_edition_create(year=2025, user=None)
    report_edition_update(edition=edition, user=None, isbn="978-91-7937-999-5", report_number="2026:1", foreword=SCRIPT, how_to_use=f"[länk](javascript:alert(1)) {SCRIPT}")
    goal_section_write(edition=edition, goal=indicator.shown_goal, user=None, summary=SCRIPT, intro=SCRIPT)
    indicator_analysis_write(edition=edition, indicator=indicator, user=None, text=f"En analys {SCRIPT}\n\n[{SCRIPT}]")
    report_edition_publish(edition=edition, user=None)
    report_edition_correct(edition=edition, user=None, text=f"En rättelse {SCRIPT}")
    # Pages cached by earlier tests must not hide what is rendered now.
    cache.clear()
    return indicator


def test_it_renders_user_entered_text_inert_on_public_pages(client, hostile_texts):
    checked, shown_escaped = [], []
    for path in public_paths(hostile_texts.slug):
        response = client.get(path)
        if response.status_code == 404:
            continue
        assert response.status_code == 200, path
        body = b"".join(response.streaming_content) if response.streaming else response.content
        content_type = response["Content-Type"]
        if content_type.startswith("text/html"):
            assert RAW.encode() not in body, path
            if ESCAPED.encode() in body:
                shown_escaped.append(path)
        else:
            # A download carries the data verbatim (escaping would corrupt it); it is
            # inert because no browser renders it: a data type, an attachment, no sniffing.
            assert not content_type.startswith(("text/html", "application/xhtml")), path
            assert response["Content-Disposition"].startswith("attachment"), path
            assert response["X-Content-Type-Options"] == "nosniff", path
        checked.append(path)
    assert "/data/values.csv" in checked
    if any(path != "/data/values.csv" for path in checked):
        # The texts do reach the pages, as text: otherwise this test would prove nothing.
        assert shown_escaped, checked
