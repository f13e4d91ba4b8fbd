"""The two staff roles and their model permissions.

Samordnare (Länsstyrelsen's coordinators) may do everything. A rapportör
writes its own organisation's status reports and values; which rows it sees is
decided by the organisation scoping in the admin (strategy/admin_scoping.py),
not by these permissions. Reporters get no delete permission and nothing on
goals, organisations or indicator definitions beyond viewing their own.
"""

from django.contrib.auth.models import Group, Permission

COORDINATOR = "Samordnare"  # sv-only: a group name, stored data
REPORTER = "Rapportör"  # sv-only: a group name, stored data

REPORTER_PERMISSIONS = [
    "actions.view_commitment",
    "actions.view_actionplan",
    "actions.add_statusreport",
    "actions.change_statusreport",
    "actions.view_statusreport",
    "reporting.view_reportinground",
    "indicators.view_indicator",
    "indicators.view_series",
    "indicators.add_value",
    "indicators.change_value",
    "indicators.view_value",
]
COORDINATOR_APPS = ["strategy", "reporting", "indicators", "actions", "reports"]


def _perms(names):
    perms = []
    for name in names:
        app_label, codename = name.split(".")
        perms.append(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    return perms


def ensure_groups():
    coordinator, _ = Group.objects.get_or_create(name=COORDINATOR)
    coordinator.permissions.set(Permission.objects.filter(content_type__app_label__in=COORDINATOR_APPS))
    reporter, _ = Group.objects.get_or_create(name=REPORTER)
    reporter.permissions.set(_perms(REPORTER_PERMISSIONS))
    return coordinator, reporter


def is_coordinator(user):
    return user.is_superuser or user.groups.filter(name=COORDINATOR).exists()
