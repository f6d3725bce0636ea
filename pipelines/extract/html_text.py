"""Clean text from release HTML: what a reader sees, one paragraph per block."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator

from bs4 import BeautifulSoup, NavigableString, Tag, UnicodeDammit
from lxml import etree
from lxml import html as lxml_html

from pipelines.extract.scan import compile_guarded

# Elements whose text is never part of a release.
_DROP = frozenset(
    ("script", "style", "noscript", "template", "iframe", "svg", "form", "button", "nav")
)
# Elements that end a line (or a paragraph) of text.
_BLOCKS = frozenset(
    "p div section article header footer aside main h1 h2 h3 h4 h5 h6 ul ol li table tr "
    "blockquote pre address figure figcaption dl dt dd hr".split()
)
_SPACES = compile_guarded(r"[ \t\r\f\v\u00a0\u200b]+")
_BLANKS = re.compile(r"\n{3,}")
# a CDATA section (of a feed read as HTML) is markup, not text
_CDATA = re.compile(r"<!\[CDATA\[.*?\]\]>", re.S)

# What a walk over a tree yields: (_OPEN, tag), (_CLOSE, tag) or (_TEXT, text).
_OPEN, _CLOSE, _TEXT = 0, 1, 2
Event = tuple[int, str]


def html_to_text(html: str | bytes | None) -> str:
    """The visible text of an HTML fragment or page.

    Blocks (paragraphs, headings, list items, table rows) are separated by a blank line, a
    ``<br>`` ends a line, list items start with "- ", and runs of spaces collapse to one.
    Scripts, styles, forms and navigation are dropped. The page is read as a browser builds
    it (an item left open ends where the next one starts). Bytes are decoded as their
    declared encoding, else as UTF-8, else as the encoding their bytes suggest. Never raises:
    junk gives "".
    """
    if not html:
        return ""
    if isinstance(html, bytes):
        html = UnicodeDammit(html, is_html=True).unicode_markup or ""
    if "<![CDATA[" in html:
        html = _CDATA.sub("", html)
    root = _lxml_tree(html)
    events = _soup_events(html) if root is None else _lxml_events(root)
    text = _text_of(events)
    # runs of spaces never hold a newline: collapsed over the whole text, they collapse per line
    lines = [line.strip() for line in _SPACES.sub(" ", text).split("\n")]
    return _BLANKS.sub("\n\n", "\n".join(lines)).strip()


def _text_of(events: Iterator[Event]) -> str:
    """The text of a walk: blocks and line breaks as newlines, list items as "- " lines."""
    parts: list[str] = []
    in_item = 0  # inside a list item, everything stays on the item's one line
    for kind, value in events:
        if kind == _TEXT:
            parts.append(value.replace("\n", " "))
        elif value == "br":
            if kind == _OPEN:
                parts.append(" " if in_item else "\n")
        elif value == "li":
            if kind == _OPEN:
                parts.append(" " if in_item else "\n- ")
                in_item += 1
            else:
                in_item -= 1
        elif value in _BLOCKS:
            parts.append(" " if in_item else "\n\n")
    return "".join(parts)


_parsers = threading.local()


def _lxml_tree(html: str) -> etree._Element | None:
    """``html`` parsed by libxml2 (through lxml), or None when it cannot read it whole (a page
    nested more than 2,048 elements deep); an empty document gives an empty ``<html>``."""
    if not hasattr(_parsers, "text"):
        options = {"remove_comments": True, "remove_pis": True, "huge_tree": True}
        _parsers.text = lxml_html.HTMLParser(**options)
        # for text that declares its own encoding (``<?xml ... encoding=...?>``), which lxml
        # refuses to read from a str: its UTF-8 bytes are read instead
        _parsers.utf8 = lxml_html.HTMLParser(encoding="utf-8", **options)
    parser = _parsers.text
    try:
        try:
            root = lxml_html.document_fromstring(html, parser=parser)
        except ValueError:  # "Unicode strings with encoding declaration are not supported"
            parser = _parsers.utf8
            root = lxml_html.document_fromstring(html.encode("utf-8", "replace"), parser=parser)
    except etree.ParserError:  # nothing but blanks or comments
        return lxml_html.Element("html")
    if any(error.level == etree.ErrorLevels.FATAL for error in parser.error_log):
        return None
    return root


def _lxml_events(root: etree._Element) -> Iterator[Event]:
    # An element's own text comes after its opening, its tail (the text that follows it in
    # its parent) after its closing, even when the element itself is dropped.
    walker = etree.iterwalk(root, events=("start", "end"))
    for event, node in walker:
        tag = node.tag
        if not isinstance(tag, str) or tag in _DROP:
            if event == "start":
                walker.skip_subtree()
            elif node.tail and node is not root:
                yield _TEXT, node.tail
        elif event == "start":
            yield _OPEN, tag
            if node.text:
                yield _TEXT, node.text
        else:
            yield _CLOSE, tag
            if node.tail and node is not root:
                yield _TEXT, node.tail


def _soup_events(html: str) -> Iterator[Event]:
    # The same walk over BeautifulSoup's tree, for pages too deep for libxml2. Iterative, so
    # that a page nested thousands of tags deep cannot exhaust the stack.
    try:
        soup = BeautifulSoup(html, "html.parser")
    except Exception:  # noqa: BLE001 - the parser's failures on junk are not ours to raise
        return
    stack: list[tuple[object, bool]] = [(child, False) for child in reversed(soup.contents)]
    while stack:
        node, closing = stack.pop()
        if closing:
            yield _CLOSE, node.name
        elif isinstance(node, NavigableString):
            if type(node) is NavigableString:  # skip comments, doctypes, CDATA
                yield _TEXT, str(node)
        elif isinstance(node, Tag) and node.name not in _DROP:
            yield _OPEN, node.name
            stack.append((node, True))
            stack.extend((child, False) for child in reversed(node.contents))
