"""html_to_text: what a reader of the page sees, as text, one paragraph per block."""

from __future__ import annotations

import pytest

from pipelines.extract.html_text import html_to_text


@pytest.mark.parametrize(
    ("html", "text"),
    [
        # blocks are paragraphs; a <br> ends a line; spaces collapse
        (
            "<div><h2>Arrest  made</h2><p>Officers arrested a man.<br>He was held.</p></div>",
            "Arrest made\n\nOfficers arrested a man.\nHe was held.",
        ),
        # list items start with "- "; a block inside an item stays on the item's line
        (
            "<ul><li>Burglary</li><li><p>Theft</p> (two counts)</li></ul>",
            "- Burglary\n- Theft (two counts)",
        ),
        # scripts, styles, forms and navigation are dropped, and the text after them is kept
        (
            "<p>Bond was <script>var x = 1;</script>set at $5,000<nav>Home</nav> cash.</p>",
            "Bond was set at $5,000 cash.",
        ),
        # comments are not text; what follows one is
        ("<p>Held<!-- editor's note --> without bail.</p>", "Held without bail."),
        # entities, including the Windows-1252 numbers old editors write
        (
            "<p>Smith&nbsp;&amp;&nbsp;Jones &#147;Tiny&#148; &#150; AT&T</p>",
            "Smith & Jones \u201cTiny\u201d \u2013 AT&T",
        ),
        # an item left open ends where the next one starts, as a browser shows it
        ("<ul><li>Tags:&nbsp;<li>Police</li></ul>", "- Tags:\n- Police"),
        # a feed read as HTML: the encoding declaration is honoured, CDATA is markup
        (
            '<?xml version="1.0" encoding="utf-8"?><rss><item><title>Arrest</title>'
            "<description><![CDATA[<p>A man</p>]]></description></item></rss>",
            "Arrest",
        ),
        ("", ""),
        ("   \n ", ""),
        ("<!-- nothing -->", ""),
    ],
)
def test_html_to_text(html: str, text: str) -> None:
    assert html_to_text(html) == text


def test_bytes_are_decoded_as_declared_else_as_utf8() -> None:
    page = '<meta charset="iso-8859-1"><p>Jos\u00e9 Pe\u00f1a, 31</p>'
    assert html_to_text(page.encode("iso-8859-1")) == "Jos\u00e9 Pe\u00f1a, 31"
    page = '<meta charset="windows-1252"><p>\u201cTiny\u201d Pe\u00f1a</p>'
    assert html_to_text(page.encode("cp1252")) == "\u201cTiny\u201d Pe\u00f1a"
    assert html_to_text("<p>Jos\u00e9 Pe\u00f1a, 31</p>".encode()) == "Jos\u00e9 Pe\u00f1a, 31"


def test_a_page_nested_thousands_deep_does_not_exhaust_the_stack() -> None:
    assert html_to_text("<div>" * 5000 + "deep" + "</div>" * 5000) == "deep"
