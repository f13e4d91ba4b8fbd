"""The reporters' workspace: the round, its deadline, the organisation's items, focused forms; nothing of anyone else's."""

import pytest
from django.urls import reverse

from actions.models import Commitment, StatusReport
from indicators.models import Indicator, Value
from reporting.admin_review import SUBMIT_BUTTON
from reporting.models import State
from strategy.models import Organisation

from . import reporting

pytestmark = pytest.mark.django_db


@pytest.fixture
def kv_client(client, make_user):
    client.force_login(make_user("rapportor-kv", "kriminalvarden", "rapportor"))
    return client


def commitment(number):
    return Commitment.objects.get(plan__kind="regional", number=number)


def test_it_lists_the_round_deadline_and_every_item_with_its_state(kv_client, round_2025):
    reporting.status_report(number="2.10", state=State.SUBMITTED)
    reporting.status_report(number="5.3", state=State.RETURNED, reviewer_comment="Ange antalet utbildade.")
    html = kv_client.get(reverse("workspace:home")).content.decode()
    assert "Rapportering 2025" in html and "1 mars 2026" in html
    assert "Åtagande 2.10" in html and "Åtagande 5.4" in html and "Indikator 2.I5" in html
    assert "Inskickad" in html and "Återskickad med kommentar" in html and "Ange antalet utbildade." in html
    progress = kv_client.get(reverse("workspace:home")).context["progress"]
    assert f"{progress.done} av {progress.total} klara" in html and progress.done == 1


def test_it_lands_a_reporter_on_the_workspace_after_login(client, make_user, round_2025):
    make_user("rapportor-kv", "kriminalvarden", "rapportor")
    response = client.post(
        reverse("admin:login"), {"username": "rapportor-kv", "password": "pw-for-tests", "next": "/admin/"}
    )
    assert response.status_code == 302 and response["Location"] == reverse("workspace:home")


def test_it_saves_a_draft_and_then_submits_in_one_click(kv_client, round_2025):
    url = reverse("workspace:commitment", args=[2025, commitment("2.10").pk])
    page = kv_client.get(url).content.decode()
    assert commitment("2.10").text[:200] in page  # the full text, not cut off
    response = kv_client.post(url, {"category": "ongoing", "text": "Utkast till rapport.", "_save": "1"})
    assert response.status_code == 302
    report = StatusReport.objects.get(commitment=commitment("2.10"), year=2025)
    assert report.state == State.DRAFT and report.organisation.slug == "kriminalvarden"
    response = kv_client.post(
        url, {"category": "done", "text": "Klart.", "expected_version": report.version, SUBMIT_BUTTON: "1"}
    )
    report.refresh_from_db()
    assert response.status_code == 302 and report.state == State.SUBMITTED and report.text == "Klart."


def test_it_refuses_to_submit_an_empty_report_and_saves_nothing(kv_client, round_2025):
    url = reverse("workspace:commitment", args=[2025, commitment("2.10").pk])
    response = kv_client.post(url, {"category": "unspecified", "text": "", SUBMIT_BUTTON: "1"})
    assert response.status_code == 200 and "Välj en status" in response.content.decode()
    assert not StatusReport.objects.filter(commitment=commitment("2.10"), year=2025).exists()


def test_it_shows_the_coordinators_comment_on_a_returned_report(kv_client, round_2025):
    reporting.status_report(number="2.10", state=State.RETURNED, reviewer_comment="Hur många utbildades?")
    html = kv_client.get(reverse("workspace:commitment", args=[2025, commitment("2.10").pk])).content.decode()
    assert 'id="reviewer-comment"' in html and "Hur många utbildades?" in html


def test_it_shows_a_submitted_report_read_only(kv_client, round_2025):
    reporting.status_report(number="2.10", state=State.SUBMITTED)
    url = reverse("workspace:commitment", args=[2025, commitment("2.10").pk])
    html = kv_client.get(url).content.decode()
    assert "kan inte ändras nu" in html and SUBMIT_BUTTON not in html
    assert kv_client.post(url, {"category": "done", "text": "Ändrat", "_save": "1"}).status_code == 403


def test_it_saves_and_submits_values_from_the_grid(kv_client, round_2025):
    indicator = Indicator.objects.get(code="2.I5")
    series = indicator.series.order_by("order", "pk").first()
    url = reverse("workspace:indicator", args=[2025, indicator.pk])
    form = kv_client.get(url).context["form"]
    data = {name: field.initial or "" for name, field in form.fields.items()}
    data[f"v_{series.pk}_2025"] = "12"
    data[SUBMIT_BUTTON] = "1"
    response = kv_client.post(url, data)
    assert response.status_code == 302
    value = Value.objects.get(series=series, year=2025, area=indicator.area)
    assert value.state == State.SUBMITTED


def test_it_shows_locked_and_out_of_round_years_read_only(kv_client, round_2025):
    indicator = Indicator.objects.get(code="2.I5")
    html = kv_client.get(reverse("workspace:indicator", args=[2025, indicator.pk])).content.decode()
    series = indicator.series.order_by("order", "pk").first()
    assert f'name="v_{series.pk}_2024"' in html
    cell_2024 = html.split(f'name="v_{series.pk}_2024"')[1].split(">")[0]
    cell_2025 = html.split(f'name="v_{series.pk}_2025"')[1].split(">")[0]
    assert "readonly" in cell_2024 and "readonly" not in cell_2025


