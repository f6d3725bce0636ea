"""Sites that misbehave: each fault ends as an error recorded against its source, never a crash.

One crawl covers every fault: a fake source per fault (``<fault>.fault.test``, served by
tests/faultserver.py) and one good demo source, which must complete as if nothing happened.
The faults that need a short download timeout or time budget (a site that never answers, one
that asks for long Retry-After waits) get a crawl of their own, so that no timeout can race
the slow faults of the main crawl on a loaded machine.
"""

import re
import sqlite3
from pathlib import Path

import pytest

from tests.faults import (
    EXPECTED_ERROR,
    GOOD_SOURCE,
    SETTINGS,
    TIMED_ERROR,
    TIMED_SETTINGS,
)
from tests.faultserver import (
    FAULTS,
    STORES_THREE,
    TIMED_FAULTS,
    MisbehavingServer,
    crawl,
    fault_source,
)

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parent.parent


def _run(tmp: Path, faults, settings: list[str], good: str = ""):
    sources = tmp / "sources.toml"
    sources.write_text(good + "".join("\n" + fault_source(f) for f in faults))
    db = tmp / "faults.db"
    with MisbehavingServer() as server:
        extra = [arg for setting in settings for arg in ("-s", setting)]
        result = crawl(sources, db, server, extra)
    return result, db


@pytest.fixture(scope="module")
def faulty_run(tmp_path_factory):
    """Crawl every fault and the good source in one run; (result, db)."""
    return _run(tmp_path_factory.mktemp("faults"), FAULTS, SETTINGS, GOOD_SOURCE)


@pytest.fixture(scope="module")
def timed_run(tmp_path_factory):
    """Crawl the faults that need a short timeout and budget; (result, db)."""
    return _run(tmp_path_factory.mktemp("timed"), TIMED_FAULTS, TIMED_SETTINGS)


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


@pytest.mark.parametrize("fault", sorted(STORES_THREE))
def test_a_source_with_a_fault_beside_its_releases_still_stores_them(faulty_run, fault):
    _, db = faulty_run
    status, error, errors, new = source_run(db, fault)
    assert new == 3, (status, error)
    if fault not in EXPECTED_ERROR:
        assert (status, error, errors) == ("ok", None, 0)


@pytest.mark.parametrize("fault", ["charset-wrong", "charset-missing"])
def test_a_wrong_or_missing_charset_still_reads_the_text(faulty_run, fault):
    _, db = faulty_run
    with sqlite3.connect(db) as conn:
        bodies = [
            b
            for (b,) in conn.execute("SELECT body_text FROM releases WHERE agency_id = ?", [fault])
        ]
    assert bodies and all("was arrested at the Caf" in body for body in bodies)


def test_a_page_declaring_utf16_but_sent_as_ascii_is_read_as_text(faulty_run):
    _, db = faulty_run
    with sqlite3.connect(db) as conn:
        bodies = conn.execute(
            "SELECT body_text FROM releases WHERE agency_id = 'charset-utf16'"
        ).fetchall()
    assert len(bodies) == 3 and all("was arrested on a warrant" in b for (b,) in bodies)


def test_no_local_file_or_other_scheme_is_ever_fetched_or_stored(faulty_run):
    _, db = faulty_run
    with sqlite3.connect(db) as conn:
        schemes = conn.execute(
            "SELECT DISTINCT substr(url, 1, instr(url, ':') - 1) FROM pages"
        ).fetchall()
        leaked = conn.execute(
            "SELECT count(*) FROM releases WHERE body_text LIKE '%root:%' OR title LIKE '%root:%'"
        ).fetchone()[0]
    assert {s for (s,) in schemes} == {"http"}
    assert leaked == 0


@pytest.mark.parametrize("fault", sorted(TIMED_ERROR))
def test_a_fault_that_costs_time_ends_within_its_budget(timed_run, fault):
    result, db = timed_run
    status, error, _, _ = source_run(db, fault)
    assert re.search(TIMED_ERROR[fault], error), error
    assert status == ("interrupted" if fault == "retry-after" else "failed")
    assert result.returncode == 3, result.stdout[-2000:] + result.stderr[-2000:]
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
