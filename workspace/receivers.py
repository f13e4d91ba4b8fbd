"""Mails on the reporting layer's events: a round opened, an item returned or submitted."""

from django.db import connection, transaction
from django.dispatch import receiver

from reporting.models import ReportingRound
from reporting.signals import review_transition, round_opened
from strategy.models import Organisation

from . import mail
from .tasks import organisation_progress, round_progress


@receiver(round_opened)
def tell_reporters_the_round_opened(sender, reporting_round, user, **kwargs):
    mail.round_opened(reporting_round, round_progress(year=reporting_round.year))


@receiver(review_transition)
def tell_about_review(sender, item, transition, user, **kwargs):
    if transition == "return":
        organisation = Organisation.objects.filter(pk=item.reporting_organisation_id).first()
        if organisation is not None:
            mail.item_returned(item, organisation, ReportingRound.objects.filter(year=item.year).first())
    elif transition == "submit":
        _check_complete_after_commit(item.reporting_organisation_id, item.year)


def _check_complete_after_commit(organisation_id, year):
    """Whether the organisation has now submitted everything, asked once per transaction and after it commits.

    A bulk submit of 100 values would otherwise recompute the organisation's whole
    progress 100 times; the committed state is also the one the mail should describe.
    """
    key = (organisation_id, year)
    if any(getattr(func, "completion_key", None) == key for _, func, _ in connection.run_on_commit):
        return

    def check():
        organisation = Organisation.objects.filter(pk=organisation_id).first()
        reporting_round = ReportingRound.objects.filter(year=year).first()
        if organisation is None or reporting_round is None or not reporting_round.is_open:
            return
        progress = organisation_progress(organisation=organisation, year=year)
        if progress.tasks and progress.complete:
            mail.organisation_complete(organisation, reporting_round)

    check.completion_key = key
    # robust: a mail that cannot be recorded must not turn a committed submit into an error page.
    transaction.on_commit(check, robust=True)
