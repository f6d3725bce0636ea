"""A pattern's matches, tried only near the places where its rarer part can match.

A pattern that starts with a name ("Dale Ames was arrested", "Ray Holt, 52,") is tried by
``finditer`` at every capital letter of a text, though it can only match on the line before
a few words ("was arrested", ", 52"). :func:`near_anchors` gives the same matches, in the same
order, trying the pattern only at the possible starts between such a place and the earliest
start a match ending there could have.

The same idea, for any pattern: :func:`compile_guarded` leads a pattern with a lookahead of the
characters its matches can start with (:func:`first_char_guard`), and a case-folding pattern
whose matches all start with plain words comes back as a :class:`Prefiltered`, which looks for
those words first (:func:`literal_prefixes`, :func:`trie_pattern`). Each answers exactly as the
pattern does; ``tests/test_scan.py`` checks every one the extraction compiles.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from typing import cast


def near_anchors(
    pattern: re.Pattern,
    anchor: re.Pattern,
    starts: re.Pattern,
    text: str,
    earliest: Callable[[str, int], int],
    pos: int = 0,
    endpos: int | None = None,
) -> Iterator[re.Match]:
    """The matches of ``pattern.finditer(text, pos, endpos)``, found from those of ``anchor``.

    The caller promises, for every match of ``pattern``: that ``anchor`` matches at a position
    ``v`` inside it, at or after its start; that the match starts at or after
    ``earliest(text, v)``, a function that never decreases as ``v`` grows; and that its first
    character is one ``starts`` (a one-character class) matches. Then no match can start
    before ``earliest`` of the first anchor at or after the search position, and the pattern
    is tried only from there up to that anchor.
    """
    end = len(text) if endpos is None else min(endpos, len(text))
    while pos <= end:
        found = anchor.search(text, pos, end)
        if found is None:
            return
        at = found.start()
        for start in starts.finditer(text, max(pos, earliest(text, at)), at + 1):
            match = pattern.match(text, start.start(), end)
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
    return _guard(_read(pattern, flags), flags)


_READER_ERRORS = (AttributeError, TypeError, ValueError, IndexError)  # a reader of another shape


def _read(pattern: str, flags: int):
    """``pattern`` as CPython's pattern reader parses it; None without that reader."""
    if _parser is None:
        return None
    try:
        return _parser.parse(pattern, flags)
    except _READER_ERRORS:
        return None


def _guard(parsed, flags: int) -> str:
    """:func:`first_char_guard` of a pattern already read (None: not readable)."""
    if parsed is None:
        return ""
    try:
        if parsed.state.flags & ~flags & (re.IGNORECASE | re.VERBOSE):  # "(?i)" before it all
            return ""
        first, can_be_empty = _first_of(parsed, bool(flags & re.IGNORECASE))
    except _READER_ERRORS:
        return ""
    if first is None or can_be_empty or not first:
        return ""
    return "(?=[" + "".join(sorted(first)) + "])"


def compile_guarded(pattern: str, flags: int = 0) -> re.Pattern:
    """``re.compile(pattern, flags)`` led by :func:`first_char_guard`: the same matches, spans
    and groups with every method, found sooner in prose where most positions cannot start a
    match (``\\b(?:bail|bond|remanded|...)`` is tried in full only before a b, an r, ...).

    A case-folding pattern whose matches all start with plain words (:func:`literal_prefixes`)
    comes back as a :class:`Prefiltered`, which answers as the pattern does."""
    parsed = _read(pattern, flags)  # read once for the guard and the prefixes
    guard = _guard(parsed, flags)
    # the guard leads the whole pattern: before "a|b" unbracketed it would lead only "a"
    compiled = re.compile(f"{guard}(?:{pattern})" if guard else pattern, flags)
    GUARDED.append((pattern, flags, compiled))
    prefixes = _prefixes(parsed) if flags & re.IGNORECASE else None
    if prefixes is None:
        return compiled
    found = Prefiltered(compiled, prefixes)
    PREFILTERED.append((pattern, flags, found))
    return cast(re.Pattern, found)  # it answers every call a pattern does (see the class)


GUARDED: list[tuple[str, int, re.Pattern]] = []
"""Every pattern compiled by :func:`compile_guarded` (its source, its flags, the guarded
pattern), so that a test can compare each with its bare form."""


def literal_prefixes(pattern: str, flags: int = re.IGNORECASE) -> frozenset[str] | None:
    """The lower-case ASCII strings, of at least three characters, one of which every match of
    ``pattern`` (compiled with ``flags``, case-folding included) starts with; None when that
    cannot be told (a match may start with a class, a repeat or a lookaround, a ``(?-i:...)``
    part, a letter that is not ASCII) or the strings would be shorter.
    ``literal_prefixes(r"\\b(?:bail|bonds?) set")`` is ``{"bail set", "bond set", "bonds set"}``."""
    return _prefixes(_read(pattern, flags))


