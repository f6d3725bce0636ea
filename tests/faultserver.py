"""A local HTTP proxy for tests that misbehaves on purpose, next to the well-behaved demo sites.

Hosts named ``<fault>.fault.test`` each misbehave in one way (see :data:`FAULTS`); every other
host is answered from the demo site files like :class:`sitegen.server.DemoServer` does,
optionally after a delay per response (``delay``), which makes a crawl slow enough to interrupt.
"""

from __future__ import annotations

import functools
import json
import os
import socket
import struct
import subprocess
import sys
import threading
import time
import zlib
from http.server import ThreadingHTTPServer
from pathlib import Path

from crawler.commands.demo import LOCAL_SETTINGS
from sitegen.server import DemoServer, _Handler

ROOT = Path(__file__).resolve().parent.parent
DEMO_SITES = ROOT / "seeds" / "demo" / "sites"
FAULT_DOMAIN = ".fault.test"
HANG_SECONDS = 60  # far longer than the DOWNLOAD_TIMEOUT the timeout fault is crawled with

FAULTS = (
    "http-500",  # the listing answers 500 Internal Server Error
    "reset",  # the connection is reset (TCP RST) instead of an answer
    "truncated",  # the listing stops half-way through its declared Content-Length
    "huge",  # the listing is a 50 MB page, streamed without a Content-Length
    "redirect-loop",  # the listing redirects to a page that redirects back
    "redirect-chain",  # the listing redirects to a new URL, which redirects to a new URL, ...
    "gzip-bomb",  # a small gzip body that inflates to 200 MB
    "binary",  # the listing is not HTML at all
    "many-links",  # one listing page with 10,000 release links
    "endless-pages",  # a listing whose "next page" never ends
    "charset-wrong",  # release pages in cp1252 served as charset=utf-8
    "charset-missing",  # release pages in cp1252 with no charset anywhere
    "charset-utf16",  # release pages sent as ASCII but declaring charset=utf-16
    "file-link",  # the listing links to file:// URLs on the source's own host, and file:///
    "other-schemes",  # the listing links to ftp:, data: and s3: URLs
    "file-redirect",  # the listing redirects to file:///etc/passwd
    "private-redirect",  # the listing redirects to the link-local metadata address
    "file-feed",  # the source's feed has an item whose link is a file:// URL
    "file-pdf",  # a release page that only points to its "PDF", a file:// URL
    "xxe-feed",  # the feed declares an external entity reading /etc/passwd
    "billion-laughs",  # the feed declares nested entities that expand to gigabytes
    "hostile-pdf",  # a release "PDF" that is a truncated, malformed file
    "script-text",  # release text holding <script> and an inline event handler
    "wp-totalpages",  # a wp-json listing whose X-WP-TotalPages is not a number
)
# Faults crawled in a run of their own, with a short download timeout and time budget: in the
# main run a short timeout would race the slow faults (huge, gzip-bomb) on a loaded machine.
TIMED_FAULTS = (
    "timeout",  # the listing never answers in time
    "retry-after",  # every release page answers 429, asking for a 30 s wait
)
PAGED_PAGES = 10  # the "paged" host: a good site whose listing has 10 pages of 5 releases
PAGED_RELEASES = 5 * PAGED_PAGES
# Fault sources with a feed (feed_url) or a wp-json listing instead of the /news/ listing.
FEED_FAULTS = {"file-feed", "xxe-feed", "billion-laughs"}
JSON_FAULTS = {"wp-totalpages"}
# Faults whose source still has 3 good releases to store besides what it does wrong.
STORES_THREE = {
    "charset-wrong",
    "charset-missing",
    "charset-utf16",
    "file-link",
    "other-schemes",
    "file-feed",
    "xxe-feed",
    "billion-laughs",
    "script-text",
    "wp-totalpages",
}


def fault_source(fault: str) -> str:
    """The TOML ``[[source]]`` entry of the fake source that misbehaves with ``fault``."""
    host = f"http://{fault}{FAULT_DOMAIN}"
    listing = f"{host}/wp-json/wp/v2/posts" if fault in JSON_FAULTS else f"{host}/news/"
    feed = f'feed_url = "{host}/feed/"\n' if fault in FEED_FAULTS else ""
    return (
        "[[source]]\n"
        f'id = "{fault}"\n'
        f'name = "Fault {fault} Police Department"\n'
        'state = "OH"\n'
        'timezone = "America/New_York"\n'
        'platform = "wordpress"\n'
        f'listing_url = "{listing}"\n{feed}'
    )


def feed_xml(host: str, links: list[str], doctype: str = "", title: str = "Arrest") -> bytes:
    """An RSS 2.0 feed of ``links`` (absolute or on ``host``), with an optional DOCTYPE."""
    items = "".join(
        f"<item><title>{title} {n}</title><link>{link}</link>"
        "<pubDate>Mon, 02 Mar 2026 10:00:00 -0500</pubDate></item>"
        for n, link in enumerate(links)
    )
    return (
        f'<?xml version="1.0"?>{doctype}<rss version="2.0"><channel><title>News</title>'
        f"<link>http://{host}/</link>{items}</channel></rss>"
    ).encode()


