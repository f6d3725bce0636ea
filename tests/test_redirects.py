"""Redirects and removed pages: a source stays on its own site, and its releases keep their keys.

A small site (``news.moves.test``) served through a proxy on 127.0.0.1 whose release pages can
redirect, on the same host or to another one, or disappear between two runs.
"""

import sqlite3
import threading
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest

from sitegen.server import _Handler
from tests.faultserver import crawl, listing_html, release_html

SOURCES = """
[[source]]
id = "moves-oh-pd"
name = "Moves Police Department"
state = "OH"
timezone = "America/New_York"
platform = "wordpress"
listing_url = "http://news.moves.test/news/"
"""


class _MovingHandler(_Handler):
    gone: set[int] = set()
    throttled: set[int] = set()  # releases that answer 429 once, asking for a 1 s wait

    def _answer(self, body: bool) -> None:
        target = self.path.split("://", 1)[-1]
        host, _, rest = target.partition("/")
        path = "/" + rest
        self.server.requests.append(f"{host}{path}")
        if path == "/robots.txt":
            return self._send(404, b"")
        if host not in ("news.moves.test", "www.news.moves.test"):
            return self._send(200, release_html(99, "was arrested elsewhere").encode())
        if path == "/news/":
            links = ["/news/r1/", "/news/r2/", "/news/r3/"]
            return self._send(200, listing_html(links))
        if path == "/news/r2-moved/":
            return self._send(200, release_html(2).encode())
        number = int(path.strip("/").rsplit("r", 1)[-1])
        if number in self.gone:
            return self._send(404, b"not found")
        if number in self.throttled:
            self.throttled.discard(number)
            return self._send(429, b"slow down", retry_after="1")
        if path == "/news/r2/":  # moved, on the same site
            return self._redirect("http://www.news.moves.test/news/r2-moved/")
        if path == "/news/r3/":  # moved to another site
            return self._redirect("http://elsewhere.test/story/")
        return self._send(200, release_html(number).encode())

    def _send(self, status: int, data: bytes, retry_after: str | None = None) -> None:
        self.send_response(status)
        if retry_after:
            self.send_header("Retry-After", retry_after)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _redirect(self, location: str) -> None:
        self.send_response(301)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()


class MovingServer:
    def __init__(self):
        handler = type("Handler", (_MovingHandler,), {"gone": set(), "throttled": {1}})
        self.handler = handler
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        self.httpd.requests = []
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def proxy_url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    @property
    def requests(self) -> list[str]:
        return self.httpd.requests

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()


def rows(db: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchall()


@pytest.fixture
def first_run(tmp_path):
    sources = tmp_path / "sources.toml"
    sources.write_text(SOURCES)
    db = tmp_path / "moves.db"
    server = MovingServer()
    with server:
        result = crawl(sources, db, server)
        yield sources, db, server, result


def test_a_redirect_off_the_site_is_refused_and_recorded(first_run):
    _, db, server, result = first_run
    assert result.returncode == 1
    assert not any(r.startswith("elsewhere.test") for r in server.requests)
    [(status, error)] = rows(db, "SELECT status, error FROM source_runs")
    assert status == "failed"
    assert "redirected off the source's site" in error and "elsewhere.test" in error
    assert "elsewhere" not in str(rows(db, "SELECT url, body_text FROM releases"))


def test_a_release_moved_on_its_site_keeps_the_url_its_listing_links_to(first_run):
    _, db, _, _ = first_run
    urls = [url for (url,) in rows(db, "SELECT url FROM releases ORDER BY url")]
    assert urls == ["http://news.moves.test/news/r1/", "http://news.moves.test/news/r2/"]


def test_a_release_the_site_took_down_is_marked_removed_and_kept(first_run):
    sources, db, server, _ = first_run
    server.handler.gone.add(1)
    # the listing did not change: a backfill re-checks the known releases
    crawl(sources, db, server, ["--backfill"])
    removed = rows(db, "SELECT url FROM releases WHERE removed_at IS NOT NULL")
    assert removed == [("http://news.moves.test/news/r1/",)]
    assert rows(db, "SELECT count(*) FROM releases") == [(2,)]
    [(error,)] = rows(db, "SELECT error FROM source_runs ORDER BY run_id DESC LIMIT 1")
    assert "r1" not in (error or "")  # a removal is not an error of the source


def test_a_429_with_retry_after_is_waited_for_and_retried(first_run):
    _, db, server, _ = first_run
    assert server.requests.count("news.moves.test/news/r1/") == 2
    assert ("http://news.moves.test/news/r1/",) in rows(db, "SELECT url FROM releases")
    [(elapsed,)] = rows(db, "SELECT elapsed_seconds FROM crawl_runs")
    assert elapsed >= 1.0  # the site asked for a one-second wait before the retry


def test_a_redirect_to_one_of_the_sources_own_hosts_is_followed(tmp_path):
    """A department that moved to a new domain lists it in ``hosts``: the crawl follows it."""
    sources = tmp_path / "sources.toml"
    sources.write_text(SOURCES + 'hosts = ["elsewhere.test"]\n')
    db = tmp_path / "moves.db"
    server = MovingServer()
    with server:
        crawl(sources, db, server)
    assert "elsewhere.test/story/" in server.requests
    [(error,)] = rows(db, "SELECT error FROM source_runs")
    assert "redirected off the source's site" not in (error or "")
    [(text,)] = rows(db, "SELECT body_text FROM releases WHERE url LIKE '%/news/r3/'")
    assert "was arrested elsewhere" in text
