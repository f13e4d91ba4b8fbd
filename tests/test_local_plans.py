"""Local plans carried beside the regional plan: Södertälje's handlingsplan and Stockholms stad's programme."""

import pytest
from django.urls import reverse

from actions.models import ActionPlan, Commitment, PlanGoal
from reports.plans import coverage_map
from strategy.models import Organisation

pytestmark = pytest.mark.django_db

SODERTALJE = "sodertalje-handlingsplan-2024-2027"
STOCKHOLM = "stockholms-stad-program-mot-vald-2021-2025"


def measure(number):
    return Commitment.objects.get(plan__slug=SODERTALJE, number=number)


def test_it_loads_sodertaljes_five_focus_areas_and_33_measures():
    plan = ActionPlan.objects.get(slug=SODERTALJE)
    assert plan.kind == "local" and plan.owner.slug == "sodertalje"
    assert (plan.start_year, plan.end_year) == (2024, 2027)
    assert [g.number for g in plan.plan_goals.order_by("order")] == ["1", "2", "3", "4", "5"]
    assert plan.plan_goals.get(number="1").title == "Kommunen arbetar våldsförebyggande"
    assert [plan.plan_goals.get(number=n).measures.count() for n in "12345"] == [8, 5, 4, 7, 9]


def test_it_numbers_measures_exactly_as_the_document_gap_included():
    numbers = list(Commitment.objects.filter(plan__slug=SODERTALJE).values_list("number", flat=True))
    assert numbers[:8] == ["1:1", "1:2", "1:3", "1:4", "1:5", "1:6", "1:8", "1:9"]
    assert "1:7" not in numbers
    assert numbers[-1] == "5:9"


def test_it_keeps_responsible_and_co_responsible_committees_and_prevention_levels():
    first = measure("1:1")
    assert first.text.startswith("Säkerställa förutsättningarna för ett kunskapsbaserat normkritiskt arbete")
    assert [o.short_name or o.name for o in first.lead_organisations.all()] == ["Kultur- och fritidsnämnderna"]
    assert [lv.code for lv in first.prevention_levels.all()] == ["universell"]
    eighth = measure("1:8")
    assert [o.name for o in eighth.lead_organisations.all()] == ["Kommunstyrelsen"]
    co = {o.name for o in eighth.co_organisations.all()}
    assert {"Socialnämnden", "Omsorgsnämnden", "Miljönämnden"} <= co
    assert {lv.code for lv in measure("2:1").prevention_levels.all()} == {"indikerad", "selektiv"}


def test_it_makes_committees_organisations_under_their_municipality():
    social = Organisation.objects.get(slug="sodertalje-socialnamnden")
    assert social.kind == "committee" and social.parent.slug == "sodertalje"
    assert Organisation.objects.get(slug="sodertalje-telge-bostader").kind == "company"


def test_it_links_focus_areas_to_the_regional_goals_they_follow():
    links = {
        g.number: sorted(goal.number for goal in g.regional_goals.all())
        for g in PlanGoal.objects.filter(plan__slug=SODERTALJE)
    }
    assert links == {"1": [1], "2": [2], "3": [3], "4": [4], "5": [7, 8]}
    assert measure("5:1").regional_goals and {g.number for g in measure("5:1").regional_goals} == {7, 8}


def test_it_carries_what_document_003_states_of_stockholms_programme_and_nothing_more():
    plan = ActionPlan.objects.get(slug=STOCKHOLM)
    assert plan.owner.slug == "stockholms-stad"
    assert "tertial" in plan.follow_up
    assert plan.vision
    goals = list(plan.plan_goals.all())
    assert len(goals) == 3
    assert sorted(g.regional_goals.get().number for g in goals) == [3, 4, 6]
    assert not plan.commitments.exists()
    assert Organisation.objects.get(slug="enskede-arsta-vantor").parent.slug == "stockholms-stad"


def coverage_cells():
    data = coverage_map()
    return {
        (row["goal"].number, cell.plan.slug): (cell.addressed, cell.measures)
        for row in data["rows"]
        for cell in row["cells"]
    }, data


def test_it_maps_regional_goals_against_plans():
    cells, data = coverage_cells()
    assert cells[(1, SODERTALJE)] == (True, 8)
    assert cells[(7, SODERTALJE)] == (True, 9)
    assert cells[(5, SODERTALJE)] == (False, 0)
    assert cells[(6, STOCKHOLM)] == (True, 0)
    assert cells[(1, STOCKHOLM)] == (False, 0)
    assert cells[(2, "handlingsplan-2024-2027")] == (True, 6)
    assert [g.number for g in data["uncovered"]] == [5]


def test_it_shows_the_coverage_map_in_words(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):
        html = client.get(reverse("coverage")).content.decode()
    assert "Mål som ingen lokal plan följer:" in html
    assert "Mål 5 Effektiv brottsbekämpning" in html
    assert "Ja, 8 åtgärder" in html


def test_it_lists_the_plans(client):
    html = client.get(reverse("plans")).content.decode()
    assert "Handlingsplan mot våld 2024–2027" in html
    assert "Södertälje" in html and "Stockholm" in html


def test_it_filters_a_plans_measures_by_prevention_level_and_committee(client):
    url = reverse("plan", args=[SODERTALJE])
    html = client.get(url, {"niva": "universell"}).content.decode()
    assert "Åtgärd" in html and "1:1" in html
    assert ">4:1<" not in html  # indikerad only
    html = client.get(url, {"ansvarig": "sodertalje-telge-bostader"}).content.decode()
    assert ">5:1<" in html and ">1:1<" not in html


def test_it_renders_a_plan_page_in_a_constant_number_of_queries(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(10):
        assert client.get(reverse("plan", args=[SODERTALJE])).status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get(reverse("plan", args=["handlingsplan-2024-2027"])).status_code == 200


def test_it_answers_404_for_an_unknown_plan(client):
    assert client.get(reverse("plan", args=["finns-inte"])).status_code == 404


def test_it_lists_local_measures_on_the_regional_goal_they_follow(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(15):
        html = client.get(reverse("goal", args=[1])).content.decode()
    assert "Lokala åtgärder som följer målet" in html
    assert "Åtgärd 1:1" in html and "Handlingsplan mot våld 2024–2027" in html
    html = client.get(reverse("goal", args=[5])).content.decode()
    assert "Ingen lokal plan i tjänsten följer målet med egna åtgärder." in html
