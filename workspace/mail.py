"""The reporting round's e-mails: who gets them, their Swedish text, and sending after commit.

Each mail is one Notification row per recipient (who, what, when, which round,
organisation or item), created inside the caller's transaction and queued for
the background worker only after it commits, so a rolled-back return or
submission never mails anyone and a slow SMTP server never holds a request.
A send that fails is tried again after settings.TASK_RETRY_DELAYS; after the
last attempt the mail stays on record as not sent, with its error.
"""

import datetime
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django_tasks import task

from reporting.models import Notification
from reporting.roles import COORDINATOR

log = logging.getLogger(__name__)
SIGNATURE = "\n\nVänliga hälsningar\nLänsstyrelsen Stockholm, samordningen av våldsstrategin\n"


def absolute(path):
    return settings.SITE_URL.rstrip("/") + path


def coordinators():
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    return users.filter(Q(groups__name=COORDINATOR) | Q(is_superuser=True)).distinct().order_by("pk")


def reporters_of(organisation):
    """The organisation's active reporters with an address (coordinators get their own mails)."""
    return _reporters(get_user_model().objects.filter(membership__organisation=organisation))


def reporters_by_organisation(organisations):
    """{organisation id: [reporters]} for many organisations in one query (as reporters_of for each)."""
    users = _reporters(get_user_model().objects.filter(membership__organisation__in=organisations))
    found = {}
    for user in users.select_related("membership"):
        found.setdefault(user.membership.organisation_id, []).append(user)
    return found


def _reporters(users):
    users = users.filter(is_active=True).exclude(email="")
    return users.exclude(groups__name=COORDINATOR).exclude(is_superuser=True).order_by("pk")


def notify(*, kind, users, subject, body, reporting_round=None, organisation=None, item_label=""):
    """Record one mail per user and send them once the current transaction commits.

    Kinds in Notification.ONCE_KINDS go at most once per round, organisation and
    address (the named unique constraint decides, also between two runs at once).
    """
    # A header is one line: Django's mail API refuses a subject with a line break (BadHeaderError), and
    # a name or item copied in must not stop the mail. Whitespace runs become one space.
    subject = " ".join(subject.split())
    created = []
    for user in users:
        fields = dict(
            kind=kind, recipient=user, email=user.email, subject=subject, body=body + SIGNATURE,
            reporting_round=reporting_round, organisation=organisation, item_label=item_label[:300],
        )
        if kind in Notification.ONCE_KINDS and Notification.objects.filter(
            kind=kind, reporting_round=reporting_round, organisation=organisation, email=user.email
        ).exists():
            continue
        try:
            with transaction.atomic():  # a savepoint: a duplicate leaves the caller's transaction usable
                created.append(Notification.objects.create(**fields))
        except IntegrityError:
            continue
    if created:
        ids = [n.pk for n in created]
        transaction.on_commit(lambda: send_notifications.enqueue(ids))
    return created


class MailNotSent(Exception):
    pass


@task()
def send_notifications(ids, attempt=1):
    """Send the recorded mails not sent yet; the failed ones are recorded and, unless this was the last attempt, queued again."""
    failed = []
    for notification in Notification.objects.filter(pk__in=ids, sent_at__isnull=True):
        try:
            send_mail(notification.subject, notification.body, settings.DEFAULT_FROM_EMAIL, [notification.email])
        except Exception as exc:  # SMTP down, refused address …: record it, go on with the others
            log.exception("Utskick %s kunde inte skickas (försök %s)", notification.pk, attempt)
            notification.error = f"Försök {attempt}: {exc}"[:1000]
            notification.save(update_fields=["error"])
            failed.append(notification.pk)
        else:
            notification.sent_at = timezone.now()
            notification.error = ""
            notification.save(update_fields=["sent_at", "error"])
    if not failed:
        return len(ids)
    delays = settings.TASK_RETRY_DELAYS
    if attempt <= len(delays):
        run_after = timezone.now() + datetime.timedelta(seconds=delays[attempt - 1])
        send_notifications.using(run_after=run_after).enqueue(failed, attempt=attempt + 1)
        raise MailNotSent(f"{len(failed)} utskick kunde inte skickas (försök {attempt}); nytt försök {run_after:%H:%M:%S}.")
    # The last attempt: the mails stay unsent with their error (the admin's Utskick), and the task is failed.
    raise MailNotSent(f"{len(failed)} utskick kunde inte skickas efter {attempt} försök: {failed}")


