"""What readers of the data get: stable release uids, first and last names, dates without a
made-up midnight, a codebook beside every export, column notes from one place."""

import csv
import json
import subprocess
import sys
from pathlib import Path

from pipelines.extract.name_parts import split_name
from pipelines.store import EXPORTS, Store
from pipelines.store.codebook import column_docs, metadata_text, undocumented
from pipelines.store.export import codebook_path, export_file
from pipelines.store.identity import release_uid
from pipelines.store.views import drop_views
from tests.test_store import AGENCY, EXTRACTION, RELEASE

ROOT = Path(__file__).resolve().parent.parent
SECOND = {**RELEASE, "url": "http://police.riverton.test/CivicAlerts.aspx?AID=102", "title": "B"}


def _store(path: Path, releases: list[dict]) -> Store:
    store = Store(path)
    store.upsert_agencies([AGENCY])
    for release in releases:
        store.save_release(release, EXTRACTION)
    return store


def test_a_release_has_the_same_uid_in_two_independently_built_databases(tmp_path):
    one = _store(tmp_path / "one.db", [RELEASE, SECOND])
    two = _store(tmp_path / "two.db", [SECOND, RELEASE])  # the other order: other ids
    ids = {s: {r["url"]: (r["id"], r["uid"]) for r in s.query("SELECT * FROM releases")}
           for s in (one, two)}  # fmt: skip
    assert ids[one][RELEASE["url"]][0] != ids[two][RELEASE["url"]][0]
    for url in (RELEASE["url"], SECOND["url"]):
        assert ids[one][url][1] == ids[two][url][1] == release_uid(url)
    assert len(release_uid(RELEASE["url"])) == 16


def test_people_get_first_and_last_names_beside_the_name_as_written(tmp_path):
    store = _store(tmp_path / "b.db", [RELEASE])
    rows = store.query("SELECT name, first_name, last_name FROM people ORDER BY position")
    assert rows[0] == {"name": "Dale Ostrander", "first_name": "Dale", "last_name": "Ostrander"}
    assert rows[1] == {"name": "Sgt. Ann Lee", "first_name": "Ann", "last_name": "Lee"}
    [arrest] = store.query("SELECT first_name, last_name, release_uid FROM arrests")
    assert arrest["release_uid"] == release_uid(RELEASE["url"])


def test_split_name_examples():
    assert split_name("Gregory P. Nolan") == ("Gregory", "Nolan")
    assert split_name("Luis Ortega-Diaz") == ("Luis", "Ortega-Diaz")
    assert split_name("Mary de la Cruz") == ("Mary", "de la Cruz")
    assert split_name("John Smith Jr.") == ("John", "Smith")
    assert split_name("Cher") == ("Cher", None)
    assert split_name(None) == (None, None) == split_name("  ")


def test_migration_012_fills_uids_and_names_and_drops_the_made_up_midnight(tmp_path):
    path = tmp_path / "old.db"
    store = _store(path, [RELEASE, {**SECOND, "published_raw": "October 3, 2026 at 12:00 a.m."}])
    # make the file as blotter left it before 012_reader_columns
    drop_views(store.db)
    store.db.execute("DROP INDEX idx_releases_uid")
    for table, column in (("releases", "uid"), ("people", "first_name"), ("people", "last_name")):
        store.db.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
    store.db.execute("DELETE FROM _sqlite_migrations WHERE name = '012_reader_columns'")
    store.db.execute("PRAGMA user_version = 8")
    store.close()
    store = Store(path)
    rows = {r["url"]: r for r in store.query("SELECT url, uid, published_at FROM releases")}
    assert rows[RELEASE["url"]] == {
        "url": RELEASE["url"],
        "uid": release_uid(RELEASE["url"]),
        "published_at": "2026-10-03",  # "Posted on: October 3, 2026": a day, no time
    }
    assert rows[SECOND["url"]]["published_at"] == "2026-10-03T00:00:00-04:00"  # a real midnight
    assert store.query("SELECT DISTINCT first_name FROM people WHERE name = 'Dale Ostrander'") == [
        {"first_name": "Dale"}
    ]


