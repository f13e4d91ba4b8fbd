"""The one write policy over every write path.

Each rule (organisation, commitment scope, open round, locked year, review state,
empty report) refuses the same write whichever path it comes in by — admin add
and change forms, the values grid, the long, wide and Kolada value imports, the
status-report import, the review actions — with a Swedish reason, and a refused
write changes no row and no history. A path added without the policy fails here.
Each path also has a control case that the same write, made by the right person
at the right time, goes through and leaves a draft.
"""

import json
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from import_export.formats.base_formats import CSV

from actions.models import Commitment, StatusReport
from actions.resources import StatusReportResource
from indicators.formats import KoladaJSON, LongCSV, WideCSV
from indicators.grid import ValuesGridForm
from indicators.models import Value
from indicators.resources import ValueResource
from reporting.models import State
from strategy.models import Area, Organisation

from . import factories, reporting

pytestmark = pytest.mark.django_db

YEAR = reporting.YEAR
AREA = "kommun-0180"  # Stockholm: an area every value path (Kolada too) can name


@dataclass
class World:
    indicator: object
    series: object
    area: object
    reporter: object  # Kriminalvården's reporter: owns the indicator and commitment 2.10
    police: object  # another organisation's reporter
    coordinator: object
    commitment: object
    foreign_commitment: object  # one Kriminalvården neither leads, shares nor owns


@pytest.fixture
def world(make_user):
    kv = Organisation.objects.get(slug="kriminalvarden")
    indicator = factories.indicator("9.I80", unit="count", kolada_kpi="N99980", responsible=kv)
    factories.headline(indicator)
    regional = Commitment.objects.filter(plan__kind="regional")
    return World(
        indicator=indicator,
        series=indicator.series.get(),
        area=Area.objects.get(slug=AREA),
        reporter=make_user("rapportor-kv", "kriminalvarden", "rapportor"),
        police=make_user("rapportor-polisen", "polisen", "rapportor"),
        coordinator=make_user("samordnare-policy", "lansstyrelsen", "samordnare"),
        commitment=regional.get(number="2.10"),
        foreign_commitment=regional.exclude(pk__in=regional.reported_by(kv)).order_by("number_major").first(),
    )


# --- the rules: (who writes, what is stored, the words of the refusal) ------------------------------


@dataclass
class Case:
    actor: str  # attribute of World
    open_round: bool = True
    stored_state: str | None = State.DRAFT  # the stored item's state; None: nothing stored
    locked: bool = False  # the year's edition is published
    commitment: str = "commitment"  # attribute of World, for status reports
    organisation: str = "kriminalvarden"  # the status report's organisation
    empty: bool = False  # the status report says nothing
    expect: str = ""


RULES = {
    "organisation": Case("police", expect="din egen organisation"),
    "scope": Case("reporter", commitment="foreign_commitment", expect="varken leder eller delar ansvaret"),
    "round": Case("reporter", open_round=False, expect="inte öppen"),
    "locked": Case("coordinator", stored_state=State.APPROVED, locked=True, expect="låst"),
    "state": Case("reporter", stored_state=State.APPROVED, expect="godkänd"),
    "empty": Case("reporter", empty=True, expect="Välj en status"),
}
ALLOWED = Case("reporter")


def stage(world, case, kind):
    """Store what the case needs; return the stored item or None."""
    if case.open_round:
        reporting.open_round(YEAR)
    stored = None
    if case.stored_state is not None:
        if kind == "value":
            stored = Value.objects.create(
                series=world.series, area=world.area, year=YEAR, value=Decimal(10), state=case.stored_state
            )
        else:
            stored = StatusReport.objects.create(
                commitment=getattr(world, case.commitment),
                organisation=Organisation.objects.get(slug=case.organisation),
                year=YEAR,
                category="unspecified" if case.empty else "ongoing",
                text="" if case.empty else "Arbetet pågår.",
                state=case.stored_state,
            )
    if case.locked:
        reporting.publish_edition(YEAR)
    return stored


# --- the paths: each makes one write and returns what the user is told ----------------------------


def import_messages(result):
    texts = [str(error.error) for error in result.base_errors]
    for row in result.invalid_rows:
        texts += [m for messages in row.error_dict.values() for m in messages]
    return " ".join(texts)


def page(response):
    if response.status_code == 404:
        return "404"
    if response.status_code == 403:
        assert "Åtgärden är inte tillåten" in response.content.decode()
    texts = [str(m) for m in get_messages(response.wsgi_request)]
    return " ".join([response.content.decode(), *texts])


def value_form_add(client, world, stored):
    return page(client.post(
        reverse("admin:indicators_value_add"),
        {"series": world.series.pk, "area": world.area.pk, "year": YEAR, "value": "12"},
    ))


