"""One rule for what a data source is in the coordinator's year, read alike by the worklist, the matrix and the reporters.

An indicator measured in the year (active, or retired with data for that year or
later, and with a series to enter values in) is the task of its responsible
organisation when that organisation has an active reporter, who types the figures
in; otherwise it is a data source's, and the coordinator enters its figures from
the published statistic. The worklist offers exactly the data sources' tasks, the
completeness matrix (and its downloads) counts both, each once, and the reporters'
workspace and mails list the organisations' own.

The real data has every case: Socialstyrelsen shares commitment 8.6 but has no
reporter in the tests (its Öppna jämförelser figures are the coordinator's),
Kriminalvården leads commitments, Brå only answers for indicators.
"""

import csv
import io

import pytest
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actions.models import Commitment, reporting_pairs
from indicators.models import Indicator
from reporting.models import State
from strategy.models import Organisation
from workspace import mail
from workspace.matrix import round_matrix
from workspace.tasks import data_source_progress, round_progress

from . import factories, reporting

pytestmark = pytest.mark.django_db

YEAR = reporting.YEAR


def measured_codes(year=YEAR):
    """The indicators with figures to enter for the year, written out here once more as the rule's specification."""
    return set(
        Indicator.objects.filter(Q(status=Indicator.Status.ACTIVE) | Q(retired_last_year__gte=year))
        .exclude(responsible=None)
        .filter(series__isnull=False)
        .values_list("code", flat=True)
    )


def organisation_tasks(year=YEAR):
    """{indicator code: organisation slug} of the indicators the reporters' own tasks list."""
    return {t.subject.code: p.organisation.slug for p in round_progress(year=year).values() for t in p.indicators}


def source_tasks(year=YEAR):
    """{indicator code: organisation slug} of the data sources' tasks."""
    return {t.subject.code: p.organisation.slug for p in data_source_progress(year=year).values() for t in p.tasks}


def worklist_codes(client, year=YEAR):
    groups = client.get(reverse("workspace:worklist", args=[year])).context["groups"]
    return {line.indicator.code for _, lines in groups for line in lines}


def matrix_rows(year=YEAR):
    """({slug: line} of the organisations' own rows, {slug: line} of the data sources' rows, the round's total)."""
    groups, total = round_matrix(year=year)
    own, sources = {}, {}
    for group in groups:
        for line in ([group["own"]] if group["own"] else []) + group["children"]:
            (sources if group["sources"] else own)[line.slug] = line
    return own, sources, total


def indicator_codes(line):
    return {t.subject.code for t in line.tasks if t.kind == "indicator"}


def retired(code, last_year, responsible):
    """A measured indicator retired after `last_year`, with one series."""
    indicator = factories.indicator(
        code=code,
        status=Indicator.Status.RETIRED,
        retired_last_year=last_year,
        responsible=Organisation.objects.get(slug=responsible),
    )
    factories.headline(indicator)
    return indicator


def test_it_gives_the_figures_of_an_organisation_in_the_round_without_a_reporter_to_the_coordinator(
    coordinator_client, round_2025
):
    # Socialstyrelsen shares commitment 8.6, so it reports in the round, but no one there has an account.
    assert any(org == Organisation.objects.get(slug="socialstyrelsen").pk for org, _ in reporting_pairs())
    assert "2.I1" in worklist_codes(coordinator_client)
    assert source_tasks()["2.I1"] == "socialstyrelsen"
    assert "2.I1" not in organisation_tasks()
    own, sources, _ = matrix_rows()
    assert "2.I1" in indicator_codes(sources["socialstyrelsen"])
    assert indicator_codes(own["socialstyrelsen"]) == set()  # its row keeps its commitment 8.6 only
    assert [t.subject.number for t in own["socialstyrelsen"].tasks] == ["8.6"]
    # Chosen in the matrix, Socialstyrelsen shows both: one choice, its commitment and its figures.
    response = coordinator_client.get(reverse("workspace:matrix", args=[YEAR]), {"organisation": "socialstyrelsen"})
    assert [name for slug, name in response.context["choices"] if slug == "socialstyrelsen"] == ["Socialstyrelsen"]
    items = {(name, getattr(task.subject, "code", None) or task.subject.number) for name, task in response.context["items"]}
    assert {("Socialstyrelsen", "8.6"), ("Datakällor: Socialstyrelsen", "2.I1")} <= items
    # The coordinator can open it from the worklist and record it.
    entry = reverse("workspace:worklist_entry", args=[YEAR, Indicator.objects.get(code="2.I1").pk])
    assert coordinator_client.get(entry).status_code == 200


def test_it_gives_the_figures_of_an_organisation_to_its_reporter_once_it_has_one(
    coordinator_client, make_user, round_2025
):
    make_user("rapportor-sos", "socialstyrelsen", "rapportor")
    assert "2.I1" not in worklist_codes(coordinator_client)
    assert organisation_tasks()["2.I1"] == "socialstyrelsen" and "2.I1" not in source_tasks()
    own, sources, _ = matrix_rows()
    assert "socialstyrelsen" not in sources and "2.I1" in indicator_codes(own["socialstyrelsen"])


