"""An organisation's name is one line (it goes into mail subjects); mail headers come only from Django's mail API."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from strategy.models import Organisation
from workspace.mail import notify

from .worker import run_worker

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("field", ["name", "short_name"])
@pytest.mark.parametrize("broken", ["Kriminalvården\nBcc: alla@example.org", "Kriminal\rvården", "Kriminal\x00vården"])
def test_it_refuses_a_line_break_in_a_name_with_a_swedish_message(field, broken):
    organisation = Organisation.objects.get(slug="kriminalvarden")
    setattr(organisation, field, broken)
    with pytest.raises(ValidationError) as refused:
        organisation.full_clean()
    assert "på en rad" in " ".join(refused.value.message_dict[field])


@pytest.mark.parametrize("field", ["name", "short_name"])
def test_it_refuses_a_line_break_in_the_database_too(field):
    with pytest.raises(IntegrityError), transaction.atomic():
        Organisation.objects.filter(slug="kriminalvarden").update(**{field: "Kriminal\nvården"})


def test_it_sends_a_mail_whose_subject_was_given_a_line_break(make_user, django_capture_on_commit_callbacks):
    user = make_user("rapportor-kv", "kriminalvarden", "rapportor")
    user.email = "kv@example.org"
    user.save()
    with django_capture_on_commit_callbacks(execute=True):
        notify(kind="returned", users=[user], subject="Återskickad:\r\nBcc: alla@example.org Åtagande 2.10", body="Text")
    run_worker()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "Återskickad: Bcc: alla@example.org Åtagande 2.10"
    assert mail.outbox[0].bcc == [] and mail.outbox[0].message()["Bcc"] is None
