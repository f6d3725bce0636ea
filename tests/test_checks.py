"""The body check (chrome.toml) and the chain of strategies per part of a release page.

Every rule of chrome.toml comes with an example, run here: each example body must fail the
check because of its rule, and the same body without the chrome must pass.
"""

from __future__ import annotations

import re
import tomllib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from parsel import Selector

from crawler.platforms.checks import (
    CHROME_FILE,
    body_problem,
    chrome_lines,
    chrome_rules,
    in_chrome,
)
from crawler.platforms.pages import PageError, parse_release
from crawler.sources import Source
from pipelines.extract.scan import compile_guarded, lowered

RULES = tomllib.loads(CHROME_FILE.read_text(encoding="utf-8"))
LONG = (
    "<p>Officers arrested a 31-year-old man on Elm Street after a report of a burglary at a "
    "hardware store. He was charged with burglary and held on a $5,000 bond at the county "
    "jail pending arraignment on Monday.</p>"
)


def _body(html: str) -> Selector:
    return Selector(text=html).css("body > *")[0]


@pytest.mark.parametrize("rule", RULES["element"], ids=lambda r: r["what"])
def test_each_chrome_element_rule_rejects_its_example(rule: dict) -> None:
    example = _body(rule["example"].replace("<p>Officers arrested a man.</p>", LONG))
    assert example.css(rule["selector"]), "the example does not show its rule"
    assert body_problem(example).startswith("site chrome: <")


@pytest.mark.parametrize("rule", RULES["text"], ids=lambda r: r["what"])
def test_each_chrome_line_rule_rejects_its_example(rule: dict) -> None:
    assert chrome_lines(rule["example"]) == [rule["example"]]
    text = LONG.removeprefix("<p>").removesuffix("</p>") + "\n" + rule["example"]
    assert body_problem(text=text).startswith("site chrome: ")


@pytest.mark.parametrize("rule", RULES["text"], ids=lambda r: r["what"])
def test_each_chrome_line_rule_names_words_that_every_line_it_matches_holds(rule: dict) -> None:
    # a body holding none of the words is passed without trying the rules: a rule's words
    # must be in every line it matches, its example's and those of every prefix it starts with
    assert any(word in rule["example"].lower() for word in rule["words"])
    pattern = compile_guarded(rule["pattern"], re.I | re.M)
    for prefix in getattr(pattern, "prefixes", ()):
        assert any(word in prefix for word in rule["words"]), prefix

    @settings(max_examples=200, deadline=None)
    @given(st.from_regex(re.compile(rule["pattern"], re.I | re.M)))
    def matched_lines_hold_a_word(line: str) -> None:
        low = lowered(line)  # None: the rules are tried whatever the words say
        assert low is None or any(word in low for word in rule["words"]), line

    matched_lines_hold_a_word()


LINE_PIECES = [piece for rule in RULES["text"] for piece in (*rule["words"], rule["example"])] + [
    "12", "this", "story", ":", " ", "now", "posts", "main content", "for", "newsletter",
    "a reply", "s", "are closed", ".", "by disqus", "news", "Officers", "\u017f", "\u212a",
]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(LINE_PIECES), st.booleans()), max_size=8))
def test_a_line_is_chrome_for_the_word_check_exactly_when_a_rule_matches_it(pieces) -> None:
    line = "".join(piece.upper() if upper else piece for piece, upper in pieces)
    bare = [re.compile(rule["pattern"], re.I | re.M) for rule in RULES["text"]]
    assert chrome_rules().chrome_line(line) == any(rule.search(line) for rule in bare)


def test_a_clean_body_of_enough_words_passes_and_a_short_one_says_why() -> None:
    assert body_problem(_body(f"<div>{LONG}</div>")) is None
    assert body_problem(_body("<div><p>Suspect located. Thank you.</p></div>")) == (
        f"only 4 words (fewer than {RULES['min_words']})"
    )
    assert body_problem(text="") == "no text"
    # release prose that merely mentions sharing or comments is not chrome
    assert not chrome_lines("Police share photos of the suspect.\nHe declined to comment.")


def test_dates_and_titles_in_the_chrome_or_an_event_are_out_of_context() -> None:
    page = Selector(
        text='<body class="has-sidebar"><h1>Title</h1><footer><span class="d">May 1</span>'
        '</footer><div itemprop="startDate" class="x">June 2</div></body>'
    )
    assert not in_chrome(page.css("h1")[0])  # the <body>'s own classes do not count
    assert in_chrome(page.css(".d")[0]) and in_chrome(page.css(".x")[0])


# --------------------------------------------------------------------------- the chain

