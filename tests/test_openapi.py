"""The API's OpenAPI 3 document: generated from the code, valid, and true of every documented path."""

import re

import pytest
from django.urls import reverse
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate as validate_spec

from indicators.models import Indicator, Value


def document(client):
    response = client.get(reverse("api_openapi"))
    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")
    return response.json()


def schema_validator(doc, schema):
    """A JSON Schema validator for one response schema, its $refs resolved against the document's components."""
    return Draft202012Validator({**schema, "components": doc["components"]})


@pytest.mark.django_db
def test_it_serves_a_valid_openapi_document(client):
    doc = document(client)
    validate_spec(doc)  # raises on any error against the OpenAPI 3 schema
    assert doc["openapi"].startswith("3.")
    assert set(doc["paths"]) == {
        "/api/v1/", "/api/v1/goals/", "/api/v1/indicators/", "/api/v1/indicators/{slug}/",
        "/api/v1/indicators/{slug}/values/",
    }


@pytest.mark.django_db
def test_it_answers_every_documented_path_as_its_schema_says(client):
    doc = document(client)
    # A real indicator with approved values, so that the value schema meets real rows.
    slug = Indicator.objects.filter(series__values__in=Value.objects.published()).order_by("code").first().slug
    checked = 0
    for path, operations in doc["paths"].items():
        for method, operation in operations.items():
            assert method == "get"
            url = re.sub(r"\{slug\}", slug, path)
            response = client.get(url)
            assert response.status_code == 200, url
            assert response["Content-Type"].startswith("application/json")
            schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
            errors = list(schema_validator(doc, schema).iter_errors(response.json()))
            assert errors == [], (url, [e.message for e in errors[:3]])
            if "{slug}" in path:
                missing = client.get(path.replace("{slug}", "finns-inte"))
                assert missing.status_code == 404 and "404" in operation["responses"]
                not_found = operation["responses"]["404"]["content"]["application/json"]["schema"]
                assert list(schema_validator(doc, not_found).iter_errors(missing.json())) == []
            checked += 1
    assert checked == 5


@pytest.mark.django_db
def test_it_checks_values_against_the_schema_for_every_indicator(client):
    """Every indicator's values (numbers, missing reasons, school years) fit the documented types."""
    doc = document(client)
    operation = doc["paths"]["/api/v1/indicators/{slug}/values/"]["get"]
    validator = schema_validator(doc, operation["responses"]["200"]["content"]["application/json"]["schema"])
    for slug in Indicator.objects.values_list("slug", flat=True):
        body = client.get(reverse("api_indicator_values", args=[slug])).json()
        assert list(validator.iter_errors(body)) == [], slug


@pytest.mark.django_db
def test_it_describes_the_api_on_the_data_page_from_the_document(client):
    doc = document(client)
    html = client.get(reverse("data_index")).content.decode()
    for path, operations in doc["paths"].items():
        assert f"GET {path}" in html
    for field in ["area_code", "missing_reason", "values_url", "violence_types"]:
        assert f"<code>{field}</code>" in html or f"{field}</code>" in html
    assert "/api/v1/openapi.json" in html
    # Nothing loaded from another site: no Swagger UI from a CDN (the hreflang alternates name, not load, a page).
    assert not re.search(r'<(script|link)(?![^>]*rel="alternate")[^>]+(src|href)="https?://', html)
