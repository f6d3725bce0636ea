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


# CPython's own reader of patterns, private: where it is missing or of another shape,
# first_char_guard gives no guard (the patterns then run as written, only slower)
try:
    from re import _constants, _parser

    _CATEGORIES = {
        _constants.CATEGORY_SPACE: r"\s",
        _constants.CATEGORY_NOT_SPACE: r"\S",
        _constants.CATEGORY_DIGIT: r"\d",
        _constants.CATEGORY_NOT_DIGIT: r"\D",
        _constants.CATEGORY_WORD: r"\w",
        _constants.CATEGORY_NOT_WORD: r"\W",
    }
    _ZERO_WIDTH = (_constants.AT, _constants.ASSERT, _constants.ASSERT_NOT)
    _REPEATS = (_constants.MIN_REPEAT, _constants.MAX_REPEAT, _constants.POSSESSIVE_REPEAT)
except (ImportError, AttributeError):  # pragma: no cover - another Python, or a moved reader
    _parser = None


def _first_of(items, folds: bool) -> tuple[set[str] | None, bool]:
    """(class items a match of the parsed sequence ``items`` can start with, or None when
    that cannot be told; whether the sequence can match the empty string). ``folds``: the
    guard is compiled case-insensitively, so a group that turns case-folding on is no bar."""
    out: set[str] = set()
    for op, av in items:
        if op in _ZERO_WIDTH:  # "\b", a lookahead or a lookbehind: the next item decides
            continue
        if op is _constants.LITERAL:
            return out | {re.escape(chr(av))}, False
        if op is _constants.IN:
            found = set()
            for kind, value in av:
                if kind is _constants.LITERAL:
                    found.add(re.escape(chr(value)))
                elif kind is _constants.RANGE:
                    found.add(f"{re.escape(chr(value[0]))}-{re.escape(chr(value[1]))}")
                elif kind is _constants.CATEGORY and value in _CATEGORIES:
                    found.add(_CATEGORIES[value])
                else:  # a negated class, and whatever else: unknown
                    return None, False
            return out | found, False
        if op is _constants.SUBPATTERN:
            if av[1] & re.IGNORECASE and not folds:  # "(?i:x)": the guard would not fold
                return None, False
            first, empty = _first_of(av[3], folds)
        elif op is _constants.BRANCH:
            first, empty = set(), False
            for branch in av[1]:
                got, can_be_empty = _first_of(branch, folds)
                if got is None:
                    return None, False
                first |= got
                empty = empty or can_be_empty
        elif op in _REPEATS:
            first, empty = _first_of(av[2], folds)
            empty = empty or av[0] == 0
        else:  # ".", a back-reference, a conditional: unknown
            return None, False
        if first is None:
            return None, False
        out |= first
        if not empty:
            return out, False
    return out, True


def first_char_guard(pattern: str, flags: int = 0) -> str:
    """A lookahead that holds wherever a match of ``pattern`` can start ("" when that cannot be
    told), to put before the pattern so that other positions fail at once.

    An alternation of phrases ("charged with|booked into|...") is tried branch by branch at
    every position of a text; ``(?=[bc])`` first lets most positions fail on one test. The
    class may hold more than the possible first characters, never fewer, so the guarded
    pattern finds exactly the same matches: ``first_char_guard(r",\\s+(?:who|which)\\b")``
    is ``"(?=[,])"``. Compile the result with the same ``flags`` (case-folding included).

    The guard only saves time, so wherever the pattern cannot be read (a Python without
    CPython's pattern reader, or one whose reader has changed), the answer is "".
    """
    if _parser is None:
        return ""
    try:
        parsed = _parser.parse(pattern, flags)
        if parsed.state.flags & ~flags & (re.IGNORECASE | re.VERBOSE):  # "(?i)" before it all
            return ""
        first, can_be_empty = _first_of(parsed, bool(flags & re.IGNORECASE))
    except (AttributeError, TypeError, ValueError, IndexError):  # a reader of another shape
        return ""
    if first is None or can_be_empty or not first:
        return ""
    return "(?=[" + "".join(sorted(first)) + "])"


def compile_guarded(pattern: str, flags: int = 0) -> re.Pattern:
    """``re.compile(pattern, flags)`` led by :func:`first_char_guard`: the same matches, spans
    and groups with every method, found sooner in prose where most positions cannot start a
    match (``\\b(?:bail|bond|remanded|...)`` is tried in full only before a b, an r, ...)."""
    compiled = re.compile(first_char_guard(pattern, flags) + pattern, flags)
    GUARDED.append((pattern, flags, compiled))
    return compiled


GUARDED: list[tuple[str, int, re.Pattern]] = []
"""Every pattern compiled by :func:`compile_guarded` (its source, its flags, the guarded
pattern), so that a test can compare each with its bare form."""
