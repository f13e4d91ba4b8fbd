"""Transitions of status reports and reporting rounds; the one entry point for admin and tests."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from strategy import workflow
from strategy.scoping import sees_everything

from .models import ReportingRound, StatusReport


@transaction.atomic
def status_report_submit(*, report: StatusReport, user) -> StatusReport:
    return workflow.submit(item=report, user=user)


@transaction.atomic
def status_report_return(*, report: StatusReport, user, comment: str) -> StatusReport:
    return workflow.return_(item=report, user=user, comment=comment)


@transaction.atomic
def status_report_approve(*, report: StatusReport, user) -> StatusReport:
    return workflow.approve(item=report, user=user)


@transaction.atomic
def status_report_reopen(*, report: StatusReport, user, reason: str) -> StatusReport:
    return workflow.reopen(item=report, user=user, reason=reason)


@transaction.atomic
def status_reports_submit(*, reports, user):
    return workflow.bulk(workflow.submit, items=reports, user=user)


@transaction.atomic
def status_reports_return(*, reports, user, comment: str):
    return workflow.bulk(workflow.return_, items=reports, user=user, comment=comment)


@transaction.atomic
def status_reports_approve(*, reports, user):
    return workflow.bulk(workflow.approve, items=reports, user=user)


@transaction.atomic
def reporting_round_open(*, reporting_round: ReportingRound, user) -> ReportingRound:
    if not sees_everything(user):
        raise PermissionDenied("Bara samordnare kan öppna en rapporteringsomgång.")
    if workflow.edition_published(reporting_round.year):
        raise ValidationError(f"Lägesrapporten för {reporting_round.year} är redan publicerad.")
    reporting_round.is_open, reporting_round.opened_at, reporting_round.closed_at = True, timezone.now(), None
    reporting_round.save()
    return reporting_round


@transaction.atomic
def reporting_round_close(*, reporting_round: ReportingRound, user) -> ReportingRound:
    if not sees_everything(user):
        raise PermissionDenied("Bara samordnare kan stänga en rapporteringsomgång.")
    reporting_round.is_open, reporting_round.closed_at = False, timezone.now()
    reporting_round.save()
    return reporting_round
