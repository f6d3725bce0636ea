"""``make faults``: every fault kind blotter is meant to survive, run for real, in one table.

    python -m tests.faults [--only KIND[,KIND]] [--list]

Each fault kind is played against local hostile servers on 127.0.0.1 (tests/faultserver.py)
and real ``scrapy ingest`` / ``nightly`` / ``reparse`` processes, and measured: what blotter
did, the releases stored before and after (the "after" of a run-level fault is after the next
plain run), duplicated releases, releases lost (expected minus stored), and the exit code of
the faulty run. A kind ``survived`` when its exit code and recorded error are the ones
documented, no traceback was printed, and nothing was lost or duplicated. Exits 1 when any
kind did not survive. ``tests/test_faults.py`` and ``tests/test_hardening.py`` run the same
scenarios under pytest (``make test``).
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from crawler.commands.demo import LOCAL_SETTINGS
from pipelines.exitcodes import EXIT_INTERRUPTED, EXIT_LOCKED, EXIT_STORAGE
from tests.faultserver import (
    FAULTS,
    PAGED_RELEASES,
    STORES_THREE,
    TIMED_FAULTS,
    MisbehavingServer,
    crawl,
    fault_source,
    ingest_command,
    run_env,
)

ROOT = Path(__file__).resolve().parent.parent

GOOD_SOURCE = """
[[source]]
id = "riverton-oh-pd"
name = "Riverton Police Department"
state = "OH"
timezone = "America/New_York"
platform = "civicplus"
listing_url = "http://police.riverton.test/CivicAlerts.aspx?CID=2"
"""
GOOD_RELEASES = 20

# What the recorded error of each failing per-source fault says (a regular expression).
EXPECTED_ERROR = {
    "http-500": r"HTTP 500",
    "reset": r"ConnectionLost|ConnectionDone|ResponseNeverReceived|ConnectionReset",
    "truncated": r"DataLoss.*truncated",
    "huge": r"DownloadCancelled.*DOWNLOAD_MAXSIZE",
    "redirect-loop": r"redirect loop",
    "redirect-chain": r"max redirections",
    "gzip-bomb": r"exceeded DOWNLOAD_MAXSIZE",
    "binary": r"not an HTML page|no release links found",
    "many-links": r"BLOTTER_MAX_LINKS_PER_PAGE",
    "endless-pages": r"BLOTTER_MAX_LISTING_PAGES",
    "file-link": r"refused file://file-link\.fault\.test/etc/passwd: only http and https",
    "other-schemes": r"refused (ftp|s3)://other-schemes\.fault\.test/.*only http and https",
    "file-redirect": r"HTTP 302 redirect refused file:///etc/passwd: only http and https",
    "private-redirect": r"HTTP 302 redirect refused http://169\.254\.169\.254/.*not a public",
    "file-feed": r"refused file://file-feed\.fault\.test/etc/passwd",
    "file-pdf": r"refused file://file-pdf\.fault\.test/etc/passwd\.pdf",
    "hostile-pdf": r"PDF",
}
TIMED_ERROR = {
    "timeout": r"TimeoutError|took longer than",
    "retry-after": r"interrupted: its time budget of 10 s .*Retry-After",
}
# Releases each per-source fault's site holds that are worth storing.
EXPECTED_NEW = {**dict.fromkeys(STORES_THREE, 3), "many-links": 25, "endless-pages": 12}
SETTINGS = [
    "DOWNLOAD_TIMEOUT=60",  # no fault of this crawl hangs: nothing here may time out
    "DOWNLOAD_MAXSIZE=2000000",  # the 50 MB page and the 200 MB bomb both exceed it
    "DOWNLOAD_WARNSIZE=0",
    "RETRY_TIMES=0",
    "BLOTTER_MAX_LINKS_PER_PAGE=25",
    "BLOTTER_MAX_LISTING_PAGES=12",
    "BLOTTER_ALLOW_PRIVATE=false",  # the fake hosts resolve to nothing; 169.254.x.x is refused
]
TIMED_SETTINGS = ["DOWNLOAD_TIMEOUT=2", "RETRY_TIMES=1", "BLOTTER_SOURCE_BUDGET_S=10"]
PAGED = fault_source("paged")  # a good 10-page listing (5 releases a page) to interrupt
LOCKED_WORDS = "database is locked"


@dataclass
class Row:
    """One line of the table."""

    kind: str
    did: str
    before: int
    after: int
    duplicates: int
    lost: int
    exit_code: int | None
    survived: bool


def settings_args(settings: list[str]) -> list[str]:
    """``-s NAME=VALUE`` for each setting."""
    return [arg for setting in settings for arg in ("-s", setting)]


def releases(db: Path, source_id: str | None = None) -> int:
    """Releases stored in ``db`` (of one source), 0 when there is no readable file."""
    try:
        with sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True, timeout=10) as conn:
            sql, args = "SELECT count(*) FROM releases", []
            if source_id:
                sql, args = sql + " WHERE agency_id = ?", [source_id]
            return conn.execute(sql, args).fetchone()[0]
    except sqlite3.Error:
        return 0


def duplicates(db: Path) -> int:
    """Releases stored twice (same URL) plus people extracted twice from one release."""
    try:
        with sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True, timeout=10) as conn:
            urls = conn.execute(
                "SELECT count(*) FROM (SELECT url FROM releases GROUP BY url HAVING count(*) > 1)"
            ).fetchone()[0]
            people = conn.execute(
                "SELECT count(*) FROM (SELECT 1 FROM people GROUP BY release_id, position "
                "HAVING count(*) > 1)"
            ).fetchone()[0]
            return urls + people
    except sqlite3.Error:
        return 0


def run_row(db: Path, run_id: int = 1) -> tuple[str | None, str | None]:
    """(status, close_reason) of a crawl run."""
    try:
        with sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True, timeout=10) as conn:
            row = conn.execute(
                "SELECT status, close_reason FROM crawl_runs WHERE id = ?", [run_id]
            ).fetchone()
    except sqlite3.Error:
        return None, None
    return (row[0], row[1]) if row else (None, None)


def clean(text: str) -> bool:
    """No traceback, no "database is locked" in a process's output."""
    return "Traceback" not in text and LOCKED_WORDS not in text


