"""Platform adapters against pages written after each platform's real structure.

Every fixture under tests/fixtures/platforms/<platform>/ has an ``<name>.expected.json`` beside
it: the URL it was served at, whether it is a listing or a release, and what the adapters must
read from it. A new fixture needs only ``url`` and ``kind``: the first run writes what the
adapters read into ``expected`` and fails, so that someone reviews it before it counts.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import tomllib
from dataclasses import asdict
from datetime import datetime
from pathlib import Path

import pytest

from crawler.commands.demo import crawl_demo
from crawler.platforms.dispatch import listing_kind, read_listing, read_release
from crawler.platforms.feeds import feed_date, looks_like_feed, with_page
from crawler.platforms.pages import ListingPage, PageError, ReleasePage
from crawler.platforms.pdf import paragraphs, parse_pdf
from crawler.platforms.wpjson import parse_wp_json
from crawler.sources import load_sources, parse_sources
from pipelines.extract.html_text import html_to_text
from sitegen import demo_sites as sitegen

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "platforms"
SOURCES = {s.id: s for s in load_sources(FIXTURES / "sources.toml")}
CASES = sorted(FIXTURES.glob("*/*.expected.json"))


def fixture_file(expected_path: Path) -> Path:
    stem = expected_path.name.removesuffix(".expected.json")
    [found] = [p for p in expected_path.parent.glob(stem + ".*") if p != expected_path]
    return found


def listing_as_dict(page: ListingPage) -> dict:
    return {
        "links": page.links,
        "next_url": page.next_url,
        "next_is_guess": page.next_is_guess,
        "entries": {
            link: {
                "title": entry.title,
                "published_at": entry.published_at,
                "published_raw": entry.published_raw,
                "content_text": html_to_text(entry.content_html),
            }
            for link, entry in page.entries.items()
        },
    }


def release_as_dict(page: ReleasePage) -> dict:
    data = asdict(page)
    del data["body_html"]
    data["body_text"] = page.body_text
    return data


def read_case(expected_path: Path) -> tuple[dict, dict]:
    """(the case's expected file, what the adapters read from its fixture)."""
    case = json.loads(expected_path.read_text())
    source = SOURCES[expected_path.parent.name]
    body = fixture_file(expected_path).read_bytes()
    if case["kind"] == "listing":
        return case, listing_as_dict(read_listing(body, case["url"], source))
    entry = None
    if "entry_from" in case:
        feed = expected_path.parent / case["entry_from"]
        entry = read_listing(feed.read_bytes(), source.listing_url, source).entries[case["url"]]
    return case, release_as_dict(read_release(body, case["url"], source, entry=entry))


@pytest.mark.parametrize("expected_path", CASES, ids=lambda p: f"{p.parent.name}/{p.name[:-14]}")
def test_fixture_reads_as_expected(expected_path: Path) -> None:
    case, got = read_case(expected_path)
    if "expected" not in case:
        case["expected"] = got
        expected_path.write_text(json.dumps(case, indent=2, ensure_ascii=False) + "\n")
        pytest.fail(f"wrote {expected_path.name}: review it, then run again")
    assert got == case["expected"]


def test_every_platform_has_fixtures() -> None:
    platforms = {p.parent.name for p in CASES}
    assert {"civicplus", "wordpress", "drupal", "opencities", "govaccess"} <= platforms
    assert {"squarespace", "rss", "generic", "pdf"} <= platforms
    for platform in platforms - {"pdf"}:
        kinds = {
            json.loads(p.read_text())["kind"] for p in FIXTURES.glob(f"{platform}/*.expected.json")
        }
        assert kinds == {"listing", "release"}, platform


# --------------------------------------------------------------------------- feeds


def test_civicplus_feed_clock_time_is_local_whatever_the_offset_says() -> None:
    source = SOURCES["civicplus"]
    feed = "https://www.brookhavenfallsoh.test/RSSFeed.aspx?ModID=1&CID=Police-Department-4"
    summer = feed_date("Tue, 14 Jul 2026 16:05:00 -0500", feed, source)
    winter = feed_date("Mon, 28 Dec 2026 09:30:00 -0500", feed, source)
    assert (summer, winter) == ("2026-07-14T16:05:00-04:00", "2026-12-28T09:30:00-05:00")
    # any other feed's offset is trusted
    other = feed_date("Tue, 14 Jul 2026 16:05:00 -0500", "https://x.test/feed/", source)
    assert other == "2026-07-14T17:05:00-04:00"


def test_feeds_are_recognised_by_content_not_by_content_type() -> None:
    assert looks_like_feed((FIXTURES / "squarespace/rss.xml").read_bytes())  # comment first
    assert looks_like_feed((FIXTURES / "rss/atom.xml").read_bytes())
    assert listing_kind((FIXTURES / "wordpress/posts.json").read_bytes()) == "json"
    assert listing_kind((FIXTURES / "wordpress/listing.html").read_bytes()) == "html"


def test_wordpress_and_squarespace_feeds_guess_their_next_page() -> None:
    wordpress = read_listing(
        (FIXTURES / "wordpress/feed.xml").read_bytes(),
        "https://blotter.kettlecreek.test/feed/?paged=3",
        SOURCES["wordpress"],
    )
    assert (wordpress.next_url, wordpress.next_is_guess) == (
        "https://blotter.kettlecreek.test/feed/?paged=4",
        True,
    )
    squarespace = read_listing(
        (FIXTURES / "squarespace/rss.xml").read_bytes(),
        "https://news.quincyharborpd.test/news?format=rss",
        SOURCES["squarespace"],
    )
    # Squarespace pages by offset: the items before the last one shown (Mon, 20 Jul 2026
    # 12:05:00 +0000), in epoch milliseconds
    assert squarespace.next_url == (
        "https://news.quincyharborpd.test/news?format=rss&offset=1784549100000"
    )
    assert squarespace.next_is_guess
    again = read_listing(
        (FIXTURES / "squarespace/rss.xml").read_bytes(),
        squarespace.next_url,
        SOURCES["squarespace"],
    )
    assert again.next_url == squarespace.next_url  # the offset is replaced, not added twice
    empty = read_listing(
        b"<rss><channel></channel></rss>", "https://x.test/feed/", SOURCES["wordpress"]
    )
    assert (empty.links, empty.next_url) == ([], None)


def test_squarespace_blog_list_follows_older_posts_not_newer() -> None:
    listing = read_listing(
        (FIXTURES / "squarespace/listing.html").read_bytes(),
        "https://news.quincyharborpd.test/news?offset=1784729400000",
        SOURCES["squarespace"],
    )
    assert listing.next_url == "https://news.quincyharborpd.test/news?offset=1784641200000"
    assert not listing.next_is_guess  # the page's own link, not a computed one
    newer_only = (
        (FIXTURES / "squarespace/listing.html")
        .read_text()
        .replace(
            '<div class="older"><a href="/news?offset=1784641200000">Older Posts</a></div>', ""
        )
    )
    last_page = read_listing(
        newer_only, "https://news.quincyharborpd.test/news", SOURCES["squarespace"]
    )
    assert last_page.next_url is None and len(last_page.links) == 2


def test_with_page_keeps_the_query_in_place() -> None:
    assert (
        with_page("https://x.test/p?per_page=3", "page", 2) == "https://x.test/p?per_page=3&page=2"
    )
    assert (
        with_page("https://x.test/p?page=2&s=a%20b", "page", 3) == "https://x.test/p?page=3&s=a%20b"
    )


def test_wp_json_stops_at_the_total_pages_header() -> None:
    body = (FIXTURES / "wordpress/posts.json").read_text()
    url = "https://blotter.kettlecreek.test/wp-json/wp/v2/posts?per_page=2&page=2"
    assert parse_wp_json(body, url, SOURCES["wordpress"], total_pages=2).next_url is None
    assert parse_wp_json(body, url, SOURCES["wordpress"], total_pages=5).next_url.endswith("page=3")


def test_wp_json_error_object_is_a_page_error_naming_the_url() -> None:
    error = (
        b'{"code":"rest_post_invalid_page_number","message":"The page number requested is '
        b'larger than the number of pages available.","data":{"status":400}}'
    )
    with pytest.raises(PageError, match="rest_post_invalid_page_number") as err:
        read_listing(error, "https://x.test/wp-json/wp/v2/posts?page=9", SOURCES["wordpress"])
    assert "https://x.test/wp-json/wp/v2/posts?page=9" in str(err.value)


def test_a_page_without_body_falls_back_to_its_feed_item() -> None:
    source = SOURCES["rss"]
    feed = read_listing((FIXTURES / "rss/atom.xml").read_bytes(), source.listing_url, source)
    url = "https://www.aspenhollow.test/news/2026/03/marshals-arrest-driver-after-pursuit"
    empty = (FIXTURES / "rss/detail-empty.html").read_bytes()
    page = read_release(empty, url, source, entry=feed.entries[url])
    assert page.body_text.startswith("On March 8, 2026, at 11:48 p.m.")
    assert page.published_at == "2026-03-09T11:20:00-06:00"
    with pytest.raises(PageError, match="no release body found"):
        read_release(empty, url, source)


# --------------------------------------------------------------------------- HTML


def test_a_body_that_only_links_to_a_pdf_points_to_it() -> None:
    page = read_release(
        (FIXTURES / "civicplus/detail-pdf-pointer.html").read_bytes(),
        "https://www.brookhavenfallsoh.test/m/newsflash/home/detail/2215",
        SOURCES["civicplus"],
    )
    assert page.document_url == (
        "https://www.brookhavenfallsoh.test/DocumentCenter/View/9183/Press-Release-7-21-26-PDF"
    )
    full = read_release(
        (FIXTURES / "civicplus/detail.html").read_bytes(),
        "https://www.brookhavenfallsoh.test/CivicAlerts.aspx?AID=2208",
        SOURCES["civicplus"],
    )
    assert full.document_url is None


def test_generic_item_selector_takes_one_link_per_row() -> None:
    page = read_listing(
        (FIXTURES / "generic/listing.html").read_bytes(),
        "https://police.bayouterrace.test/press/index.htm",
        SOURCES["generic"],
    )
    assert page.links == [
        "https://police.bayouterrace.test/press/nr2026-0217.htm",
        "https://police.bayouterrace.test/press/nr2026-0212.htm",
    ]
    assert page.entries[page.links[0]].title == "Arrest Made in Carrollton Street Homicide"


# --------------------------------------------------------------------------- PDF


def test_pdf_title_and_date_come_from_the_file_first() -> None:
    data = (FIXTURES / "pdf/press-log.pdf").read_bytes()
    source = SOURCES["pdf"]
    page = parse_pdf(
        data, "https://x.test/a.pdf", source, title_hint="Link text", published_hint=None
    )
    assert page.title == "Press Log June 1 - 7, 2026"
    assert page.published_at == "2026-06-08T16:40:00-07:00"
    assert "Gregory Amsel, 52" in page.body_text


def test_pdf_without_metadata_uses_the_link_then_last_modified() -> None:
    data = sitegen.text_pdf("T", ["Officers arrested a man."], datetime(2026, 6, 8, 9, 0))
    bare = data.replace(b" /Info 4 0 R", b"")  # no document information dictionary
    source = SOURCES["pdf"]
    hinted = parse_pdf(
        bare,
        "https://x.test/a.pdf",
        source,
        title_hint="Weekly Log",
        published_hint="2026-06-08T00:00:00-07:00",
    )
    assert (hinted.title, hinted.published_at) == ("Weekly Log", "2026-06-08T00:00:00-07:00")
    dated = parse_pdf(
        bare, "https://x.test/a.pdf", source, last_modified="Mon, 08 Jun 2026 23:45:12 GMT"
    )
    assert (dated.title, dated.published_at) == (
        "Officers arrested a man.",
        "2026-06-08T16:45:12-07:00",
    )


def test_unreadable_pdf_is_a_page_error_naming_the_url() -> None:
    with pytest.raises(PageError, match="https://x.test/broken.pdf"):
        parse_pdf(b"%PDF-1.4\nnot really", "https://x.test/broken.pdf", SOURCES["pdf"])


def test_wrapped_pdf_lines_are_joined_into_paragraphs() -> None:
    text = (
        "Officers responded to the 100 block of Elm Street for a report of a\n"
        "burglary in progress and arrested a man.\n"
        "He was held on a $10,000 bond.\n"
    )
    assert paragraphs(text) == [
        "Officers responded to the 100 block of Elm Street for a report of a burglary in "
        "progress and arrested a man.",
        "He was held on a $10,000 bond.",
    ]


# --------------------------------------------------------------------------- the source list


def test_the_real_source_list_loads_and_scrapy_lists_the_spiders() -> None:
    sources = load_sources(ROOT / "seeds" / "sources.toml")
    assert len(sources) >= 25
    result = subprocess.run(
        [sys.executable, "-m", "scrapy", "list"], cwd=ROOT, capture_output=True, text=True
    )
    # releases crawls; discover (homepages) and check (verification) back their commands
    assert result.returncode == 0 and result.stdout.split() == ["check", "discover", "releases"]


def test_fixture_sources_are_valid_source_list_entries() -> None:
    data = tomllib.loads((FIXTURES / "sources.toml").read_text())
    assert {s.id for s in parse_sources(data)} == {p.parent.name for p in CASES}


# --------------------------------------------------------------------------- end to end


def _site(host: str, platform: str, timezone: str, offset: str, count: int = 5) -> dict:
    releases = [
        {
            "slug": f"release-{n}",
            "title": f"Officers arrest suspect number {n}",
            "published": f"2026-10-{n:02d}T09:30:00{offset}",
            "body": f"On October {n}, 2026, officers arrested a man.\n\nBond was set at $5,000.",
        }
        for n in range(1, count + 1)
    ]
    site = {
        "host": host,
        "platform": platform,
        "agency": "Example Police Department",
        "state": "OR",
        "timezone": timezone,
        "per_page": 2,
    }
    return {"site": site, "release": releases}


@pytest.mark.e2e
def test_feed_json_and_fallback_sources_crawl_end_to_end(tmp_path: Path) -> None:
    """wp-json, a CivicPlus RSS feed and a feed that is missing (fallback to the HTML listing),
    served on 127.0.0.1 and crawled through `scrapy ingest`."""
    sites = tmp_path / "sites"
    for data in (
        _site("wp.example.test", "wordpress", "America/Los_Angeles", "-07:00"),
        _site("cp.example.test", "civicplus", "America/Los_Angeles", "-07:00"),
        _site("fb.example.test", "wordpress", "America/Los_Angeles", "-07:00"),
    ):
        for name, content in sitegen.render_site(data).items():
            path = sites / data["site"]["host"] / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
    common = 'name = "Example Police Department"\nstate = "OR"\ntimezone = "America/Los_Angeles"\n'
    (tmp_path / "sources.toml").write_text(
        f'[[source]]\nid = "wp-json"\n{common}platform = "wordpress"\n'
        'listing_url = "http://wp.example.test/wp-json/wp/v2/posts?per_page=2"\n\n'
        f'[[source]]\nid = "civicplus-rss"\n{common}platform = "civicplus"\n'
        'listing_url = "http://cp.example.test/RSSFeed.aspx?ModID=1&CID=Police-News-2"\n\n'
        f'[[source]]\nid = "feed-fallback"\n{common}platform = "wordpress"\n'
        'listing_url = "http://fb.example.test/category/press-releases/"\n'
        'feed_url = "http://fb.example.test/no-such-feed/"\n'
    )
    db = tmp_path / "e2e.db"
    result = crawl_demo(db, sources=tmp_path / "sources.toml", sites=sites)
    assert result.returncode == 0
    with sqlite3.connect(db) as conn:
        counts = dict(conn.execute("SELECT agency_id, count(*) FROM releases GROUP BY agency_id"))
        errors = conn.execute("SELECT sum(errors) FROM crawl_runs").fetchone()[0]
        published = conn.execute(
            "SELECT published_at FROM releases WHERE agency_id = 'wp-json' ORDER BY published_at"
        ).fetchall()
    assert counts == {"wp-json": 5, "civicplus-rss": 5, "feed-fallback": 5}
    assert errors == 0
    assert published[0] == ("2026-10-01T09:30:00-07:00",)
