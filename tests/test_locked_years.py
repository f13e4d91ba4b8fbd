"""A year covered by a published edition is locked for everyone, whether or not it had a round."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from indicators.models import Indicator, Value
from reporting.models import LockedYear, ReportingRound, State
from reporting.services import reporting_round_open
from reporting import workflow

pytestmark = pytest.mark.django_db
REFUSAL = "Lägesrapporten för 2024 är publicerad och posten är låst. En samordnare kan låsa upp den."


def approved_2024_value():
    indicator = Indicator.objects.get(code="2.I8")
    return indicator.series.get().values.get(year=2024, area=indicator.area)


def test_it_locks_2024_although_it_never_had_a_round():
    assert not ReportingRound.objects.filter(year=2024).exists()
    assert LockedYear.objects.filter(year=2024).exists()


def test_it_refuses_the_coordinator_changing_an_approved_2024_value_with_the_policys_reason(coordinator_client):
    value = approved_2024_value()
    assert value.state == State.APPROVED
    response = coordinator_client.post(
        reverse("admin:indicators_value_change", args=[value.pk]),
        {"series": value.series_id, "area": value.area_id, "year": 2024, "value": "99",
         "footnote": "", "expected_version": value.version},
    )
    assert REFUSAL in response.content.decode()
    value.refresh_from_db()
    assert (value.value, value.state) != (Decimal(99), State.DRAFT) and value.state == State.APPROVED


def test_it_changes_a_locked_value_only_after_a_reopening_with_a_reason(coordinator):
    value = approved_2024_value()
    workflow.reopen(item=value, user=coordinator, reason="Källan har reviderat siffran.")
    value.refresh_from_db()
    assert value.reopened_at is not None and value.state == State.RETURNED


def test_it_refuses_to_open_a_round_for_a_locked_year(coordinator):
    reporting_round = ReportingRound.objects.create(year=2024, deadline="2025-03-31")
    with pytest.raises(ValidationError, match="redan publicerad"):
        reporting_round_open(reporting_round=reporting_round, user=coordinator)
    assert not Value.objects.filter(year=2024, state=State.DRAFT).exists()


def test_it_lets_no_one_unlock_a_year_in_the_admin(coordinator_client):
    locked = LockedYear.objects.get(year=2024)
    assert coordinator_client.post(reverse("admin:reporting_lockedyear_delete", args=[locked.pk]), {"post": "yes"}).status_code == 403
    coordinator_client.post(reverse("admin:reporting_lockedyear_change", args=[locked.pk]), {"year": 2023, "reason": "x"})
    assert coordinator_client.get(reverse("admin:reporting_lockedyear_add")).status_code == 403
    locked.refresh_from_db()
    assert locked.year == 2024
