"""robots.txt is reused from the archive for a day after the site last confirmed it.

A confirmation is a download (200) or a ``304 Not Modified`` to the conditional request: a
night whose robots.txt answered 304 must not re-request it the next night.
"""

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

from scrapy.http import Request, Response

from crawler.archive import FROM_ARCHIVE, NOT_MODIFIED, ArchiveMiddleware
from pipelines.store import Store

ROBOTS = "http://police.glenrock.test/robots.txt"


def stamp(days_ago: float) -> str:
    return (datetime.now(UTC) - timedelta(days=days_ago)).replace(microsecond=0).isoformat()


def middleware(tmp_path, fetched_days_ago: float) -> tuple[ArchiveMiddleware, Store]:
    store = Store(tmp_path / "r.db")
    store.archive_page(
        url=ROBOTS,
        agency_id=None,
        kind="robots",
        status=200,
        headers={"Content-Type": "text/plain", "ETag": '"r1"'},
        body=b"User-agent: *\nDisallow: /private\n",
        fetched_at=stamp(fetched_days_ago),
    )
    run = SimpleNamespace(store=store, source_for=lambda url, meta: None)
    return ArchiveMiddleware(run, robots_ttl=86400), store


def test_a_robots_txt_fetched_an_hour_ago_is_answered_from_the_archive(tmp_path):
    archive, store = middleware(tmp_path, fetched_days_ago=1 / 24)
    answer = archive.process_request(Request(ROBOTS))
    assert FROM_ARCHIVE in answer.flags and b"Disallow: /private" in answer.body
    store.close()


def test_a_stale_robots_txt_is_asked_for_conditionally(tmp_path):
    archive, store = middleware(tmp_path, fetched_days_ago=3)
    request = Request(ROBOTS)
    assert archive.process_request(request) is None
    assert request.headers[b"If-None-Match"] == b'"r1"'
    store.close()


def test_a_304_refreshes_robots_txt_so_the_next_night_sends_no_request(tmp_path):
    archive, store = middleware(tmp_path, fetched_days_ago=3)
    tonight = Request(ROBOTS)
    assert archive.process_request(tonight) is None
    answer = archive.process_response(tonight, Response(ROBOTS, status=304, request=tonight))
    assert NOT_MODIFIED in answer.flags and answer.status == 200
    # downloaded three days ago, confirmed just now: fresh for another day
    later = archive.process_request(Request(ROBOTS))
    assert later is not None and FROM_ARCHIVE in later.flags
    store.close()


def test_the_ttl_is_judged_at_the_start_of_the_crawl(tmp_path):
    archive, store = middleware(tmp_path, fetched_days_ago=0.9)
    archive.started -= timedelta(days=0.05)  # the crawl began 0.85 days after the download
    assert FROM_ARCHIVE in archive.process_request(Request(ROBOTS)).flags
    archive.started += timedelta(days=0.2)  # it began 1.05 days after: ask the site again
    assert archive.process_request(Request(ROBOTS)) is None
    store.close()


def test_the_ttl_is_judged_at_the_launch_of_the_process(tmp_path):
    """Nights launched a day apart (cron): what last night confirmed, a few seconds after its
    launch, is reused tonight however long tonight's start-up takes."""
    from crawler.archive import _IMPORTED, process_launched

    launched = process_launched()
    assert launched <= _IMPORTED <= datetime.now(UTC)
    archive, store = middleware(tmp_path, fetched_days_ago=3)
    assert archive.started == launched
    last_night = launched - timedelta(days=1)
    for seconds_after_launch, fresh in ((4, True), (-4, False)):
        confirmed = last_night + timedelta(seconds=seconds_after_launch)
        store.page_checked(ROBOTS, store.latest_page(ROBOTS)["sha256"], confirmed.isoformat())
        answer = archive.process_request(Request(ROBOTS))
        assert (answer is not None and FROM_ARCHIVE in answer.flags) == fresh
    store.close()


def test_what_last_night_confirmed_in_the_second_of_its_launch_is_reused_tonight(tmp_path):
    """Stamps are whole seconds: a robots.txt confirmed 0.2 s after last night's launch (at
    .9 of a second) is stored at that second's start, before the launch; tonight, launched a
    day after last night, still reuses it."""
    archive, store = middleware(tmp_path, fetched_days_ago=3)
    archive.started = datetime.now(UTC).replace(microsecond=700_000)
    last_night = archive.started - timedelta(days=1)
    confirmed = (last_night + timedelta(seconds=0.2)).replace(microsecond=0)
    store.page_checked(ROBOTS, store.latest_page(ROBOTS)["sha256"], confirmed.isoformat())
    assert FROM_ARCHIVE in archive.process_request(Request(ROBOTS)).flags
    later = ArchiveMiddleware(archive.run, robots_ttl=86400)
    later.started = archive.started + timedelta(seconds=1)  # a day and a second: ask again
    assert later.process_request(Request(ROBOTS)) is None
    store.close()


def test_a_process_launched_long_before_its_crawl_judges_from_now(tmp_path, monkeypatch):
    """A long-lived process (a script running crawls one after another) must not reuse a
    robots.txt past its TTL: beyond START_UP_LIMIT after the launch, the crawl judges from now."""
    from crawler import archive as archive_mod

    monkeypatch.setattr(
        archive_mod, "process_launched", lambda: datetime.now(UTC) - timedelta(hours=5)
    )
    archive, store = middleware(tmp_path, fetched_days_ago=0.9)  # 21.6 h ago
    assert datetime.now(UTC) - archive.started < timedelta(minutes=1)
    assert FROM_ARCHIVE in archive.process_request(Request(ROBOTS)).flags
    store.close()
    archive, store = middleware(tmp_path / "b", fetched_days_ago=1.05)
    assert archive.process_request(Request(ROBOTS)) is None  # 25.2 h: asked again
    store.close()
