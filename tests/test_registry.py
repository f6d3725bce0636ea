"""The US agency registry: derived from PDAP's table, stable ids, loaded into `agencies`
beside the sources, and the coverage it gives per state."""

import csv
import gzip
import io
import sqlite3
from pathlib import Path

import pytest
from sqlite_utils import Database

from crawler.commands.coverage import coverage_markdown, coverage_table, with_total
from crawler.commands.registry import link_sources
from crawler.discovery.registry import (
    REGISTRY_FILE,
    RegistryError,
    clean_homepage,
    derive_rows,
    encode_registry,
    match_source,
    read_pdap,
    read_registry,
    registry_index,
)
from pipelines.store import Store
from pipelines.store.migrations import migrations

ROOT = Path(__file__).resolve().parent.parent
PDAP = ROOT.parent / "shared" / "registry" / "pdap-agencies.csv"

PDAP_ROWS = [  # PDAP's columns, values written for the test
    {
        "name": "Elm Bend Police Department - KS",
        "submitted_name": "Elm Bend Police Department",
        "homepage_url": "www.elmbendks.test/departments/police/",
        "jurisdiction_type": "local",
        "state_iso": "KS",
        "municipality": "Elm Bend",
        "county_fips": "20999",
        "county_name": "['Prairie']",
        "lat": "",
        "lng": "",
        "defunct_year": "",
        "airtable_uid": "recElmBend0001",
    },
    {
        "name": "Prairie County Sheriff's Office - KS",
        "submitted_name": "Prairie County Sheriff's Office",
        "homepage_url": "",
        "jurisdiction_type": "county",
        "state_iso": "KS",
        "municipality": "",
        "county_fips": "20999",
        "county_name": "['Prairie', 'Elk']",
        "lat": "",
        "lng": "",
        "defunct_year": "",
        "airtable_uid": "recPrairieSO02",
    },
]


def test_rows_derive_from_pdap_with_pdap_ids():
    rows, report = derive_rows(PDAP_ROWS)
    assert rows[0] == {
        "id": "pdap-recElmBend0001",
        "slug": "ks-elm-bend-police-department",
        "name": "Elm Bend Police Department",
        "state": "KS",
        "county": "Prairie",
        "county_fips": "20999",
        "municipality": "Elm Bend",
        "agency_type": "local",
        "homepage_url": "http://www.elmbendks.test/departments/police/",
        "defunct_year": "",
    }
    assert rows[1]["county"] == "Prairie; Elk" and rows[1]["homepage_url"] == ""
    assert (report.rows, report.with_homepage, report.homepage_fixed) == (2, 1, 1)


def test_an_id_survives_a_corrected_name_and_url():
    fixed = [
        {**PDAP_ROWS[0], "name": "Elm Bend Police Dept. - KS", "homepage_url": "https://x.test/"}
    ]
    assert derive_rows(fixed)[0][0]["id"] == derive_rows(PDAP_ROWS)[0][0]["id"]


def test_bad_pdap_rows_name_the_line():
    with pytest.raises(RegistryError, match="line 3: airtable_uid 'recElmBend0001' used twice"):
        derive_rows([PDAP_ROWS[0], PDAP_ROWS[0]], "pdap.csv")
    with pytest.raises(RegistryError, match="pdap.csv: missing column"):
        derive_rows([{"name": "x"}], "pdap.csv")
    with pytest.raises(RegistryError, match="no such file"):
        read_pdap(ROOT / "nope.csv")


@pytest.mark.parametrize(
    "raw,url,done",
    [
        ("https://www.seattle.test/police", "https://www.seattle.test/police", ""),
        (" www.x.gov ", "http://www.x.gov", "fixed"),
        ("Facebook page", "", "dropped"),
        ("", "", ""),
    ],
)
def test_homepages_are_cleaned(raw, url, done):
    assert clean_homepage(raw) == (url, done)


def test_the_registry_file_is_byte_stable():
    rows, _ = derive_rows(PDAP_ROWS)
    assert encode_registry(rows) == encode_registry(rows)
    text = gzip.decompress(encode_registry(rows)).decode()
    assert list(csv.DictReader(io.StringIO(text))) == rows