XXE_DOCTYPE = '<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
LAUGHS_DOCTYPE = (
    '<!DOCTYPE rss [<!ENTITY a "lollollollollollollollollollol">'
    + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(8))
    + "]>"
)


def listing_html(links: list[str], next_url: str | None = None) -> bytes:
    """A WordPress-like listing page."""
    articles = "".join(
        f'<article><h2 class="entry-title"><a href="{link}">Release {n}</a></h2></article>\n'
        for n, link in enumerate(links)
    )
    more = f'<a class="next page-numbers" href="{next_url}">Older</a>' if next_url else ""
    return f"<!DOCTYPE html><html><body><main>{articles}{more}</main></body></html>".encode()


def release_html(number: int, text: str = "was arrested on a warrant") -> str:
    """A WordPress-like release page (a str: the caller picks the encoding)."""
    return (
        "<!DOCTYPE html><html><body><article>"
        f'<h1 class="entry-title">Arrest on Front Street No. {number}</h1>'
        '<time class="entry-date" datetime="2026-03-02T10:00:00-05:00">March 2, 2026</time>'
        f'<div class="entry-content"><p>Dana Kowalczyk, 34, of Glenrock, {text}. '
        "She was held on a $2,500 bond.</p></div></article></body></html>"
    )


@functools.cache
def _gzip_bomb(size: int = 200 * 1024 * 1024) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)  # 31: gzip framing
    chunk = b" " * (1024 * 1024)
    parts = [compressor.compress(chunk) for _ in range(size // len(chunk))]
    return b"".join(parts) + compressor.flush()


class _FaultHandler(_Handler):
    delay = 0.0

    def _answer(self, body: bool) -> None:
        target, host = self.path, self.headers.get("Host", "")
        if target.startswith("http://"):
            host, _, rest = target[len("http://") :].partition("/")
            target = "/" + rest
        host = host.split(":")[0].lower()
        if self.delay:
            time.sleep(self.delay)
        if not host.endswith(FAULT_DOMAIN):
            return super()._answer(body)
        self.server.requests.append(f"{host}{target}")  # type: ignore[attr-defined]
        fault = host[: -len(FAULT_DOMAIN)]
        if target == "/robots.txt":
            return self._send(404, b"not found", "text/plain")
        try:
            self._misbehave(fault, target)
        except OSError:  # the crawler gave up on us: that is the point
            self.close_connection = True

    def _redirect_to(self, location: str) -> None:
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _send(self, status: int, data: bytes, kind: str, **headers: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", headers.pop("length", str(len(data))))
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        self.wfile.write(data)

    def _misbehave(self, fault: str, target: str) -> None:  # noqa: C901 - one branch per fault
        html, xml = "text/html; charset=utf-8", "application/rss+xml"
        is_listing = target.startswith("/news/") and target.count("/") == 2
        if target.startswith("/news/r"):  # a release page
            number = int(target.strip("/").rsplit("r", 1)[-1])
            if fault == "charset-wrong":
                self._send(
                    200, release_html(number, "was arrested at the Café").encode("cp1252"), html
                )
            elif fault == "charset-missing":
                page = release_html(number, "was arrested at the Café").encode("cp1252")
                self._send(200, page, "text/html")
            elif fault == "retry-after":
                self._send(429, b"slow down", "text/plain", Retry_After="30")
            elif fault == "charset-utf16":
                self._send(200, release_html(number).encode("ascii"), "text/html; charset=utf-16")
            elif fault == "file-pdf":
                pointer = (
                    '<!DOCTYPE html><html><body><article><h1 class="entry-title">Arrest</h1>'
                    '<div class="entry-content"><p><a href="file://file-pdf.fault.test/etc/'
                    'passwd.pdf">Release (PDF)</a></p></div></article></body></html>'
                )
                self._send(200, pointer.encode(), html)
            elif fault == "hostile-pdf":
                broken = (
                    b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >>\nendobj\n" + b"\x00" * 64
                )
                self._send(200, broken, "application/pdf")
            elif fault == "script-text":
                text = 'was arrested <script>alert("x")</script><img src=x onerror="alert(1)">'
                self._send(200, release_html(number, text).encode(), html)
            else:
                self._send(200, release_html(number).encode(), html)
            return
        if fault == "redirect-loop":
            other = "/news/" if target == "/elsewhere/" else "/elsewhere/"
            self.send_response(302)
            self.send_header("Location", other)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if fault == "redirect-chain":
            hop = int(target.split("hop=")[-1]) if "hop=" in target else 0
            self.send_response(302)
            self.send_header("Location", f"/moved/?hop={hop + 1}")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        host = f"{fault}{FAULT_DOMAIN}"
        if target == "/feed/":
            links = [f"http://{host}/news/r{n}/" for n in range(1, 4)]
            if fault == "file-feed":
                return self._send(200, feed_xml(host, [*links, f"file://{host}/etc/passwd"]), xml)
            if fault == "xxe-feed":
                return self._send(200, feed_xml(host, links, XXE_DOCTYPE, "&xxe;"), xml)
            return self._send(200, feed_xml(host, links, LAUGHS_DOCTYPE, "&i;"), xml)
        if target.startswith("/wp-json/"):
            posts = [
                {
                    "link": f"http://{host}/news/r{n}/",
                    "title": {"rendered": f"Arrest {n}"},
                    "date": "2026-03-02T10:00:00",
                }
                for n in range(1, 4)
            ]
            data = json.dumps(posts).encode()
            return self._send(200, data, "application/json", X_WP_TotalPages="²")
        if fault == "file-redirect" and is_listing:
            return self._redirect_to("file:///etc/passwd")
        if fault == "private-redirect" and is_listing:
            return self._redirect_to("http://169.254.169.254/latest/meta-data/")
        if not is_listing:
            return self._send(404, b"not found", "text/plain")
        page = int(target.split("page=")[-1]) if "page=" in target else 1
        ordinary = listing_html([f"/news/r{n}/" for n in range(1, 4)])
        if fault == "paged":  # a well-behaved 10-page listing of 5 releases a page
            links = [f"/news/r{n}/" for n in range(5 * page - 4, 5 * page + 1)]
            more = f"/news/?page={page + 1}" if page < PAGED_PAGES else None
            return self._send(200, listing_html(links, more), html)
        if fault == "file-link":
            links = [f"/news/r{n}/" for n in range(1, 4)]
            links += [f"file://{host}/etc/passwd", "file:///etc/passwd", f"file://{host}/dev/zero"]
            return self._send(200, listing_html(links), html)
        if fault == "other-schemes":
            links = [f"/news/r{n}/" for n in range(1, 4)]
            links += [f"ftp://{host}/pub/r9.html", "data:text/html,<p>x</p>", f"s3://{host}/r8"]
            return self._send(200, listing_html(links), html)
        if fault == "http-500":
            self._send(500, b"<html><body>Internal Server Error</body></html>", html)
        elif fault == "timeout":
            time.sleep(HANG_SECONDS)
            self._send(200, ordinary, html)
        elif fault == "reset":
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
            self.close_connection = True
        elif fault == "truncated":
            self._send(200, ordinary[: len(ordinary) // 2], html, length=str(len(ordinary)))
            self.connection.shutdown(socket.SHUT_RDWR)
            self.close_connection = True
        elif fault == "huge":
            self.send_response(200)
            self.send_header("Content-Type", html)
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(b"<html><body><main>")
            filler = b"<p>" + b"x" * (256 * 1024 - 7) + b"</p>"
            for _ in range(200):
                self.wfile.write(filler)
            self.close_connection = True
        elif fault == "gzip-bomb":
            self._send(200, _gzip_bomb(), html, Content_Encoding="gzip")
        elif fault == "binary":
            self._send(200, os.urandom(4096), "application/octet-stream")
        elif fault == "many-links":
            self._send(200, listing_html([f"/news/r{n}/" for n in range(1, 10_001)]), html)
        elif fault == "endless-pages":
            links = [f"/news/r{page}/"]
            self._send(200, listing_html(links, f"/news/?page={page + 1}"), html)
        else:
            self._send(200, ordinary, html)

    def log_error(self, format: str, *args) -> None:  # noqa: A002 - the stdlib's name
        pass


class MisbehavingServer(DemoServer):
    """The demo sites plus the ``*.fault.test`` hosts, on 127.0.0.1, as an HTTP proxy.

    ``delay`` (seconds) is added before every demo-site answer.
    """

    def __init__(self, root: Path | str = DEMO_SITES, delay: float = 0.0):
        _gzip_bomb()  # made once per process, before any crawl's clock runs (not on request)
        attrs = {"root": Path(root).resolve(), "delay": delay}
        handler = type("Handler", (_FaultHandler,), attrs)
        self.handler = handler
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        self.httpd.requests = []  # type: ignore[attr-defined]
        self.httpd.handle_error = lambda request, address: None  # type: ignore[method-assign]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def set_delay(self, seconds: float) -> None:
        """Change the delay before every answer from now on."""
        self.handler.delay = seconds


def ingest_command(sources: Path, db: Path, proxy: str, extra: list[str] | None = None) -> list:
    """The ``scrapy ingest`` command line that crawls ``sources`` into ``db`` through ``proxy``."""
    command = [sys.executable, "-m", "scrapy", "ingest", "--sources", str(sources)]
    command += ["--db", str(db), "--proxy", proxy, "-s", "LOG_LEVEL=WARNING"]
    for setting in LOCAL_SETTINGS:
        command += ["-s", setting]
    return command + (extra or [])


def run_env() -> dict[str, str]:
    """The environment a crawl subprocess runs in (the project importable)."""
    return {**os.environ, "PYTHONPATH": str(ROOT)}


def crawl(sources: Path, db: Path, server: MisbehavingServer, extra: list[str] | None = None):
    """Run ``scrapy ingest`` to its end through ``server``; its output is captured."""
    return subprocess.run(
        ingest_command(sources, db, server.proxy_url, extra),
        cwd=ROOT,
        env=run_env(),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
