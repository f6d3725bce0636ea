"""``scrapy reparse [--db DB]``: rebuild every release from its archived page (no network)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from crawler.cli import BlotterCommand, warn_if_empty
from crawler.reparse import reparse


class Command(BlotterCommand):
    usage = "[--db DB]"
    summary = "Re-run page parsing and extraction over the archived pages (no network)"

    def arguments(self, parser: argparse.ArgumentParser) -> None:
        self.add_db_option(parser)

    def perform(self, args: list[str], opts: argparse.Namespace) -> int:
        if not Path(opts.db).is_file():  # reparse opens for writing: it would make an empty file
            print(
                f"reparse: {opts.db}: no such database (crawl first: make ingest, or make demo)",
                file=sys.stderr,
            )
            return 2
        report = reparse(opts.db)
        if not report.releases:
            warn_if_empty(opts.db, "reparse")
        print(
            f"reparsed {report.releases} releases from the archive: {report.changed} changed, "
            f"{report.errors} errors, {report.seconds:.2f} s ({report.rate:.0f} releases/s)"
        )
        return 1 if report.errors else 0
