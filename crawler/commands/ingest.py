"""``scrapy ingest``: crawl a source list into the database, with an exit code that tells.

Exit codes (:mod:`pipelines.exitcodes`): 0 every source crawled cleanly; 1 at least one source
failed (its error is in the summary and in ``source_runs``); 2 the source list or the arguments
are wrong (nothing crawled); 3 the run was interrupted (a signal, closespider, a time budget);
4 a storage error (disk full, read-only, corrupt or locked file); 75 another blotter run holds
the database's writer lock (after waiting ``BLOTTER_LOCK_WAIT`` seconds, default 0).

At ``INFO`` the terminal gets one line per failed source, progress lines and the summary
(:mod:`crawler.quiet`); ``-L DEBUG`` or ``--logfile FILE`` keep Scrapy's full log. When every
source failed to connect, a last line says the machine looks offline.
"""

from __future__ import annotations

import argparse
import os
import sys

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from crawler.cli import ignore_late_signals
from crawler.quiet import OFFLINE_HINT, install_quiet_console
from crawler.sources import (
    SourceListError,
    load_sources,
    resolve_path,
    select_sources,
    shard_sources,
)
from crawler.spiders.releases import checked_since
from pipelines.exitcodes import EXIT_INTERRUPTED, EXIT_LOCKED, EXIT_STORAGE, EXIT_USAGE
from pipelines.store import Store, StoreError, StoreLocked, storage_problem


class Command(ScrapyCommand):
    requires_project = True

    def syntax(self) -> str:
        return (
            "[--sources FILE] [--db PATH] [--source ID[,ID]] [--proxy URL] [--backfill] "
            "[--since YYYY-MM-DD] [--shard I/N]"
        )

    def short_desc(self) -> str:
        return "Crawl every source of a source list into the SQLite database"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("--sources", help="source list (default: BLOTTER_SOURCES)")
        parser.add_argument("--db", help="database file (default: BLOTTER_DB)")
        parser.add_argument("--source", help="only these source ids (comma-separated)")
        parser.add_argument("--proxy", help="send every request through this HTTP proxy")
        parser.add_argument(
            "--backfill",
            action="store_true",
            help="page through every listing to its end and re-check every release",
        )
        parser.add_argument(
            "--since",
            metavar="YYYY-MM-DD",
            help="stop paging a source once its listing reaches releases published before this",
        )

        parser.add_argument(
            "--shard",
            metavar="I/N",
            help="crawl only the I-th of N parts of the list (a stable hash of each agency id)",
        )

    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        super().process_options(args, opts)
        if args:
            raise UsageError(f"unexpected arguments: {' '.join(args)}")
        if opts.sources:
            self.settings.set("BLOTTER_SOURCES", opts.sources, priority="cmdline")
        if opts.db:
            self.settings.set("BLOTTER_DB", opts.db, priority="cmdline")
        if opts.proxy:
            self.settings.set("BLOTTER_PROXY", opts.proxy, priority="cmdline")
        install_quiet_console(self.settings)

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        path = resolve_path(self.settings.get("BLOTTER_SOURCES"), self.settings.get("BLOTTER_HOME"))
        try:
            chosen = select_sources(load_sources(path), opts.source, path)
            chosen = shard_sources(chosen, opts.shard)
        except SourceListError as exc:
            print(f"blotter: {exc}", file=sys.stderr)
            self.exitcode = 2
            return
        except ValueError as exc:
            print(f"blotter: --{exc}", file=sys.stderr)
            self.exitcode = 2
            return
        if opts.shard and not any(s.enabled for s in chosen):
            print(f"blotter: {path}: shard {opts.shard} holds no enabled source", file=sys.stderr)
            return  # a valid split of a short list: nothing to do, not a fault
        if not any(s.enabled for s in chosen):
            print(f"blotter: {path}: no enabled source to crawl", file=sys.stderr)
            self.exitcode = 2
            return
        if not os.environ.get("BLOTTER_CONTACT") and not self.settings.get("BLOTTER_PROXY"):
            print(
                "blotter: BLOTTER_CONTACT is not set: the user agent names the project, not you. "
                "Set it to an address a site's webmaster can reach you at.",
                file=sys.stderr,
            )
        try:
            checked_since(opts.since)
        except ValueError as exc:
            print(f"blotter: --{exc}", file=sys.stderr)
            self.exitcode = EXIT_USAGE
            return
        # The writer lock and the migrations first, before any request: a second writer, or a
        # file that cannot be written, is refused with one message and nothing crawled.
        db = self.settings.get("BLOTTER_DB")
        try:
            store = Store(db)
        except StoreLocked as exc:
            print(f"blotter: {exc}", file=sys.stderr, flush=True)
            self.exitcode = EXIT_LOCKED
            return
        except StoreError as exc:
            print(f"blotter: {exc}", file=sys.stderr, flush=True)
            self.exitcode = EXIT_STORAGE
            return
        try:
            self.exitcode = self._crawl(path, opts, store)
        finally:
            store.close()

    def _crawl(self, path: str, opts: argparse.Namespace, store: Store) -> int:
        assert self.crawler_process
        crawler = self.crawler_process.create_crawler("releases")
        mode = "backfill" if opts.backfill else "incremental"
        self.crawler_process.crawl(
            crawler, sources=path, source=opts.source, mode=mode, since=opts.since, shard=opts.shard
        )
        self.crawler_process.start()
        ignore_late_signals()  # the run is recorded: its exit code must be the last word
        stats = crawler.stats
        if summary := stats.get_value("blotter/summary"):
            print(summary, flush=True)  # after Scrapy's own closing log lines: the last word
        if stats.get_value("blotter/looks_offline"):
            print(OFFLINE_HINT, flush=True)
        if fatal := stats.get_value("blotter/storage_error"):
            print(f"blotter: {fatal}", file=sys.stderr, flush=True)
            return stats.get_value("blotter/exit_code") or EXIT_STORAGE
        run_id = stats.get_value("blotter/run_id")
        if self.crawler_process.bootstrap_failed or run_id is None:
            return EXIT_USAGE
        code = stats.get_value("blotter/exit_code")
        if code is None:  # a second Ctrl-C/SIGTERM stopped the crawl before the run finished
            try:
                store.interrupt_run(run_id, "stopped by a second signal before it could finish")
            except Exception as exc:
                if storage_problem(exc) is None:
                    raise
            print(f"blotter run {run_id} interrupted before it could finish", flush=True)
            return EXIT_INTERRUPTED
        return code
