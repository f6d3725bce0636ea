"""The scheduler's priority queue for crawls of thousands of sites: no scan of every site per pop.

Scrapy's default, ``DownloaderAwarePriorityQueue``, keeps one queue per download slot (site) and,
on every pop, counts the active downloads of *every* slot with a pending request to pick the
least busy one: with 18,000 sites that is 18,000 look-ups per request, the crawl's largest cost
after its own work (measured in ``make bench-scale``). :class:`SlotRotationQueue` keeps the same
per-slot queues but takes the sites in turn: each pop looks at the next few slots of a rotation
(``BLOTTER_SCHEDULER_LOOKAHEAD``, default 16), takes the first with nothing in the downloader,
else the least busy of those, and moves it to the back. Every site still gets its turn, a busy
site is passed over, and a pop costs the same with 10 sites or 100,000.

It also caps the requests in the downloader at once for all the hosts that share one IP address
(``BLOTTER_CONCURRENT_REQUESTS_PER_IP``, default 8; 0 for no cap): a platform serving hundreds
of agencies from one server, each on its own host name, otherwise gets 2 requests per agency at
once. Addresses are the ones Scrapy's resolver has cached; a host not resolved yet (or fetched
through a proxy, which resolves it) counts as its own address.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable
from itertools import islice

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.pqueues import DownloaderAwarePriorityQueue
from scrapy.resolver import dnscache
from scrapy.utils.httpobj import urlparse_cached

_GROUP = "blotter_ip_group"  # the request's address group while it is in the downloader


class SlotRotationQueue(DownloaderAwarePriorityQueue):
    """``DownloaderAwarePriorityQueue`` with O(1) pops (see the module docstring)."""

    def __init__(
        self,
        crawler: Crawler,
        downstream_queue_cls,  # noqa: ANN001 - Scrapy's queue protocol
        key: str,
        slot_startprios: dict[str, Iterable[int]] | None = None,
        *,
        start_queue_cls=None,  # noqa: ANN001
    ):
        super().__init__(
            crawler, downstream_queue_cls, key, slot_startprios, start_queue_cls=start_queue_cls
        )
        settings = crawler.settings
        self.lookahead = max(1, settings.getint("BLOTTER_SCHEDULER_LOOKAHEAD", 16))
        self.per_ip = settings.getint("BLOTTER_CONCURRENT_REQUESTS_PER_IP", 8)
        self._turns: OrderedDict[str, None] = OrderedDict.fromkeys(self.pqueues)
        self._in_downloader: dict[str, int] = {}  # address group -> requests in the downloader
        crawler.signals.connect(self._reached, signal=signals.request_reached_downloader)
        crawler.signals.connect(self._left, signal=signals.request_left_downloader)

    # -- what is in the downloader, per address ----------------------------------------------

    @staticmethod
    def _group_of(slot: str) -> str:
        return dnscache.get(slot, slot)

    def _reached(self, request: Request) -> None:
        group = self._group_of(urlparse_cached(request).hostname or "")
        request.meta[_GROUP] = group
        self._in_downloader[group] = self._in_downloader.get(group, 0) + 1

    def _left(self, request: Request) -> None:
        group = request.meta.pop(_GROUP, None)
        if group is None:
            return
        left = self._in_downloader.get(group, 0) - 1
        if left > 0:
            self._in_downloader[group] = left
        else:
            self._in_downloader.pop(group, None)

    def _address_full(self, slot: str) -> bool:
        return self.per_ip > 0 and self._in_downloader.get(self._group_of(slot), 0) >= self.per_ip

    # -- the rotation ------------------------------------------------------------------------

    def _choose(self) -> str | None:
        """The slot to pop from: the first idle one of the next few, else the least busy."""
        active = self._downloader_interface._active_downloads
        best: tuple[int, str] | None = None
        looked, full = 0, []
        for slot in islice(self._turns, 4 * self.lookahead):
            if self._address_full(slot):
                full.append(slot)  # its server has enough from us now: look further
                continue
            busy = active(slot)
            if busy == 0:
                best = (0, slot)
                break
            if best is None or busy < best[0]:
                best = (busy, slot)
            looked += 1
            if looked >= self.lookahead:
                break
        for slot in full:  # their turn comes again after the others'
            self._turns.move_to_end(slot)
        return best[1] if best else None

    def pop(self) -> Request | None:
        slot = self._choose()
        if slot is None:
            return None
        queue = self.pqueues[slot]
        request = queue.pop()
        if len(queue) == 0:
            del self.pqueues[slot]
            del self._turns[slot]
            queue.close()
        else:
            self._turns.move_to_end(slot)
        return request

    def push(self, request: Request) -> None:
        super().push(request)
        slot = self._downloader_interface.get_slot_key(request)
        if slot not in self._turns:
            self._turns[slot] = None

    def peek(self) -> Request | None:
        slot = self._choose()
        return self.pqueues[slot].peek() if slot is not None else None

    def close(self) -> dict[str, list[int]]:
        self._turns.clear()
        return super().close()
