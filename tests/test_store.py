"""The store: releases keyed by URL, versions kept, runs recorded, old files migrated in place."""

import re
import sqlite3
from pathlib import Path

import pytest
from sqlite_utils import Database

from pipelines.store import SCHEMA_VERSION, RunCounts, Store, migrations

AGENCY = {
    "id": "riverton-oh-pd",
    "name": "Riverton Police Department",
    "state": "OH",
    "timezone": "America/New_York",
    "platform": "civicplus",
    "listing_url": "http://police.riverton.test/CivicAlerts.aspx?CID=2",
    "feed_url": None,
    "enabled": 1,
    "disabled_reason": None,
}
RELEASE = {
    "agency_id": "riverton-oh-pd",
    "url": "http://police.riverton.test/CivicAlerts.aspx?AID=101",
    "title": "Man Arrested After Pursuit",
    "published_at": "2026-10-03T00:00:00-04:00",
    "published_raw": "Posted on: October 3, 2026",
    "body_html": "<p>Dale Ostrander, 44, of Riverton was charged with burglary.</p>",
    "body_text": "Dale Ostrander, 44, of Riverton was charged with burglary.",
    "fetched_at": "2026-10-03T12:00:00+00:00",
}
EXTRACTION = {
    "extractor_version": "test-1",
    "incident": {
        "date": "2026-10-02",
        "time": "01:30",
        "date_inferred": False,
        "location": "600 block of Elm Street",
    },
    "people": [
        {
            "role": "arrestee",
            "name": "Dale Ostrander",
            "age": 44,
            "residence": "Riverton",
            "juvenile": False,
            "charges": [{"text": "Burglary", "statute": None, "counts": 2, "category": "220"}],
            "bond": {"amount": 50000, "type": "cash", "text": "$50,000 cash bond"},
        },
        {
            "role": "officer",
            "name": "Sgt. Ann Lee",
            "age": None,
            "residence": None,
            "juvenile": False,
            "charges": [],
            "bond": None,
        },
    ],
    "problems": [],
}


@pytest.fixture
def store(tmp_path):
    store = Store(tmp_path / "blotter.db")
    store.upsert_agencies([AGENCY])
    yield store
    store.close()


def test_a_new_file_gets_the_whole_schema_with_wal_and_foreign_keys(store):
    assert store.schema_version == SCHEMA_VERSION >= 4
    assert store.db.journal_mode == "wal"
    assert store.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert {
        "agencies",
        "releases",
        "release_versions",
        "crawl_runs",
        "source_runs",
        "people",
        "charges",
        "bonds",
        "extraction_problems",
    } <= set(store.db.table_names())
    indexes = {tuple(i.columns) for i in store.db["releases"].indexes}
    assert {("agency_id",), ("published_at",), ("url",)} <= indexes


def test_the_same_release_twice_adds_nothing(store):
    assert store.save_release(RELEASE) == "new"
    assert store.save_release(RELEASE) == "unchanged"
    assert store.count("releases") == 1
    assert store.count("release_versions") == 0


def test_a_changed_release_keeps_its_previous_text(store):
    store.save_release(RELEASE)
    edited = {
        **RELEASE,
        "body_text": RELEASE["body_text"] + " He was released on bond.",
        "fetched_at": "2026-10-05T12:00:00+00:00",
    }
    assert store.save_release(edited) == "updated"
    [release] = store.query("SELECT * FROM releases")
    [version] = store.query("SELECT * FROM release_versions")
    assert release["body_text"].endswith("released on bond.")
    assert release["updated_at"] == "2026-10-05T12:00:00+00:00"
    assert version["body_text"] == RELEASE["body_text"]
    assert version["seen_from"] == "2026-10-03T12:00:00+00:00"
    assert version["seen_until"] == "2026-10-05T12:00:00+00:00"


