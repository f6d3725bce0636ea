"""One archived release rebuilt from its page: what a reparse worker process runs.

Pure CPU work, no SQL and no Scrapy: a worker imports the page readers and the extraction rules
and nothing else, so it starts quickly (the store and the crawl stay in the writing process,
:mod:`crawler.reparse`).
"""

from __future__ import annotations

import json
import signal
from datetime import datetime

from crawler.platforms.dispatch import read_release
from crawler.platforms.pages import PageError
from crawler.sources import Source
from pipelines.extract import text_and_extraction
from pipelines.extract.record import Record

# What a worker gets for one release, in this order (no stored text: the writer compares it).
TASK_KEYS = (
    "url",
    "agency_id",
    "title",
    "published_at",
    "published_raw",
    "extraction_method",
    "fetched_at",
    "last_seen_at",
    "page",
)


def rebuild(release: dict, source: Source) -> tuple[dict, Record] | str:
    """One release rebuilt from its archived page: (fields, extraction), or the error message.

    ``release`` holds the stored ``title``, ``published_at``, ``published_raw`` (kept when the
    page alone cannot give them: they may come from the feed), ``extraction_method`` and
    ``page``, the archived bytes. ``fields["extraction_method"]`` is the strategies' dict (the
    writer stores it as JSON). Pure: reads nothing but its arguments.
    """
    fetched = release.get("fetched_at") or release.get("last_seen_at")
    try:
        page = read_release(
            release["page"] or b"",
            release["url"],
            source,
            fetched_at=datetime.fromisoformat(fetched) if fetched else None,
        )
    except PageError as exc:
        return f"{source.id}: {exc}"
    # a title or date that only the feed gave is kept: the page cannot give it
    fields = {
        "title": page.title or release["title"],
        "published_at": page.published_at or release["published_at"],
        "published_raw": page.published_raw or release["published_raw"],
        "body_html": page.body_html,
        "extraction_method": _methods(page.methods, release),
    }
    published = fields["published_at"]
    fields["body_text"], extraction = text_and_extraction(
        page.body_html, "", published[:10] if published else None
    )
    return fields, extraction


def _methods(methods: dict, release: dict) -> dict:
    """The strategies of a reparsed page, keeping "feed" for a part only the feed gave."""
    if "title" in methods and "date" in methods:
        return methods  # the page gave both: nothing stored is kept (the common case)
    stored = json.loads(release.get("extraction_method") or "{}")
    merged = dict(methods)
    for part in ("title", "date"):
        if part not in merged and stored.get(part):
            merged[part] = stored[part]
    return merged


def init_worker() -> None:
    """Set up a worker process: Ctrl-C left to the writer."""
    # Ctrl-C reaches the workers too (one process group): the writer stops them in order.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def rebuild_batch(tasks: list[tuple], sources: dict[str, Source]) -> list:
    """:func:`rebuild` over one batch: tuples in :data:`TASK_KEYS` order, each ``page`` already
    unpacked; ``sources`` holds at least the agencies of the batch, by id.

    The sources travel with each batch, not once to each worker at its start: a worker's
    start-up data is written down a pipe that the new process reads only once its imports are
    done, so a large start-up payload would hold the writer back at every worker's start.
    """
    out = []
    for task in tasks:
        release = dict(zip(TASK_KEYS, task, strict=True))
        out.append(rebuild(release, sources[release["agency_id"]]))
    return out
