"""Owners the follow-up assumed are labelled as such (issue 19, fixtures/README.md rule 5).

When the source names no one, the follow-up assumes the lead of a commitment or the
responsible organisation of an indicator and says why in a note. `Commitment.lead_assumed` and
`Indicator.responsible_assumed` mark it, and every page that names the owner says
"(antagen av uppföljningen)"; the API has `responsible_assumed`.
"""

import re

import pytest
from django.urls import reverse

from actions.models import Commitment
from indicators.models import Indicator
from reports.models import IndicatorAnalysis
from reports.management.commands.load_real_data import load_all

pytestmark = pytest.mark.django_db

ASSUMES = re.compile(r"antagen som (?:rapporterande och )?ansvarig")
MARK = '<span class="assumed">(antagen av uppföljningen'


def text_of(response):
    return re.sub(r"\s+", " ", response.content.decode())


def fragment(html, start, end):
    """The part of `html` from the first `start` up to the next `end`."""
    begin = html.index(start)
    return html[begin:html.index(end, begin)]


def test_it_marks_exactly_the_owners_the_notes_say_are_assumed():
    commitments = list(Commitment.objects.all())
    assumed = {c.number for c in commitments if c.lead_assumed}
    assert assumed == {c.number for c in commitments if ASSUMES.search(c.note)}
    assert len(assumed) == 14 and "2.4" in assumed
    indicators = Indicator.objects.filter(responsible_assumed=True)
    assert {i.code for i in indicators} == {"2.I7", "2.I8"}
    assert all(
        "antagen som ansvarig" in IndicatorAnalysis.objects.get(edition__year=2024, indicator=i).text
        and i.responsible.slug == "aklagarmyndigheten"
        for i in indicators
    )


def test_it_keeps_the_marks_when_the_real_data_is_loaded_twice():
    before = (Commitment.objects.count(), Indicator.objects.count())
    Commitment.objects.filter(plan__kind="regional", number="2.4").update(lead_assumed=False)
    Indicator.objects.filter(code="1.I2").update(responsible_assumed=True)
    load_all()
    load_all()
    assert (Commitment.objects.count(), Indicator.objects.count()) == before
    assert Commitment.objects.get(plan__kind="regional", number="2.4").lead_assumed
    assert not Indicator.objects.get(code="1.I2").responsible_assumed
    assert Commitment.objects.filter(lead_assumed=True).count() == 14
    assert Indicator.objects.filter(responsible_assumed=True).count() == 2


def test_it_labels_assumed_owners_on_every_page(client):
    c24 = Commitment.objects.select_related("plan").get(plan__kind="regional", number="2.4")
    named = Commitment.objects.filter(plan=c24.plan, goal=c24.goal, lead_assumed=False).order_by("number").first()
    i7, i8 = Indicator.objects.get(code="2.I7"), Indicator.objects.get(code="2.I8")

    page = text_of(client.get(reverse("commitment", args=[c24.plan.slug, "2.4"])))
    assert f"<dt>Ansvarig</dt><dd>Åklagarmyndigheten {MARK}" in page

    plan = text_of(client.get(reverse("plan", args=[c24.plan.slug])))
    assert MARK in fragment(plan, f'{c24.number}</a></th>', "</tr>")
    assert MARK not in fragment(plan, f'{named.number}</a></th>', "</tr>")
    assert plan.count(MARK) == Commitment.objects.filter(plan=c24.plan, lead_assumed=True).count() == 14

    for url in [reverse("goal", args=[2]), "/lagesrapport/2024/"]:
        html = text_of(client.get(url))
        assert MARK in fragment(html, f"2.4 {c24.text}", "</article>"), url
        assert MARK not in fragment(html, f"{named.number} {named.text}", "</article>"), url
        for indicator in (i7, i8):
            if url == "/lagesrapport/2024/":
                # 001 gives these figures in commitment 2.4's follow-up, not as indicators of its results.
                assert f"Indikator {indicator.code} " not in html
                continue
            meta = fragment(html, f"Indikator {indicator.code} ", "</p>")
            assert f"Ansvarig: Åklagarmyndigheten {MARK}" in meta, (url, indicator.code)
        assert MARK not in fragment(html, "Indikator 2.I1 ", "</p>"), url

    for indicator in (i7, i8):
        html = text_of(client.get(indicator.get_absolute_url()))
        assert f"<dt>Ansvarig organisation</dt><dd>Åklagarmyndigheten {MARK}" in html
    assert MARK not in text_of(client.get(reverse("indicator", args=[Indicator.objects.get(code="1.I2").slug])))

    index = text_of(client.get(reverse("indicator_index")))
    for indicator in (i7, i8):
        assert MARK in fragment(index, f'href="{indicator.get_absolute_url()}"', "</li>")
    assert index.count(MARK) == 2


def test_it_labels_an_assumed_lead_of_a_local_measure(client):
    measure = Commitment.objects.select_related("plan").filter(plan__kind="local").order_by("id").first()
    Commitment.objects.filter(pk=measure.pk).update(lead_assumed=True)
    html = text_of(client.get(reverse("commitment", args=[measure.plan.slug, measure.number])))
    assert MARK in fragment(html, "<dt>Ansvarig</dt>", "</dd>")
    goal = measure.plan_goal.regional_goals.order_by("number").first()
    goal_page = text_of(client.get(reverse("goal", args=[goal.number])))
    assert MARK in fragment(goal_page, f"<strong>Åtgärd {measure.number}</strong>", "</li>")


def test_it_tells_the_api_which_owners_are_assumed(client):
    indicators = client.get(reverse("api_indicators")).json()["indicators"]
    assert {i["code"] for i in indicators if i["responsible_assumed"]} == {"2.I7", "2.I8"}
    assert all(isinstance(i["responsible_assumed"], bool) for i in indicators)
    detail = client.get(reverse("api_indicator", args=[Indicator.objects.get(code="2.I7").slug])).json()
    assert detail["responsible"] == "aklagarmyndigheten" and detail["responsible_assumed"] is True
    schema = client.get(reverse("api_openapi")).json()["components"]["schemas"]["IndicatorOut"]
    field = schema["properties"]["responsible_assumed"]
    assert field["type"] == "boolean" and "uppföljningen har antagit" in field["description"]
    assert "responsible_assumed" in schema["required"]
    assert "uppföljningen har antagit" in client.get(reverse("data_index")).content.decode()
