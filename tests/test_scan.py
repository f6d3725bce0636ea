"""scan.near_anchors gives exactly the matches of finditer, trying a pattern only near its anchors.

Checked on texts made of the pieces the two patterns that use it read (names, ages, commas,
line breaks, arrest verbs and other words), for the people patterns it serves.
"""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from pipelines.extract import people
from pipelines.extract.scan import line_start, line_start_before_gap, near_anchors

PIECES = [
    "Dale Ames", "Ray Holt", "Ann", "McDougall", "Luis de la Cruz", "J. R. Smith", "Dana R.Colt",
    "Nicholas \u201cNick\u201d Moreau", "Jr.", "Police", "The", "Ogden", ", ", ",", " ", "  ",
    "\n", "\n\n", " , ", "31", "age 52", "7", "was arrested", "is charged", "were booked",
    "has been indicted", "faces", "now faces", "pleaded", "pled guilty", "was seen", "is",
    "of Ogden", "from Vale", "a Vale resident", "and", "the man", ".", "; ", "(", ")",
]  # fmt: skip
texts = st.lists(st.sampled_from(PIECES), max_size=30).map(lambda parts: " ".join(parts))
glued = st.lists(st.sampled_from(PIECES), max_size=30).map("".join)


def spans(matches) -> list[tuple[tuple[int, int], dict]]:
    return [(m.span(), m.groupdict()) for m in matches]


def same_as_finditer(pattern: re.Pattern, anchor: re.Pattern, text: str, earliest) -> None:
    found = near_anchors(pattern, anchor, people._CAPITAL, text, earliest)
    assert spans(found) == spans(pattern.finditer(text))


@settings(max_examples=400, deadline=None)
@given(st.one_of(texts, glued))
def test_names_before_arrest_verbs_are_the_matches_of_finditer(text):
    same_as_finditer(people.INTRO_AFTER, people._AFTER_VERBS_AT, text, line_start_before_gap)


@settings(max_examples=400, deadline=None)
@given(st.one_of(texts, glued))
def test_names_with_ages_are_the_matches_of_finditer(text):
    same_as_finditer(people.NAME_AGE, people._COMMA_AGE_AT, text, line_start)


def test_examples_read_as_finditer_reads_them():
    text = "Police said Dale Ames, 31, of Ogden\nand Ray Holt ,\n was arrested. Ann faces trial."
    same_as_finditer(people.INTRO_AFTER, people._AFTER_VERBS_AT, text, line_start_before_gap)
    same_as_finditer(people.NAME_AGE, people._COMMA_AGE_AT, text, line_start)
    names = [m.group("name") for m in near_anchors(
        people.INTRO_AFTER, people._AFTER_VERBS_AT, people._CAPITAL, text, line_start_before_gap
    )]  # fmt: skip
    assert names == ["Ray Holt", "Ann"]


def test_line_starts():
    text = "one\ntwo three ,\n  was"
    assert line_start(text, text.index("three")) == 4
    assert line_start_before_gap(text, text.index("was")) == 4  # back over ",\n  " to "three"
