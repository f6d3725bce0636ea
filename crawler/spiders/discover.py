"""The ``discover`` spider: visit agencies' homepages, find where each publishes its news.

Per agency (a registry row with a ``homepage_url``), within a budget of requests
(``BLOTTER_DISCOVER_MAX_REQUESTS``, 12), under the crawl's own politeness (robots.txt, user
agent, delays, AutoThrottle, size limits):

1. the homepage: its platform fingerprint, feeds, listing links and, when it is a city's or
   county's site, its link to the police department's page, which is then fetched too;
2. the best listing candidates, fetched until one reads as a listing (release links found by
   the platform's reader);
3. the feeds named on those pages and the platform's conventional ones (CivicPlus
   ``RSSFeed.aspx?ModID=1`` via ``/rss.aspx``, WordPress ``/feed/`` and ``/wp-json/``, Drupal
   ``rss.xml``, Squarespace ``?format=rss``), each fetched to confirm it is a feed.

It yields one finding per agency: a candidate source with its evidence, or why there is none.
A homepage on a social network is not fetched: its finding is a ``social`` candidate. The
finding-making is the pure functions of :mod:`crawler.discovery.homepage`; this module only
fetches.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import scrapy
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response, TextResponse

from crawler.discovery.homepage import (
    Link,
    civicplus_feed_for,
    feed_guesses,
    find_feeds,
    find_listings,
    find_police_page,
    fingerprint,
    is_police_site,
)
from crawler.platforms.dispatch import read_listing
from crawler.platforms.feeds import looks_like_feed
from crawler.platforms.pages import PageError
from crawler.platforms.wpjson import looks_like_json
from crawler.sources import PLATFORMS, Source

MAX_LISTING_TRIES = 3


class BudgetSpent(Exception):
    """An agency's request budget is used up."""


@dataclass
class Visit:
    """What discovery has fetched and found for one agency so far."""

    agency: dict
    budget: int
    requests: int = 0
    notes: list[str] = field(default_factory=list)
    evidence: dict[str, list[str]] = field(default_factory=dict)

    def note(self, key: str, line: str) -> None:
        self.evidence.setdefault(key, []).append(line)


def crawler_platform(platform: str) -> str:
    """The source-list platform of a fingerprint (``revize``, ``wix``, ``unknown`` → generic)."""
    return platform if platform in PLATFORMS else "generic"