SOURCE = Source(
    id="glenrock-oh-pd",
    name="Glenrock Police Department",
    state="OH",
    timezone="America/New_York",
    platform="wordpress",
    listing_url="http://police.glenrock.test/news/",
)
URL = "http://police.glenrock.test/2026/03/02/burglary-arrest/"
PARAGRAPHS = "".join(
    f"<p>{sentence}</p>"
    for sentence in (
        "Officers arrested Dana Kowalczyk, 34, of Glenrock, on Monday after a burglary at a "
        "hardware store on Front Street.",
        "A clerk told officers that a woman had taken two drills and a saw from the stock room "
        "and left through the loading dock.",
        "Officers found the tools in her car a block away. She was charged with burglary and "
        "theft and held on a $2,500 bond.",
    )
)


def page(article: str) -> str:
    """A WordPress-like page: site chrome around an ``article``."""
    return f"""<html><head><title>Burglary Arrest on Front Street – Glenrock PD</title></head>
<body><header class="site-header"><nav><a href="/">Home</a> <a href="/news/">News</a></nav></header>
<main>{article}</main>
<aside class="widget-area"><h2>Recent Posts</h2><ul><li>Older post, May 2, 2025</li></ul></aside>
<footer class="site-footer">&copy; 2026 Glenrock</footer></body></html>"""


def test_the_platform_selector_wins_when_its_body_passes() -> None:
    html = page(
        '<article><h1 class="entry-title">Burglary Arrest on Front Street</h1>'
        '<time class="entry-date" datetime="2026-03-02T10:00:00-05:00">March 2</time>'
        f'<div class="entry-content">{PARAGRAPHS}</div></article>'
    )
    release = parse_release(html, URL, SOURCE)
    assert release.methods == {"body": "platform", "title": "platform", "date": "platform"}
    assert release.body_text.startswith("Officers arrested Dana Kowalczyk")


def test_a_body_with_chrome_is_set_aside_for_the_general_extractor() -> None:
    # no .entry-content: the `article` fallback holds a share bar and the comments
    html = page(
        '<article><h1 class="entry-title">Burglary Arrest on Front Street</h1>'
        '<div class="share-buttons"><a href="https://www.facebook.com/sharer.php">Share on '
        f"Facebook</a></div>{PARAGRAPHS}"
        '<div id="comments" class="comments-area"><h3>2 Comments</h3><p>Great job, '
        "officers! This store has been hit before and we are glad someone was caught.</p>"
        "</div></article>"
    )
    release = parse_release(html, URL, SOURCE)
    assert release.methods["body"] == "general"
    assert "Officers found the tools in her car" in release.body_text
    for chrome in ("Share on Facebook", "Great job", "Recent Posts", "Home"):
        assert chrome not in release.body_text
    # the date was in no selector: the URL's, not the sidebar's old post
    # a day with no clock time is the day alone, never a made-up midnight
    assert (release.published_at, release.methods["date"]) == ("2026-03-02", "url")


def test_the_source_own_selectors_come_first() -> None:
    own = Source(**{**vars(SOURCE), "selectors": {"body": "div.story", "title": "h2.headline"}})
    html = page(
        f'<h2 class="headline">Burglary Arrest</h2><div class="story">{PARAGRAPHS}</div>'
        f'<div class="entry-content"><p>Not the release.</p></div>'
    )
    release = parse_release(html, URL, own)
    assert (release.methods["body"], release.methods["title"]) == ("source", "source")
    assert release.title == "Burglary Arrest"
    assert "Not the release" not in release.body_text


def test_a_short_clean_body_is_kept_and_says_why_it_failed() -> None:
    html = page(
        '<article><div class="entry-content"><p>Suspect located. Thanks.</p></div></article>'
    )
    release = parse_release(html, URL, SOURCE)
    assert release.body_text == "Suspect located. Thanks."
    assert release.methods["body"] == "platform"
    assert release.methods["body_check"].startswith("only 3 words")


def test_a_page_with_no_body_anywhere_is_a_layout_error() -> None:
    with pytest.raises(PageError, match="no release body found") as caught:
        parse_release("<html><body><p></p></body></html>", URL, SOURCE)
    assert caught.value.kind == "layout"


def test_wordpress_share_bar_inside_entry_content_is_stripped_not_rejected() -> None:
    html = page(
        f'<article><div class="entry-content">{PARAGRAPHS}<div class="sharedaddy '
        'sd-sharing-enabled"><h3 class="sd-title">Share this:</h3><ul><li>'
        '<a class="share-facebook" href="#">Facebook</a></li></ul></div></div></article>'
    )
    release = parse_release(html, URL, SOURCE)
    assert release.methods["body"] == "platform" and "body_check" not in release.methods
    assert "Share this" not in release.body_text and "Facebook" not in release.body_text
