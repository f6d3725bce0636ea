"""Hardening: only http(s), honest run status, one writer per file, storage errors, budgets.

The unit tests show each rule on its own; the end-to-end ones play the run-level fault kinds of
``make faults`` (tests/faults.py) for real: a SIGTERM half-way, ingest beside nightly, a full
disk, a corrupt file.
"""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from scrapy.http import HtmlResponse, Request

from crawler.budget import Budget, BudgetMiddleware, SourceStopped
from crawler.guard import (
    RedirectGuardMiddleware,
    RefusedURL,
    URLGuardMiddleware,
    address_refusal,
    scheme_refusal,
)
from crawler.platforms.dispatch import plausible_encoding, read_release
from crawler.sources import Source
from crawler.spiders.releases import _int_header
from pipelines.exitcodes import EXIT_LOCKED
from pipelines.ledger import RunLedger
from pipelines.store import RunCounts, Store, StoreError, StoreLocked, storage_problem
from pipelines.store.lock import Locked, lock_path, run_lock
from tests import faults

ROOT = Path(__file__).resolve().parent.parent
SOURCE = Source(
    id="glenrock-oh-pd",
    name="Glenrock Police Department",
    state="OH",
    timezone="America/New_York",
    platform="wordpress",
    listing_url="http://police.glenrock.test/news/",
)

# -- only http and https ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "file://police.glenrock.test/etc/passwd",
        "file:///etc/passwd",
        "ftp://police.glenrock.test/pub/r1.html",
        "data:text/html,<p>x</p>",
        "s3://police.glenrock.test/r1",
    ],
)
def test_a_request_with_another_scheme_is_refused_naming_the_url(url):
    with pytest.raises(RefusedURL, match="only http and https URLs are fetched") as refused:
        URLGuardMiddleware(allow_private=True).process_request(Request(url))
    assert str(refused.value).startswith(f"refused {url[:12]}")


def test_http_and_https_pass():
    guard = URLGuardMiddleware(allow_private=True)
    assert guard.process_request(Request("https://police.glenrock.test/news/")) is None
    assert scheme_refusal("http://police.glenrock.test/") is None


@pytest.mark.parametrize(
    ("url", "address"),
    [
        ("http://127.0.0.1:8080/", "127.0.0.1"),
        ("http://169.254.169.254/latest/meta-data/", "169.254.169.254"),
        ("http://10.1.2.3/", "10.1.2.3"),
        ("http://192.168.0.1/", "192.168.0.1"),
        ("http://[::1]/", "::1"),
        ("http://[::ffff:127.0.0.1]/", "::ffff:127.0.0.1"),
    ],
)
def test_private_loopback_and_link_local_addresses_are_refused_by_default(url, address):
    reason = address_refusal(url)
    assert reason is not None and address in reason and "BLOTTER_ALLOW_PRIVATE" in reason
    with pytest.raises(RefusedURL):
        URLGuardMiddleware(allow_private=False).process_request(Request(url))
    assert URLGuardMiddleware(allow_private=True).process_request(Request(url)) is None


def test_public_addresses_and_unresolvable_names_pass():
    assert address_refusal("http://93.184.215.14/") is None
    assert address_refusal("http://police.glenrock.test/") is None  # no such name here
    assert "loopback" in address_refusal("http://localhost:8000/")


def test_a_redirect_to_a_file_url_is_refused_naming_the_redirect():
    request = Request("http://police.glenrock.test/news/")
    response = HtmlResponse(
        request.url, status=302, headers={"Location": "file:///etc/passwd"}, request=request
    )
    with pytest.raises(RefusedURL, match=r"HTTP 302 redirect refused file:///etc/passwd"):
        RedirectGuardMiddleware(allow_private=True).process_response(request, response)
    fine = HtmlResponse(request.url, status=302, headers={"Location": "/news/2/"}, request=request)
    assert RedirectGuardMiddleware().process_response(request, fine) is fine


