"""Demo accounts exist only in DEBUG/demo mode, with exactly the reporting permissions."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from reporting.management.commands.create_demo_accounts import REPORTING_ORGANISATIONS
from reporting.roles import COORDINATOR, REPORTER

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("debug, demo_mode", [(False, False), (False, True), (True, False)])
def test_it_never_creates_accounts_outside_demo_mode(settings, debug, demo_mode):
    settings.DEBUG, settings.DEMO_MODE = debug, demo_mode
    call_command("create_demo_accounts")
    assert not get_user_model().objects.filter(username__in=["samordnare", *REPORTING_ORGANISATIONS]).exists()


def test_it_creates_a_coordinator_and_one_reporter_per_organisation_in_demo_mode(settings):
    settings.DEBUG, settings.DEMO_MODE = True, True
    call_command("create_demo_accounts")
    call_command("create_demo_accounts")  # idempotent
    users = {u.username: u for u in get_user_model().objects.filter(username__in=["samordnare", *REPORTING_ORGANISATIONS])}
    assert set(users) == {"samordnare", *REPORTING_ORGANISATIONS}
    assert list(users["samordnare"].groups.values_list("name", flat=True)) == [COORDINATOR]
    reporter = users["kriminalvarden"]
    assert list(reporter.groups.values_list("name", flat=True)) == [REPORTER]
    assert reporter.membership.organisation.slug == "kriminalvarden" and reporter.check_password("demo")
    assert reporter.has_perm("actions.change_statusreport") and reporter.has_perm("indicators.change_value")
    assert not reporter.has_perm("actions.change_commitment") and not reporter.has_perm("indicators.change_indicator")
    assert not reporter.has_perm("strategy.change_goal") and not reporter.has_perm("actions.delete_statusreport")
