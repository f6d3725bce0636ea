"""The one spider: every source of a source list, listing pages → release pages → ReleaseItem."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import replace
from datetime import UTC, date, datetime
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import scrapy
from scrapy import signals
from scrapy.http import Response
from w3lib.url import canonicalize_url

from crawler.archive import NOT_MODIFIED
from crawler.items import ReleaseItem
from crawler.platforms import selectors_for
from crawler.platforms.dispatch import read_listing, read_release
from crawler.platforms.general import preload as preload_general_extractor
from crawler.platforms.pages import ListingEntry, ListingPage, PageError, ReleasePage
from crawler.sources import (
    CrawlPlan,
    Source,
    load_sources,
    parse_shard,
    resolve_path,
    select_sources,
    shard_sources,
)
from crawler.spiders.failures import SourceFailures
from pipelines.crawl import CrawlRun
from pipelines.ledger import RunLedger

_DROP_PARAMS = ("utm_", "fbclid", "gclid", "oc_lang")


def checked_since(since: str | None) -> str | None:
    """A ``since`` cutoff as given (``YYYY-MM-DD``), or None; ValueError names a bad one."""
    if not since:
        return None
    try:
        date.fromisoformat(since)
    except ValueError:
        raise ValueError(f"since must be a date like 2024-01-31, got {since!r}") from None
    return since


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


def choose_links(
    links: list[str],
    known: set[str],
    *,
    full_pass: bool,
    not_modified: bool,
    key: Callable[[str], str] = canonical_url,
) -> tuple[list[str], bool]:
    """Which release links of a listing page to fetch, and whether to page on.

    On a full pass, every link, paging on. Otherwise only the links not yet ``known``
    (canonical URLs): on a page that answered 304 (``not_modified``) the new ones there were
    missed by an interrupted run, and paging goes on only if there are some; on a changed page
    with new links, paging goes on; a changed page with nothing new has all its links re-checked
    (that is how an edit is found), and paging stops. ``key`` gives a link's canonical URL.
    """
    if full_pass:
        return links, True
    new = [link for link in links if key(link) not in known]
    if not_modified:
        return new, bool(new)
    if new:
        return new, True
    return links, False


class ReleasesSpider(SourceFailures, scrapy.Spider):
    """Crawl each source's listing pages (with pagination) and yield one item per release page.

    Arguments: ``-a sources=FILE`` (default: the ``BLOTTER_SOURCES`` setting),
    ``-a source=ID[,ID]`` to crawl only some of them, ``-a mode=backfill`` to page through
    every listing to its end, and ``-a since=YYYY-MM-DD`` to stop paging a source once its
    listing reaches releases published before that day, and ``-a shard=i/n`` to crawl only
    the i-th of n parts of the list (a stable hash of each agency id, see
    :func:`crawler.sources.shard_of`): n crawls, on n machines, each into its own file, that
    ``scrapy merge`` joins. A relative ``sources`` path is taken from ``BLOTTER_HOME`` when that
    setting is set. Links off a source's own host are never followed.

    Incremental by default: a listing page that answers 304, or that holds only releases
    already stored, ends the paging of its source. A listing page that changed but holds no
    new release has its releases re-checked (conditionally), which is how an edit is found.
    A source whose previous run failed or was killed gets a full pass.

    A source with a ``feed_url`` starts from its feed (RSS/Atom or wp-json, recognised by
    content) and falls back to its HTML listing when the feed fails or is empty. A release page
    that only points to a PDF on the same host is followed to the PDF, and the release (keyed
    by the page's URL) is read from the PDF.
    """

    name = "releases"

    def __init__(
        self,
        sources: str | None = None,
        source: str | None = None,
        mode: str = "incremental",
        since: str | None = None,
        shard: str | None = None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        if mode not in ("incremental", "backfill"):
            raise ValueError(f"-a mode= must be 'incremental' or 'backfill', got {mode!r}")
        self.since = checked_since(since)
        if shard:
            parse_shard(shard)  # a malformed shard fails here, before anything is crawled
        self.shard = shard or None
        self.past_since: set[str] = set()  # sources whose listing reached releases before since
        self.sources_arg = sources
        self.source_arg = source
        self.mode = mode
        self.known: dict[str, set[str]] = {}
        self.full_pass: dict[str, bool] = {}
        self.sources: dict[str, Source] = {}
        self.plan: CrawlPlan | None = None
        self.run: CrawlRun | None = None

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        path = resolve_path(
            spider.sources_arg or crawler.settings.get("BLOTTER_SOURCES"),
            crawler.settings.get("BLOTTER_HOME"),
        )
        chosen = select_sources(load_sources(path), spider.source_arg, path)
        chosen = shard_sources(chosen, spider.shard)
        spider.plan = CrawlPlan.of(path, chosen, shard=spider.shard)
        spider.sources = spider.plan.enabled
        preload_general_extractor()  # before any request is in flight: see general.preload
        spider.max_pages = crawler.settings.getint("BLOTTER_MAX_LISTING_PAGES", 200)
        spider.max_links = crawler.settings.getint("BLOTTER_MAX_LINKS_PER_PAGE", 1000)
        crawler.signals.connect(spider.on_dropped, signal=signals.request_dropped)
        crawler.signals.connect(spider.on_spider_error, signal=signals.spider_error)
        crawler.signals.connect(spider.on_item_error, signal=signals.item_error)
        return spider

    @property
    def ledger(self) -> RunLedger:
        """The run's per-source accounting (kept by the crawl's :class:`CrawlRun`)."""
        assert self.run is not None, "the crawl has not started"
        return self.run.ledger

    async def start(self) -> AsyncIterator[scrapy.Request]:
        assert self.plan is not None
        for source in self.plan.skipped:
            self.logger.debug("skipping %s: %s", source.id, source.disabled_reason)
        self.run = CrawlRun.of(self.crawler)
        run_id = self.run.begin(self.plan)
        if run_id is None:  # the database cannot be used: the run is closing, with why
            return
        store = self.run.store
        for source in self.sources.values():
            self.known[source.id] = store.known_urls(source.id)
            self.full_pass[source.id] = self.mode == "backfill" or store.needs_full_pass(
                source.id, run_id
            )
        for source in self.sources.values():
            if source.feed_url and source.feed_url != source.listing_url:
                yield self._request(
                    source, source.feed_url, self.parse_listing, page=1, fallback=True
                )
            else:
                yield self._request(source, source.listing_url, self.parse_listing, page=1)

    # -- requests -----------------------------------------------------------------------------

    def _request(self, source: Source, url: str, callback, **meta) -> scrapy.Request:
        self.ledger.sent(source.id)
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
        self.ledger.settled(source.id)
        page_number = response.meta.get("page", 1)
        try:
            listing = self._read_listing(response, source)
        except PageError as exc:
            yield from self._unreadable_listing(response, source, exc)
            return
        if not listing.links and page_number == 1:
            if response.meta.get("fallback"):
                yield self._fallback(source)
                return
            self._no_links_found(response, source)
        if listing.links and listing.links == response.meta.get("previous_links"):
            return  # a guessed page number the site ignores: the same page again
        listing = self._drop_before_since(source, listing)
        keys = {link: canonical_url(link) for link in listing.links}  # once per link
        wanted, go_on = choose_links(
            listing.links,
            self.known[source.id],
            full_pass=self.full_pass[source.id],
            not_modified=NOT_MODIFIED in response.flags,
            key=keys.__getitem__,
        )
        for link in self._capped(response, source, wanted):
            yield self._request(
                source,
                link,
                self.parse_release,
                listing_url=response.url,
                entry=listing.entries.get(link),
                listed=(link, keys[link]),
            )
        if go_on and listing.next_url and source.id not in self.past_since:
            yield from self._next_page(response, source, listing, page_number)

    def _read_listing(self, response: Response, source: Source) -> ListingPage:
        """The links, entries and next page of a listing page (raises :class:`PageError`)."""
        return read_listing(
            response.body,
            response.url,
            source,
            encoding=getattr(response, "encoding", None),
            total_pages=_int_header(response, b"X-WP-TotalPages"),
        )

    def _unreadable_listing(
        self, response: Response, source: Source, exc: PageError
    ) -> Iterator[scrapy.Request]:
        """A feed that cannot be read falls back to the HTML listing; a guessed next page that
        is not a listing just ends the paging; any other listing page is an error of its source.
        """
        if response.meta.get("fallback"):
            yield self._fallback(source)
        elif not response.meta.get("optional"):
            self.ledger.error(source.id, str(exc), exc.kind)

    def _no_links_found(self, response: Response, source: Source) -> None:
        """A first listing page without a release link: the layout error health looks for."""
        self.ledger.error(
            source.id,
            f"{response.url}: no release links found with the {source.platform} selector "
            f"{selectors_for(source).link!r} (layout changed?)",
            "layout",
        )

    def _drop_before_since(self, source: Source, listing: ListingPage) -> ListingPage:
        """With ``since``, the listing without the releases published before it; a source whose
        listing reached them stops paging."""
        if not self.since:
            return listing
        old = [
            link
            for link, entry in listing.entries.items()
            if entry.published_at and entry.published_at[:10] < self.since
        ]
        if not old:
            return listing
        self.past_since.add(source.id)
        return replace(listing, links=[k for k in listing.links if k not in old])

    def _capped(self, response: Response, source: Source, wanted: list[str]) -> list[str]:
        """The first ``BLOTTER_MAX_LINKS_PER_PAGE`` of ``wanted``; more is a "limit" error."""
        if len(wanted) <= self.max_links:
            return wanted
        self.ledger.error(
            source.id,
            f"{response.url}: {len(wanted)} release links on one listing page; fetched the "
            f"first {self.max_links} (BLOTTER_MAX_LINKS_PER_PAGE)",
            "limit",
        )
        return wanted[: self.max_links]

    def _next_page(
        self, response: Response, source: Source, listing: ListingPage, page_number: int
    ) -> Iterator[scrapy.Request]:
        """The request for the next listing page, unless it is past
        ``BLOTTER_MAX_LISTING_PAGES`` (a "limit" error)."""
        if page_number + 1 > self.max_pages:
            self.ledger.error(
                source.id,
                f"{response.url}: listing goes past {self.max_pages} pages; stopped there "
                "(BLOTTER_MAX_LISTING_PAGES)",
                "limit",
            )
            return
        yield self._request(
            source,
            listing.next_url,
            self.parse_listing,
            page=page_number + 1,
            optional=listing.next_is_guess,
            previous_links=listing.links,
        )

    def _fallback(self, source: Source) -> scrapy.Request:
        """The HTML listing, for a source whose feed failed or came back empty."""
        self.logger.info(
            "%s: feed %s failed or empty; using %s", source.id, source.feed_url, source.listing_url
        )
        return self._request(source, source.listing_url, self.parse_listing, page=1)

    # -- release pages ------------------------------------------------------------------------

    def parse_release(self, response: Response) -> Iterator[ReleaseItem | scrapy.Request]:
        """Turn one release page (HTML or PDF) into a ReleaseItem (or record why it could not).

        A page that only points to its PDF yields the request for the PDF instead.
        """
        source = self.sources[response.meta["source_id"]]
        self.ledger.settled(source.id)
        fetched_at = datetime.now(UTC).replace(microsecond=0)
        try:
            page = self._read_release(response, source, fetched_at)
        except PageError as exc:
            self.ledger.error(source.id, str(exc), exc.kind)
            return
        if page.document_url and "release_url" not in response.meta:
            yield self._document_request(response, source, page)
            return
        if self.since and page.published_at and page.published_at[:10] < self.since:
            self.past_since.add(source.id)  # the listing has gone back past the cutoff
        self.ledger.page(source.id)
        yield self._release_item(response, source, page, fetched_at)

    def _read_release(
        self, response: Response, source: Source, fetched_at: datetime
    ) -> ReleasePage:
        """What a release page (or its PDF) says (raises :class:`PageError`)."""
        return read_release(
            response.body,
            response.url,
            source,
            encoding=getattr(response, "encoding", None),
            content_type=_header(response, b"Content-Type"),
            entry=response.meta.get("entry"),
            last_modified=_header(response, b"Last-Modified"),
            fetched_at=fetched_at,
        )

    def _document_request(
        self, response: Response, source: Source, page: ReleasePage
    ) -> scrapy.Request:
        """The request for the PDF a release page points to, keyed by the page's own URL."""
        return self._request(
            source,
            page.document_url,
            self.parse_release,
            listing_url=response.meta.get("listing_url"),
            release_url=response.url,
            entry=ListingEntry(
                link=page.document_url,
                title=page.title,
                published_at=page.published_at,
                published_raw=page.published_raw,
            ),
        )

    def _release_item(
        self, response: Response, source: Source, page: ReleasePage, fetched_at: datetime
    ) -> ReleaseItem:
        """The item of a read release page, keyed by the URL the listing links to, whatever
        it redirects to: that is what the next run's listing will show, and what it must
        recognise as known."""
        linked = (
            response.meta.get("release_url")
            or (response.meta.get("redirect_urls") or [response.url])[0]
        )
        # the listing already made the link's key: (the link as listed, its canonical URL)
        listed, key = response.meta.get("listed") or (None, None)
        return ReleaseItem(
            url=key if listed == linked else canonical_url(linked),
            source_id=source.id,
            agency_name=source.name,
            state=source.state,
            timezone=source.timezone,
            title=page.title,
            published_at=page.published_at,
            published_raw=page.published_raw,
            body_html=page.body_html,
            body_text="",  # the text pipeline fills it (in the extraction worker)
            fetched_at=fetched_at.isoformat(),
            listing_url=response.meta.get("listing_url"),
            page_sha256=response.meta.get("page_sha256"),
            extraction_method=page.methods or None,
        )

    def _removed_release(self, source_id: str, url: str) -> bool:
        """Whether ``url`` is a stored release of the source; if so it is recorded as removed
        (its site answered 404 or 410: taken down, not an error)."""
        key = canonical_url(url)
        if key not in self.known.get(source_id, set()):
            return False
        self.ledger.removed(source_id, key)
        return True


def _header(response: Response, name: bytes) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None


def _int_header(response: Response, name: bytes) -> int | None:
    """A header's value as a whole number, or None when absent or not one (``abc``, ``²``)."""
    value = (_header(response, name) or "").strip()
    if not (value.isascii() and value.isdigit()):
        return None
    return int(value)
