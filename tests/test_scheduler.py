"""The scheduler queue takes sites in turn, prefers idle ones and caps requests per IP address."""

from types import SimpleNamespace

from scrapy import Request, signals
from scrapy.resolver import dnscache
from scrapy.squeues import FifoMemoryQueue
from scrapy.utils.test import get_crawler

from crawler.scheduler import SlotRotationQueue


class FakeDownloader:
    """What the queue reads of Scrapy's downloader: each slot's active requests."""

    def __init__(self):
        self.slots: dict[str, SimpleNamespace] = {}

    def get_slot_key(self, request: Request) -> str:
        return request.url.split("/")[2]

    def busy(self, host: str, n: int) -> None:
        self.slots[host] = SimpleNamespace(active=set(range(n)))


def make_queue(**settings) -> tuple[SlotRotationQueue, FakeDownloader, object]:
    crawler = get_crawler(settings_dict=settings)
    downloader = FakeDownloader()
    crawler.engine = SimpleNamespace(downloader=downloader)
    return SlotRotationQueue(crawler, FifoMemoryQueue, ""), downloader, crawler


def hosts(requests) -> list[str]:
    return [r.url.split("/")[2] for r in requests]


def test_sites_are_taken_in_turn():
    queue, _, _ = make_queue()
    for page in range(3):
        for host in ("a.test", "b.test", "c.test"):
            queue.push(Request(f"http://{host}/{page}"))
    assert len(queue) == 9
    popped = [queue.pop() for _ in range(9)]
    assert hosts(popped) == ["a.test", "b.test", "c.test"] * 3
    assert [r.url[-1] for r in popped[:3]] == ["0", "0", "0"]
    assert queue.pop() is None and len(queue) == 0


def test_an_idle_site_goes_before_a_busy_one():
    queue, downloader, _ = make_queue()
    queue.push(Request("http://busy.test/1"))
    queue.push(Request("http://idle.test/1"))
    downloader.busy("busy.test", 2)
    assert queue.peek().url == "http://idle.test/1"
    assert queue.pop().url == "http://idle.test/1"
    assert queue.pop().url == "http://busy.test/1"  # busy, but the only one left


def test_hosts_on_one_address_share_its_cap():
    queue, _, crawler = make_queue(BLOTTER_CONCURRENT_REQUESTS_PER_IP=2)
    platform = [f"agency{i}.platform.test" for i in range(4)]
    for host in platform:
        dnscache[host] = "203.0.113.7"
    try:
        for host in [*platform, "own.test"]:
            queue.push(Request(f"http://{host}/news"))
        first, second = queue.pop(), queue.pop()
        assert hosts([first, second]) == platform[:2]
        for request in (first, second):  # both now in the downloader
            crawler.signals.send_catch_log(signals.request_reached_downloader, request=request)
        assert queue.pop().url == "http://own.test/news"  # the shared server has its two
        assert queue.pop() is None and len(queue) == 2
        crawler.signals.send_catch_log(signals.request_left_downloader, request=first)
        assert queue.pop().url == f"http://{platform[2]}/news"
    finally:
        for host in platform:
            dnscache.pop(host, None)


def test_a_pop_looks_at_a_bounded_number_of_sites():
    queue, downloader, _ = make_queue(BLOTTER_SCHEDULER_LOOKAHEAD=4)
    for i in range(1000):
        queue.push(Request(f"http://s{i}.test/"))
        downloader.busy(f"s{i}.test", 1)
    looked = []
    active = queue._downloader_interface._active_downloads
    queue._downloader_interface._active_downloads = lambda slot: looked.append(slot) or active(slot)
    queue.pop()
    assert len(looked) == 4
