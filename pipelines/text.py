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


def _walk(node: Tag, parts: list[str]) -> None:
    for child in node.children:
        if isinstance(child, NavigableString):
            if type(child) is NavigableString:  # skip comments, doctypes, CDATA
                parts.append(str(child).replace("\n", " "))
            continue
        if not isinstance(child, Tag):
            continue
        name = child.name
        if name == "br":
            parts.append("\n")
            continue
        if name == "li":
            item: list[str] = []
            _walk(child, item)
            parts.append("\n- " + " ".join("".join(item).split()))
            continue
        block = name in _BLOCKS
        if block:
            parts.append("\n\n")
        _walk(child, parts)
        if block:
            parts.append("\n\n")
