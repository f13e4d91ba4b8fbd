"""The import pipeline for reviewed items (values, status reports), one direction from file to rows:

1. **file → frame**: a format reads the upload once into a pandas DataFrame of text cells, within the
   limits and encodings of reporting/uploads.py (`Table`); the index is the row number in the file;
2. **lookups**: the adapter (indicators/importing.py, actions/importing.py) resolves every distinct cell
   combination once (`distinct`) against a few set-based queries, and marks the rows it cannot read;
3. **stored rows**: the rows already stored under the same natural keys, in one query (locked at a confirm);
4. **classify**: new, changed, unchanged (every written column equal) or refused (bad cells, a duplicate,
   the write policy), for the whole batch at once;
5. **policy**: `reporting.policy` decides once per distinct (subject, organisation, year, stored state,
   reopened) group, not per row, and the answer is merged back onto the rows;
6. **write**: new rows get their ids first (the table's sequence; on SQLite after AUTOINCREMENT's
   highest) and go with their history rows straight from the plan into both tables; changed rows are
   staged in a temporary table, updated in one UPDATE … FROM and their history read back by primary key.
   Rows go in as one COPY of one buffer on PostgreSQL and one executemany elsewhere, the statements
   are otherwise the same, so the tests on SQLite run the code production runs.

A file with any bad row writes nothing. A preview (`dry_run`) and its confirm run the same code; the
confirm locks the rows it would write, compares their versions with those its preview saw and refuses
(ChangedSincePreview, naming the rows) if anyone changed, added or deleted one since.

The answer is import-export's Result (the admin's preview templates read it): the totals, the first
IMPORT_MAX_ERRORS_SHOWN bad rows with a Swedish message per column, the first PREVIEW_ROWS rows of each kind.
"""

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from django.conf import settings
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop
from import_export.results import Error, Result, RowResult

from .models import State
from .policy import Action, Item, Policy, Write
from .signals import reviewed_items_written
from .uploads import NUL_MESSAGE, ChangedSincePreview, Table, frame_from_rows

NEW, UPDATE, SKIP, INVALID = (RowResult.IMPORT_TYPE_NEW, RowResult.IMPORT_TYPE_UPDATE, RowResult.IMPORT_TYPE_SKIP,
                              RowResult.IMPORT_TYPE_INVALID)
# Rows of each kind (new, changed, unchanged) the result keeps for the preview.
PREVIEW_ROWS = 50
CHANGE_REASON = "Importerad från fil"  # sv-only: stored in the history, read by every later reader
NOTHING_TO_IMPORT = gettext_noop(
    "Filen innehåller inget att importera. Kontrollera att den har rätt kolumnrubriker och minst en rad.")
# simple_history's own columns; every other column of a history table is the tracked model's.
HISTORY_OWN = {"history_id", "history_date", "history_change_reason", "history_type", "history_user_id"}


# --- 1. the file's rows and what is wrong with them ----------------------------------------------

