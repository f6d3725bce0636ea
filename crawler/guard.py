"""What a crawl may fetch at all: http and https URLs, and (by default) only public addresses.

Two downloader middlewares, before anything is downloaded:

- :class:`URLGuardMiddleware` (first on the way out) refuses every request whose scheme is not
  ``http`` or ``https`` (a ``file:``, ``ftp:``, ``data:`` or ``s3:`` link on a listing page, in
  a feed, as a release's PDF pointer, or a robots.txt of one), and, unless
  ``BLOTTER_ALLOW_PRIVATE`` is true, every request whose host is, or resolves to, a loopback,
  link-local (169.254.0.0/16), private or otherwise non-public address. The refusal reaches the
  spider's errback as :class:`RefusedURL`, whose message names the URL and why.
- :class:`RedirectGuardMiddleware` (on the way back, before Scrapy's redirect middleware) turns
  a redirect to such a URL into the same refusal, naming the redirect, instead of letting it
  end as a bare "HTTP 302".

Scrapy's own handlers for those schemes are switched off in ``crawler/settings.py`` as well
(``DOWNLOAD_HANDLERS``), so a request that got past this guard could still not read a file.

Names are resolved off the crawl's thread: a lookup takes tens of milliseconds, and done in the
reactor's one thread it stalled every download in flight (a first crawl of 18,000 agencies spent
19 of 20 samples waiting in ``getaddrinfo``). A host's first request waits for its lookup in a
pool of ``BLOTTER_DNS_THREADS`` threads (default 32); the answer is kept for the process, so the
host's later requests are judged at once. The first IPv4 address of a public answer is also put
in Scrapy's own DNS cache (``scrapy.resolver.dnscache``, which Scrapy's IPv4 resolver reads
first): the download connects to the address that was judged, with no second lookup of the
name, and a name cannot answer the guard with a public address and the download with a private
one. Through a proxy (``BLOTTER_PROXY``) the proxy resolves the name and the cache is not read.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from urllib.parse import urljoin, urlsplit

from scrapy import signals
from scrapy.exceptions import IgnoreRequest
from scrapy.resolver import dnscache

ALLOWED_SCHEMES = ("http", "https")


class RefusedURL(IgnoreRequest):
    """A request blotter will not send; ``str()`` names the URL and the reason."""


def scheme_refusal(url: str) -> str | None:
    """Why ``url`` may not be fetched for its scheme, or None when it is http or https."""
    scheme = urlsplit(url).scheme.lower()
    if scheme in ALLOWED_SCHEMES:
        return None
    return f"refused {_short(url)}: only http and https URLs are fetched, not {scheme or 'no'}:"


def _short(url: str, width: int = 120) -> str:
    return url if len(url) <= width else url[: width - 1] + "…"


def non_public(address: str) -> bool:
    """Whether an IP address is loopback, link-local, private, reserved, multicast or unset."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return not ip.is_global or ip.is_multicast


@lru_cache(maxsize=1 << 17)  # every host of a nightly crawl of all US agencies, and more
def _addresses(host: str) -> tuple[str, ...]:
    try:
        return (str(ipaddress.ip_address(host.strip("[]"))),)
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError):
        return ()  # unresolvable here: the download fails on its own (or a proxy resolves it)
    return tuple(sorted({str(info[4][0]) for info in infos}))


def _literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


def _known(host: str) -> bool:
    """Whether ``address_refusal`` can judge ``host`` without a lookup: an IP literal, a
    loopback name, or a name this process has resolved already."""
    if not host or host == "localhost" or host.endswith(".localhost") or _literal(host):
        return True
    return host in _resolved


_resolved: set[str] = set()  # names whose lookup has finished (answers in _addresses' cache)