def test_scrapys_own_handlers_for_other_schemes_are_switched_off():
    from crawler import settings

    assert settings.DOWNLOAD_HANDLERS == {"file": None, "data": None, "s3": None, "ftp": None}
    assert settings.BLOTTER_ALLOW_PRIVATE is False or os.environ.get("BLOTTER_ALLOW_PRIVATE")


def test_a_pdf_pointer_to_a_file_url_becomes_a_request_the_guard_refuses():
    html = (
        '<html><body><article><h1 class="entry-title">Arrest</h1><div class="entry-content">'
        '<p><a href="file://police.glenrock.test/etc/passwd.pdf">Release (PDF)</a></p>'
        "</div></article></body></html>"
    )
    page = read_release(html.encode(), "http://police.glenrock.test/news/r1/", SOURCE)
    assert page.document_url == "file://police.glenrock.test/etc/passwd.pdf"
    with pytest.raises(RefusedURL):
        URLGuardMiddleware(allow_private=True).process_request(Request(page.document_url))


# -- smaller faults --------------------------------------------------------------------------


def test_a_page_declaring_utf16_but_sent_as_ascii_is_read_as_utf8():
    assert plausible_encoding(b"<p>Dana Kowalczyk, 34</p>", "utf-16") is None
    assert plausible_encoding("<p>x</p>".encode("utf-16"), "utf-16") == "utf-16"
    assert plausible_encoding(b"<p>x</p>", "cp1252") == "cp1252"
    assert plausible_encoding(b"<p>x</p>", "no-such-charset") is None


@pytest.mark.parametrize(("value", "expected"), [("3", 3), ("lots", None), ("²", None), ("", None)])
def test_a_non_numeric_total_pages_header_is_ignored(value, expected):
    request = Request("http://police.glenrock.test/wp-json/wp/v2/posts")
    response = HtmlResponse(request.url, headers={"X-WP-TotalPages": value}, request=request)
    assert _int_header(response, b"X-WP-TotalPages") == expected


