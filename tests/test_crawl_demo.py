"""End to end: the demo sites served on 127.0.0.1, crawled by Scrapy over HTTP into SQLite."""

import shutil
import sqlite3
import tomllib
from pathlib import Path

import pytest

from crawler.commands.demo import crawl_demo
from crawler.reparse import reparse
from sitegen.demo_sites import build_tree, write_tree

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "corpus"
CONTENT = sorted((ROOT / "seeds/demo/content").glob("*.toml"))
pytestmark = pytest.mark.e2e


def releases_in_content() -> dict[str, int]:
    """How many releases each demo host publishes, read from the demo's own content files."""
    counts = {}
    for path in CONTENT:
        data = tomllib.loads(path.read_text())
        counts[data["site"]["host"]] = len(data["release"])
    return counts


def rows(db: Path, sql: str, *params) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql, params).fetchall()


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("demo") / "demo.db"
    result = crawl_demo(db)
    assert result.returncode == 0
    return db


def test_every_demo_release_is_stored_once(demo_db):
    expected = releases_in_content()
    assert sum(expected.values()) >= 60 and len(expected) >= 3
    by_host = dict(
        rows(
            demo_db,
            "SELECT substr(listing_url, 8, instr(substr(listing_url, 8), '/') - 1), "
            "count(r.id) FROM agencies a LEFT JOIN releases r ON r.agency_id = a.id GROUP BY a.id",
        )
    )
    assert by_host == expected
    [(run_new, errors, status)] = rows(demo_db, "SELECT new, errors, status FROM crawl_runs")
    assert (run_new, errors, status) == (sum(expected.values()), 0, "ok")
    assert rows(
        demo_db,
        "SELECT count(*) FROM releases WHERE published_at IS NULL "
        "OR title IS NULL OR body_text = ''",
    ) == [(0,)]


def test_the_hartford_release_field_by_field(demo_db):
    [row] = rows(
        demo_db,
        "SELECT r.title, r.published_at, r.body_text, r.incident_date, r.incident_time, "
        "r.location, a.name, a.timezone FROM releases r JOIN agencies a ON a.id = r.agency_id "
        "WHERE r.body_text LIKE '%Cajigas%'",
    )
    title, published, body, incident_date, incident_time, location, agency, timezone = row
    assert title == "Man Held on $2 Million Bond After Shooting at Officer"
    assert published == "2021-10-26T10:00:00-04:00"
    assert (agency, timezone) == ("Hartford Police Department", "America/New_York")
    if SHARED.exists():
        sample = (SHARED / "hartford-2021-10-26-sample.txt").read_text()
        assert body.split() == sample.split()
    assert (incident_date, incident_time, location) == ("2021-10-26", "01:30", "1921 Main St")
    people = rows(
        demo_db,
        "SELECT p.name, p.age, p.residence, b.amount, b.type FROM people p "
        "JOIN releases r ON r.id = p.release_id LEFT JOIN bonds b ON b.person_id = p.id "
        "WHERE r.body_text LIKE '%Cajigas%' AND p.role = 'arrestee'",
    )
    assert people == [("Jose Cajigas", 31, "Hartford", 2000000, "unspecified")]
    charges = rows(
        demo_db,
        "SELECT c.text, c.counts FROM charges c JOIN people p ON p.id = c.person_id "
        "WHERE p.name = 'Jose Cajigas' ORDER BY c.position",
    )
    assert [(t.lower(), n) for t, n in charges] == [
        ("criminal attempt to commit murder", 1),
        ("criminal possession of a firearm", 1),
        ("unlawful discharge of a firearm", 1),
    ]


def test_arrests_with_bond_over_100000_by_agency(demo_db):
    answer = rows(
        demo_db,
        "SELECT a.name, count(*) FROM bonds b JOIN people p ON p.id = b.person_id "
        "JOIN releases r ON r.id = b.release_id JOIN agencies a ON a.id = r.agency_id "
        "WHERE p.role = 'arrestee' AND b.amount > 100000 GROUP BY a.name ORDER BY a.name",
    )
    assert ("Hartford Police Department", 1) in answer or any(
        name == "Hartford Police Department" and n >= 1 for name, n in answer
    )


def test_extraction_problems_are_filled_by_the_demo_crawl(demo_db):
    # "Coffee With a Cop Thursday, Oct. 1" published in September: Oct. 1 of that year is no
    # Thursday, so no incident date is believed and the problem is kept for review
    problems = rows(
        demo_db,
        "SELECT r.title, e.field, e.value, e.reason, r.incident_date FROM extraction_problems e "
        "JOIN releases r ON r.id = e.release_id WHERE e.field = 'incident_date'",
    )
    coffee = [p for p in problems if "Coffee With a Cop" in p[0]]
    assert coffee and coffee[0][1:3] == ("incident_date", "Thursday, Oct. 1")
    assert "weekday" in coffee[0][3] and coffee[0][4] is None