def test_the_committed_registry_holds_every_pdap_agency():
    rows = read_registry(REGISTRY_FILE)
    assert len(rows) == 23397
    assert len({r["id"] for r in rows}) == len(rows)
    assert sum(1 for r in rows if r["homepage_url"]) == 17563


def test_rebuilding_from_pdaps_export_gives_the_committed_file():
    if not PDAP.is_file():
        pytest.skip(f"{PDAP} is absent (../shared not here)")
    rows, _ = read_pdap(PDAP)
    assert encode_registry(rows) == REGISTRY_FILE.read_bytes()


def test_a_source_matches_its_registry_agency_by_name_and_state():
    rows, _ = derive_rows(PDAP_ROWS)
    index = registry_index(rows)
    assert match_source("Elm Bend Police Dept.", "KS", index) == "pdap-recElmBend0001"
    assert match_source("Elm Bend Police Department", "MO", index) is None


SOURCE = {
    "id": "elm-bend-ks-pd",
    "name": "Elm Bend Police Department",
    "state": "KS",
    "timezone": "America/Chicago",
    "platform": "wordpress",
    "listing_url": "https://www.elmbendks.test/category/police-press-releases/",
    "enabled": 1,
}


def test_registry_agencies_live_in_agencies_beside_the_sources(tmp_path):
    store = Store(tmp_path / "r.db")
    store.upsert_agencies([SOURCE])
    rows, _ = derive_rows(PDAP_ROWS)
    assert store.load_registry(rows) == {"new": 2, "updated": 0}
    assert store.load_registry(rows) == {"new": 0, "updated": 2}
    assert link_sources(store) == {"elm-bend-ks-pd": "pdap-recElmBend0001"}
    assert store.count("agencies") == 3
    # the crawl's views and reads see the sources only
    assert [r["id"] for r in store.agencies()] == ["elm-bend-ks-pd"]
    assert [r["agency_id"] for r in store.source_health()] == ["elm-bend-ks-pd"]
    # a registry load never touches a source row
    assert store.query("SELECT listing_url FROM agencies WHERE id = 'elm-bend-ks-pd'") == [
        {"listing_url": SOURCE["listing_url"]}
    ]
    [ks] = store.coverage()
    assert ks == {
        "state": "KS",
        "agencies": 2,
        "with_homepage": 1,
        "discovered": 1,
        "verified": 0,
        "enabled": 1,
        "crawled_ok": 0,
    }
    store.record_check(
        {"source_id": "elm-bend-ks-pd", "origin": "listed", "status": "verified", "reason": "ok"}
    )
    assert store.coverage()[0]["verified"] == 1
    store.close()


def test_the_registry_migration_keeps_an_older_files_sources_and_releases(tmp_path):
    path = tmp_path / "old.db"
    db = Database(path)
    migrations.apply(db, stop_before="010_registry")
    db["agencies"].insert(SOURCE)
    db["releases"].insert(
        {
            "agency_id": SOURCE["id"],
            "url": "https://www.elmbendks.test/a/",
            "title": "A",
            "content_sha256": "x",
            "first_seen_at": "2026-01-01",
            "last_seen_at": "2026-01-01",
        }
    )
    db.close()
    store = Store(path)
    assert store.count("releases") == 1 and store.count("agencies") == 1
    store.load_registry(derive_rows(PDAP_ROWS)[0])  # no timezone, platform or listing: fine
    assert store.query("PRAGMA foreign_key_check") == []
    store.close()


@pytest.mark.e2e
def test_make_registry_loads_every_agency(tmp_path):
    db = tmp_path / "reg.db"
    store = Store(db)
    store.load_registry(read_registry(REGISTRY_FILE))
    rows = with_total(store.coverage())
    store.close()
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM agencies").fetchone()[0] >= 20000
    total = rows[-1]
    assert (total["agencies"], total["with_homepage"]) == (23397, 17563)
    assert len(rows) == 53  # 50 states and DC, the 2 agencies of no state as "??", the total
    table = coverage_table(rows)
    assert table.splitlines()[0].split() == [
        "state",
        "agencies",
        "homepage",
        "discovered",
        "verified",
        "enabled",
        "crawled",
        "ok",
    ]
    assert "| total | 23397 | 17563 | 0 | 0 | 0 | 0 |" in coverage_markdown(rows, str(db))
