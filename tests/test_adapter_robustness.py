"""Listings that are odd but real, or broken, end as links or as a PageError: never a crash."""

import pytest

from crawler.platforms.dispatch import read_listing
from crawler.platforms.feeds import looks_like_feed
from crawler.platforms.pages import PageError
from crawler.platforms.published import localize
from crawler.sources import Source


def source(platform: str, listing_url: str, **selectors: str) -> Source:
    return Source(
        id="glenrock-oh-pd",
        name="Glenrock Police Department",
        state="OH",
        timezone="America/New_York",
        platform=platform,
        listing_url=listing_url,
        selectors=selectors,
    )


RSS_091 = (
    b'<?xml version="1.0" encoding="ISO-8859-1"?>\n<?xml-stylesheet href="/rss.xsl"?>\n'
    b'<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "rss-0.91.dtd">\n'
    b'<rss version="0.91"><channel><item><title>Arrest at Caf\xe9 Pe\xf1a</title>'
    b"<link>http://police.glenrock.test/news/1</link>"
    b"<pubDate>0001-01-01T00:00:00Z</pubDate></item>"
    b"<item><title>Broken link</title><link>http://[::1</link></item></channel></rss>"
)


def test_an_rss_091_feed_with_a_stylesheet_and_latin_1_is_read_as_a_feed():
    assert looks_like_feed(RSS_091)
    feed = source("rss", "http://police.glenrock.test/feed")
    page = read_listing(RSS_091, "http://police.glenrock.test/feed", feed)
    assert page.links == ["http://police.glenrock.test/news/1"]
    entry = page.entries["http://police.glenrock.test/news/1"]
    assert entry.title == "Arrest at Café Peña"
    assert entry.published_at is None  # a year-1 placeholder is no date


def test_deeply_nested_json_is_a_page_error_naming_the_url():
    wp = source("wordpress", "http://police.glenrock.test/wp-json/wp/v2/posts")
    with pytest.raises(PageError, match="wp-json/wp/v2/posts: not valid JSON"):
        read_listing(b"[" * 100_000, wp.listing_url, wp)


def test_a_malformed_link_is_skipped_and_the_others_kept():
    html = b'<main><a href="http://[::1">broken</a><a href="/news/2">Arrest</a></main>'
    generic = source("generic", "http://police.glenrock.test/news", link="main a", body="main")
    page = read_listing(html, generic.listing_url, generic)
    assert page.links == ["http://police.glenrock.test/news/2"]


def test_implausible_years_localize_to_none():
    from datetime import datetime

    assert localize(datetime(1, 1, 1), "America/New_York") is None
    assert localize(datetime(2026, 3, 2, 10), "America/New_York") == "2026-03-02T10:00:00-05:00"
