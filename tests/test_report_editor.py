"""The coordinator writes Lägesrapport 2025 in the report editor, checks it and publishes it once, confirmed."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from indicators.models import Indicator
from reports import services
from reports.models import IndicatorAnalysis, ReportEdition
from strategy.models import Goal

from . import factories

pytestmark = pytest.mark.django_db


def text_of(response):
    return re.sub(r"\s+", " ", response.content.decode())


def create_2025(client):
    response = client.post(reverse("report_editions"), {"year": 2025})
    assert response.status_code == 302 and response["Location"] == reverse("report_editor", args=[2025])
    return ReportEdition.objects.get(year=2025)


def test_it_creates_checks_publishes_with_confirmation_and_archives_lagesrapport_2025(client, coordinator_client):
    edition = create_2025(coordinator_client)
    # The draft starts from every analysis of 2024 (one per indicator 001 writes about or captions).
    assert not edition.is_published
    assert edition.analyses.count() == ReportEdition.objects.get(year=2024).analyses.count() > 30

    # The checks list the missing status reports by organisation and the missing ISBN, each with a link.
    checks = text_of(coordinator_client.get(reverse("report_checks", args=[2025])))
    assert "Statusrapporter för 2025 som saknas" in checks
    assert "Polisen: 1 åtagande utan godkänd statusrapport (1.6)" in checks  # one, in the singular
    assert re.search(r"Länsstyrelsen: \d+ åtaganden utan godkänd statusrapport", checks)
    assert "ISBN saknas" in checks and reverse("report_edition_part", args=[2025, "uppgifter"]) in checks
    assert reverse("workspace:matrix", args=[2025]) in checks
    assert "samma analys som i Lägesrapport 2024" in checks

    # Publishing is refused while the ISBN and the report number are missing, and without the confirmation.
    publish = reverse("report_publish", args=[2025])
    assert "kan inte publiceras förrän" in text_of(coordinator_client.get(publish))
    coordinator_client.post(publish, {"confirm": "on"})
    assert not ReportEdition.objects.get(year=2025).is_published
    response = coordinator_client.post(
        reverse("report_edition_part", args=[2025, "uppgifter"]),
        {"title": "Lägesrapport 2025", "author": "Länsstyrelsen Stockholm", "report_number": "2026:3",
         "isbn": "978-91-7937-400-6", "publication_year": "2026", "cover_credit": ""},
    )
    assert response.status_code == 302
    page = text_of(coordinator_client.get(publish))
    assert "Publicera Lägesrapport 2025" in page
    refused = text_of(coordinator_client.post(publish, {}))
    assert "Bekräfta att du vill publicera." in refused, refused[refused.find("<form method=\"post\" novalidate"):][:1500]
    assert not ReportEdition.objects.get(year=2025).is_published

    response = coordinator_client.post(publish, {"confirm": "on"})
    assert response.status_code == 302 and response["Location"] == reverse("report", args=[2025])
    published = ReportEdition.objects.get(year=2025)
    assert published.is_published and published.frozen_html and published.publication_date

    # The archive lists both, newest first; 2024 says that a newer report exists and links to it.
    archive = text_of(client.get(reverse("report_archive")))
    assert archive.index(reverse("report", args=[2025])) < archive.index(reverse("report", args=[2024]))
    old = text_of(client.get(reverse("report", args=[2024])))
    assert "Det finns en nyare lägesrapport" in old and f'href="{reverse("report", args=[2025])}"' in old
    assert "Det finns en nyare lägesrapport" not in text_of(client.get(reverse("report", args=[2025])))
    # The start page leads to the latest.
    assert reverse("report", args=[2025]) in text_of(client.get("/"))


def test_it_saves_a_goal_part_as_a_draft_and_previews_it_with_the_published_templates(coordinator_client):
    create_2025(coordinator_client)
    indicator = Indicator.objects.get(code="2.I5")
    url = reverse("report_edition_part", args=[2025, "mal-2"])
    form = coordinator_client.get(url)
    assert form.status_code == 200
    response = coordinator_client.post(
        url,
        {
            "avsnitt-intro": "## Om året\n\nTexten om mål 2 med en fotnot[^1] och [en länk](https://www.lansstyrelsen.se).\n\n[^1]: Källa: BRÅ.",
            "avsnitt-summary": "- första punkten\n- andra punkten",
            "avsnitt-summary_footnotes": "",
            "avsnitt-development_areas": "Samverkan",
            f"analys-{indicator.pk}-text": "Antalet fullföljda program ökade under 2025.\n\n<script>alert(1)</script>",
        },
    )
    assert response.status_code == 302
    html = coordinator_client.get(url).content.decode()
    preview = html[html.index('class="editor-preview"'):]
    assert "<h5>Om året</h5>" in preview and 'href="https://www.lansstyrelsen.se"' in preview
    assert 'class="footnote"' in preview and "Källa: BRÅ." in preview
    assert "Antalet fullföljda program ökade under 2025." in preview
    assert "<script>alert(1)</script>" not in html
    assert IndicatorAnalysis.objects.get(edition__year=2025, indicator=indicator).text.startswith("Antalet fullföljda")
    assert "Historik" in html


def test_it_shows_a_published_edition_read_only_and_takes_a_dated_correction(client, coordinator_client):
    part = text_of(coordinator_client.get(reverse("report_edition_part", args=[2024, "texter"])))
    assert "<fieldset disabled>" in part and "Spara utkast" not in part
    before = ReportEdition.objects.get(year=2024).frozen_html
    response = coordinator_client.post(
        reverse("report_correct", args=[2024]), {"corrected_on": "2025-09-01", "text": "Tabell 5 anger 2023, inte 2022."}
    )
    assert response.status_code == 302
    page = text_of(client.get(reverse("report", args=[2024])))
    assert "Rättelser efter publiceringen" in page and "1 september 2025" in page and "Tabell 5 anger 2023, inte 2022." in page
    assert ReportEdition.objects.get(year=2024).frozen_html == before
    empty = text_of(coordinator_client.post(reverse("report_correct", args=[2024]), {"corrected_on": "2025-09-01", "text": " "}))
    assert "Detta fält måste fyllas i." in empty
    assert ReportEdition.objects.get(year=2024).corrections.count() == 1


def test_it_shows_the_editor_to_coordinators_only(client, make_user):
    reporter = make_user("rapportor-polisen", "polisen", "rapportör")
    for url in (reverse("report_editions"), reverse("report_editor", args=[2024]), reverse("report_checks", args=[2024])):
        assert client.get(url).status_code == 302  # to the login
        client.force_login(reporter)
        assert client.get(url).status_code == 404
        assert client.post(reverse("report_editions"), {"year": 2030}).status_code == 404
        client.logout()
    assert not ReportEdition.objects.filter(year=2030).exists()


def test_it_refuses_a_year_that_already_has_an_edition_with_a_message(coordinator_client):
    page = text_of(coordinator_client.post(reverse("report_editions"), {"year": 2024}))
    assert "Lägesrapport 2024 finns redan." in page
    page = text_of(coordinator_client.post(reverse("report_editions"), {"year": "två tusen"}))
    assert "Fyll i ett heltal." in page


def test_it_lists_and_checks_in_a_constant_number_of_queries(coordinator_client):
    create_2025(coordinator_client)
    urls = [
        reverse("report_editions"),
        reverse("report_checks", args=[2025]),
        reverse("report_edition_part", args=[2025, "mal-2"]),
        reverse("report_editor", args=[2025]),
        reverse("report_publish", args=[2025]),
    ]

    def counts():
        found = []
        for url in urls:
            with CaptureQueriesContext(connection) as queries:
                assert coordinator_client.get(url).status_code == 200
            found.append(len(queries))
        return found

    before = counts()
    # More of what the pages list: indicators of goal 2 with series, analyses and values, and editions.
    edition = ReportEdition.objects.get(year=2025)
    for number in range(80, 92):
        indicator = factories.indicator(f"2.I{number}", goal=Goal.objects.get(number=2))
        series = factories.headline(indicator)
        series.values.create(area=indicator.area, year=2024, value=number, state="approved")
        IndicatorAnalysis.objects.create(edition=edition, indicator=indicator, text=f"Analys {number}.")
    for year in (2018, 2017):
        ReportEdition.objects.create(strategy=edition.strategy, year=year, title=f"Lägesrapport {year}")
    after = counts()
    assert after == before, (before, after)


def test_it_keeps_footnote_ids_unique_on_the_whole_report(coordinator_client):
    create_2025(coordinator_client)
    edition = ReportEdition.objects.get(year=2025)
    for goal in Goal.objects.filter(number__in=[1, 2]):
        services.goal_section_write(
            edition=edition, goal=goal, user=None, intro=f"Inledning[^1]\n\n[^1]: Fotnot {goal.number}.",
            summary=f"Sammanfattning[^1]\n\n[^1]: Fotnot {goal.number}.",
        )
    html = coordinator_client.get(reverse("report", args=[2025])).content.decode()
    ids = re.findall(r'id="(fn(?:ref)?-[^"]+)"', html)
    assert len(ids) >= 8 and len(ids) == len(set(ids)), ids


def test_it_draws_only_the_edited_goals_charts_for_a_parts_preview(coordinator_client, monkeypatch):
    """A part's preview draws what that part shows: a goal's part its own indicators' charts, the title
    page and the texts none (drawing every goal's charts for each part took most of the editor's time)."""
    from reports import selectors

    drawn = []
    build_panel = selectors.build_panel
    monkeypatch.setattr(selectors, "build_panel", lambda indicator, *a: drawn.append(indicator) or build_panel(indicator, *a))
    create_2025(coordinator_client)

    for part in ("uppgifter", "texter"):
        assert coordinator_client.get(reverse("report_edition_part", args=[2025, part])).status_code == 200
    assert drawn == []

    response = coordinator_client.get(reverse("report_edition_part", args=[2025, "mal-6"]))
    assert response.status_code == 200 and 'class="panel' in response.content.decode()
    assert drawn and {indicator.shown_goal.number for indicator in drawn} == {6}


def test_it_tells_the_parts_history_in_the_pages_language(coordinator_client):
    # django-simple-history has no Swedish: its "Created"/"Changed" leaked into the Swedish editor.
    create_2025(coordinator_client)
    url = reverse("report_edition_part", args=[2025, "uppgifter"])
    coordinator_client.post(url, {"title": "Lägesrapport 2025", "author": "Länsstyrelsen Stockholm", "publication_year": "2026"})
    history = text_of(coordinator_client.get(url)).split('class="history"')[1].split("</ul>")[0]
    assert ": skapad av " in history and ": ändrad av " in history
    assert "created" not in history.lower() and "changed" not in history.lower()


@pytest.mark.parametrize(
    "typed, message",
    [
        ("2052-09-01", "Datumet kan inte ligga i framtiden."),  # 2025 mistyped: a rättelse can never be changed or removed
        ("2024-06-01", "före lägesrapporten"),  # before Lägesrapport 2024 could exist
    ],
)
def test_it_refuses_a_correction_dated_where_it_cannot_be(client, coordinator_client, typed, message):
    response = coordinator_client.post(reverse("report_correct", args=[2024]), {"corrected_on": typed, "text": "Tabell 5 anger 2023."})
    assert response.status_code == 200 and message in text_of(response)
    assert "Tabell 5 anger 2023." in text_of(response)  # the text typed is kept
    assert not ReportEdition.objects.get(year=2024).corrections.exists()


def opened_form(client, url):
    """What the page's form would post as it stands: every input and textarea with its value."""
    html = client.get(url).content.decode()
    form = html[html.index('<form method="post" novalidate data-warn-unsaved>'):]
    form = form[: form.index("</form>")]
    data = {name: value for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form)}
    data |= {name: value.lstrip("\n") for name, value in re.findall(r'(?s)<textarea name="([^"]+)"[^>]*>(.*?)</textarea>', form)}
    data |= {name: value for name, value in re.findall(r'<input type="(?:text|number)" name="([^"]+)" value="([^"]*)"', form)}
    return data


