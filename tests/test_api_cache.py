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


def test_it_links_to_the_sites_own_address_whatever_host_a_client_names(client, indicator, settings,
                                                                        django_assert_max_num_queries):
    """The Host header is the client's choice (any port of an allowed host passes): answers keyed or
    linked by it would let a client multiply the cached copies and force a render per request."""
    settings.SITE_URL = "https://uppfoljning.example.org"
    url = reverse("api_indicator", args=[indicator.slug])
    first = client.get(url, HTTP_HOST="localhost:8001")
    assert first.json()["url"] == f"https://uppfoljning.example.org{url}"
    with django_assert_max_num_queries(1):  # the page version; the answer comes from the cache
        again = client.get(url, HTTP_HOST="localhost:8002")
    assert again.content == first.content


def test_it_does_not_keep_a_404(client, django_assert_max_num_queries):
    url = reverse("api_indicator", args=["finns-inte"])
    assert client.get(url).status_code == 404
    with django_assert_max_num_queries(5) as queries:
        assert client.get(url).status_code == 404
    assert len(queries) >= 1
