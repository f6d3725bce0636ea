"""Verification: what blotter reads from a source's listing and newest release, with a verdict
(pure, on the demo sites' files), and `scrapy check-source` / `scrapy verify` end to end."""

import os
import sqlite3
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from crawler.discovery.check import check_listing, check_release, report_lines, verdict
from crawler.sources import load_sources

ROOT = Path(__file__).resolve().parent.parent
SITES = ROOT / "seeds" / "demo" / "sites"
STALE = ROOT / "tests" / "fixtures" / "discovery" / "stale-selectors.toml"
DEMO = {s.id: s for s in load_sources(ROOT / "seeds" / "demo.toml")}
STALE_SOURCES = {s.id: s for s in load_sources(STALE)}


def site_file(host: str, name: str) -> bytes:
    return (SITES / host / name).read_bytes()


def test_a_working_source_is_verified_and_says_how_each_part_was_read():
    source = DEMO["riverton-oh-pd"]
    listing = check_listing(
        site_file("police.riverton.test", "CivicAlerts.aspx@CID=2"), source.listing_url, source
    )
    assert len(listing.links) == 8
    assert listing.next_url == "http://police.riverton.test/CivicAlerts.aspx?CID=2&page=2"
    assert (
        listing.strategy.startswith("link selector ") and "civicplus selector" in listing.strategy
    )
    newest = listing.links[0]
    release = check_release(
        site_file("police.riverton.test", "CivicAlerts.aspx@AID=120"), newest, source
    )
    assert release.title == "Four Arrested During Holiday Retail Theft Detail"
    assert release.published_at.startswith("2026-11-24")
    assert release.words > 100 and release.first_words.startswith("Riverton officers")
    assert set(release.strategies) == {"title", "date", "body"}
    status, reason = verdict([listing], release)
    assert status == "verified" and reason.startswith("8 release links")
    lines = report_lines(source, [listing], release)
    assert lines[-1].startswith("  verdict: verified")


def test_a_listing_whose_selectors_no_longer_match_says_so():
    source = STALE_SOURCES["riverton-oh-pd"]
    listing = check_listing(
        site_file("police.riverton.test", "CivicAlerts.aspx@CID=2"), source.listing_url, source
    )
    assert listing.links == [] and listing.layout
    status, reason = verdict([listing], None)
    assert status == "broken"
    assert "selectors no longer match" in reason and "no fallback available" in reason
    assert "'ul.news-list li.news-item a.headline'" in reason


def test_a_release_whose_body_selector_no_longer_matches_says_so():
    source = STALE_SOURCES["millbrook-tx-pd"]
    url = "http://www.millbrookpd.test/news/family-violence-arrest-on-holly-street"
    path = SITES / "www.millbrookpd.test" / "news" / "family-violence-arrest-on-holly-street"
    body = (path / "index.html" if path.is_dir() else path).read_bytes()
    release = check_release(body, url, source)
    assert release.layout and "div.press-release-text" in release.error
    listing = check_listing(
        site_file("www.millbrookpd.test", "news/index.html"), source.listing_url, source
    )
    status, reason = verdict([listing], release)
    assert status == "broken" and "selectors no longer match" in reason


def test_a_feed_listing_is_read_as_feed_items():
    source = DEMO["port-alden-ma-pd"]
    listing = check_listing(
        site_file("www.portaldenpd.test", "news@format=rss"), source.listing_url, source
    )
    assert listing.kind == "feed" and listing.links
    assert listing.strategy.startswith("feed items")


