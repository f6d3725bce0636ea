"""A site that answers 429 or 503 with Retry-After is waited for before the retry."""

from datetime import UTC, datetime
from types import SimpleNamespace

from scrapy.http import HtmlResponse, Request

from crawler.middlewares import MAX_RETRY_AFTER, RetryAfterMiddleware, retry_after_seconds


def test_retry_after_reads_seconds_and_http_dates():
    now = datetime(2026, 3, 2, 10, 0, 0, tzinfo=UTC)
    assert retry_after_seconds(b"120") == 120.0
    assert retry_after_seconds("Mon, 02 Mar 2026 10:01:30 GMT", now=now) == 90.0
    assert retry_after_seconds("Mon, 02 Mar 2026 09:00:00 GMT", now=now) == 0.0
    assert retry_after_seconds(b"soon") is None
    assert retry_after_seconds(None) is None


def middleware_with_slot(delay: float) -> tuple[RetryAfterMiddleware, SimpleNamespace]:
    slot = SimpleNamespace(delay=delay)
    downloader = SimpleNamespace(slots={"police.glenrock.test": slot})
    crawler = SimpleNamespace(engine=SimpleNamespace(downloader=downloader))
    return RetryAfterMiddleware(crawler), slot


def answer(status: int, retry_after: str | None) -> tuple[Request, HtmlResponse]:
    request = Request(
        "http://police.glenrock.test/news", meta={"download_slot": "police.glenrock.test"}
    )
    headers = {"Retry-After": retry_after} if retry_after else {}
    return request, HtmlResponse(request.url, status=status, headers=headers, request=request)


def test_a_429_with_retry_after_raises_the_sites_delay():
    middleware, slot = middleware_with_slot(1.0)
    request, response = answer(429, "30")
    assert middleware.process_response(request, response) is response
    assert slot.delay == 30.0


def test_the_wait_is_capped_and_never_shortens_the_delay():
    middleware, slot = middleware_with_slot(1.0)
    middleware.process_response(*answer(503, "86400"))
    assert slot.delay == MAX_RETRY_AFTER
    middleware.process_response(*answer(503, "5"))
    assert slot.delay == MAX_RETRY_AFTER


def test_other_answers_leave_the_delay_alone():
    middleware, slot = middleware_with_slot(1.0)
    middleware.process_response(*answer(200, "30"))
    middleware.process_response(*answer(429, None))
    assert slot.delay == 1.0
