"""Publication dates: the readers of dates.toml, each on its example, and the date check."""

from __future__ import annotations

import tomllib
from datetime import UTC, datetime

import pytest
from parsel import Selector

from crawler.platforms.published import (
    DATES_FILE,
    READERS,
    date_problem,
    parse_published,
    read_date,
)

TABLE = tomllib.loads(DATES_FILE.read_text(encoding="utf-8"))
FETCHED = datetime(2026, 12, 1, 15, 0, tzinfo=UTC)
TZ = "America/New_York"


def test_every_reader_is_in_the_data_file_in_order() -> None:
    assert [r["name"] for r in TABLE["reader"]] == list(READERS)


@pytest.mark.parametrize("reader", TABLE["reader"], ids=lambda r: r["name"])
def test_each_reader_finds_its_example(reader: dict) -> None:
    if reader["name"] == "url":
        page, url = (
            Selector(text="<html><body><p>No date here.</p></body></html>"),
            reader["example"],
        )
    else:
        page, url = (
            Selector(text=f"<html><body>{reader['example']}</body></html>"),
            "http://x.test/",
        )
    found = read_date(page, url, TZ, FETCHED)
    assert found is not None
    assert (found.iso, found.method) == (reader["expected"], reader["name"])


def test_an_event_date_is_never_a_publication_date() -> None:
    event = """<html><body><h1>Commissioners Meeting</h1>
    <div class="event-details"><span>Date:</span>
      <span itemprop="startDate" content="2026-11-20T08:30">November 20, 2026</span></div>
    <script type="application/ld+json">{"@type": "Event", "startDate": "2026-11-20"}</script>
    </body></html>"""
    assert read_date(Selector(text=event), "http://x.test/meeting", TZ, FETCHED) is None
    # without any event markup a "Date:" line is read
    plain = "<html><body><p>Date: November 20, 2026</p></body></html>"
    assert read_date(Selector(text=plain), "http://x.test/r", TZ, FETCHED).method == "label"


def test_footer_and_comment_dates_are_skipped() -> None:
    html = """<html><body><h1>Arrest made</h1><p>Officers arrested a man.</p>
    <div class="comment"><span property="dc:date" content="2026-11-03T09:00:00-05:00"></span></div>
    <footer><time datetime="2026-10-01">Oct 1</time></footer></body></html>"""
    assert read_date(Selector(text=html), "http://x.test/r", TZ, FETCHED) is None


def test_a_date_after_the_fetch_or_before_1995_is_refused() -> None:
    assert date_problem("2026-12-02T00:00:00-05:00", FETCHED, TZ).startswith("after the day")
    assert date_problem("2026-12-01T23:30:00-05:00", FETCHED, TZ) is None  # same local day
    assert date_problem("1994-12-31T00:00:00-05:00", FETCHED, TZ) == "before 1995"
    html = """<html><body><time datetime="2031-01-01">2031</time>
    <meta property="article:published_time" content="2021-10-26T10:00:00-04:00"></body></html>"""
    found = read_date(Selector(text=html), "http://x.test/r", TZ, FETCHED)
    assert (found.iso, found.method) == ("2021-10-26T10:00:00-04:00", "meta")


def test_plain_dates_with_a_clock_time_and_basic_iso() -> None:
    assert parse_published("Feb 6, 2008 at 12:01 AM", TZ) == "2008-02-06T00:01:00-05:00"
    assert parse_published("July 4, 2026, 3:15 p.m.", TZ) == "2026-07-04T15:15:00-04:00"
    assert parse_published("20080206T05:01:00Z", TZ) == "2008-02-06T00:01:00-05:00"


def test_a_feed_item_date_after_the_fetch_is_not_taken() -> None:
    from crawler.platforms.dispatch import read_release
    from crawler.platforms.pages import ListingEntry
    from crawler.sources import Source

    source = Source(
        id="x-pd", name="X", state="OH", timezone=TZ, platform="rss", listing_url="http://x.test/"
    )
    url = "http://x.test/news/1"
    entry = ListingEntry(
        link=url,
        title="Arrest made",
        published_at="2027-01-01T00:00:00-05:00",  # a placeholder date a feed sent
        published_raw="Fri, 01 Jan 2027 05:00:00 +0000",
        content_html="<p>Officers arrested a man on Elm Street on Monday.</p>",
    )
    page = read_release(b"<html><body></body></html>", url, source, entry=entry, fetched_at=FETCHED)
    assert (page.published_at, page.methods) == (None, {"body": "feed", "title": "feed"})