def test_a_second_run_adds_nothing_but_its_run_row(demo_db):
    before = {
        t: rows(demo_db, f"SELECT count(*) FROM {t}")[0][0]
        for t in ("releases", "release_versions", "people", "charges", "bonds", "pages")
    }
    assert crawl_demo(demo_db).returncode == 0
    after = {t: rows(demo_db, f"SELECT count(*) FROM {t}")[0][0] for t in before}
    assert after == before
    assert rows(demo_db, "SELECT count(*) FROM crawl_runs") == [(2,)]
    [(new, updated, errors, requests, sources)] = rows(
        demo_db,
        "SELECT new, updated, errors, requests, sources FROM crawl_runs ORDER BY id DESC LIMIT 1",
    )
    assert (new, updated, errors) == (0, 0, 0)
    # an unchanged site costs one conditional request for its first listing page
    assert requests / sources <= 1.2


def build_sites(content: Path, out: Path) -> None:
    write_tree(build_tree(content), out)


def edit_release(content: Path, host: str, pick, old: str, new: str) -> str:
    """Edit one release of a demo content file; return the edited release's title."""
    path = content / f"{host}.toml"
    release = pick(tomllib.loads(path.read_text())["release"])
    text = path.read_text()
    assert text.count(old) == 1 and old in release["body"]
    path.write_text(text.replace(old, new))
    return release["title"]


@pytest.fixture
def demo_copy(tmp_path):
    """A private copy of the demo sites, built from a copy of their content, crawled once."""
    content = tmp_path / "content"
    shutil.copytree(ROOT / "seeds/demo/content", content)
    sites = tmp_path / "sites"
    build_sites(content, sites)
    db = tmp_path / "demo.db"
    assert crawl_demo(db, sites=sites).returncode == 0
    return content, sites, db


def test_an_edited_recent_release_comes_back_updated_with_its_old_text(demo_copy):
    content, sites, db = demo_copy
    newest = lambda releases: max(releases, key=lambda r: r["published"])  # noqa: E731
    first_words = newest(
        tomllib.loads((content / "police.riverton.test.toml").read_text())["release"]
    )["body"][:40]
    title = edit_release(
        content, "police.riverton.test", newest, first_words, "UPDATE: " + first_words
    )
    build_sites(content, sites)
    assert crawl_demo(db, sites=sites).returncode == 0
    [(updated, new)] = rows(db, "SELECT updated, new FROM crawl_runs ORDER BY id DESC LIMIT 1")
    assert (updated, new) == (1, 0)
    [(old, current, version_title)] = rows(
        db,
        "SELECT v.body_text, r.body_text, r.title FROM release_versions v "
        "JOIN releases r ON r.id = v.release_id",
    )
    assert version_title == title
    assert old.startswith(first_words) and current.startswith("UPDATE: " + first_words)


def test_an_edit_deep_in_the_archive_is_found_by_a_backfill(demo_copy):
    content, sites, db = demo_copy
    cajigas = lambda releases: next(r for r in releases if "Cajigas" in r["body"])  # noqa: E731
    edit_release(
        content,
        "police.hartford.test",
        cajigas,
        "remains in custody on a $2 million",
        "remains in custody on a $2.5 million",
    )
    build_sites(content, sites)
    # The listing pages did not change: an incremental run does not look that far back ...
    assert crawl_demo(db, sites=sites).returncode == 0
    assert rows(db, "SELECT count(*) FROM release_versions") == [(0,)]
    # ... a backfill re-checks every release (conditionally) and finds it.
    assert crawl_demo(db, sites=sites, extra=["--backfill"]).returncode == 0
    [(updated, new)] = rows(db, "SELECT updated, new FROM crawl_runs ORDER BY id DESC LIMIT 1")
    assert (updated, new) == (1, 0)
    [(old, current)] = rows(
        db,
        "SELECT v.body_text, r.body_text FROM release_versions v "
        "JOIN releases r ON r.id = v.release_id",
    )
    assert "custody on a $2 million" in old and "custody on a $2.5 million" in current


