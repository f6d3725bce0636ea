"""Re-run page parsing and extraction over the raw archive (``scrapy reparse``).

No network: every release is rebuilt from the page archived when it was fetched, through the
same parsers and extraction the crawl uses. Prints how many releases changed and the rate. Run
it after improving a parser or the extraction.

Parsing and extraction are pure CPU work, so they run in worker processes (``workers``; default
one per CPU) while this process is the one writer: it reads the archive in batches of
:data:`BATCH` releases, hands each batch to a worker, and applies the results in the order the
releases were read, one transaction per batch. A run with ``workers=0`` does the same work in
this process; both leave the same rows in every table.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import time
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from datetime import datetime

from crawler.platforms.dispatch import read_release
from crawler.platforms.pages import PageError
from crawler.sources import Source
from pipelines.extract import text_and_extraction
from pipelines.extract.record import Record
from pipelines.store import Store, method_json, storage_error, storage_problem, unpack_blob

BATCH = 200

# What a worker gets for one release (no stored text: it is compared in the writer).
_TASK_KEYS = (
    "url",
    "agency_id",
    "title",
    "published_at",
    "published_raw",
    "extraction_method",
    "fetched_at",
    "last_seen_at",
    "page",
)


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


def rebuild(release: dict, source: Source) -> tuple[dict, Record] | str:
    """One release rebuilt from its archived page: (fields, extraction), or the error message.

    ``release`` holds the stored ``title``, ``published_at``, ``published_raw`` (kept when the
    page alone cannot give them: they may come from the feed) and ``page``, the archived bytes.
    Pure: reads nothing but its arguments.
    """
    fetched = release.get("fetched_at") or release.get("last_seen_at")
    try:
        page = read_release(
            release["page"] or b"",
            release["url"],
            source,
            fetched_at=datetime.fromisoformat(fetched) if fetched else None,
        )
    except PageError as exc:
        return f"{source.id}: {exc}"
    # a title or date that only the feed gave is kept: the page cannot give it
    fields = {
        "title": page.title or release["title"],
        "published_at": page.published_at or release["published_at"],
        "published_raw": page.published_raw or release["published_raw"],
        "body_html": page.body_html,
        "extraction_method": _methods(page.methods, release),
    }
    published = fields["published_at"]
    fields["body_text"], extraction = text_and_extraction(
        page.body_html, "", published[:10] if published else None
    )
    return fields, extraction


def _methods(methods: dict, release: dict) -> str | None:
    """The strategies of a reparsed page, keeping "feed" for a part only the feed gave."""
    stored = json.loads(release.get("extraction_method") or "{}")
    merged = dict(methods)
    for part in ("title", "date"):
        if part not in merged and stored.get(part):
            merged[part] = stored[part]
    return method_json(merged)


_worker_sources: dict[str, Source] = {}


def _init_worker(sources: dict[str, Source]) -> None:
    # Ctrl-C reaches the workers too (one process group): the writer stops them in order.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _worker_sources.clear()
    _worker_sources.update(sources)


def _rebuild_batch(tasks: list[tuple], sources: dict[str, Source] | None = None) -> list:
    """:func:`rebuild` over one batch of tasks (tuples in ``_TASK_KEYS`` order)."""
    sources = _worker_sources if sources is None else sources
    out = []
    for task in tasks:
        release = dict(zip(_TASK_KEYS, task, strict=True))
        release["page"] = unpack_blob(release["page"])
        out.append(rebuild(release, sources[release["agency_id"]]))
    return out


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
            initializer=_init_worker,
            initargs=(sources,),
        )
    pending: deque[tuple[list[dict], Future | list]] = deque()
    try:
        last_id = 0
        while True:
            batch = store.archived_releases(after_id=last_id, limit=BATCH, with_page=True)
            if batch:
                last_id = batch[-1]["id"]
                tasks = [tuple(row[key] for key in _TASK_KEYS) for row in batch]
                for row in batch:
                    row.pop("page")  # the writer needs the stored fields only
                if pool is not None:
                    pending.append((batch, pool.submit(_rebuild_batch, tasks)))
                else:
                    pending.append((batch, _rebuild_batch(tasks, sources)))
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
            if store.reparsed(release, fields, extraction):
                report.changed += 1
