"""Reparse reads each archived page as the crawl did: with its source's own selectors."""

import subprocess
import sys
from pathlib import Path

from crawler.platforms.pages import parse_release
from crawler.reparse import reparse
from crawler.sources import Source
from pipelines.extract import EXTRACTOR_VERSION, text_and_extraction
from pipelines.store import Store

PAGE = b"""<html><body><main>
<nav><a href="/">Home</a> | <a href="/news">News</a></nav>
<h1>Burglary Arrest on Front Street</h1>
<time datetime="2026-03-02T10:00:00-05:00">March 2, 2026</time>
<div class="story"><p>Dana Kowalczyk, 34, of Glenrock, was charged with burglary.
She was held on a $2,500 bond.</p></div>
</main></body></html>"""

SOURCE = Source(
    id="glenrock-oh-pd",
    name="Glenrock Police Department",
    state="OH",
    timezone="America/New_York",
    platform="generic",
    listing_url="http://police.glenrock.test/news",
    selectors={"link": "main a", "body": "div.story"},
)
URL = "http://police.glenrock.test/news/1"
ROOT = Path(__file__).resolve().parent.parent


def crawl_one(store: Store) -> None:
    """Store one release the way the crawl does: archive, parse with selectors, extract."""
    store.upsert_agencies([SOURCE.as_row()])
    sha = store.archive_page(
        url=URL,
        agency_id=SOURCE.id,
        kind="release",
        status=200,
        headers={"Content-Type": "text/html"},
        body=PAGE,
    )
    page = parse_release(PAGE.decode(), URL, SOURCE)
    text, extraction = text_and_extraction(page.body_html, "", "2026-03-02")
    store.save_release(
        {
            "agency_id": SOURCE.id,
            "url": URL,
            "title": page.title,
            "published_at": page.published_at,
            "published_raw": page.published_raw,
            "body_html": page.body_html,
            "body_text": text,
            "page_sha256": sha,
            "extraction_method": page.methods,
        },
        {**extraction, "extractor_version": EXTRACTOR_VERSION},
    )


def test_a_source_with_its_own_selectors_reparses_to_the_same_release(tmp_path):
    store = Store(tmp_path / "r.db")
    crawl_one(store)
    [before] = store.query("SELECT body_text, title FROM releases")
    assert before["body_text"].startswith("Dana Kowalczyk") and "Home" not in before["body_text"]
    store.close()
    report = reparse(str(tmp_path / "r.db"), log=lambda message: None)
    assert (report.releases, report.changed, report.errors) == (1, 0, 0)
    store = Store(tmp_path / "r.db")
    assert store.query("SELECT body_text, title FROM releases") == [before]
    store.close()


def test_a_reparse_worker_starts_without_scrapy_or_the_store():
    # Each worker process imports what it runs; Scrapy and the store would add about half a
    # second to every worker's start, for nothing it uses.
    probe = (
        "import sys, crawler.rebuild; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('scrapy', 'twisted', "
        "'sqlite_utils') or m.startswith('pipelines.store')))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=ROOT
    ).stdout.strip()
    assert loaded == "[]"
