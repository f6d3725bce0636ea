"""Downloader middlewares of blotter."""

from __future__ import annotations

from scrapy.exceptions import IgnoreRequest


class OffSiteRedirect(IgnoreRequest):
    """A source's request that a redirect sent to another site."""


class StayOnSiteMiddleware:
    """Refuse any request of a source whose URL is off that source's site.

    The spider only follows on-site links; this catches redirects to other hosts, before even
    their robots.txt is fetched. The refusal reaches the spider's errback as ``OffSiteRedirect``
    and is recorded against the source.
    """

    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_request(self, request):
        sources = getattr(self.crawler.spider, "sources", {})
        source = sources.get(request.meta.get("source_id"))
        if source is not None and not source.same_site(request.url):
            chain = " -> ".join([*request.meta.get("redirect_urls", []), request.url])
            raise OffSiteRedirect(f"redirected off the source's site ({chain})")
        return None


class ProxyMiddleware:
    """Send every request, robots.txt included, through ``BLOTTER_PROXY`` when it is set.

    The bundled demo uses it: its fictional ``*.test`` hosts are answered by a local server.
    """

    def __init__(self, proxy: str | None):
        self.proxy = proxy

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.settings.get("BLOTTER_PROXY"))

    def process_request(self, request):
        if self.proxy:
            request.meta.setdefault("proxy", self.proxy)
        return None