class DiscoverSpider(scrapy.Spider):
    name = "discover"
    custom_settings = {"ITEM_PIPELINES": {}}  # findings go to the command, not to the store

    def __init__(self, agencies: list[dict] | None = None, **kwargs):
        super().__init__(**kwargs)
        self.agencies = list(agencies or [])

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.max_requests = crawler.settings.getint("BLOTTER_DISCOVER_MAX_REQUESTS", 12)
        return spider

    async def start(self) -> AsyncIterator:
        for agency in self.agencies:
            url = agency["homepage_url"]
            social = fingerprint("", url)
            if social.platform == "social":
                yield {
                    "agency": agency,
                    "platform": "social",
                    "listing_url": url,
                    "feed_url": None,
                    "evidence": {"platform": [str(e) for e in social.evidence]},
                    "requests": 0,
                    "reason": None,
                }
                continue
            yield scrapy.Request(
                url,
                callback=self.parse_homepage,
                errback=self.on_error,
                dont_filter=True,
                meta={"agency": agency, "dont_archive": True, "kind": "homepage"},
            )

    def on_error(self, failure) -> dict:
        agency = failure.request.meta["agency"]
        reason = (
            f"homepage {failure.request.url}: {failure.getErrorMessage() or failure.type.__name__}"
        )
        if failure.check(IgnoreRequest):
            reason = f"homepage {failure.request.url}: refused ({failure.getErrorMessage()})"
        return self._none(agency, reason, 1)

    @staticmethod
    def _none(agency: dict, reason: str, requests: int, evidence: dict | None = None) -> dict:
        return {
            "agency": agency,
            "platform": None,
            "listing_url": None,
            "feed_url": None,
            "evidence": evidence or {},
            "requests": requests,
            "reason": reason,
        }

    async def fetch(self, visit: Visit, url: str, why: str) -> Response | None:
        """One more request of this agency's budget: the 200 response, or None (noted why)."""
        if visit.requests >= visit.budget:
            raise BudgetSpent(f"request budget of {visit.budget} spent")
        visit.requests += 1
        request = scrapy.Request(url, dont_filter=True, meta={"dont_archive": True, "kind": why})
        try:
            response = await self.crawler.engine.download_async(request)
        except IgnoreRequest as exc:
            visit.notes.append(f"{url}: refused ({exc or 'robots.txt'})")
            return None
        except Exception as exc:  # a fetch error of one candidate: note it, try the next
            visit.notes.append(f"{url}: {type(exc).__name__}: {exc}")
            return None
        if response.status != 200:
            visit.notes.append(f"{url}: HTTP {response.status}")
            return None
        return response

    async def parse_homepage(self, response: Response) -> AsyncIterator[dict]:
        agency = response.meta["agency"]
        visit = Visit(agency, self.max_requests, requests=1)
        try:
            yield await self._discover(visit, response)
        except BudgetSpent as exc:
            yield self._none(agency, str(exc), visit.requests, visit.evidence)

    async def _discover(self, visit: Visit, response: Response) -> dict:
        agency = visit.agency
        if not isinstance(response, TextResponse):
            return self._none(agency, f"homepage {response.url}: not an HTML page", 1)
        home_html, home_url = response.text, response.url
        home = fingerprint(home_html, home_url)
        visit.note("platform", f"homepage {home_url}: {home.platform} (score {home.score})")
        visit.evidence["platform"] += [str(e) for e in home.evidence[:4]]
        pages: list[tuple[str, str]] = []  # where listings are looked for, best first
        police_site = is_police_site(home_html, home_url)
        if not police_site and (police := find_police_page(home_html, home_url)):
            found = await self.fetch(visit, police.url, "police page")
            if isinstance(found, TextResponse):
                visit.note("police_page", f"{police.text!r} -> {found.url} on {home_url}")
                pages.append((found.url, found.text))
        pages.append((home_url, home_html))

        listings: list[Link] = []
        for page_url, page_html in pages:
            police_only = page_url == home_url and not police_site and len(pages) > 1
            for link in find_listings(page_html, page_url, police_only=police_only):
                if link.url not in {known.url for known in listings}:
                    listings.append(link)
        if not listings:
            return self._none(
                agency, "no news or press-release link found", visit.requests, visit.evidence
            )

        listing, platform, listing_html = None, home.platform, ""
        for candidate in listings[:MAX_LISTING_TRIES]:
            found = await self.fetch(visit, candidate.url, "listing")
            if not isinstance(found, TextResponse):
                continue
            page_print = fingerprint(found.text, found.url)
            page_platform = (
                page_print.platform if page_print.platform != "unknown" else home.platform
            )
            links = self._release_links(found, agency, page_platform)
            if links:
                listing, platform, listing_html = found.url, page_platform, found.text
                why = "; ".join(f"{e.what} ({e.matched!r})" for e in candidate.evidence[:3])
                visit.note(
                    "listing", f"{candidate.text!r} -> {found.url} (score {candidate.score}: {why})"
                )
                visit.note(
                    "listing", f"{found.url} read as a {platform} listing: {links} release link(s)"
                )
                if page_platform != home.platform:
                    visit.note("platform", f"listing {found.url}: {page_platform}")
                break
            visit.notes.append(f"{found.url}: no release links as a {page_platform} listing")
        if listing is None:
            return self._none(
                agency,
                "no candidate read as a listing: " + "; ".join(visit.notes[-MAX_LISTING_TRIES:]),
                visit.requests,
                visit.evidence,
            )

        feed = await self._feed(visit, platform, home_url, listing, pages, listing_html)
        return {
            "agency": agency,
            "platform": crawler_platform(platform),
            "fingerprint": platform,
            "listing_url": listing,
            "feed_url": feed,
            "evidence": visit.evidence,
            "requests": visit.requests,
            "reason": None,
        }

    @staticmethod
    def _release_links(response: TextResponse, agency: dict, platform: str) -> int:
        source = Source(
            id="candidate",
            name=agency["name"],
            state=agency.get("state") or "",
            timezone="UTC",
            platform=crawler_platform(platform),
            listing_url=response.url,
        )
        try:
            return len(read_listing(response.body, response.url, source, response.encoding).links)
        except PageError:
            return 0

    async def _feed(
        self,
        visit: Visit,
        platform: str,
        home_url: str,
        listing: str,
        pages: list[tuple[str, str]],
        listing_html: str,
    ) -> str | None:
        named: list[tuple[str, str]] = []
        for page_url, page_html in [(listing, listing_html), *pages]:
            for link in find_feeds(page_html, page_url):
                named.append((link.url, str(link.evidence[0])))
        guesses = feed_guesses(platform, home_url, listing)
        if platform == "wordpress":  # a category's own feed is better than the site's
            category = [g for g in guesses if "category feed" in g[1]]
            tried = category + [n for n in named if n[0] not in {g[0] for g in guesses}]
            tried += [g for g in guesses if g not in category]
        else:
            tried = named + guesses
        seen: set[str] = set()
        for url, why in tried:
            if url in seen:
                continue
            seen.add(url)
            found = await self.fetch(visit, url, "feed")
            if found is None:
                continue
            if url.endswith("/rss.aspx") and isinstance(found, TextResponse):
                feeds = [
                    found.urljoin(href)
                    for href in found.css('a[href*="RSSFeed.aspx"]::attr(href)').getall()
                ]
                chosen = civicplus_feed_for(feeds, listing)
                if chosen and chosen not in seen:
                    seen.add(chosen)
                    confirmed = await self.fetch(visit, chosen, "feed")
                    if confirmed is not None and looks_like_feed(confirmed.body):
                        visit.note("feed", f"{chosen}: listed on {found.url}, answers as a feed")
                        return chosen
                continue
            if looks_like_feed(found.body):
                visit.note("feed", f"{url}: {why}; answers as a feed")
                return url
            if url.endswith("/wp-json/") and looks_like_json(found.body):
                visit.note("api", f"{url}: WordPress REST API answers")
        return None