class Rows:
    """The file as read (`frame`: text cells, index = row number) and each column's refusals."""

    def __init__(self, frame):
        self.frame = frame
        self.errors = {}  # column → object Series of message lists, None where the cell is fine
        # Rows that say nothing to write (a template's rows left empty): neither refused nor written.
        self.blank = np.zeros(len(frame), dtype=bool)
        self._text = {}

    def __len__(self):
        return len(self.frame)

    def has(self, column):
        return column in self.frame.columns

    def text(self, column):
        """The column's cells stripped, or empty cells for a column the file lacks. Stripped once per
        distinct cell: most columns of a large file repeat a few hundred texts."""
        if column not in self._text:
            if self.has(column):
                codes, uniques = pd.factorize(self.frame[column].to_numpy(dtype=object))
                stripped = np.array([str(cell).strip() for cell in uniques], dtype=object)
                self._text[column] = pd.Series(stripped[codes], index=self.frame.index, dtype=object)
            else:
                self._text[column] = pd.Series("", index=self.frame.index, dtype=object)
        return self._text[column]

    def refuse(self, column, where, messages):
        """Refuse the rows in `where` (a boolean mask) for `column`, with `messages` (one list for all,
        or a list per row); a cell refused already keeps its first reason."""
        where = np.array(where, dtype=bool)
        if not where.any():
            return
        errors = self.errors.setdefault(column, pd.Series(None, index=self.frame.index, dtype=object))
        where &= errors.isna().to_numpy()
        if isinstance(messages, list | str):
            messages = [messages] if isinstance(messages, str) else messages
            errors[where] = pd.Series([messages] * int(where.sum()), index=errors.index[where], dtype=object)
        else:
            errors[where] = pd.Series(messages, index=self.frame.index, dtype=object)[where]

    def refuse_nul(self):
        """A NUL character (PostgreSQL can neither store nor compare it) refuses its row before any lookup.
        A reader that saw none in the whole file says so (frame.attrs["nul_free"]), and nothing is scanned."""
        if self.frame.attrs.get("nul_free"):
            return
        for column in self.frame.columns:
            cells = self.frame[column].to_numpy(dtype=object)
            if "\x00" in "".join(map(str, cells)):
                self.refuse(column, ["\x00" in str(cell) for cell in cells], gettext(NUL_MESSAGE))

    def leave_blank(self, where):
        """Rows in `where` (a boolean mask) are left as the file leaves them: empty, nothing written."""
        self.blank |= np.asarray(where, dtype=bool)

    def bad(self):
        bad = np.zeros(len(self.frame), dtype=bool)
        for errors in self.errors.values():
            bad |= errors.notna().to_numpy()
        return bad

    def messages(self, number):
        return {column: errors[number] for column, errors in self.errors.items() if isinstance(errors[number], list)}


class Distinct:
    """parse(*cells) once per distinct combination of the columns of `cells` (a frame over the file's
    rows) among the rows in `where`: a file of 100 000 values has a few hundred distinct years, areas and
    breakdowns. `column()` spreads what parse returned (or a part of it) back over the rows, `errors`
    its Swedish messages (a ValidationError's) where it refused."""

    def __init__(self, cells, parse, where=None):
        self.index = cells.index
        if where is not None:
            cells = cells[np.asarray(where, dtype=bool)]
        self.rows = cells.index
        # Each column's cells as codes, the codes of a row combined into one number, and that factorized:
        # the distinct combinations in the order they first appear.
        combined = np.zeros(len(cells), dtype=np.int64)
        for column in cells.columns:
            codes, uniques = pd.factorize(cells[column].to_numpy(dtype=object), use_na_sentinel=False)
            combined = pd.factorize(combined * max(len(uniques), 1) + codes)[0]  # < rows², never overflows
        self.codes, distinct = pd.factorize(combined)
        first = np.unique(self.codes, return_index=True)[1]
        self.results = np.empty(len(distinct), dtype=object)
        refused = np.empty(len(distinct), dtype=object)
        for position, combination in enumerate(cells.iloc[first].itertuples(index=False, name=None)):
            try:
                self.results[position] = parse(*combination)
            except ValidationError as exc:
                refused[position] = exc.messages
        self.errors = self._spread(refused)

    def _spread(self, per_unique):
        spread = pd.Series(None, index=self.index, dtype=object)
        if len(self.rows):
            spread[self.rows] = per_unique[self.codes]
        return spread

    def column(self, get=None):
        """What parse returned, or get(what it returned) where it returned something, for every row."""
        values = self.results
        if get is not None:
            values = np.empty(len(self.results), dtype=object)
            for position, result in enumerate(self.results):
                values[position] = None if result is None else get(result)
        return self._spread(values)


def same(mine, theirs):
    """Cell by cell: equal, or both empty (None, NaN, NA)."""
    equal = mine == theirs
    if equal.dtype != bool:
        equal = equal.fillna(False).astype(bool)
    return equal.to_numpy() | (mine.isna() & theirs.isna()).to_numpy()


# --- the adapter's side --------------------------------------------------------------------------

@dataclass
class Kind:
    """What one kind of reviewed item brings to the pipeline."""

    model: type
    key: list  # the natural key's attnames, e.g. series_id, area_id, year
    written: list  # attnames an import writes (besides the review state)
    # Written attnames a file may leave out: a new row gets the default, a stored one keeps its own.
    optional: dict = field(default_factory=dict)
    policy_columns: dict = field(default_factory=dict)  # the policy's field → the file's column
    policy_column: str = ""  # where any other refusal of the policy is shown
    duplicate_column: str = ""  # where a second row for the same key is refused


