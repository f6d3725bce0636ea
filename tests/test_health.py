"""Source health: a demo source whose listing layout changes between two crawls is flagged."""

import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from crawler.commands.demo import crawl_demo
from crawler.commands.health import all_failed, health_table

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parent.parent
DEMO_SITES = ROOT / "seeds" / "demo" / "sites"


def health(db: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "scrapy", "health", "--db", str(db)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


def redesign_riverton(sites: Path) -> None:
    """The Riverton site is redesigned: its listing's release links get another id scheme."""
    for listing in (sites / "police.riverton.test").glob("CivicAlerts.aspx@CID=2*"):
        html = listing.read_text(encoding="utf-8")
        assert 'id="alertTitle_' in html
        listing.write_text(html.replace('id="alertTitle_', 'id="newsHeadline_'), encoding="utf-8")


@pytest.fixture(scope="module")
def crawled_twice(tmp_path_factory):
    """The demo crawled once as published, then again after Riverton's redesign; (db, before)."""
    tmp = tmp_path_factory.mktemp("health")
    db, sites = tmp / "demo.db", tmp / "sites"
    shutil.copytree(DEMO_SITES, sites)
    assert crawl_demo(db, sites=sites).returncode == 0
    before = health(db)
    redesign_riverton(sites)
    assert crawl_demo(db, sites=sites).returncode == 1
    return db, before


def view(db: Path) -> dict[str, tuple]:
    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            "SELECT agency_id, health, consecutive_failures, releases_total FROM source_health"
        ).fetchall()
    return {agency: rest for agency, *rest in rows}


def test_after_a_clean_crawl_every_demo_source_is_ok(crawled_twice):
    _, before = crawled_twice
    assert before.returncode == 0, before.stdout
    rows = before.stdout.splitlines()[1:-1]
    assert len(rows) >= 4 and all(row.split()[1] == "ok" for row in rows), before.stdout
    assert "none broken, failing or failed last run" in before.stdout


def test_a_changed_layout_is_flagged_broken_in_the_view(crawled_twice):
    db, _ = crawled_twice
    health_by_source = view(db)
    assert health_by_source["riverton-oh-pd"] == ["broken: layout changed?", 1, 20]
    assert len(health_by_source) >= 4
    for source, (verdict, *_) in health_by_source.items():
        assert verdict == "ok" or source == "riverton-oh-pd", source


def test_a_changed_layout_is_flagged_in_the_health_table(crawled_twice):
    db, _ = crawled_twice
    result = health(db)
    assert result.returncode == 1
    [line] = [line for line in result.stdout.splitlines() if " riverton-oh-pd " in line]
    assert line.startswith("!") and "broken: layout changed?" in line
    assert "no release links" in line
    assert "1 source(s) need attention: riverton-oh-pd" in result.stdout


def test_a_source_with_no_new_release_for_a_month_is_stale(crawled_twice, tmp_path):
    db, _ = crawled_twice
    copy = tmp_path / "copy.db"
    with sqlite3.connect(db) as src, sqlite3.connect(copy) as dst:
        src.backup(dst)
        dst.execute(
            "UPDATE releases SET first_seen_at = datetime('now', '-45 days') "
            "WHERE agency_id = 'millbrook-tx-pd'"
        )
    assert view(copy)["millbrook-tx-pd"][0] == "stale"


def test_the_table_lines_up_and_says_when_nothing_is_wrong():
    rows = [
        {
            "agency_id": "a-pd",
            "enabled": 1,
            "health": "ok",
            "last_success": "2026-03-02T02:10:00+00:00",
            "last_new_release": None,
            "consecutive_failures": 0,
            "releases_7d": 3,
            "releases_30d": 12,
            "releases_total": 40,
            "last_error": None,
        }
    ]
    header, line, verdict = health_table(rows).splitlines()
    assert line.index("2026-03-02 02:10") == header.index("last success")
    assert verdict == "1 source(s); none broken, failing or failed last run"


def _row(agency_id: str, health: str, failures: int, runs: int = 2) -> dict:
    return {
        "agency_id": agency_id,
        "health": health,
        "enabled": 1,
        "consecutive_failures": failures,
        "runs": runs,
    }


def test_every_source_failing_its_last_run_is_flagged_and_exits_non_zero():
    rows = [
        _row("hartford-ct-pd", "failed last run", 2),
        _row("seattle-wa-pd", "failed last run", 1),
    ]
    table = health_table(rows)
    assert table.splitlines()[1].startswith("? hartford-ct-pd")
    assert "? 2 source(s) failed last run: hartford-ct-pd, seattle-wa-pd" in table
    assert "was the machine offline?" in table
    assert all_failed(rows)


def test_one_source_failing_its_last_run_is_flagged_but_not_an_alarm():
    rows = [_row("hartford-ct-pd", "failed last run", 1), _row("seattle-wa-pd", "ok", 0)]
    table = health_table(rows)
    assert "? 1 source(s) failed last run: hartford-ct-pd" in table
    assert not all_failed(rows)
    assert not all_failed([_row("new-pd", "never crawled", 0, runs=0)])


def redesign_lakeshore_releases(sites: Path) -> int:
    """Lakeshore's theme drops .entry-content: the platform's selectors fall back to <article>,
    which holds the post's header and footer. Returns how many release pages changed."""
    pages = list((sites / "www.lakeshoresheriff.test" / "2026").rglob("index.html"))
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert '<div class="entry-content">' in html
        page.write_text(html.replace('class="entry-content"', 'class="td-post-text"'), "utf-8")
    return len(pages)


@pytest.fixture(scope="module")
def redesigned_releases(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("fallback")
    db, sites = tmp / "demo.db", tmp / "sites"
    shutil.copytree(DEMO_SITES, sites)
    assert redesign_lakeshore_releases(sites) == 20
    assert crawl_demo(db, sites=sites).returncode == 0
    return db


def test_a_source_read_by_the_general_extractor_is_flagged(redesigned_releases, crawled_twice):
    db = redesigned_releases
    assert view(db)["lakeshore-mi-so"][0] == (
        "selectors no longer match; falling back to the general extractor"
    )
    result = health(db)
    assert result.returncode == 1
    [line] = [line for line in result.stdout.splitlines() if " lakeshore-mi-so " in line]
    assert line.startswith("!")
    with sqlite3.connect(db) as conn:
        methods = conn.execute(
            "SELECT DISTINCT json_extract(extraction_method, '$.body') FROM releases "
            "WHERE agency_id = 'lakeshore-mi-so'"
        ).fetchall()
        texts = [
            t
            for (t,) in conn.execute(
                "SELECT body_text FROM releases WHERE agency_id = 'lakeshore-mi-so'"
            )
        ]
        arrested = conn.execute(
            "SELECT count(*) FROM arrests WHERE agency_id = 'lakeshore-mi-so'"
        ).fetchone()
    assert methods == [("general",)]
    assert not any("Posted in" in text or "Share this" in text for text in texts)
    # the general extractor's bodies give the same arrests as the selectors did
    with sqlite3.connect(crawled_twice[0]) as conn:
        assert (
            arrested
            == conn.execute(
                "SELECT count(*) FROM arrests WHERE agency_id = 'lakeshore-mi-so'"
            ).fetchone()
        )
