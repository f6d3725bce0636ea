"""The entry points an extraction worker process runs, importable without the library.

The crawl's own process hands these to its worker pool by name; only the worker, when it
first calls one, imports the extraction rules (``release.py`` and everything under it).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pipelines.extract.record import Record

# a release of the shape the rules read, so a worker compiles and caches them before the
# crawl's first real release reaches it
_WARM_UP = (
    "<p>Jane Roe, 31, of Springfield was arrested Monday, Jan. 5, at about 1:15 a.m. and "
    "charged with two counts of theft. Her bond was set at $5,000 cash.</p>"
)


def text_and_extraction(html: str, text: str, day: str | None) -> tuple[str, Record]:
    """:func:`pipelines.extract.release.text_and_extraction`, imported on first call."""
    from pipelines.extract.release import text_and_extraction as run

    return run(html, text, day)


def warm_up() -> None:
    """Import the extraction rules and run them once over a short release."""
    text_and_extraction(_WARM_UP, "", "2026-01-06")
