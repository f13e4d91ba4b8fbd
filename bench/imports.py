"""Import of the long CSV through the project's importer, against PostgreSQL COPY as the limit."""

import csv
import importlib
import inspect
import io
import time

from django.contrib.auth import get_user_model
from django.db import connection

from indicators.models import Value
from reporting.models import LockedYear

# Column types for the COPY target: the CSV's own columns, numbers as numbers.
NUMERIC_COLUMNS = {"goal": "integer", "year": "integer", "value": "numeric", "respondents": "integer"}


def csv_header(data):
    return next(csv.reader(io.StringIO(data.decode("utf-8-sig").split("\n", 1)[0])))


def copy_seconds(data):
    """Seconds for COPY of the CSV rows into a temporary table with the same columns; (seconds, rows)."""
    columns = csv_header(data)
    definition = ", ".join(f'"{c}" {NUMERIC_COLUMNS.get(c, "text")}' for c in columns)
    connection.ensure_connection()
    raw = connection.connection  # the psycopg connection under Django's
    with raw.transaction():
        with raw.cursor() as cur:
            cur.execute(f"CREATE TEMP TABLE bench_copy ({definition}) ON COMMIT DROP")
            start = time.perf_counter()
            # Every field of the download is quoted, so an empty number is "" and needs FORCE_NULL.
            numbers = ", ".join(f'"{c}"' for c in columns if c in NUMERIC_COLUMNS)
            with cur.copy(f"COPY bench_copy FROM STDIN (FORMAT csv, HEADER true, FORCE_NULL ({numbers}))") as copy:
                copy.write(data)
            seconds = time.perf_counter() - start
            cur.execute("SELECT count(*) FROM bench_copy")
            rows = cur.fetchone()[0]
    return seconds, rows


def find_importer():
    """indicators.importing.import_values_csv, if the project has it yet; else None."""
    try:
        module = importlib.import_module("indicators.importing")
    except ImportError:
        return None
    return getattr(module, "import_values_csv", None)


def import_seconds(importer, data):
    """Empty the values table, then import the CSV as a coordinator; (seconds, values written, errors)."""
    user, _ = get_user_model().objects.get_or_create(
        username="bench-samordnare", defaults={"is_staff": True, "is_superuser": True}
    )
    # The published 2024 edition locks its year, and the policy would refuse the file's 2024 rows (as it
    # should); the bench measures writing all of them, so the lock goes (the import is measured last).
    LockedYear.objects.all().delete()
    with connection.cursor() as cur:
        # Plain SQL: a queryset delete would write 100 000 history rows first.
        cur.execute(f"DELETE FROM {Value._meta.db_table}")
        # The deleted rows' index entries would otherwise make every insert of the same keys check them:
        # a cost of emptying the table just before, which no real import pays.
        cur.execute(f"VACUUM ANALYZE {Value._meta.db_table}")
    kwargs = {"user": user} if "user" in inspect.signature(importer).parameters else {}
    start = time.perf_counter()
    result = importer(io.BytesIO(data), **kwargs)
    seconds = time.perf_counter() - start
    errors = 0
    if hasattr(result, "has_validation_errors") and (result.has_validation_errors() or result.has_errors()):
        errors = len(getattr(result, "invalid_rows", [])) + len(getattr(result, "row_errors", lambda: [])())
    return seconds, Value.objects.count(), errors


def status_report_queries():
    """Queries of a confirmed status-report import of 1 row and of 100 (new reports, as a coordinator)."""
    from django.test.utils import CaptureQueriesContext

    from actions.models import Commitment
    from actions.resources import StatusReportResource
    from reporting.uploads import TableCSV

    user = get_user_model().objects.get(username="bench-samordnare")
    numbers = list(Commitment.objects.filter(plan__kind="regional").values_list("number", flat=True))
    rows = [f"{number},{year},lansstyrelsen,Pågående,Bänk {year}" for year in (2025, 2026, 2027) for number in numbers]

    def queries(chosen):
        data = ("commitment,year,organisation,category,text\n" + "\n".join(chosen) + "\n").encode()
        with CaptureQueriesContext(connection) as captured:
            StatusReportResource(user=user).import_data(TableCSV().create_dataset(data), dry_run=False)
        return len(captured)

    queries(rows[:1])  # the first import fills caches (content types, groups)
    return queries(rows[1:2]), queries(rows[2:102])


def floor_seconds():
    """Seconds for writing the rows the import wrote (the values and their history rows) once more by bare
    COPY into their own tables, indexes, constraints and the commit's foreign-key checks included: what
    any importer that keeps those tables as they are pays at least. The rows are copied out, deleted and
    written back as they were; (seconds per part: values, history, foreign-key checks; values)."""
    from reporting.importing import CHANGE_REASON

    values, history = Value._meta.db_table, Value.history.model._meta.db_table
    imported = f"history_change_reason = '{CHANGE_REASON}'"  # a constant of ours, not input
    connection.ensure_connection()
    raw = connection.connection
    with raw.cursor() as cur:
        saved = {}
        for table, select in ((values, f"SELECT * FROM {values}"),
                              (history, f"SELECT * FROM {history} WHERE {imported}")):
            with cur.copy(f"COPY ({select}) TO STDOUT") as copy:
                saved[table] = b"".join(bytes(chunk) for chunk in copy)
        with raw.transaction():
            cur.execute(f"DELETE FROM {history} WHERE {imported}")
            cur.execute(f"DELETE FROM {values}")
        for table in saved:  # as the import found them: no dead index entries
            cur.execute(f"VACUUM ANALYZE {table}")
        parts = {}
        with raw.transaction():
            for table, data in saved.items():
                start = time.perf_counter()
                with cur.copy(f"COPY {table} FROM STDIN") as copy:
                    copy.write(data)
                parts[table] = time.perf_counter() - start
            # The foreign keys are checked at the commit, one query per row and key (PostgreSQL's own
            # triggers); made immediate here so that they are timed on their own.
            start = time.perf_counter()
            cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
            parts["foreign keys"] = time.perf_counter() - start
    return parts, Value.objects.count()
