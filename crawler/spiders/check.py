"""The ``check`` spider: fetch each source's first listing page(s) and its newest release.

For each source: its feed (when it has one) and its listing page, read by the platform's
readers; then the newest release the first readable one links to. Politeness is the crawl's
(robots.txt, user agent, delays); nothing is archived or stored as a release. A source whose
platform is ``auto`` (``scrapy check-source URL``) gets the platform its listing page's markup
fingerprints as. Yields one result per source: ``{"source", "listings", "release"}`` with
:mod:`crawler.discovery.check` records.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace

import scrapy
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response, TextResponse

from crawler.discovery.check import ListingCheck, ReleaseCheck, check_listing, check_release
from crawler.discovery.homepage import fingerprint
from crawler.sources import Source
from crawler.spiders.discover import crawler_platform


class CheckSpider(scrapy.Spider):
    name = "check"
    custom_settings = {"ITEM_PIPELINES": {}}

    def __init__(self, sources: list[Source] | None = None, **kwargs):
        super().__init__(**kwargs)
        self.to_check = list(sources or [])

    async def start(self) -> AsyncIterator:
        for index, source in enumerate(self.to_check):
            first = source.feed_url or source.listing_url
            yield scrapy.Request(
                first,
                callback=self.parse_first,
                errback=self.on_error,
                dont_filter=True,
                meta={"source": source, "index": index, "dont_archive": True, "kind": "listing"},
            )

    def on_error(self, failure) -> dict:
        meta = failure.request.meta
        check = ListingCheck(url=failure.request.url, error=self._why(failure.value))
        return {
            "source": meta["source"],
            "index": meta["index"],
            "listings": [check],
            "release": None,
        }

    @staticmethod
    def _why(exc: BaseException) -> str:
        if isinstance(exc, IgnoreRequest):
            return f"refused: {exc or 'robots.txt forbids it'}"
        return f"{type(exc).__name__}: {exc}"

    async def fetch(self, url: str, kind: str) -> Response | str:
        request = scrapy.Request(url, dont_filter=True, meta={"dont_archive": True, "kind": kind})
        try:
            response = await self.crawler.engine.download_async(request)
        except Exception as exc:  # reported as the check's finding
            return self._why(exc)
        if response.status != 200:
            return f"HTTP {response.status}"
        return response

    async def _read(self, response: Response, source: Source) -> tuple[Source, ListingCheck]:
        if response.status != 200:
            return source, ListingCheck(url=response.url, error=f"HTTP {response.status}")
        if source.platform == "auto":  # the listing's markup, else its site's homepage's
            html = response.text if isinstance(response, TextResponse) else ""
            found = fingerprint(html, response.url).platform
            if found == "unknown":
                home = await self.fetch(response.urljoin("/"), "homepage")
                if isinstance(home, TextResponse):
                    found = fingerprint(home.text, home.url).platform
            source = replace(source, platform=crawler_platform(found))
        encoding = response.encoding if isinstance(response, TextResponse) else None
        total = response.headers.get(b"X-WP-TotalPages")
        pages = int(total) if total and total.isdigit() else None
        return source, check_listing(response.body, response.url, source, encoding, pages)

    async def parse_first(self, response: Response) -> AsyncIterator[dict]:
        source = response.meta["source"]
        source, first = await self._read(response, source)
        listings = [first]
        if source.feed_url and source.listing_url != source.feed_url:
            got = await self.fetch(source.listing_url, "listing")
            if isinstance(got, str):
                listings.append(ListingCheck(url=source.listing_url, error=got))
            else:
                source, second = await self._read(got, source)
                listings.append(second)
        release = None
        usable = next((c for c in listings if c.links), None)
        if usable is not None:
            newest = usable.links[0]
            got = await self.fetch(newest, "release")
            if isinstance(got, str):
                release = ReleaseCheck(url=newest, error=got)
            else:
                encoding = got.encoding if isinstance(got, TextResponse) else None
                kind = (got.headers.get(b"Content-Type") or b"").decode("latin-1")
                entry = usable.entries.get(newest)
                release = check_release(got.body, got.url, source, encoding, kind, entry)
                if release.document_url:  # the page points to the release's PDF: read that
                    pdf = await self.fetch(release.document_url, "release")
                    if isinstance(pdf, str):
                        release = ReleaseCheck(url=release.document_url, error=pdf)
                    else:
                        kind = (pdf.headers.get(b"Content-Type") or b"").decode("latin-1")
                        release = check_release(pdf.body, pdf.url, source, None, kind, entry)
                        release.strategies["document"] = f"followed the page {newest} to its PDF"
        yield {
            "source": source,
            "index": response.meta["index"],
            "listings": listings,
            "release": release,
        }