# -- per-source faults: two crawls, one row per fault --------------------------------------


def per_source_rows(tmp: Path) -> list[Row]:
    """Every per-source fault (and the good source beside them), from two crawls."""
    rows: list[Row] = []
    for faults, settings, expected, good in (
        (FAULTS, SETTINGS, EXPECTED_ERROR, GOOD_SOURCE),
        (TIMED_FAULTS, TIMED_SETTINGS, TIMED_ERROR, ""),
    ):
        work = Path(tempfile.mkdtemp(dir=tmp))
        sources = work / "sources.toml"
        sources.write_text(good + "".join("\n" + fault_source(f) for f in faults))
        db = work / "faults.db"
        with MisbehavingServer() as server:
            result = crawl(sources, db, server, settings_args(settings))
        output = result.stdout + result.stderr
        dups = duplicates(db)
        with sqlite3.connect(db) as conn:
            runs = {
                agency: (status, error or "", new)
                for agency, status, error, new in conn.execute(
                    "SELECT agency_id, status, error, new FROM source_runs"
                )
            }
        for fault in faults:
            status, error, new = runs.get(fault, ("missing", "", 0))
            want = EXPECTED_NEW.get(fault, 0)
            pattern = expected.get(fault)
            as_expected = bool(re.search(pattern, error)) if pattern else status == "ok"
            first = error.splitlines()[0] if error else ""
            did = first if first.startswith(status) else f"{status}: {first}" if first else status
            rows.append(
                Row(
                    fault,
                    did,
                    0,
                    new,
                    dups,
                    max(0, want - new),
                    result.returncode,
                    as_expected and new >= want and dups == 0 and clean(output),
                )
            )
        if good:
            new = releases(db, "riverton-oh-pd")
            rows.append(
                Row(
                    "good-source-beside-faults",
                    f"{runs['riverton-oh-pd'][0]}: crawled as if nothing happened",
                    0,
                    new,
                    dups,
                    max(0, GOOD_RELEASES - new),
                    result.returncode,
                    runs["riverton-oh-pd"][0] == "ok" and new == GOOD_RELEASES,
                )
            )
        with sqlite3.connect(db) as conn:
            schemes = {
                s
                for (s,) in conn.execute(
                    "SELECT DISTINCT substr(url, 1, instr(url, ':') - 1) FROM pages"
                )
            }
        if good:
            rows.append(
                Row(
                    "no-local-files-archived",
                    f"page URL schemes after the crawl: {', '.join(sorted(schemes))}",
                    0,
                    releases(db),
                    dups,
                    0,
                    result.returncode,
                    schemes == {"http"},
                )
            )
    return rows


