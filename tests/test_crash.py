"""Crash safety: a crawl killed with SIGKILL loses nothing; a reader never sees half a release.

The demo sites are served slowly (a delay per response) so that a crawl lasts long enough to be
killed, or watched, half-way.
"""

import os
import signal
import sqlite3
import subprocess
import threading
import time
from pathlib import Path

import pytest

from crawler.commands.demo import crawl_demo
from tests.faultserver import MisbehavingServer, crawl, ingest_command, run_env

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parent.parent
DEMO_SOURCES = ROOT / "seeds" / "demo.toml"

# What a reader sees of one release: its row and how many rows were extracted from it.
SNAPSHOT = """
    SELECT r.url, r.title IS NOT NULL AND r.body_text <> '', r.extraction_sha256,
           (SELECT count(*) FROM people p WHERE p.release_id = r.id),
           (SELECT count(*) FROM charges c WHERE c.release_id = r.id),
           (SELECT count(*) FROM bonds b WHERE b.release_id = r.id)
    FROM releases r
"""


def count_releases(db: Path) -> int:
    try:
        with sqlite3.connect(db, timeout=10) as conn:
            return conn.execute("SELECT count(*) FROM releases").fetchone()[0]
    except sqlite3.OperationalError:  # not created yet
        return 0


def snapshot(db: Path) -> dict[str, tuple]:
    with sqlite3.connect(db) as conn:
        return {url: tuple(rest) for url, *rest in conn.execute(SNAPSHOT)}


@pytest.fixture(scope="module")
def clean_crawl(tmp_path_factory) -> dict[str, tuple]:
    """What an uninterrupted crawl of the demo stores (the reference)."""
    db = tmp_path_factory.mktemp("clean") / "clean.db"
    assert crawl_demo(db).returncode == 0
    return snapshot(db)


def test_a_crawl_killed_mid_run_and_started_again_has_every_release_once(tmp_path, clean_crawl):
    db = tmp_path / "killed.db"
    with MisbehavingServer(delay=0.15) as server:
        command = ingest_command(DEMO_SOURCES, db, server.proxy_url)
        process = subprocess.Popen(
            command, cwd=ROOT, env=run_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        deadline = time.monotonic() + 120
        while count_releases(db) < 10 and time.monotonic() < deadline:
            assert process.poll() is None, "the crawl ended before it could be killed"
            time.sleep(0.05)
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
    stored_when_killed = count_releases(db)
    assert 10 <= stored_when_killed < len(clean_crawl)

    with MisbehavingServer() as server:
        again = crawl(DEMO_SOURCES, db, server)
    assert again.returncode == 0, again.stdout + again.stderr

    assert snapshot(db) == clean_crawl  # every release, once, extracted as in a clean crawl
    with sqlite3.connect(db) as conn:
        runs = conn.execute("SELECT id, status FROM crawl_runs ORDER BY id").fetchall()
        assert runs == [(1, "running"), (2, "ok")]  # the killed run is visible as such
        doubled = conn.execute(
            "SELECT release_id, position FROM people GROUP BY 1, 2 HAVING count(*) > 1"
        ).fetchall()
        assert doubled == []
        [(new,)] = conn.execute("SELECT new FROM crawl_runs WHERE id = 2").fetchall()
    assert new == len(clean_crawl) - stored_when_killed


@pytest.fixture(scope="module")
def watched_crawl(tmp_path_factory):
    """A slow crawl of the demo with a reader querying throughout; (result, seen, db)."""
    db = tmp_path_factory.mktemp("watched") / "watched.db"
    seen: dict[str, set[tuple]] = {}
    finished = threading.Event()

    def reader() -> None:
        while not finished.is_set():
            if db.exists():
                try:
                    conn = sqlite3.connect(db, timeout=10, isolation_level=None)
                    try:
                        conn.execute("BEGIN")  # one consistent snapshot per look
                        for url, *rest in conn.execute(SNAPSHOT):
                            seen.setdefault(url, set()).add(tuple(rest))
                        conn.execute("COMMIT")
                    finally:
                        conn.close()
                except sqlite3.OperationalError:  # the schema is still being created
                    pass
            time.sleep(0.01)

    thread = threading.Thread(target=reader, daemon=True)
    thread.start()
    with MisbehavingServer(delay=0.05) as server:
        result = crawl(DEMO_SOURCES, db, server, ["-s", "BLOTTER_PROGRESS_INTERVAL=0.5"])
    finished.set()
    thread.join(timeout=10)
    return result, seen, db


def test_a_reader_during_an_ingest_never_sees_half_a_release(watched_crawl):
    result, seen, db = watched_crawl
    assert result.returncode == 0, result.stderr
    final = snapshot(db)
    with sqlite3.connect(db) as conn:
        [(new,)] = conn.execute("SELECT new FROM crawl_runs").fetchall()
    assert len(final) == new >= 60
    assert len(seen) >= new // 2  # the reader did watch the crawl
    for url, looks in seen.items():
        assert looks == {final[url]}, url  # complete from the first look on
        assert final[url][1] is not None  # extraction_sha256


def test_a_long_crawl_shows_live_progress_then_the_summary(watched_crawl):
    result, _, _ = watched_crawl
    lines = result.stdout.splitlines()
    progress = [line for line in lines if line.startswith("blotter progress ")]
    assert progress, result.stdout
    assert "sources " in progress[0] and " pages, releases " in progress[0]
    assert lines.index(progress[-1]) < lines.index("blotter run 1")
    assert lines[-1].startswith("total: ")
