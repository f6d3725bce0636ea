"""The archive middleware: keep every page as fetched, and fetch again only what changed.

Every successful response (listing pages, release pages, robots.txt) is archived in the
store as fetched. The next request for the same URL is conditional (``If-None-Match`` /
``If-Modified-Since``); a ``304 Not Modified`` answer is replaced by the archived page, flagged
``not_modified``, so the spider sees the page it already knows without downloading it. A
robots.txt confirmed in the last day (fetched, or answered ``304``) is answered from the archive
with no request at all.

"""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from scrapy.http import Request, Response
from scrapy.responsetypes import responsetypes

from pipelines.crawl import CrawlRun
from pipelines.store import Store

NOT_MODIFIED = "not_modified"
FROM_ARCHIVE = "from_archive"
_IMPORTED = datetime.now(UTC)
# the longest start-up judged as part of the crawl (loading 18,000 sources takes seconds)
START_UP_LIMIT = timedelta(minutes=10)


def process_launched() -> datetime:
    """When this process was launched (UTC): from ``/proc`` on Linux, else when this module
    was first imported (a second or two later, after Python and Scrapy loaded)."""
    try:
        with open("/proc/self/stat", encoding="ascii") as stat:
            ticks = int(stat.read().rsplit(")", 1)[1].split()[19])  # field 22, starttime
        with open("/proc/stat", encoding="ascii") as system:
            boot = next(int(line.split()[1]) for line in system if line.startswith("btime "))
        launched = boot + ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError, StopIteration):
        return _IMPORTED
    return min(datetime.fromtimestamp(launched, UTC), _IMPORTED)


class RequestCountMiddleware:
    """Counts, per source, every request that went out to a site (retries and robots.txt too).

    Sits next to the downloader, so it sees each attempt and nothing answered from the archive.
    """

    def __init__(self, run: CrawlRun):
        self.run = run

    @classmethod
    def from_crawler(cls, crawler):
        return cls(CrawlRun.of(crawler))

    def _count(self, request: Request) -> None:
        if source_id := self.run.source_for(request.url, request.meta):
            self.run.ledger.request(source_id)

    def process_response(self, request: Request, response: Response):
        if FROM_ARCHIVE not in response.flags:
            self._count(request)
        return response

    def process_exception(self, request: Request, exception: Exception):
        self._count(request)
        return None


class ArchiveMiddleware:
    """Downloader middleware, archiving through the crawl's one Store (:class:`CrawlRun`).

    Reads ``BLOTTER_ROBOTS_TTL`` (seconds).
    """

    def __init__(self, run: CrawlRun, robots_ttl: float = 86400):
        self.run = run
        self.robots_ttl = timedelta(seconds=robots_ttl)
        # The TTL is judged at the crawl's launch: tonight's run reuses every robots.txt
        # confirmed less than a day before it was launched, whichever source's turn comes first.
        # A process that began long before this crawl (a script running crawls one after
        # another) is judged from now: no robots.txt is kept past its TTL by a long-lived process.
        launched, now = process_launched(), datetime.now(UTC)
        self.started = launched if now - launched <= START_UP_LIMIT else now

    @classmethod
    def from_crawler(cls, crawler):
        return cls(CrawlRun.of(crawler), crawler.settings.getint("BLOTTER_ROBOTS_TTL", 86400))

    def _store(self) -> Store:
        return self.run.store

    @staticmethod
    def _kind(request: Request) -> str:
        if urlsplit(request.url).path == "/robots.txt":
            return "robots"
        return request.meta.get("kind", "page")

    def process_request(self, request: Request):
        if request.meta.get("dont_archive"):
            return None
        # A redirect copies the first request's headers and meta: start from this URL's own.
        request.headers.pop("If-None-Match", None)
        request.headers.pop("If-Modified-Since", None)
        request.meta.pop("archived_page", None)
        page = self._store().latest_page(request.url)
        if page is None or page["status"] != 200:
            return None
        if self._kind(request) == "robots" and self._fresh(page):
            return self._from_archive(request, page, FROM_ARCHIVE)
        if page["etag"]:
            request.headers.setdefault("If-None-Match", page["etag"])
        if page["last_modified"]:
            request.headers.setdefault("If-Modified-Since", page["last_modified"])
        request.meta["archived_page"] = page
        return None

    def process_response(self, request: Request, response: Response):
        if FROM_ARCHIVE in response.flags:
            return response
        page = request.meta.get("archived_page")
        if response.status == 304 and page is not None:
            self._store().page_checked(request.url, page["sha256"])
            return self._from_archive(request, page, NOT_MODIFIED) or response
        if response.status == 200 and not request.meta.get("dont_archive"):
            headers = {
                key.decode("latin-1"): b", ".join(values).decode("latin-1")
                for key, values in response.headers.items()
            }
            sha = self._store().archive_page(
                url=request.url,
                agency_id=self.run.source_for(request.url, request.meta),
                kind=self._kind(request),
                status=response.status,
                headers=headers,
                body=response.body,
            )
            request.meta["page_sha256"] = sha
        return response

    def _fresh(self, page: dict) -> bool:
        """Whether the site confirmed this page (fetched it, or answered 304) within the robots
        TTL before this crawl was launched.

        A ``304`` is as good a confirmation as a download: counting only ``fetched_at`` made
        every night after the first day re-request each robots.txt. Judged at the launch of
        the process, as cron or a scheduler starts it: everything last night's run confirmed
        happened after last night's launch, so with launches a TTL apart tonight reuses all of
        it, however long either start-up took (judged when the crawl had loaded, a start-up a
        second slower than last night's re-requested the robots.txt of the first sources of
        the list). The stamps are whole seconds, so the launch is too: a robots.txt last night
        confirmed within the second of its launch still counts (with a start-up under a second,
        its stamp fell before that launch). A robots.txt is used at most one TTL plus one run's
        length after it was confirmed.
        """
        confirmed = []
        for stamp in (page.get("fetched_at"), page.get("checked_at")):
            try:
                confirmed.append(datetime.fromisoformat(stamp))
            except (TypeError, ValueError):
                continue
        launched = self.started.replace(microsecond=0)
        return bool(confirmed) and launched - max(confirmed) <= self.robots_ttl

    def _from_archive(self, request: Request, page: dict, flag: str) -> Response | None:
        body = self._store().blob(page["sha256"])
        if body is None:
            return None
        headers = json.loads(page["headers"] or "{}")
        headers.pop("content-encoding", None)
        headers.pop("content-length", None)
        cls = responsetypes.from_args(headers=headers, url=request.url, body=body)
        request.meta["page_sha256"] = page["sha256"]
        return cls(
            url=request.url,
            status=200,
            headers=headers,
            body=body,
            request=request,
            flags=[flag],
        )
