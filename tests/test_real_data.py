"""The shipped data says what the source documents say (../shared/seeds/)."""

import csv
import io
from decimal import Decimal

import pytest
from django.db.models import Count

from actions.models import Commitment, StatusReport
from indicators.models import Indicator, Series, Value
from reports.models import IndicatorAnalysis, ReportEdition
from reports.management.commands.load_real_data import load_all
from strategy.models import Area, Goal, Organisation, Strategy, ViolenceType

pytestmark = pytest.mark.django_db


def value(code, breakdown="Totalt", year=None, area=None):
    """The value of indicator `code`, series labelled `breakdown`, for `year`."""
    ind = Indicator.objects.get(code=code)
    label = "" if breakdown == "Totalt" else breakdown
    series = Series.objects.get(indicator=ind, label=label)
    return Value.objects.get(series=series, year=year, area=area or ind.area)


def test_it_has_the_strategy_with_its_vision_and_goals():
    strategy = Strategy.objects.get()
    assert strategy.period == "2020–2026"
    assert "Ingen ska utsättas för eller uppleva våld i Stockholms län" in strategy.vision
    names = list(Goal.objects.values_list("short_name", flat=True))
    assert names == [
        "Förebygga våld",
        "Förebygga återfall",
        "Upptäcka tidigt",
        "Skydda och stödja",
        "Effektiv brottsbekämpning",
        "Trygg rättsprocess",
        "Systematisk kunskapsutveckling",
        "Kunskap och forskning",
    ]
    goal1 = Goal.objects.get(number=1)
    assert goal1.title == "Myndigheter och aktörer arbetar våldsförebyggande"
    assert goal1.items.filter(kind="prerequisite").count() == 3
    assert goal1.items.filter(kind="measure").count() == 6
    assert goal1.national_goals.get().title == "Mäns våld mot kvinnor ska upphöra"


def test_it_links_every_goal_to_national_sub_goal_6():
    assert Goal.objects.filter(national_goals__code="6").count() == 8
    goal1 = Goal.objects.get(number=1)
    assert goal1.items.filter(kind="national_measure", text__startswith="Undervisning i sexualitet").exists()


def test_it_has_the_five_violence_types_with_definitions():
    assert ViolenceType.objects.count() == 5
    assert all(len(vt.definition) > 100 for vt in ViolenceType.objects.all())


def test_it_has_the_26_municipalities_with_their_codes():
    municipalities = Organisation.objects.filter(kind="municipality")
    assert municipalities.count() == 26
    assert Organisation.objects.get(municipality_code="0181").short_name == "Södertälje"
    assert Organisation.objects.get(slug="stockholms-stad").municipality_code == "0180"
    assert Area.objects.filter(kind="municipality").count() == 26
    assert Area.objects.get(code="0192").name == "Nynäshamn"


def test_it_has_operation_kvinnofrids_members_and_the_reporting_agencies():
    members = set(Organisation.objects.filter(operation_kvinnofrid_member=True).values_list("slug", flat=True))
    assert {"lansstyrelsen", "polisen", "kriminalvarden", "aklagarmyndigheten", "region-stockholm", "stockholms-stad", "storsthlm"} <= members
    for slug in ["arbetsformedlingen", "forsakringskassan"]:
        assert Organisation.objects.filter(slug=slug).exists()


def test_it_has_every_bilaga_1_indicator_per_goal_and_kind():
    counts = dict(
        ((g, k), n)
        for g, k, n in Indicator.objects.filter(origin="bilaga1")
        .values_list("goal__number", "kind")
        .annotate(n=Count("id"))
        .order_by()
    )
    # Counted bullet by bullet in Bilaga 1 of the strategy (000).
    assert counts == {
        (1, "indicator"): 1, (1, "development"): 15,
        (2, "indicator"): 2, (2, "development"): 4,
        (3, "indicator"): 5, (3, "development"): 13,
        (4, "indicator"): 4, (4, "development"): 4,
        (5, "indicator"): 12, (5, "development"): 4,
        (6, "development"): 8,
        (7, "indicator"): 2, (7, "development"): 3,
        (8, "indicator"): 1, (8, "development"): 3,
    }


def test_it_keeps_sources_for_indicators_and_none_for_development_indicators():
    ind = Indicator.objects.get(code="3.I5")
    assert "Brå" in ind.source or "dödligt våld" in ind.source
    assert Indicator.objects.get(code="2.U2").source == ""


