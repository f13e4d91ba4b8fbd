"""Rounds check themselves: dates in order, a year of the strategy, the lock set only by publishing, and opening once."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.urls import reverse

from reporting.models import LockedYear, Notification, ReportingRound
from reporting.services import reporting_round_close, reporting_round_open
from strategy.models import Strategy

from . import reporting

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:reporting_reportinground_changelist"


def test_it_refuses_a_deadline_before_the_opening_day_in_clean():
    reporting_round = ReportingRound(year=2026, opens_on=datetime.date(2027, 3, 1), deadline=datetime.date(2027, 1, 15))
    with pytest.raises(ValidationError) as refused:
        reporting_round.full_clean()
    assert "deadline" in refused.value.message_dict


def test_it_refuses_a_deadline_before_the_opening_day_in_the_database():
    with pytest.raises(IntegrityError, match="reportinground_deadline_after_opening"), transaction.atomic():
        ReportingRound.objects.create(year=2026, opens_on=datetime.date(2027, 3, 1), deadline=datetime.date(2027, 1, 15))


def test_it_refuses_an_open_locked_round_in_the_database():
    reporting.open_round(2025)
    with pytest.raises(IntegrityError, match="reportinground_locked_is_closed"), transaction.atomic():
        ReportingRound.objects.filter(year=2025).update(locked_at=datetime.datetime.now(datetime.UTC))


def test_it_refuses_a_year_outside_the_strategys_period():
    strategy = Strategy.objects.order_by("id").first()
    for year in (strategy.first_report_year - 1, strategy.end_year + 1):
        with pytest.raises(ValidationError) as refused:
            ReportingRound(year=year, deadline=datetime.date(year + 1, 3, 1)).full_clean()
        assert "year" in refused.value.message_dict
    ReportingRound(year=strategy.end_year, deadline=datetime.date(strategy.end_year + 1, 3, 1)).full_clean()


def test_it_allows_one_round_per_year():
    reporting.open_round(2025)
    with pytest.raises(ValidationError) as refused:
        ReportingRound(year=2025, deadline=datetime.date(2026, 3, 1)).full_clean()
    assert "year" in refused.value.message_dict


def test_it_offers_the_lock_in_no_form(coordinator_client):
    html = coordinator_client.get(reverse("admin:reporting_reportinground_add")).content.decode()
    assert 'name="year"' in html and 'name="locked_at' not in html
    coordinator_client.post(
        reverse("admin:reporting_reportinground_add"),
        {"year": 2026, "deadline": "2027-03-01", "locked_at_0": "2027-01-01", "locked_at_1": "12:00", "locked_at": "x"},
    )
    assert ReportingRound.objects.get(year=2026).locked_at is None


def test_it_refuses_to_delete_a_locked_years_round(coordinator_client):
    reporting_round = reporting.open_round(2025)
    reporting.publish_edition(2025)
    reporting_round.refresh_from_db()
    with pytest.raises(models.ProtectedError, match="publicerad"):
        reporting_round.delete()
    with pytest.raises(models.ProtectedError), transaction.atomic():
        ReportingRound.objects.filter(pk=reporting_round.pk).delete()  # the database's own guard
    response = coordinator_client.post(
        reverse(CHANGELIST), {"action": "delete_selected", "_selected_action": [reporting_round.pk], "post": "yes"}
    )
    assert response.status_code == 200 and ReportingRound.objects.filter(pk=reporting_round.pk).exists()


def test_it_refuses_to_delete_a_round_made_after_its_year_was_locked():
    assert LockedYear.objects.filter(year=2024).exists()  # the printed 2024 report
    reporting_round = ReportingRound.objects.create(year=2024, deadline=datetime.date(2025, 3, 31))
    with pytest.raises(models.ProtectedError), transaction.atomic():
        ReportingRound.objects.filter(pk=reporting_round.pk).delete()


def test_it_refuses_to_move_a_locked_years_round_to_another_year():
    reporting_round = reporting.open_round(2025)
    reporting.publish_edition(2025)
    reporting_round.refresh_from_db()
    reporting_round.year = 2026
    with pytest.raises(ValidationError) as refused:
        reporting_round.full_clean()
    assert "year" in refused.value.message_dict
    with pytest.raises(ValidationError):
        reporting_round.save()
    assert ReportingRound.objects.get(pk=reporting_round.pk).year == 2025


def test_it_deletes_and_moves_an_unlocked_round():
    reporting_round = ReportingRound.objects.create(year=2025, deadline=datetime.date(2026, 3, 1))
    reporting_round.year = 2026
    reporting_round.full_clean()
    reporting_round.save()
    reporting_round.delete()
    assert not ReportingRound.objects.filter(year__in=[2025, 2026]).exists()


def test_it_opens_an_open_round_only_once(coordinator, make_user, django_capture_on_commit_callbacks):
    make_user("rapportor-kv", "kriminalvarden", "rapportor").__class__.objects.filter(
        username="rapportor-kv"
    ).update(email="kv@example.org")
    reporting_round = ReportingRound.objects.create(year=2025, deadline=datetime.date(2026, 3, 1))
    with django_capture_on_commit_callbacks():
        reporting_round_open(reporting_round=reporting_round, user=coordinator)
    sent = Notification.objects.filter(reporting_round=reporting_round).count()
    assert sent >= 1
    opened_at = ReportingRound.objects.get(pk=reporting_round.pk).opened_at
    reporting_round_open(reporting_round=ReportingRound.objects.get(pk=reporting_round.pk), user=coordinator)
    assert Notification.objects.filter(reporting_round=reporting_round).count() == sent
    assert ReportingRound.objects.get(pk=reporting_round.pk).opened_at == opened_at


def test_it_closes_a_closed_round_without_changing_it(coordinator):
    reporting_round = ReportingRound.objects.create(year=2026, deadline=datetime.date(2027, 3, 1))
    reporting_round_close(reporting_round=reporting_round, user=coordinator)
    assert ReportingRound.objects.get(pk=reporting_round.pk).closed_at is None


def test_it_tells_each_rounds_outcome_when_one_of_several_fails(coordinator_client, make_user):
    make_user("rapportor-kv", "kriminalvarden", "rapportor").__class__.objects.filter(
        username="rapportor-kv"
    ).update(email="kv@example.org")
    locked = ReportingRound.objects.create(year=2024, deadline=datetime.date(2025, 3, 31))
    fresh = ReportingRound.objects.create(year=2025, deadline=datetime.date(2026, 3, 1))
    already = reporting.open_round(2026)
    response = coordinator_client.post(
        reverse(CHANGELIST),
        {"action": "open_rounds", "_selected_action": [locked.pk, fresh.pk, already.pk]},
        follow=True,
    )
    texts = [str(m) for m in response.context["messages"]]
    assert any(t.startswith("Rapportering 2024: ändrades inte.") and "redan publicerad" in t for t in texts)
    assert "1 rapporteringsomgång öppnad: 2025." in texts
    assert "Redan öppen, inga nya utskick: 2026." in texts
    assert not ReportingRound.objects.get(pk=locked.pk).is_open and ReportingRound.objects.get(pk=fresh.pk).is_open
    assert not Notification.objects.filter(reporting_round__in=[locked, already]).exists()
    assert Notification.objects.filter(reporting_round=fresh).exists()


def test_it_counts_rounds_with_the_right_plural(coordinator_client):
    rounds = [reporting.open_round(2025), reporting.open_round(2026)]
    response = coordinator_client.post(
        reverse(CHANGELIST), {"action": "close_rounds", "_selected_action": [r.pk for r in rounds]}, follow=True
    )
    assert "2 rapporteringsomgångar stängda: 2025, 2026." in [str(m) for m in response.context["messages"]]