# -- run-level faults: one database each, the faulty run then a plain run ------------------


class Lab:
    """A temporary directory with the paged source list, and helpers to run commands in it."""

    def __init__(self, tmp: Path, server: MisbehavingServer, name: str):
        self.dir = Path(tempfile.mkdtemp(prefix=f"{name}-", dir=tmp))
        self.server = server
        self.sources = self.dir / "sources.toml"
        self.sources.write_text(PAGED)
        self.db = self.dir / "blotter.db"

    def start(self, command: list[str], env: dict | None = None, **popen) -> subprocess.Popen:
        """Start a command, its output (stdout and stderr) going to a file of its own."""
        self.outputs = getattr(self, "outputs", 0) + 1
        log = self.dir / f"output-{self.outputs}.txt"
        with open(log, "w") as handle:
            process = subprocess.Popen(
                command,
                cwd=ROOT,
                env=env or run_env(),
                stdout=handle,
                stderr=subprocess.STDOUT,
                text=True,
                **popen,
            )
        process.log = log  # type: ignore[attr-defined]
        return process

    def ingest(self, extra: list[str] | None = None, **popen) -> subprocess.Popen:
        command = ingest_command(self.sources, self.db, self.server.proxy_url, extra)
        return self.start(command, **popen)

    def nightly(self) -> subprocess.Popen:
        command = [sys.executable, "-m", "scrapy", "nightly", "--db", str(self.db)]
        command += ["--sources", str(self.sources), "--log-dir", str(self.dir / "logs"), "--"]
        command += ["--proxy", self.server.proxy_url, "-s", "LOG_LEVEL=WARNING"]
        command += settings_args(list(LOCAL_SETTINGS))
        return self.start(command)

    def finish(self, process: subprocess.Popen, timeout: float = 300) -> tuple[int, str]:
        """Wait for a command to end; its exit code and output."""
        code = process.wait(timeout=timeout)
        return code, process.log.read_text(errors="replace")  # type: ignore[attr-defined]

    def wait_for(self, process: subprocess.Popen, stored: int, timeout: float = 120) -> None:
        """Until ``stored`` releases are in the database (the crawl must still be running)."""
        deadline = time.monotonic() + timeout
        while releases(self.db) < stored:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the crawl ended or stalled before {stored} releases")
            time.sleep(0.05)

    def rerun(self) -> tuple[int, str]:
        """A plain ingest at full speed, to its end."""
        delay = self.server.handler.delay
        self.server.set_delay(0)
        try:
            return self.finish(self.ingest())
        finally:
            self.server.set_delay(delay)

    def row(self, kind: str, did: str, before: int, code: int | None, ok: bool) -> Row:
        after = releases(self.db)
        dups = duplicates(self.db)
        lost = max(0, PAGED_RELEASES - after)
        return Row(kind, did, before, after, dups, lost, code, ok and lost == 0 and dups == 0)


def _stopped(lab: Lab, kind: str, signals_: list[int], gap: float = 0.0) -> Row:
    process = lab.ingest()
    lab.wait_for(process, 8)
    for n, signum in enumerate(signals_):
        if n:
            time.sleep(gap)
        process.send_signal(signum)
    code, out = lab.finish(process)
    before = releases(lab.db)
    status, reason = run_row(lab.db)
    again, out2 = lab.rerun()
    expected = -signal.SIGKILL if signals_ == [signal.SIGKILL] else EXIT_INTERRUPTED
    want_status = "running" if signals_ == [signal.SIGKILL] else "interrupted"
    ok = code == expected and status == want_status and again == 0 and clean(out + out2)
    ok = ok and (signals_ == [signal.SIGKILL] or clean(out))
    did = f"exit {code}, run {status} ({reason or '-'}); the next plain run: exit {again}"
    return lab.row(kind, did, before, code, ok)