def test_it_has_tabell_1_skolenkaten_students_by_grade_and_sex():
    assert value("1.I2", "Flickor, Åk 8 i grundskolan", 2022).value == Decimal("5.4")
    assert value("1.I2", "Pojkar, Åk 8 i grundskolan", 2023).value == Decimal("6.2")
    assert value("1.I2", "År 2 på gymnasiet", 2023).period_label == "2023/2024"


def test_it_has_tabell_2_to_4_skolenkaten():
    assert value("1.I3", "Gymnasiet", 2023).value == Decimal("7.7")
    assert value("1.I4", "Pojkar, Åk 8 i grundskolan", 2023).value == Decimal("5.7")
    question = "Grundskolan, I vilken utsträckning arbetar skolan för att främja jämställdhet i undervisningen?"
    assert value("1.I5", question, 2023).value == Decimal("7.1")


def test_it_has_tabell_5_treatment_programmes_with_the_empty_cell():
    assert value("2.I5", "Påbörjade", 2024).value == 146
    assert value("2.I5", "Fullföljda", 2019).value == 31
    empty = value("2.I5", "Pågående", 2019)
    assert empty.value is None and empty.missing_reason == "not_available"


def test_it_has_tabell_6_prosecution_decisions():
    assert value("5.I16", "Lagföringsbeslut", 2024).value == 693
    assert value("5.I18", "Lagförda personer", 2023).value == 21
    assert value("5.I16", "Lagföringsbeslut", 2024).area.slug == "aklagaromrade-stockholm"


def test_it_has_tabell_7_and_8():
    assert value("6.U6", year=2024).value == 37
    assert value("6.U6", year=2019).value == 25
    assert value("6.U4", year=2021).value == 65
    assert value("6.U4", year=2023).source_ref == "Lägesrapport 2024, Tabell 8"


def test_it_has_goal_2_prose_figures_with_respondents_and_the_corrected_70_percent():
    men = value("2.I1", "Män", 2024)
    assert men.value == 89 and men.respondents == 31
    assert value("2.I1", "Kvinnor", 2024).value == 87
    assert value("2.I1", "Kvinnor", 2023).value == 81
    corrected = value("2.I3", "Män", 2024)
    assert corrected.value == 70
    assert "66 procent" in corrected.footnote
    assert value("2.I3", year=2019).value == 56
    assert [value("2.I4", year=y).value for y in (2022, 2023, 2024)] == [82, 119, 144]


def test_it_keeps_ranges_and_trends_as_notes_not_values():
    mvc = Indicator.objects.get(code="1.I1")
    analyses = IndicatorAnalysis.objects.filter(edition__year=2024)
    assert "94–95 procent" in analyses.get(indicator=mvc).text
    assert not Value.objects.filter(series__indicator=mvc).exists()
    assert "cirka 60 procent" in analyses.get(indicator__code="2.I1").text
    assert not Value.objects.filter(series__indicator__code="2.I1", year=2019).exists()


def test_it_has_goal_3_and_4_figures():
    assert Indicator.objects.get(code="1.I1").report_goal.number == 3
    assert value("4.I5", "Vuxna, Sexuellt våld oberoende relation, I egen regi", 2024).value == 58
    assert value("4.I5", "Vuxna, Sexuellt våld oberoende relation, I egen regi", 2023).value == 46
    assert value("2.I7", year=2024).value == Decimal("1.71")
    under_13 = value("4.I5", "Barn under 13 år, Hedersrelaterat våld och förtryck, I egen regi", 2024)
    assert under_13.value == 92 and "Barn under 13 år kan få stöd" in under_13.footnote


def test_it_has_goal_5_personuppklaring_for_the_police_region():
    women = value("5.I13", "Kvinnor", 2023)
    assert women.value == 31 and women.area.slug == "polisregion-stockholm"
    assert value("5.I13", "Män", 2022).value == 12


def test_it_has_goal_7_figures_and_retired_indicators():
    assert [value("7.I3", year=y).value for y in (2019, 2021, 2022)] == [16, 31, 36]
    retired = Indicator.objects.filter(status="retired")
    assert {(i.code, i.retired_last_year) for i in retired} >= {("4.I1", 2019), ("7.I4", 2021), ("8.I2", 2022)}
    assert all("Socialstyrelsen har beslutat" in i.retired_reason for i in retired)