class Adapter:
    """One kind of item's side of an import (indicators/importing.py, actions/importing.py).

    `resolve(rows)` reads the file's cells against the lookups, refuses the rows it cannot read
    (rows.refuse) and returns a frame over the rows with the key and the written columns the file
    has, and `subject_id`, `organisation_id` (whose item it is, for the policy). `stored_rows(keys)`
    names the stored rows that may share those keys."""

    kind: Kind

    def __init__(self, user):
        self.user = user

    def resolve(self, rows):
        raise NotImplementedError

    def stored_rows(self, keys):
        """A queryset of the stored rows that may have the keys of `keys` (a frame of the key columns)."""
        raise NotImplementedError

    def typed(self, stored):
        """The stored frame with the written columns as the adapter compares them (as read by default)."""
        return stored

    def stored(self, keys, *, lock):
        """The stored rows under the keys: the key, pk, the written columns, state, reopened, version."""
        rows = self.stored_rows(keys).order_by()
        if lock:
            # Held until the confirm commits, so that no edit lands between its check against the preview
            # and its writes.
            rows = rows.select_for_update(of=("self",))
        kind = self.kind
        columns = [*kind.key, "pk", *kind.written, "state", "reopened_at", "version"]
        frame = pd.DataFrame(list(rows.values_list(*columns)), columns=columns, dtype=object)
        frame["reopened"] = frame.pop("reopened_at").notna()
        for column in [*kind.key, "pk", "version"]:
            frame[column] = frame[column].astype("int64")
        return self.typed(frame)

    def duplicate_error(self, first):
        raise NotImplementedError

    def found(self, plan):
        """A key per row that is the same at a preview and at its confirm (a Series of text)."""
        raise NotImplementedError

    def label(self, row):
        """The row in words, for the list of rows changed since the preview."""
        raise NotImplementedError

    def preview(self, row, import_type):
        """A sample row for the preview page: (RowResult.preview dict or None, RowResult.diff list or None)."""
        return None, None


# --- 2–5. from rows to a plan --------------------------------------------------------------------

class ImportResult(Result):
    """import-export's Result with the totals of every row but row results only for the bad rows and
    the first PREVIEW_ROWS of each kind, so that the preview of 100 000 rows is a page of a few hundred."""

    preview_rows = PREVIEW_ROWS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = self.adapter = None
        self.left_blank = 0  # rows with nothing to write (reporting.importing.Rows.blank)

    @property
    def preview_versions(self):
        """What a preview saw: each row's found key → the stored version (0 for none). Kept for the confirm."""
        if self.plan is None:
            return {}
        return dict(zip(self.adapter.found(self.plan).tolist(), self.plan["version"].tolist()))

    def rows_left_out(self):
        shown = sum(1 for row in self.rows if row.import_type in RowResult.valid_import_types)
        return sum(self.totals[kind] for kind in RowResult.valid_import_types) - shown

    def invalid_total(self):
        return self.totals[INVALID]

    def invalid_left_out(self):
        """Bad rows counted but not listed (settings.IMPORT_MAX_ERRORS_SHOWN)."""
        return self.invalid_total() - len(self.invalid_rows)


def run_import(adapter, frame, *, dry_run, preview_versions=None):
    """Check `frame` (a file read by a format) and, unless `dry_run` or a row is bad, write it; the
    Result says what was found. Everything runs in one transaction; a preview's (a Kolada series it
    created, for instance) is rolled back."""
    with transaction.atomic():
        result = _run(adapter, Rows(frame), confirm=not dry_run, preview_versions=preview_versions)
        if dry_run or result.has_validation_errors() or result.has_errors():
            transaction.set_rollback(True)
    return result


