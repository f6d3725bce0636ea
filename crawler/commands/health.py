"""``scrapy health [--db DB]``: how each source is doing, as a table.

One row per source of the ``source_health`` view: its verdict, last successful crawl, last new
release, consecutive failed runs, releases published in the last 7 and 30 days, and the first
line of its last error. Verdicts: ``ok``, ``broken: layout changed?`` (a listing or release page
that used to parse no longer does), ``failing`` (3+ failed runs in a row), ``failed last run``,
``stale`` (no new release in 30 days), ``no releases yet``, ``never crawled``, ``disabled``, and
``selectors no longer match; falling back to the general extractor`` (most of the source's
recent releases were read by the general extractor: the pages still parse, but the site was
redesigned and its selectors need updating).

Sources that are broken, failing or falling back are marked ``!``, those that failed their last
run ``?``. Exit code: 1 when an enabled source is broken, failing or falling back to the general
extractor (worth a look), or when every crawled source failed its last run (the machine was
probably offline, or its network is blocked); else 0.
"""

from __future__ import annotations

import argparse
import sys

from crawler.cli import BlotterCommand
from pipelines.exitcodes import EXIT_STORAGE
from pipelines.store import Store, StoreError

COLUMNS = (
    ("source", "agency_id"),
    ("health", "health"),
    ("last success", "last_success"),
    ("last new release", "last_new_release"),
    ("failures", "consecutive_failures"),
    ("7d", "releases_7d"),
    ("30d", "releases_30d"),
    ("total", "releases_total"),
    ("last error", "last_error"),
)
NUMERIC = {"consecutive_failures", "releases_7d", "releases_30d", "releases_total"}
ERROR_WIDTH = 90


def needs_attention(row: dict) -> bool:
    """Whether a source's health row says it is broken, failing or falling back to the
    general extractor (and it is enabled)."""
    health = row.get("health") or ""
    return bool(row.get("enabled")) and (
        health.startswith(("broken", "selectors no longer match")) or health == "failing"
    )


def failed_last_run(row: dict) -> bool:
    """Whether an enabled source's last run failed (any verdict but ok after a failure)."""
    return bool(row.get("enabled")) and bool(row.get("consecutive_failures"))


def all_failed(rows: list[dict]) -> bool:
    """Whether every enabled source that has been crawled failed its last run."""
    crawled = [row for row in rows if row.get("enabled") and row.get("runs")]
    return bool(crawled) and all(failed_last_run(row) for row in crawled)


def _cell(key: str, value: object) -> str:
    if value is None:
        return "-"
    text = str(value)
    if key in ("last_success", "last_new_release"):
        return text[:16].replace("T", " ")
    if key == "last_error":
        first = text.splitlines()[0] if text else ""
        more = text.count("\n")
        first += f" (+{more} more)" if more else ""
        return first if len(first) <= ERROR_WIDTH else first[: ERROR_WIDTH - 1] + "…"
    return text


def health_table(rows: list[dict]) -> str:
    """The rows of ``source_health`` as an aligned text table, flagged sources marked ``!``."""
    cells = [[_cell(key, row.get(key)) for _, key in COLUMNS] for row in rows]
    widths = [
        max([len(title), *(len(line[i]) for line in cells)]) for i, (title, _) in enumerate(COLUMNS)
    ]

    def line(values: list[str], mark: str) -> str:
        parts = [
            f"{v:>{w}}" if key in NUMERIC else f"{v:<{w}}"
            for v, w, (_, key) in zip(values, widths, COLUMNS, strict=True)
        ]
        return f"{mark} " + "  ".join(parts).rstrip()

    def mark(row: dict) -> str:
        return "!" if needs_attention(row) else "?" if failed_last_run(row) else " "

    lines = [line([title for title, _ in COLUMNS], " ")]
    for row, values in zip(rows, cells, strict=True):
        lines.append(line(values, mark(row)))
    flagged = [row["agency_id"] for row in rows if needs_attention(row)]
    failed = [row["agency_id"] for row in rows if failed_last_run(row) and not needs_attention(row)]
    if flagged:
        lines.append(f"! {len(flagged)} source(s) need attention: {', '.join(flagged)}")
    if failed:
        lines.append(f"? {len(failed)} source(s) failed last run: {', '.join(failed)}")
    if all_failed(rows):
        lines.append(
            "every crawled source failed its last run: was the machine offline? "
            "(see the last error; make ingest says so when no site answers)"
        )
    elif not flagged and not failed:
        lines.append(f"{len(rows)} source(s); none broken, failing or failed last run")
    return "\n".join(lines)


class Command(BlotterCommand):
    usage = "[--db DB]"
    summary = "One row per source: is it still working? (exit 1 when one is broken or failing)"

    def arguments(self, parser: argparse.ArgumentParser) -> None:
        self.add_db_option(parser)

    def perform(self, args: list[str], opts: argparse.Namespace) -> int:
        try:
            store = Store(opts.db, readonly=True)
        except StoreError as exc:
            print(f"blotter: {exc}", file=sys.stderr)
            return EXIT_STORAGE
        try:
            rows = store.source_health()
        finally:
            store.close()
        if not rows:
            print(
                f"health: {opts.db} has no sources yet (crawl first: make ingest)", file=sys.stderr
            )
        print(health_table(rows))
        return 1 if any(needs_attention(row) for row in rows) or all_failed(rows) else 0
