"""The background worker: an edition's PDF made after publication, the round's mails, retries; never a job lost.

Jobs go through the real database backend (django_tasks_db) and are run by the
worker in the test's process (tests/worker.py).
"""

import hashlib
import smtplib

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from reporting.models import Notification
from reports.models import EditionPdf, ReportEdition
from reports.services import report_edition_publish
from reports.tasks import edition_pdf_queue, generate_edition_pdf
from workspace import mail as workspace_mail

from .worker import run_worker

pytestmark = pytest.mark.django_db

PDF_TASK = "reports.tasks.generate_edition_pdf"
MAIL_TASK = "workspace.mail.send_notifications"


@pytest.fixture
def draft():
    strategy = ReportEdition.objects.get(year=2024).strategy
    return ReportEdition.objects.create(
        strategy=strategy, year=2025, title="Lägesrapport 2025", isbn="978-91-7937-999-5", report_number="2026:1"
    )


def jobs(path):
    return list(DBTaskResult.objects.filter(task_path=path).order_by("enqueued_at"))


def publish(edition, capture):
    with capture(execute=True):
        return report_edition_publish(edition=edition, user=None)


def test_it_queues_the_pdf_at_publication_and_the_worker_stores_it_with_its_checksum(
    client, draft, django_capture_on_commit_callbacks
):
    edition = publish(draft, django_capture_on_commit_callbacks)
    [job] = jobs(PDF_TASK)
    assert job.status == "READY" and job.args_kwargs["args"] == [edition.pk]
    assert EditionPdf.objects.get(edition=edition).state == EditionPdf.State.PENDING
    page = client.get(reverse("report", args=[2025])).content.decode()
    assert "PDF:en skapas – ladda om sidan om en stund." in page  # publishing answered before the PDF exists
    url = reverse("report_pdf", args=[2025, 2025])
    assert url == "/lagesrapport/2025/lagesrapport-2025.pdf" and client.get(url).status_code == 404

    with django_capture_on_commit_callbacks(execute=True):
        run_worker()
    job.refresh_from_db()
    assert job.status == "SUCCESSFUL"
    pdf = EditionPdf.objects.get(edition=edition)
    content = bytes(pdf.content)
    assert pdf.state == EditionPdf.State.READY and content.startswith(b"%PDF-")
    assert pdf.sha256 == hashlib.sha256(content).hexdigest() and pdf.bytes == len(content) and pdf.pages > 3
    page = client.get(reverse("report", args=[2025])).content.decode()
    assert f'href="{url}"' in page and f"Ladda ner som PDF ({pdf.pages} sidor, {round(pdf.bytes / 1000)} kB)" in page
    archive = client.get(reverse("report_archive")).content.decode()
    assert f'href="{url}"' in archive and f"PDF, {pdf.pages} sidor" in archive

    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="lagesrapport-2025.pdf"'
    assert response["ETag"] == f'"{pdf.sha256}"' and response.content == content
    assert client.get(url, headers={"If-None-Match": f'"{pdf.sha256}"'}).status_code == 304
    assert client.get("/lagesrapport/2025/lagesrapport-2024.pdf").status_code == 404


def test_it_never_makes_a_stored_pdf_again(draft, django_capture_on_commit_callbacks, monkeypatch):
    edition = publish(draft, django_capture_on_commit_callbacks)
    run_worker()
    stored = EditionPdf.objects.get(edition=edition)
    with pytest.raises(ValidationError, match="redan publicerad"):
        publish(edition, django_capture_on_commit_callbacks)  # publishing again is refused
    with django_capture_on_commit_callbacks(execute=True):
        edition_pdf_queue(edition)  # and queueing again (load_real_data does) makes nothing
    assert len(jobs(PDF_TASK)) == 1  # nothing queued for a stored PDF
    monkeypatch.setattr("reports.tasks.edition_pdf", lambda *a, **k: pytest.fail("made again"))
    assert generate_edition_pdf.call(edition.pk) == stored.sha256
    again = EditionPdf.objects.get(edition=edition)
    assert bytes(again.content) == bytes(stored.content) and again.generated_at == stored.generated_at


def test_it_retries_a_failing_pdf_job_and_reports_it_never_losing_it(
    client, draft, django_capture_on_commit_callbacks, monkeypatch, caplog
):
    def broken(*args, **kwargs):
        raise RuntimeError("Pango saknas")

    monkeypatch.setattr("reports.tasks.edition_pdf", broken)
    edition = publish(draft, django_capture_on_commit_callbacks)
    run_worker()
    attempts = jobs(PDF_TASK)
    assert [job.status for job in attempts] == ["FAILED", "FAILED", "FAILED"]  # the first and two retries
    assert all("Pango saknas" in job.traceback for job in attempts)
    assert [job.args_kwargs["kwargs"].get("attempt", 1) for job in attempts] == [1, 2, 3]
    pdf = EditionPdf.objects.get(edition=edition)
    assert pdf.state == EditionPdf.State.FAILED and pdf.attempts == 3 and "Pango saknas" in pdf.error
    assert "PDF för Lägesrapport 2025 misslyckades" in caplog.text
    assert client.get(reverse("report_pdf", args=[2025, 2025])).status_code == 404
    # The page and the archive say so, rather than "being made" for ever.
    cache.clear()
    assert "PDF:en kunde inte skapas" in client.get(reverse("report", args=[2025])).content.decode()
    assert "Ingen PDF" in client.get(reverse("report_archive")).content.decode()

    # Queued again (by hand, or by load_real_data) once the fault is mended, it is made.
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        edition_pdf_queue(edition)
    run_worker()
    pdf.refresh_from_db()
    assert pdf.state == EditionPdf.State.READY and pdf.attempts == 1 and pdf.error == ""


