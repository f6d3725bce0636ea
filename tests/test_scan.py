"""scan.near_anchors gives exactly the matches of finditer, trying a pattern only near its anchors.

Checked on texts made of the pieces the two patterns that use it read (names, ages, commas,
line breaks, arrest verbs and other words), for the people patterns it serves.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipelines.extract import charges, people, vocab
from pipelines.extract.scan import first_char_guard, line_start, line_start_before_gap, near_anchors

PIECES = [
    "Dale Ames", "Ray Holt", "Ann", "McDougall", "Luis de la Cruz", "J. R. Smith", "Dana R.Colt",
    "Nicholas \u201cNick\u201d Moreau", "Jr.", "Police", "The", "Ogden", ", ", ",", " ", "  ",
    "\n", "\n\n", " , ", "31", "age 52", "7", "was arrested", "is charged", "were booked",
    "has been indicted", "faces", "now faces", "pleaded", "pled guilty", "was seen", "is",
    "of Ogden", "from Vale", "a Vale resident", "and", "the man", ".", "; ", "(", ")",
    "A Temecula man", "woman", "of", "from",
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


@settings(max_examples=400, deadline=None)
@given(st.one_of(texts, glued))
def test_names_with_towns_are_the_matches_of_finditer(text):
    found = people._name_place_matches(text)
    assert spans(found) == spans(people.NAME_PLACE.finditer(text))


def test_a_name_and_town_are_read_across_the_line_break_after_the_name():
    text = "Officers said Chris Lane,\n  Huntington Beach, is charged. Ann Roe, Vale, was booked."
    found = [(m.group("name"), m.group("res")) for m in people._name_place_matches(text)]
    assert found == [("Chris Lane", "Huntington Beach"), ("Ann Roe", "Vale")]
    assert spans(people._name_place_matches(text)) == spans(people.NAME_PLACE.finditer(text))


def name_of_by_windows(text: str) -> list[re.Match]:
    """What people._name_of_matches gives, as it was first written: each pattern searched in
    the whole window of each of its cues."""
    out = []
    for rx, cue, back in (
        (people.NAME_OF, people._OF_VERB, 90),
        (people.PLACE_NOUN_NAME, people._A_PLACE_NOUN, 0),
    ):
        done = -1
        for c in cue.finditer(text):
            a = max(0, c.start() - back, done)
            if back:
                ws = max(text.rfind(" ", 0, a), text.rfind("\n", 0, a))
                a = max(done, ws + 1 if ws >= 0 else 0)
            m = rx.search(text, a, min(len(text), c.end() + 120))
            if m and m.start() >= done:
                out.append(m)
                done = m.end()
    return out


# "Name of Town was arrested" and "A Town man, Name," clauses among other pieces: most texts
# hold a match, and the clauses sit in every position against each other and the line breaks
_NAMES = st.sampled_from(["Dale Ames", "Ann", "Luis de la Cruz", "Ray Holt Jr.", "Dana R.Colt"])
_TOWNS = st.sampled_from(["Ogden", "Vale", "Huntington Beach", "West Valley City"])
_name_of_clause = st.tuples(
    _NAMES, st.sampled_from(["", ",", " ,"]), st.sampled_from([" ", "\n", "  "]),
    st.sampled_from(["of ", "from "]), _TOWNS, st.sampled_from(["", ","]),
    st.sampled_from([" was arrested", " is charged", " has been charged", " said"]),
).map("".join)  # fmt: skip
_place_noun_clause = st.tuples(
    st.sampled_from(["A ", "a ", "An "]), _TOWNS, st.sampled_from([" man", " woman", " resident"]),
    st.sampled_from([", ", " , "]), _NAMES, st.just(","),
).map("".join)  # fmt: skip
_other = st.sampled_from(["Police said", "A", "man", "woman,", ".", "\n", ",", "of", "x" * 60])
town_texts = st.tuples(
    st.lists(st.one_of(_name_of_clause, _place_noun_clause, _other), max_size=8),
    st.sampled_from([" ", "", "\n"]),
).map(lambda parts: parts[1].join(parts[0]))


@settings(max_examples=400, deadline=None)
@given(st.one_of(town_texts, texts, glued))
def test_names_of_towns_are_those_the_windows_give(text):
    assert spans(people._name_of_matches(text)) == spans(name_of_by_windows(text))


def test_a_name_of_a_town_is_read_near_its_of():
    text = "Police said Dale Ames, of Ogden, was arrested. A Vale woman, Ann Roe, was booked."
    found = [(m.group("name"), m.group("res")) for m in people._name_of_matches(text)]
    assert found == [("Dale Ames", "Ogden"), ("Ann Roe", "Vale")]
    assert spans(people._name_of_matches(text)) == spans(name_of_by_windows(text))


def test_line_starts():
    text = "one\ntwo three ,\n  was"
    assert line_start(text, text.index("three")) == 4
    assert line_start_before_gap(text, text.index("was")) == 4  # back over ",\n  " to "three"


@pytest.mark.parametrize(
    ("pattern", "flags", "guard"),
    [
        (r",\s+(?:who|which)\b", 0, "(?=[,])"),
        (r"\b(?:charged|booked) with", re.I, "(?=[bc])"),
        (r"(?:\s+and|,)\s*(?:he|she)", 0, r"(?=[,\s])"),
        (r"(?<!\bof)\s+bond|,?\s+bail", 0, r"(?=[,\s])"),  # lookbehinds read no character
        (r"(?:2nd|second) and subsequent", re.I, "(?=[2s])"),
        (r"[A-Z]\w+ was arrested", 0, "(?=[A-Z])"),
        (r"(?-i:[A-Z])\w+", re.I, "(?=[A-Z])"),  # compiled with re.I: a superset, still exact
        (r"x?y", 0, "(?=[xy])"),
        # what cannot be told gives no guard: the pattern is tried everywhere, as without one
        (r"a?", 0, ""),  # may match the empty string
        (r".y", 0, ""),
        (r"[^a]y", 0, ""),
        (r"(?i:x)y", 0, ""),  # the guard, compiled without re.I, would miss "X"
        (r"(?i)xy", 0, ""),  # a global flag must stay first
    ],
)
def test_first_char_guard_names_the_characters_a_match_can_start_with(pattern, flags, guard):
    assert first_char_guard(pattern, flags) == guard


CHARGE_PIECES = [
    "charged with", "Charges of", "booked into", "and was held", ", who", " bond", "bail",
    "breaking and entering", "faces", "on suspicion of", "pleaded guilty to", "sentenced to",
    "theft", "Dale Ames", "the", ",", " ", "\n", ".", "(", "on Monday", "in Superior Court",
    "after", "for the shooting", "2nd and subsequent", "ſ", "K", "İ",
]  # fmt: skip


def _bare(section: str, before: str = "") -> re.Pattern:
    """The alternation of one charge_phrases.toml section as it was before its guard."""
    phrases = vocab.words("charge_phrases.toml", section)
    return re.compile(before + "(?:" + "|".join(f"(?:{p})" for p in phrases) + ")", re.I)


# the patterns the charge rules search with, each beside its unguarded form
CHARGE_ALTERNATIONS = [
    (charges._phrases()[section], _bare(section, before))
    for section, before in (("triggers", r"\b"), ("terminators", ""), ("keep_and", ""))
]


def test_the_charge_alternations_are_guarded():
    for guarded, bare in CHARGE_ALTERNATIONS:
        assert guarded.pattern != bare.pattern and "(?=[" in guarded.pattern


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(CHARGE_PIECES), max_size=25).map("".join))
def test_a_guarded_charge_alternation_finds_exactly_the_matches_of_the_bare_one(text):
    for guarded, bare in CHARGE_ALTERNATIONS:
        assert spans(guarded.finditer(text)) == spans(bare.finditer(text))


# every pattern the extraction compiles with compile_guarded, beside its bare form
import pipelines.extract.release  # noqa: E402,F401  (imports every extraction module)
from crawler.platforms.checks import chrome_rules  # noqa: E402
from pipelines.extract.scan import GUARDED, compile_guarded  # noqa: E402

chrome_rules()  # the body check's line rules (compiled on first use)

GUARDED_PAIRS = [(guarded, re.compile(source, flags)) for source, flags, guarded in GUARDED]
WRITTEN = sorted((Path(__file__).parent / "corpus" / "written").glob("*.txt"))
PROSE_PIECES = PIECES + CHARGE_PIECES + [
    "$5,000", "bail was set at", "remanded", "ROR", "on Tuesday, May 4", "at 4:15 p.m.", "noon",
    "1800 hours", "yesterday", "Main Street and Elm Avenue", "the 100 block of N. Main St.",
    "Ohio Rev. Code 2913.02", "(F3)", "3 counts of", "also known as", '"Flaco"', "a 17-year-old",
    "warrant for", "arrested", "headquarters", "\u00a0", "\t", "Mon.", "JAN", "last night",
    "\nShare this:\n", "\n12 Comments", "Leave a Reply\n", "\nRelated Posts",
]  # fmt: skip


def test_compile_guarded_leads_a_pattern_with_its_first_characters():
    assert compile_guarded(r"\b(?:bail|bond)\b", re.I).pattern == r"(?=[b])(?:\b(?:bail|bond)\b)"
    # the guard leads every branch of an unbracketed alternation, not only the first
    assert compile_guarded(r"DOB|[Bb]orn\b").pattern == r"(?=[BDb])(?:DOB|[Bb]orn\b)"
    assert compile_guarded(r".x").pattern == ".x"  # nothing can be told: the pattern as given


def test_without_cpythons_pattern_reader_a_pattern_runs_unguarded(monkeypatch):
    # the guard only saves time: a Python without re._parser, or with one of another shape,
    # gets the patterns as written
    import pipelines.extract.scan as scan

    monkeypatch.setattr(scan, "_parser", None)
    assert compile_guarded(r"\b(?:bail|bond)\b", re.I).pattern == r"\b(?:bail|bond)\b"

    class OtherReader:
        @staticmethod
        def parse(pattern, flags):
            return [("literal", 98)]  # no .state: not the shape first_char_guard reads

    monkeypatch.setattr(scan, "_parser", OtherReader)
    assert first_char_guard(r"\b(?:bail|bond)\b", re.I) == ""


def test_the_extraction_guards_many_patterns_and_each_has_a_guard():
    assert len(GUARDED_PAIRS) >= 20
    for guarded, bare in GUARDED_PAIRS:
        assert guarded.pattern.startswith("(?=[") and guarded.pattern != bare.pattern


def test_every_guarded_pattern_finds_what_its_bare_form_finds_in_the_written_releases():
    assert WRITTEN
    for path in WRITTEN:
        text = path.read_text()
        for guarded, bare in GUARDED_PAIRS:
            assert spans(guarded.finditer(text)) == spans(bare.finditer(text)), (path, bare.pattern)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PROSE_PIECES), max_size=30).map(" ".join))
def test_every_guarded_pattern_finds_what_its_bare_form_finds(text):
    for guarded, bare in GUARDED_PAIRS:
        assert spans(guarded.finditer(text)) == spans(bare.finditer(text)), bare.pattern


# patterns found through their literal prefixes (scan.Prefiltered): the matches of the pattern
from pipelines.extract.scan import PREFILTERED, Prefiltered, literal_prefixes  # noqa: E402

ODD_LETTERS = ["\u0130", "\u0131", "\u017f", "\u212a", "\u2019", "\u00e9", "\u00df", "\u201c"]
CASED = st.sampled_from([str, str.upper, str.title, str.swapcase])
prose_cased = st.lists(
    st.tuples(st.sampled_from(PROSE_PIECES + ODD_LETTERS), CASED).map(lambda p: p[1](p[0])),
    max_size=60,
).map(" ".join)


def every_answer(pattern, text: str, pos: int = 0, endpos: int | None = None) -> tuple:
    end = len(text) if endpos is None else endpos
    searched = pattern.search(text, pos, end)
    return (
        spans(pattern.finditer(text, pos, end)),
        searched and (searched.span(), searched.groups()),
        pattern.findall(text, pos, end),
        pattern.sub(lambda m: f"<{m.group(0).upper()}>", text),
        pattern.sub(r"[\g<0>]", text, 2),
        pattern.sub("x", text, -1),  # a negative count replaces nothing
    )


def test_literal_prefixes_are_the_words_every_match_starts_with():
    assert literal_prefixes(r"\b(?:bail|bonds?) set") == {"bail set", "bond set", "bonds set"}
    assert literal_prefixes(r"(?:had|has) been") == {"had been", "has been"}
    assert literal_prefixes(r"R\.?O\.?R\b") == {"ror", "r.or", "ro.r", "r.o.r"}
    assert literal_prefixes(r"\bprevious(?:ly)?|Prior\b") == {"previous", "prior"}
    assert literal_prefixes(r"(?:Mr\. )?Ames") == {"ames", "mr. ames"}


def test_too_many_ways_to_begin_are_cut_to_their_first_letters():
    # 300 phrases ("w000 arrested" ... "w299 arrested"): past 256 prefixes, each is cut to the
    # longest length that leaves at most 256, which every match still starts with
    phrases = "|".join(f"w{i:03d} arrested" for i in range(300))
    assert literal_prefixes(rf"\b(?:{phrases})") == {f"w{i:02d}" for i in range(30)}
    # the trigger phrases of charge lists begin in thousands of ways, and are found so
    assert isinstance(charges._phrases()["triggers"], Prefiltered)


def test_literal_prefixes_are_none_where_a_match_may_start_otherwise():
    for pattern in (
        r"[A-Z]\w+ was arrested",  # a class of many letters
        r"(?=b)bail",  # a lookaround
        r"(?-i:Bail) set",  # case counts again: the lower-cased text cannot tell
        r"\d+ counts",
        r"bail|on",  # "on" is too short to narrow anything
        r"caf\u00e9|th\u00e9",  # not ASCII
        r"(?:bail)*set",
    ):
        assert literal_prefixes(pattern) is None, pattern


def test_the_extraction_finds_several_case_folding_patterns_through_their_prefixes():
    assert len(PREFILTERED) >= 6
    assert any("bail" in found.prefixes for _, _, found in PREFILTERED)
    assert compile_guarded(r"\b(?:noon|midnight)\b", re.I).prefixes == {"noon", "midnight"}
    assert isinstance(compile_guarded(r"\b(?:noon|midnight)\b"), re.Pattern)  # case counts


def test_the_letters_lowering_hides_are_exactly_those_set_aside():
    # a case-folding ASCII letter matches these letters besides its own two cases; lower()
    # makes the Kelvin sign "k", keeps two as they are (set aside) and lengthens the dotted I
    # (a text whose length changes is read by the pattern itself)
    from pipelines.extract.scan import _FOLDED_ODDLY

    letter = re.compile("[a-z]", re.I)
    others = [chr(c) for c in range(0x80, 0x110000) if letter.fullmatch(chr(c))]
    assert sorted(others) == ["\u0130", "\u0131", "\u017f", "\u212a"]
    hidden = [c for c in others if len(c.lower()) == 1 and not c.lower().isascii()]
    assert sorted(hidden) == sorted(_FOLDED_ODDLY)


def test_every_prefiltered_pattern_answers_as_its_pattern_in_the_written_releases():
    assert WRITTEN
    for path in WRITTEN:
        text = path.read_text()
        for source, _, found in PREFILTERED:
            assert every_answer(found, text) == every_answer(found.compiled, text), (path, source)


@settings(max_examples=300, deadline=None)
@given(prose_cased, st.integers(0, 400), st.integers(0, 900))
def test_every_prefiltered_pattern_answers_as_its_pattern(text, pos, endpos):
    for source, _, found in PREFILTERED:
        for start, end in ((0, None), (pos, endpos)):
            answer = every_answer(found, text, start, end)
            assert answer == every_answer(found.compiled, text, start, end), source


def test_a_prefiltered_pattern_reads_as_a_pattern_and_survives_a_copy():
    import copy
    import pickle

    found = compile_guarded(r"\b(?P<w>noon|midnight)\b", re.I)
    assert isinstance(found, Prefiltered)
    text = "At NOON on Monday, and again at midnight. " * 10
    assert [m["w"] for m in found.finditer(text)][:2] == ["NOON", "midnight"]
    assert found.sub("X", "at Noon") == "at X" and found.groupindex == {"w": 1}
    for twin in (copy.deepcopy(found), pickle.loads(pickle.dumps(found))):
        assert every_answer(twin, text) == every_answer(found.compiled, text)


def test_a_candidate_that_fails_leaves_the_next_position_to_be_tried():
    # "abab" begins a match that fails; "bab" one character on begins the one found
    source = r"abab\d|bab[a-z]"
    found = Prefiltered(re.compile(source, re.I), literal_prefixes(source))
    text = "x " * 100 + "ABABx " + "x " * 100
    assert [m.group() for m in found.finditer(text)] == ["BABx"]
    assert every_answer(found, text) == every_answer(found.compiled, text)


def test_a_letter_that_folds_oddly_is_found_as_the_pattern_finds_it():
    # a case-folding "i" also matches the dotless and the dotted I, "s" the long s, "k" the
    # Kelvin sign: a text holding one of the first three is read by the pattern itself; the
    # Kelvin sign lower-cases to "k" and is found through the prefixes
    found = compile_guarded(r"\b(?:midnight|sentenced|booked)\b", re.I)
    for word in ("m\u0131dnight", "M\u0130DNIGHT", "\u017fentenced", "boo\u212aed"):
        text = "The man was seen at the store on Main Street. " * 5 + f"He was {word} then."
        assert [m.group() for m in found.finditer(text)] == [word], word
        assert every_answer(found, text) == every_answer(found.compiled, text)


def test_a_trie_pattern_writes_shared_beginnings_once():
    from pipelines.extract.scan import trie_pattern

    assert trie_pattern(["the case", "that case", "a case"]) == r"a\ case|th(?:at\ case|e\ case)"
    assert trie_pattern(["bail", "bond"]) == "b(?:ail|ond)"


@settings(max_examples=200, deadline=None)
@given(
    st.sets(st.text("abc $.", min_size=1, max_size=6), min_size=1, max_size=12),
    st.text("abc $.x", max_size=80),
)
def test_a_trie_pattern_starts_a_match_wherever_one_of_its_words_starts(words, text):
    # where it is used (Prefiltered) only the starts count: the same as the flat alternation's
    from pipelines.extract.scan import trie_pattern

    words = {w for w in words if not any(w != o and w.startswith(o) for o in words)}
    trie = re.compile(trie_pattern(words))
    flat = re.compile("|".join(map(re.escape, words)))
    assert [m.start() for m in trie.finditer(text)] == [m.start() for m in flat.finditer(text)]
    assert all(trie.fullmatch(w) for w in words)


def test_a_text_may_hold_a_word_in_any_case_unless_its_lower_case_says_not():
    from pipelines.extract.scan import may_hold

    assert may_hold("Deputies responded EARLY SUNDAY.", ("sunday", "monday"))
    assert not may_hold("Deputies responded early.", ("sunday", "monday"))
    # a dotless i folds oddly: lower-casing is not trusted, so the text may hold the word
    assert may_hold("Deputies responded to Kırıkkale.", ("sunday",))
