"""Downloader middlewares of blotter."""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from scrapy.exceptions import IgnoreRequest

from pipelines.crawl import CrawlRun


class OffSiteRedirect(IgnoreRequest):
    """A source's request that a redirect sent to another site."""


class StayOnSiteMiddleware:
    """Refuse any request of a source whose URL is off that source's site.

    The spider only follows on-site links; this catches redirects to other hosts, before even
    their robots.txt is fetched. The refusal reaches the spider's errback as ``OffSiteRedirect``
    and is recorded against the source.
    """

    def __init__(self, run: CrawlRun):
        self.run = run

    @classmethod
    def from_crawler(cls, crawler):
        return cls(CrawlRun.of(crawler))

    def process_request(self, request):
        source = self.run.source(request.meta.get("source_id"))
        if source is not None and not source.same_site(request.url):
            chain = " -> ".join([*request.meta.get("redirect_urls", []), request.url])
            raise OffSiteRedirect(f"redirected off the source's site ({chain})")
        return None


class ProxyMiddleware:
    """Send every request, robots.txt included, through ``BLOTTER_PROXY`` when it is set.

    The bundled demo uses it: its fictional ``*.test`` hosts are answered by a local server.
    """

    def __init__(self, proxy: str | None):
        self.proxy = proxy

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.settings.get("BLOTTER_PROXY"))

    def process_request(self, request):
        if self.proxy:
            request.meta.setdefault("proxy", self.proxy)
        return None


MAX_RETRY_AFTER = 300.0  # seconds: a site asking for longer is retried at this pace


def retry_after_seconds(value: bytes | str | None, now: datetime | None = None) -> float | None:
    """The wait a ``Retry-After`` header asks for, in seconds: a number or an HTTP date."""
    if not value:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class RetryAfterMiddleware:
    """Slow a site down when it answers 429 or 503 with ``Retry-After``.

    Scrapy's retries do not read the header; this raises the site's download delay to what it
    asked for (at most ``MAX_RETRY_AFTER``) before the retry is scheduled. AutoThrottle then
    brings the delay back down gradually as the site answers normally again.
    """

    def __init__(self, crawler, run: CrawlRun | None = None):
        self.crawler = crawler
        self.run = run

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler, CrawlRun.of(crawler))

    def process_response(self, request, response):
        if response.status in (429, 503):
            wait = retry_after_seconds(response.headers.get(b"Retry-After"))
            slot = self.crawler.engine.downloader.slots.get(request.meta.get("download_slot"))
            if wait and slot is not None:
                slot.delay = max(slot.delay, min(wait, MAX_RETRY_AFTER))
            if wait and self.run is not None:  # it counts against the source's time budget
                if source_id := self.run.source_for(request.url, request.meta):
                    self.run.ledger.retry_wait(source_id, min(wait, MAX_RETRY_AFTER))
        return response
