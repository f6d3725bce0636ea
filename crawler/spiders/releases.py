"""The one spider: every source of a source list, listing pages → release pages → ReleaseItem."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import scrapy
from scrapy.http import Response
from twisted.python.failure import Failure
from w3lib.url import canonicalize_url

from crawler.archive import NOT_MODIFIED
from crawler.items import ReleaseItem
from crawler.ledger import RunLedger
from crawler.platforms import selectors_for
from crawler.platforms.pages import PageError, parse_listing, parse_release
from crawler.sources import Source, load_sources, select_sources
from pipelines.store import Store

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

    Arguments: ``-a sources=FILE`` (default: the ``BLOTTER_SOURCES`` setting),
    ``-a source=ID[,ID]`` to crawl only some of them, and ``-a mode=backfill`` to page through
    every listing to its end. Links off a source's own host are never followed.

    Incremental by default: a listing page that answers 304, or that holds only releases
    already stored, ends the paging of its source. A listing page that changed but holds no
    new release has its releases re-checked (conditionally), which is how an edit is found.
    A source whose previous run failed or was killed gets a full pass.
    """

    name = "releases"

    def __init__(
        self,
        sources: str | None = None,
        source: str | None = None,
        mode: str = "incremental",
        **kwargs,
    ):
        super().__init__(**kwargs)
        if mode not in ("incremental", "backfill"):
            raise ValueError(f"-a mode= must be 'incremental' or 'backfill', got {mode!r}")
        self.sources_arg = sources
        self.source_arg = source
        self.mode = mode
        self.known: dict[str, set[str]] = {}
        self.full_pass: dict[str, bool] = {}
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
        run_id = self.crawler.stats.get_value("blotter/run_id")
        store = Store(self.crawler.settings.get("BLOTTER_DB"))
        try:
            for source in self.sources.values():
                self.known[source.id] = store.known_urls(source.id)
                self.full_pass[source.id] = self.mode == "backfill" or store.needs_full_pass(
                    source.id, run_id
                )
        finally:
            store.close()
        for source in self.sources.values():
            yield self._request(source, source.listing_url, self.parse_listing, page=1)

    # -- requests -----------------------------------------------------------------------------

    def _request(self, source: Source, url: str, callback, **meta) -> scrapy.Request:
        return scrapy.Request(
            url,
            callback=callback,
            errback=self.on_error,
            meta={
                "source_id": source.id,
                "kind": "listing" if callback == self.parse_listing else "release",
                **meta,
            },
        )

    # -- listing pages ------------------------------------------------------------------------

    def parse_listing(self, response: Response) -> Iterator[scrapy.Request]:
        """Request the release pages of a listing page that need fetching; maybe its next page."""
        source = self.sources[response.meta["source_id"]]
        page_number = response.meta.get("page", 1)
        listing = parse_listing(response.text, response.url, source)
        if not listing.links and page_number == 1:
            self.ledger.error(
                source.id,
                f"{response.url}: no release links found with the {source.platform} selector "
                f"{selectors_for(source).link!r} (layout changed?)",
            )
        known = self.known[source.id]
        new = [link for link in listing.links if canonical_url(link) not in known]
        if self.full_pass[source.id]:
            wanted, go_on = listing.links, True
        elif NOT_MODIFIED in response.flags:
            wanted, go_on = new, bool(new)  # new ones here were missed by an interrupted run
        elif new:
            wanted, go_on = new, True
        else:
            wanted, go_on = listing.links, False  # changed, nothing new: re-check for edits
        for link in wanted:
            yield self._request(source, link, self.parse_release, listing_url=response.url)
        if not (go_on and listing.next_url):
            return
        if page_number + 1 > self.max_pages:
            self.ledger.error(
                source.id,
                f"{response.url}: listing goes past {self.max_pages} pages; stopped there "
                "(BLOTTER_MAX_LISTING_PAGES)",
            )
            return
        yield self._request(source, listing.next_url, self.parse_listing, page=page_number + 1)

    # -- release pages ------------------------------------------------------------------------

    def parse_release(self, response: Response) -> Iterator[ReleaseItem]:
        """Turn one release page into a ReleaseItem (or record why it could not)."""
        source = self.sources[response.meta["source_id"]]
        if not hasattr(response, "text"):
            self.ledger.error(source.id, f"{response.url}: not an HTML page")
            return
        try:
            page = parse_release(response.text, response.url, source)
        except PageError as exc:
            self.ledger.error(source.id, str(exc))
            return
        self.ledger.page(source.id)
        yield ReleaseItem(
            url=canonical_url(response.url),
            source_id=source.id,
            agency_name=source.name,
            state=source.state,
            timezone=source.timezone,
            title=page.title,
            published_at=page.published_at,
            published_raw=page.published_raw,
            body_html=page.body_html,
            body_text=page.body_text,
            fetched_at=datetime.now(UTC).replace(microsecond=0).isoformat(),
            listing_url=response.meta.get("listing_url"),
            page_sha256=response.meta.get("page_sha256"),
        )

    # -- errors -------------------------------------------------------------------------------

    def on_error(self, failure: Failure) -> None:
        """Record a failed request against its source; the crawl of the others goes on."""
        request = failure.request
        source_id = request.meta.get("source_id", "?")
        response = getattr(failure.value, "response", None)
        if response is not None:
            reason = f"HTTP {response.status}"
        else:
            reason = f"{failure.type.__name__}: {failure.getErrorMessage()}"
        self.ledger.error(source_id, f"{request.url}: {reason}")