def _date(day):
    return date_format(day, "j F Y")


def _task_lines(tasks):
    return "\n".join(f"- {task_label(t)}: {t.state_label.lower()}" for t in tasks)


def task_label(task):
    subject = task.subject
    if task.kind == "commitment":
        prefix = "Åtgärd" if subject.plan.kind == "local" else "Åtagande"
        return f"{prefix} {subject.number}"
    return f"Indikator {subject.code}"


def item_path(item, year):
    """The workspace page where the item is reported."""
    if hasattr(item, "commitment_id"):
        return reverse("workspace:commitment", args=[year, item.commitment_id])
    return reverse("workspace:indicator", args=[year, item.series.indicator_id]) + f"?omrade={item.area.slug}"


# --- the mails ---------------------------------------------------------------------------------------


def round_opened_mails(reporting_round, progress):
    """The opening mails, one per reporting organisation with something to report: [(organisation, users, subject, body)].

    The confirmation page lists these before the round opens; round_opened sends them.
    """
    link = absolute(reverse("workspace:home"))
    organisations = [p for p in progress.values() if p.tasks]
    reporters = reporters_by_organisation([p.organisation for p in organisations])
    subject = f"Rapporteringen {reporting_round.year} har öppnat – sista dag {_date(reporting_round.deadline)}"
    mails = []
    for p in sorted(organisations, key=lambda p: p.organisation.display_name):
        body = (
            f"Rapporteringsomgången {reporting_round.year} för våldsstrategin i Stockholms län har öppnat.\n\n"
            f"Sista dag att rapportera: {_date(reporting_round.deadline)}.\n"
            f"{p.organisation.display_name} ska rapportera {p.total} poster:\n{_task_lines(p.tasks)}\n\n"
            f"Rapportera här: {link}"
        )
        mails.append((p.organisation, reporters.get(p.organisation.pk, []), subject, body))
    return mails


def round_opened(reporting_round, progress):
    """To each reporting organisation's reporters: the round is open, the deadline, what to report."""
    sent = []
    for organisation, users, subject, body in round_opened_mails(reporting_round, progress):
        sent += notify(
            kind=Notification.Kind.ROUND_OPENED,
            users=users,
            subject=subject,
            body=body,
            reporting_round=reporting_round,
            organisation=organisation,
        )
    return sent


def item_returned(item, organisation, reporting_round):
    link = absolute(item_path(item, item.year))
    body = (
        f"Samordnaren har skickat tillbaka en post som {organisation.display_name} rapporterat för {item.year}:\n\n"
        f"{item}\n\nKommentar från samordnaren:\n{item.reviewer_comment}\n\n"
        f"Rätta och skicka in igen här: {link}"
    )
    return notify(
        kind=Notification.Kind.RETURNED,
        users=reporters_of(organisation),
        subject=f"Återskickad med kommentar: {item}"[:300],
        body=body,
        reporting_round=reporting_round,
        organisation=organisation,
        item_label=str(item),
    )


def organisation_complete(organisation, reporting_round):
    link = absolute(reverse("workspace:desk"))
    body = (
        f"{organisation.display_name} har skickat in allt för rapporteringsomgången {reporting_round.year}.\n\n"
        f"Granska här: {link}"
    )
    return notify(
        kind=Notification.Kind.ORGANISATION_COMPLETE,
        users=coordinators(),
        subject=f"{organisation.display_name} har skickat in allt för {reporting_round.year}",
        body=body,
        reporting_round=reporting_round,
        organisation=organisation,
    )


def reminder(kind, reporting_round, progress, days_left):
    link = absolute(reverse("workspace:home"))
    when = "i dag" if days_left == 0 else ("i morgon" if days_left == 1 else f"om {days_left} dagar")
    body = (
        f"Påminnelse: sista dag att rapportera för {reporting_round.year} är {_date(reporting_round.deadline)} "
        f"({when}).\n\n"
        f"{progress.organisation.display_name} har {len(progress.outstanding)} av {progress.total} poster kvar "
        f"att skicka in:\n{_task_lines(progress.outstanding)}\n\nRapportera här: {link}"
    )
    return notify(
        kind=kind,
        users=reporters_of(progress.organisation),
        subject=f"Påminnelse: rapporteringen {reporting_round.year} ska vara klar {_date(reporting_round.deadline)}",
        body=body,
        reporting_round=reporting_round,
        organisation=progress.organisation,
    )
