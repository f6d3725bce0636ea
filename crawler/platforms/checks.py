"""The checks a page part must pass before it is accepted: a body without site chrome, a title
and a date found outside the chrome.

The rules are data (``chrome.toml``): CSS selectors of chrome elements and patterns of chrome
lines, each with an example. Pure functions over parsel selectors; no Scrapy.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from parsel import Selector

CHROME_FILE = Path(__file__).with_name("chrome.toml")

# Ancestors that put a date or a title in the chrome or in an event's own details: a footer's
# "Recent posts" dates, a comment's date, an event's start date.
_CONTEXT_WORDS = ("widget", "sidebar", "comment", "breaking", "related", "footer", "event")
_OUT_OF_CONTEXT = (
    "ancestor-or-self::*[not(self::body or self::html)]"
    "[self::footer or self::aside or self::nav or self::form"
    " or @role='contentinfo' or @role='complementary' or @role='navigation'"
    " or @itemprop='startDate' or @itemprop='endDate' or contains(@itemtype, 'Event')"
    + "".join(
        f" or contains(translate(@class, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', "
        f"'abcdefghijklmnopqrstuvwxyz'), '{word}') or contains(@id, '{word}')"
        for word in _CONTEXT_WORDS
    )
    + "]"
)


@dataclass(frozen=True)
class ChromeRules:
    """The body check's rules: the minimum length, chrome elements and chrome lines."""

    min_words: int
    element_selector: str
    line_patterns: tuple[re.Pattern, ...]


@cache
def chrome_table() -> dict:
    """``chrome.toml`` as read, once."""
    with CHROME_FILE.open("rb") as handle:
        return tomllib.load(handle)


@cache
def chrome_rules() -> ChromeRules:
    """The compiled rules of ``chrome.toml``."""
    table = chrome_table()
    return ChromeRules(
        min_words=int(table["min_words"]),
        element_selector=", ".join(rule["selector"] for rule in table["element"]),
        line_patterns=tuple(re.compile(rule["pattern"], re.I) for rule in table["text"]),
    )


def node_text(node: Selector) -> str:
    """The visible text of an element (scripts and styles left out), one line per text node."""
    parts = node.xpath(".//text()[not(ancestor::script) and not(ancestor::style)]").getall()
    return "\n".join(" ".join(part.split()) for part in parts if part.strip())


def chrome_lines(text: str) -> list[str]:
    """The lines of ``text`` that are site chrome ("Share this:", "Most Popular", ...)."""
    patterns = chrome_rules().line_patterns
    found = []
    for line in text.splitlines():
        line = " ".join(line.split())
        if line and any(p.search(line) for p in patterns):
            found.append(line)
    return found


def body_problem(node: Selector | None = None, text: str | None = None) -> str | None:
    """Why a body may not be accepted, or None when it passes.

    ``node`` is a body element found by selectors (its markup is checked for chrome elements
    too); ``text`` a body's text alone (the general extractor's). Reasons: "no text",
    "only N words (fewer than M)", "site chrome: <element or line>".
    """
    rules = chrome_rules()
    if node is not None:
        chrome = node.css(rules.element_selector)
        if chrome:
            element = chrome[0].root
            label = element.tag + "".join(f".{c}" for c in (element.get("class") or "").split()[:2])
            return f"site chrome: <{label}>"
        text = node_text(node)
    text = text or ""
    words = len(text.split())
    if not words:
        return "no text"
    if lines := chrome_lines(text):
        return f"site chrome: {lines[0][:60]!r}"
    if words < rules.min_words:
        return f"only {words} words (fewer than {rules.min_words})"
    return None


def in_chrome(node: Selector) -> bool:
    """Whether an element sits in the site's chrome or in an event's details (a footer, a
    sidebar widget, a comment, a schema.org Event): no place for a release's title or date."""
    return bool(node.xpath(_OUT_OF_CONTEXT))
