"""``scrapy nightly``: one run at a time, a log per run, old logs rotated away."""

import os
import sqlite3
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import pytest

from crawler.commands.demo import LOCAL_SETTINGS
from crawler.commands.nightly import EXIT_LOCKED, new_log_path, nightly, rotate_logs, run_lock
from tests.faultserver import MisbehavingServer

ROOT = Path(__file__).resolve().parent.parent
DEMO_SOURCES = ROOT / "seeds" / "demo.toml"


def nightly_process(db: Path, logs: Path, proxy: str) -> subprocess.Popen:
    """A nightly run of the demo sources, through the test server, in a subprocess."""
    command = [sys.executable, "-m", "scrapy", "nightly", "--db", str(db)]
    command += ["--sources", str(DEMO_SOURCES), "--log-dir", str(logs), "--keep", "5", "--"]
    command += ["--proxy", proxy, "-s", "LOG_LEVEL=WARNING"]
    for setting in LOCAL_SETTINGS:
        command += ["-s", setting]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


@pytest.mark.e2e
def test_two_nightly_runs_at_once_one_runs_one_refuses(tmp_path):
    db, logs = tmp_path / "blotter.db", tmp_path / "logs"
    with MisbehavingServer(delay=0.05) as server:
        first = nightly_process(db, logs, server.proxy_url)
        second = nightly_process(db, logs, server.proxy_url)
        outcomes = [(p.wait(timeout=180), *p.communicate()) for p in (first, second)]
        codes = sorted(code for code, _, _ in outcomes)
        assert codes == [0, EXIT_LOCKED], outcomes
        [(_, out, _)] = [o for o in outcomes if o[0] == 0]
        [(_, _, refusal)] = [o for o in outcomes if o[0] == EXIT_LOCKED]
        assert f"another blotter run holds {db}.lock (pid " in refusal
        assert "blotter run 1" in out and "\ntotal: " in out
        [log] = [p for p in logs.glob("nightly-*.log") if not p.name.endswith(".full.log")]
        assert "\ntotal: " in log.read_text()
        assert "Traceback" not in log.read_text()
        full = log.with_name(log.name.removesuffix(".log") + ".full.log")
        assert "[scrapy.core.engine]" in full.read_text()  # the full log, beside it
        assert "# exit 0 after" in log.read_text()

        # the lock went with the first run: the next night runs, with its own log and run row
        third = nightly_process(db, logs, server.proxy_url)
        assert third.wait(timeout=180) == 0, third.communicate()
        third.communicate()
    assert len(list(logs.glob("nightly-*.log"))) == 4  # two runs, each with its full log
    with sqlite3.connect(db) as conn:
        assert conn.execute(
            "SELECT count(*), min(status), max(status) FROM crawl_runs"
        ).fetchone() == (
            2,
            "ok",
            "ok",
        )


def test_a_run_refused_by_the_lock_writes_no_log_and_exits_75(tmp_path, capsys):
    db, logs = tmp_path / "blotter.db", tmp_path / "logs"
    with run_lock(Path(f"{db}.lock")):
        assert nightly(str(db), str(DEMO_SOURCES), logs, keep=3, extra=[]) == EXIT_LOCKED
    assert f"holds {db}.lock (pid {os.getpid()}); exiting" in capsys.readouterr().err
    assert not logs.exists() or not list(logs.iterdir())
    assert not db.exists()


def test_the_lock_is_free_again_after_its_holder_is_done(tmp_path):
    lock = tmp_path / "x.db.lock"
    with run_lock(lock):
        pass
    with run_lock(lock):
        assert lock.read_text().strip() == str(os.getpid())


def test_rotation_keeps_the_newest_n_logs(tmp_path):
    for day in range(1, 8):
        path = tmp_path / f"nightly-202603{day:02d}-020000.log"
        path.write_text("a night\n")
        full = path.with_name(path.name.removesuffix(".log") + ".full.log")
        full.write_text("its full log\n")
        stamp = time.time() - (10 - day) * 86400
        os.utime(path, (stamp, stamp))
        os.utime(full, (stamp + 60, stamp + 60))
    (tmp_path / "other.log").write_text("not ours\n")
    deleted = rotate_logs(tmp_path, keep=3)
    assert len(deleted) == 4
    left = sorted(p.name for p in tmp_path.iterdir())
    assert left == [
        "nightly-20260305-020000.full.log",
        "nightly-20260305-020000.log",
        "nightly-20260306-020000.full.log",
        "nightly-20260306-020000.log",
        "nightly-20260307-020000.full.log",
        "nightly-20260307-020000.log",
        "other.log",
    ]


def test_two_logs_in_the_same_second_get_distinct_names(tmp_path):
    when = datetime(2026, 3, 2, 2, 15, 0)
    first = new_log_path(tmp_path, when)
    first.write_text("")
    assert first.name == "nightly-20260302-021500.log"
    assert new_log_path(tmp_path, when).name == "nightly-20260302-021500-2.log"