def _run(adapter, rows, *, confirm, preview_versions):
    """The steps in order: the file's rows → lookups and cell checks (the adapter) → duplicates → stored
    rows → classify → policy → (any bad row: the result, nothing written) → the confirm's re-check →
    the preview's samples → the write."""
    kind = adapter.kind
    result = ImportResult()
    result.total_rows = len(rows)
    if not len(rows):  # the preview says so before it runs (import-export); a confirm of a changed file here
        result.append_base_error(Error(ValidationError(gettext(NOTHING_TO_IMPORT))))
        return result
    rows.refuse_nul()
    try:
        resolved = adapter.resolve(rows)
    except ValidationError as exc:  # the file as a whole: columns missing
        result.append_base_error(Error(exc))
        return result
    refuse_duplicates(adapter, rows, resolved)
    good = resolved[~rows.bad() & ~rows.blank].copy()
    result.left_blank = int((rows.blank & ~rows.bad()).sum())
    for column in kind.key:
        good[column] = good[column].astype("int64")
    plan = classify(kind, good, adapter.stored(good[kind.key], lock=confirm))
    decide(adapter, rows, plan)
    result.totals[INVALID] = int(rows.bad().sum())
    if result.totals[INVALID]:
        add_invalid_rows(result, rows)
        return result
    for import_type in (NEW, UPDATE, SKIP):
        result.totals[import_type] = int((plan["import_type"] == import_type).sum())
    result.plan, result.adapter = plan, adapter
    if confirm and preview_versions is not None:
        # A confirm writes what its preview showed or nothing: another import or an edit since would
        # otherwise be overwritten without anyone having seen it.
        seen = adapter.found(plan).map(preview_versions)
        changed = plan[seen.isna().to_numpy() | (seen.fillna(-1).to_numpy() != plan["version"].to_numpy())]
        if len(changed):
            raise ChangedSincePreview([adapter.label(row) for _, row in changed.iterrows()])
    add_samples(adapter, result, plan)
    if confirm:
        write(kind, plan[plan["import_type"] != SKIP], user=adapter.user)
    return result


def refuse_duplicates(adapter, rows, resolved):
    """A second row for the same key is refused, naming the first."""
    key = adapter.kind.key
    keys = resolved.loc[~rows.bad() & ~rows.blank, key]
    first = keys.index.to_series().groupby([keys[c] for c in key], sort=False).transform("min")
    repeated = first[first.index != first.to_numpy()]
    messages = pd.Series([[adapter.duplicate_error(n)] for n in repeated], index=repeated.index, dtype=object)
    rows.refuse(adapter.kind.duplicate_column, rows.frame.index.isin(repeated.index),
                messages.reindex(rows.frame.index))


def classify(kind, good, stored):
    """The rows with their stored row (if any) and import_type: new, changed or unchanged."""
    stored = stored.rename(columns={name: f"{name}_stored" for name in [*kind.written, "state"]})
    plan = good.join(stored.set_index(kind.key), on=kind.key)
    exists = plan["pk"].notna().to_numpy()
    for name, default in kind.optional.items():
        if name not in good.columns:  # the file lacks the column: a stored row keeps its own
            plan[name] = plan[f"{name}_stored"].where(exists, default)
    unchanged = exists.copy()
    for name in kind.written:
        unchanged &= same(plan[name], plan[f"{name}_stored"])
    plan["import_type"] = np.where(~exists, NEW, np.where(unchanged, SKIP, UPDATE))
    plan["version"] = plan["version"].fillna(0).astype("int64")
    plan["reopened"] = plan["reopened"].astype(object).where(exists, False).astype(bool)
    return plan


