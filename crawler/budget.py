"""Time budgets: per source (``BLOTTER_SOURCE_BUDGET_S``) and per run (``BLOTTER_RUN_BUDGET_S``).

A source that is still crawling ``BLOTTER_SOURCE_BUDGET_S`` seconds (default 900) after its
first request is closed as ``interrupted``: its requests still queued are dropped (counted in
``source_runs.dropped``), later ones are refused before they go out, and its next run pages
through it in full. The Retry-After waits a site asks for count against the budget: a source
whose next allowed request lies past its budget is interrupted at once instead of waiting.

A run still going ``BLOTTER_RUN_BUDGET_S`` seconds after it started (default 0: no limit; 6 h
for ``scrapy nightly``) is closed with reason ``run_budget``: every unfinished source and the
run are ``interrupted``, and the command exits 3.

:class:`BudgetMiddleware` (downloader middleware) refuses requests of interrupted sources;
:class:`Budget` (extension) checks the clocks every second.
"""

from __future__ import annotations

import logging
import time

from scrapy import signals
from scrapy.exceptions import IgnoreRequest
from twisted.internet import task
from twisted.python.failure import Failure

from pipelines.crawl import CrawlRun

logger = logging.getLogger(__name__)
DEFAULT_SOURCE_BUDGET_S = 900.0


class SourceStopped(IgnoreRequest):
    """A request dropped because its source was interrupted (its time budget ran out)."""


class BudgetMiddleware:
    """Refuse, unsent, every request of a source that has been interrupted."""

    def __init__(self, run: CrawlRun):
        self.run = run

    @classmethod
    def from_crawler(cls, crawler):  # noqa: ANN001, ANN206 - Scrapy's hook
        return cls(CrawlRun.of(crawler))

    def process_request(self, request):  # noqa: ANN001, ANN201 - Scrapy's hook
        source_id = self.run.source_for(request.url, request.meta)
        if source_id is not None and source_id in self.run.ledger.interrupted:
            self.run.ledger.drop(source_id)
            raise SourceStopped(f"{request.url}: dropped, {source_id} was interrupted")
        return None


class Budget:
    """Extension: interrupt sources past their budget, close the run past its own."""

    def __init__(self, crawler, source_budget: float, run_budget: float, interval: float = 1.0):  # noqa: ANN001
        self.crawler = crawler
        self.source_budget = source_budget
        self.run_budget = run_budget
        self.interval = interval
        self.started = time.monotonic()
        self.loop: task.LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler):  # noqa: ANN001, ANN206 - Scrapy's hook
        settings = crawler.settings
        source_budget = settings.getfloat("BLOTTER_SOURCE_BUDGET_S", DEFAULT_SOURCE_BUDGET_S)
        run_budget = settings.getfloat("BLOTTER_RUN_BUDGET_S", 0.0)
        shortest = min(b for b in (source_budget, run_budget, 4.0) if b > 0)
        budget = cls(crawler, source_budget, run_budget, interval=min(1.0, shortest / 4))
        crawler.signals.connect(budget.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(budget.spider_closed, signal=signals.spider_closed)
        return budget

    @property
    def run(self) -> CrawlRun:
        """The crawl's run (extensions cannot look each other up while being built)."""
        return CrawlRun.of(self.crawler)

    def spider_opened(self) -> None:
        self.started = time.monotonic()
        self.loop = task.LoopingCall(self.check)
        self.loop.start(self.interval, now=False)

    def spider_closed(self) -> None:
        if self.loop is not None and self.loop.running:
            self.loop.stop()

    def check(self, now: float | None = None) -> None:
        """Interrupt each source past its budget; close the run past the run's budget."""
        now = time.monotonic() if now is None else now
        ledger = self.run.ledger
        if self.run_budget > 0 and now - self.started > self.run_budget:
            self.run.close("run_budget")
            return
        if self.source_budget <= 0:
            return
        for source_id, first in list(ledger.first_sent.items()):
            if source_id in ledger.interrupted or not ledger.pending.get(source_id):
                continue
            # a Retry-After wait that ends past the budget is as good as spent already
            horizon = max(now, ledger.wait_until.get(source_id, 0.0))
            if horizon - first > self.source_budget:
                waiting = ledger.waited.get(source_id, 0.0)
                spent = f", {waiting:.0f} s of it asked for by Retry-After" if waiting else ""
                self.interrupt(
                    source_id,
                    f"its time budget of {self.source_budget:g} s (BLOTTER_SOURCE_BUDGET_S) "
                    f"ran out{spent}",
                )

    def interrupt(self, source_id: str, reason: str) -> None:
        """Interrupt one source: record why, drop its requests waiting in the downloader."""
        ledger = self.run.ledger
        if not ledger.interrupt(source_id, reason):
            return
        logger.warning("%s: interrupted: %s", source_id, reason)
        engine = self.crawler.engine
        downloader = getattr(engine, "downloader", None)
        for slot in list(getattr(downloader, "slots", {}).values()):
            doomed = [
                (request, deferred)
                for request, deferred in slot.queue
                if self.run.source_for(request.url, request.meta) == source_id
            ]
            for entry in doomed:
                slot.queue.remove(entry)
                ledger.drop(source_id)
                request, deferred = entry
                deferred.errback(
                    Failure(SourceStopped(f"{request.url}: dropped, {source_id} was interrupted"))
                )
