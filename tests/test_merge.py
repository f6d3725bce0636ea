"""Shards and the merge: the demo crawled as 2 and as 3 shards, merged, equals one crawl.

Every table and view is compared by stable keys (URLs, positions, hashes), without the integer
ids and the clock times, which differ between any two crawls.
"""

import shutil
import sqlite3
import tomllib
from pathlib import Path

import pytest

from crawler.commands.demo import crawl_demo
from crawler.sources import load_sources, parse_shard, shard_of, shard_sources
from pipelines.store import Store, StoreError
from pipelines.store.merge import merge
from sitegen.demo_sites import build_tree, write_tree
from tests.conftest import GREENFIELD

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "seeds" / "demo.toml"

# Each table and view as rows of stable keys: what must be equal between a merge and one crawl.
SNAPSHOT = {
    "agencies": "SELECT * FROM agencies",
    "releases": (
        "SELECT agency_id, url, title, published_at, published_raw, body_html, body_text, "
        "content_sha256, page_sha256, extraction_sha256, incident_date, incident_time, "
        "date_inferred, location, extraction_problems, extractor_version FROM releases"
    ),
    "release_versions": (
        "SELECT r.url, v.title, v.published_at, v.body_html, v.body_text, v.content_sha256 "
        "FROM release_versions v JOIN releases r ON r.id = v.release_id"
    ),
    "people": (
        "SELECT r.url, p.position, p.role, p.name, p.age, p.residence, p.juvenile, "
        "p.extractor_version FROM people p JOIN releases r ON r.id = p.release_id"
    ),
    "charges": (
        "SELECT r.url, p.position, c.position, c.text, c.statute, c.counts, c.canonical, "
        "c.category, c.confidence, c.extractor_version FROM charges c "
        "JOIN releases r ON r.id = c.release_id JOIN people p ON p.id = c.person_id"
    ),
    "bonds": (
        "SELECT r.url, p.position, b.amount, b.type, b.text, b.extractor_version FROM bonds b "
        "JOIN releases r ON r.id = b.release_id JOIN people p ON p.id = b.person_id"
    ),
    "pages": (
        "SELECT url, agency_id, kind, status, content_type, sha256, etag, last_modified FROM pages"
    ),
    "blobs": "SELECT sha256, size, data FROM blobs",
    "offense_categories": "SELECT * FROM offense_categories",
    "source_runs": (
        "SELECT agency_id, requests, pages, new, updated, unchanged, errors, error, error_kind, "
        "status FROM source_runs ORDER BY agency_id, run_id"
    ),
    "releases_fts": (
        "SELECT r.url, f.title, f.body_text FROM releases_fts f JOIN releases r ON r.id = f.rowid"
    ),
    "arrests": (
        "SELECT agency_id, agency, state, release_date, incident_date, incident_time, location, "
        "name, age, residence, juvenile, charges, charge_count, bond_amount, bond_type, "
        "bond_text, release_title, url FROM arrests"
    ),
    "charge_counts": "SELECT * FROM charge_counts",
    "source_health": (
        "SELECT agency_id, agency, platform, enabled, consecutive_failures, releases_7d, "
        "releases_30d, releases_total, last_error, last_error_kind, runs, health "
        "FROM source_health"
    ),
}
RUN_TOTALS = "SELECT sum(requests), sum(pages), sum(new), sum(updated), sum(errors) FROM crawl_runs"
TABLES = (
    "agencies",
    "releases",
    "release_versions",
    "people",
    "charges",
    "bonds",
    "pages",
    "blobs",
    "crawl_runs",
    "source_runs",
    "offense_categories",
    "releases_fts",
)


def snapshot(db: Path) -> dict[str, list]:
    """Every table and view of ``db`` as comparable rows (ordered where order is meaning)."""
    with sqlite3.connect(db) as conn:
        shot = {}
        for name, sql in SNAPSHOT.items():
            rows = conn.execute(sql).fetchall()
            shot[name] = rows if "ORDER BY" in sql else sorted(rows, key=repr)
        shot["run totals"] = conn.execute(RUN_TOTALS).fetchall()
    return shot


def copy_db(source: Path, to: Path) -> None:
    """A copy of a database file with what its write-ahead log holds (the backup API)."""
    with sqlite3.connect(source) as src, sqlite3.connect(to) as dst:
        src.backup(dst)
    src.close()
    dst.close()


