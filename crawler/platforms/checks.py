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
from importlib import resources

from lxml import etree
from parsel import Selector
from parsel.csstranslator import HTMLTranslator

from pipelines.extract.scan import compile_guarded, lowered, trie_pattern

CHROME_FILE = resources.files("crawler.platforms") / "chrome.toml"  # inside an egg too

# Ancestors that put a date or a title in the chrome or in an event's own details: a footer's
# "Recent posts" dates, a comment's date, an event's start date. Matched in an element's tag,
# role, itemprop or itemtype, or anywhere in its class or id (lowercased).
_CONTEXT_TAGS = frozenset({"footer", "aside", "nav", "form"})
_CONTEXT_ROLES = frozenset({"contentinfo", "complementary", "navigation"})
_CONTEXT_WORDS = ("widget", "sidebar", "comment", "breaking", "related", "footer", "event")
_CONTEXT_NAMES = re.compile("|".join(_CONTEXT_WORDS))


@dataclass(frozen=True)
class ChromeRules:
    """The body check's rules: the minimum length, chrome elements and chrome lines.

    ``elements`` is the element selectors compiled into one XPath (run on every body: the
    compiled form costs a fraction of what a CSS query through parsel does), ``lines`` the
    line patterns, each compiled on its own (:func:`compile_guarded`), ``words`` the words of
    every line rule, one of which a line that a rule matches holds: most bodies hold none, and
    no rule is tried on them.
    """

    min_words: int
    element_selector: str
    elements: etree.XPath
    lines: tuple[re.Pattern, ...]
    words: re.Pattern

    def chrome_line(self, text: str) -> bool:
        """Whether any line of ``text`` matches a line rule."""
        low = lowered(text)  # None where lower-casing could hide a letter a rule matches
        if low is not None and not self.words.search(low):
            return False
        return any(rule.search(text) for rule in self.lines)


@cache
def chrome_table() -> dict:
    """``chrome.toml`` as read, once."""
    with CHROME_FILE.open("rb") as handle:
        return tomllib.load(handle)


@cache
def chrome_rules() -> ChromeRules:
    """The compiled rules of ``chrome.toml``."""
    table = chrome_table()
    selector = ", ".join(rule["selector"] for rule in table["element"])
    return ChromeRules(
        min_words=int(table["min_words"]),
        element_selector=selector,
        elements=etree.XPath(HTMLTranslator().css_to_xpath(selector, prefix="descendant::")),
        lines=tuple(compile_guarded(rule["pattern"], re.I | re.M) for rule in table["text"]),
        words=re.compile(trie_pattern(word for rule in table["text"] for word in rule["words"])),
    )


_TEXT = etree.XPath(".//text()[not(ancestor::script) and not(ancestor::style)]")


def node_text(node: Selector) -> str:
    """The visible text of an element (scripts and styles left out), one line per text node."""
    return "\n".join(" ".join(part.split()) for part in _TEXT(node.root) if part.strip())


def chrome_lines(text: str) -> list[str]:
    """The lines of ``text`` that are site chrome ("Share this:", "Most Popular", ...)."""
    rules = chrome_rules()
    lines = "\n".join(" ".join(line.split()) for line in text.splitlines())
    if not rules.chrome_line(lines):  # a pass over the whole text: the common case
        return []
    return [line for line in lines.splitlines() if line and rules.chrome_line(line)]


def body_problem(node: Selector | None = None, text: str | None = None) -> str | None:
    """Why a body may not be accepted, or None when it passes.

    ``node`` is a body element found by selectors (its markup is checked for chrome elements
    too); ``text`` a body's text alone (the general extractor's). Reasons: "no text",
    "only N words (fewer than M)", "site chrome: <element or line>".
    """
    rules = chrome_rules()
    if node is not None:
        chrome = rules.elements(node.root)
        if chrome:
            element = chrome[0]
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
    sidebar widget, a comment, a schema.org Event): no place for a release's title or date.
    The page's ``<body>`` and ``<html>`` do not count (their classes describe the page)."""
    element = node.root
    if not hasattr(element, "iterancestors"):
        return False
    for current in (element, *element.iterancestors()):
        tag = current.tag if isinstance(current.tag, str) else ""
        if tag in ("body", "html"):
            return False
        if tag in _CONTEXT_TAGS:
            return True
        attrib = current.attrib
        if attrib.get("role") in _CONTEXT_ROLES:
            return True
        if attrib.get("itemprop") in ("startDate", "endDate") or "Event" in attrib.get(
            "itemtype", ""
        ):
            return True
        names = f"{attrib.get('class', '')} {attrib.get('id', '')}"
        if names != " " and _CONTEXT_NAMES.search(names.lower()):
            return True
    return False
