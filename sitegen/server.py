"""A local HTTP server for the bundled demo sites (and for tests): a proxy answering from files.

The demo sites live under ``seeds/demo/sites/<host>/``. Crawled through this server as an HTTP
proxy, the fictional hosts (``police.riverton.test`` …) keep stable URLs from run to run while
every byte travels over real HTTP on 127.0.0.1. Mapping of a request to a file:

- ``http://<host><path>`` → ``<root>/<host><path>``, or ``<path>/index.html`` for a directory;
- ``http://<host><path>?<query>`` → ``<root>/<host><path>@<query>`` (query percent-decoded).

It answers conditional requests (``If-None-Match`` / ``If-Modified-Since``) with 304. With
``latency`` (seconds) every answer is held that long first, like a remote site (benchmarks).
"""

from __future__ import annotations

import argparse
import hashlib
import mimetypes
import threading
import time
from email.utils import formatdate, parsedate_to_datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

_TYPES = {".xml": "application/rss+xml", ".json": "application/json", ".pdf": "application/pdf"}


def resolve(root: Path, host: str, target: str) -> Path | None:
    """The file that answers ``target`` (path and query) on ``host``, or None."""
    parts = urlsplit(target)
    host = host.split(":")[0].lower()
    site = (root / host).resolve()
    path = unquote(parts.path or "/")
    candidate = (site / path.lstrip("/")).resolve()
    if parts.query:
        candidate = candidate.with_name(candidate.name + "@" + unquote(parts.query))
    elif candidate.is_dir():
        candidate = candidate / "index.html"
    if site not in candidate.parents or not candidate.is_file():
        return None
    return candidate


def content_type(path: Path) -> str:
    """The Content-Type a demo file is served with."""
    if path.name == "feed" or path.suffix in (".rss", ".atom"):
        return "application/rss+xml; charset=utf-8"
    kind = _TYPES.get(path.suffix)
    if kind:
        return kind + ("; charset=utf-8" if "pdf" not in kind else "")
    guessed = mimetypes.guess_type(path.name)[0]
    if guessed and not guessed.startswith("text/html") and path.suffix not in (".aspx", ""):
        return guessed
    return "text/html; charset=utf-8"


class _Handler(BaseHTTPRequestHandler):
    server_version = "blotter-demo/1"
    root: Path
    latency: float = 0.0

    def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
        self._answer(body=True)

    def do_HEAD(self) -> None:  # noqa: N802
        self._answer(body=False)

    def _answer(self, body: bool) -> None:
        target = self.path
        if target.startswith(("http://", "https://")):
            parts = urlsplit(target)
            host = parts.netloc
            target = parts.path + (f"?{parts.query}" if parts.query else "")
        else:
            host = self.headers.get("Host", "")
        file = resolve(self.root, host, target)
        self.server.requests.append(f"{host}{target}")  # type: ignore[attr-defined]
        if self.latency:
            time.sleep(self.latency)
        if file is None:
            self.send_error(HTTPStatus.NOT_FOUND)
            return
        data = file.read_bytes()
        etag = '"' + hashlib.sha256(data).hexdigest()[:32] + '"'
        mtime = file.stat().st_mtime
        if self._not_modified(etag, mtime):
            self.send_response(HTTPStatus.NOT_MODIFIED)
            self.send_header("ETag", etag)
            self.end_headers()
            return
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", content_type(file))
        self.send_header("Content-Length", str(len(data)))
        self.send_header("ETag", etag)
        self.send_header("Last-Modified", formatdate(mtime, usegmt=True))
        self.end_headers()
        if body:
            self.wfile.write(data)

    def _not_modified(self, etag: str, mtime: float) -> bool:
        if match := self.headers.get("If-None-Match"):
            return etag in [m.strip() for m in match.split(",")]
        if since := self.headers.get("If-Modified-Since"):
            try:
                return int(mtime) <= parsedate_to_datetime(since).timestamp()
            except (TypeError, ValueError):
                return False
        return False

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the stdlib's name
        pass


class _Server(ThreadingHTTPServer):
    request_queue_size = 512  # a crawl opens ~100 connections at once; the default backlog is 5


class DemoServer:
    """The demo sites served on 127.0.0.1 on a free port, in a background thread.

    Use as a context manager; ``proxy_url`` is what to give the crawler as its proxy.
    ``latency`` holds every answer that many seconds (in its own thread, so answers overlap).
    ``requests`` lists every request answered (host + path), for tests and benchmarks.
    """

    def __init__(self, root: Path | str, port: int = 0, latency: float = 0.0):
        handler = type(
            "Handler", (_Handler,), {"root": Path(root).resolve(), "latency": float(latency)}
        )
        self.httpd = _Server(("127.0.0.1", port), handler)
        self.httpd.daemon_threads = True
        self.httpd.requests = []  # type: ignore[attr-defined]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def proxy_url(self) -> str:
        """``http://127.0.0.1:<port>``."""
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def requests(self) -> list[str]:
        """Requests answered so far."""
        return self.httpd.requests  # type: ignore[attr-defined]

    def __enter__(self) -> DemoServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)


def main() -> None:
    """``python -m sitegen.server [ROOT] [--port N]``: serve the demo sites until Ctrl-C."""
    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("root", nargs="?", default="seeds/demo/sites")
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    with DemoServer(args.root, args.port) as server:
        print(f"demo sites of {args.root} served; use proxy {server.proxy_url} (Ctrl-C stops)")
        try:
            server.thread.join()
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