def test_it_has_goal_8_without_values():
    assert not Value.objects.filter(series__indicator__goal__number=8).exists()
    assert Indicator.objects.filter(goal__number=8, kind="indicator", status="active").exists()


def test_it_records_where_every_value_comes_from():
    assert not Value.objects.filter(source_ref="").exists()
    assert Value.objects.exclude(state="approved").count() == 0


def test_it_has_the_commitments_and_their_2024_status_texts():
    numbers = list(Commitment.objects.filter(plan__slug="handlingsplan-2024-2027").values_list("number", flat=True))
    assert len(numbers) == 38
    assert numbers.index("2.7") < numbers.index("2.10")
    assert numbers[0] == "1.1" and numbers[-1] == "8.6"
    assert Commitment.objects.get(plan__kind="regional", number="2.10").lead_organisations.get().slug == "kriminalvarden"
    report = StatusReport.objects.get(commitment__number="1.1", year=2024)
    assert "Framtid utan våld" in report.text and report.state == "approved"
    assert StatusReport.objects.filter(year=2024).count() == 38


def test_it_names_one_assumed_owner_for_commitment_2_4_and_the_figures_its_follow_up_gives():
    lead = Commitment.objects.get(plan__kind="regional", number="2.4").lead_organisations.get()
    for code in ["2.I7", "2.I8"]:
        indicator = Indicator.objects.get(code=code)
        assert indicator.responsible == lead
        assert "antagen som ansvarig" in IndicatorAnalysis.objects.get(edition__year=2024, indicator=indicator).text


def test_it_says_so_wherever_a_commitments_owner_is_not_named_in_the_report():
    for commitment in Commitment.objects.filter(plan__slug="handlingsplan-2024-2027"):
        texts = commitment.text + " ".join(commitment.status_reports.values_list("text", flat=True))
        for lead in commitment.lead_organisations.all():
            named = lead.name in texts or (lead.short_name and lead.short_name in texts)
            assert named or commitment.note, f"{commitment.number}: {lead.slug} is inferred but has no note"
    assert "Region Stockholm antagen som ansvarig" in Commitment.objects.get(plan__kind="regional", number="7.6").note


def test_it_has_the_2024_report_edition():
    edition = ReportEdition.objects.get(year=2024)
    assert edition.report_number == "2025:9"
    assert edition.isbn == "978-91-7937-341-2"
    assert edition.is_published
    assert "Operation Kvinnofrid grundades 1996" in edition.foreword
    section = edition.sections.get(goal__number=6)
    assert "Fortsätta utveckla arbetet gällande kontaktförbud" in section.development_areas
    assert edition.sections.count() == 8


def test_it_changes_nothing_when_loaded_twice():
    def snapshot():
        return {
            "values": list(Value.objects.order_by("pk").values_list("pk", "value", "state", "version")),
            "history": Value.history.count(),
            "series": Series.objects.count(),
            "indicators": Indicator.objects.count(),
            "commitments": Commitment.objects.count(),
            "status_reports": list(StatusReport.objects.order_by("pk").values_list("pk", "text", "version")),
            "organisations": Organisation.objects.count(),
        }

    before = snapshot()
    load_all()
    assert snapshot() == before


def test_it_lists_every_published_value_in_the_long_csv(client):
    response = client.get("/data/values.csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert len(rows) == Value.objects.published().count()
    assert set(rows[0]) >= {
        "goal", "indicator_code", "indicator", "kind", "year", "period", "area",
        "breakdown", "value", "unit", "missing_reason", "note", "source",
    }
    row = next(r for r in rows if r["indicator_code"] == "1.I2" and r["breakdown"] == "Flickor, Åk 8 i grundskolan" and r["year"] == "2022")
    assert row["value"] == "5.4" and row["period"] == "2022/2023"
    assert row["source"] == "Lägesrapport 2024, Tabell 1"


def test_it_gives_every_figure_derived_from_alla_or_samtliga_its_sentence_in_the_csv_note(client):
    response = client.get("/data/values.csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    derived = [r for r in rows if r["indicator_code"] == "4.I5" and r["year"] == "2024" and r["value"] == "100"]
    assert len(derived) == 8
    for row in derived:
        assert "100 procent är härlett ur: ”" in row["note"], row["breakdown"]
        sentence = row["note"].split("”")[1]
        assert "Alla kommuner" in sentence or "alla kommuner" in sentence or "samtliga kommuner" in sentence