def test_it_waits_before_a_retry(draft, settings, django_capture_on_commit_callbacks, monkeypatch):
    settings.TASK_RETRY_DELAYS = [600]
    calls = []

    def fails_once(edition, *, body_html):
        calls.append(1)
        raise OSError("disken är full")

    monkeypatch.setattr("reports.tasks.edition_pdf", fails_once)
    edition = publish(draft, django_capture_on_commit_callbacks)
    run_worker()
    first, retry = jobs(PDF_TASK)
    assert first.status == "FAILED" and retry.status == "READY" and len(calls) == 1  # not run yet
    assert 590 <= (retry.run_after - first.finished_at).total_seconds() <= 610
    pdf = EditionPdf.objects.get(edition=edition)
    assert pdf.state == EditionPdf.State.PENDING and pdf.attempts == 1 and "disken är full" in pdf.error


def test_it_previews_a_draft_as_pdf_only_for_a_coordinator_and_never_stores_it(coordinator_client, draft):
    url = reverse("report_preview_pdf", args=[2025])
    assert url == "/lagesrapport/2025/forhandsgranska.pdf"
    assert Client().get(url).status_code == 404
    assert coordinator_client.get(reverse("report_pdf", args=[2025, 2025])).status_code == 404
    page = coordinator_client.get(reverse("report", args=[2025])).content.decode()
    assert f'href="{url}"' in page
    response = coordinator_client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-") and "no-store" in response["Cache-Control"]
    assert not EditionPdf.objects.filter(edition=draft).exists() and not jobs(PDF_TASK)


def test_it_registers_the_pdfs_read_only_in_the_admin(admin_client, draft, django_capture_on_commit_callbacks):
    publish(draft, django_capture_on_commit_callbacks)
    pdf = EditionPdf.objects.get(edition=draft)
    assert admin_client.get(reverse("admin:reports_editionpdf_changelist")).status_code == 200
    assert admin_client.get(reverse("admin:reports_editionpdf_add")).status_code == 403
    page = admin_client.get(reverse("admin:reports_editionpdf_change", args=[pdf.pk]))
    assert page.status_code == 200 and b'name="state"' not in page.content
    assert admin_client.post(reverse("admin:reports_editionpdf_delete", args=[pdf.pk]), {"post": "yes"}).status_code == 403
    assert EditionPdf.objects.filter(pk=pdf.pk).exists()


@pytest.fixture
def reporter(make_user):
    user = make_user("rapportor-kv", "kriminalvarden", "rapportor")
    user.email = "kv@example.org"
    user.save()
    return user


def tell(user, capture):
    with capture(execute=True):
        return workspace_mail.notify(kind=Notification.Kind.RETURNED, users=[user], subject="Återskickad", body="Rätta.")


def test_it_sends_the_mails_from_the_worker_after_commit(reporter, django_capture_on_commit_callbacks):
    [notification] = tell(reporter, django_capture_on_commit_callbacks)
    [job] = jobs(MAIL_TASK)
    assert job.status == "READY" and mail.outbox == []  # queued, not sent in the request
    run_worker()
    [message] = mail.outbox
    notification.refresh_from_db()
    assert message.to == ["kv@example.org"] and notification.sent_at is not None and notification.error == ""


def test_it_retries_a_failed_send_and_then_keeps_it_on_record_as_failed(
    reporter, django_capture_on_commit_callbacks, monkeypatch
):
    real_send = workspace_mail.EmailMultiAlternatives.send
    failures = iter([smtplib.SMTPServerDisconnected("servern stängde")])

    def flaky(message, *args, **kwargs):
        for exc in failures:
            raise exc
        return real_send(message, *args, **kwargs)

    monkeypatch.setattr(workspace_mail.EmailMultiAlternatives, "send", flaky)
    [notification] = tell(reporter, django_capture_on_commit_callbacks)
    run_worker()
    assert [job.status for job in jobs(MAIL_TASK)] == ["FAILED", "SUCCESSFUL"]
    notification.refresh_from_db()
    assert len(mail.outbox) == 1 and notification.sent_at is not None and notification.error == ""

    def down(*args, **kwargs):
        raise smtplib.SMTPConnectError(421, "upptagen")

    monkeypatch.setattr(workspace_mail.EmailMultiAlternatives, "send", down)
    [failed] = tell(reporter, django_capture_on_commit_callbacks)
    run_worker()
    assert [job.status for job in jobs(MAIL_TASK)][2:] == ["FAILED", "FAILED", "FAILED"]
    assert "efter 3 försök" in jobs(MAIL_TASK)[-1].traceback
    failed.refresh_from_db()
    assert failed.sent_at is None and failed.error.startswith("Försök 3:") and "upptagen" in failed.error