def decide(adapter, rows, plan):
    """The write policy for the rows that would be written, once per distinct group of what it reads
    (subject, organisation, year, stored state, reopened): the state each row is left in, or its refusal."""
    kind = adapter.kind
    policy = Policy(adapter.user)

    def decision(subject_id, organisation_id, year, state, reopened):
        subject_id, organisation_id = _int_or_none(subject_id), _int_or_none(organisation_id)
        after = Item(kind=kind.model, subject_id=subject_id, organisation_id=organisation_id, year=int(year))
        if not isinstance(state, str):
            return policy.decide(Write(Action.CREATE, after=after))
        before = Item(kind=kind.model, subject_id=subject_id, organisation_id=organisation_id, year=int(year),
                      state=state, reopened=bool(reopened))
        return policy.decide(Write(Action.CHANGE, before=before, after=after))

    written = plan["import_type"] != SKIP
    groups = Distinct(plan[["subject_id", "organisation_id", "year", "state_stored", "reopened"]], decision,
                      where=written)
    plan["new_state"] = groups.column(lambda d: d.state)
    refusal = groups.column(lambda d: None if d.allowed else (kind.policy_columns.get(d.field, kind.policy_column),
                                                               [d.reason]))
    refusal = refusal.dropna()
    for column in dict.fromkeys(c for c, _ in refusal):
        mine = refusal[refusal.map(lambda r: r[0] == column)]
        rows.refuse(column, rows.frame.index.isin(mine.index),
                    mine.map(lambda r: r[1]).reindex(rows.frame.index))


def _int_or_none(value):
    return None if value is None or pd.isna(value) else int(value)


def add_invalid_rows(result, rows):
    for number in rows.frame.index[rows.bad()][:settings.IMPORT_MAX_ERRORS_SHOWN]:
        result.append_invalid_row(number, rows.frame.loc[number].to_dict(), ValidationError(rows.messages(number)))
        row_result = RowResult()
        row_result.number = number
        row_result.import_type = INVALID
        result.append_row_result(row_result)


def add_samples(adapter, result, plan):
    """Row results for the first rows of each kind, for the preview page."""
    for import_type in (NEW, UPDATE, SKIP):
        for number, row in plan[plan["import_type"] == import_type].head(PREVIEW_ROWS).iterrows():
            row_result = RowResult()
            row_result.number = number
            row_result.import_type = import_type
            row_result.object_id = None if pd.isna(row["pk"]) else int(row["pk"])
            row_result.object_repr = adapter.label(row)
            row_result.preview, row_result.diff = adapter.preview(row, import_type)
            result.append_row_result(row_result)
    result.rows.sort(key=lambda row: row.number)


# --- 6. the write, with a history row each ------------------------------------------------------

def _q(name):
    return connection.ops.quote_name(name)


def write(kind, plan, *, user):
    """New and changed rows in the state the policy left them (a draft, or returned), each with a
    history row by the importer; the same statements on PostgreSQL and SQLite."""
    if plan.empty:
        return
    now = timezone.now()
    plan = plan.assign(state=plan["new_state"])
    new = plan["pk"].isna().to_numpy()
    connection.ensure_connection()
    with connection.cursor() as cursor:
        if (~new).any():
            _update(cursor, kind, plan[~new], now=now, user=user)
        if new.any():
            _insert(cursor, kind, plan[new], now=now, user=user)
    # Bulk writes send no post_save, which is what retires the cached public pages; a changed item that
    # was approved is no longer public.
    reviewed_items_written.send(sender=kind.model)


def _insert(cursor, kind, plan, *, now, user):
    """New rows and their history rows, both written straight from the plan: the ids are drawn first, so
    the history needs no join back to find them."""
    opts = kind.model._meta
    rows = _columns(opts, plan, [*kind.key, *kind.written, "state"])
    rows.insert(0, opts.pk.column, _allocate_ids(cursor, opts, len(plan)))
    # Besides the state the policy decided, a new row is as the model makes it: not submitted or approved
    # (nothing imported is public before review).
    template = kind.model(state=State.DRAFT, created_at=now, updated_at=now)
    constants = {f.column: f.get_db_prep_save(getattr(template, f.attname), connection)
                 for f in opts.concrete_fields if f.column not in rows.columns}
    history = opts.model.history.model._meta
    tracked = {f.column for f in history.concrete_fields if f.attname not in HISTORY_OWN}
    own = {f.column: value for f, value in _history_own(history, now=now, history_type="+", user=user)}
    # The history tracks every column the rows have (the version is a constant): the rows' cells are
    # formatted once for both tables.
    cells = _Cells(rows)
    _insert_rows(cursor, _q(opts.db_table), cells, constants)
    _insert_rows(cursor, _q(history.db_table), cells,
                 {**{c: value for c, value in constants.items() if c in tracked}, **own})