def sigterm(lab: Lab) -> Row:
    """SIGTERM (systemd, timeout, Scrapyd) half-way through a 10-page listing."""
    return _stopped(lab, "sigterm", [signal.SIGTERM])


def sigint(lab: Lab) -> Row:
    """One Ctrl-C half-way."""
    return _stopped(lab, "ctrl-c", [signal.SIGINT])


def double_sigint(lab: Lab) -> Row:
    """Two Ctrl-C: Scrapy's unclean stop."""
    return _stopped(lab, "double-ctrl-c", [signal.SIGINT, signal.SIGINT], gap=0.3)


def kill9(lab: Lab) -> Row:
    """SIGKILL half-way: no chance to record anything."""
    return _stopped(lab, "kill-9", [signal.SIGKILL])


def _closed(lab: Lab, kind: str, settings: list[str]) -> Row:
    code, out = lab.finish(lab.ingest(settings_args(settings)))
    before = releases(lab.db)
    status, reason = run_row(lab.db)
    again, out2 = lab.rerun()
    ok = code == EXIT_INTERRUPTED and status == "interrupted" and again == 0
    did = f"exit {code}, run {status} ({reason}); the next plain run: exit {again}"
    return lab.row(kind, did, before, code, ok and clean(out + out2))


def closespider(lab: Lab) -> Row:
    """CLOSESPIDER_PAGECOUNT stops the crawl early."""
    return _closed(lab, "closespider", ["CLOSESPIDER_PAGECOUNT=12"])


def run_budget(lab: Lab) -> Row:
    """The run's time budget runs out (BLOTTER_RUN_BUDGET_S)."""
    return _closed(lab, "run-budget", ["BLOTTER_RUN_BUDGET_S=3"])


def disk_full(lab: Lab) -> Row:
    """The database's disk fills up mid-crawl (a file size limit on the crawl process)."""
    code, _ = lab.finish(lab.ingest(["-s", "CLOSESPIDER_PAGECOUNT=1"]))  # schema + 1 page
    limit = lab.db.stat().st_size + 200_000  # each file may grow by 200 KB, no more

    def small_disk() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    code, out = lab.finish(lab.ingest(preexec_fn=small_disk))
    before = releases(lab.db)
    said = f"{lab.db}: " in out and ("disk" in out) and "Traceback" not in out
    again, out2 = lab.rerun()
    ok = code == EXIT_STORAGE and said and again == 0 and clean(out2)
    message = next((line for line in out.splitlines() if line.startswith("blotter: ")), "")
    did = f"exit {code}: {message.replace(str(lab.db), 'DB')[:90]}; next run: exit {again}"
    return lab.row("disk-full", did, before, code, ok)


def _read_only(lab: Lab) -> tuple[Path, Callable[[], None]]:
    """Make the database read-only (a read-only mount when running as root); undo function."""
    if os.geteuid() == 0:
        mount = lab.dir / "ro"
        mount.mkdir()
        subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", str(mount)], check=True)
        for name in ("blotter.db", "blotter.db-wal", "blotter.db-shm"):
            if (lab.dir / name).exists():
                shutil.copy2(lab.dir / name, mount / name)
        subprocess.run(["mount", "-o", "remount,ro", str(mount)], check=True)
        return mount / "blotter.db", lambda: subprocess.run(
            ["umount", "-l", str(mount)], check=False
        )
    for path in lab.dir.glob("blotter.db*"):
        path.chmod(0o444)
    lab.dir.chmod(0o555)
    return lab.db, lambda: lab.dir.chmod(0o755)


def read_only(lab: Lab) -> Row:
    """A read-only database: ingest refuses with the file's name; health and export read it."""
    lab.rerun()
    before = releases(lab.db)
    db, undo = _read_only(lab)
    try:
        command = ingest_command(lab.sources, db, lab.server.proxy_url)
        ingest = subprocess.run(command, cwd=ROOT, env=run_env(), capture_output=True, text=True)
        health = subprocess.run(
            [sys.executable, "-m", "scrapy", "health", "--db", str(db)],
            cwd=ROOT,
            env=run_env(),
            capture_output=True,
            text=True,
        )
        out = ingest.stdout + ingest.stderr
        ok = ingest.returncode == EXIT_STORAGE and f"{db}: " in out and clean(out)
        ok = ok and health.returncode in (0, 1) and "paged" in health.stdout
        after = releases(db)
    finally:
        undo()
    did = f"ingest exit {ingest.returncode} naming the file; health exit {health.returncode}"
    return Row("read-only-db", did, before, after, duplicates(lab.db), before - after,
               ingest.returncode, ok and after == before)  # fmt: skip


