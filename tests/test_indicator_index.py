"""/indikatorer/: every indicator with its latest value and trend, filters and a search that work without JS."""

import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from indicators.models import Indicator
from strategy.models import Goal, Organisation, ViolenceType
from tests import factories

pytestmark = pytest.mark.django_db

URL = reverse("indicator_index")


def text_of(response):
    return re.sub(r"\s+", " ", response.content.decode())


def listed(html):
    return re.findall(r'<li> <a href="/indikatorer/([\w-]+)/">', html)


def test_it_lists_every_indicator_and_development_indicator_with_latest_value_and_trend(client):
    html = text_of(client.get(URL))
    assert len(listed(html)) == Indicator.objects.count()
    assert f"Visar {Indicator.objects.count()} av {Indicator.objects.count()} indikatorer" in html
    assert "Utvecklingsindikator" in html
    # 2.I5, headline Fullföljda: 70 in 2024, and the honest trend.
    item = html[html.index("kriminalvarden-behandlingsprogram-vnr/") :][:900]
    assert 'Senaste värde 2024: <strong class="nowrap">70</strong>' in item
    assert "ökar 2019–2024, men minskar sedan 2022" in item


def test_it_filters_by_goal_violence_type_kind_source_and_responsible_organisation(client):
    goal2 = [i.slug for i in Indicator.objects.all() if i.shown_goal.number == 2]
    assert sorted(listed(text_of(client.get(URL, {"mal": 2})))) == sorted(goal2)

    honour = ViolenceType.objects.get(slug="hedersrelaterat-vald")
    assert sorted(listed(text_of(client.get(URL, {"valdstyp": honour.slug})))) == sorted(
        honour.indicators.values_list("slug", flat=True)
    )
    development = listed(text_of(client.get(URL, {"typ": "development"})))
    assert sorted(development) == sorted(Indicator.objects.filter(kind="development").values_list("slug", flat=True))

    assert listed(text_of(client.get(URL, {"kalla": "Kriminalvården"}))) == list(
        Indicator.objects.filter(source="Kriminalvården").values_list("slug", flat=True)
    )
    kvv = Organisation.objects.get(slug="kriminalvarden")
    both = text_of(client.get(URL, {"ansvarig": kvv.slug, "mal": 2}))
    assert sorted(listed(both)) == sorted(
        i.slug for i in Indicator.objects.filter(responsible=kvv) if i.shown_goal.number == 2
    )
    assert '<option value="kriminalvarden" selected>' in both and "Visa alla" in both


def test_it_searches_on_the_server_in_code_title_and_source(client):
    html = text_of(client.get(URL, {"q": "behandlingsprogram kriminalvården"}))
    assert listed(html) == ["kriminalvarden-behandlingsprogram-vnr"]
    assert "som matchar ”behandlingsprogram kriminalvården”" in html
    assert listed(text_of(client.get(URL, {"q": "2.i5"}))) == ["kriminalvarden-behandlingsprogram-vnr"]
    html = text_of(client.get(URL, {"q": "finns inte någonstans"}))
    assert listed(html) == [] and "Inga indikatorer matchar" in html


def test_it_ignores_unknown_filter_values(client):
    html = text_of(client.get(URL, {"mal": "99", "typ": "x", "utveckling": "nej", "ansvarig": "ingen"}))
    assert len(listed(html)) == Indicator.objects.count()


def test_it_is_a_search_form_that_works_without_javascript(client):
    html = text_of(client.get(URL))
    form = html[html.index('<form method="get" action="/indikatorer/"') : html.index("</form>")]
    assert 'role="search"' in form and '<input type="search" name="q"' in form
    assert '<button type="submit">' in form
    assert '<label for="id_q">' in form


def test_it_never_shows_unapproved_values(client):
    indicator = Indicator.objects.get(slug="valj-att-sluta-stodsokande")
    indicator.series.get().values.create(area=indicator.area, year=2025, value=Decimal("4321"), state="submitted")
    html = text_of(client.get(URL))
    assert "4321" not in html and "4 321" not in html


def test_it_keeps_the_number_of_queries_constant_as_data_grows(client):
    def count(params):
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            assert client.get(URL, params).status_code == 200
        return len(queries)

    cases = [{}, {"mal": 2, "q": "program"}, {"utveckling": "onskad"}]
    before = [count(params) for params in cases]
    assert max(before) <= 10
    goal = Goal.objects.get(number=2)
    for n in range(5):
        ind = factories.indicator(code=f"2.I8{n}", goal=goal, source=f"Källa {n}")
        ind.violence_types.set(ViolenceType.objects.all()[:2])
        series = factories.headline(ind)
        for year in range(2015, 2025):
            series.values.create(area=ind.area, year=year, value=Decimal(year % 7), state="approved")
    assert [count(params) for params in cases] == before
