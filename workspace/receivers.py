"""Mails on the reporting layer's events: a round opened, an item returned or submitted."""

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
    if transition not in ("return", "submit"):
        return
    organisation = Organisation.objects.filter(pk=item.reporting_organisation_id).first()
    if organisation is None:
        return
    reporting_round = ReportingRound.objects.filter(year=item.year).first()
    if transition == "return":
        mail.item_returned(item, organisation, reporting_round)
    elif reporting_round is not None and reporting_round.is_open:
        progress = organisation_progress(organisation=organisation, year=item.year)
        if progress.tasks and progress.complete:
            mail.organisation_complete(organisation, reporting_round)