def scrapy(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "scrapy", *args, "-s", "LOG_LEVEL=WARNING"],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.e2e
def test_check_source_on_a_demo_source_prints_its_verdict(tmp_path):
    result = scrapy(
        "check-source",
        "laurel-ridge-nc-pd",
        "--demo",
        "--db",
        str(tmp_path / "c.db"),
        "--discovered",
        str(tmp_path / "none.toml"),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "links:      3" in result.stdout
    assert "document from: followed the page" in result.stdout  # the News Flash item's PDF
    assert "verdict: verified" in result.stdout


@pytest.mark.e2e
def test_check_source_on_stale_selectors_says_they_no_longer_match(tmp_path):
    result = scrapy(
        "check-source",
        "riverton-oh-pd",
        "--demo",
        "--sources",
        str(STALE),
        "--db",
        str(tmp_path / "c.db"),
        "--discovered",
        str(tmp_path / "none.toml"),
    )
    assert result.returncode == 1
    assert "verdict: broken: selectors no longer match" in result.stdout
    assert "no fallback available" in result.stdout


@pytest.mark.e2e
def test_check_source_on_a_url_fingerprints_the_platform(tmp_path):
    result = scrapy(
        "check-source",
        "http://www.millbrookpd.test/news",
        "--demo",
        "--db",
        str(tmp_path / "c.db"),
        "--discovered",
        str(tmp_path / "none.toml"),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "(www.millbrookpd.test, drupal)" in result.stdout


def test_check_source_on_an_unknown_id_names_the_lists(tmp_path):
    result = scrapy("check-source", "nowhere-pd", "--discovered", str(tmp_path / "none.toml"))
    assert result.returncode == 2
    assert "unknown source 'nowhere-pd'" in result.stderr


@pytest.mark.e2e
def test_verify_marks_discovered_and_enabled_sources(tmp_path):
    discovered = tmp_path / "discovered.toml"
    db = tmp_path / "v.db"
    found = scrapy("discover", "--demo", "--db", str(db), "--out", str(discovered))
    assert found.returncode == 0, found.stderr
    result = scrapy(
        "verify",
        "--demo",
        "--db",
        str(db),
        "--discovered",
        str(discovered),
        "--sources",
        str(STALE),
    )
    assert result.returncode == 1  # the two stale sources are broken
    lines = result.stdout.splitlines()
    assert any(line.startswith("! riverton-oh-pd") and " listed " in line for line in lines)
    assert "verify: 10 source(s) checked, 8 verified, 2 broken" in result.stdout
    with discovered.open("rb") as handle:
        entries = tomllib.load(handle)["source"]
    statuses = {e["id"]: e["status"] for e in entries}
    assert statuses.pop("quarry-hill-oh-so") == "discovered"  # social only: not checked
    assert set(statuses.values()) == {"verified"}
    with sqlite3.connect(db) as conn:
        checks = conn.execute(
            "SELECT origin, status, count(*) FROM source_checks GROUP BY 1, 2 ORDER BY 1, 2"
        ).fetchall()
        verified = conn.execute("SELECT sum(verified) FROM coverage").fetchone()[0]
    assert checks == [("discovered", "verified", 8), ("listed", "broken", 2)]
    assert verified == 8


def test_a_reader_that_records_its_strategies_is_reported_as_it_says(monkeypatch):
    # readers that record ReleasePage.methods (source / platform / general / feed / pdf) are
    # reported in those words; a body only the general extractor could read is flagged
    from types import SimpleNamespace

    import crawler.discovery.check as check

    page = SimpleNamespace(
        title="Arrest Made",
        published_at="2026-11-02T00:00:00-05:00",
        published_raw="Nov 2, 2026",
        body_text=" ".join(["word"] * 40),
        document_url=None,
        methods={"title": "platform", "date": "general", "body": "general"},
    )
    monkeypatch.setattr(check, "read_release", lambda *args, **kwargs: page)
    release = check.check_release(b"<html></html>", "http://x.test/a", DEMO["riverton-oh-pd"])
    assert release.strategies["title"] == "the platform's selectors (platforms.toml)"
    assert release.strategies["body"].startswith("the general extractor")
    listing = check.ListingCheck(url="http://x.test/", kind="html", links=["http://x.test/a"])
    status, reason = verdict([listing], release)
    assert status == "verified"
    assert reason.endswith("selectors no longer match: the body was read by the general extractor")
    assert "    problem:    selectors no longer match" in "\n".join(
        report_lines(DEMO["riverton-oh-pd"], [listing], release)
    )
