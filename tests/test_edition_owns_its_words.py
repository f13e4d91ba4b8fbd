"""Each report edition owns every word it prints: once published, nothing changes its page.

Writing Lägesrapport 2025 — its analysis of an indicator, its texts — and editing
every text field of every model the 2024 edition shows, through the admin, the
report editor and a second `load_real_data`, leaves /lagesrapport/2024/ byte for
byte as it was published; the live pages show the newest published analysis.
"""

import copy
import re

import pytest
import yaml
from django.core.exceptions import ValidationError
from django.urls import reverse

from actions.models import Commitment
from indicators.models import Indicator
from reports.management.commands import load_real_data
from reports.models import GoalSection, IndicatorAnalysis, ReportEdition
from reports.services import (
    indicator_analysis_write,
    report_edition_create,
    report_edition_publish,
    report_edition_update,
)
from strategy.models import Goal, Organisation

pytestmark = pytest.mark.django_db

NEW_ANALYSIS = "Under 2025 ökade antalet fullföljda program jämfört med året innan."
OLD_ANALYSIS = "mer än fyrdubblades mellan 2022 och 2024"


def article(client, year=2024):
    """The report's main content: the published edition itself, without the site's frame."""
    response = client.get(reverse("report", args=[year]))
    assert response.status_code == 200
    return re.search(rb'<article class="report">.*</article>', response.content, re.S)[0]


def every_text_changed(obj, suffix=" (ändrad)"):
    """Append to every non-empty text field of a model instance, as an editor would."""
    changed = []
    for field in obj._meta.concrete_fields:
        if field.get_internal_type() in ("CharField", "TextField") and field.editable and not field.choices:
            value = getattr(obj, field.attname)
            if value and field.name not in ("slug", "code", "key", "municipality_code", "number"):
                setattr(obj, field.attname, (value + suffix)[: field.max_length or None])
                changed.append(field.name)
    return changed