def test_it_answers_404_for_every_workspace_url_of_another_organisations_item(kv_client, round_2025):
    police = Organisation.objects.get(slug="polisen")
    theirs = Commitment.objects.reported_by(police).exclude(pk__in=Commitment.objects.reported_by(
        Organisation.objects.get(slug="kriminalvarden")).values("pk"))
    assert theirs.exists()
    others = Indicator.objects.exclude(responsible__slug="kriminalvarden")
    report = reporting.status_report(number="1.1", org_slug="lansstyrelsen", state=State.SUBMITTED)
    value = reporting.value(code=others.filter(series__isnull=False).first().code, state=State.SUBMITTED)
    urls = [reverse("workspace:commitment", args=[2025, c.pk]) for c in theirs]
    urls += [reverse("workspace:indicator", args=[2025, i.pk]) for i in others[:20]]
    urls += [
        reverse("workspace:desk"),
        reverse("workspace:desk_transition", args=["statusrapport", report.pk, "godkann"]),
        reverse("workspace:desk_transition", args=["varde", value.pk, "returnera"]),
        reverse("workspace:matrix", args=[2025]),
        reverse("workspace:matrix_csv", args=[2025]),
    ]
    for url in urls:
        assert kv_client.get(url).status_code in (404, 405), url
        assert kv_client.post(url, {"category": "done", "text": "x", SUBMIT_BUTTON: "1"}).status_code == 404, url
    report.refresh_from_db()
    assert report.state == State.SUBMITTED


def test_it_gives_a_municipality_reporter_its_local_plans_measures(client, make_user, round_2025):
    client.force_login(make_user("rapportor-sodertalje", "sodertalje", "rapportor"))
    progress = client.get(reverse("workspace:home")).context["progress"]
    measures = [t for t in progress.commitments if t.subject.plan.is_local]
    assert len(measures) == 33


def test_it_shows_a_planned_round_with_its_opening_day_and_nothing_editable(kv_client):
    import datetime

    from reporting.models import ReportingRound

    ReportingRound.objects.create(year=2026, opens_on=datetime.date(2027, 1, 15), deadline=datetime.date(2027, 3, 1))
    html = kv_client.get(reverse("workspace:home")).content.decode()
    assert "inte öppnat än" in html and "15 januari 2027" in html and "1 mars 2027" in html
    page = kv_client.get(reverse("workspace:commitment", args=[2026, commitment("2.10").pk])).content.decode()
    assert "kan inte ändras nu" in page and SUBMIT_BUTTON not in page


def test_it_saves_a_footnote_and_a_source_with_the_years_value(kv_client, round_2025):
    indicator = Indicator.objects.get(code="2.I5")
    series = indicator.series.order_by("order", "pk").first()
    url = reverse("workspace:indicator", args=[2025, indicator.pk])
    page = kv_client.get(url)
    form = page.context["form"]
    html = page.content.decode()
    assert f'name="{form.footnote_name(series, 2025)}"' in html and f'name="{form.source_name(series, 2024)}"' not in html
    data = {name: (field.initial if field.initial is not None else "") for name, field in form.fields.items()}
    data.update({
        form.cell_name(series, 2025): "41",
        form.footnote_name(series, 2025): "Avser frivården Region Stockholm.",
        form.source_name(series, 2025): "Kriminalvårdens programstatistik 2025",
    })
    assert kv_client.post(url, data).status_code == 302
    value = Value.objects.get(series=series, area=indicator.area, year=2025)
    assert (value.footnote, value.source_ref, value.state) == (
        "Avser frivården Region Stockholm.", "Kriminalvårdens programstatistik 2025", State.DRAFT
    )


@pytest.mark.parametrize(
    "typed, message",
    [
        ("1" * 40, "för stort"),  # stored, it broke the grid for everyone after (500 on SQLite, refused by PostgreSQL)
        ("12345678901", "för stort"),
        ("6,123456", "fler än fyra decimaler"),  # would be stored rounded, another figure than the one typed
    ],
)
def test_it_refuses_a_figure_the_database_cannot_hold_and_keeps_the_grid_usable(kv_client, round_2025, typed, message):
    indicator = Indicator.objects.get(code="2.I5")
    series = indicator.series.order_by("order", "pk").first()
    url = reverse("workspace:indicator", args=[2025, indicator.pk])
    form = kv_client.get(url).context["form"]
    data = {name: field.initial or "" for name, field in form.fields.items()}
    data[f"v_{series.pk}_2025"] = typed
    response = kv_client.post(url, data)
    assert response.status_code == 200 and message in response.content.decode()
    assert not Value.objects.filter(series=series, year=2025).exists()
    assert kv_client.get(url).status_code == 200


def test_it_keeps_the_text_of_a_save_refused_because_the_report_was_submitted_meanwhile(kv_client, round_2025):
    # A second tab, or a colleague who submitted first: the save is refused, and used to show a bare 403 page
    # with the text the reporter had written gone.
    report = reporting.status_report(number="2.10", state=State.SUBMITTED)
    url = reverse("workspace:commitment", args=[2025, commitment("2.10").pk])
    response = kv_client.post(
        url, {"category": "done", "text": "Tre utbildningar hölls under hösten.", "expected_version": report.version, "_save": "1"}
    )
    assert response.status_code == 403
    html = response.content.decode()
    assert "Inget sparades." in html and "Posten är inskickad och kan inte ändras." in html
    assert "Tre utbildningar hölls under hösten." in html and "Åtagande 2.10" in html
    report.refresh_from_db()
    assert report.text != "Tre utbildningar hölls under hösten." and report.state == State.SUBMITTED