def _update(cursor, kind, plan, *, now, user):
    """Changed rows: staged, updated in one statement, and their history rows read back by primary key."""
    opts = kind.model._meta
    table, temp = _q(opts.db_table), _q(f"import_{opts.db_table}")
    written = [*kind.written, "state"]
    rows = _columns(opts, plan, written)
    rows.insert(0, "pk", plan["pk"].astype("int64").to_numpy())
    cursor.execute(f"DROP TABLE IF EXISTS {temp}")
    definitions = [("pk", opts.pk.rel_db_type(connection))] + [
        (opts.get_field(name).column, opts.get_field(name).db_type(connection)) for name in written]
    cursor.execute(f"CREATE TEMPORARY TABLE {temp} ({', '.join(f'{_q(c)} {t}' for c, t in definitions)})")
    _insert_rows(cursor, temp, _Cells(rows), {})
    cursor.execute(f"ANALYZE {temp}")  # the planner's row count, for the joins below
    # Besides the state the policy decided, a changed row is not submitted or approved (nothing imported
    # is public before review), and gets version + 1.
    draft = {"submitted_at": None, "approved_at": None, "approved_by_id": None, "updated_at": now}
    assignments = [f"{_q(c)} = s.{_q(c)}" for c in rows.columns[1:]]
    assignments += [f"{_q(opts.get_field(n).column)} = %s" for n in draft]
    version = _q(opts.get_field("version").column)
    assignments.append(f"{version} = {table}.{version} + 1")
    pk = _q(opts.pk.column)
    cursor.execute(
        f"UPDATE {table} SET {', '.join(assignments)} FROM {temp} AS s WHERE {table}.{pk} = s.pk",
        [opts.get_field(n).get_db_prep_save(v, connection) for n, v in draft.items()],
    )
    history = opts.model.history.model._meta
    tracked = [_q(f.column) for f in history.concrete_fields if f.attname not in HISTORY_OWN]
    own = _history_own(history, now=now, history_type="~", user=user)
    cursor.execute(
        f"INSERT INTO {_q(history.db_table)} ({', '.join([*tracked, *(_q(f.column) for f, _ in own)])}) "
        f"SELECT {', '.join(f'v.{c}' for c in tracked)}, {', '.join(_param(f) for f, _ in own)} "
        f"FROM {table} AS v JOIN {temp} AS s ON v.{pk} = s.pk",
        [value for _, value in own],
    )
    cursor.execute(f"DROP TABLE {temp}")


def _history_own(history, *, now, history_type, user):
    """simple_history's own columns of an import's history rows: (field, database value)."""
    own = {"history_date": now, "history_change_reason": CHANGE_REASON, "history_type": history_type,
           "history_user": user.pk if user else None}
    return [(history.get_field(name), history.get_field(name).get_db_prep_save(value, connection))
            for name, value in own.items()]


def _param(model_field):
    # PostgreSQL cannot infer the type of a bare parameter in a SELECT list; SQLite would give a CAST
    # to an unknown type name numeric affinity (a date becomes its year), and takes the value as it is.
    if connection.vendor == "postgresql":
        return f"CAST(%s AS {model_field.db_type(connection)})"
    return "%s"


def _columns(opts, plan, names):
    """The plan's columns `names` as a frame named by their database columns."""
    return pd.DataFrame({opts.get_field(name).column: plan[name].reset_index(drop=True) for name in names})


def _allocate_ids(cursor, opts, count):
    """Primary keys for `count` new rows, drawn before they are written so that their history rows can be
    written from the same frame: from the table's sequence on PostgreSQL; on SQLite after the highest
    key AUTOINCREMENT ever gave (a key is never reused, as history rows name it). Should another
    connection take the same keys on SQLite, the primary key refuses the insert: nothing is overwritten."""
    table, pk = opts.db_table, opts.pk.column
    if connection.vendor == "postgresql":
        cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [table, pk])
        # The sequence named once: pg_get_serial_sequence per row would cost more than the nextval. The keys
        # come back as one text, not a row each: 100 000 rows would cost more to receive than to draw.
        cursor.execute("SELECT string_agg(nextval(%s::regclass)::text, ' ') FROM generate_series(1, %s)",
                       [cursor.fetchone()[0], count])
        return np.array(cursor.fetchone()[0].split(), dtype=np.int64)
    cursor.execute(f"SELECT MAX({_q(pk)}) FROM {_q(table)}")
    highest = cursor.fetchone()[0] or 0
    cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
    given = cursor.fetchone()
    return np.arange(count, dtype=np.int64) + max(highest, given[0] if given else 0) + 1


