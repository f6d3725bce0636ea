"""``scrapy merge SHARD.db… --into releases.db``: join shard databases into one file.

The shards are the files of crawls cut with ``-a shard=i/n`` (``scrapy ingest --shard i/n``),
one per machine. Rows are matched by stable keys, never by integer id (see
:mod:`pipelines.store.merge`): merging a shard twice changes nothing, and tonight's shards merge
into last night's file. Exit codes: 0 merged; 2 a shard or the target cannot be used (the
message names the file; nothing was written).
"""

from __future__ import annotations

import argparse
import sys

from crawler.cli import BlotterCommand
from pipelines.store import StoreError
from pipelines.store.merge import merge


class Command(BlotterCommand):
    usage = "SHARD.db [SHARD.db ...] --into DB"
    summary = "Merge shard databases (crawled with --shard i/n) into one database"
    accepts_extra_args = True

    def arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument(
            "--into", required=True, metavar="DB", help="the merged database (created if need be)"
        )

    def perform(self, args: list[str], opts: argparse.Namespace) -> int:
        try:
            report = merge(args, opts.into)
        except StoreError as exc:
            print(f"blotter: {exc}", file=sys.stderr)
            return 2
        for counts in report:
            print(counts.line())
        print(f"merged {len(report)} shard(s) into {opts.into}")
        return 0
