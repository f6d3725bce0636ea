"""The extraction library: release text in, a record of what it says out (no Scrapy, no SQL).

``extract()`` (in ``release.py``) composes the per-concern modules: ``dates``, ``location``,
``people``, ``charges`` and ``bond``, over the sentences of ``sentences``; ``html_text`` turns a
page's HTML into that text. The vocabulary they use lives in ``data/*.toml``. The record it
returns is typed, every key described, in ``record.py`` (``Record`` and its parts).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pipelines.extract.record import Record
    from pipelines.extract.release import (
        EXTRACTOR_VERSION,
        contract_view,
        extract,
        text_and_extraction,
    )

__all__ = ["EXTRACTOR_VERSION", "Record", "contract_view", "extract", "text_and_extraction"]


def __getattr__(name: str) -> Any:
    """The public names, imported on first use: the crawl's own process reads only the page
    and date helpers (``html_text``, ``vocab``), not the extraction rules its worker runs."""
    if name == "Record":
        from pipelines.extract.record import Record

        return Record
    if name in __all__:
        from pipelines.extract import release

        return getattr(release, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
