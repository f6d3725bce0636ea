"""The general extractor: a page's main text and title when no selector gives ones that pass.

The body comes from trafilatura (``trafilatura.extract`` in precision mode, comments left out),
as HTML so that paragraphs and lists survive into the text; the title from the page's Open
Graph title or its ``<title>`` less the site's name. Slower than selectors (tens of
milliseconds a page against a fraction of one), so the reading chain in ``pages.py`` calls it
only when the selectors' result fails its check.
"""

from __future__ import annotations

import logging
import re
from functools import cache

from parsel import Selector

_WRAPPER = re.compile(r"^\s*<html>\s*<body>|</body>\s*</html>\s*$", re.S)
# " | Site name", " – Site name", " - Site name" at the end of a <title>
_SITE_SUFFIX = re.compile(r"\s+[|–—-]\s+[^|–—-]{2,80}$")


def preload() -> None:
    """Import trafilatura now. A crawl calls this before its first request: imported later,
    mid-crawl, its seconds of import would stall every download in flight (the crawl's one
    thread), enough for short download timeouts to expire."""
    _trafilatura()


@cache
def _trafilatura():
    """trafilatura, imported on first use: it takes seconds to import, which commands that
    never read a release page (health, export) should not pay."""
    import trafilatura

    # trafilatura logs every page it finds too short; the chain reports that itself
    logging.getLogger("trafilatura").setLevel(logging.ERROR)
    return trafilatura


def general_body(html: str, url: str | None = None) -> str | None:
    """The page's main text as HTML (paragraphs, lists, tables), or None when none is found."""
    if not html or not html.strip():
        return None
    try:
        found = _trafilatura().extract(
            html,
            url=url,
            output_format="html",
            favor_precision=True,
            include_comments=False,
            include_tables=True,
            include_images=False,
            include_links=True,
            with_metadata=False,
        )
    except (ValueError, TypeError, AttributeError):  # markup trafilatura cannot take apart
        return None
    if not found:
        return None
    return _WRAPPER.sub("", found).strip() or None


def general_title(page: Selector) -> str | None:
    """The page's Open Graph title, else its ``<title>`` without a trailing site name."""
    for value in (
        page.xpath("//meta[@property='og:title']/@content").get(),
        page.xpath("//meta[@name='twitter:title']/@content").get(),
    ):
        if value and value.strip():
            return " ".join(value.split())
    title = " ".join(" ".join(page.xpath("//title//text()").getall()).split())
    if not title:
        return None
    return _SITE_SUFFIX.sub("", title) or title
