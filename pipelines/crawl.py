"""The item pipelines a crawl runs, in order (see ``ITEM_PIPELINES`` in ``crawler/settings.py``).

``ExtractPipeline`` turns a release's HTML into text and an extraction record (the pure
``pipelines.extract`` library, in worker processes beside the crawl); ``StorePipeline`` writes the
release and its record through ``pipelines.store``. Neither imports Scrapy.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import signal
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import fields
from typing import Any

from pipelines.extract import EXTRACTOR_VERSION, text_and_extraction
from pipelines.extract.html_text import html_to_text
from pipelines.store import RunCounts, Store

logger = logging.getLogger(__name__)


class ExtractPipeline:
    """Item pipeline: the text, then the extraction, of each release (no Scrapy import).

    Fills ``item.body_text`` from ``item.body_html`` (when the crawl left it empty) and
    ``item.extraction`` from the text. Both are CPU work that would otherwise share the crawl's
    one thread with parsing and downloading: with ``BLOTTER_EXTRACT_WORKERS`` > 0 (default: 1
    when the machine has more than one CPU) they run in that many worker processes while the
    crawl goes on; with 0, in the crawl's own process. A worker that dies is replaced by
    in-process extraction.
    """

    def __init__(self, workers: int = 0):
        self.workers = workers
        self.pool: ProcessPoolExecutor | None = None

    @classmethod
    def from_crawler(cls, crawler):  # noqa: ANN001, ANN206 - Scrapy's hook
        setting = crawler.settings.get("BLOTTER_EXTRACT_WORKERS")
        workers = int(setting) if setting not in (None, "") else default_workers()
        return cls(workers)

    def open_spider(self) -> None:
        if self.workers > 0:
            context = multiprocessing.get_context("spawn")
            # Ctrl-C reaches the workers too (one process group): they ignore it and let the
            # crawl shut down in order, finishing the items in hand.
            self.pool = ProcessPoolExecutor(
                self.workers,
                mp_context=context,
                initializer=signal.signal,
                initargs=(signal.SIGINT, signal.SIG_IGN),
            )

    def close_spider(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None

    async def process_item(self, item):  # noqa: ANN001, ANN201 - any dataclass item
        """Set ``item.extraction`` and return the item."""
        args = _item_args(item)
        if self.pool is not None:
            try:
                loop = asyncio.get_running_loop()
                text, extraction = await loop.run_in_executor(self.pool, text_and_extraction, *args)
            except BrokenProcessPool:
                self.pool = None  # a worker died: extract here from now on
        if self.pool is None:
            text, extraction = text_and_extraction(*args)
        item.body_text, item.extraction = text, extraction
        return item


def default_workers() -> int:
    """Worker processes for extraction during a crawl: 1 when there is a CPU to spare, else 0."""
    return 1 if (os.cpu_count() or 1) > 1 else 0


def _item_args(item: Any) -> tuple[str, str, str | None, str | None, str | None]:
    published = getattr(item, "published_at", None)
    return (
        getattr(item, "body_html", "") or "",
        getattr(item, "body_text", "") or "",
        published[:10] if published else None,
        getattr(item, "state", None),
        getattr(item, "agency_name", None),
    )


class StorePipeline:
    """Saves every ReleaseItem (and its extraction) and records the run in ``crawl_runs``.

    Reads the ``BLOTTER_DB`` setting. At the end of the crawl it writes one ``source_runs`` row
    per source and keeps the run's summary table in the stats (``scrapy ingest`` prints it).
    """

    def __init__(self, crawler):
        self.crawler = crawler
        self.path = crawler.settings.get("BLOTTER_DB")
        self.store: Store | None = None
        self.run_id: int | None = None

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def open_spider(self) -> None:
        spider = self.crawler.spider
        self.ledger = spider.ledger
        self.started = time.monotonic()
        self.store = Store(self.path)
        self.store.upsert_agencies(s.as_row() for s in spider.all_chosen)
        self.run_id = self.store.start_run(spider.sources_file, list(spider.sources))
        self.crawler.stats.set_value("blotter/run_id", self.run_id)

    def process_item(self, item):
        extraction = item.extraction
        if extraction is not None:
            extraction = {**extraction, "extractor_version": EXTRACTOR_VERSION}
        # a shallow copy: asdict() would deep-copy the extraction and both texts of every item
        record = {f.name: getattr(item, f.name) for f in fields(item)}
        record["agency_id"] = item.source_id
        if not record.get("body_text"):  # run without ExtractPipeline: the text is still due
            record["body_text"] = html_to_text(record.get("body_html"))
        try:
            outcome = self.store.save_release(record, extraction)
        except Exception as exc:  # a bad row must not stop the crawl of the others
            self.ledger.error(item.source_id, f"{item.url}: could not be stored: {exc!r}", "store")
            logger.exception("could not store %s", item.url)
            return item
        self.ledger.outcome(item.source_id, outcome)
        return item

    def close_spider(self) -> None:
        elapsed = time.monotonic() - self.started
        totals = self.ledger.totals()
        failed = self.ledger.failed_sources()
        status = "failed" if failed else "ok"
        self.store.finish_run(self.run_id, totals, self.ledger.per_source(), elapsed, status)
        removed = self.store.mark_removed(url for urls in self.ledger.gone.values() for url in urls)
        self.crawler.stats.set_value("blotter/failed_sources", len(failed))
        self.crawler.stats.set_value("blotter/looks_offline", self.ledger.looks_offline())
        table = summary_table(self.run_id, self.ledger.per_source(), totals, elapsed)
        if removed:
            table += f"\n{removed} release(s) no longer served by their site: removed_at set"
        skipped = self.crawler.spider.skipped
        if skipped:
            table += f"\n{len(skipped)} disabled source(s) skipped: "
            table += ", ".join(s.id for s in skipped)
        # `scrapy ingest` prints it as the very last thing of the run; log it for other runners
        self.crawler.stats.set_value("blotter/summary", table)
        logger.debug("run summary\n%s", table)
        self.store.close()


def summary_table(
    run_id: int | None,
    per_source: dict[str, tuple[RunCounts, str | None, str | None]],
    totals: RunCounts,
    elapsed: float,
) -> str:
    """The end-of-run report: one row per source, totals, then each failing source's errors."""
    columns = ("requests", "pages", "new", "updated", "unchanged", "errors")
    width = max([len("source"), *(len(s) for s in per_source)])
    lines = [
        f"blotter run {run_id}",
        f"{'source':<{width}}  " + "  ".join(f"{c:>9}" for c in columns),
    ]
    for source_id, (counts, _, _) in per_source.items():
        values = "  ".join(f"{getattr(counts, c):>9}" for c in columns)
        lines.append(f"{source_id:<{width}}  {values}")
    lines.append(
        f"total: {len(per_source)} sources, {totals.requests} requests, {totals.pages} pages "
        f"fetched, releases {totals.new} new / {totals.updated} updated / {totals.unchanged} "
        f"unchanged, {totals.errors} errors, {elapsed:.1f} s"
    )
    failing = [(s, error) for s, (c, error, _) in per_source.items() if c.errors]
    if failing:
        lines.append(f"{len(failing)} source(s) failed:")
        for source_id, error in failing:
            first, *rest = (error or "").splitlines() or [""]
            more = f" (+{len(rest)} more)" if rest else ""
            lines.append(f"  {source_id}: {first}{more}")
    return "\n".join(lines)