def test_whitespace_changes_are_not_a_new_version(store):
    store.save_release(RELEASE)
    assert store.save_release({**RELEASE, "body_text": "  " + RELEASE["body_text"] + "\n"}) == (
        "unchanged"
    )


def test_extraction_rows_are_replaced_not_added(store):
    store.save_release(RELEASE, EXTRACTION)
    store.save_release({**RELEASE, "body_text": "edited"}, EXTRACTION)
    assert store.count("people") == 2
    assert store.count("charges") == 1
    [row] = store.query(
        "SELECT p.name, c.text, c.counts, c.category, b.amount, b.type, r.incident_date "
        "FROM people p JOIN charges c ON c.person_id = p.id JOIN bonds b ON b.person_id = p.id "
        "JOIN releases r ON r.id = p.release_id"
    )
    assert row == {
        "name": "Dale Ostrander",
        "text": "Burglary",
        "counts": 2,
        "category": "220",
        "amount": 50000,
        "type": "cash",
        "incident_date": "2026-10-02",
    }


def test_a_newer_extractor_reextracts_an_unchanged_release(store):
    store.save_release(RELEASE, EXTRACTION)
    newer = {**EXTRACTION, "extractor_version": "test-2", "people": []}
    assert store.save_release(RELEASE, newer) == "unchanged"
    assert store.count("people") == 0


def test_a_release_of_an_unknown_agency_is_refused_and_nothing_is_lost(store):
    store.save_release(RELEASE)
    with pytest.raises(sqlite3.IntegrityError):
        store.save_release({**RELEASE, "url": "http://x.test/1", "agency_id": "nope"})
    assert store.count("releases") == 1


def test_runs_are_recorded_with_one_row_per_source(store):
    run = store.start_run("seeds/demo.toml", ["riverton-oh-pd"])
    assert store.query("SELECT status FROM source_runs") == [{"status": "running"}]
    counts = RunCounts(requests=3, pages=2, new=2, errors=1)
    store.finish_run(
        run, counts, {"riverton-oh-pd": (counts, "http://x: HTTP 500", "fetch")}, 1.5, "failed"
    )
    [row] = store.query("SELECT * FROM crawl_runs")
    assert (row["new"], row["errors"], row["status"]) == (2, 1, "failed")
    [source_run] = store.query("SELECT * FROM source_runs")
    assert source_run["error"] == "http://x: HTTP 500" and source_run["status"] == "failed"
    assert source_run["error_kind"] == "fetch"


def test_an_older_file_is_upgraded_in_place_keeping_its_rows(tmp_path):
    path = tmp_path / "old.db"
    old = Database(path)
    migrations.apply(old, stop_before="002_extraction")
    old["agencies"].insert(AGENCY)
    row = {k: v for k, v in RELEASE.items() if k != "fetched_at"}
    old["releases"].insert(
        {**row, "content_sha256": "x", "first_seen_at": "t", "last_seen_at": "t"}
    )
    old.close()
    store = Store(path)
    assert store.schema_version == SCHEMA_VERSION
    assert store.count("releases") == 1
    assert "incident_date" in store.db["releases"].columns_dict
    store.close()


def test_a_killed_or_failed_run_asks_for_a_full_pass_next_time(store):
    assert store.needs_full_pass("riverton-oh-pd")  # never crawled
    ok = store.start_run("demo", ["riverton-oh-pd"])
    store.finish_run(ok, RunCounts(), {"riverton-oh-pd": (RunCounts(), None, None)}, 1.0, "ok")
    assert not store.needs_full_pass("riverton-oh-pd")
    killed = store.start_run("demo", ["riverton-oh-pd"])  # never finished
    current = store.start_run("demo", ["riverton-oh-pd"])
    assert killed < current
    assert store.needs_full_pass("riverton-oh-pd", before_run=current)
    assert not store.needs_full_pass("riverton-oh-pd", before_run=killed)


