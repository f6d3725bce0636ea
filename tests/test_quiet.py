"""`make ingest` at a terminal: one line per failed source, no tracebacks, an offline hint.

Two sources on 127.0.0.1 ports nobody listens on stand for a machine without network: every
request is refused, as every DNS lookup fails offline.
"""

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from crawler.quiet import OFFLINE_HINT

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.e2e


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # closed again when the block ends: nobody listens


def sources_file(tmp_path: Path) -> Path:
    entries = []
    for n, platform in enumerate(("wordpress", "drupal")):
        entries.append(
            f'[[source]]\nid = "town{n}-oh-pd"\nname = "Town {n} Police Department"\n'
            f'state = "OH"\ntimezone = "America/New_York"\nplatform = "{platform}"\n'
            f'listing_url = "http://127.0.0.1:{closed_port()}/news/"\n'
        )
    path = tmp_path / "sources.toml"
    path.write_text("\n".join(entries), encoding="utf-8")
    return path


def ingest(tmp_path: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "scrapy", "ingest", "--sources", str(sources_file(tmp_path))]
        + ["--db", str(tmp_path / "quiet.db"), "-s", "DOWNLOAD_DELAY=0"]
        # the closed ports are on 127.0.0.1: let the address guard pass them to the connection
        + ["-s", "BLOTTER_ALLOW_PRIVATE=true", *extra],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT), "BLOTTER_CONTACT": "mailto:t@example.org"},
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


def test_an_offline_crawl_prints_a_line_per_source_and_says_it_looks_offline(tmp_path):
    result = ingest(tmp_path)
    assert result.returncode == 1
    lines = (result.stderr + result.stdout).splitlines()
    assert "Traceback" not in result.stderr
    warned = [line for line in lines if "failed: http://127.0.0.1:" in line]
    assert len(warned) == 2  # one line per failed source, with its reason
    assert "ConnectionRefusedError" in warned[0]
    listed = [line for line in lines if line.startswith("  town") and "127.0.0.1" in line]
    assert len(listed) == 2  # and its line in the summary's list of failed sources
    table_at = next(i for i, line in enumerate(lines) if line.startswith("blotter run "))
    assert len(lines[:table_at]) <= 3 * 2  # at most 3 lines per source before the summary
    assert lines[-1] == OFFLINE_HINT


def test_debug_keeps_scrapy_s_full_log(tmp_path):
    result = ingest(tmp_path, "-L", "DEBUG")
    assert "[scrapy.core.engine]" in result.stderr
    assert "Gave up retrying" in result.stderr or "Error downloading" in result.stderr
    assert result.stdout.splitlines()[-1] == OFFLINE_HINT
