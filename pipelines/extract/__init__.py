"""The extraction library: release text in, a record of what it says out (no Scrapy, no SQL).

``extract()`` (in ``release.py``) composes the per-concern modules: ``dates``, ``location``,
``people``, ``charges`` and ``bond``, over the sentences of ``sentences``; ``html_text`` turns a
page's HTML into that text. The vocabulary they use lives in ``data/*.toml``. The record it
returns is typed, every key described, in ``record.py`` (``Record`` and its parts).
"""

from pipelines.extract.record import Record
from pipelines.extract.release import (
    EXTRACTOR_VERSION,
    contract_view,
    extract,
    text_and_extraction,
)

__all__ = ["EXTRACTOR_VERSION", "Record", "contract_view", "extract", "text_and_extraction"]
