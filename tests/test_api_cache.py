"""The API's answers are rendered once per page version, like the pages: a repeat costs no SQL."""

import pytest
from django.urls import reverse

from indicators.models import Indicator, Value
from reports import pagecache

pytestmark = pytest.mark.django_db


@pytest.fixture
def indicator():
    return Indicator.objects.filter(series__values__state="approved").distinct().first()


def test_it_answers_a_repeated_api_request_from_the_cache(client, indicator, django_assert_num_queries):
    urls = [
        reverse("api_indicators"),
        reverse("api_indicator", args=[indicator.slug]),
        reverse("api_indicator_values", args=[indicator.slug]),
    ]
    first = [client.get(url) for url in urls]
    with django_assert_num_queries(0):
        again = [client.get(url) for url in urls]
        head = client.head(urls[2])
    for a, b in zip(first, again):
        assert b.status_code == 200 and b.content == a.content and b["Content-Type"] == a["Content-Type"]
        assert b["ETag"] == a["ETag"] and b["Access-Control-Allow-Origin"] == "*"
    assert head.status_code == 200 and head.content == b"" and int(head["Content-Length"]) == len(first[2].content)


def test_it_answers_anew_after_a_change(client, indicator):
    url = reverse("api_indicator_values", args=[indicator.slug])
    before = client.get(url).json()
    value = Value.objects.published().for_indicator(indicator).first()
    value.footnote = "Ny fotnot efter ändringen."
    value.save()
    pagecache.bump()  # what reports.signals does after every committed change
    after = client.get(url).json()
    assert after != before and any(v["note"] == "Ny fotnot efter ändringen." for v in after["values"])


def test_it_keys_the_answer_by_host_since_it_holds_absolute_links(client, indicator):
    url = reverse("api_indicator", args=[indicator.slug])
    assert client.get(url, HTTP_HOST="localhost").json()["url"].startswith("http://localhost/")
    assert client.get(url, HTTP_HOST="127.0.0.1").json()["url"].startswith("http://127.0.0.1/")


def test_it_does_not_keep_a_404(client, django_assert_max_num_queries):
    url = reverse("api_indicator", args=["finns-inte"])
    assert client.get(url).status_code == 404
    with django_assert_max_num_queries(5) as queries:
        assert client.get(url).status_code == 404
    assert len(queries) >= 1