@pytest.mark.parametrize("part", ["texter", "mal-2"])
def test_it_refuses_a_save_from_a_second_tab_opened_before_someone_elses_save(coordinator_client, part):
    # Two tabs (or two coordinators) on the same part: the later save used to overwrite the earlier one unseen.
    create_2025(coordinator_client)
    url = reverse("report_edition_part", args=[2025, part])
    first, second = opened_form(coordinator_client, url), opened_form(coordinator_client, url)
    field = "foreword" if part == "texter" else "avsnitt-intro"
    first[field] = "Det första fönstrets text."
    assert coordinator_client.post(url, first).status_code == 302
    second[field] = "Det andra fönstrets text."
    refused = coordinator_client.post(url, second)
    assert refused.status_code == 200
    page = text_of(refused)
    assert "Någon annan har sparat" in page and "Det andra fönstrets text." in page  # told, and the text typed is kept
    edition = ReportEdition.objects.get(year=2025)
    stored = edition.foreword if part == "texter" else edition.sections.get(goal__number=2).intro
    assert stored == "Det första fönstrets text."
    # Reloaded, the page saves again.
    again = opened_form(coordinator_client, url)
    again[field] = "Det andra fönstrets text."
    assert coordinator_client.post(url, again).status_code == 302


def test_it_refuses_an_edition_for_a_year_outside_the_strategys_follow_up(coordinator_client):
    # As a round is: a mistyped 2052 made a draft that cannot be removed, and became the "latest" to copy from.
    page = text_of(coordinator_client.post(reverse("report_editions"), {"year": 2052}))
    assert "Året måste ligga inom strategins uppföljning, 2019–2026." in page
    assert not ReportEdition.objects.filter(year=2052).exists()
    assert coordinator_client.post(reverse("report_editions"), {"year": 2026}).status_code == 302


