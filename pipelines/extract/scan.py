"""A pattern's matches, tried only near the places where its rarer part can match.

A pattern that starts with a name ("Dale Ames was arrested", "Ray Holt, 52,") is tried by
``finditer`` at every capital letter of a text, though it can only match on the line before
a few words ("was arrested", ", 52"). :func:`near_anchors` gives the same matches, in the same
order, trying the pattern only at the possible starts between such a place and the earliest
start a match ending there could have.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator


def near_anchors(
    pattern: re.Pattern,
    anchor: re.Pattern,
    starts: re.Pattern,
    text: str,
    earliest: Callable[[str, int], int],
) -> Iterator[re.Match]:
    """The matches of ``pattern.finditer(text)``, found from the matches of ``anchor``.

    The caller promises, for every match of ``pattern``: that ``anchor`` matches at a position
    ``v`` inside it, at or after its start; that the match starts at or after
    ``earliest(text, v)``, a function that never decreases as ``v`` grows; and that its first
    character is one ``starts`` (a one-character class) matches. Then no match can start
    before ``earliest`` of the first anchor at or after the search position, and the pattern
    is tried only from there up to that anchor.
    """
    pos, end = 0, len(text)
    while pos <= end:
        found = anchor.search(text, pos)
        if found is None:
            return
        at = found.start()
        for start in starts.finditer(text, max(pos, earliest(text, at)), at + 1):
            match = pattern.match(text, start.start())
            if match:
                yield match
                pos = match.end() if match.end() > match.start() else match.end() + 1
                break
        else:
            pos = at + 1


def line_start(text: str, at: int) -> int:
    """Where the line holding ``at`` begins."""
    return text.rfind("\n", 0, at) + 1


def line_start_before_gap(text: str, at: int) -> int:
    """Where the line begins that holds the last character before the run of white space and
    commas that ends at ``at`` (a name on one line, then "\\n  , was arrested")."""
    gap = at
    while gap > 0 and (text[gap - 1].isspace() or text[gap - 1] == ","):
        gap -= 1
    return line_start(text, gap)