# COPY's text format: a backslash, tab, newline or carriage return in a text is escaped; \N is NULL.
COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _insert_rows(cursor, table, cells, constants):
    """The rows of `cells` (_Cells), each with `constants` (column → database value), into `table`: one
    COPY of one buffer on PostgreSQL, one executemany elsewhere."""
    names = ", ".join(_q(c) for c in [*cells.frame.columns, *constants])
    if connection.vendor == "postgresql":
        text = cells.copy_text(constants)
        # Django's own error classes (an IntegrityError for a key another import wrote meanwhile), as its
        # cursor raises them.
        with connection.wrap_database_errors, cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
            copy.write(text)
        return
    fixed = tuple(constants.values())
    marks = ", ".join(["%s"] * (len(cells.frame.columns) + len(fixed)))
    cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", [(*row, *fixed) for row in cells.rows()])


class _Cells:
    """A frame's rows as a database takes them: Python values for executemany, or lines in COPY's text
    format (each distinct cell of a column formatted once, the lines once for every table they go to)."""

    def __init__(self, frame):
        self.frame = frame
        self._lines = None

    def rows(self):
        return zip(*(_db_values(self.frame[c]) for c in self.frame.columns))

    def copy_text(self, constants):
        if self._lines is None:
            cells = []
            for name in self.frame.columns:
                column = self.frame[name]
                if isinstance(column.dtype, np.dtype) and column.dtype.kind in "iu":  # keys and ids: never missing
                    cells.append(column.to_numpy().astype(str).astype(object))
                    continue
                codes, uniques = pd.factorize(column)
                # Code -1 (a missing cell) takes the last entry: NULL.
                cells.append(np.array([_copy_cell(u) for u in uniques] + ["\\N"], dtype=object)[codes])
            self._lines = list(map("\t".join, zip(*cells)))
        end = "".join("\t" + ("\\N" if value is None else _copy_cell(value)) for value in constants.values()) + "\n"
        # Every tab and line break inside a cell is escaped, so the lines can be joined as they are.
        return end.join(self._lines) + end


def _copy_cell(value):
    if isinstance(value, str):
        return value.translate(COPY_ESCAPES)
    if isinstance(value, float | np.floating):
        return repr(float(value))  # the shortest text that reads back as the same number
    return str(value)  # an integer, a date and time in ISO form


def _db_values(column):
    """A column as Python values for the database driver: None for a missing one."""
    return column.astype(object).where(column.notna(), None).tolist()


# --- the admin -----------------------------------------------------------------------------------

def as_frame(dataset):
    """The frame of what a format read (reporting.uploads.Table), or of a tablib Dataset (import-export's
    own formats), for run_import."""
    if isinstance(dataset, Table):
        return dataset.frame
    return frame_from_rows([dataset.headers or [], *dataset])


class PipelineAdminMixin:
    """For an import admin whose resource runs this pipeline: one admin log entry for the whole import
    instead of import-export's one per row (the result keeps only the first rows of each kind, and every
    row written has its own history row)."""

    import_noun = "poster"  # "12 nya och 3 ändrade värden"

    def generate_log_entries(self, result, request):
        if self.get_skip_admin_log():
            return
        new, changed = result.totals[NEW], result.totals[UPDATE]
        if new or changed:
            noun = self.import_noun
            LogEntry.objects.create(  # sv-only: the admin log is stored, read by every later reader
                user_id=request.user.pk,
                content_type=ContentType.objects.get_for_model(self.model),
                object_repr=f"Import: {new} nya och {changed} ändrade {noun}",
                action_flag=ADDITION if new else CHANGE,
                change_message=f"{CHANGE_REASON}: {new} nya, {changed} ändrade {noun}.",
            )