def test_it_adds_a_correction_once_when_the_form_is_sent_twice(coordinator_client):
    # A double click or a resent form added the same rättelse twice, and a rättelse can never be removed.
    url = reverse("report_correct", args=[2024])
    correction = {"corrected_on": "2025-09-01", "text": "Tabell 5 anger 2023, inte 2022."}
    assert coordinator_client.post(url, correction).status_code == 302
    again = coordinator_client.post(url, correction)
    assert again.status_code == 200 and "Rättelsen finns redan" in text_of(again)
    assert ReportEdition.objects.get(year=2024).corrections.count() == 1
    other_day = coordinator_client.post(url, {**correction, "corrected_on": "2025-10-01"})
    assert other_day.status_code == 302 and ReportEdition.objects.get(year=2024).corrections.count() == 2


@pytest.mark.parametrize(
    ("isbn", "accepted"),
    [("978-91-7937-400-6", True), ("978 91 7937 341 2", True), ("91-7937-341-0", True), ("0-8044-2957-X", True),
     ("978-91-7937-400-7", False), ("978-91-7937-40-6", False), ("91-7937-341-2", False), ("ISBN-nummer", False)],
)
def test_it_refuses_an_isbn_whose_check_digit_does_not_add_up(coordinator_client, isbn, accepted):
    """An ISBN mistyped into the colophon would be printed in the published report for good: its check digit
    (ISBN-13, or ISBN-10 for an older number) is checked when it is saved."""
    create_2025(coordinator_client)
    response = coordinator_client.post(
        reverse("report_edition_part", args=[2025, "uppgifter"]),
        {"title": "Lägesrapport 2025", "author": "Länsstyrelsen Stockholm", "report_number": "2026:3",
         "isbn": isbn, "publication_year": "2026", "cover_credit": ""},
    )
    stored = ReportEdition.objects.get(year=2025).isbn
    if accepted:
        assert response.status_code == 302 and stored == isbn
    else:
        assert response.status_code == 200 and stored == ""
        assert "kontrollsiffra" in text_of(response)
