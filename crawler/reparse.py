"""Re-run page parsing and extraction over the raw archive (``scrapy reparse``).

No network: every release is rebuilt from the page archived when it was fetched, through the
same parsers and extraction the crawl uses, in batches of one transaction each. Prints how many
releases changed and the rate. Run it after improving a parser or the extraction.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from datetime import datetime

from crawler.platforms.dispatch import read_release
from crawler.platforms.pages import PageError
from crawler.sources import Source
from pipelines.extract import text_and_extraction
from pipelines.store import Store, method_json, storage_error, storage_problem

BATCH = 200


@dataclass
class ReparseReport:
    """What a reparse did."""

    releases: int = 0
    changed: int = 0
    errors: int = 0
    seconds: float = 0.0

    @property
    def rate(self) -> float:
        """Releases per second."""
        return self.releases / self.seconds if self.seconds else 0.0


def _sources(store: Store) -> dict[str, Source]:
    """Each agency as the crawl saw it, its own selectors included."""
    return {row["id"]: Source.from_row(row) for row in store.agencies()}


def _methods(methods: dict, release: dict) -> str | None:
    """The strategies of a reparsed page, keeping "feed" for a part only the feed gave."""
    stored = json.loads(release.get("extraction_method") or "{}")
    merged = dict(methods)
    for part in ("title", "date"):
        if part not in merged and stored.get(part):
            merged[part] = stored[part]
    return method_json(merged)


def reparse(db_path: str, log=print) -> ReparseReport:
    """Rebuild every archived release of ``db_path``; return counts and timing."""
    store = Store(db_path)
    report = ReparseReport()
    sources = _sources(store)
    started = time.perf_counter()
    last_id = 0
    try:
        while batch := store.archived_releases(after_id=last_id, limit=BATCH):
            last_id = batch[-1]["id"]
            with store.batch():
                for release in batch:
                    report.releases += 1
                    source = sources[release["agency_id"]]
                    body = store.blob(release["page_sha256"])
                    fetched = release["fetched_at"] or release["last_seen_at"]
                    try:
                        page = read_release(
                            body or b"",
                            release["url"],
                            source,
                            fetched_at=datetime.fromisoformat(fetched) if fetched else None,
                        )
                    except PageError as exc:
                        report.errors += 1
                        log(f"{source.id}: {exc}")
                        continue
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
                        page.body_html,
                        "",
                        published[:10] if published else None,
                        source.state,
                        source.name,
                    )
                    if store.reparsed(release, fields, extraction):
                        report.changed += 1
    except Exception as exc:
        if storage_problem(exc) is None:
            raise
        raise storage_error(db_path, exc) from exc  # the batch in hand was rolled back
    finally:
        report.seconds = time.perf_counter() - started
        store.close()
    return report
