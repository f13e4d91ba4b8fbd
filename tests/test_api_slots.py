"""The API's uncached work is bounded per machine: beyond API_CONCURRENCY renders at once a request
gets 503 with Retry-After before any SQL, while cached answers, 304s and the pages are served as before."""

import subprocess
import sys
import time

import pytest
from django.urls import reverse

from indicators.models import Indicator
from reports.apislots import api_slot

pytestmark = pytest.mark.django_db


@pytest.fixture
def one_slot(settings, tmp_path):
    settings.API_CONCURRENCY = 1
    settings.API_SLOT_DIR = str(tmp_path / "slots")
    return settings


@pytest.fixture
def slug():
    return Indicator.objects.filter(series__values__state="approved").distinct().first().slug


def test_it_refuses_uncached_work_beyond_the_bound_before_any_sql(client, one_slot, slug, django_assert_num_queries):
    url = reverse("api_indicator_values", args=[slug])
    with api_slot() as held:  # another worker is rendering
        assert held
        with django_assert_num_queries(0):
            response = client.get(url)
    assert response.status_code == 503 and response["Retry-After"] == str(one_slot.API_RETRY_AFTER_SECONDS)
    assert response.json() == {"detail": "API:et har många frågor just nu. Försök igen om en stund."}
    assert response["Access-Control-Allow-Origin"] == "*" and response["Cache-Control"] == "no-store"
    assert "ETag" not in response
    # The slot is free again: the answer is rendered.
    assert client.get(url).status_code == 200


def test_it_serves_cached_answers_304s_and_pages_while_every_slot_is_taken(client, one_slot, slug):
    url = reverse("api_indicator_values", args=[slug])
    first = client.get(url)
    client.get("/mal/1/")
    with api_slot():
        again = client.get(url)
        assert again.status_code == 200 and again.content == first.content
        assert client.get(url, headers={"If-None-Match": first["ETag"]}).status_code == 304
        assert client.get("/mal/1/").status_code == 200


def test_it_lets_as_many_renders_run_as_configured(one_slot):
    one_slot.API_CONCURRENCY = 2
    with api_slot() as first, api_slot() as second, api_slot() as third:
        assert (first, second, third) == (True, True, False)


def test_it_frees_the_slot_of_a_worker_that_was_killed(one_slot):
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import fcntl, os, sys, time; d = sys.argv[1]; os.makedirs(d, exist_ok=True);"
         "fd = os.open(os.path.join(d, 'slot-0'), os.O_RDWR | os.O_CREAT);"
         "fcntl.flock(fd, fcntl.LOCK_EX); print('held', flush=True); time.sleep(60)",
         one_slot.API_SLOT_DIR],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        with api_slot() as granted:
            assert not granted
    finally:
        holder.kill()
        holder.wait()
    deadline = time.monotonic() + 5
    with api_slot() as granted:
        assert granted and time.monotonic() < deadline