def test_it_gives_the_figures_of_an_indicator_only_organisation_with_a_reporter_to_that_reporter(
    client, coordinator_client, make_user, round_2025
):
    reporter = make_user("rapportor-bra", "bra", "rapportor")
    reporter.email = "rapportor@bra.example.org"  # the round's mails go to reporters with an address
    reporter.save()
    bra = {code for code, slug in organisation_tasks().items() if slug == "bra"}
    assert "5.I3" in bra and bra == {c for c in measured_codes() if Indicator.objects.get(code=c).responsible.slug == "bra"}
    assert not bra & set(source_tasks()) and not bra & worklist_codes(coordinator_client)
    entry = reverse("workspace:worklist_entry", args=[YEAR, Indicator.objects.get(code="5.I3").pk])
    assert coordinator_client.get(entry).status_code == 404
    # The matrix counts them on Brå's own row, not as a data source.
    own, sources, _ = matrix_rows()
    assert "bra" not in sources and indicator_codes(own["bra"]) == bra
    assert own["bra"].values["missing"] == len(bra)
    # Brå's reporter finds them in the workspace, and the round's mail lists them.
    client.force_login(reporter)
    assert "Indikator 5.I3" in client.get(reverse("workspace:home")).content.decode()
    [opening] = [m for m in mail.round_opened_mails(round_2025, round_progress(year=YEAR)) if m.organisation.slug == "bra"]
    assert opening.users == [reporter] and "5.I3" in opening.body


def test_it_counts_an_indicator_retired_after_the_year_for_that_year(coordinator_client, make_user, round_2025):
    retired("5.I98", YEAR, "bra")  # Brå: a data source
    make_user("rapportor-kv", "kriminalvarden", "rapportor")
    retired("2.I98", YEAR, "kriminalvarden")  # Kriminalvården: its reporter's
    retired("5.I97", YEAR - 1, "bra")  # no data after 2024: nothing to enter for 2025
    assert "5.I98" in worklist_codes(coordinator_client) and source_tasks()["5.I98"] == "bra"
    assert organisation_tasks()["2.I98"] == "kriminalvarden"
    own, sources, _ = matrix_rows()
    assert "5.I98" in indicator_codes(sources["bra"]) and "2.I98" in indicator_codes(own["kriminalvarden"])
    for codes in (set(organisation_tasks()), set(source_tasks()), worklist_codes(coordinator_client)):
        assert "5.I97" not in codes
    # The year after its last one it is no one's task.
    reporting.open_round(YEAR + 1)
    assert "5.I98" not in source_tasks(YEAR + 1) and "2.I98" not in organisation_tasks(YEAR + 1)
    assert "5.I98" not in worklist_codes(coordinator_client, YEAR + 1)


def test_it_lists_in_the_worklist_only_indicators_with_a_series_to_enter(coordinator_client, round_2025):
    codes = worklist_codes(coordinator_client)
    assert "5.I3" in codes and "3.I1" not in codes  # 3.I1, Brå's, has no series yet: nothing to enter
    assert codes == set(source_tasks())


SCENARIOS = {
    "no reporters": ([], []),
    "reporters in and out of the round": (["kriminalvarden", "bra", "aklagarmyndigheten"], []),
    "a reporter without a commitment, retired indicators": (
        ["skolinspektionen"],
        [("5.I98", YEAR, "bra"), ("2.I98", YEAR + 1, "kriminalvarden"), ("5.I97", YEAR - 1, "skolinspektionen")],
    ),
}


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_it_gives_every_measured_indicator_of_the_year_to_exactly_one_of_an_organisation_or_a_data_source(
    coordinator_client, make_user, round_2025, scenario
):
    reporters, retirements = SCENARIOS[scenario]
    for slug in reporters:
        make_user(f"rapportor-{slug}", slug, "rapportor")
    for code, last_year, responsible in retirements:
        retired(code, last_year, responsible)
    organisations, sources = organisation_tasks(), source_tasks()
    assert not set(organisations) & set(sources)
    assert set(organisations) | set(sources) == measured_codes()
    # Each is its responsible organisation's task, or that organisation's as a data source.
    for code, slug in {**organisations, **sources}.items():
        assert Indicator.objects.get(code=code).responsible.slug == slug
    # The worklist offers the data sources' tasks and nothing else.
    assert worklist_codes(coordinator_client) == set(sources)
    # The matrix counts each once: every reported commitment (a local measure once per municipality) and indicator.
    own, source_rows, total = matrix_rows()
    assert set().union(*(indicator_codes(line) for line in own.values())) == set(organisations)
    assert set().union(*(indicator_codes(line) for line in source_rows.values())) == set(sources)
    local = set(Commitment.objects.filter(plan__kind="local").values_list("pk", flat=True))
    parents = dict(Organisation.objects.values_list("pk", "parent_id"))
    pairs = {((parents[org] or org) if commitment in local else org, commitment) for org, commitment in reporting_pairs()}
    assert total.total == len(pairs) + len(measured_codes())
    # The download carries the same rows.
    response = coordinator_client.get(reverse("workspace:matrix_csv", args=[YEAR]))
    rows = {row[0] for row in csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";")}
    for line in source_rows.values():
        assert line.name in rows


def test_it_builds_the_matrix_and_the_worklist_in_as_many_queries_whoever_has_a_reporter(
    coordinator_client, make_user, round_2025
):
    def queries(url):
        coordinator_client.get(url)  # warm the session
        with CaptureQueriesContext(connection) as captured:
            assert coordinator_client.get(url).status_code == 200
        return len(captured)

    urls = [reverse("workspace:matrix", args=[YEAR]), reverse("workspace:worklist", args=[YEAR])]
    before = [queries(url) for url in urls]
    for slug in ("kriminalvarden", "bra", "skolinspektionen", "socialstyrelsen"):
        make_user(f"rapportor-{slug}", slug, "rapportor")
    retired("5.I98", YEAR, "operation-kvinnofrid")
    reporting.value(code="2.I5", state=State.SUBMITTED)
    reporting.value(code="4.I5", state=State.APPROVED)
    assert [queries(url) for url in urls] == before