def _prefixes(parsed) -> frozenset[str] | None:
    """:func:`literal_prefixes` of a pattern already read (None: not readable)."""
    if parsed is None:
        return None
    try:
        found, _ = _prefixes_of(parsed)
    except _READER_ERRORS:
        return None
    if min(map(len, found)) < 3 or not all(p.isascii() for p in found):
        return None
    # "previous" is enough where "previously" is also a prefix: a match starts with one of them
    return frozenset(p for p in found if not any(p != q and p.startswith(q) for q in found))


_MOST_PREFIXES = 256  # past this many, the prefixes are cut shorter (_cut_to_most)


def _cut_to_most(longer: set[str], shorter: set[str]) -> set[str]:
    """At most :data:`_MOST_PREFIXES` strings that every string of ``longer`` starts with: its
    strings cut to the longest length that leaves that few, or ``shorter`` (the prefixes
    ``longer`` was built on) when no cut is longer than those. A match that starts with a string
    of ``longer`` starts with its cut too: twenty trigger phrases with 4,687 ways to begin
    ("sentenced monday to", "sentenced this week on", ...) are found by their first letters."""
    floor = max(map(len, shorter))
    for length in range(max(map(len, longer)), floor, -1):
        cut = {p[:length] for p in longer}
        if len(cut) <= _MOST_PREFIXES:
            return cut
    return shorter


def _prefixes_of(items) -> tuple[set[str], bool]:
    """The strings a match of a parsed sequence starts with, read while its items are plain
    characters, small character sets, optional parts and alternatives of those; and whether the
    whole sequence was read so (its strings are then its matches, and what follows can be
    appended)."""
    out = {""}
    for op, av in items:
        if op is _constants.AT:  # "\b", "^": zero width, the next item decides
            continue
        if op is _constants.LITERAL:
            got, complete = {chr(av).lower()}, True
        elif op is _constants.IN and len(av) <= 8 and all(o is _constants.LITERAL for o, _ in av):
            got, complete = {chr(v).lower() for _, v in av}, True  # "ha[ds]" of "had|has"
        elif op is _constants.SUBPATTERN and not av[2] & re.IGNORECASE:  # not "(?-i:...)"
            got, complete = _prefixes_of(av[3])
        elif op is _constants.BRANCH:
            got, complete = set(), True
            for branch in av[1]:
                strings, whole = _prefixes_of(branch)
                got, complete = got | strings, complete and whole
        elif op in _REPEATS and av[0] == 0 and av[1] == 1:  # "x?"
            got, complete = _prefixes_of(av[2])
            if not complete:  # what follows may start the match: nothing more is known
                return out, False
            got.add("")
        else:
            return out, False
        longer = {p + g for p in out for g in got}
        if len(longer) > _MOST_PREFIXES:
            return _cut_to_most(longer, out), False
        out = longer
        if not complete:
            return out, False
    return out, True


# Besides A-Z and a-z, a case-folding ASCII letter matches four letters: the dotted capital I
# and the dotless i (for "i"), the long s (for "s"), the Kelvin sign (for "k"). lower() makes
# the Kelvin sign "k" and the dotted I two characters (a change of length, caught below), and
# keeps the other two as they are: a text holding them is read by the pattern itself.
# tests/test_scan.py checks this account against every letter.
_FOLDED_ODDLY = ("ı", "ſ")


@lru_cache(maxsize=8)
def lowered(text: str) -> str | None:
    """``text.lower()`` where it keeps every position and holds an ASCII letter exactly where a
    case-folding ASCII letter matches ``text``; else None. Kept for the few texts at hand: every
    pattern reads the same one."""
    low = text.lower()
    if text.isascii():
        return low
    if len(low) != len(text) or any(c in low for c in _FOLDED_ODDLY):
        return None
    return low


def may_hold(text: str, words: Iterable[str]) -> bool:
    """Whether ``text`` may hold one of ``words`` (lower case) in some case: False only when
    its lower-cased form (:func:`lowered`) holds none; True where that cannot be trusted. A
    reader whose every match holds one of the words is skipped on a text that holds none."""
    low = lowered(text)
    return low is None or any(word in low for word in words)


