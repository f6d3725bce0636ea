"""The ceiling: a plain Scrapy spider that fetches the same pages as blotter and does nothing else.

No item pipelines, no archive, no database: it reads the same source list, follows the same
listing links (found with the same platform selectors) and the same next pages, and drops each
release page on arrival. Run with the same concurrency settings as the benchmark's ingest::

    python -m bench.bare_spider --sources SOURCES.toml --proxy http://127.0.0.1:PORT --out F.json

``--out`` receives the crawl's figures as JSON: responses, elapsed seconds (spider opened →
closed, measured like blotter's ``crawl_runs.elapsed_seconds``) and Scrapy's own stats.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import scrapy
from scrapy import signals
from scrapy.crawler import CrawlerProcess
from scrapy.http import Response

from crawler import settings as blotter_settings
from crawler.commands.demo import LOCAL_SETTINGS
from crawler.platforms.pages import parse_listing
from crawler.sources import Source, load_sources

# Everything of blotter's settings that shapes how pages are fetched; the rest is pipelines.
SHARED_SETTINGS = (
    "USER_AGENT",
    "ROBOTSTXT_OBEY",
    "CONCURRENT_REQUESTS",
    "CONCURRENT_REQUESTS_PER_DOMAIN",
    "DOWNLOAD_DELAY",
    "AUTOTHROTTLE_ENABLED",
    "DOWNLOAD_TIMEOUT",
    "DOWNLOAD_MAXSIZE",
    "DOWNLOAD_WARNSIZE",
    "RETRY_ENABLED",
    "RETRY_TIMES",
    "RETRY_HTTP_CODES",
    "REDIRECT_MAX_TIMES",
    "COOKIES_ENABLED",
    "TELNETCONSOLE_ENABLED",
)


def bare_settings(log_level: str = "WARNING") -> dict:
    """Blotter's fetch settings with the benchmark's local overrides, and nothing else."""
    values = {name: getattr(blotter_settings, name) for name in SHARED_SETTINGS}
    for assignment in LOCAL_SETTINGS:
        name, _, value = assignment.partition("=")
        values[name] = {"True": True, "False": False}.get(value, value)
    values["LOG_LEVEL"] = log_level
    values["DOWNLOADER_MIDDLEWARES"] = {"crawler.middlewares.ProxyMiddleware": 740}
    return values


class BareSpider(scrapy.Spider):
    """Listing pages → every release link and the next page; release pages are only counted."""

    name = "bare"

    def __init__(self, sources: str, **kwargs):
        super().__init__(**kwargs)
        self.sources: dict[str, Source] = {s.id: s for s in load_sources(sources) if s.enabled}
        self.releases = 0
        self.opened = self.closed = 0.0

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider._opened, signal=signals.spider_opened)
        crawler.signals.connect(spider._closed, signal=signals.spider_closed)
        return spider

    def _opened(self) -> None:
        self.opened = time.monotonic()

    def _closed(self) -> None:
        self.closed = time.monotonic()

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for source in self.sources.values():
            yield scrapy.Request(source.listing_url, self.parse, meta={"source_id": source.id})

    def parse(self, response: Response) -> Iterator[scrapy.Request]:
        source = self.sources[response.meta["source_id"]]
        listing = parse_listing(response.text, response.url, source)
        meta = {"source_id": source.id}
        for link in listing.links:
            yield scrapy.Request(link, self.parse_release, meta=meta)
        if listing.next_url:
            yield scrapy.Request(listing.next_url, self.parse, meta=meta)

    def parse_release(self, response: Response) -> None:
        self.releases += 1


def crawl(sources: Path | str, proxy: str, log_level: str = "WARNING") -> dict:
    """Run the bare crawl in this process (once: Twisted's reactor cannot restart)."""
    process = CrawlerProcess({**bare_settings(log_level), "BLOTTER_PROXY": proxy})
    crawler = process.create_crawler(BareSpider)
    process.crawl(crawler, sources=str(sources))
    process.start()
    spider = crawler.spider
    stats = crawler.stats.get_stats()
    return {
        "sources": len(spider.sources),
        "releases": spider.releases,
        "responses": stats.get("downloader/response_count", 0),
        "elapsed_seconds": round(spider.closed - spider.opened, 3),
        "stats": {k: v for k, v in stats.items() if isinstance(v, int | float)},
    }


def main(argv: list[str] | None = None) -> int:
    """``python -m bench.bare_spider``; returns 0."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sources", required=True)
    parser.add_argument("--proxy", required=True)
    parser.add_argument("--out", required=True, type=Path)
    parser.add_argument("--log-level", default="WARNING")
    args = parser.parse_args(argv)
    figures = crawl(args.sources, args.proxy, args.log_level)
    args.out.write_text(json.dumps(figures, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