def test_it_keeps_the_published_2024_page_whatever_is_edited_and_shows_the_new_analysis_live(
    client, coordinator_client, coordinator, monkeypatch, django_capture_on_commit_callbacks
):
    before = article(client)
    indicator = Indicator.objects.get(code="2.I5")
    assert OLD_ANALYSIS.encode() in before

    # Lägesrapport 2025 is written: a draft copied from 2024, with a new analysis for 2.I5.
    draft = report_edition_create(year=2025, user=coordinator)
    assert IndicatorAnalysis.objects.get(edition=draft, indicator=indicator).text.count(OLD_ANALYSIS) == 1
    indicator_analysis_write(edition=draft, indicator=indicator, user=coordinator, text=NEW_ANALYSIS)

    # Through the models (as the admin's and the importers' saves do): every text of every model 2024 shows.
    with django_capture_on_commit_callbacks(execute=True):
        for model in (Indicator, Goal, Commitment, Organisation):
            for obj in model.objects.all():
                if every_text_changed(obj):
                    obj.save()

    # Through the admin: the published edition and its parts are read-only and cannot be deleted.
    edition = ReportEdition.objects.get(year=2024)
    section = GoalSection.objects.filter(edition=edition).first()
    analysis = IndicatorAnalysis.objects.filter(edition=edition).first()
    change = coordinator_client.post(
        reverse("admin:reports_reportedition_change", args=[edition.pk]),
        {"title": "Ändrad titel", "foreword": "Ändrat förord", "isbn": "0", "strategy": edition.strategy_id, "year": 2024},
    )
    assert change.status_code in (302, 403) or "Ändrat förord".encode() not in change.content
    for name, obj in (("goalsection", section), ("indicatoranalysis", analysis)):
        response = coordinator_client.post(reverse(f"admin:reports_{name}_change", args=[obj.pk]), {"text": "Ändrad", "summary": "Ändrad"})
        assert response.status_code == 403 or "Ändrad".encode() not in response.content
        assert coordinator_client.post(reverse(f"admin:reports_{name}_delete", args=[obj.pk]), {"post": "yes"}).status_code == 403

    # Through the editor: the published edition's parts refuse every write.
    for part in ("uppgifter", "texter", "mal-2"):
        coordinator_client.post(
            reverse("report_edition_part", args=[2024, part]),
            {"title": "Ändrad", "foreword": "Ändrat", "avsnitt-intro": "Ändrad", f"analys-{indicator.pk}-text": "Ändrad"},
        )

    # Through the services and the models directly.
    with pytest.raises(ValidationError, match="är publicerad"):
        report_edition_update(edition=edition, user=coordinator, foreword="Ändrat förord")
    with pytest.raises(ValidationError, match="är publicerad"):
        indicator_analysis_write(edition=edition, indicator=indicator, user=coordinator, text="Ändrad")
    section.summary = "Ändrad"
    with pytest.raises(ValidationError):
        section.save()

    # Through a second load of the real data, with every text of the fixtures changed.
    real_read = load_real_data.read

    def read_changed(name):
        data = copy.deepcopy(real_read(name))
        if name == "reports.yaml":
            for e in data["editions"]:
                e["foreword"] = "Ett förord ändrat i fixturerna."
                for s in e.get("sections") or []:
                    s["summary"] = "En sammanfattning ändrad i fixturerna."
        return data

    real_safe_load = yaml.safe_load

    def indicators_changed(text):
        data = real_safe_load(text)
        indicators = data.get("indicators") if isinstance(data, dict) else None
        for item in indicators if isinstance(indicators, list) else []:  # not the translations' {code: texts}
            item["title"] = item["title"] + " (ändrad i fixturerna)"
            item["notes"] = ["En anteckning ändrad i fixturerna."]
        return data

    monkeypatch.setattr(load_real_data, "read", read_changed)
    monkeypatch.setattr(load_real_data.yaml, "safe_load", indicators_changed)
    with django_capture_on_commit_callbacks(execute=True):
        load_real_data.load_all()
    monkeypatch.undo()

    assert article(client) == before

    # Once 2025 is published, the live indicator page shows its analysis, labelled with its year...
    report_edition_update(edition=draft, user=coordinator, isbn="978-91-7937-999-5", report_number="2026:1")
    with django_capture_on_commit_callbacks(execute=True):
        report_edition_publish(edition=draft, user=coordinator)
    live = client.get(reverse("indicator", args=[Indicator.objects.get(code="2.I5").slug])).content.decode()
    assert NEW_ANALYSIS in live and "Analys i Lägesrapport 2025" in live and OLD_ANALYSIS not in live
    # ...and 2024 is still what it was, now saying that a newer report exists.
    assert article(client) == before
    page = client.get(reverse("report", args=[2024])).content.decode()
    assert "Det finns en nyare lägesrapport" in page and reverse("report", args=[2025]) in page


def test_it_starts_a_new_edition_as_a_copy_of_the_previous_one(coordinator):
    previous = ReportEdition.objects.get(year=2024)
    draft = report_edition_create(year=2025, user=coordinator)
    assert not draft.is_published and draft.title == previous.title.replace("2024", "2025")
    assert (draft.foreword, draft.how_produced) == (previous.foreword, previous.how_produced)
    assert (draft.isbn, draft.report_number) == ("", "")
    assert draft.sections.count() == previous.sections.count() == 8
    # One analysis per indicator 2024 writes about or captions (duplicates of the goal texts dropped),
    # copied in the order they were written: the report page's order.
    assert draft.analyses.count() == previous.analyses.count() == 38
    in_order = [list(e.analyses.order_by("pk").values_list("indicator_id", flat=True)) for e in (draft, previous)]
    assert in_order[0] == in_order[1]
    assert draft.analyses.exclude(caption="").count() == previous.analyses.exclude(caption="").count() == 19
    with pytest.raises(ValidationError, match="finns redan"):
        report_edition_create(year=2025, user=coordinator)


def test_it_refuses_to_delete_a_published_edition_on_every_path(coordinator_client):
    edition = ReportEdition.objects.get(year=2024)
    assert coordinator_client.post(reverse("admin:reports_reportedition_delete", args=[edition.pk]), {"post": "yes"}).status_code == 403
    changelist = coordinator_client.post(
        reverse("admin:reports_reportedition_changelist"), {"action": "delete_selected", "_selected_action": [edition.pk]}
    )
    assert changelist.status_code in (200, 302)
    with pytest.raises(ValidationError, match="kan inte tas bort"):
        edition.delete()
    with pytest.raises(ValidationError, match="kan inte tas bort"):
        ReportEdition.objects.filter(pk=edition.pk).delete()
    assert ReportEdition.objects.filter(pk=edition.pk).exists()
