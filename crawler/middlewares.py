"""Downloader middlewares of blotter."""

from __future__ import annotations


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
