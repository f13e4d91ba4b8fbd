"""A plan names its items: a local plan's are åtgärder, the regional plan's åtaganden, on every page and mail."""

import pytest

from actions.models import ActionPlan, Commitment

pytestmark = pytest.mark.django_db


def test_it_calls_the_regional_plans_items_commitments_on_its_page(client):
    plan = ActionPlan.objects.get(kind=ActionPlan.Kind.REGIONAL)
    html = client.get(f"/planer/{plan.slug}/").content.decode()
    count = plan.commitments.count()
    assert f"Visar {count} av {count} åtaganden" in html
    assert "Filtrera åtagandena" in html and ">Åtaganden under mål 1<" in html
    assert '<th scope="col">Åtagande</th>' in html


def test_it_calls_a_local_plans_items_measures_on_its_page(client):
    plan = ActionPlan.objects.get(slug="sodertalje-handlingsplan-2024-2027")
    html = client.get(f"/planer/{plan.slug}/").content.decode()
    count = plan.commitments.count()
    assert f"Visar {count} av {count} åtgärder" in html
    assert "Filtrera åtgärderna" in html and '<th scope="col">Åtgärd</th>' in html


def test_it_labels_each_item_by_its_plan():
    regional = Commitment.objects.select_related("plan").filter(plan__kind=ActionPlan.Kind.REGIONAL).first()
    local = Commitment.objects.select_related("plan").filter(plan__kind=ActionPlan.Kind.LOCAL).first()
    assert regional.label == f"Åtagande {regional.number}"
    assert local.label == f"Åtgärd {local.number}"