def test_make_passes_variables_quoted_to_the_shell(tmp_path):
    marker = tmp_path / "pwned"
    result = subprocess.run(
        ["make", "-n", "-o", ".venv/.installed", "export", f"TABLE=x; touch {marker} #"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert f"--table 'x; touch {marker} #'" in result.stdout
    assert not marker.exists()


# -- run status and budgets ------------------------------------------------------------------


def test_a_source_interrupted_or_killed_gets_a_full_pass_next_time(tmp_path):
    store = Store(tmp_path / "b.db")
    store.upsert_agencies([{**SOURCE.as_row(), "id": "a"}])
    for status in ("ok", "interrupted", "ok"):
        run = store.start_run("s.toml", ["a"])
        store.finish_run(
            run, RunCounts(), {"a": (RunCounts(), None, None)}, 1.0, status, {"a": status}
        )
        assert store.needs_full_pass("a") == (status == "interrupted")
    run = store.start_run("s.toml", ["a"])
    store.interrupt_run(run, "a second signal")
    assert store.query("SELECT status FROM crawl_runs WHERE id = ?", [run])[0]["status"] == (
        "interrupted"
    )
    assert store.needs_full_pass("a")
    store.close()


def test_the_ledger_tells_interrupted_failed_and_ok_sources_apart():
    ledger = RunLedger(["a", "b", "c", "d"])
    for source in "abc":
        ledger.sent(source)
        ledger.settled(source)
    ledger.error("b", "http://b/: HTTP 500")
    ledger.sent("c")  # still under way when the crawl stopped
    assert ledger.unfinished() == ["c", "d"]
    ledger.interrupt("c", "stopped by a signal")
    assert [ledger.status(s) for s in "abc"] == ["ok", "failed", "interrupted"]
    assert ledger.per_source()["c"][1].startswith("interrupted: stopped by a signal")


class _Budget(Budget):
    run = None  # a plain attribute in these tests


def test_a_source_past_its_budget_is_interrupted_and_its_requests_dropped():
    ledger = RunLedger(["slow"])
    ledger.sent("slow")
    run = SimpleNamespace(ledger=ledger, source_for=lambda url, meta: meta.get("source_id"))
    budget = _Budget(SimpleNamespace(engine=None), source_budget=60, run_budget=0)
    budget.run = run
    first = ledger.first_sent["slow"]
    budget.check(now=first + 30)
    assert "slow" not in ledger.interrupted
    budget.check(now=first + 61)
    assert "time budget of 60 s" in ledger.interrupted["slow"]
    with pytest.raises(SourceStopped):
        BudgetMiddleware(run).process_request(Request("http://s/", meta={"source_id": "slow"}))
    assert ledger.dropped["slow"] == 1


def test_a_retry_after_wait_past_the_budget_interrupts_at_once():
    ledger = RunLedger(["throttled"])
    ledger.sent("throttled")
    budget = _Budget(SimpleNamespace(engine=None), source_budget=60, run_budget=0)
    budget.run = SimpleNamespace(ledger=ledger, source_for=lambda url, meta: None)
    ledger.retry_wait("throttled", 300)
    budget.check(now=ledger.first_sent["throttled"] + 1)
    assert "300 s of it asked for by Retry-After" in ledger.interrupted["throttled"]


# -- one writer, storage errors --------------------------------------------------------------


def test_two_stores_of_one_process_share_the_lock_another_process_is_refused(tmp_path):
    db = tmp_path / "b.db"
    first, second = Store(db), Store(db)
    probe = (
        "import sys; from pipelines.store import Store, StoreLocked\n"
        "try:\n    Store(sys.argv[1])\nexcept StoreLocked as exc:\n    print(exc); sys.exit(75)"
    )
    other = subprocess.run(
        [sys.executable, "-c", probe, str(db)], cwd=ROOT, capture_output=True, text=True
    )
    assert other.returncode == EXIT_LOCKED
    assert f"another blotter run holds {lock_path(db)} (pid {os.getpid()})" in other.stdout
    first.close()
    second.close()
    with run_lock(lock_path(db)):  # freed with the last store
        pass


def test_a_held_lock_is_waited_for_then_refused(tmp_path):
    db = tmp_path / "b.db"
    # the holder waits for the lock too: the loop below takes it for an instant while it looks
    probe = (
        "import sys, time; from pipelines.store import Store; "
        "Store(sys.argv[1], lock_wait=30); time.sleep(30)"
    )
    holder = subprocess.Popen(
        [sys.executable, "-c", probe, str(db)], cwd=ROOT, stdout=subprocess.DEVNULL
    )
    try:
        for _ in range(600):
            try:
                with run_lock(lock_path(db)):
                    pass
            except Locked:
                break
            __import__("time").sleep(0.05)
        with pytest.raises(StoreLocked, match=r"after waiting 0\.5 s"):
            Store(db, lock_wait=0.5)
    finally:
        holder.kill()
        holder.wait()


def test_a_corrupt_file_is_refused_naming_it_and_left_as_it_is(tmp_path):
    db = tmp_path / "b.db"
    db.write_bytes(b"not a database\n" * 300)
    with pytest.raises(StoreError, match=rf"{db}: is not a SQLite database") as refused:
        Store(db)
    assert "Traceback" not in str(refused.value)
    assert db.read_bytes() == b"not a database\n" * 300
    with pytest.raises(StoreError, match=str(db)):
        Store(db, readonly=True)


def test_storage_problems_are_told_from_bad_rows():
    assert "disk is full" in storage_problem(sqlite3.OperationalError("database or disk is full"))
    assert "read-only" in storage_problem(
        sqlite3.OperationalError("attempt to write a readonly database")
    )
    assert "corrupt" in storage_problem(sqlite3.DatabaseError("database disk image is malformed"))
    assert storage_problem(sqlite3.IntegrityError("UNIQUE constraint failed")) is None
    assert storage_problem(ValueError("bad date")) is None


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes read-only files anyway")
def test_a_read_only_file_is_still_read_by_health_and_export(tmp_path):
    db = tmp_path / "b.db"
    Store(db).close()
    db.chmod(0o444)
    tmp_path.chmod(0o555)
    try:
        store = Store(db, readonly=True)
        assert store.count("releases") == 0
        store.close()
        with pytest.raises(StoreError, match=rf"{db}: "):
            Store(db)
    finally:
        tmp_path.chmod(0o755)


# -- end to end: the run-level fault kinds of `make faults` ----------------------------------


@pytest.mark.e2e
@pytest.mark.parametrize(
    "kind", ["sigterm", "double-ctrl-c", "ingest-beside-nightly", "disk-full", "corrupt-db"]
)
def test_a_run_level_fault_is_survived(kind, tmp_path):
    row = faults.run_level(kind, tmp_path)
    assert row.survived, row
    assert (row.lost, row.duplicates) == (0, 0)


def test_a_name_is_looked_up_off_the_crawls_thread_then_judged(monkeypatch):
    """A host's first request waits for its lookup in the guard's own threads (the crawl's
    thread goes on with other downloads); the answer is kept, so its next request is judged
    at once."""
    import asyncio
    import functools
    import threading

    from crawler import guard as guard_mod

    looked_up = []

    def resolver(host):
        looked_up.append((host, threading.current_thread().name))
        return ("10.0.0.5",) if host == "intranet.glenrock.test" else ("93.184.215.14",)

    monkeypatch.setattr(guard_mod, "_addresses", functools.cache(resolver))  # as lru_cache
    monkeypatch.setattr(guard_mod, "_resolved", set())
    guard = URLGuardMiddleware(allow_private=False)
    first = guard.process_request(Request("http://news.glenrock.test/releases/"))
    assert asyncio.iscoroutine(first)  # not judged yet: the name needs a lookup
    assert asyncio.run(first) is None
    assert looked_up == [("news.glenrock.test", looked_up[0][1])]
    assert looked_up[0][1].startswith("blotter-dns")
    assert guard.process_request(Request("http://news.glenrock.test/releases/2")) is None
    with pytest.raises(RefusedURL, match="intranet.glenrock.test is 10.0.0.5"):
        asyncio.run(guard.process_request(Request("http://intranet.glenrock.test/")))
    guard.close()


def test_the_judged_address_is_the_one_the_download_connects_to(monkeypatch):
    """After the guard's lookup, Scrapy's resolver answers the name from its cache with the
    address the guard judged: no second lookup, and no other answer for the download."""
    import asyncio
    import functools

    from scrapy.resolver import CachingThreadedResolver, dnscache
    from twisted.internet import reactor

    from crawler import guard as guard_mod

    answers = {
        "news.harwick.test": ("2606:4700::6810:84e6", "93.184.215.14", "93.184.215.15"),
        "files.harwick.test": ("2606:4700::6810:84e5",),  # IPv6 only: Scrapy resolves it
        "intranet.harwick.test": ("10.0.0.5",),
    }
    monkeypatch.setattr(guard_mod, "_addresses", functools.cache(answers.__getitem__))
    monkeypatch.setattr(guard_mod, "_resolved", set())
    guard = URLGuardMiddleware(allow_private=False)
    try:
        asyncio.run(guard.process_request(Request("http://news.harwick.test/releases/")))
        asyncio.run(guard.process_request(Request("http://files.harwick.test/a.pdf")))
        with pytest.raises(RefusedURL):
            asyncio.run(guard.process_request(Request("http://intranet.harwick.test/")))
        assert dnscache.get("news.harwick.test") == "93.184.215.14"
        assert "files.harwick.test" not in dnscache and "intranet.harwick.test" not in dnscache
        resolver = CachingThreadedResolver(reactor, cache_size=dnscache.limit, timeout=1.0)
        answered = []
        resolver.getHostByName("news.harwick.test").addCallback(answered.append)
        assert answered == ["93.184.215.14"]  # from the cache, at once: no lookup happened
    finally:
        guard.close()
        for host in answers:
            dnscache.pop(host, None)
