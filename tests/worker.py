"""The background worker, run inside a test: `manage.py db_worker --batch` in this process and transaction.

The jobs a test causes are real rows of the database backend (django_tasks_db);
this runs every one that is due, as the worker process does, until none is left.
"""

from unittest import mock

from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult


def run_worker():
    """Run every due job (and the retries they queue that are due at once); the results, oldest first."""
    worker = db_worker.Worker(
        queue_names=["*"], interval=0, batch=True, backend_name="default", startup_delay=False,
        max_tasks=None, worker_id="tests", excluded_queue_names=[],
    )
    # The worker drops connections that are not in autocommit mode between jobs, as a worker process should;
    # a test runs inside a transaction that must survive the jobs.
    with mock.patch.object(db_worker, "close_old_connections", lambda: None):
        worker.run()
    return list(DBTaskResult.objects.order_by("enqueued_at"))