def test_identical_pages_are_archived_once_and_read_back(store):
    args = {
        "url": RELEASE["url"],
        "agency_id": "riverton-oh-pd",
        "kind": "release",
        "status": 200,
        "headers": {"ETag": '"abc"', "Content-Type": "text/html"},
    }
    body = b"<html><body><p>Released.</p></body></html>"
    sha = store.archive_page(**args, body=body, fetched_at="2026-10-03T12:00:00+00:00")
    assert store.archive_page(**args, body=body, fetched_at="2026-10-04T12:00:00+00:00") == sha
    assert store.count("blobs") == 1 and store.count("pages") == 1
    page = store.latest_page(RELEASE["url"])
    assert (page["etag"], page["fetched_at"]) == ('"abc"', "2026-10-04T12:00:00+00:00")
    assert store.blob(sha) == body
    store.archive_page(**args, body=body + b" ", fetched_at="2026-10-05T12:00:00+00:00")
    assert store.count("blobs") == 2 and store.latest_page(RELEASE["url"])["sha256"] != sha


def test_full_passes_stop_after_three_failed_runs_in_a_row(store):
    def run(status: str) -> None:
        run_id = store.start_run("demo", ["riverton-oh-pd"])
        counts = RunCounts(errors=int(status == "failed"))
        store.finish_run(run_id, counts, {"riverton-oh-pd": (counts, None, None)}, 1.0, status)

    run("ok")
    assert not store.needs_full_pass("riverton-oh-pd")
    run("failed")
    run("failed")
    assert store.needs_full_pass("riverton-oh-pd")
    run("failed")  # a page that fails every night: stop walking the whole listing for it
    assert not store.needs_full_pass("riverton-oh-pd")
    run("ok")
    assert not store.needs_full_pass("riverton-oh-pd")


def test_offense_categories_name_every_code_the_charge_rules_use(store):
    codes = {row["code"]: row for row in store.query("SELECT * FROM offense_categories")}
    assert codes["35A"]["name"] == "Drug/Narcotic Violations"
    assert codes["90D"]["nibrs_group"] == "B"
    rules = (
        Path(__file__).resolve().parent.parent / "pipelines/extract/data/charges.toml"
    ).read_text()
    assert set(re.findall(r'code = "(\w+)"', rules)) <= set(codes)
    store.save_release(RELEASE, EXTRACTION)
    [row] = store.query("SELECT category, category_name, crime_against FROM charge_counts")
    assert row == {
        "category": "220",
        "category_name": "Burglary/Breaking & Entering",
        "crime_against": "property",
    }


def test_extraction_problems_are_stored_per_person_and_replaced(store):
    doubted = {
        **EXTRACTION,
        "problems": [
            "charges without an arrestee: 'Theft'",
            "person 1 age 152 not kept: an age outside 10 to 100",
        ],
        "problem_records": [
            {
                "field": "age",
                "value": 152,
                "reason": "an age outside 10 to 100",
                "person": 0,
                "text": "person 1 age 152 not kept: an age outside 10 to 100",
            }
        ],
    }
    store.save_release(RELEASE, doubted)
    rows = store.query(
        "SELECT p.name, e.field, e.value, e.reason, e.extractor_version "
        "FROM extraction_problems e LEFT JOIN people p ON p.id = e.person_id ORDER BY e.id"
    )
    assert rows == [
        {
            "name": "Dale Ostrander",
            "field": "age",
            "value": "152",
            "reason": "an age outside 10 to 100",
            "extractor_version": "test-1",
        },
        {
            "name": None,
            "field": None,
            "value": None,
            "reason": "charges without an arrestee: 'Theft'",
            "extractor_version": "test-1",
        },
    ]
    # the text column keeps every problem as before
    [row] = store.query("SELECT extraction_problems FROM releases")
    assert "charges without an arrestee" in row["extraction_problems"]
    # a new extraction replaces them
    store.save_release({**RELEASE, "body_text": "edited"}, EXTRACTION)
    assert store.count("extraction_problems") == 0
