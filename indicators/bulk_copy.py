"""Fast writes of many rows with their simple_history rows on PostgreSQL, for large imports.

Django's bulk_create and bulk_update prepare every field of every row in Python,
bulk_update builds a CASE per field, and bulk_history_create builds a history
instance per row; for 100 000 values that takes tens of seconds. Here the rows
go into a temporary table with COPY, and one statement per kind writes them and
their history rows together (a data-modifying WITH … RETURNING feeding the
history INSERT), so no row passes through Python twice. Other databases use
Django's bulk methods (see ValueResource._write_with_django).
"""

from dataclasses import dataclass
from datetime import datetime

from django.db import connection

# simple_history's own columns; every other column of a history table is the tracked model's.
HISTORY_OWN = {"history_id", "history_date", "history_change_reason", "history_type", "history_user_id"}


@dataclass
class HistoryRow:
    """What each history row of one write says besides the model's fields."""

    user_id: int | None
    reason: str
    date: datetime


def uses_copy():
    return connection.vendor == "postgresql"


def _q(name):
    return connection.ops.quote_name(name)


def _param(field):
    # Typed, since PostgreSQL cannot infer the type of a bare parameter in a SELECT list.
    return f"CAST(%s AS {field.db_type(connection)})"


def _copy_to_temp(cursor, model, temp, columns, rows):
    """A temporary table with `columns` (attnames) of the model's table, filled by COPY."""
    opts = model._meta
    names = ", ".join(_q(opts.get_field(c).column) for c in columns)
    cursor.execute(f"DROP TABLE IF EXISTS {_q(temp)}")
    cursor.execute(
        f"CREATE TEMPORARY TABLE {_q(temp)} ON COMMIT DROP AS SELECT {names} FROM {_q(opts.db_table)} WITH NO DATA"
    )
    with cursor.cursor.copy(f"COPY {_q(temp)} ({names}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def _history_insert(model, history, history_type):
    """`INSERT INTO <history> … SELECT … FROM written` and its parameters: one row per written row."""
    history_model = model.history.model
    hopts = history_model._meta
    tracked = [f.column for f in hopts.concrete_fields if f.attname not in HISTORY_OWN]
    own = [hopts.get_field(name) for name in ("history_date", "history_change_reason", "history_type")]
    own.append(hopts.get_field("history_user"))
    columns = ", ".join(_q(c) for c in [*tracked, *(f.column for f in own)])
    select = ", ".join([*(_q(c) for c in tracked), *(_param(f) for f in own)])
    sql = f"INSERT INTO {_q(hopts.db_table)} ({columns}) SELECT {select} FROM written"
    return sql, [history.date, history.reason, history_type, history.user_id]


def insert_with_history(model, columns, rows, *, constants, history):
    """Insert rows (a tuple of values for `columns` each; every other column from `constants`,
    by attname) and a "+" history row for each. The primary keys come from the table's identity."""
    if not rows:
        return
    opts = model._meta
    temp = f"import_new_{opts.db_table}"
    fixed = [opts.get_field(name) for name in constants]
    target = [opts.get_field(c).column for c in columns] + [f.column for f in fixed]
    select = [f"new.{_q(opts.get_field(c).column)}" for c in columns] + [_param(f) for f in fixed]
    params = [f.get_db_prep_save(constants[f.attname], connection) for f in fixed]
    history_sql, history_params = _history_insert(model, history, "+")
    connection.ensure_connection()
    with connection.cursor() as cursor:
        _copy_to_temp(cursor, model, temp, columns, rows)
        cursor.execute(
            f"WITH written AS (INSERT INTO {_q(opts.db_table)} ({', '.join(_q(c) for c in target)}) "
            f"SELECT {', '.join(select)} FROM {_q(temp)} AS new RETURNING *) {history_sql}",
            params + history_params,
        )
        cursor.execute(f"DROP TABLE {_q(temp)}")


def update_with_history(model, columns, rows, *, constants, increment, history):
    """Update existing rows (columns[0] is the primary key, the rest new values; `constants` set on
    every row, the `increment` column + 1) and a "~" history row for each, with the new values."""
    if not rows:
        return
    opts = model._meta
    table = _q(opts.db_table)
    temp = f"import_changed_{opts.db_table}"
    pk = _q(opts.get_field(columns[0]).column)
    assignments = [f"{_q(opts.get_field(c).column)} = new.{_q(opts.get_field(c).column)}" for c in columns[1:]]
    fixed = [opts.get_field(name) for name in constants]
    assignments += [f"{_q(f.column)} = {_param(f)}" for f in fixed]
    bumped = _q(opts.get_field(increment).column)
    assignments.append(f"{bumped} = {table}.{bumped} + 1")
    params = [f.get_db_prep_save(constants[f.attname], connection) for f in fixed]
    history_sql, history_params = _history_insert(model, history, "~")
    connection.ensure_connection()
    with connection.cursor() as cursor:
        _copy_to_temp(cursor, model, temp, columns, rows)
        cursor.execute(
            f"WITH written AS (UPDATE {table} SET {', '.join(assignments)} FROM {_q(temp)} AS new "
            f"WHERE {table}.{pk} = new.{pk} RETURNING {table}.*) {history_sql}",
            params + history_params,
        )
        cursor.execute(f"DROP TABLE {_q(temp)}")
