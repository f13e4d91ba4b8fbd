"""The reporting round's e-mails: who gets them, their Swedish text, and sending after commit.

The mails are written in Swedish whatever language the person whose action sends them works in: the
recipient's language is not stored. Their strings are marked all the same (templates/emails/), so a
language per recipient needs only the override below to follow it.

Each mail is one Notification row per recipient (who, what, when, which round,
organisation or item), created inside the caller's transaction and queued for
the background worker only after it commits, so a rolled-back return or
submission never mails anyone and a slow SMTP server never holds a request.
A send that fails is tried again after settings.TASK_RETRY_DELAYS; after the
last attempt the mail stays on record as not sent, with its error.
"""

import datetime
import functools
import logging
from typing import NamedTuple

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext
from django_tasks import task

from reporting.addresses import absolute_url
from reporting.models import Notification
from reporting.roles import COORDINATOR

log = logging.getLogger(__name__)

# The language of every mail (see above): Swedish, the site's default.
MAIL_LANGUAGE = settings.LANGUAGE_CODE


def in_mail_language(build):
    """Build a mail (its templates, dates, state words) in MAIL_LANGUAGE, not the sender's page language."""

    @functools.wraps(build)
    def wrapper(*args, **kwargs):
        with translation.override(MAIL_LANGUAGE):
            return build(*args, **kwargs)

    return wrapper


class Mail(NamedTuple):
    organisation: object
    users: list
    subject: str
    body: str
    html: str


def render_mail(name, context):
    """(subject, text, HTML) of the mail `name` from templates/emails/<name>_subject.txt, .txt and .html.

    Every mail ends with the coordinator's contact (settings.COORDINATOR_CONTACT_*), from _signature.
    """
    context = {
        **context,
        "contact_name": settings.COORDINATOR_CONTACT_NAME,
        "contact_email": settings.COORDINATOR_CONTACT_EMAIL,
        "site_url": settings.SITE_URL.rstrip("/"),
    }
    subject = " ".join(render_to_string(f"emails/{name}_subject.txt", context).split())
    return subject, render_to_string(f"emails/{name}.txt", context).strip() + "\n", render_to_string(f"emails/{name}.html", context)


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


def notify(*, kind, users, subject, body, body_html="", reporting_round=None, organisation=None, item_label=""):
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
            kind=kind, recipient=user, email=user.email, subject=subject, body=body, body_html=body_html,
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
            message = EmailMultiAlternatives(
                notification.subject, notification.body, settings.DEFAULT_FROM_EMAIL, [notification.email]
            )
            if notification.body_html:
                message.attach_alternative(notification.body_html, "text/html")
            message.send()
        except Exception as exc:  # SMTP down, refused address …: record it, go on with the others
            log.exception("Utskick %s kunde inte skickas (försök %s)", notification.pk, attempt)  # sv-only: the log
            notification.error = f"Försök {attempt}: {exc}"[:1000]  # sv-only: the record the admin keeps, written by the worker
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
        raise MailNotSent(f"{len(failed)} utskick kunde inte skickas (försök {attempt}); nytt försök {run_after:%H:%M:%S}.")  # sv-only: the worker's error, for operators
    # The last attempt: the mails stay unsent with their error (the admin's Utskick), and the task is failed.
    raise MailNotSent(f"{len(failed)} utskick kunde inte skickas efter {attempt} försök: {failed}")  # sv-only: the worker's error, for operators


def _date(day):
    return date_format(day, "j F Y")


def task_label(task):
    """"Åtagande 2.10 Titeln …" or "Indikator 6.U4 Titeln": a code and what it is about."""
    subject = task.subject
    if task.kind == "commitment":
        return f"{subject.label} {_short(subject.text)}"
    return gettext("Indikator %(code)s %(title)s") % {"code": subject.code, "title": _short(subject.title)}


def _short(text, length=90):
    text = " ".join((text or "").split())
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def _tasks(tasks):
    return [{"label": task_label(t), "state": t.state_label.lower()} for t in tasks]


def item_path(item, year):
    """The workspace page where the item is reported."""
    if hasattr(item, "commitment_id"):
        return reverse("workspace:commitment", args=[year, item.commitment_id])
    return reverse("workspace:indicator", args=[year, item.series.indicator_id]) + f"?omrade={item.area.slug}"


# --- the mails ---------------------------------------------------------------------------------------


@in_mail_language
def round_opened_mails(reporting_round, progress):
    """The opening mails, one per reporting organisation with something to report.

    The confirmation page lists these before the round opens; round_opened sends them.
    """
    organisations = [p for p in progress.values() if p.tasks]
    reporters = reporters_by_organisation([p.organisation for p in organisations])
    mails = []
    for p in sorted(organisations, key=lambda p: p.organisation.display_name):
        subject, body, html = render_mail(
            "round_opened",
            {
                "reporting_round": reporting_round,
                "deadline": _date(reporting_round.deadline),
                "organisation": p.organisation,
                "total": p.total,
                "tasks": _tasks(p.tasks),
                "link": absolute_url(reverse("workspace:home")),
            },
        )
        mails.append(Mail(p.organisation, reporters.get(p.organisation.pk, []), subject, body, html))
    return mails


def round_opened(reporting_round, progress):
    """To each reporting organisation's reporters: the round is open, the deadline, what to report."""
    sent = []
    for mail in round_opened_mails(reporting_round, progress):
        sent += notify(
            kind=Notification.Kind.ROUND_OPENED,
            users=mail.users,
            subject=mail.subject,
            body=mail.body,
            body_html=mail.html,
            reporting_round=reporting_round,
            organisation=mail.organisation,
        )
    return sent


@in_mail_language
def item_returned(item, organisation, reporting_round):
    subject, body, html = render_mail(
        "item_returned",
        {
            "item": item,
            "organisation": organisation,
            "year": item.year,
            "comment": item.reviewer_comment,
            "link": absolute_url(item_path(item, item.year)),
        },
    )
    return notify(
        kind=Notification.Kind.RETURNED,
        users=reporters_of(organisation),
        subject=subject[:300],
        body=body,
        body_html=html,
        reporting_round=reporting_round,
        organisation=organisation,
        item_label=str(item),
    )


@in_mail_language
def organisation_complete(organisation, reporting_round):
    subject, body, html = render_mail(
        "organisation_complete",
        {"organisation": organisation, "reporting_round": reporting_round, "link": absolute_url(reverse("workspace:desk"))},
    )
    return notify(
        kind=Notification.Kind.ORGANISATION_COMPLETE,
        users=coordinators(),
        subject=subject,
        body=body,
        body_html=html,
        reporting_round=reporting_round,
        organisation=organisation,
    )


@in_mail_language
def reminder(kind, reporting_round, progress, days_left):
    if days_left == 0:
        when = gettext("i dag")
    elif days_left == 1:
        when = gettext("i morgon")
    else:
        when = ngettext("om %(count)d dag", "om %(count)d dagar", days_left) % {"count": days_left}
    subject, body, html = render_mail(
        "reminder",
        {
            "reporting_round": reporting_round,
            "deadline": _date(reporting_round.deadline),
            "when": when,
            "organisation": progress.organisation,
            "left": len(progress.outstanding),
            "total": progress.total,
            "tasks": _tasks(progress.outstanding),
            "link": absolute_url(reverse("workspace:home")),
        },
    )
    return notify(
        kind=kind,
        users=reporters_of(progress.organisation),
        subject=subject,
        body=body,
        body_html=html,
        reporting_round=reporting_round,
        organisation=progress.organisation,
    )