def value_form_change(client, world, stored):
    return page(client.post(
        reverse("admin:indicators_value_change", args=[stored.pk]),
        {"series": world.series.pk, "area": world.area.pk, "year": YEAR, "value": "12",
         "expected_version": stored.version},
    ))


def value_grid(client, world, stored):
    form = ValuesGridForm(indicator=world.indicator, area=world.area)
    data = {"fingerprint": form.fields["fingerprint"].initial}
    for _series, cells in form.rows():
        for cell in cells:
            data[cell.html_name] = cell.initial or ""
    data[ValuesGridForm.cell_name(world.series, YEAR)] = "12"
    url = reverse("admin:indicators_indicator_values", args=[world.indicator.pk])
    return page(client.post(f"{url}?omrade={world.area.slug}", data))


def value_import(fmt, text):
    def run(client, world, stored):
        user = client.session_user
        return import_messages(ValueResource(user=user).import_data(fmt().create_dataset(text), dry_run=False))

    return run


LONG = "indicator_code,year,area,breakdown,value\n9.I80,2025,0180,Totalt,12\n"
WIDE = "indicator_code,area,breakdown,2025\n9.I80,0180,Totalt,12\n"
KOLADA = json.dumps({"values": [{"kpi": "N99980", "municipality": "0180", "period": 2025,
                                 "values": [{"gender": "T", "value": 12, "count": None, "status": ""}]}]})


def review_submit(model_name):
    def run(client, world, stored):
        url = reverse(f"admin:{model_name}_review", args=[stored.pk])
        return page(client.post(url, {"transition": "submit"}))

    return run


def report_form_add(client, world, stored, case):
    return page(client.post(reverse("admin:actions_statusreport_add"), report_data(world, case)))


def report_data(world, case):
    return {
        "commitment": getattr(world, case.commitment).pk,
        "organisation": Organisation.objects.get(slug=case.organisation).pk,
        "year": YEAR,
        "category": "unspecified" if case.empty else "done",
        "text": "" if case.empty else "Klart under året.",
    }


def report_form_change(client, world, stored, case):
    data = {**report_data(world, case), "expected_version": stored.version, "_submit_for_review": "1"}
    if not case.empty:
        data.pop("_submit_for_review")
    return page(client.post(reverse("admin:actions_statusreport_change", args=[stored.pk]), data))


def report_import(client, world, stored, case):
    commitment = getattr(world, case.commitment)
    status = "Ej angiven" if case.empty else "Genomförd"
    text = (f"commitment,year,organisation,category,text\n"
            f"{commitment.number},{YEAR},{case.organisation},{status},{'' if case.empty else 'Klart.'}\n")
    result = StatusReportResource(user=client.session_user).import_data(CSV().create_dataset(text), dry_run=False)
    return import_messages(result)


VALUE_PATHS = {
    "form add": (value_form_add, False),
    "form change": (value_form_change, True),
    "grid": (value_grid, True),
    "long import": (value_import(LongCSV, LONG), True),
    "wide import": (value_import(WideCSV, WIDE), True),
    "Kolada import": (value_import(KoladaJSON, KOLADA), True),
    "review action": (review_submit("indicators_value"), True),
}
REPORT_PATHS = {
    "form add": (report_form_add, False),
    "form change": (report_form_change, True),
    "status-report import": (report_import, True),
    "review action": (lambda client, world, stored, case: review_submit("actions_statusreport")(client, world, stored), True),
}
# Which rules a path can break: values have no commitment and never say nothing; only
# a submission asks whether a report says something; a new item has no stored state.
VALUE_RULES = ["organisation", "round", "locked", "state"]
REPORT_RULES = ["organisation", "scope", "round", "locked", "state", "empty"]
SUBMITTING = {"form change", "review action"}


def value_cases():
    for path, (_, needs_stored) in VALUE_PATHS.items():
        for rule in VALUE_RULES:
            if rule == "state" and not needs_stored:
                continue
            yield pytest.param(path, rule, id=f"value-{path}-{rule}")


def report_cases():
    for path, (_, needs_stored) in REPORT_PATHS.items():
        for rule in REPORT_RULES:
            if (rule == "state" and not needs_stored) or (rule == "empty" and path not in SUBMITTING):
                continue
            yield pytest.param(path, rule, id=f"report-{path}-{rule}")


def refusal_words(path, rule, case):
    """What a refused user reads; a 404 (another organisation's item by direct URL) counts as refused too."""
    if path == "form add" and rule in ("organisation", "scope"):
        # The add form offers only the reporter's own organisation, commitments and series.
        return [case.expect, "Välj ett giltigt alternativ"]
    return [case.expect]


def login(client, user):
    client.force_login(user)
    client.session_user = user
    return client


