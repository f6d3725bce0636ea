"""Publishing platforms: how to find release links, the next listing page and the release parts.

A platform is a set of CSS selectors (``platforms.toml``); a source entry may override any of
them. Knowing the platform is what lets one source-list entry, with no code, add an agency.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import TYPE_CHECKING

from parsel import SelectorList

if TYPE_CHECKING:
    from crawler.sources import Source

SELECTORS_FILE = resources.files("crawler.platforms") / "platforms.toml"  # inside an egg too


@cache
def platform_table() -> dict[str, dict[str, str]]:
    """The selector table of every platform, read once."""
    with SELECTORS_FILE.open("rb") as handle:
        return tomllib.load(handle)


@dataclass(frozen=True)
class Selectors:
    """The CSS selectors used for one source.

    ``item`` (optional) scopes a listing: each match is one release, and ``link`` is looked up
    inside it. ``document`` finds, in a release body, a link to the release's PDF: a body that
    holds little more than such a link is a pointer, and the PDF is the release. ``strip``
    finds chrome that the platform itself puts inside the body (a share bar), removed from the
    body before it is checked.
    """

    link: str
    next: str
    title: str
    date: str
    body: str
    item: str = ""
    document: str = ""
    strip: str = ""


@lru_cache(maxsize=512)
def alternatives(selector: str) -> tuple[str, ...]:
    """The comma-separated alternatives of a selector list, in the order written."""
    parts, depth, start = [], 0, 0
    for index, char in enumerate(selector):
        if char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        elif char == "," and depth == 0:
            parts.append(selector[start:index].strip())
            start = index + 1
    parts.append(selector[start:].strip())
    return tuple(p for p in parts if p)


def first_match(node, selector: str):
    """The elements matched by the first alternative of ``selector`` that matches anything.

    ``node`` is a Scrapy response or selector. Unlike a plain selector list, which returns
    matches in page order, this honours the order of preference the alternatives are written in.
    """
    for alternative in alternatives(selector):
        found = node.css(alternative)
        if found:
            return found
    return SelectorList([])


def platform_selectors(source: Source) -> Selectors:
    """The selectors of the source's platform alone (a key it does not set from ``[generic]``)."""
    return _platform_selectors(source.platform)


@cache
def _platform_selectors(platform: str) -> Selectors:
    table = platform_table()
    base = {**table["generic"], **table.get(platform, {})}
    return Selectors(**{k: base[k] for k in Selectors.__annotations__ if k in base})


def selectors_for(source: Source) -> Selectors:
    """The platform's selectors with the source's own overrides on top.

    A key the platform does not set comes from ``[generic]``.
    """
    table = platform_table()
    base = {**table["generic"], **table.get(source.platform, {})}
    base.update({k: v for k, v in source.selectors.items() if k in Selectors.__annotations__})
    return Selectors(**{k: base[k] for k in Selectors.__annotations__ if k in base})