def corrupt(lab: Lab) -> Row:
    """A file that is not a database (or is corrupt): refused, and left as it is."""
    garbage = b"this is not a SQLite database, but someone's file\n" * 100
    lab.db.write_bytes(garbage)
    code, out = lab.finish(lab.ingest())
    untouched = lab.db.read_bytes() == garbage
    ok = code == EXIT_STORAGE and f"{lab.db}: " in out and untouched and clean(out)
    message = next((line for line in out.splitlines() if line.startswith("blotter: ")), "")
    did = f"exit {code}: {message.replace(str(lab.db), 'DB')[:80]}; file left as it was"
    return Row("corrupt-db", did, 0, 0, 0, 0 if untouched else 1, code, ok)


def _two(lab: Lab, kind: str, second: Callable[[], subprocess.Popen], wait: int = 0) -> Row:
    """An ingest and another writer, started together or once ``wait`` releases are stored."""
    first = lab.ingest()
    if wait:
        lab.wait_for(first, wait)
    other = second()
    (code1, out1), (code2, out2) = lab.finish(first), lab.finish(other)
    codes = sorted([code1, code2])
    refused = out2 if code2 == EXIT_LOCKED else out1
    ok = codes == [0, EXIT_LOCKED] and "another blotter run holds" in refused
    ok = ok and clean(out1 + out2)
    did = f"exits {code1} and {code2}: the other was refused with the lock's message"
    return lab.row(kind, did, 0, EXIT_LOCKED if ok else codes[-1], ok)


def two_ingests_fresh(lab: Lab) -> Row:
    """Two ingests started together on a file that does not exist yet."""
    return _two(lab, "two-writers-fresh-file", lab.ingest)


def ingest_and_nightly(lab: Lab) -> Row:
    """make ingest and make nightly on one file."""
    return _two(lab, "ingest-beside-nightly", lab.nightly)


def reparse_during_ingest(lab: Lab) -> Row:
    """make reparse while an ingest writes."""

    def reparse() -> subprocess.Popen:
        return lab.start([sys.executable, "-m", "scrapy", "reparse", "--db", str(lab.db)])

    return _two(lab, "reparse-beside-ingest", reparse, wait=5)


def lock_wait(lab: Lab) -> Row:
    """A second ingest with BLOTTER_LOCK_WAIT waits for the first, then runs."""
    first = lab.ingest()
    lab.wait_for(first, 5)
    second = lab.ingest(env={**run_env(), "BLOTTER_LOCK_WAIT": "300"})
    (code1, out1), (code2, out2) = lab.finish(first), lab.finish(second)
    ok = code1 == 0 and code2 == 0 and clean(out1 + out2) and "0 new" in out2
    did = f"the second waited for the lock: exits {code1} and {code2}, no release twice"
    return lab.row("second-writer-waits", did, 0, code2, ok)


def other_program_lock(lab: Lab) -> Row:
    """Another program holds a write transaction for 2 s as the crawl starts."""
    lab.rerun()
    before = releases(lab.db)
    conn = sqlite3.connect(lab.db, isolation_level=None, check_same_thread=False)
    conn.execute("BEGIN IMMEDIATE")
    timer = threading.Timer(2.0, lambda: conn.execute("COMMIT"))
    timer.start()
    try:
        code, out = lab.finish(lab.ingest(["-s", "BLOTTER_PROGRESS_INTERVAL=0"]))
    finally:
        timer.join()
        conn.close()
    ok = code == 0 and clean(out)
    did = f"waited for the other program's transaction (busy timeout): exit {code}"
    return lab.row("sqlite-write-lock-held", did, before, code, ok)