def counts(db: Path) -> dict[str, int]:
    with sqlite3.connect(db) as conn:
        return {t: conn.execute(f"SELECT count(*) FROM [{t}]").fetchone()[0] for t in TABLES}


def crawl_shards(sites: Path, shards: int, workdir: Path) -> list[Path]:
    files = []
    for number in range(1, shards + 1):
        db = workdir / f"shard-{number}-of-{shards}.db"
        assert crawl_demo(db, sites=sites, extra=["--shard", f"{number}/{shards}"]).returncode == 0
        files.append(db)
    return files


def edit_newest_riverton_release(content: Path, sites: Path) -> None:
    path = content / "police.riverton.test.toml"
    release = max(tomllib.loads(path.read_text())["release"], key=lambda r: r["published"])
    first_words = release["body"][:40]
    text = path.read_text()
    assert text.count(first_words) == 1
    path.write_text(text.replace(first_words, "UPDATE: " + first_words))
    write_tree(build_tree(content), sites)


@pytest.fixture(scope="module")
def nights(tmp_path_factory):
    """The demo crawled on two nights (a release edited in between) three ways.

    One crawl into one file; two shards merged after each night into one file; three shards
    merged after the first night. Returns the files and snapshots taken after each night.
    """
    work = tmp_path_factory.mktemp("shards")
    content = work / "content"
    shutil.copytree(ROOT / "seeds/demo/content", content)
    sites = work / "sites"
    write_tree(build_tree(content), sites)

    single = work / "single.db"
    assert crawl_demo(single, sites=sites).returncode == 0
    two, three = work / "merged-2.db", work / "merged-3.db"
    two_shards = crawl_shards(sites, 2, work)
    merge(two_shards, two)
    three_shards = crawl_shards(sites, 3, work)
    merge(three_shards, three)
    first = {
        "single": snapshot(single),
        "two": snapshot(two),
        "three": snapshot(three),
        "two counts": counts(two),
    }
    merge(two_shards, two)  # the same shards again
    first["two counts, merged twice"] = counts(two)

    edit_newest_riverton_release(content, sites)
    assert crawl_demo(single, sites=sites).returncode == 0
    crawl_shards(sites, 2, work)  # the same shard files, a night later
    merge(two_shards, two)
    second = {"single": snapshot(single), "two": snapshot(two), "two counts": counts(two)}
    return {"first": first, "second": second, "two": two, "shards": two_shards}


def assert_same(merged: dict, single: dict) -> None:
    for name in single:
        assert merged[name] == single[name], f"{name} differs from the single crawl"


def test_shards_split_the_list_by_a_stable_hash_of_the_agency_id():
    sources = load_sources(DEMO)
    for n in (2, 3):
        parts = [shard_sources(sources, f"{i}/{n}") for i in range(1, n + 1)]
        ids = sorted(s.id for part in parts for s in part)
        assert ids == sorted(s.id for s in sources)  # every source in exactly one shard
        assert all(parts), f"an empty shard of the demo at n={n}"
    # the hash is sha256 of the id, not Python's per-process hash(): the same on every machine
    assert shard_of("hartford-ct-pd", 3) == 3 and shard_of("riverton-oh-pd", 2) == 1


@pytest.mark.parametrize("bad", ["0/2", "3/2", "1-2", "", "a/b", "1/0"])
def test_a_malformed_shard_is_refused(bad):
    with pytest.raises(ValueError, match="shard must be i/n"):
        parse_shard(bad)


@pytest.mark.e2e
def test_a_malformed_shard_stops_ingest_before_any_crawl(tmp_path):
    db = tmp_path / "x.db"
    assert crawl_demo(db, extra=["--shard", "3/2"]).returncode == 2
    assert not db.exists()


@pytest.mark.e2e
def test_two_shards_merged_equal_one_crawl(nights):
    first = nights["first"]
    assert first["single"]["releases"] and first["single"]["arrests"]
    assert_same(first["two"], first["single"])


@pytest.mark.e2e
def test_three_shards_merged_equal_one_crawl(nights):
    first = nights["first"]
    assert_same(first["three"], first["single"])


@pytest.mark.e2e
def test_merging_a_shard_twice_changes_no_count(nights):
    first = nights["first"]
    assert first["two counts, merged twice"] == first["two counts"]


@pytest.mark.e2e
def test_the_runs_are_appended_with_their_shard(nights):
    with sqlite3.connect(nights["two"]) as conn:
        shards = conn.execute("SELECT shard FROM crawl_runs ORDER BY id").fetchall()
    assert shards == [("1/2",), ("2/2",), ("1/2",), ("2/2",)]


