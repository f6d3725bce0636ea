"""What goes wrong in a crawl, recorded against the source it belongs to.

:class:`SourceFailures` is the part of :class:`crawler.spiders.releases.ReleasesSpider` that
answers Scrapy's errbacks and error signals: each failed request, dropped request, pipeline
failure and callback exception becomes an error of its source in the run's ledger (or, when it
is none, is let go), so that one site's faults never stop the others.
"""

from __future__ import annotations

from collections.abc import Iterator

import scrapy
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from twisted.python.failure import Failure

from crawler.budget import SourceStopped
from crawler.quiet import UNREACHABLE
from pipelines.store import storage_problem

ROBOTS_FORBIDDEN = "Forbidden by robots.txt"  # the message of Scrapy's RobotsTxtMiddleware
# Download failures whose exception carries no message of its own.
_SILENT_FAILURES = {
    "ResponseDataLossError": "the answer ended before its declared length (truncated)",
    "DownloadCancelledError": "download cancelled (larger than DOWNLOAD_MAXSIZE?)",
}


class SourceFailures:
    """The spider's error handlers. The spider provides ``ledger``, ``run``, ``sources``,
    ``logger``, ``_fallback(source)`` (the HTML listing of a source whose feed failed) and
    ``_removed_release(source_id, url)``."""

    def on_error(self, failure: Failure) -> Iterator[scrapy.Request]:
        """Record a failed request against its source; the crawl of the others goes on.

        A failed feed falls back to the HTML listing; a guessed next page that does not exist
        (404, or 400 from wp-json past its last page) just ends the listing.
        """
        request = failure.request
        source_id = request.meta.get("source_id", "?")
        self.ledger.settled(source_id)
        if failure.check(SourceStopped):
            return  # dropped: its source was interrupted (time budget), already recorded
        if storage_problem(failure.value) is not None:  # archiving the page failed
            self.ledger.error(source_id, f"{request.url}: not archived: {failure.value}", "store")
            self.run.storage_failed(failure.value)
            return
        response = getattr(failure.value, "response", None)
        if request.meta.get("fallback") and source_id in self.sources:
            yield self._fallback(self.sources[source_id])
            return
        if self._not_a_fault(failure, source_id, response):
            return
        unreachable = response is None and failure.type.__name__ in UNREACHABLE
        self.ledger.error(
            source_id,
            f"{request.url}: {failure_reason(failure, response)}",
            unreachable=unreachable,
        )

    def _not_a_fault(self, failure: Failure, source_id: str, response: Response | None) -> bool:
        """Whether a failure is no error of its source: a guessed next page that does not exist,
        a URL robots.txt forbids (the site's choice), or a known release the site took down
        (404/410: recorded as removed)."""
        request = failure.request
        if request.meta.get("optional") and response is not None and response.status in (400, 404):
            return True
        if failure.check(IgnoreRequest) and str(failure.value) == ROBOTS_FORBIDDEN:
            self.logger.info("%s: %s is forbidden by robots.txt", source_id, request.url)
            return True
        return (
            response is not None
            and request.meta.get("kind") == "release"
            and (response.status in (404, 410))
            and self._removed_release(source_id, request.url)
        )

    def on_dropped(self, request: scrapy.Request) -> None:
        """A request the scheduler dropped as already seen: a redirect loop is a source's error."""
        source_id = request.meta.get("source_id")
        if source_id is None:
            return
        self.ledger.settled(source_id)
        chain = request.meta.get("redirect_urls") or []
        if request.url in chain:
            loop = " -> ".join([*chain, request.url])
            self.ledger.error(source_id, f"{chain[0]}: redirect loop ({loop})")

    def on_item_error(self, item, response: Response, failure: Failure) -> None:
        """A release a pipeline failed on is an error of its source, never a silent loss."""
        source_id = getattr(item, "source_id", None) or response.meta.get("source_id", "?")
        self.ledger.error(
            source_id,
            f"{getattr(item, 'url', response.url)}: not stored: {failure.type.__name__}: "
            f"{failure.getErrorMessage()} (traceback in the log)",
            "store",
        )

    def on_spider_error(self, failure: Failure, response: Response) -> None:
        """An unexpected exception in a callback still counts as an error of its source."""
        source_id = response.meta.get("source_id", "?")
        self.ledger.error(
            source_id,
            f"{response.url}: {failure.type.__name__}: {failure.getErrorMessage()} "
            "(unexpected; traceback in the log)",
            "format",
        )


def failure_reason(failure: Failure, response: Response | None) -> str:
    """Why a request failed, as a source's error says it: ``HTTP 503``, or the exception's
    name and message (``TimeoutError: ...``; a known message for those that carry none)."""
    if response is not None:
        return f"HTTP {response.status}"
    name = failure.type.__name__
    detail = failure.getErrorMessage() or _SILENT_FAILURES.get(name, "no detail")
    return f"{name}: {detail}"
