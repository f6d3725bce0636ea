"""The base of blotter's own ``scrapy`` commands (``crawler/commands/``), other than ``ingest``.

Every operation is a ``scrapy <command>`` run in the project: ``ingest``, ``nightly``,
``reparse``, ``health``, ``export``, ``serve``, ``demo``, ``merge`` (and ``crawl``, Scrapy's own
with ingest's exit codes). Those that do not crawl subclass :class:`BlotterCommand`: they
declare their options in :meth:`BlotterCommand.arguments`, do their work in
:meth:`BlotterCommand.perform` and return its exit code. ``--db`` defaults to the ``BLOTTER_DB``
setting (``BLOTTER_DB`` in the environment, else ``data/releases.db``).
"""

from __future__ import annotations

import argparse
import signal
import sys
from pathlib import Path

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from pipelines.exitcodes import EXIT_LOCKED, EXIT_STORAGE
from pipelines.store import Store, StoreError, StoreLocked


def ignore_late_signals() -> None:
    """After a crawl: a Ctrl-C or SIGTERM that arrives now is ignored, so the exit code stays
    the run's.

    The run is over and recorded by then. The second of two quick Ctrl-C could otherwise land
    while Python shuts down, when the default handlers are back, and kill the process with
    SIGINT (exit -2) instead of blotter's exit code for an interrupted run.
    """
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, signal.SIG_IGN)


def warn_if_empty(db: Path | str, command: str) -> bool:
    """Say on stderr when ``db`` is missing or holds no release yet; return whether it did.

    A command reading the default ``data/releases.db`` before any crawl otherwise prints an
    empty table, or writes ``[]``, without a word.
    """
    if not Path(db).is_file():
        print(
            f"{command}: {db} does not exist (crawl first: make ingest, or make demo)",
            file=sys.stderr,
        )
        return True
    try:
        store = Store(db, readonly=True)
    except StoreError:
        return False  # the command itself reports why it cannot read the file
    try:
        empty = store.is_empty()
    finally:
        store.close()
    if empty:
        print(
            f"{command}: warning: {db} holds no releases yet (crawl first: make ingest; "
            "or pick another file with DB=, e.g. DB=data/demo.db after make demo)",
            file=sys.stderr,
        )
    return empty


class BlotterCommand(ScrapyCommand):
    """A ``scrapy`` command that needs the project's settings but no crawler process."""

    requires_project = True
    requires_crawler_process = False
    accepts_extra_args = False  # ``nightly`` passes what follows ``--`` on to ``scrapy ingest``
    usage = ""
    summary = ""

    def syntax(self) -> str:
        return self.usage

    def short_desc(self) -> str:
        return self.summary

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        self.arguments(parser)

    def arguments(self, parser: argparse.ArgumentParser) -> None:
        """Declare the command's own options."""

    def add_db_option(self, parser: argparse.ArgumentParser, default: str | None = None) -> None:
        """``--db PATH``; without it, ``default`` or else the ``BLOTTER_DB`` setting."""
        parser.add_argument(
            "--db", default=default, help=f"database file (default: {default or 'BLOTTER_DB'})"
        )

    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        super().process_options(args, opts)
        if args and not self.accepts_extra_args:
            raise UsageError(f"unexpected arguments: {' '.join(args)}")
        if getattr(opts, "db", "") is None:
            opts.db = self.settings.get("BLOTTER_DB")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        """Run :meth:`perform`; a database that cannot be used is one message and its code."""
        try:
            self.exitcode = self.perform(args, opts)
        except StoreLocked as exc:  # another run writes this database (pipelines.store.lock)
            print(f"blotter: {exc}", file=sys.stderr, flush=True)
            self.exitcode = EXIT_LOCKED
        except StoreError as exc:  # full, read-only, corrupt: the message names the file
            print(f"blotter: {exc}", file=sys.stderr, flush=True)
            self.exitcode = EXIT_STORAGE

    def perform(self, args: list[str], opts: argparse.Namespace) -> int:
        """Do the command's work; return its exit code."""
        raise NotImplementedError
