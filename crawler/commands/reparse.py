"""``scrapy reparse [--db DB] [--workers N]``: rebuild every release from its archived page.

No network. Parsing and extraction run in N worker processes (default: one per CPU; 0 runs
them in this process); this process writes the results.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from crawler.cli import BlotterCommand, warn_if_empty


class Command(BlotterCommand):
    usage = "[--db DB] [--workers N]"
    summary = "Re-run page parsing and extraction over the archived pages (no network)"

    def arguments(self, parser: argparse.ArgumentParser) -> None:
        self.add_db_option(parser)
        parser.add_argument(
            "--workers",
            type=int,
            default=None,
            help="processes that parse and extract (default: one per CPU; 0: none)",
        )

    def perform(self, args: list[str], opts: argparse.Namespace) -> int:
        if opts.workers is not None and opts.workers < 0:
            print("blotter: --workers must be 0 or more", file=sys.stderr)
            return 2
        if not Path(opts.db).is_file():  # reparse opens for writing: it would make an empty file
            print(
                f"reparse: {opts.db}: no such database (crawl first: make ingest, or make demo)",
                file=sys.stderr,
            )
            return 2
        from crawler.reparse import reparse  # the extraction library: only when it runs

        report = reparse(opts.db, workers=opts.workers)
        if not report.releases:
            warn_if_empty(opts.db, "reparse")
        print(
            f"reparsed {report.releases} releases from the archive: {report.changed} changed, "
            f"{report.errors} errors, {report.seconds:.2f} s ({report.rate:.0f} releases/s, "
            f"{report.workers} workers)"
        )
        return 1 if report.errors else 0
