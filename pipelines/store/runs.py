"""Crawl runs and source runs: ``crawl_runs`` and ``source_runs``."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from pipelines.store.connection import StoreBase, now_utc

ERROR_KINDS = ("layout", "store", "limit", "format", "fetch")
"""Kinds of a source's errors, gravest first: "layout" (fetched, but the selectors found no
links or body: a redesign), "store" (a release could not be saved), "limit" (a listing cut at a
configured limit), "format" (not the kind of page its platform serves), "fetch" (HTTP errors,
timeouts, refused connections and redirects)."""
FULL_PASS_RETRIES = 3  # failed runs in a row after which a source stops getting full passes


@dataclass
class RunCounts:
    """What one crawl run (or one source within it) did."""

    requests: int = 0
    pages: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: int = 0


class Runs(StoreBase):
    """Opening, closing and interrupting runs; whether a source needs a full pass."""

    def start_run(self, sources_file: str, source_ids: list[str], shard: str | None = None) -> int:
        """Open a ``crawl_runs`` row, and a "running" ``source_runs`` row per source.

        ``shard`` ("1/2") records which part of the source list the run crawled; every run gets
        a random ``uid`` that ``scrapy merge`` keeps. A run killed before :meth:`finish_run`
        leaves its sources "running", which tells the next run to page through those sources in
        full (see :meth:`needs_full_pass`).
        """
        with self.db.atomic():
            run_id = (
                self.db["crawl_runs"]
                .insert(
                    {
                        "started_at": now_utc(),
                        "sources_file": sources_file,
                        "sources": len(source_ids),
                        "status": "running",
                        "shard": shard,
                        "uid": uuid.uuid4().hex,
                    }
                )
                .last_pk
            )
            self.db["source_runs"].insert_all(
                [{"run_id": run_id, "agency_id": s, "status": "running"} for s in source_ids]
            )
        return run_id

    def finish_run(
        self,
        run_id: int,
        totals: RunCounts,
        per_source: dict[str, tuple[RunCounts, str | None, str | None]],
        elapsed: float,
        status: str,
        source_status: dict[str, str] | None = None,
        close_reason: str | None = None,
        dropped: dict[str, int] | None = None,
    ) -> None:
        """Close a run: its totals, and each source's counts, error and status.

        ``status`` is the run's ("ok", "failed" or "interrupted"); ``source_status`` each
        source's (by default "failed" when it had errors, else "ok"); ``close_reason`` why the
        crawl ended (Scrapy's close reason: "finished", "shutdown", "run_budget", ...);
        ``dropped`` how many requests of a source were dropped unsent when it was interrupted.
        """
        source_status = source_status or {}
        dropped = dropped or {}
        with self.db.atomic():
            self.db["crawl_runs"].update(
                run_id,
                {
                    "finished_at": now_utc(),
                    "elapsed_seconds": round(elapsed, 3),
                    "status": status,
                    "close_reason": close_reason,
                    **vars(totals),
                },
            )
            for agency_id, (counts, error, error_kind) in per_source.items():
                self.db.execute(
                    "UPDATE source_runs SET requests = ?, pages = ?, new = ?, updated = ?, "
                    "unchanged = ?, errors = ?, error = ?, error_kind = ?, status = ?, "
                    "dropped = ? WHERE run_id = ? AND agency_id = ?",
                    [
                        counts.requests,
                        counts.pages,
                        counts.new,
                        counts.updated,
                        counts.unchanged,
                        counts.errors,
                        error,
                        error_kind,
                        source_status.get(agency_id) or ("failed" if counts.errors else "ok"),
                        dropped.get(agency_id, 0),
                        run_id,
                        agency_id,
                    ],
                )

    def interrupt_run(self, run_id: int, reason: str) -> None:
        """Mark a run that could not finish itself (a second Ctrl-C) and its running sources
        ``interrupted``: their next run pages through them in full."""
        with self.db.atomic():
            self.db.execute(
                "UPDATE crawl_runs SET status = 'interrupted', close_reason = ?, "
                "finished_at = ? WHERE id = ? AND status = 'running'",
                [reason, now_utc(), run_id],
            )
            self.db.execute(
                "UPDATE source_runs SET status = 'interrupted', error = coalesce(error, ?) "
                "WHERE run_id = ? AND status = 'running'",
                [f"interrupted: {reason}", run_id],
            )

    def needs_full_pass(self, agency_id: str, before_run: int | None = None) -> bool:
        """Whether a source's listing must be paged through in full on its next run.

        True when the source never ran, when its last run (before ``before_run``) was killed
        or interrupted mid-way (a signal, a time budget), or when it failed (a release past
        the first known page may be missing) — but not after three failed runs in a row: a
        page that fails every night would otherwise have the whole listing walked every
        night. Health flags such a source.
        """
        rows = self.db.execute(
            "SELECT status FROM source_runs WHERE agency_id = ? AND run_id < ? "
            "ORDER BY run_id DESC LIMIT ?",
            [agency_id, before_run if before_run is not None else 2**62, FULL_PASS_RETRIES],
        ).fetchall()
        statuses = [status for (status,) in rows]
        if not statuses or statuses[0] in ("running", "interrupted"):
            return True  # killed or stopped half-way: what it did not reach may be missing
        if statuses[0] == "ok":
            return False
        return not (len(statuses) == FULL_PASS_RETRIES and all(s == "failed" for s in statuses))

    def latest_run(self) -> dict | None:
        """The newest ``crawl_runs`` row, or None when the file has none."""
        rows = self.query("SELECT * FROM crawl_runs ORDER BY id DESC LIMIT 1")
        return rows[0] if rows else None