def footprint(model):
    return model.objects.count(), model.history.count(), sorted(model.objects.values_list("pk", "version", "state"))


@pytest.mark.parametrize("path, rule", list(value_cases()))
def test_it_refuses_a_value_write_that_breaks_a_rule_on_every_path(client, world, path, rule):
    case = RULES[rule]
    write, needs_stored = VALUE_PATHS[path]
    stored = stage(world, case if needs_stored else Case(**{**case.__dict__, "stored_state": None}), "value")
    before = footprint(Value)
    told = write(login(client, getattr(world, case.actor)), world, stored)
    assert footprint(Value) == before, "a refused write changes no row and no history"
    assert told == "404" or any(words in told for words in refusal_words(path, rule, case)), told[-400:]


@pytest.mark.parametrize("path, rule", list(report_cases()))
def test_it_refuses_a_status_report_write_that_breaks_a_rule_on_every_path(client, world, path, rule):
    case = RULES[rule]
    write, needs_stored = REPORT_PATHS[path]
    if rule == "organisation":
        case = Case("police", organisation="kriminalvarden", expect=case.expect)
    stored = stage(world, case if needs_stored else Case(**{**case.__dict__, "stored_state": None}), "report")
    before = footprint(StatusReport)
    told = write(login(client, getattr(world, case.actor)), world, stored, case)
    assert footprint(StatusReport) == before, "a refused write changes no row and no history"
    assert told == "404" or any(words in told for words in refusal_words(path, rule, case)), told[-400:]


@pytest.mark.parametrize("path", VALUE_PATHS)
def test_it_lets_the_owner_write_a_value_in_the_open_round_on_every_path(client, world, path):
    write, needs_stored = VALUE_PATHS[path]
    stored = stage(world, ALLOWED if needs_stored else Case("reporter", stored_state=None), "value")
    write(login(client, world.reporter), world, stored)
    value = Value.objects.get(series=world.series, area=world.area, year=YEAR)
    if path == "review action":
        assert value.state == State.SUBMITTED
    else:
        assert (value.value, value.state) == (Decimal(12), State.DRAFT)


@pytest.mark.parametrize("path", REPORT_PATHS)
def test_it_lets_the_owner_write_a_status_report_in_the_open_round_on_every_path(client, world, path):
    write, needs_stored = REPORT_PATHS[path]
    stored = stage(world, ALLOWED if needs_stored else Case("reporter", stored_state=None), "report")
    write(login(client, world.reporter), world, stored, ALLOWED)
    report = StatusReport.objects.get(commitment=world.commitment, year=YEAR)
    if path == "review action":
        assert report.state == State.SUBMITTED
    else:
        assert (report.category, report.state) == ("done", State.DRAFT)


def test_it_makes_a_coordinators_change_of_an_approved_value_a_draft_again(client, world):
    stored = stage(world, Case("coordinator", stored_state=State.APPROVED), "value")
    value_form_change(login(client, world.coordinator), world, stored)
    stored.refresh_from_db()
    assert (stored.value, stored.state, stored.approved_at) == (Decimal(12), State.DRAFT, None)


def test_it_refuses_a_reporter_moving_its_draft_out_of_the_open_round(client, world):
    stored = stage(world, ALLOWED, "value")
    login(client, world.reporter)
    response = client.post(
        reverse("admin:indicators_value_change", args=[stored.pk]),
        {"series": world.series.pk, "area": world.area.pk, "year": YEAR - 2, "value": "10",
         "expected_version": stored.version},
    )
    assert f"Rapporteringsomgången {YEAR - 2} är inte öppen" in response.content.decode()
    stored.refresh_from_db()
    assert stored.year == YEAR


def test_it_submits_what_the_form_holds_when_a_returned_report_is_sent_in(client, world):
    stored = stage(world, Case("reporter", stored_state=State.RETURNED), "report")
    login(client, world.reporter)
    data = {**report_data(world, ALLOWED), "text": "Rättat efter kommentaren.", "expected_version": stored.version,
            "_submit_for_review": "1"}
    assert client.post(reverse("admin:actions_statusreport_change", args=[stored.pk]), data).status_code == 302
    stored.refresh_from_db()
    assert (stored.state, stored.category, stored.text) == (State.SUBMITTED, "done", "Rättat efter kommentaren.")


def test_it_refuses_to_approve_an_empty_status_report(client, world):
    stored = stage(world, Case("reporter", stored_state=State.SUBMITTED, empty=True), "report")
    login(client, world.coordinator)
    told = page(client.post(reverse("admin:actions_statusreport_review", args=[stored.pk]), {"transition": "approve"}))
    assert "Välj en status" in told
    stored.refresh_from_db()
    assert stored.state == State.SUBMITTED