def trie_pattern(words: Iterable[str]) -> str:
    """A pattern matching each of ``words`` (at least; where one word begins another, the
    shorter), with the letters they share written once: ``trie_pattern(["the case", "that
    case", "a case"])`` is ``"a\\ case|th(?:at\\ case|e\\ case)"``. The regex engine tries an
    alternation branch by branch: with shared beginnings written once, a position where no word
    starts fails after a test or two instead of one test per word."""
    by_first: dict[str, list[str]] = {}
    for word in sorted(set(words)):
        by_first.setdefault(word[:1], []).append(word[1:])
    branches = []
    for first, rests in by_first.items():
        if len(rests) == 1:
            branches.append(re.escape(first + rests[0]))
            continue
        shared = os.path.commonprefix(rests)
        inner = trie_pattern(rest[len(shared) :] for rest in rests)
        branches.append(f"{re.escape(first + shared)}(?:{inner})")
    return "|".join(branches)


class Prefiltered:
    """A case-folding pattern found through its literal prefixes: the same matches, spans and
    groups as the compiled pattern, found sooner in long texts.

    Under ``re.IGNORECASE`` the regex engine folds every character it tries, at every position
    of a text. Each match of a pattern such as ``\\b(?:bail|bond|remanded|...)`` starts with one
    of a few plain words; those are searched for in the lower-cased text by a case-sensitive
    pattern (which the engine skips through quickly) and the pattern itself is tried only
    there, in short spans too (a charge of 40 characters tried against every phrase of a long
    list, at each letter the guard lets through, costs more than lower-casing it). Where
    lower-casing would move a position or hide a letter the pattern folds (see
    :func:`lowered`), the pattern reads the text itself. finditer, search, findall and sub
    work so; every other method is the pattern's.
    """

    def __init__(self, compiled: re.Pattern, prefixes: frozenset[str]):
        self.compiled = compiled
        self.prefixes = prefixes
        self._find = re.compile(trie_pattern(prefixes))

    def __getattr__(self, name: str):  # pattern, flags, groupindex, match, sub, split, ...
        if name == "compiled":  # not set yet (an object being copied or unpickled)
            raise AttributeError(name)
        return getattr(self.compiled, name)

    def __repr__(self) -> str:
        return f"Prefiltered({self.compiled!r})"

    def _span(self, text: str, pos: int, endpos: int | None) -> tuple[int, int, str | None]:
        """(pos, end, the lowered text) of a call; no lowered text where lower-casing cannot
        be trusted (the pattern then reads the text itself)."""
        pos = max(pos, 0)
        end = len(text) if endpos is None else min(endpos, len(text))
        return pos, end, lowered(text)

    def finditer(self, text: str, pos: int = 0, endpos: int | None = None) -> Iterator[re.Match]:
        """``compiled.finditer(text, pos, endpos)``."""
        pos, end, low = self._span(text, pos, endpos)
        if low is None:
            return self.compiled.finditer(text, pos, end)
        return self._iterate(text, low, pos, end)

    def _iterate(self, text: str, low: str, pos: int, end: int) -> Iterator[re.Match]:
        find, match = self._find.search, self.compiled.match
        while pos < end:
            candidate = find(low, pos, end)
            if candidate is None:
                return
            found = match(text, candidate.start(), end)
            if found is None:
                pos = candidate.start() + 1
                continue
            yield found
            pos = found.end()  # never empty: every match holds a prefix

    def search(self, text: str, pos: int = 0, endpos: int | None = None) -> re.Match | None:
        """``compiled.search(text, pos, endpos)``."""
        pos, end, low = self._span(text, pos, endpos)
        if low is None:
            return self.compiled.search(text, pos, end)
        return next(self._iterate(text, low, pos, end), None)

    def sub(self, repl: str | Callable[[re.Match], str], text: str, count: int = 0) -> str:
        """``compiled.sub(repl, text, count)``: each match replaced by ``repl(match)`` or by
        the template ``repl`` expanded (``\\1``, ``\\g<name>``)."""
        _, end, low = self._span(text, 0, None)
        if low is None or count < 0:  # a negative count replaces nothing
            return self.compiled.sub(repl, text, count)
        parts, last = [], 0
        for n, found in enumerate(self._iterate(text, low, 0, end), 1):
            replaced = repl(found) if callable(repl) else found.expand(repl)
            parts += text[last : found.start()], replaced
            last = found.end()
            if n == count:
                break
        return "".join(parts) + text[last:]

    def findall(self, text: str, pos: int = 0, endpos: int | None = None) -> list:
        """``compiled.findall(text, pos, endpos)``."""
        if self.compiled.groups:
            return self.compiled.findall(text, pos, len(text) if endpos is None else endpos)
        return [m.group(0) for m in self.finditer(text, pos, endpos)]


PREFILTERED: list[tuple[str, int, Prefiltered]] = []
"""Every pattern compiled as :class:`Prefiltered` (its source, flags, the object), for tests."""
