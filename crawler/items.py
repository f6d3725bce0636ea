"""The item a crawl yields: one release page as fetched, plus what the pipelines derive from it."""

from __future__ import annotations

from dataclasses import dataclass, field

from pipelines.extract.record import Record


@dataclass
class ReleaseItem:
    """One press release page. Every field the pipelines fill is declared here up front."""

    url: str
    source_id: str
    agency_name: str
    state: str
    timezone: str
    title: str | None
    published_at: str | None
    published_raw: str | None
    body_html: str
    body_text: str
    fetched_at: str
    listing_url: str | None = None
    page_sha256: str | None = None
    extraction_method: dict | None = None  # which strategy gave each part (ReleasePage.methods)
    extraction: Record | None = field(default=None)  # set by ExtractPipeline
