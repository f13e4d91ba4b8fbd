"""Fast bulk writes of model instances with PostgreSQL COPY, for large imports.

Django's bulk_create and bulk_update prepare every field of every row in Python
and bulk_update builds a CASE per field; for 100 000 values (plus as many history
rows) that takes tens of seconds. COPY takes a second. Instances are written as
they are: callers set every field (timestamps included) beforehand. Other
databases fall back to Django's bulk methods.
"""

from django.db import connection


def uses_copy():
    return connection.vendor == "postgresql"


def _rows(instances, attnames):
    for obj in instances:
        yield tuple(getattr(obj, name) for name in attnames)


def _copy(cursor, table, columns, rows):
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    with cursor.copy(f"COPY {connection.ops.quote_name(table)} ({names}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def copy_insert(model, instances, *, exclude=()):
    """Insert new instances with COPY, giving each its primary key from the table's sequence first."""
    if not instances:
        return
    opts = model._meta
    fields = [f for f in opts.concrete_fields if f.attname not in exclude]
    connection.ensure_connection()
    with connection.cursor() as cursor:
        if any(obj.pk is None for obj in instances):
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [opts.db_table, opts.pk.column, len(instances)],
            )
            for obj, (pk,) in zip(instances, cursor.fetchall()):
                obj.pk = pk
                obj._state.adding = False
        _copy(cursor.cursor, opts.db_table, [f.column for f in fields], _rows(instances, [f.attname for f in fields]))


def copy_update(model, instances, field_names):
    """Update `field_names` of existing instances: COPY into a temporary table, then one UPDATE … FROM."""
    if not instances:
        return
    opts = model._meta
    fields = [opts.pk] + [opts.get_field(name) for name in field_names]
    q = connection.ops.quote_name
    table = f"import_{opts.db_table}"
    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMPORARY TABLE {q(table)} ON COMMIT DROP AS "
            f"SELECT {', '.join(q(f.column) for f in fields)} FROM {q(opts.db_table)} WITH NO DATA"
        )
        _copy(cursor.cursor, table, [f.column for f in fields], _rows(instances, [f.attname for f in fields]))
        assignments = ", ".join(f"{q(f.column)} = new.{q(f.column)}" for f in fields[1:])
        cursor.execute(
            f"UPDATE {q(opts.db_table)} SET {assignments} FROM {q(table)} AS new "
            f"WHERE {q(opts.db_table)}.{q(opts.pk.column)} = new.{q(opts.pk.column)}"
        )
        cursor.execute(f"DROP TABLE {q(table)}")


def copy_history(model, instances, *, history_type, user, reason, date):
    """One simple_history row per instance, as `model.history.bulk_history_create` would write them."""
    if not instances:
        return
    history = model.history.model
    own = {"history_id", "history_date", "history_change_reason", "history_type", "history_user_id"}
    tracked = [f for f in history._meta.concrete_fields if f.attname not in own]
    columns = [f.column for f in tracked] + ["history_date", "history_change_reason", "history_type", "history_user_id"]
    extra = (date, reason, history_type, user.pk if user else None)
    attnames = [f.attname for f in tracked]
    rows = (tuple(getattr(obj, name) for name in attnames) + extra for obj in instances)
    connection.ensure_connection()
    with connection.cursor() as cursor:
        _copy(cursor.cursor, history._meta.db_table, columns, rows)