def address_refusal(url: str) -> str | None:
    """Why ``url`` may not be fetched for the address its host has, or None when public.

    A host that is an IP literal is judged as it is; a name is resolved (once per host and
    process). ``localhost`` and ``*.localhost`` are loopback by definition.
    """
    host = (urlsplit(url).hostname or "").lower()
    if not host:
        return None
    if host == "localhost" or host.endswith(".localhost"):
        return f"refused {_short(url)}: {host} is a loopback address"
    for address in _addresses(host):
        if non_public(address):
            return (
                f"refused {_short(url)}: {host} is {address}, not a public address "
                "(BLOTTER_ALLOW_PRIVATE=true crawls it)"
            )
    return None


def pin_address(host: str) -> str | None:
    """Put ``host``'s first IPv4 address, as looked up and judged, in Scrapy's DNS cache, so
    the download connects there without resolving the name again; that address, or None (no
    IPv4 answer: Scrapy resolves the name itself)."""
    ipv4 = [a for a in _addresses(host) if ipaddress.ip_address(a).version == 4]
    if not ipv4 or _literal(host):
        return None
    dnscache[host] = ipv4[0]
    return ipv4[0]


class URLGuardMiddleware:
    """Refuse non-http(s) requests, and requests to non-public addresses (see module doc)."""

    def __init__(self, allow_private: bool = False, dns_threads: int = 32):
        self.allow_private = allow_private
        self.dns_threads = max(1, dns_threads)
        self._pool: ThreadPoolExecutor | None = None

    @classmethod
    def from_crawler(cls, crawler):  # noqa: ANN001, ANN206 - Scrapy's hook
        guard = cls(
            crawler.settings.getbool("BLOTTER_ALLOW_PRIVATE", False),
            crawler.settings.getint("BLOTTER_DNS_THREADS", 32),
        )
        crawler.signals.connect(guard.close, signal=signals.spider_closed)
        return guard

    def close(self) -> None:
        """Stop the lookup threads (a lookup still waiting on its resolver is abandoned)."""
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None

    def refusal(self, url: str) -> str | None:
        """Why this crawl may not fetch ``url``, or None."""
        reason = scheme_refusal(url)
        if reason is None and not self.allow_private:
            reason = address_refusal(url)
        return reason

    def process_request(self, request):  # noqa: ANN001, ANN201 - Scrapy's hook
        """None, or raises :class:`RefusedURL`. At once when the host needs no lookup (see
        ``_known``); else a coroutine that looks the name up in the guard's threads first,
        which Scrapy awaits while the other downloads go on."""
        host = (urlsplit(request.url).hostname or "").lower()
        if self.allow_private or scheme_refusal(request.url) or _known(host):
            return self._judge(request)
        return self._judge_after_lookup(request, host)

    async def _judge_after_lookup(self, request, host: str):  # noqa: ANN001, ANN202
        if self._pool is None:
            self._pool = ThreadPoolExecutor(self.dns_threads, thread_name_prefix="blotter-dns")
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # a crawl on Twisted's own reactor, not asyncio's: look up here
            _addresses(host)
        else:
            await loop.run_in_executor(self._pool, _addresses, host)
        _resolved.add(host)
        verdict = self._judge(request)  # raises RefusedURL for a non-public address
        pin_address(host)
        return verdict

    def _judge(self, request):  # noqa: ANN001, ANN202
        reason = self.refusal(request.url)
        if reason is None:
            return None
        chain = request.meta.get("redirect_urls") or []
        if chain:
            reason += f" (redirected from {' -> '.join(chain)})"
        raise RefusedURL(reason)


class RedirectGuardMiddleware(URLGuardMiddleware):
    """Refuse a redirect to a URL :class:`URLGuardMiddleware` would refuse, naming it."""

    def process_request(self, request):  # noqa: ANN001, ANN201 - only answers are checked here
        return None

    def process_response(self, request, response):  # noqa: ANN001, ANN201 - Scrapy's hook
        if not (300 <= response.status < 400) or request.meta.get("dont_redirect"):
            return response
        location = response.headers.get(b"Location")
        if not location:
            return response
        target = urljoin(request.url, location.decode("latin-1").strip())
        reason = self.refusal(target)
        if reason is None:
            return response
        raise RefusedURL(f"{request.url}: HTTP {response.status} redirect {reason}")
