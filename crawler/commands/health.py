"""``scrapy health [--db DB]``: how each source is doing, as a table.

One row per source of the ``source_health`` view: its verdict, last successful crawl, last new
release, consecutive failed runs, releases published in the last 7 and 30 days, and the first
line of its last error. Verdicts: ``ok``, ``broken: layout changed?`` (a listing or release page
that used to parse no longer does), ``failing`` (3+ failed runs in a row), ``failed last run``,
``stale`` (no new release in 30 days), ``no releases yet``, ``never crawled``, ``disabled``.

Exit code: 1 when an enabled source is broken or failing (worth a look), else 0.
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
    """Whether a source's health row says it is broken or failing (and it is enabled)."""
    health = row.get("health") or ""
    return bool(row.get("enabled")) and (health.startswith("broken") or health == "failing")


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

    lines = [line([title for title, _ in COLUMNS], " ")]
    for row, values in zip(rows, cells, strict=True):
        lines.append(line(values, "!" if needs_attention(row) else " "))
    flagged = [row["agency_id"] for row in rows if needs_attention(row)]
    if flagged:
        lines.append(f"{len(flagged)} source(s) need attention: {', '.join(flagged)}")
    else:
        lines.append(f"{len(rows)} source(s); none broken or failing")
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
        print(health_table(rows))
        return 1 if any(needs_attention(row) for row in rows) else 0
