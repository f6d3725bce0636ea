"""``python -m bench.queue_pop``: what one scheduler pop costs with 1,000 to 18,000 sites queued.

Scrapy's ``DownloaderAwarePriorityQueue`` against blotter's ``SlotRotationQueue``
(``crawler/scheduler.py``), each with N sites holding one request and nothing downloading;
prints microseconds per pop over the first 2,000 pops. No network, no crawl.
"""

from __future__ import annotations

import time
from types import SimpleNamespace

from scrapy import Request
from scrapy.pqueues import DownloaderAwarePriorityQueue
from scrapy.squeues import LifoMemoryQueue
from scrapy.utils.test import get_crawler

from crawler.scheduler import SlotRotationQueue


class _Downloader:
    def __init__(self):
        self.slots: dict = {}

    def get_slot_key(self, request: Request) -> str:
        return request.url.split("/")[2]


def pop_cost(cls: type, sites: int, pops: int = 2000) -> float:
    """Mean seconds per pop of ``cls`` with ``sites`` sites queued (one request each)."""
    crawler = get_crawler()
    crawler.engine = SimpleNamespace(downloader=_Downloader())
    queue = cls(crawler, LifoMemoryQueue, "")
    for i in range(sites):
        queue.push(Request(f"http://police.site{i}.test/robots.txt"))
    pops = min(pops, sites)
    started = time.perf_counter()
    for _ in range(pops):
        queue.pop()
    return (time.perf_counter() - started) / pops


def main() -> None:
    """Print the cost per pop of both queues at 1,000, 5,000 and 18,000 sites."""
    for sites in (1000, 5000, 18000):
        for cls in (DownloaderAwarePriorityQueue, SlotRotationQueue):
            print(f"{sites:>6} sites  {cls.__name__:<30} {pop_cost(cls, sites) * 1e6:9.1f} µs/pop")


if __name__ == "__main__":
    main()
