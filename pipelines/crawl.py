"""The item pipelines a crawl runs, in order (see ``ITEM_PIPELINES`` in ``crawler/settings.py``).

``ExtractPipeline`` turns a release's HTML into text and an extraction record (the pure
``pipelines.extract`` library, in worker processes beside the crawl); ``StorePipeline`` writes the
release and its record through ``pipelines.store``. ``CrawlRun`` (an extension) holds what the
crawl's components share: the one Store of the process and the run's accounting.
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
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from scrapy import signals

from pipelines.extract import text_and_extraction
from pipelines.ledger import RunLedger
from pipelines.store import RunCounts, Store

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

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


class SourcePlan(Protocol):
    """What :class:`CrawlRun` needs to know of a crawl's sources (``crawler.sources.CrawlPlan``)."""

    file: str
    shard: str | None

    @property
    def ids(self) -> list[str]: ...

    @property
    def skipped(self) -> list[Any]: ...

    def agency_rows(self) -> list[dict]: ...

    def source(self, source_id: str) -> Any | None: ...

    def source_for(self, url: str) -> str | None: ...


class CrawlRun:
    """Extension: a crawl's one :class:`Store`, its ``crawl_runs`` row and its accounting.

    Every component of a crawl reaches it with :meth:`CrawlRun.of` (``crawler.get_extension``):
    the spider records the run's plan with :meth:`begin` and its errors in :attr:`ledger`, the
    middlewares archive pages through :attr:`store` and count requests, :class:`StorePipeline`
    saves releases. When the spider closes, the run is finished: each source's counts, error and
    error kind in ``source_runs``, removed releases marked, and the summary table put in the
    stats (``blotter/summary``) for ``scrapy ingest`` to print last. The database is the
    ``BLOTTER_DB`` setting, opened once, on first use.
    """

    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        # a relative BLOTTER_DB is taken from BLOTTER_HOME when that is set (e.g. under Scrapyd)
        db, home = crawler.settings.get("BLOTTER_DB"), crawler.settings.get("BLOTTER_HOME")
        self.path = str(Path(home) / db) if home else db
        self.ledger = RunLedger([])
        self.plan: SourcePlan | None = None
        self.run_id: int | None = None
        self._store: Store | None = None
        self._started = time.monotonic()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlRun:
        run = cls(crawler)
        crawler.signals.connect(run.spider_closed, signal=signals.spider_closed)
        return run

    @staticmethod
    def of(crawler: Crawler) -> CrawlRun:
        """The crawl's run; raises ``RuntimeError`` when the extension is not enabled."""
        run = crawler.get_extension(CrawlRun)
        if run is None:
            raise RuntimeError("pipelines.crawl.CrawlRun is not in the EXTENSIONS setting")
        return run

    @property
    def store(self) -> Store:
        """The crawl's database, opened (and migrated) on first use."""
        if self._store is None:
            self._store = Store(self.path)
        return self._store

    def begin(self, plan: SourcePlan) -> int:
        """Record the plan's agencies and open the run's rows; return the run id."""
        self.plan = plan
        self.ledger = RunLedger(plan.ids)
        self._started = time.monotonic()
        self.store.upsert_agencies(plan.agency_rows())
        self.run_id = self.store.start_run(plan.file, plan.ids, plan.shard)
        self.crawler.stats.set_value("blotter/run_id", self.run_id)
        return self.run_id

    def source_for(self, url: str, meta: dict) -> str | None:
        """The source a request belongs to: its ``source_id`` meta, else its host's source."""
        if source_id := meta.get("source_id"):
            return source_id
        return self.plan.source_for(url) if self.plan is not None else None

    def source(self, source_id: str | None) -> Any | None:
        """The crawled source of that id (a ``crawler.sources.Source``), or None."""
        if source_id is None or self.plan is None:
            return None
        return self.plan.source(source_id)

    def spider_closed(self) -> None:
        """Finish the run (when one was begun) and close the database."""
        try:
            if self.run_id is not None:
                self._finish()
        finally:
            if self._store is not None:
                self._store.close()
                self._store = None

    def _finish(self) -> None:
        elapsed = time.monotonic() - self._started
        totals = self.ledger.totals()
        failed = self.ledger.failed_sources()
        status = "failed" if failed else "ok"
        per_source = self.ledger.per_source()
        self.store.finish_run(self.run_id, totals, per_source, elapsed, status)
        removed = self.store.mark_removed(url for urls in self.ledger.gone.values() for url in urls)
        self.crawler.stats.set_value("blotter/failed_sources", len(failed))
        self.crawler.stats.set_value("blotter/looks_offline", self.ledger.looks_offline())
        table = summary_table(self.run_id, per_source, totals, elapsed)
        if removed:
            table += f"\n{removed} release(s) no longer served by their site: removed_at set"
        skipped = self.plan.skipped if self.plan is not None else []
        if skipped:
            table += f"\n{len(skipped)} disabled source(s) skipped: "
            table += ", ".join(s.id for s in skipped)
        # `scrapy ingest` prints it as the very last thing of the run; log it for other runners
        self.crawler.stats.set_value("blotter/summary", table)
        logger.debug("run summary\n%s", table)


class StorePipeline:
    """Saves every ReleaseItem (and its extraction) through the crawl's one Store.

    A release that cannot be stored is an error of its source (``store``), never a silent loss,
    and does not stop the crawl of the others.
    """

    def __init__(self, run: CrawlRun):
        self.run = run

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        return cls(CrawlRun.of(crawler))

    def process_item(self, item):  # noqa: ANN001, ANN201 - any dataclass item
        if item.extraction is None:  # a crawl without ExtractPipeline: both are still due
            item.body_text, item.extraction = text_and_extraction(*_item_args(item))
        # a shallow copy: asdict() would deep-copy the extraction and both texts of every item
        record = {f.name: getattr(item, f.name) for f in fields(item)}
        record["agency_id"] = item.source_id
        extraction = item.extraction
        ledger = self.run.ledger
        try:
            outcome = self.run.store.save_release(record, extraction)
        except Exception as exc:  # a bad row must not stop the crawl of the others
            ledger.error(item.source_id, f"{item.url}: could not be stored: {exc!r}", "store")
            logger.exception("could not store %s", item.url)
            return item
        ledger.outcome(item.source_id, outcome)
        return item


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
