"""The completeness matrix: reporting organisations × commitments and values, counts and percent, and the same as CSV."""

import csv
import io

import pytest
from django.db.models import Q
from django.urls import reverse

from actions.models import Commitment, reporting_pairs
from indicators.models import Indicator, Series
from reporting.models import State
from strategy.models import Organisation
from workspace.matrix import round_matrix

from . import reporting

pytestmark = pytest.mark.django_db


@pytest.fixture
def hand_built_round(make_user):
    """Kriminalvården (with a reporter, so 2.I5 is its own): 2.10 submitted, 5.3 returned, 5.4 approved, 8.6 missing,
    2.I5 a draft; Polisen: 1.6 approved."""
    make_user("rapportor-kv", "kriminalvarden", "rapportor")
    reporting.open_round()
    reporting.status_report(number="2.10", state=State.SUBMITTED)
    reporting.status_report(number="5.3", state=State.RETURNED)
    reporting.status_report(number="5.4", state=State.APPROVED)
    reporting.value(code="2.I5", state=State.DRAFT)
    reporting.status_report(number="1.6", org_slug="polisen", state=State.APPROVED)


def lines_by_name(groups):
    lines = {}
    for group in groups:
        for line in ([group["own"]] if group["own"] else []) + group["children"]:
            lines[line.slug] = line
    return lines


def expected_total():
    """Every (organisation, commitment) it reports on, a local-plan measure once per municipality with its
    committees, and every indicator with figures for the year (in use then, with a series), the data sources' included."""
    pairs = set()
    for organisation, commitment_id in reporting_pairs():
        organisation = Organisation.objects.get(pk=organisation)
        commitment = Commitment.objects.select_related("plan").get(pk=commitment_id)
        if commitment.plan.is_local:
            pairs.add((organisation.parent_id or organisation.pk, commitment_id))
        else:
            pairs.add((organisation.pk, commitment_id))
    indicators = Indicator.objects.filter(Q(status="active") | Q(retired_last_year__gte=2025)).filter(
        responsible__isnull=False, pk__in=Series.objects.values("indicator_id")
    )
    return len(pairs) + indicators.count()


def test_it_counts_each_organisations_items_by_state_with_percent(hand_built_round):
    groups, total = round_matrix(year=2025)
    kv = lines_by_name(groups)["kriminalvarden"]
    assert kv.commitments == {"missing": 1, "draft": 0, "returned": 1, "submitted": 1, "approved": 1}
    assert kv.values == {"missing": 0, "draft": 1, "returned": 0, "submitted": 0, "approved": 0}
    assert (kv.total, kv.done, kv.done_percent, kv.approved_percent) == (5, 2, 40, 20)
    police = lines_by_name(groups)["polisen"]
    assert (police.total, police.done, police.done_percent) == (1, 1, 100)
    assert total.total == expected_total()
    assert (total.done, total.approved) == (3, 2)
    assert total.done_percent == round(100 * 3 / total.total)


def test_it_groups_committees_under_their_municipality(hand_built_round):
    groups, _ = round_matrix(year=2025)
    tops = {g["top"].slug: g for g in groups}
    sodertalje = tops["sodertalje"]
    assert sodertalje["own"].slug == "sodertalje"
    children = {line.slug for line in sodertalje["children"]}
    assert {"sodertalje-socialnamnden", "sodertalje-kommunstyrelsen", "sodertalje-telge-ab"} <= children
    assert not any(slug.startswith("sodertalje-") for slug in tops)
    assert sodertalje["sum"].total == sodertalje["own"].total + sum(line.total for line in sodertalje["children"])


def test_it_gives_the_same_figures_as_csv(coordinator_client, hand_built_round):
    response = coordinator_client.get(reverse("workspace:matrix_csv", args=[2025]))
    # Swedish Excel's dialect: UTF-8 with a BOM, ";" and every field quoted.
    assert response.content.startswith("\ufeff\"".encode())
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    header, body = rows[0], {row[0]: row for row in rows[1:]}
    kv = dict(zip(header, body["Kriminalvården"]))
    assert kv["åtaganden saknas"] == "1" and kv["åtaganden återskickad med kommentar"] == "1"
    assert kv["värden utkast"] == "1" and kv["poster"] == "5" and kv["andel inskickade eller godkända (%)"] == "40"
    groups, total = round_matrix(year=2025)
    assert body["Hela omgången"][-4:] == [str(total.total), str(total.done), str(total.done_percent), str(total.approved_percent)]
    committee = next(row for row in rows if "Socialnämnd" in row[0])
    assert "Södertälje" in committee[1]


def test_it_filters_by_state_and_organisation(coordinator_client, hand_built_round):
    url = reverse("workspace:matrix", args=[2025])
    groups = coordinator_client.get(url, {"tillstand": "returned"}).context["groups"]
    assert [g["top"].slug for g in groups] == ["kriminalvarden"]
    response = coordinator_client.get(url, {"organisation": "kriminalvarden", "tillstand": "missing"})
    items = response.context["items"]
    assert [t.subject.number for _, t in items] == ["8.6"]
    assert len(response.context["groups"]) == 1