def make_injection(lab: Lab) -> Row:
    """A Make variable with shell syntax is passed as text, never run."""
    lab.rerun()
    marker = lab.dir / "pwned"
    table = f"x; touch {marker} #"
    result = subprocess.run(
        ["make", "-s", "-o", ".venv/.installed", "export", f"DB={lab.db}", f"TABLE={table}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    ok = (
        not marker.exists()
        and result.returncode != 0
        and "unknown table" in (result.stdout + result.stderr).lower()
    )
    did = f"TABLE refused as a table name (exit {result.returncode}); nothing run"
    return lab.row("make-variable-injection", did, releases(lab.db), result.returncode, ok)


RUN_LEVEL: dict[str, tuple[Callable[[Lab], Row], float]] = {
    # name: (scenario, delay per answer of the server while it runs)
    "sigterm": (sigterm, 0.1),
    "ctrl-c": (sigint, 0.1),
    "double-ctrl-c": (double_sigint, 0.1),
    "kill-9": (kill9, 0.1),
    "closespider": (closespider, 0.0),
    "run-budget": (run_budget, 0.3),
    "disk-full": (disk_full, 0.0),
    "read-only-db": (read_only, 0.0),
    "corrupt-db": (corrupt, 0.0),
    "two-writers-fresh-file": (two_ingests_fresh, 0.5),
    "ingest-beside-nightly": (ingest_and_nightly, 0.5),
    "reparse-beside-ingest": (reparse_during_ingest, 2.0),
    "second-writer-waits": (lock_wait, 0.05),
    "sqlite-write-lock-held": (other_program_lock, 0.0),
    "make-variable-injection": (make_injection, 0.0),
}


def run_level(name: str, tmp: Path) -> Row:
    """Play one run-level fault kind in a directory of its own."""
    scenario, delay = RUN_LEVEL[name]
    with MisbehavingServer(delay=delay) as server:
        try:
            return scenario(Lab(tmp, server, name))
        except Exception as exc:  # noqa: BLE001 - a scenario that breaks is a row that failed
            return Row(
                name, f"scenario broke: {type(exc).__name__}: {exc}", 0, 0, 0, 0, None, False
            )


def table(rows: list[Row]) -> str:
    """The rows as a fixed-width table."""
    head = ("fault kind", "what blotter did", "before", "after", "dups", "lost", "exit", "")
    lines = [
        (
            r.kind,
            r.did if len(r.did) <= 100 else r.did[:99] + "…",
            str(r.before),
            str(r.after),
            str(r.duplicates),
            str(r.lost),
            "-" if r.exit_code is None else str(r.exit_code),
            "survived" if r.survived else "FAILED",
        )
        for r in rows
    ]
    widths = [max(len(x[i]) for x in [head, *lines]) for i in range(len(head))]
    out = []
    for line in [head, *lines]:
        cells = [
            c.ljust(w) if i < 2 or i == 7 else c.rjust(w)
            for i, (c, w) in enumerate(zip(line, widths, strict=True))
        ]
        out.append("  ".join(cells).rstrip())
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="make faults", description=__doc__.split("\n")[0])
    parser.add_argument("--only", help="run-level kinds to play (comma-separated); no crawls")
    parser.add_argument("--list", action="store_true", help="list the run-level kinds")
    args = parser.parse_args(argv)
    if args.list:
        print("\n".join(RUN_LEVEL))
        return 0
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="blotter-faults-", ignore_cleanup_errors=True) as tmp:
        rows: list[Row] = []
        names = args.only.split(",") if args.only else list(RUN_LEVEL)
        if not args.only:
            rows += per_source_rows(Path(tmp))
            print(f"{len(rows)} per-source fault kinds played", file=sys.stderr, flush=True)
        for name in names:
            rows.append(run_level(name, Path(tmp)))
            print(table(rows[-1:]).splitlines()[-1], file=sys.stderr, flush=True)
    print(table(rows))
    survived = sum(r.survived for r in rows)
    print(
        f"\n{len(rows)} fault kinds, {survived} survived, {len(rows) - survived} failed; "
        f"{sum(r.lost for r in rows)} releases lost, {sum(r.duplicates for r in rows)} "
        f"duplicated; {time.monotonic() - started:.0f} s"
    )
    return 0 if survived == len(rows) else 1


if __name__ == "__main__":
    sys.exit(main())
