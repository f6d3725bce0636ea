"""The helpers new migrations use to create tables and add columns."""

import pytest
from sqlite_utils import Database

from pipelines.store.migrations import add_columns, create_table


def test_create_table_writes_the_sql_a_hand_written_create_does():
    helper, by_hand = Database(memory=True), Database(memory=True)
    for db in (helper, by_hand):
        db["releases"].create({"id": int, "url": str}, pk="id")
    columns = {"id": int, "release_id": int, "note": str, "noted_at": str}
    create_table(
        helper,
        "release_notes",
        columns,
        not_null={"release_id", "note"},
        foreign_keys=[("release_id", "releases", "id")],
        indexes=[["release_id"]],
        unique=[["release_id", "noted_at"]],
    )
    by_hand["release_notes"].create(
        columns,
        pk="id",
        not_null={"release_id", "note"},
        foreign_keys=[("release_id", "releases", "id")],
    )
    by_hand["release_notes"].create_index(["release_id"])
    by_hand["release_notes"].create_index(["release_id", "noted_at"], unique=True)
    schema = "SELECT type, name, sql FROM sqlite_master ORDER BY type, name"
    assert helper.execute(schema).fetchall() == by_hand.execute(schema).fetchall()


def test_create_table_names_a_column_it_does_not_have():
    db = Database(memory=True)
    with pytest.raises(ValueError, match="table notes: body not among its columns"):
        create_table(db, "notes", {"id": int, "text": str}, not_null={"body"})
    assert "notes" not in db.table_names()


def test_add_columns_adds_what_is_missing_with_defaults_for_existing_rows():
    db = Database(memory=True)
    db["runs"].insert({"id": 1, "status": "ok"}, pk="id")
    added = add_columns(
        db, "runs", {"status": str, "shard": str, "dropped": int}, defaults={"dropped": 0}
    )
    assert added == ["shard", "dropped"]
    assert list(db["runs"].rows) == [{"id": 1, "status": "ok", "shard": None, "dropped": 0}]
    assert add_columns(db, "runs", {"shard": str}) == []  # run again: nothing to add


def test_add_columns_refuses_a_missing_table_or_a_stray_default():
    db = Database(memory=True)
    with pytest.raises(ValueError, match="table runs does not exist"):
        add_columns(db, "runs", {"shard": str})
    db["runs"].create({"id": int}, pk="id")
    with pytest.raises(ValueError, match="table runs: defaults for dropped"):
        add_columns(db, "runs", {"shard": str}, defaults={"dropped": 0})
