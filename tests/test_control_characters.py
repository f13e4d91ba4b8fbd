"""%00 and other control characters in an address: a 404 (a 400 in the query), never a 500, on any database."""

import pytest
from django.db import connection

from strategy.models import Organisation

pytestmark = pytest.mark.django_db


def refuse_nul_like_postgresql(execute, sql, params, many, context):
    """SQLite stores a NUL; PostgreSQL refuses it (psycopg raises ValueError). Behave like PostgreSQL."""
    rows = params if many else [params]
    if any(isinstance(p, str) and "\x00" in p for row in rows for p in (row or ())):
        raise ValueError("A string literal cannot contain NUL (0x00) characters.")
    return execute(sql, params, many, context)


@pytest.fixture
def client_on_postgresql_rules(client):
    client.raise_request_exception = False
    with connection.execute_wrapper(refuse_nul_like_postgresql):
        yield client


def paths():
    plan = "regionala-handlingsplanen"
    return [
        "/api/v1/indicators/%00/",
        "/api/v1/indicators/%00/values/",
        f"/planer/{plan}/%00/",
        "/planer/%00/",
        "/indikatorer/%00/",
        "/indikatorer/a%01b/data.csv",
        "/mal/%00/",
        "/data/katalog.%00",
        "/admin/strategy/organisation/%00/change/",
        "/rapportering/%0a/",
    ]


@pytest.mark.parametrize("path", paths())
def test_it_answers_404_for_control_characters_in_the_path(client_on_postgresql_rules, path):
    response = client_on_postgresql_rules.get(path)
    assert response.status_code == 404, path


def test_it_answers_the_api_in_json(client_on_postgresql_rules):
    response = client_on_postgresql_rules.get("/api/v1/indicators/%00/")
    assert response.status_code == 404 and response.json() == {"detail": "Finns inte."}


def test_it_answers_400_for_a_nul_in_the_query(client_on_postgresql_rules):
    assert client_on_postgresql_rules.get("/indikatorer/", {"q": "a\x00b"}).status_code == 400


def test_it_still_serves_ordinary_addresses(client_on_postgresql_rules):
    assert Organisation.objects.exists()
    assert client_on_postgresql_rules.get("/api/v1/indicators/").status_code == 200
    assert client_on_postgresql_rules.get("/planer/").status_code == 200
