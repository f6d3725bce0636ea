"""The item pipelines a crawl runs, in order (see ``ITEM_PIPELINES`` in ``crawler/settings.py``).

``ExtractPipeline`` turns a release's HTML into text and an extraction record (the pure
``pipelines.extract`` library, in worker processes beside the crawl); ``StorePipeline`` writes the
release and its record through ``pipelines.store``. ``CrawlRun`` (an extension) holds what the
crawl's components share: the one Store of the process and the run's accounting.
"""

from __future__ import annotations

import asyncio
import ctypes
import logging
import multiprocessing
import os
import signal
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import fields
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from scrapy import signals

from pipelines.exitcodes import EXIT_LOCKED, EXIT_STORAGE, RUN_EXIT
from pipelines.extract import worker
from pipelines.ledger import RunLedger
from pipelines.store import RunCounts, Store, StoreLocked, storage_error, storage_problem

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

    from pipelines.extract.record import Record

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
        self.warmed = False

    @classmethod
    def from_crawler(cls, crawler):  # noqa: ANN001, ANN206 - Scrapy's hook
        setting = crawler.settings.get("BLOTTER_EXTRACT_WORKERS")
        workers = int(setting) if setting not in (None, "") else default_workers()
        pipeline = cls(workers)
        crawler.signals.connect(pipeline.request_scheduled, signal=signals.request_scheduled)
        return pipeline

    def open_spider(self) -> None:
        if self.workers > 0:
            context = multiprocessing.get_context("spawn")
            # Ctrl-C reaches the workers too (one process group): they ignore it and let the
            # crawl shut down in order, finishing the items in hand.
            self.pool = ProcessPoolExecutor(
                self.workers, mp_context=context, initializer=_worker_init
            )

    def request_scheduled(self, request, **_) -> None:  # noqa: ANN001 - Scrapy's signal
        """At the crawl's first release request, have each worker import and compile the
        rules, so they are ready when the page arrives; a run with nothing new starts none."""
        if self.warmed or self.pool is None or request.meta.get("kind") != "release":
            return
        self.warmed = True
        for _ in range(self.workers):
            self.pool.submit(worker.warm_up)

    def close_spider(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None

    async def process_item(self, item):  # noqa: ANN001, ANN201 - any dataclass item
        """Set ``item.body_text`` and ``item.extraction`` (a :class:`Record`); return the item."""
        args = _item_args(item)
        text: str
        extraction: Record
        if self.pool is not None:
            try:
                loop = asyncio.get_running_loop()
                text, extraction = await loop.run_in_executor(
                    self.pool, worker.text_and_extraction, *args
                )
            except BrokenProcessPool:
                self.pool = None  # a worker died: extract here from now on
        if self.pool is None:
            text, extraction = worker.text_and_extraction(*args)
        item.body_text, item.extraction = text, extraction
        return item


def _worker_init() -> None:
    """An extraction worker ignores Ctrl-C, and ends when the crawl's process does.

    A crawl killed with SIGKILL cannot stop its workers; on Linux the kernel sends them
    SIGTERM then (``PR_SET_PDEATHSIG``), so none is left behind holding the crawl's output.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGTERM, 0, 0, 0)  # 1: PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass
        if os.getppid() == 1:  # the crawl died before the call above: go too
            os._exit(0)


def default_workers() -> int:
    """Worker processes for extraction during a crawl: 1 when there is a CPU to spare, else 0."""
    return 1 if (os.cpu_count() or 1) > 1 else 0


def _item_args(item: Any) -> tuple[str, str, str | None]:
    """What :func:`text_and_extraction` takes from an item: its HTML, its text, its day."""
    published = getattr(item, "published_at", None)
    return (
        getattr(item, "body_html", "") or "",
        getattr(item, "body_text", "") or "",
        published[:10] if published else None,
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
    ``BLOTTER_DB`` setting, opened once, on first use (which takes its writer lock).

    A run ends ``ok``, ``failed`` (a source had errors, or the database failed) or
    ``interrupted`` (a signal, closespider, a time budget: any close reason but "finished"),
    and so does each source: a source whose requests were still under way when the crawl
    stopped is ``interrupted``, and gets a full pass next time. A storage error (disk full,
    read-only, corrupt or locked file) stops the crawl at once (:meth:`storage_failed`). The
    stats get ``blotter/status`` and ``blotter/exit_code`` (:mod:`pipelines.exitcodes`).
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
        self.fatal: str | None = None  # the storage error that stopped the crawl
        self.fatal_code = EXIT_STORAGE
        self.closing = False

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

    def begin(self, plan: SourcePlan) -> int | None:
        """Record the plan's agencies and open the run's rows; return the run id.

        Returns None (and closes the crawl) when the database cannot be opened or written:
        locked by another run, read-only, corrupt, full.
        """
        self.plan = plan
        self.ledger = RunLedger(plan.ids)
        self._started = time.monotonic()
        try:
            self.store.upsert_agencies(plan.agency_rows())
            self.run_id = self.store.start_run(plan.file, plan.ids, plan.shard)
        except Exception as exc:
            if storage_problem(exc) is None:
                raise
            self.storage_failed(exc)
            return None
        self.crawler.stats.set_value("blotter/run_id", self.run_id)
        return self.run_id

    def close(self, reason: str) -> None:
        """Close the crawl (its pending requests are dropped) with this close reason."""
        if self.closing or self.crawler.engine is None:
            return
        self.closing = True
        from scrapy.utils.defer import _schedule_coro

        _schedule_coro(self.crawler.engine.close_spider_async(reason=reason))

    def storage_failed(self, exc: BaseException) -> None:
        """Stop the crawl on a storage error: one clear message naming the file, exit 4 (75
        when another run holds the lock); nothing already stored is lost."""
        if self.fatal is None:
            error = storage_error(self.path, exc)
            self.fatal = str(error)
            self.fatal_code = EXIT_LOCKED if isinstance(error, StoreLocked) else EXIT_STORAGE
            logger.error("blotter: %s", self.fatal)
            self.crawler.stats.set_value("blotter/storage_error", self.fatal)
            self.crawler.stats.set_value("blotter/exit_code", self.fatal_code)
        self.close("storage_error")

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

    def spider_closed(self, reason: str = "finished") -> None:
        """Finish the run (when one was begun) and close the database."""
        try:
            if self.run_id is not None:
                self._finish(reason)
        except Exception as exc:
            if storage_problem(exc) is None:
                raise
            self.storage_failed(exc)  # the run row stays "running": a full pass next time
        finally:
            if self._store is not None:
                try:
                    self._store.close()
                except Exception:  # noqa: BLE001 - closing must not hide the run's own error
                    logger.debug("closing %s failed", self.path, exc_info=True)
                self._store = None
            if self.fatal is not None:
                self.crawler.stats.set_value("blotter/exit_code", self.fatal_code)

    def run_status(self, reason: str) -> str:
        """The run's status for this close reason, once its sources' statuses are known."""
        if self.fatal is not None:
            return "failed"
        if reason != "finished" or self.ledger.interrupted:
            return "interrupted"
        return "failed" if self.ledger.failed_sources() else "ok"

    def _finish(self, reason: str) -> None:
        elapsed = time.monotonic() - self._started
        if reason != "finished":
            why = CLOSE_REASONS.get(reason, reason)
            for source_id in self.ledger.unfinished():
                self.ledger.interrupt(source_id, why)
        totals = self.ledger.totals()
        failed = self.ledger.failed_sources()
        status = self.run_status(reason)
        per_source = self.ledger.per_source()
        source_status = {s: self.ledger.status(s) for s in per_source}
        self.crawler.stats.set_value("blotter/status", status)
        self.crawler.stats.set_value("blotter/exit_code", RUN_EXIT[status])
        self.crawler.stats.set_value("blotter/failed_sources", len(failed))
        self.crawler.stats.set_value("blotter/looks_offline", self.ledger.looks_offline())
        self.store.finish_run(
            self.run_id,
            totals,
            per_source,
            elapsed,
            status,
            source_status=source_status,
            close_reason=reason,
            dropped=dict(self.ledger.dropped),
        )
        removed = self.store.mark_removed(url for urls in self.ledger.gone.values() for url in urls)
        table = summary_table(self.run_id, per_source, totals, elapsed, source_status)
        if status == "interrupted":
            table += f"\nrun {self.run_id} interrupted ({CLOSE_REASONS.get(reason, reason)}): "
            table += "the interrupted sources get a full pass on their next run"
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
    """Saves every ReleaseItem (and its extraction, a :class:`Record`) through the crawl's one
    Store.

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
            item.body_text, item.extraction = worker.text_and_extraction(*_item_args(item))
        # a shallow copy: asdict() would deep-copy the extraction and both texts of every item
        record = {f.name: getattr(item, f.name) for f in fields(item)}
        record["agency_id"] = item.source_id
        extraction: Record = item.extraction
        ledger = self.run.ledger
        if self.run.fatal is not None:  # the database failed: nothing more can be stored
            return item
        try:
            outcome = self.run.store.save_release(record, extraction)
        except Exception as exc:  # a bad row must not stop the crawl of the others
            ledger.error(item.source_id, f"{item.url}: could not be stored: {exc!r}", "store")
            if storage_problem(exc) is not None:  # but a full, read-only, corrupt file does
                self.run.storage_failed(exc)
            else:
                logger.exception("could not store %s", item.url)
            return item
        ledger.outcome(item.source_id, outcome)
        return item


CLOSE_REASONS = {
    "shutdown": "stopped by a signal (Ctrl-C, SIGTERM)",
    "run_budget": "the run's time budget (BLOTTER_RUN_BUDGET_S) ran out",
    "storage_error": "the database failed",
    "closespider_timeout": "closespider: CLOSESPIDER_TIMEOUT",
    "closespider_itemcount": "closespider: CLOSESPIDER_ITEMCOUNT",
    "closespider_pagecount": "closespider: CLOSESPIDER_PAGECOUNT",
    "closespider_errorcount": "closespider: CLOSESPIDER_ERRORCOUNT",
}
"""What a Scrapy close reason means, in the words of a run's report."""


def summary_table(
    run_id: int | None,
    per_source: dict[str, tuple[RunCounts, str | None, str | None]],
    totals: RunCounts,
    elapsed: float,
    status: dict[str, str] | None = None,
) -> str:
    """The end-of-run report: one row per source, totals, then each failing source's errors.

    ``status`` (each source's "ok", "failed" or "interrupted") lists interrupted sources among
    those that did not end well, with why.
    """
    status = status or {}
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
    failing = [
        (s, error)
        for s, (c, error, _) in per_source.items()
        if c.errors or status.get(s) == "interrupted"
    ]
    if failing:
        cut = any(status.get(source_id) == "interrupted" for source_id, _ in failing)
        lines.append(f"{len(failing)} source(s) {'failed or interrupted' if cut else 'failed'}:")
        for source_id, error in failing:
            first, *rest = (error or "").splitlines() or [""]
            more = f" (+{len(rest)} more)" if rest else ""
            lines.append(f"  {source_id}: {first}{more}")
    return "\n".join(lines)