def test_a_broken_source_is_recorded_and_the_others_complete(tmp_path):
    sources = tmp_path / "sources.toml"
    sources.write_text(
        (ROOT / "seeds/demo.toml").read_text()
        + """
[[source]]
id = "gone-pd"
name = "Gone Police Department"
state = "OH"
timezone = "America/New_York"
platform = "civicplus"
listing_url = "http://police.gone.test/CivicAlerts.aspx?CID=2"
"""
    )
    db = tmp_path / "demo.db"
    assert crawl_demo(db, sources=sources).returncode == 1
    failed = rows(db, "SELECT agency_id, status, error FROM source_runs WHERE status = 'failed'")
    assert [(a, s) for a, s, _ in failed] == [("gone-pd", "failed")]
    assert "police.gone.test" in failed[0][2] and "404" in failed[0][2]
    assert rows(db, "SELECT count(*) FROM releases")[0][0] == sum(releases_in_content().values())


def test_a_reparse_of_the_archive_changes_nothing(demo_db):
    tables = ("releases", "people", "charges", "bonds", "extraction_problems", "release_versions")
    before = {t: rows(demo_db, f"SELECT * FROM {t} ORDER BY id") for t in tables}
    report = reparse(str(demo_db), log=lambda message: None)
    assert (report.releases, report.changed, report.errors) == (len(before["releases"]), 0, 0)
    assert {t: rows(demo_db, f"SELECT * FROM {t} ORDER BY id") for t in tables} == before


def test_a_reparse_rebuilds_derived_rows_that_were_lost(demo_db, tmp_path):
    db = tmp_path / "copy.db"
    with sqlite3.connect(demo_db) as source, sqlite3.connect(db) as target:
        source.backup(target)
    with sqlite3.connect(db) as conn:
        conn.execute("DELETE FROM bonds")
        conn.execute("UPDATE releases SET extraction_sha256 = NULL")
    report = reparse(str(db), log=lambda message: None)
    assert report.changed == rows(db, "SELECT count(*) FROM releases")[0][0]
    assert rows(db, "SELECT count(*) FROM bonds") == rows(demo_db, "SELECT count(*) FROM bonds")


def test_since_skips_releases_published_before_the_cutoff(tmp_path):
    db = tmp_path / "demo.db"
    extra = ["--source", "harborview-wa-pd", "--since", "2026-10-14"]
    assert crawl_demo(db, extra=extra).returncode == 0
    published = rows(db, "SELECT substr(published_at, 1, 10) FROM releases ORDER BY 1")
    assert published == [("2026-10-20",), ("2026-10-22",)]


def test_a_bad_since_is_refused_before_any_crawl(tmp_path):
    db = tmp_path / "demo.db"
    assert crawl_demo(db, extra=["--since", "last week"]).returncode == 2
    assert not db.exists()


def test_a_parallel_reparse_writes_exactly_what_a_sequential_one_does(demo_db, tmp_path):
    copies = {}
    for workers in (0, 2):
        db = tmp_path / f"workers-{workers}.db"
        with sqlite3.connect(demo_db) as source, sqlite3.connect(db) as target:
            source.backup(target)
        with sqlite3.connect(db) as conn:  # what an older parser and extraction had left
            conn.execute("DELETE FROM bonds WHERE release_id % 2 = 0")
            conn.execute("UPDATE releases SET extraction_sha256 = NULL WHERE id % 2 = 0")
            conn.execute("UPDATE releases SET body_text = 'Home | News ' || body_text, "
                         "title = upper(title) WHERE id % 3 = 0")  # fmt: skip
        report = reparse(str(db), log=lambda message: None, workers=workers)
        assert report.errors == 0 and report.changed > 0
        copies[workers] = db
    tables = [name for (name,) in rows(demo_db, "SELECT name FROM sqlite_master WHERE "
              "type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]  # fmt: skip
    assert {"releases", "people", "charges", "bonds", "pages", "releases_fts"} <= set(tables)
    for table in tables:
        sequential = rows(copies[0], f"SELECT * FROM {table} ORDER BY 1")
        assert rows(copies[2], f"SELECT * FROM {table} ORDER BY 1") == sequential, table
    # and both are the crawl's own rows again (extracted rows under new ids: they were replaced)
    assert rows(copies[2], "SELECT * FROM releases") == rows(demo_db, "SELECT * FROM releases")
    for table in ("people", "charges", "bonds"):
        assert without_ids(copies[2], table) == without_ids(demo_db, table), table


def without_ids(db: Path, table: str) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        cursor = conn.execute(f"SELECT * FROM {table}")
        keep = [i for i, c in enumerate(cursor.description) if c[0] not in ("id", "person_id")]
        return sorted((tuple(row[i] for i in keep) for row in cursor.fetchall()), key=repr)
