"""Sites that misbehave: each fault ends as an error recorded against its source, never a crash.

One crawl covers every fault: a fake source per fault (``<fault>.fault.test``, served by
tests/faultserver.py) and one good demo source, which must complete as if nothing happened.
"""

import re
import sqlite3
from pathlib import Path

import pytest

from tests.faultserver import FAULTS, MisbehavingServer, crawl, fault_source

pytestmark = pytest.mark.e2e
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

# What the recorded error of each failing fault says (a regular expression).
EXPECTED_ERROR = {
    "http-500": r"HTTP 500",
    "timeout": r"TimeoutError|took longer than",
    "reset": r"ConnectionLost|ConnectionDone|ResponseNeverReceived|ConnectionReset",
    "truncated": r"DataLoss.*truncated",
    "huge": r"DownloadCancelled.*DOWNLOAD_MAXSIZE",
    "redirect-loop": r"redirect loop",
    "redirect-chain": r"max redirections",
    "gzip-bomb": r"exceeded DOWNLOAD_MAXSIZE",
    "binary": r"not an HTML page|no release links found",
    "many-links": r"BLOTTER_MAX_LINKS_PER_PAGE",
    "endless-pages": r"BLOTTER_MAX_LISTING_PAGES",
}
# Pages that decode badly are still releases worth keeping: stored, no error.
DECODED_ANYWAY = {"charset-wrong", "charset-missing"}
SETTINGS = [
    "DOWNLOAD_TIMEOUT=3",
    "DOWNLOAD_MAXSIZE=2000000",  # the 50 MB page and the 200 MB bomb both exceed it
    "DOWNLOAD_WARNSIZE=0",
    "RETRY_TIMES=0",
    "BLOTTER_MAX_LINKS_PER_PAGE=25",
    "BLOTTER_MAX_LISTING_PAGES=12",
]


@pytest.fixture(scope="module")
def faulty_run(tmp_path_factory):
    """Crawl every fault and the good source in one run; (result, db)."""
    tmp = tmp_path_factory.mktemp("faults")
    sources = tmp / "sources.toml"
    sources.write_text(GOOD_SOURCE + "".join("\n" + fault_source(f) for f in FAULTS))
    db = tmp / "faults.db"
    with MisbehavingServer() as server:
        extra = [arg for setting in SETTINGS for arg in ("-s", setting)]
        result = crawl(sources, db, server, extra)
    return result, db


def source_run(db: Path, source_id: str) -> tuple[str, str | None, int, int]:
    with sqlite3.connect(db) as conn:
        return conn.execute(
            "SELECT status, error, errors, new FROM source_runs WHERE agency_id = ?", [source_id]
        ).fetchone()


def test_the_run_ends_with_exit_code_1_and_no_unhandled_exception(faulty_run):
    result, db = faulty_run
    assert result.returncode == 1, result.stderr[-3000:]
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    assert "Spider error" not in result.stderr
    with sqlite3.connect(db) as conn:
        [(status, sources)] = conn.execute("SELECT status, sources FROM crawl_runs").fetchall()
    assert (status, sources) == ("failed", len(FAULTS) + 1)


def test_the_good_source_completes_alongside(faulty_run):
    _, db = faulty_run
    assert source_run(db, "riverton-oh-pd") == ("ok", None, 0, 20)


@pytest.mark.parametrize("fault", sorted(EXPECTED_ERROR))
def test_each_fault_is_an_error_of_its_own_source(faulty_run, fault):
    result, db = faulty_run
    status, error, errors, _ = source_run(db, fault)
    assert status == "failed" and errors >= 1
    assert re.search(EXPECTED_ERROR[fault], error), error
    assert f"  {fault}: " in result.stdout  # listed under "source(s) failed" in the summary


def test_a_listing_with_10000_links_is_cut_not_crawled(faulty_run):
    _, db = faulty_run
    assert source_run(db, "many-links")[3] == 25


def test_an_endless_listing_stops_at_the_page_limit(faulty_run):
    _, db = faulty_run
    assert source_run(db, "endless-pages")[3] == 12


@pytest.mark.parametrize("fault", sorted(DECODED_ANYWAY))
def test_a_wrong_or_missing_charset_still_stores_the_releases(faulty_run, fault):
    _, db = faulty_run
    assert source_run(db, fault) == ("ok", None, 0, 3)
    with sqlite3.connect(db) as conn:
        bodies = [
            b
            for (b,) in conn.execute("SELECT body_text FROM releases WHERE agency_id = ?", [fault])
        ]
    assert all("was arrested at the Caf" in body for body in bodies)
