"""Per-run, per-source accounting: requests, pages, outcomes and errors of one crawl."""

from __future__ import annotations

import logging
import time
from collections import defaultdict
from dataclasses import dataclass, field

from pipelines.store import ERROR_KINDS, RunCounts

MAX_ERRORS_KEPT = 20
logger = logging.getLogger(__name__)


@dataclass
class RunLedger:
    """What a crawl did for each source; filled by the spider and the store pipeline."""

    source_ids: list[str]
    counts: dict[str, RunCounts] = field(default_factory=lambda: defaultdict(RunCounts))
    errors: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    error_kinds: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    pending: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    started: set[str] = field(default_factory=set)
    gone: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    unreachable: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    interrupted: dict[str, str] = field(default_factory=dict)
    dropped: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    first_sent: dict[str, float] = field(default_factory=dict)
    waited: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    wait_until: dict[str, float] = field(default_factory=dict)

    def retry_wait(self, source_id: str, seconds: float) -> None:
        """A site asked (Retry-After) a source's next request to wait ``seconds``."""
        self.waited[source_id] += seconds
        until = time.monotonic() + seconds
        self.wait_until[source_id] = max(self.wait_until.get(source_id, 0.0), until)

    def interrupt(self, source_id: str, reason: str) -> bool:
        """Stop a source before it finished (signal, budget): its status is "interrupted".

        Returns False when it already was. Its next run pages through it in full.
        """
        if source_id in self.interrupted:
            return False
        self.interrupted[source_id] = reason
        return True

    def drop(self, source_id: str) -> None:
        """Count a request of an interrupted source dropped before it was sent."""
        self.dropped[source_id] += 1

    def unfinished(self) -> list[str]:
        """Sources with requests still under way, or never started."""
        return [s for s in self.source_ids if s not in self.started or self.pending[s]]

    def status(self, source_id: str) -> str:
        """ "interrupted", "failed" (at least one error) or "ok"."""
        if source_id in self.interrupted:
            return "interrupted"
        return "failed" if self.counts[source_id].errors else "ok"

    def removed(self, source_id: str, url: str) -> None:
        """Record a stored release that its site now answers 404/410 for."""
        self.gone[source_id].append(url)

    def request(self, source_id: str) -> None:
        """Count one answered (or failed) request for a source."""
        self.counts[source_id].requests += 1

    def page(self, source_id: str) -> None:
        """Count one release page fetched for a source."""
        self.counts[source_id].pages += 1

    def outcome(self, source_id: str, outcome: str) -> None:
        """Count a stored release as "new", "updated" or "unchanged"."""
        counts = self.counts[source_id]
        setattr(counts, outcome, getattr(counts, outcome) + 1)

    def error(
        self, source_id: str, message: str, kind: str = "fetch", *, unreachable: bool = False
    ) -> None:
        """Record one error of a source (the first few messages are kept verbatim).

        ``kind`` is one of :data:`pipelines.store.ERROR_KINDS` ("layout", "store", "limit",
        "format", "fetch"); ``unreachable`` says the site never answered (DNS or connection
        failure). A source's first error is logged as one warning line; later ones at DEBUG.
        """
        if kind not in ERROR_KINDS:
            raise ValueError(f"unknown error kind {kind!r}: one of {', '.join(ERROR_KINDS)}")
        first = not self.counts[source_id].errors
        logger.log(logging.WARNING if first else logging.DEBUG, "%s failed: %s", source_id, message)
        self.counts[source_id].errors += 1
        if unreachable:
            self.unreachable[source_id] += 1
        self.error_kinds[source_id].add(kind)
        if len(self.errors[source_id]) < MAX_ERRORS_KEPT:
            self.errors[source_id].append(message)

    def sent(self, source_id: str) -> None:
        """A request of the spider for a source is under way (see :meth:`settled`)."""
        self.started.add(source_id)
        self.first_sent.setdefault(source_id, time.monotonic())
        self.pending[source_id] += 1

    def settled(self, source_id: str) -> None:
        """A request of a source reached its callback or errback, or was dropped."""
        self.pending[source_id] = max(0, self.pending[source_id] - 1)

    def done_sources(self) -> list[str]:
        """Sources whose requests have all settled (for progress reports)."""
        return [s for s in self.source_ids if s in self.started and not self.pending[s]]

    def totals(self) -> RunCounts:
        """The sum over every source."""
        total = RunCounts()
        for counts in self.counts.values():
            for name, value in vars(counts).items():
                setattr(total, name, getattr(total, name) + value)
        return total

    def error_kind(self, source_id: str) -> str | None:
        """The gravest kind of error a source met (the order of ERROR_KINDS), or None."""
        kinds = self.error_kinds.get(source_id)
        return next((k for k in ERROR_KINDS if k in kinds), None) if kinds else None

    def per_source(self) -> dict[str, tuple[RunCounts, str | None, str | None]]:
        """Each source's counts, its errors joined into one text and their kind (or None).

        An interrupted source's text starts with why it was interrupted.
        """
        result = {}
        for source_id in self.source_ids:
            errors = list(self.errors[source_id])
            if source_id in self.interrupted:
                dropped = self.dropped.get(source_id, 0)
                note = f" ({dropped} requests dropped)" if dropped else ""
                errors.insert(0, f"interrupted: {self.interrupted[source_id]}{note}")
            result[source_id] = (
                self.counts[source_id],
                "\n".join(errors) or None,
                self.error_kind(source_id),
            )
        return result

    def failed_sources(self) -> list[str]:
        """Sources with at least one error."""
        return [s for s in self.source_ids if self.counts[s].errors]

    def looks_offline(self) -> bool:
        """Whether every source failed and every error was a DNS or connection failure."""
        return bool(self.source_ids) and all(
            self.counts[s].errors and self.unreachable[s] == self.counts[s].errors
            for s in self.source_ids
        )
