"""``scrapy nightly``: one unattended ingest, under a lock, with a log file per run.

    scrapy nightly [--db DB] [--sources FILE] [--log-dir DIR] [--keep N] [-- INGEST-ARGS]

- Takes the database's writer lock, ``<db>.lock`` (:mod:`pipelines.store.lock`, the lock
  every writer holds). While another run holds it, this one prints ``another blotter run holds
  <lock> (pid N); exiting`` and exits with :data:`EXIT_LOCKED` (75, ``EX_TEMPFAIL``), after
  waiting up to ``BLOTTER_LOCK_WAIT`` seconds (default 0). The lock goes with the process, so a
  killed run never leaves a stale lock behind.
- Writes everything the crawl prints to ``<log-dir>/nightly-YYYYmmdd-HHMMSS.log`` as well as
  to its own output (the quiet output of ``scrapy ingest``), the crawl's full log (Scrapy's
  lines, DEBUG and tracebacks included) beside it as ``nightly-….full.log``, and keeps the
  newest ``--keep`` runs' logs (default 30), deleting older ones.
- Runs ``scrapy ingest --sources FILE --db DB [ARGS]`` and exits with its exit code: 0 every
  source crawled, 1 some source failed (see ``make health``), 2 a bad source list, 3
  interrupted (signal or the 6 h run budget, ``BLOTTER_RUN_BUDGET_S``), 4 a storage error.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import IO

from crawler.cli import BlotterCommand
from pipelines.store.lock import (
    EXIT_LOCKED,
    LOCK_FD_ENV,
    Locked,
    default_wait,
    lock_path,
    run_lock,
)

__all__ = ["EXIT_LOCKED", "Locked", "nightly", "run_lock"]
ROOT = Path(__file__).resolve().parents[2]
LOG_PREFIX = "nightly-"
FULL_SUFFIX = ".full.log"  # the crawl's full log, tracebacks included, beside the run's log
RUN_BUDGET_S = 6 * 3600  # a nightly run is closed as interrupted after 6 h (BLOTTER_RUN_BUDGET_S)


def new_log_path(log_dir: Path, now: datetime | None = None) -> Path:
    """``<log_dir>/nightly-YYYYmmdd-HHMMSS.log`` (``-2``, ``-3``… when that second is taken)."""
    log_dir.mkdir(parents=True, exist_ok=True)
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    path = log_dir / f"{LOG_PREFIX}{stamp}.log"
    n = 2
    while path.exists():
        path = log_dir / f"{LOG_PREFIX}{stamp}-{n}.log"
        n += 1
    return path


def full_log_path(log: Path) -> Path:
    """The full-detail log beside a run's log: ``nightly-….log`` → ``nightly-….full.log``."""
    return log.with_name(log.name.removesuffix(".log") + FULL_SUFFIX)


def rotate_logs(log_dir: Path, keep: int) -> list[Path]:
    """Delete all but the newest ``keep`` nightly logs of ``log_dir`` (each with its full log
    beside it); return the run logs deleted."""
    logs = sorted(
        (p for p in log_dir.glob(f"{LOG_PREFIX}*.log") if not p.name.endswith(FULL_SUFFIX)),
        key=lambda p: (p.stat().st_mtime, p.name),
    )
    doomed = logs[: max(0, len(logs) - keep)]
    for path in doomed:
        path.unlink(missing_ok=True)
        full_log_path(path).unlink(missing_ok=True)
    return doomed


def ingest_command(db: str, sources: str, extra: list[str]) -> list[str]:
    """The ``scrapy ingest`` command line a nightly run executes (with a 6 h run budget)."""
    budget = (
        []
        if any("BLOTTER_RUN_BUDGET_S" in arg for arg in extra)
        else [
            "-s",
            f"BLOTTER_RUN_BUDGET_S={RUN_BUDGET_S}",
        ]
    )
    command = [sys.executable, "-m", "scrapy", "ingest", "--sources", sources, "--db", db]
    return [*command, *budget, *extra]


def tee(command: list[str], log: IO[str], out: IO[str], keep_fds: tuple[int, ...] = ()) -> int:
    """Run ``command`` (stdout and stderr merged), copying each line to ``log`` and ``out``.

    ``keep_fds`` are passed to the child (the run lock). A SIGTERM sent to this process is
    passed on to the child, so that stopping a nightly run stops its crawl cleanly.
    """
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1"}
    if keep_fds:  # the child's Store uses the lock held here instead of waiting for it
        env[LOCK_FD_ENV] = str(keep_fds[0])
    with subprocess.Popen(
        command,
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        errors="replace",
        bufsize=1,
        pass_fds=keep_fds,
    ) as process:
        signal.signal(signal.SIGTERM, lambda signum, frame: process.send_signal(signum))
        assert process.stdout is not None
        for line in process.stdout:
            log.write(line)
            log.flush()
            out.write(line)
            out.flush()
        return process.wait()


def nightly(db: str, sources: str, log_dir: Path, keep: int, extra: list[str]) -> int:
    """One locked, logged ingest; the exit code of the crawl, or EXIT_LOCKED.

    Relative paths are taken from the current directory (the crawl itself runs in the project).
    """
    if Path.cwd().resolve() != ROOT:
        db, sources = os.path.abspath(db), os.path.abspath(sources)
    lock = lock_path(db)
    try:
        with run_lock(lock, default_wait()) as lock_fd:
            path = new_log_path(log_dir)
            command = ingest_command(
                db, sources, ["-s", f"BLOTTER_FULL_LOG={full_log_path(path).resolve()}", *extra]
            )
            started = time.monotonic()
            with open(path, "w", encoding="utf-8") as log:
                log.write(f"# blotter nightly, pid {os.getpid()}, {datetime.now().isoformat()}\n")
                log.write(f"# {' '.join(command)}\n")
                log.flush()
                code = tee(command, log, sys.stdout, keep_fds=(lock_fd,))
                log.write(f"# exit {code} after {time.monotonic() - started:.1f} s\n")
            print(f"blotter nightly: exit {code}; log {path}", flush=True)
            rotate_logs(log_dir, keep)
            return code
    except Locked as exc:
        print(exc, file=sys.stderr, flush=True)
        return EXIT_LOCKED


class Command(BlotterCommand):
    usage = "[--db DB] [--sources FILE] [--log-dir DIR] [--keep N] [-- INGEST-ARGS]"
    summary = "Ingest under a lock (exit 75 while another run holds it), logged; for cron"
    accepts_extra_args = True

    def arguments(self, parser: argparse.ArgumentParser) -> None:
        self.add_db_option(parser)
        parser.add_argument("--sources", help="source list (default: BLOTTER_SOURCES)")
        parser.add_argument("--log-dir", type=Path, default=Path("data/logs"))
        parser.add_argument("--keep", type=int, default=30, help="logs kept (default: 30)")

    def perform(self, args: list[str], opts: argparse.Namespace) -> int:
        extra = args[1:] if args[:1] == ["--"] else args
        sources = opts.sources or self.settings.get("BLOTTER_SOURCES")
        return nightly(opts.db, sources, opts.log_dir, max(1, opts.keep), extra)
