"""The stored PDF answers 304 to If-None-Match as HTTP reads it: a list of tags, a weak tag, *."""

import hashlib

import pytest
from django.urls import reverse

from reports.models import EditionPdf, ReportEdition

pytestmark = pytest.mark.django_db

CONTENT = b"%PDF-1.7 en liten PDF for testet"
TAG = f'"{hashlib.sha256(CONTENT).hexdigest()}"'


@pytest.fixture
def url():
    edition = ReportEdition.objects.get(year=2024)
    assert edition.state == ReportEdition.State.PUBLISHED
    EditionPdf.objects.update_or_create(
        edition=edition,
        defaults={"state": EditionPdf.State.READY, "content": CONTENT, "sha256": TAG.strip('"'), "pages": 1,
                  "bytes": len(CONTENT)},
    )
    return reverse("report_pdf", args=[2024, 2024])


@pytest.mark.parametrize("header", [TAG, f'"annan", {TAG}', f"W/{TAG}", "*", f' {TAG} '])
def test_it_answers_not_modified_to_any_matching_tag(client, url, header):
    response = client.get(url, headers={"If-None-Match": header})
    assert response.status_code == 304 and response["ETag"] == TAG and response.content == b""


@pytest.mark.parametrize("header", ['"annan"', "W/\"annan\", \"tredje\"", "skräp\x00"])
def test_it_sends_the_file_to_any_other_tag(client, url, header):
    response = client.get(url, headers={"If-None-Match": header})
    assert response.status_code == 200 and response.content == CONTENT and response["ETag"] == TAG
