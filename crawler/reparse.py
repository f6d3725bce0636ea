"""Re-run page parsing and extraction over the raw archive (``scrapy reparse``).

No network: every release is rebuilt from the page archived when it was fetched, through the
same parsers and extraction the crawl uses. Prints how many releases changed and the rate. Run
it after improving a parser or the extraction.

Parsing and extraction are pure CPU work, so they run in worker processes (``workers``; default
one per CPU; each runs :mod:`crawler.rebuild`, which imports neither Scrapy nor the store) while
this process is the one writer: it reads the archive in batches of
:data:`BATCH` releases, hands each batch to a worker, and applies the results in the order the
releases were read, one transaction per batch. A run with ``workers=0`` does the same work in
this process; both leave the same rows in every table.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass

from crawler.rebuild import TASK_KEYS, init_worker, rebuild_batch
from crawler.sources import Source
from pipelines.store import Store, method_json, storage_error, storage_problem, unpack_blob

BATCH = 200


@dataclass
class ReparseReport:
    """What a reparse did."""

    releases: int = 0
    changed: int = 0
    errors: int = 0
    seconds: float = 0.0
    workers: int = 0

    @property
    def rate(self) -> float:
        """Releases per second."""
        return self.releases / self.seconds if self.seconds else 0.0


def _sources(store: Store) -> dict[str, Source]:
    """Each agency as the crawl saw it, its own selectors included."""
    return {row["id"]: Source.from_row(row) for row in store.agencies()}


def default_workers() -> int:
    """Worker processes for a reparse: one per CPU this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def reparse(db_path: str, log=print, workers: int | None = None) -> ReparseReport:
    """Rebuild every archived release of ``db_path``; return counts and timing.

    ``workers``: processes that parse and extract (default :func:`default_workers`; 0 to do
    it all in this process). Whatever the number, the same rows are written.
    """
    workers = default_workers() if workers is None else max(0, workers)
    store = Store(db_path)
    report = ReparseReport(workers=workers)
    sources = _sources(store)
    started = time.perf_counter()
    pool: ProcessPoolExecutor | None = None
    if workers:
        pool = ProcessPoolExecutor(
            workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=init_worker,
        )
    pending: deque[tuple[list[dict], Future | list]] = deque()
    try:
        last_id = 0
        while True:
            batch = store.archived_releases(after_id=last_id, limit=BATCH, with_page=True)
            if batch:
                last_id = batch[-1]["id"]
                tasks = []
                for row in batch:  # the page unpacked for the worker; the writer keeps the rest
                    row["page"] = unpack_blob(row["page"])
                    tasks.append(tuple(row[key] for key in TASK_KEYS))
                    del row["page"]
                if pool is not None:
                    needed = {row["agency_id"] for row in batch}
                    batch_sources = {key: sources[key] for key in needed}
                    pending.append((batch, pool.submit(rebuild_batch, tasks, batch_sources)))
                else:
                    pending.append((batch, rebuild_batch(tasks, sources)))
            # keep every worker busy, and a bounded number of batches in memory
            while pending and (not batch or len(pending) > 2 * max(1, workers)):
                rows, results = pending.popleft()
                if isinstance(results, Future):
                    results = results.result()
                _apply(store, rows, results, report, log)
            if not batch and not pending:
                break
    except Exception as exc:
        if storage_problem(exc) is None:
            raise
        raise storage_error(db_path, exc) from exc  # the batch in hand was rolled back
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
        report.seconds = time.perf_counter() - started
        store.close()
    return report


def _apply(store: Store, rows: list[dict], results: list, report: ReparseReport, log) -> None:
    """Write one batch's results in one transaction, in the order the releases were read."""
    with store.batch():
        for release, result in zip(rows, results, strict=True):
            report.releases += 1
            if isinstance(result, str):
                report.errors += 1
                log(result)
                continue
            fields, extraction = result
            fields["extraction_method"] = method_json(fields["extraction_method"])
            if store.reparsed(release, fields, extraction):
                report.changed += 1
