"""The one spider: every source of a source list, listing pages → release pages → ReleaseItem."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import scrapy
from scrapy.http import Response
from twisted.python.failure import Failure
from w3lib.url import canonicalize_url

from crawler.items import ReleaseItem
from crawler.ledger import RunLedger
from crawler.platforms import Selectors, first_match, selectors_for
from crawler.sources import Source, load_sources, select_sources
from pipelines.published import published_from_html
from pipelines.text import html_to_text

_DROP_PARAMS = ("utm_", "fbclid", "gclid", "oc_lang")


def canonical_url(url: str) -> str:
    """The key a release is stored under: no fragment, no tracking parameters, sorted query."""
    parts = urlsplit(url)
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not k.lower().startswith(_DROP_PARAMS)
    ]
    cleaned = urlunsplit((parts.scheme, parts.netloc.lower(), parts.path, urlencode(query), ""))
    return canonicalize_url(cleaned)


class ReleasesSpider(scrapy.Spider):
    """Crawl each source's listing pages (with pagination) and yield one item per release page.

    Arguments: ``-a sources=FILE`` (default: the ``BLOTTER_SOURCES`` setting) and
    ``-a source=ID[,ID]`` to crawl only some of them. Links off a source's own host are never
    followed.
    """

    name = "releases"

    def __init__(self, sources: str | None = None, source: str | None = None, **kwargs):
        super().__init__(**kwargs)
        self.sources_arg = sources
        self.source_arg = source
        self.sources: dict[str, Source] = {}
        self.ledger = RunLedger([])

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        path = spider.sources_arg or crawler.settings.get("BLOTTER_SOURCES")
        spider.sources_file = str(path)
        chosen = select_sources(load_sources(path), spider.source_arg, path)
        spider.skipped = [s for s in chosen if not s.enabled]
        spider.sources = {s.id: s for s in chosen if s.enabled}
        spider.all_chosen = chosen
        spider.ledger = RunLedger(list(spider.sources))
        spider.max_pages = crawler.settings.getint("BLOTTER_MAX_LISTING_PAGES", 200)
        return spider

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for source in self.skipped:
            self.logger.info("skipping %s: %s", source.id, source.disabled_reason)
        for source in self.sources.values():
            yield self._request(source, source.listing_url, self.parse_listing, page=1)

    # -- requests -----------------------------------------------------------------------------

    def _request(self, source: Source, url: str, callback, **meta) -> scrapy.Request:
        return scrapy.Request(
            url,
            callback=callback,
            errback=self.on_error,
            meta={"source_id": source.id, **meta},
        )

    def _same_site(self, source: Source, url: str) -> bool:
        return urlsplit(url).netloc.lower() == source.netloc

    # -- listing pages ------------------------------------------------------------------------

    def parse_listing(self, response: Response) -> Iterator[scrapy.Request]:
        """Follow every release link of a listing page, then its next page."""
        source = self.sources[response.meta["source_id"]]
        selectors = selectors_for(source)
        self.ledger.request(source.id)
        links = [
            response.urljoin(href)
            for href in response.css(selectors.link).xpath("@href").getall()
            if href and not href.startswith(("mailto:", "javascript:", "#"))
        ]
        if not links and response.meta.get("page", 1) == 1:
            self.ledger.error(
                source.id,
                f"{response.url}: no release links found with the {source.platform} selector "
                f"{selectors.link!r} (layout changed?)",
            )
        for link in dict.fromkeys(links):
            if self._same_site(source, link):
                yield self._request(source, link, self.parse_release, listing_url=response.url)
        yield from self._next_page(response, source, selectors)

    def _next_page(
        self, response: Response, source: Source, selectors: Selectors
    ) -> Iterator[scrapy.Request]:
        href = response.css(selectors.next).xpath("@href").get()
        if not href:
            return
        url = response.urljoin(href)
        page = response.meta.get("page", 1) + 1
        if not self._same_site(source, url):
            return
        if page > self.max_pages:
            self.ledger.error(
                source.id,
                f"{response.url}: listing goes past {self.max_pages} pages; stopped there "
                "(BLOTTER_MAX_LISTING_PAGES)",
            )
            return
        yield self._request(source, url, self.parse_listing, page=page)

    # -- release pages ------------------------------------------------------------------------

    def parse_release(self, response: Response) -> Iterator[ReleaseItem]:
        """Turn one release page into a ReleaseItem (or record why it could not)."""
        source = self.sources[response.meta["source_id"]]
        selectors = selectors_for(source)
        self.ledger.request(source.id)
        if not hasattr(response, "css"):
            self.ledger.error(source.id, f"{response.url}: not an HTML page")
            return
        body = first_match(response, selectors.body)
        if not body:
            self.ledger.error(
                source.id,
                f"{response.url}: no release body found with selector {selectors.body!r}",
            )
            return
        self.ledger.page(source.id)
        body_html = body[0].get()
        title = " ".join(
            " ".join(first_match(response, selectors.title)[:1].css("::text").getall()).split()
        )
        date_node = first_match(response, selectors.date)[:1]
        raw_date = date_node.xpath("@datetime").get() or " ".join(
            " ".join(date_node.css("::text").getall()).split()
        )
        published_at, published_raw = published_from_html(
            response.text, response.url, source.timezone, raw_hint=raw_date or None
        )
        yield ReleaseItem(
            url=canonical_url(response.url),
            source_id=source.id,
            agency_name=source.name,
            state=source.state,
            timezone=source.timezone,
            title=title or None,
            published_at=published_at,
            published_raw=published_raw,
            body_html=body_html,
            body_text=html_to_text(body_html),
            fetched_at=datetime.now(UTC).replace(microsecond=0).isoformat(),
            listing_url=response.meta.get("listing_url"),
        )

    # -- errors -------------------------------------------------------------------------------

    def on_error(self, failure: Failure) -> None:
        """Record a failed request against its source; the crawl of the others goes on."""
        request = failure.request
        source_id = request.meta.get("source_id", "?")
        self.ledger.request(source_id)
        response = getattr(failure.value, "response", None)
        if response is not None:
            reason = f"HTTP {response.status}"
        else:
            reason = f"{failure.type.__name__}: {failure.getErrorMessage()}"
        self.ledger.error(source_id, f"{request.url}: {reason}")