@pytest.mark.e2e
def test_a_night_later_the_shards_merge_into_last_nights_file(nights):
    first, second = nights["first"], nights["second"]
    assert_same(second["two"], second["single"])
    # the edit: one release updated, its old text kept as a version, nothing else added
    [(url, *_)] = second["two"]["release_versions"]
    assert "riverton" in url
    grown = {t: n - first["two counts"][t] for t, n in second["two counts"].items()}
    assert grown["releases"] == 0 and grown["release_versions"] == 1
    assert grown["crawl_runs"] == 2


@pytest.mark.e2e
def test_a_missing_or_foreign_shard_is_refused_and_nothing_is_written(nights, tmp_path):
    target = tmp_path / "merged.db"
    with pytest.raises(StoreError, match="nope.db: no such shard"):
        merge([nights["shards"][0], tmp_path / "nope.db"], target)
    assert not target.exists()
    junk = tmp_path / "junk.db"
    junk.write_text("not a database")
    with pytest.raises(StoreError, match="junk.db: (is )?not a (blotter|SQLite) database"):
        merge([junk], target)
    with pytest.raises(StoreError, match="is the target itself"):
        merge([nights["two"]], nights["two"])


@pytest.mark.e2e
def test_a_merge_that_fails_half_way_keeps_the_target_as_it_was(nights, tmp_path):
    target = tmp_path / "merged.db"
    copy_db(nights["two"], target)
    broken = tmp_path / "broken.db"
    copy_db(nights["shards"][1], broken)
    with sqlite3.connect(broken) as conn:
        # every release edited (so the merge rewrites them), then one of an unknown agency last
        conn.execute(
            "UPDATE releases SET title = title || ' (edited)', content_sha256 = 'x', "
            "updated_at = '2999-01-01'"
        )
        conn.execute(
            "INSERT INTO releases (agency_id, url, content_sha256, first_seen_at, last_seen_at) "
            "VALUES ('no-such-agency', 'http://x.test/1', 'y', '2999-01-01', '2999-01-01')"
        )
    with pytest.raises(sqlite3.IntegrityError):
        merge([broken], target)
    assert snapshot(target) == snapshot(nights["two"])
    assert counts(target) == counts(nights["two"])


def shard_with(path: Path, text: str, seen: str) -> Path:
    """A database holding one Greenfield release with ``text``, fetched at ``seen``."""
    store = Store(path)
    store.upsert_agencies([GREENFIELD])
    release = {
        "agency_id": GREENFIELD["id"],
        "url": "http://police.greenfield.test/news/arrest/",
        "title": "Arrest on Main Street",
        "body_text": text,
        "body_html": f"<p>{text}</p>",
        "fetched_at": seen,
    }
    extraction = {"people": [{"role": "arrestee", "name": text.split(" was")[0], "age": 30}]}
    store.save_release(release, {**extraction, "extractor_version": "1"})
    store.close()
    return path


@pytest.mark.parametrize("order", ["older first", "newer first"])
def test_the_newer_text_wins_and_the_older_is_kept_as_a_version(tmp_path, order):
    older = shard_with(tmp_path / "a.db", "John Roe was arrested.", "2026-01-01T00:00:00+00:00")
    newer = shard_with(tmp_path / "b.db", "Jane Doe was arrested.", "2026-02-01T00:00:00+00:00")
    merge([older, newer] if order == "older first" else [newer, older], tmp_path / "m.db")
    merge([older, newer], tmp_path / "m.db")  # and again: nothing changes
    with sqlite3.connect(tmp_path / "m.db") as conn:
        [(text, first_seen, last_seen, updated)] = conn.execute(
            "SELECT body_text, first_seen_at, last_seen_at, updated_at FROM releases"
        ).fetchall()
        versions = conn.execute("SELECT body_text, seen_from, seen_until FROM release_versions")
        versions = versions.fetchall()
        people = conn.execute("SELECT name FROM people").fetchall()
    assert text == "Jane Doe was arrested."
    assert (first_seen, last_seen, updated) == (
        "2026-01-01T00:00:00+00:00",
        "2026-02-01T00:00:00+00:00",
        "2026-02-01T00:00:00+00:00",
    )
    assert versions == [
        ("John Roe was arrested.", "2026-01-01T00:00:00+00:00", "2026-02-01T00:00:00+00:00")
    ]
    assert people == [("Jane Doe",)]  # the newer text's extraction, not both
