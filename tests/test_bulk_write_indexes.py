"""What an import pays per row in indexes: the reviewed tables (values, status reports) and their history
keep no index that another makes redundant or that no query reads, and the reviewers' indexes hold only
the rows a reviewer is set on, so an import's unreviewed rows maintain neither."""

import pytest
from django.db import connection

from actions.models import StatusReport
from indicators.models import Value


def indexes(model):
    """{index name: (columns, partial)} as the database has them, unique keys included."""
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, model._meta.db_table)
        if connection.vendor == "postgresql":
            cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s", [model._meta.db_table])
        else:
            cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s",
                           [model._meta.db_table])
        definitions = {name: sql or "" for name, sql in cursor.fetchall()}
    return {name: (info["columns"], " WHERE " in definitions.get(name, "").upper())
            for name, info in found.items() if (info["index"] or info["unique"]) and not info["primary_key"]}


@pytest.mark.django_db
@pytest.mark.parametrize(("model", "subject"), [(Value, "series_id"), (StatusReport, "commitment_id")])
def test_it_indexes_the_subject_only_through_the_unique_key(model, subject):
    found = indexes(model)
    assert [subject] not in [columns for columns, _ in found.values()], found
    assert [columns for columns, _ in found.values() if columns[0] == subject and len(columns) == 3], found


@pytest.mark.django_db
@pytest.mark.parametrize("model", [Value, StatusReport])
def test_it_indexes_the_reviewers_only_where_one_is_set(model):
    found = indexes(model)
    for column in ("approved_by_id", "reopened_by_id"):
        assert [partial for columns, partial in found.values() if columns == [column]] == [True], found


@pytest.mark.django_db
@pytest.mark.parametrize("model", [Value, StatusReport])
def test_it_keeps_no_date_index_in_the_history(model):
    found = indexes(model.history.model)
    assert not [name for name, (columns, _) in found.items() if "history_date" in columns], found
    assert ["id"] in [columns for columns, _ in found.values()]  # an item's history is found by its id