def test_every_exported_column_is_described_in_columns_toml(tmp_path):
    store = _store(tmp_path / "c.db", [RELEASE])
    for table in EXPORTS:
        columns, _ = store.export_cursor(table)
        assert undocumented(table, columns) == [], f"{table}: describe in columns.toml"
        assert column_docs()[table]["description"]
    for table in ("releases", "people", "charges", "bonds", "pages", "agencies"):
        columns = [c.name for c in store.db[table].columns]
        assert undocumented(table, columns) == [], f"{table}: describe in columns.toml"


def test_an_export_writes_its_codebook_beside_it(tmp_path):
    _store(tmp_path / "d.db", [RELEASE]).close()
    out = tmp_path / "exports" / "arrests.csv"
    assert export_file(tmp_path / "d.db", "arrests", "csv", out) == 1
    assert codebook_path(out) == tmp_path / "exports" / "arrests.codebook.csv"
    book = list(csv.DictReader(codebook_path(out).open(encoding="utf-8")))
    header = out.read_text(encoding="utf-8").splitlines()[0].split(",")
    assert [row["column"] for row in book] == header
    bond = next(row for row in book if row["column"] == "bond_amount")
    assert bond["type"] == "integer" and "whole dollars" in bond["meaning"]
    assert bond["example"] == "2000000"
    charges = next(row for row in book if row["column"] == "charges")
    assert charges["type"] == "text"  # a view's computed column: read from its values
    export_file(tmp_path / "d.db", "offense_categories", "json", tmp_path / "oc.json")
    codes = {row["code"] for row in json.loads((tmp_path / "oc.json").read_text())}
    assert {"13A", "90Z"} <= codes


def test_datasette_metadata_is_generated_from_columns_toml():
    text = (ROOT / "datasette" / "metadata.yml").read_text(encoding="utf-8")
    assert text == metadata_text(), "run: python -m pipelines.store.codebook --metadata"
    notes = text.split("\n", 2)[2].split("queries:")[0]
    assert "`" not in notes  # no literal backticks in descriptions
    check = subprocess.run(
        [sys.executable, "-m", "pipelines.store.codebook", "--check"], cwd=ROOT, check=False
    )
    assert check.returncode == 0


def test_readme_table_list_names_every_documented_table():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for table in column_docs():
        assert f"`{table}`" in readme, table


def test_reading_an_empty_database_warns(tmp_path):
    Store(tmp_path / "empty.db").close()
    result = subprocess.run(
        [sys.executable, "-m", "scrapy", "export", "--db", str(tmp_path / "empty.db")]
        + ["--table", "arrests", "--format", "json", "--out", "-"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0 and json.loads(result.stdout) == []
    assert "holds no releases yet" in result.stderr
    missing = subprocess.run(
        [sys.executable, "-m", "scrapy", "reparse", "--db", str(tmp_path / "missing.db")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert missing.returncode == 2 and "no such database" in missing.stderr
    assert not (tmp_path / "missing.db").exists()


def test_the_raw_archive_exports_as_warc(tmp_path):
    from warcio.archiveiterator import ArchiveIterator

    store = _store(tmp_path / "w.db", [RELEASE])
    body = b"<html><p>Dale Ostrander, 44</p></html>"
    store.archive_page(
        url=RELEASE["url"],
        agency_id="riverton-oh-pd",
        kind="release",
        status=200,
        headers={"Content-Type": "text/html", "Content-Encoding": "gzip", "Content-Length": "9"},
        body=body,
        fetched_at="2026-10-03T12:00:00+00:00",
    )
    store.close()
    out = tmp_path / "archive.warc.gz"
    result = subprocess.run(
        [sys.executable, "-m", "scrapy", "export", "--db", str(tmp_path / "w.db")]
        + ["--table", "pages", "--format", "warc", "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    records = [(r, r.content_stream().read()) for r in ArchiveIterator(out.open("rb"))]
    [(record, content)] = records  # (a record's body is read while iterating)
    assert record.rec_headers.get_header("WARC-Target-URI") == RELEASE["url"]
    assert record.rec_headers.get_header("WARC-Date") == "2026-10-03T12:00:00Z"
    assert record.http_headers.get_header("Content-Encoding") is None  # stored decompressed
    assert record.http_headers.get_header("Content-Length") == str(len(body))
    assert content == body
