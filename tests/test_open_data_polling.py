"""Cheap polling of the open data: ETag and Last-Modified from the data's version, 304 when nothing
changed, a fresh body once a value is approved, and CORS open for GET."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.http import http_date
from indicators.models import Value

from . import reporting
from reporting import workflow

pytestmark = pytest.mark.django_db

URLS = [
    "/data/values.csv",
    "/data/values.xlsx",
    "/indikatorer/kriminalvarden-behandlingsprogram-vnr/data.csv",
    "/indikatorer/kriminalvarden-behandlingsprogram-vnr/data.xlsx",
    "/api/v1/",
    "/api/v1/indicators/",
    "/api/v1/indicators/kriminalvarden-behandlingsprogram-vnr/values/",
    "/api/v1/openapi.json",
    "/data/katalog.rdf",
    "/data/katalog.ttl",
    "/data/katalog.jsonld",
]


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.mark.parametrize("url", URLS)
def test_it_answers_304_to_a_repeated_request_with_if_none_match(client, url):
    first = client.get(url)
    assert first.status_code == 200 and first["ETag"].startswith('W/"') and first["Last-Modified"]
    with CaptureQueriesContext(connection) as queries:
        again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == first["ETag"]
    assert queries.captured_queries == []  # the answer costs one cache read, no SQL
    assert client.get(url, HTTP_IF_NONE_MATCH='W/"something-else"').status_code == 200


@pytest.mark.parametrize("url", ["/data/values.csv", "/api/v1/indicators/", "/data/katalog.ttl"])
def test_it_answers_304_to_if_modified_since(client, url):
    first = client.get(url)
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=http_date(0)).status_code == 200


def test_it_gives_a_fresh_body_after_a_value_is_approved(client, coordinator, django_capture_on_commit_callbacks):
    url = "/data/values.csv"
    first = client.get(url)
    before = body(first).decode()
    reporting.open_round()
    value = reporting.value(code="2.I5", number="987654")
    value.state = "submitted"
    value.save()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.approve(item=Value.objects.get(pk=value.pk), user=coordinator)
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200 and again["ETag"] != first["ETag"]
    rows = list(csv.DictReader(io.StringIO(body(again).decode())))
    assert "987654" not in before and any(r["value"] == "987654" for r in rows)
    api = client.get("/api/v1/indicators/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert api.status_code == 200 and api["ETag"] == again["ETag"]


@pytest.mark.parametrize("url", URLS)
def test_it_lets_any_site_read_the_open_data(client, url):
    response = client.get(url, HTTP_ORIGIN="https://example.org")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response["Access-Control-Expose-Headers"]


def test_it_answers_a_cors_preflight_for_polling_with_validators(client):
    response = client.options(
        "/api/v1/indicators/", HTTP_ORIGIN="https://example.org", HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="if-none-match",
    )
    assert response.status_code == 204
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "GET" in response["Access-Control-Allow-Methods"]
    assert "If-None-Match" in response["Access-Control-Allow-Headers"]


def test_it_keeps_validators_and_cors_off_the_html_pages(client):
    response = client.get("/data/")
    assert "ETag" not in response and "Access-Control-Allow-Origin" not in response


@pytest.mark.parametrize("url", ["/data/values.csv", "/data/values.xlsx", "/data/katalog.rdf"])
def test_it_answers_head_for_link_checkers(client, url):
    response = client.head(url)
    assert response.status_code == 200 and response["ETag"]


def test_it_changes_the_etag_when_the_licence_setting_changes(client, settings):
    from reports.opendata import code_fingerprint

    before = client.get("/data/katalog.ttl")["ETag"]
    settings.DATA_LICENCE_URL = "http://creativecommons.org/licenses/by/4.0/"
    code_fingerprint.cache_clear()
    try:
        after = client.get("/data/katalog.ttl", HTTP_IF_NONE_MATCH=before)
        assert after.status_code == 200 and after["ETag"] != before
        assert b"http://creativecommons.org/licenses/by/4.0/" in after.content
    finally:
        code_fingerprint.cache_clear()
