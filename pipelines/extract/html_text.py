"""Clean text from release HTML: what a reader sees, one paragraph per block."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, NavigableString, Tag

# Elements whose text is never part of a release.
_DROP = ("script", "style", "noscript", "template", "iframe", "svg", "form", "button", "nav")
# Elements that end a line (or a paragraph) of text.
_BLOCKS = frozenset(
    "p div section article header footer aside main h1 h2 h3 h4 h5 h6 ul ol li table tr "
    "blockquote pre address figure figcaption dl dt dd hr".split()
)
_SPACES = re.compile(r"[ \t\r\f\v\u00a0\u200b]+")
_BLANKS = re.compile(r"\n{3,}")


def html_to_text(html: str | bytes | None) -> str:
    """The visible text of an HTML fragment or page.

    Blocks (paragraphs, headings, list items, table rows) are separated by a blank line, a
    ``<br>`` ends a line, list items start with "- ", and runs of spaces collapse to one.
    Scripts, styles, forms and navigation are dropped. Never raises: junk gives "".
    """
    if not html:
        return ""
    try:
        soup = BeautifulSoup(html, "html.parser")
    except Exception:  # noqa: BLE001 - the parser's failures on junk are not ours to raise
        return ""
    for tag in soup.find_all(_DROP):
        tag.decompose()
    parts: list[str] = []
    _walk(soup, parts)
    text = "".join(parts)
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return _BLANKS.sub("\n\n", "\n".join(lines)).strip()


def _walk(root: Tag, parts: list[str]) -> None:
    # Iterative, so that a page nested thousands of tags deep cannot exhaust the stack.
    stack: list[tuple[object, bool]] = [(child, False) for child in reversed(root.contents)]
    in_item = 0  # inside a list item, everything stays on the item's one line
    while stack:
        node, closing = stack.pop()
        if closing:
            if node.name == "li":
                in_item -= 1
            elif node.name in _BLOCKS:
                parts.append(" " if in_item else "\n\n")
            continue
        if isinstance(node, NavigableString):
            if type(node) is NavigableString:  # skip comments, doctypes, CDATA
                parts.append(str(node).replace("\n", " "))
            continue
        if not isinstance(node, Tag):
            continue
        if node.name == "br":
            parts.append(" " if in_item else "\n")
            continue
        if node.name == "li":
            parts.append(" " if in_item else "\n- ")
            in_item += 1
        elif node.name in _BLOCKS:
            parts.append(" " if in_item else "\n\n")
        stack.append((node, True))
        stack.extend((child, False) for child in reversed(node.contents))
