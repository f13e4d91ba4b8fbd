"""Goal status at a glance, counted on hand-built data with known counts."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from actions.models import ActionPlan, Commitment, StatusReport
from strategy.models import Goal, Organisation, Strategy
from tests import factories

pytestmark = pytest.mark.django_db


def text_of(response):
    return re.sub(r"\s+", " ", response.content.decode())


def add(series, values, state="approved"):
    for year, value in values:
        series.values.create(area=series.indicator.area, year=year, value=Decimal(value), state=state)


@pytest.fixture
def goal_nine():
    """Goal 9 with indicators of each kind of trend and commitments of each kind of status."""
    goal = Goal.objects.create(strategy=Strategy.objects.first(), number=9, title="Ett testmål", short_name="Testmål")

    def indicator(code, direction, values, **kwargs):
        ind = factories.indicator(code=code, goal=goal, unit="count", direction=direction, **kwargs)
        add(factories.headline(ind), values)
        return ind

    indicator("9.I1", "increase", [(2019, 10), (2024, 20)])  # desired
    indicator("9.I2", "increase", [(2019, 20), (2024, 10)])  # against
    indicator("9.I3", "increase", [(2019, 31), (2020, 21), (2021, 52), (2022, 110), (2023, 94), (2024, 70)])  # 2.I5
    indicator("9.I4", "decrease", [(2019, 5), (2024, 5)])  # unchanged
    indicator("9.I5", "neutral", [(2019, 1), (2024, 9)])  # no desired direction
    indicator("9.I6", "increase", [(2024, 3)])  # one year: too little
    factories.headline(factories.indicator(code="9.I7", goal=goal))  # no values: too little
    draft = indicator("9.I8", "increase", [(2019, 10)])
    add(draft.series.get(), [(2024, 30)], state="submitted")  # not public: too little
    indicator("9.I9", "increase", [(2019, 1), (2020, 5)], status="retired", retired_last_year=2020)  # not counted
    # Another series than the headline does not count.
    other = indicator("9.I10", "increase", [(2019, 1), (2024, 3)])
    add(factories.headline(other, label="Kvinnor"), [(2019, 10), (2024, 1)])

    plan = ActionPlan.objects.get(kind=ActionPlan.Kind.REGIONAL)
    org, other_org = Organisation.objects.get(slug="lansstyrelsen"), Organisation.objects.get(slug="polisen")

    def commitment(number, reports):
        c = Commitment.objects.create(plan=plan, goal=goal, number=number, text=f"Åtagande {number}")
        c.lead_organisations.set([org])
        for year, category, organisation, state in reports:
            StatusReport.objects.create(
                commitment=c, year=year, category=category, organisation=organisation, text="", state=state
            )

    commitment("9.1", [(2024, "done", org, "approved")])
    commitment("9.2", [(2023, "done", org, "approved"), (2024, "ongoing", org, "approved")])  # the latest year
    commitment("9.3", [(2024, "done", org, "approved"), (2024, "not_started", other_org, "approved")])  # least advanced
    commitment("9.4", [])
    commitment("9.5", [(2024, "done", org, "submitted")])  # not approved: no report
    return goal


def test_it_counts_a_goals_indicators_by_trend_and_commitments_by_status(client, goal_nine):
    html = text_of(client.get(reverse("goal", args=[9])))
    assert "Läget i korthet" in html
    assert "6 av målets 9 indikatorer har värden för minst två år" in html
    index = reverse("indicator_index")
    for slug, words in [
        ("onskad", "2 utvecklas i önskad riktning"),  # 9.I1 and 9.I10 (headline only)
        ("ej-onskad", "1 utvecklas inte i önskad riktning"),
        ("har-vant", "1 har vänt"),
        ("utan-riktning", "1 förändras men har ingen önskad riktning"),
    ]:
        assert f'<a href="{index}?mal=9&amp;utveckling={slug}">{words}' in html
    assert "<a href=\"/indikatorer/?mal=9&amp;utveckling=oforandrad\">1 är oförändrad</a>" in html
    assert '<a href="/indikatorer/?mal=9&amp;utveckling=for-lite-data">3 indikatorer</a> har för få värden' in html
    assert "både hela perioden och den senaste förändringen" in html
    assert "Handlingsplanens åtaganden: Statusrapporter 2024" in html
    assert "Godkänd status för 2024 för målets 5 åtaganden" in html
    for words in ["1 genomfört", "1 pågående", "1 ej påbörjat", "2 utan godkänd rapport"]:
        assert f'#ataganden">{words}</a>' in html
    assert "0 ej uppföljda" in html


def test_it_shows_the_same_counts_on_the_start_page(client, goal_nine):
    html = text_of(client.get("/"))
    card = html[html.index("Mål 9: Testmål") :]
    assert "6 av målets 9 indikatorer har värden för minst två år" in card
    assert "2 utvecklas i önskad riktning" in card and "1 har vänt" in card
    assert "Statusrapporter 2024" in card and "Godkänd status för 2024 för målets 5 åtaganden" in card


def test_it_links_each_count_to_exactly_the_indicators_behind_it(client, goal_nine):
    def listed(slug):
        html = text_of(client.get(reverse("indicator_index"), {"mal": 9, "utveckling": slug}))
        return sorted(re.findall(r"Testindikator (9\.I\d+)</a>", html))

    assert listed("onskad") == ["9.I1", "9.I10"]
    assert listed("ej-onskad") == ["9.I2"]
    assert listed("har-vant") == ["9.I3"]
    assert listed("oforandrad") == ["9.I4"]
    assert listed("utan-riktning") == ["9.I5"]
    assert listed("for-lite-data") == ["9.I6", "9.I7", "9.I8"]


def test_it_counts_the_commitments_of_one_named_year_on_both_pages(client, goal_nine):
    """A 2025 report does not join 2024's on one bar: the bar is of 2025, and says so."""
    commitment = Commitment.objects.get(goal=goal_nine, number="9.1")
    StatusReport.objects.create(
        commitment=commitment,
        year=2025,
        category="ongoing",
        organisation=Organisation.objects.get(slug="lansstyrelsen"),
        text="",
        state="approved",
    )
    goal_html = text_of(client.get(reverse("goal", args=[9])))
    card = text_of(client.get("/"))
    card = card[card.index("Mål 9: Testmål") :]
    for html in (goal_html, card):
        assert "Statusrapporter 2025" in html and "Statusrapporter 2024" not in html
        assert '#ataganden">1 pågående</a>' in html
        assert '#ataganden">4 utan godkänd rapport</a>' in html
        assert "0 genomförda" in html
