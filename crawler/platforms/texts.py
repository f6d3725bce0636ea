"""The text of one page element, as the page readers use it.

Each function gives what parsel's ``node.css("::text").getall()`` idioms give, read with one
compiled XPath on the element itself instead of one selector object per text node (a page
reader asks for an element's text many times per page).
"""

from __future__ import annotations

from lxml import etree
from parsel import Selector

_TEXT_NODES = etree.XPath("descendant-or-self::text()", smart_strings=False)
_STRING = etree.XPath("string()", smart_strings=False)


def _is_element(root: object) -> bool:
    return isinstance(root, etree._Element)


def text_nodes(node: Selector) -> list[str]:
    """The element's text nodes in document order, scripts' and styles' included: what
    ``node.css("::text").getall()`` gives, which is asked for a node that is not an element."""
    root = node.root
    if _is_element(root):
        return _TEXT_NODES(root)
    return node.css("::text").getall()


def joined_text(node: Selector) -> str:
    """The element's text nodes joined by spaces, every run of whitespace one space, stripped:
    ``<h1>Man <b>arrested</b>\\n</h1>`` gives "Man arrested"."""
    return " ".join(" ".join(text_nodes(node)).split())


def has_text(node: Selector) -> bool:
    """Whether the element holds any text besides whitespace (``<div> <img></div>`` does not)."""
    root = node.root
    if _is_element(root):
        return bool(_STRING(root).strip())
    return bool("".join(node.css("::text").getall()).strip())
