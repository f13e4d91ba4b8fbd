"""Transitions of status reports; the one entry point for admin and tests.

Each transition locks the report's row and refuses (ValidationError, in Swedish) if it is not the
version the user was shown (`expected_version`, from the form) or the one in hand; see reporting.workflow.
"""

from django.db import transaction

from reporting import workflow

from .models import StatusReport


@transaction.atomic
def status_report_submit(*, report: StatusReport, user, expected_version: int | None = None) -> StatusReport:
    return workflow.submit(item=report, user=user, expected_version=expected_version)


@transaction.atomic
def status_report_return(*, report: StatusReport, user, comment: str, expected_version: int | None = None) -> StatusReport:
    return workflow.return_(item=report, user=user, comment=comment, expected_version=expected_version)


@transaction.atomic
def status_report_approve(*, report: StatusReport, user, expected_version: int | None = None) -> StatusReport:
    return workflow.approve(item=report, user=user, expected_version=expected_version)


@transaction.atomic
def status_report_reopen(*, report: StatusReport, user, reason: str, expected_version: int | None = None) -> StatusReport:
    return workflow.reopen(item=report, user=user, reason=reason, expected_version=expected_version)


@transaction.atomic
def status_reports_submit(*, reports, user):
    return workflow.bulk(workflow.submit, items=reports, user=user)


@transaction.atomic
def status_reports_return(*, reports, user, comment: str):
    return workflow.bulk(workflow.return_, items=reports, user=user, comment=comment)


@transaction.atomic
def status_reports_approve(*, reports, user, expected_versions=None):
    return workflow.bulk(workflow.approve, items=reports, user=user, expected_versions=expected_versions)
