"""Goal and commitment pages read plainly: no list printed twice, the plan's name in the
breadcrumb, an accessibility statement that says what the site does now (issue 23)."""

import html as html_lib
import re

import pytest
from django.urls import reverse

from actions.models import ActionPlan, Commitment
from strategy.models import Goal, GoalItem

pytestmark = pytest.mark.django_db


def text_of(response):
    assert response.status_code == 200
    return re.sub(r"\s+", " ", html_lib.unescape(response.content.decode()))


@pytest.mark.parametrize("number", [2, 3, 4, 5])
def test_it_prints_the_goals_suggested_measures_once_when_delmal_6_has_the_same(client, number):
    page = text_of(client.get(reverse("goal", args=[number])))
    measures = Goal.objects.get(number=number).items.filter(kind=GoalItem.MEASURE)
    assert measures.exists()
    for item in measures:
        assert page.count(" ".join(item.text.split())) == 1, item.text
    assert "Delmålets förslag på åtgärder är desamma som målets förslag ovan." in page


def test_it_lists_only_the_delmal_suggestions_worded_otherwise(client):
    page = text_of(client.get(reverse("goal", args=[1])))
    assert "desamma som målets förslag ovan, utom ett som delmålet formulerar så här:" in page
    assert page.count("Undervisning i sexualitet, samtycke och relationer") == 1
    assert page.count("Föräldraskapsstöd med inriktning på att förebygga våld") == 1


def test_it_names_the_plan_in_the_commitment_breadcrumb(client):
    commitment = Commitment.objects.filter(plan__kind=ActionPlan.Kind.REGIONAL).select_related("plan").first()
    page = text_of(client.get(reverse("commitment", args=[commitment.plan.slug, commitment.number])))
    crumbs = re.search(r'<p class="breadcrumbs">(.*?)</p>', page).group(1)
    assert f">{commitment.plan.title}</a> › {commitment.number}" in crumbs


def test_it_states_how_charts_and_reports_are_made_now(client):
    page = text_of(client.get(reverse("accessibility")))
    assert "Diagrammen är interaktiva" not in page
    assert "ritas på servern som bilder (SVG)" in page and "datatabell" in page
    assert "Visa interaktivt diagram" in page and "bara på begäran" in page
    assert "PDF" in page and "PDF/UA" in page
