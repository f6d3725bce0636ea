"""Live progress of a long crawl: one line every ``BLOTTER_PROGRESS_INTERVAL`` seconds.

A Scrapy extension (enabled in ``crawler/settings.py``). The first line comes after one interval,
so a short crawl prints none; the per-source table at the end comes from the store pipeline.
A line reads::

    blotter progress 1m30s: sources 3/12 done, 410 requests, 388 pages, releases 120 new /
    4 updated / 260 unchanged, 2 errors, 6 requests pending

Set ``BLOTTER_PROGRESS_INTERVAL=0`` to switch it off.
"""

from __future__ import annotations

import logging
import sys
import time

from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.utils.asyncio import create_looping_call

from pipelines.crawl import CrawlRun
from pipelines.ledger import RunLedger

logger = logging.getLogger(__name__)


def _duration(seconds: float) -> str:
    minutes, secs = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    if hours:
        return f"{hours}h{minutes:02d}m"
    return f"{minutes}m{secs:02d}s" if minutes else f"{secs}s"


def progress_line(ledger: RunLedger, elapsed: float) -> str:
    """One progress line: sources done of total, requests, pages, releases, errors, pending."""
    totals = ledger.totals()
    done = len(ledger.done_sources())
    pending = sum(ledger.pending.values())
    return (
        f"blotter progress {_duration(elapsed)}: sources {done}/{len(ledger.source_ids)} done, "
        f"{totals.requests} requests, {totals.pages} pages, releases {totals.new} new / "
        f"{totals.updated} updated / {totals.unchanged} unchanged, {totals.errors} errors, "
        f"{pending} requests pending"
    )


class Progress:
    """Prints :func:`progress_line` to stdout every ``BLOTTER_PROGRESS_INTERVAL`` seconds."""

    def __init__(self, crawler, interval: float):
        self.crawler = crawler
        self.interval = interval
        self.task = None
        self.started = time.monotonic()

    @classmethod
    def from_crawler(cls, crawler):
        interval = crawler.settings.getfloat("BLOTTER_PROGRESS_INTERVAL", 30.0)
        if interval <= 0:
            raise NotConfigured
        extension = cls(crawler, interval)
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_opened(self) -> None:
        self.started = time.monotonic()
        self.task = create_looping_call(self.report)
        self.task.start(self.interval, now=False)

    def report(self) -> None:
        run = CrawlRun.of(self.crawler)
        if run.run_id is None:
            return  # the spider has not begun its run yet
        line = progress_line(run.ledger, time.monotonic() - self.started)
        print(line, file=sys.stdout, flush=True)

    def spider_closed(self) -> None:
        if self.task is not None and self.task.running:
            self.task.stop()
