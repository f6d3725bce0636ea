"""People named or described in a release: name, age, residence, juvenile flag and role.

Forms read: "Name, 31, of Town", "Name, age 31, of Town", "31-year-old Name of Town",
"A, 29, and B, 22, both of Town", "Name, 40, Town, is charged with" (prosecutor style),
"Accused: Last, First DOB address" (age from the date of birth at the incident date),
"a 15-year-old male ... his name is not being released" (unnamed), bare names introduced by
"identified as", "arrested", "charges against", "an arrest warrant for" and the like, "Name of
Town was arrested", "A Temecula man, Name, 44", "Name, DOB: 9-20-88" (age from the date of
birth), and people listed one per line or bullet after an intro ("The following defendants were
charged:"). Quoted aliases ("also known as 'Flaco'") and nicknames are read over. Mentions of
one surname are merged into one person.

Roles: "officer" (police titles), "other" (officials, spokespeople, judges), "victim", and
"arrestee" for people arrested, charged, cited, booked, indicted, arraigned, convicted or
sentenced (defendants in prosecutor releases). Who is the victim is scored (`victim_score`):
victim cues around a mention ("the shooting death of his brother, ...", "was killed") against
arrest cues ("arrested ...", "... was charged"). Everyone else is "other".
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from pipelines.extract import vocab
from pipelines.extract.charges import PERSON_HEADER
from pipelines.extract.scan import (
    compile_guarded,
    line_start,
    line_start_before_gap,
    may_hold,
    near_anchors,
)
from pipelines.extract.sentences import alternation, places, sentences

VOCAB = "people.toml"


def _words(key: str) -> str:
    """The words of table `key` of data/people.toml as a regex alternation, in the order
    written (then its `patterns`, regex fragments such as "grand\\w+")."""
    words = [re.escape(w) for w in vocab.words(VOCAB, key)]
    words += vocab.section(VOCAB, key).get("patterns", [])
    return "|".join(words)


# "is charged", "was arrested"; "was cited", "was taken into custody" (data/people.toml)
_ARREST_VERBS = _words("arrest_verbs")
_ANY_ARREST_VERBS = _ARREST_VERBS + "|" + _words("minor_arrest_verbs")

_UP = "A-Z\u00c0-\u00d6\u00d8-\u00de"
_LO = "a-z\u00df-\u00f6\u00f8-\u00ff"
_TOK = (
    rf"(?:(?:Mc|Mac|O'|D'|De|Di|La|Le|Van|Von)?[{_UP}][{_LO}]+(?:[{_UP}][{_LO}]+)?"
    # an initial, maybe glued to the surname ("Dana R.Colt"; split again by _clean_name)
    rf"(?:['\-][{_UP}]?[{_LO}]+)*|(?<![A-Za-z])[A-Z](?:\.(?:[{_UP}][{_LO}]+)?)?)"
)
_PARTICLE = r"(?:de|del|de la|da|dos|van|van der|von|bin|al|le|la|St\.)"
_SUFFIX = r"(?:,?[ \t]+(?:Jr|Sr)\.?|[ \t]+(?:II|III|IV))"
# a nickname in quotes inside a name ("Nicholas “Nick” Moreau"): read over, then dropped
_NICK = r"(?:[ \t]+(?:\"[A-Z][^\"\n]{0,20}\"|\u201c[A-Z][^\u201d\n]{0,20}\u201d))?"
NAME = rf"{_TOK}(?:{_NICK}[ \t]+(?:{_PARTICLE}[ \t]+)?{_TOK}){{0,4}}{_SUFFIX}?"
# every NAME starts with a capital: a pattern that starts with a name says so first, which lets
# the regex engine pass over the other characters quickly (the matches are the same)
_NAME_START = rf"(?=[{_UP}])"
# a US state as written after a town: full name, abbreviation ("Neb.") or postal code
_STATE_WORD = (
    r"(?:"
    + alternation(places()["state_names"])
    + "|"
    + alternation(places()["state_abbrevs"])
    + r"\.?|[A-Z]{2})"
)
_STATES = rf"{_STATE_WORD}\.?"
_PLACE_WORD = rf"(?:[{_UP}][{_LO}{_UP}'\-]+|St\.|Ft\.|Mt\.)"
# a street type of data/places.toml that never ends a town name: "Street", "St", "St."
_STREET_END = (
    "(?:"
    + alternation(places()["street_names"])
    + "|"
    + alternation(places()["street_abbrevs"])
    + r"\.?)"
)
_PLACE_SEP = r"[ \t]+(?:(?:de|del|de la|la|las|los|du|el)[ \t]+)?"
PLACE = (
    rf"(?:the[ \t]+)?(?:\d+[ \t]+)?(?:{_PLACE_WORD}{_PLACE_SEP}){{0,3}}{_PLACE_WORD}"
    rf"(?:[ \t]+{_STREET_END})?"
    rf"(?:,[ \t]*(?:(?!{_STATES}(?![a-z]))(?:{_PLACE_WORD}[ \t]+){{0,2}}{_PLACE_WORD}"
    r"(?=,|\.|\s+(?:was|were|is|are|and|has|had)\b)))?"
    rf"(?:,[ \t]*{_STATES}(?![a-z]))?"
)

AGE_WORD = r"(?P<age>\d{1,2})"
# "Jose Cajigas, 31, of Hartford" / "Cajigas, age 31, of Hartford" / "McDougall, 81, Laguna Woods,"
_COMMA_AGE = r",\s*(?:age[ds]?\s+)?"
# the next entry of a list of "Name, age, Town": "Lin Wu, 40, Montebello, Bo Chen, 56, ..."
_NEXT_NAME_AGE = r"(?:[A-Z][A-Za-z'.-]*[ \t]+){1,3}[A-Z][A-Za-z'-]*,[ \t]*\d{1,2}(?!\w)"
NAME_AGE = re.compile(
    rf"{_NAME_START}(?P<name>{NAME})[ \t]*{_COMMA_AGE}{AGE_WORD}(?!\w)(?:\s*,)?"
    rf"(?:\s*of\s+\d+[ \t][^,.;\n]{{0,40}}?[ \t]in[ \t]+(?P<res5>{PLACE})"
    rf"|\s*(?:(?:both|all)\s+)?(?:of|from)\s+(?P<res>{PLACE})"
    rf"|\s*(?:a|an)\s+(?P<res3>{PLACE})\s+(?:resident|man|woman|teen|teenager|youth|boy|girl)\b"
    rf"|\s*(?:a\s+)?resident\s+of\s+(?P<res4>{PLACE})"
    rf"|\s+(?P<res2>{PLACE}),\s+(?=(?:is|was|were|are|has|had|and|who|pleaded|faces?|remains?|will"
    rf"|both|all|each)\b|{_NEXT_NAME_AGE}))?"
)
# where NAME_AGE can match: its comma and age, on the name's line (see scan.near_anchors)
_COMMA_AGE_AT = re.compile(rf"{_COMMA_AGE}\d{{1,2}}(?!\w)")
# "Christopher Lane, Huntington Beach, is charged with"
NAME_PLACE = re.compile(
    rf"{_NAME_START}(?P<name>{NAME}),\s+(?P<res>{PLACE}),\s+"
    rf"(?=(?:is|was|were|are|has been|have been)\s+(?:\w+\s+)?(?:{_ARREST_VERBS}))"
)
# "Vic Lund of Ogden was arrested" / "Vic Lund, of Ogden, is charged": a name and town, no age
NAME_OF = re.compile(
    rf"{_NAME_START}(?P<name>{NAME}),?\s+(?:of|from)\s+(?P<res>{PLACE}),?\s+"
    rf"(?=(?:is|was|were|are|has been|have been|had been|will be)\s+(?:\w+\s+)?"
    rf"(?:{_ANY_ARREST_VERBS}))"
)
# "A Temecula man, Rick Hale, 44," / "a Vale woman, Ann Roe,": the town before the name
_TOWN_PERSON_NOUNS = _words("town_person_nouns")
PLACE_NOUN_NAME = re.compile(
    rf"\b(?:[Aa]n?)\s+(?P<res>{PLACE})\s+(?:{_TOWN_PERSON_NOUNS})\s*,\s*"
    rf"(?P<name>{NAME})(?=\s*,)"
)
# "Jane Roe, DOB: 9-20-88," / "Jane Roe (born 9/20/1988)": the age from the date of birth
NAME_DOB = re.compile(
    rf"{_NAME_START}(?P<name>{NAME})\s*[,(]\s*(?:DOB|D\.O\.B\.?|date of birth|born)\s*:?\s*"
    r"(?P<dob>\d{1,2}[/-]\d{1,2}[/-]\d{2,4})\b"
)
_DOB_WORD = compile_guarded(r"DOB|D\.O\.B|[Dd]ate of [Bb]irth|[Bb]orn\b")
# where NAME_OF can match: " of Town was arrested", cheap to find; NAME_OF runs only there
_OF_VERB = re.compile(
    r"\s(?:of|from)\s+[A-Z][^.;\n]{0,60}?\s(?:is|was|were|are|has been|have been|had been|"
    rf"will be)\s+(?:\w+\s+)?(?:{_ANY_ARREST_VERBS})"
)
_A_PLACE_NOUN = re.compile(rf"\b[Aa]n?\s+[A-Z][^.;\n]{{0,40}}?\s(?:{_TOWN_PERSON_NOUNS})\s*,")
# what every _A_PLACE_NOUN match holds, far quicker to look for: "man,", "resident ,"
_PLACE_NOUN_COMMA = re.compile(rf"\s(?:{_TOWN_PERSON_NOUNS})\s*,")
# where NAME_OF can match: the white space just before its "of" or "from" (the name before it
# is on one line: scan.near_anchors tries NAME_OF only from that line's start to here)
_OF_AT = re.compile(r"\s(?:of|from)\s")


def _dob_matches(text: str) -> list[re.Match]:
    """NAME_DOB matches, searched only before a date-of-birth word."""
    out: list[re.Match] = []
    done = 0
    for c in _DOB_WORD.finditer(text):
        back = max(0, c.start() - 60)
        ws = max(text.rfind(" ", 0, back), text.rfind("\n", 0, back)) if back else -1
        m = NAME_DOB.search(text, max(done, ws + 1), min(len(text), c.end() + 16))
        if m:
            out.append(m)
            done = m.end()
    return out


def _name_of_matches(text: str) -> list[re.Match]:
    """NAME_OF and PLACE_NOUN_NAME matches, searched only near their cheap cues: each cue's
    window (from 90 characters before it, at a word boundary, for NAME_OF; from the cue for
    PLACE_NOUN_NAME; to 120 characters after it) gives the first match inside it."""
    out = []
    for rx, cue, back in ((NAME_OF, _OF_VERB, 90), (PLACE_NOUN_NAME, _A_PLACE_NOUN, 0)):
        if not back and not _PLACE_NOUN_COMMA.search(text):
            continue  # no cue can match
        done = -1
        for c in cue.finditer(text):
            a = max(0, c.start() - back, done)
            e = min(len(text), c.end() + 120)
            if back:
                # start the search at a word boundary so no name is read from its middle
                ws = max(text.rfind(" ", 0, a), text.rfind("\n", 0, a))
                a = max(done, ws + 1 if ws >= 0 else 0)
                near = near_anchors(rx, _OF_AT, _CAPITAL, text, line_start_before_gap, a, e)
                m = next(near, None)
            else:
                m = rx.search(text, a, e)
            if m and m.start() >= done:
                out.append(m)
                done = m.end()
    return out


# "52-year-old Mary Blair of Winnebago, Neb." / "a 16-year-old male juvenile"
AGE_NAME = compile_guarded(
    rf"(?P<det>\b(?:a|an|the|one|two)\s+)?\b{AGE_WORD}[- ]years?[- ]old\s*,?\s+"
    rf"(?P<noun>(?:(?:{_words('age_nouns')})\s+){{1,3}})?"
    rf"(?P<name>{NAME})?"
    rf"(?:(?:\s+|(?<=\s))(?:of|from)\s+(?P<res>{PLACE}))?"
)
# "two 17-year-olds, one from Northfield and one from Granby" / "two 15-year-olds"
_GROUP_N: dict[str, int] = vocab.mapping(VOCAB, "group_numbers")  # {"two": 2, ...}
AGE_GROUP = re.compile(
    rf"\b(?P<n>(?i:{'|'.join(_GROUP_N)})|{'|'.join(str(n) for n in _GROUP_N.values())})\s+"
    r"(?P<age>\d{1,2})[- ]years?[- ]olds\b"
    r"(?P<each>(?:\s*,?\s*(?:and\s+)?one\s+(?:from|of)\s+"
    rf"{PLACE}){{2,5}})?"
)
# "Accused: Dunker, Arcenio 6/21/89 27 Forest Ln Bloomfield CT"
ACCUSED = re.compile(
    r"(?:Accused|Arrested|Arrestee|Suspect|Defendant|Name)\s*(?:\d+)?\s*:\s*"
    rf"(?P<last>{_TOK}(?:[- ]{_TOK})?),\s*(?P<first>{_TOK}(?:\s+{_TOK})?)"
    r"(?:\s*,?\s*(?:DOB|D\.O\.B\.?|born)?\s*:?\s*(?P<dob>\d{1,2}[/-]\d{1,2}[/-]\d{2,4}))?"
    r"(?:\s*,?\s*(?:age\s*:?\s*)?(?P<age>\d{1,2})(?!\d|/))?"
    r"(?P<addr>[^\n]*)"
)
# "Name: Travis Dockery, Age: 41, Address: Greenbrier"
ROSTER = re.compile(
    rf"(?:Name|Arrestee|Defendant|Suspect)\s*:\s*(?P<name>{NAME})\s*[,;|]?\s*(?:Age\s*:\s*"
    rf"(?P<age>\d{{1,2}}))?\s*[,;|]?\s*(?:(?:Address|Residence|Hometown|City)\s*:\s*"
    rf"(?P<res>[^\n,;|]+))?"
)
# Bare names introduced by arrest/identification wording.
INTRO_BEFORE = re.compile(
    r"(?:identified (?:him |her |them |the (?:\w+ ){1,2})?as|arrested|charged|booked|cited|"
    r"indicted|arraigned|apprehended|detained|named|suspect|defendant|accused|located|"
    r"arrest of|arrests of|custody of|charges against|charging|the defendant,)\s+"
    rf"(?:(?:the\s+)?(?:suspect|defendant|driver|man|woman)\s+)?"
    # "the arrest of thirty-seven-year-old Ana Roe"
    r"(?:(?:\d{1,2}|[a-z]+(?:-[a-z]+)?)-year-old\s+)?"
    rf"(?P<name>{NAME})"
)


# the same for legal papers: "obtained an arrest warrant for Dale Ames", "the case against ..."
# and for court news, often in a title-case headline: "Regarding the Conviction of Jamal Roe",
# "the Re-sentencing of Noel Doe and Dan Poe", "Guilty Plea by Former Mayor Tony Roe"
_PAPER_KEYS = (
    r"(?:warrants? for|complaint against|indictment (?:against|of)|case against|prosecution of|"
    r"convictions? of|(?:re-?)?sentencing of|(?:guilty )?plea by|trial of|arraignment of|"
    r"extradition of|charging of|(?:charges? )?filed against)"
)
# searched in the lower-cased text (a headline writes "the Conviction Of"), the name then read at
# the same place in the text itself: quicker than an (?i:...) alternation before NAME
_PAPER_KEY = compile_guarded(
    _PAPER_KEYS + r"\s+(?:(?:the\s+)?(?:suspect|defendant|driver|man|woman)\s+)?"
)
_PAPER_WORD = re.compile(
    r"warrant|against|prosecution|conviction|indictment|sentencing|plea|trial|arraignment|"
    r"extradition"
)
_NAME_AT = re.compile(rf"(?P<name>{NAME})")


def _paper_matches(text: str) -> list[re.Match]:
    """Names after legal-paper and court-news words in either case ("warrant for Dale Ames",
    "Regarding the Conviction of Jamal Roe"): NAME matches right after each key."""
    low = text.lower()
    if not _PAPER_WORD.search(low):
        return []
    out = []
    for k in _PAPER_KEY.finditer(low):
        m = _NAME_AT.match(text, k.end())
        if m:
            out.append(m)
    return out


# a verdict: "A jury today found Clifford Roe guilty on all counts"
INTRO_VERDICT = re.compile(rf"\bfound\s+(?P<name>{NAME})\s+(?=(?:not\s+)?guilty\b)")
# a case named after its defendant: "the Guilty Verdict in the Frank Roe Trial"
_CASE_WORD = re.compile(r"[a-z] (?:Trial|Case|Prosecution|Sentencing)\b")
INTRO_CASE_NAME = re.compile(
    rf"\b(?:in|of)\s+the\s+(?P<name>{NAME})\s+(?=(?:Trial|Case|Prosecution|Sentencing)\b)"
)
# "Dale Ames was arrested", "Dale Ames faces up to life in prison", "Dale Ames pleaded guilty"
_AFTER_VERBS = (
    r"(?:(?:was|were|is|are|has been|had been|will be|"
    r"remains|turned (?:himself|herself) in)\s+(?:\w+\s+){0,2}?(?:arrested|charged|booked|taken|"
    r"indicted|arraigned|cited|held|jailed|detained|apprehended|located|identified|"
    r"sentenced|convicted|accused|in custody)|(?:now\s+)?(?:faces|could face|pleaded|pled)\b)"
)
INTRO_AFTER = re.compile(rf"{_NAME_START}(?P<name>{NAME})\s*,?\s+{_AFTER_VERBS}")
# where INTRO_AFTER can match: its verbs, after the name's line (see scan.near_anchors)
_AFTER_VERBS_AT = compile_guarded(_AFTER_VERBS)
_CAPITAL = re.compile(f"[{_UP}]")


def _intro_after_matches(text: str) -> Iterator[re.Match]:
    """``INTRO_AFTER.finditer(text)``, tried only on the lines before its verbs."""
    return near_anchors(INTRO_AFTER, _AFTER_VERBS_AT, _CAPITAL, text, line_start_before_gap)


ARREST_CUE = compile_guarded(
    r"\b(?:arrest(?:ed|s)?|charged|charges|charging|booked|cited|indicted|arraigned|"
    r"taken into custody|in custody|apprehended|jailed|detained|accused|defendants?(?!')|"
    r"held (?:on|in lieu|without)|bail|bond|turned (?:himself|herself|themselves) in|"
    r"pleaded|pled|faces?|is charged|convicted|convictions?|sentenced|found guilty|guilty|"
    r"(?:re-?)?sentencing of|trial of|plea by|"
    r"suspects? (?:was|were|is|are)|surrendered|"
    r"remanded|warrant for|summons(?:ed)?|citations?|ticketed|issued (?:a|an) (?:citation|"
    r"summons|ticket|notice)|referred to (?:juvenile|the juvenile))\b",
    re.I,
)
VICTIM_BEFORE = re.compile(
    r"(?:victims?|decedent|deceased|the man killed|the woman killed|who died|was killed)"
    r"\s*,?\s*(?:(?:has|have|had)\s+been\s+|was\s+|were\s+|is\s+)?(?:identified\s+as\s+|named\s+)?"
    r"(?:\w+\s+){0,2}$",
    re.I,
)
VICTIM_AFTER = re.compile(
    r"^[^.;]{0,60}?(?:as the (?:\w+\s+)?(?:victim|decedent|deceased|person who died|"
    r"driver who died)|,\s+the (?:\w+\s+)?victim|\s+(?:was|were) (?:killed|pronounced|found dead|"
    r"fatally|shot and killed|struck and killed|murdered|stabbed to death)|\s+died)",
    re.I,
)
# "charged in the shooting death of his brother, Paul Kent", "accused of robbing a 16-year-old
# boy": the person harmed, written right after the act
_RELATION = _words("kinship")
HARMED_BEFORE = re.compile(
    r"(?:\b(?:death|deaths|killing|murder|slaying|shooting|stabbing|beating|strangling|kidnapping|"
    r"abduction|rape|robbery|assault|carjacking|abuse|attempted murder) of|\battack(?:s|ed)? on|"
    r"\b(?:killing|killed|murdered|injured|injuring|wounded|wounding|shot|shooting|stabbed|"
    r"stabbing|struck|striking|robbed|robbing|assaulted|assaulting|raped|kidnapped|abused|"
    r"strangled|beat|beating))\s+(?:(?:his|her|their|a|an|the|two|three)\s+)?"
    r"(?:(?:\d{1,2}[- ]year[- ]old|young|teenage|elderly|infant|former|own)[\s,]+)*"
    rf"(?:(?:{_RELATION})\s*,?\s*)?$",
    re.I,
)
_NEAR_ARREST = re.compile(r"arrest|charg|custody", re.I)


def victim_score(before: str, after: str) -> int:
    """How much the words around a mention say "victim" rather than "defendant": one point for
    each victim cue (victim wording before it, "was killed" / "died" after it, an act of harm
    right before it: "the shooting death of his brother, ..."), minus one for an arrest word
    just before it ("arrested Paul Kent") or an arrest verb after it ("Paul Kent, 33, was
    charged"). `before` is the text of the sentence up to the mention, `after` the text after
    it. A score above zero makes a victim."""
    if after[:1].isalpha():
        after = " " + after  # a mention whose match took the space after it
    score = 0
    score += bool(VICTIM_BEFORE.search(before[-60:]))
    score += bool(VICTIM_AFTER.match(after))
    harmed = bool(HARMED_BEFORE.search(before[-90:]))
    score += harmed
    if not harmed and _NEAR_ARREST.search(before[-25:]):
        score -= 1
    if _ARREST_SUBJECT.match(after):
        score -= 1
    return score


JUVENILE_WORDS = re.compile(rf"\b(?:{_words('juvenile_words')})\b", re.I)
_PLACE_NOUN = re.compile(rf"\s+({_words('town_nouns')})\b")


@dataclass
class Mention:
    """One place a person is written about."""

    start: int
    end: int
    name: str | None
    age: int | None = None
    residence: str | None = None
    juvenile: bool = False
    dob: str | None = None
    title_role: str | None = None  # "officer" / "other" from a title before the name
    noun: str | None = None
    slot: int = 0  # 1..n for the members of "two 15-year-olds"; 0 for a single person


@dataclass
class Person:
    """A person of the release, merged from mentions."""

    name: str | None
    age: int | None = None
    residence: str | None = None
    juvenile: bool = False
    role: str = "other"
    mentions: list[Mention] = field(default_factory=list)
    positions: list[int] = field(default_factory=list)  # every offset that refers to them
    first_pos: int = 0

    @property
    def surname(self) -> str | None:
        return surname_of(self.name)


@lru_cache(maxsize=1)
def _names_data() -> dict:
    """Titles (officer / other) as patterns read before a name, and the stopwords of names,
    from data/names.toml."""
    d = vocab.load("names.toml")
    officer = sorted({t.rstrip(".") for t in d["officer_titles"]}, key=len, reverse=True)
    other = sorted({t.rstrip(".") for t in d["other_titles"]}, key=len, reverse=True)
    return {
        "officer": re.compile(
            r"(?:^|[\s(\"'])(?:" + "|".join(re.escape(t) for t in officer) + r")\.?[ \t]+$"
        ),
        "other": re.compile(
            r"(?:^|[\s(\"'])(?:" + "|".join(re.escape(t) for t in other) + r")\.?[ \t]+$"
        ),
        "officer_words": {t.lower() for t in officer},
        "stop": set(d["stopwords"]),
        "surname_stop": set(d["surname_stopwords"]),
    }


_POSSESSIVE_END = re.compile(r"(?:'s|s'|')$")
_WHITESPACE = re.compile(r"\s+")
_GENERATION = re.compile(r"(?:Jr|Sr)\.?|II|III|IV")
_QUOTED_NICKNAME = re.compile(r"[ \t]+(?:\"[^\"\n]*\"|\u201c[^\u201d\n]*\u201d)(?=[ \t])")
_GLUED_INITIAL = re.compile(r"(?<![A-Za-z])([A-Z]\.)(?=[A-Z][a-z])")
_INITIAL = re.compile(r"[A-Z]\.?")
_MIDDLE_INITIAL = re.compile(r"[A-Z]\.")
_LOWER = re.compile(r"[a-z]")


def _bare(token: str) -> str:
    """A token without trailing punctuation and possessive ("Sheriff's" → "Sheriff", "Mars" and
    "Williams" kept whole)."""
    token = token.rstrip(".,")
    return _POSSESSIVE_END.sub("", token)


@lru_cache(maxsize=8192)  # asked of the same few names many times a release
def surname_of(name: str | None) -> str | None:
    """Last name of a full name, without Jr./Sr./II ("Jose Cajigas" → "Cajigas")."""
    if not name:
        return None
    toks = [t for t in _WHITESPACE.split(name.replace(",", " ")) if t]
    while toks and _GENERATION.fullmatch(toks[-1]):
        toks.pop()
    return toks[-1] if toks else None


@lru_cache(maxsize=8192)  # a release names its people again and again
def _clean_name(raw: str | None) -> str | None:
    """Strip stopwords at either end of a matched name; None if nothing name-like is left."""
    if not raw:
        return None
    nd = _names_data()
    stop, surname_stop = nd["stop"], nd["surname_stop"]
    raw = _QUOTED_NICKNAME.sub("", raw)
    if "." in raw:
        # "Dana R.Colt": an initial glued to the surname
        raw = _GLUED_INITIAL.sub(r"\1 ", raw)
    toks = raw.replace("\n", " ").split()
    while toks and (_bare(toks[0]) in stop or toks[0].lower() in ("de", "la", "van")):
        toks.pop(0)

    def surname_word(i: int, t: str) -> bool:
        # "Ashley Lane": a surname that is also a common word, after a given name
        return (
            i == len(toks) - 1
            and i > 0
            and _bare(t) in surname_stop
            and _bare(toks[i - 1]) not in stop
            and not _INITIAL.fullmatch(toks[i - 1])
            and t == _bare(t)
        )

    while (
        toks
        and _bare(toks[-1]) in stop - {"Jr", "Sr", "II", "III", "IV"}
        and not surname_word(len(toks) - 1, toks[-1])
    ):
        toks.pop()

    def stopword(i: int, t: str) -> bool:
        if 0 < i < len(toks) - 1 and _MIDDLE_INITIAL.fullmatch(t):
            return False  # a middle initial ("Darnell A. Mackey"), not the article "A"
        if surname_word(i, t):
            return False
        return _bare(t) in stop and t not in ("Jr.", "Sr.", "Jr", "Sr")

    if any(stopword(i, t) for i, t in enumerate(toks)):
        # a stopword in the middle ("Hartford Police Department"): not a person
        cut = next(i for i, t in enumerate(toks) if stopword(i, t))
        toks = toks[:cut]
    if not toks:
        return None
    name = " ".join(toks).rstrip(",")
    if _INITIAL.fullmatch(name):
        return None
    if not _LOWER.search(name):
        return None
    return name


_LEADING_THE = re.compile(r"^the\s+")
_TOWN_STATE = re.compile(rf"^(?P<town>.+?),\s*{_STATES}$")
_STREET_OR_NUMBER = re.compile(rf"\b{_STREET_END}$|^\d")
_INSTITUTION = re.compile(r"(?:Police|Sheriff|Court|Jail|Department).*")


def _clean_place(raw: str | None) -> str | None:
    """ "Winnebago, Neb." → "Winnebago"; "Southeast, DC" → "Southeast"; "Iowa" stays "Iowa"."""
    if not raw:
        return None
    p = raw.strip().rstrip(",")
    p = _LEADING_THE.sub("", p)
    m = _TOWN_STATE.match(p)
    if m:
        p = m.group("town")
    p = p.strip().rstrip(".,")
    # "Cold Spring Road, Harlow" / "278 East 40th Street, Harlow": the town after the street
    parts = [x.strip() for x in p.split(",")]
    if len(parts) > 1 and _STREET_OR_NUMBER.search(parts[0]):
        p = parts[-1]
    elif len(parts) > 1:
        p = parts[0]
    if _STREET_OR_NUMBER.search(p):
        return None
    if p.split()[0] in ("Police", "Department", "County") or not p:
        return None
    if _INSTITUTION.fullmatch(p):
        return None
    return p


def _title_role(text: str, start: int) -> str | None:
    before = text[max(0, start - 60) : start]
    nd = _names_data()
    if nd["officer"].search(before):
        return "officer"
    if nd["other"].search(before):
        return "other"
    return None


_DATE_OF_BIRTH = re.compile(r"(\d{1,2})[/-](\d{1,2})[/-](\d{2,4})$")


def _age_at(dob: str, on: dt.date | None) -> int | None:
    """Age on `on` (today when None) of a person born on `dob` ("3/4/90" on 2021-10-26 ->
    31); None for a date that is no date of birth."""
    m = _DATE_OF_BIRTH.match(dob)
    if not m:
        return None
    mo, d, y = int(m.group(1)), int(m.group(2)), int(m.group(3))
    on = on or dt.date.today()
    if y < 100:
        y += 2000 if 2000 + y <= on.year else 1900
    try:
        born = dt.date(y, mo, d)
    except ValueError:
        return None
    age = on.year - born.year - ((on.month, on.day) < (born.month, born.day))
    return age if 0 <= age < 120 else None


_TOWN_AFTER_STREET = re.compile(
    rf"(?:{_STREET_END}|Apt\.?\s*\w+|#\s*\w+)\.?,?\s+(?P<town>(?:[A-Z][a-zA-Z'\-]+"
    rf"\s*){{1,3}}?),?\s*{_STATES}?\s*(?:\d{{5}})?\s*$"
)
_TOWN_BEFORE_STATE = re.compile(
    r"(?P<town>(?:[A-Z][a-z][a-zA-Z'\-]+\s*){1,3}),?\s+[A-Z]{2}\s*(?:\d{5})?$"
)


def _residence_from_address(addr: str) -> str | None:
    """Town of a written address: "27 Forest Ln Bloomfield CT" → "Bloomfield"."""
    addr = addr.strip(" ,")
    m = _TOWN_AFTER_STREET.search(addr)
    if m:
        return m.group("town").strip()
    m = _TOWN_BEFORE_STATE.search(addr)
    if m:
        return m.group("town").strip()
    return None


_BULLET_LINE = re.compile(
    r"[ \t]*\n(?:[ \t]*\n)*[ \t]*(?:[-*\u2022\u25cf\u25aa\u2013]|\d{1,2}[.)])[ \t]+\S"
)


def _header_spans(text: str) -> list[tuple[int, int]]:
    """Spans of person header lines ("Marcus Delaney, 31, of Riverton") that a bulleted list
    follows: the list holds that person's charges, so the person is an arrestee."""
    return [
        (m.start(), m.end())
        for m in PERSON_HEADER.finditer(text)
        if _BULLET_LINE.match(text, m.end())
    ]


def _named(m: re.Match, min_words: int = 1) -> tuple[int, str] | None:
    """The cleaned name of a match's `name` group and where its first word starts, or None
    when nothing name-like (or fewer than `min_words` words) is left."""
    name = _clean_name(m.group("name"))
    if not name or len(name.split()) < min_words:
        return None
    return m.start("name") + m.group("name").find(name.split()[0]), name


def _accused_blocks(text: str, incident_date: dt.date | None) -> list[Mention]:
    """Booking blocks, surname first, with a date of birth and an address:
    "Accused: Larkin, Tomas 3/4/90 27 Birch Ln Glastonbury CT" -> name, age (at the incident
    date), residence."""
    out = []
    for m in ACCUSED.finditer(text):
        first = _clean_name(m.group("first"))
        last = _clean_name(m.group("last"))
        if not first or not last:
            continue
        age = int(m.group("age")) if m.group("age") else None
        dob = m.group("dob")
        addr = m.group("addr") or ""
        if dob:
            # "3/4/90 27 Birch Ln": the number after a date of birth starts the address
            if age is not None:
                addr = f"{m.group('age')}{addr}"
            age = _age_at(dob, incident_date)
        res = _residence_from_address(addr)
        out.append(
            Mention(m.start(), m.end(), f"{first} {last}", age, res, bool(age and age < 18), dob)
        )
    return out


_DIGIT = re.compile(r"\d")


def _name_age(text: str, incident_date: dt.date | None) -> list[Mention]:
    """A name and its age, maybe a town: "Ray Holt, 52, of Ogden" -> name, age, residence
    (also "Holt, age 52, a Vale resident", "McDougall, 81, Laguna Woods, is charged"). Under a
    person header that a bulleted charge list follows, the mention is a roster entry."""
    headers = _header_spans(text)
    out = []
    for m in near_anchors(NAME_AGE, _COMMA_AGE_AT, _CAPITAL, text, line_start):
        name = _clean_name(m.group("name"))
        if not name:
            continue
        age = int(m.group("age"))
        if age < 5:
            continue
        # "the 2400 block of 18th St, 25" / dates "Oct. 26, 21": the name must be a name
        if _DIGIT.search(name):
            continue
        res = (
            m.group("res5")
            or m.group("res")
            or m.group("res2")
            or m.group("res3")
            or m.group("res4")
        )
        start = m.start("name") + m.group("name").find(name.split()[0])
        out.append(
            Mention(
                start,
                m.end(),
                name,
                age,
                _clean_place(res),
                age < 18,
                title_role=_title_role(text, start),
                noun="roster" if any(a <= start < b for a, b in headers) else None,
            )
        )
    return out


_ROSTER_CHARGES = re.compile(r"\n\s*(?:Charges?|Offen[cs]es?|Arrested for)\s*:")


def _rosters(text: str, incident_date: dt.date | None) -> list[Mention]:
    """Labelled fields: "Name: Travis Dockery, Age: 41, Address: Greenbrier" -> name, age,
    residence; a "Charges:" line soon after makes it a roster entry (an arrestee)."""
    out = []
    for m in ROSTER.finditer(text):
        found = _named(m, 2)
        if not found:
            continue
        _start, name = found
        age = int(m.group("age")) if m.group("age") else None
        res = m.group("res")
        if res:
            res = _residence_from_address(res) if _DIGIT.search(res) else _clean_place(res)
        roster = bool(_ROSTER_CHARGES.search(text[m.end() : m.end() + 200]))
        out.append(
            Mention(
                m.start("name"),
                m.end(),
                name,
                age,
                res,
                bool(age is not None and age < 18),
                title_role=None,
                noun="roster" if roster else None,
            )
        )
    return out


_STREET_AT_END = re.compile(rf"\b{_STREET_END}$")
_PLACE_PREPOSITION_BEFORE = re.compile(r"\b(?:of|from|in|at|on|near)\s+$")


def _street_not_name(text: str, m: re.Match) -> bool:
    """ "Ann Lee, 34, of Cold Spring Road, Harlow, was charged": NAME_PLACE read the street
    ("Cold Spring Road") as a name."""
    before = text[max(0, m.start("name") - 12) : m.start("name")]
    return bool(_STREET_AT_END.search(m.group("name")) or _PLACE_PREPOSITION_BEFORE.search(before))


# what every NAME_PLACE match ends with: ", is charged", cheap to find; NAME_PLACE runs only in
# a text that has it
_PLACE_VERB = re.compile(
    rf",\s+(?:is|was|were|are|has been|have been)\s+(?:\w+\s+)?(?:{_ARREST_VERBS})"
)


def _name_place_matches(text: str) -> Iterable[re.Match]:
    """``NAME_PLACE.finditer(text)`` ("Chris Lane, Huntington Beach, is charged"), tried only
    on the line before each ", is charged" (see scan.near_anchors)."""
    return near_anchors(NAME_PLACE, _PLACE_VERB, _CAPITAL, text, _line_start_after_comma)


def _line_start_after_comma(text: str, at: int) -> int:
    """Where the line holding ``at`` begins, or the line before it when that one ends with a
    comma ("Chris Lane,\n Huntington Beach, is charged"): the earliest start of a NAME_PLACE
    match whose last comma is at ``at`` (a name and a town hold no line break; only the gap
    after the name's comma may)."""
    start = line_start(text, at)
    gap = start
    while gap > 0 and text[gap - 1].isspace():
        gap -= 1
    return line_start(text, gap - 1) if gap > 0 and text[gap - 1] == "," else start


@dataclass(frozen=True)
class _NamedForm:
    """A wording that gives a name of two words or more and maybe a town or a date of birth;
    the forms differ only in how their matches are found and what their groups hold."""

    example: str  # the wording, and what is read from it
    matches: Callable[[str], Iterable[re.Match]]
    mention_ends_at_name: bool = False  # the mention ends with the name, not the match
    residence: str | None = None  # the group holding the town
    dob: bool = False  # a `dob` group: the age is computed at the incident date
    skip: Callable[[str, re.Match], bool] | None = None  # a match that is not a person


_NAMED_FORMS = (
    _NamedForm(
        '"Vic Lund of Ogden was arrested" / "A Temecula man, Rick Hale," -> name, residence',
        lambda text: _name_of_matches(text),
        mention_ends_at_name=True,
        residence="res",
    ),
    _NamedForm(
        '"Jane Roe, DOB: 9-20-88," -> name, age (from the date of birth)',
        lambda text: _dob_matches(text),
        dob=True,
    ),
    _NamedForm(
        '"Christopher Lane, Huntington Beach, is charged with" -> name, residence',
        lambda text: _name_place_matches(text),
        residence="res",
        skip=_street_not_name,
    ),
)


def _named_forms(text: str, incident_date: dt.date | None) -> list[Mention]:
    """Every form of `_NAMED_FORMS`, in order: "Vic Lund of Ogden was arrested" -> name,
    residence; "Jane Roe, DOB: 9-20-88" -> name, age; "Chris Lane, Huntington Beach, is
    charged" -> name, residence."""
    out = []
    for form in _NAMED_FORMS:
        for m in form.matches(text):
            found = _named(m, 2)
            if not found or (form.skip and form.skip(text, m)):
                continue
            start, name = found
            dob = m.group("dob") if form.dob else None
            age = _age_at(dob, incident_date) if dob else None
            out.append(
                Mention(
                    start,
                    m.end("name") if form.mention_ends_at_name else m.end(),
                    name,
                    age,
                    _clean_place(m.group(form.residence)) if form.residence else None,
                    bool(age is not None and age < 18),
                    dob,
                    title_role=_title_role(text, start),
                )
            )
    return out


_EACH_TOWN = re.compile(rf"one\s+(?:from|of)\s+({PLACE})")


def _age_groups(text: str, incident_date: dt.date | None) -> list[Mention]:
    """Several unnamed people of one age: "two 17-year-olds, one from Northfield and one from
    Granby" -> two people aged 17, each with a town (their slots 1 and 2)."""
    out: list[Mention] = []
    if "olds" not in text:  # every AGE_GROUP match holds "year-olds" (or "year olds")
        return out
    for m in AGE_GROUP.finditer(text):
        n = m.group("n").lower()
        count = int(n) if n.isdigit() else _GROUP_N[n]
        age = int(m.group("age"))
        towns = _EACH_TOWN.findall(m.group("each") or "")
        for k in range(count):
            town = _clean_place(towns[k]) if k < len(towns) else None
            out.append(Mention(m.start(), m.end(), None, age, town, age < 18, slot=k + 1))
    return out


def _age_before_name(text: str, incident_date: dt.date | None) -> list[Mention]:
    """An age before a person: "52-year-old Mary Blair of Winnebago" -> age, name, residence;
    "a 16-year-old male juvenile" -> age, noun (unnamed); "a 19-year-old Essex resident" ->
    age, residence (the capitalised word was a town)."""
    out: list[Mention] = []
    if "year" not in text:  # every AGE_NAME match holds "year-old" (or "years old")
        return out
    for m in AGE_NAME.finditer(text):
        age = int(m.group("age"))
        name = _clean_name(m.group("name"))
        noun = (m.group("noun") or "").strip().lower() or None
        if name and m.group("res") is None:
            # "a 19-year-old Essex resident", "a 22-year-old Brooklyn man": a town, not a name
            nm = _PLACE_NOUN.match(text[m.end() : m.end() + 30])
            if nm:
                noun2 = nm.group(1).lower()
                out.append(
                    Mention(
                        m.start(),
                        m.end() + nm.end(),
                        None,
                        age,
                        name,
                        age < 18 or bool(JUVENILE_WORDS.search(noun2)),
                        noun=noun2,
                    )
                )
                continue
        juvenile = age < 18 or bool(noun and JUVENILE_WORDS.search(noun))
        out.append(
            Mention(
                m.start(),
                m.end(),
                name,
                age,
                _clean_place(m.group("res")),
                juvenile,
                title_role=_title_role(text, m.start()),
                noun=noun,
            )
        )
    return out


_TITLED_NAME = re.compile(
    rf"(?=[A-Z])\b(?P<title>[A-Z][A-Za-z.']*(?:\s+[A-Z][A-Za-z.']*){{0,3}})\s+(?P<name>{NAME})"
)


def _titled_names(text: str, incident_date: dt.date | None) -> list[Mention]:
    """A name after a title of data/names.toml: "Sgt. Dale Ames" -> name, officer; "District
    Attorney Ann Roe" -> name, other."""
    nd = _names_data()
    out = []
    for m in _TITLED_NAME.finditer(text):
        title = m.group("title")
        role = None
        if nd["officer"].search(title + " "):
            role = "officer"
        elif nd["other"].search(title + " "):
            role = "other"
        if role is None:
            continue
        found = _named(m, 2)
        if not found:
            continue
        s, name = found
        out.append(Mention(s, s + len(name), name, title_role=role))
    return out


@dataclass(frozen=True)
class _Intro:
    """A wording that introduces a bare name (no age, no town); the intros differ only in how
    their matches are found, when they run and which words before the name make it no
    person."""

    example: str  # the wording, and what is read from it
    matches: Callable[[str], Iterable[re.Match]]
    runs: Callable[[str], bool] | None = None  # run only when its key word is in the text
    # words right before the name that make it something else ("the trial of" is the intro's
    # own "of"; "of Town was arrested" is a town); None: no such words
    lead: re.Pattern | None = None
    after_town_list: bool = False  # "McDougall, 81, Laguna Woods, is charged": the town
    coordinated: bool = True  # names joined by "and" after it are mentions too


_LEAD_ARTICLE = re.compile(r"\b(?:a|an|the|former)\s+$")
_LEAD_ARTICLE_OR_PLACE = re.compile(r"\b(?:of|from|in|a|an|the|former)\s+$")
_AGE_BEFORE = re.compile(r"\b\d{1,2},\s*$")
_NAME_COMMA_BEFORE = re.compile(rf"{NAME},\s*$")

_INTROS = (
    _Intro(
        '"police arrested Dale Ames", "identified the man as Dale Ames" -> name',
        INTRO_BEFORE.finditer,
        lead=_LEAD_ARTICLE,
    ),
    _Intro(
        '"Dale Ames was arrested", "Dale Ames pleaded guilty" -> name',
        _intro_after_matches,
        lead=_LEAD_ARTICLE_OR_PLACE,
        after_town_list=True,
        coordinated=False,
    ),
    _Intro(
        '"A jury today found Clifford Roe guilty" -> name',
        INTRO_VERDICT.finditer,
        runs=lambda text: "guilty" in text,
        lead=_LEAD_ARTICLE,
    ),
    _Intro(
        '"the Guilty Verdict in the Frank Roe Trial" -> name',
        INTRO_CASE_NAME.finditer,
        runs=lambda text: bool(_CASE_WORD.search(text)),
    ),
    _Intro(
        '"an arrest warrant for Dale Ames", "the Conviction of Jamal Roe" -> name',
        lambda text: _paper_matches(text),
        lead=_LEAD_ARTICLE,
    ),
)


def _introduced_names(text: str, incident_date: dt.date | None) -> list[Mention]:
    """Every intro of `_INTROS`, in order: "police arrested Dale Ames and Ann Roe" -> two
    names; "Dale Ames was arrested" -> name; "the trial of Jamal Roe" -> name."""
    out = []
    for intro in _INTROS:
        if intro.runs and not intro.runs(text):
            continue
        for m in intro.matches(text):
            found = _named(m, 2)
            if not found:
                continue
            s, name = found
            window = text[max(0, s - 10) : s]
            if (
                _AGE_BEFORE.search(window)
                or (intro.lead and intro.lead.search(window))
                or (intro.after_town_list and _NAME_COMMA_BEFORE.search(text[max(0, s - 60) : s]))
            ):
                continue  # "McDougall, 81, Laguna Woods, is charged": a town, not a person
            out.append(Mention(s, s + len(name), name, title_role=_title_role(text, s)))
            if intro.coordinated:
                out.extend(_coordinated_names(text, m.end("name")))
    return out


# the passes of find_mentions, in order (mentions of one start keep this order)
_MENTION_PASSES: tuple[Callable[[str, dt.date | None], list[Mention]], ...] = (
    _accused_blocks,
    _name_age,
    _rosters,
    _named_forms,
    _age_groups,
    _age_before_name,
    _titled_names,
    _introduced_names,
)


def find_mentions(text: str, incident_date: dt.date | None = None) -> list[Mention]:
    """Every person mention in text order (named or described by age): the mentions of each
    pass of `_MENTION_PASSES`, sorted by where they start."""
    out: list[Mention] = []
    for read in _MENTION_PASSES:
        out.extend(read(text, incident_date))
    out.sort(key=lambda x: x.start)
    return out


# (also "Oren Roe and his twin brother Alon Roe")
_AND_NAME = re.compile(
    rf"[ \t]*(?:,[ \t]*(?:and[ \t]+|&[ \t]+)?|and[ \t]+|&[ \t]+)"
    rf"(?:(?:his|her|their)[ \t]+(?:twin[ \t]+)?(?:{_RELATION})[ \t]*,?[ \t]+)?(?P<name>{NAME})"
)


def _coordinated_names(text: str, pos: int) -> list[Mention]:
    """Names joined to an introduced name by "and" / commas ("charging Lena Ortiz and Paul
    Graves with"): each is a mention too."""
    out = []
    for _ in range(6):
        m = _AND_NAME.match(text, pos)
        if not m:
            break
        name = _clean_name(m.group("name"))
        if not name or len(name.split()) < 2:
            break
        s = m.start("name") + m.group("name").find(name.split()[0])
        out.append(Mention(s, s + len(name), name, title_role=_title_role(text, s)))
        pos = m.end("name")
    return out


# what may stand between a first name and the surname at the end of a text: middle initials
# and short middle names ("Dale R. Ames", "Dale Lee Ames")
_TO_SURNAME = re.compile(r"\s+(?:[A-Z]\.?\s+|[A-Z][a-z]{1,3}\s+)*$")


def _first_name_before(text: str, pos: int, name: str | None) -> bool:
    """True when `name`'s first name is written just before the surname at `pos`, maybe with
    middle initials between: "Chase R. Ames" at "Ames" for "Chase Ames". The first name is
    found by a string search (no regex is built per name), starting a word."""
    first = (name or "").split()[0] if name else ""
    if not first:
        return False
    window = text[max(0, pos - 40) : pos]
    starts_word = _is_word_char(first[0])
    i = window.find(first)
    while i >= 0:
        word_before = i > 0 and _is_word_char(window[i - 1])
        if word_before != starts_word and _TO_SURNAME.match(window, i + len(first)):
            return True
        i = window.find(first, i + 1)
    return False


def _same(a: Person, m: Mention) -> bool:
    if a.name and m.name and a.name.replace(" ", "").lower() == m.name.replace(" ", "").lower():
        return True  # "Chance Van Hof Wegen" is "Chance Van Hofwegen" misspaced
    if a.name and m.name:
        sa, sm = surname_of(a.name), surname_of(m.name)
        if sa != sm:
            # "Cajigas" alone matches "Jose Cajigas"
            return False
        if len(a.name.split()) > len(m.name.split()) and a.name.endswith(" " + m.name):
            return True  # "Running Horse faces charges": the two-word surname of Cody Running Horse
        fa, fm = a.name.split()[0], m.name.split()[0]
        if len(a.name.split()) > 1 and len(m.name.split()) > 1 and fa != fm:
            if not (fa[0] == fm[0] and (len(fa) <= 2 or len(fm) <= 2)):
                return False
        if a.age and m.age and a.age != m.age:
            return False
        return True
    if a.name is None and m.name is None:
        slots = {x.slot for x in a.mentions}
        if m.slot or any(slots):
            return m.slot in slots and a.age == m.age  # group members are different people
        return a.age is not None and a.age == m.age
    return False


def _is_word_char(ch: str) -> bool:
    """A regex word character (`\\w`): a letter, digit or underscore, in any script."""
    return ch.isalnum() or ch == "_"


def _standalone_at(text: str, i: int, j: int) -> bool:
    """Whether `text[i:j]` stands alone as a word: no word character or hyphen touches it on
    either side, and it is not a possessive ("Smith's car", "Williams' boyfriend")."""
    if i > 0 and (_is_word_char(text[i - 1]) or text[i - 1] == "-"):
        return False  # "Jones" inside "Smith-Jones" or "Ajones"
    if j == len(text):
        return True
    nxt = text[j]
    if _is_word_char(nxt) or nxt == "-":
        return False  # "Smith" inside "Smithson" or "Smith-Jones"
    if nxt == "'":
        after = text[j + 1 : j + 2]
        if not after or not _is_word_char(after):
            return False  # "Williams' boyfriend"
        if after == "s" and (j + 2 == len(text) or not _is_word_char(text[j + 2])):
            return False  # "Smith's car"
    return True


def _occurrences(text: str, word: str) -> list[int]:
    """Offsets where `word` is written as a word of its own, not a part of a longer word or
    hyphenated name and not a possessive, which names someone else's thing: in "Smith's car
    hit Smith-Jones; Smith fled" only the last "Smith" counts. A plain string search (no
    regex is built per name)."""
    out = []
    size = len(word)
    i = text.find(word)
    while i >= 0:
        if _standalone_at(text, i, i + size):
            out.append(i)
            i = text.find(word, i + size)
        else:
            i = text.find(word, i + 1)
    return out


# "<Name>, 79, of Irvine, has been charged", "<Name> was arrested": the subject of an arrest
# (also "Officer Dale Ames who was charged with murder": an officer who is a defendant)
_ARREST_SUBJECT = re.compile(
    r"(?:,[^.;]{0,60}?,)?\s+(?:who\s+)?(?:has been|have been|was|were|is|are)\s+(?:\w+\s+)?"
    r"(?:charged|arrested|indicted|booked|arraigned|cited|convicted|sentenced)\b"
)
# words between an arrest word and a name that make the name the object of another act
_ACT_ON = re.compile(
    r"\b(?:\w+ing|(?!(?:charged|arrested|booked|cited|indicted|arraigned|detained|apprehended|"
    r"accused|named|identified)\b)\w+ed|shot|struck|hit|that|who|whom|on|against|with|"
    r"victim)\b",
    re.I,
)


_QUESTIONED = compile_guarded(
    r"\bfor questioning\b|\b(?:detained|questioned|interviewed|stopped)\s+and\s+(?:later\s+)?"
    r"released\b|\breleased without (?:being )?(?:charged|charges|arrest)",
    re.I,
)
_REAL_ARREST = re.compile(
    r"\b(?:charged|booked|cited|indicted|arraigned|arrested|jailed)\b(?!\s+(?:and\s+)?released)",
    re.I,
)


# a titled person who is the object of court news is its defendant, title and all: "the
# sentencing of former police officer Ann Roe", "Guilty Plea by Former Bay City Mayor Tom Roe"
_COURT_OBJECT = re.compile(
    r"(?i:(?:re-?)?sentencing of|convictions? of|plea by|trial of|indictment of|arrests? of|"
    r"charges against|prosecution of|case against|charging of|filed against|indicted|charged|"
    r"arrested|identified the defendants? as)\s+(?:(?i:the|former)\s+)*"
    r"(?:(?:[A-Z][\w.'\u2019-]*|police|officer|deputy|state|county|city)\s+){0,6}$"
)


# "Jane Doe" / "Baby Doe" stand for an unidentified victim, "John Doe" for an unknown person
_PLACEHOLDER = re.compile(r"(?:Jane|John|Baby|Janet) Does?\b")
_KIN_POSSESSIVE = re.compile(
    r"(?:'s|s')\s+(?:mother|father|brother|sister|wife|husband|girlfriend|"
    r"boyfriend|son|daughter|friend|attorney|lawyer)\b"
)
_NOT_CHARGED = re.compile(
    r"[^.;]{0,40}?\b(?:was|were|has|had|is)\s+not\s+(?:been\s+)?(?:charged|arrested)"
)
_OTHER_SUBJECT = re.compile(
    r"\b(?:victim|witness|officer|deputy|detective|he told|she told)\b", re.I
)
_OBJECT_OF_ARREST = re.compile(
    r"(?:arrested|charged|booked|cited|indicted|arraigned|detained|apprehended|"
    r"sentenced|convicted|"
    r"defendants?|custody|identified (?:\w+ ){0,3}as|accused|suspects?|"
    r"charges against|arrests? of|charging|warrants? for|complaint against|"
    r"indictment (?:against|of)|case against|prosecution of|convictions? of|"
    r"(?:re-?)?sentencing of|trial of|plea by|found|the defendant,|charging of|"
    r"filed against|verdict in the)"
    r"\s*(?P<gap>(?:[\w,'&-]+\s+){0,6})$",
    re.I,
)


def _placeholder_role(text: str, person: Person) -> str | None:
    """A legal placeholder name, a general rule: "Jane Doe" / "Baby Doe" -> victim (an
    unidentified victim), "John Doe" -> other (an unknown person, e.g. on a warrant)."""
    if person.name and _PLACEHOLDER.match(person.name):
        return "victim" if person.name.startswith(("Jane", "Baby", "Janet")) else "other"
    return None


def _roster_role(text: str, person: Person) -> str | None:
    """A roster entry or a header over a charge list: "Name: Travis Dockery\\nCharges: ..."
    -> arrestee."""
    return "arrestee" if any(m.noun == "roster" for m in person.mentions) else None


def _titled_role(text: str, person: Person) -> str | None:
    """A person written with a title: "Sgt. Dale Ames said" -> officer, "Mayor Ann Roe" ->
    other; but "Dr. Lena Ortiz, 61, of Riverton, has been charged" and "the sentencing of
    former officer Ann Roe" -> arrestee (a title does not hide the subject of an arrest)."""
    titled = [m.title_role for m in person.mentions if m.title_role]
    if not titled:
        return None
    subject = any(
        _ARREST_SUBJECT.match(text, x + len(person.name or ""))
        or (person.surname and _ARREST_SUBJECT.match(text, x + len(person.surname)))
        for x in person.positions
        if text.startswith(person.name or "\x00", x)
        or (person.surname and text.startswith(person.surname, x))
    )
    if subject or any(_COURT_OBJECT.search(text, max(0, x - 90), x) for x in person.positions):
        return "arrestee"
    return "officer" if "officer" in titled else "other"


def _no_arrest_here(sentence: str, after_name: str) -> bool:
    """Wording that says this place is no arrest of the person: "Roe's attorney" (someone
    else), "was detained for questioning and released", "Roe was not charged"."""
    if _KIN_POSSESSIVE.search(after_name[:30]):
        return True
    if _QUESTIONED.search(sentence) and not _REAL_ARREST.search(sentence):
        return True
    return bool(_NOT_CHARGED.match(after_name))


def _arrest_of_this_person(before: str, after_name: str, sentence: str) -> bool:
    """An arrest word of the sentence concerns the person: they are the subject before the
    verb ("Dale Ames was charged") or the object right after it ("police arrested Dale Ames"),
    not the object of another act ("accused of killing 26-year-old Ana Ruiz")."""
    if not ARREST_CUE.search(sentence):
        return False
    cue_after = ARREST_CUE.search(after_name)
    if cue_after and not _OTHER_SUBJECT.search(after_name[: cue_after.start()]):
        return True
    if ARREST_CUE.search(before[-80:]):
        gap = _OBJECT_OF_ARREST.search(before[-80:])
        return bool(gap and not _ACT_ON.search(gap.group("gap")))
    return False


def _name_length_at(text: str, person: Person, pos: int) -> int:
    """How long the person's name written at `pos` is: the full name, the bare surname or 0."""
    if person.name and text.startswith(person.name, pos):
        return len(person.name)
    if person.surname and text.startswith(person.surname, pos):
        return len(person.surname)
    return 0


def _reading_at(text: str, person: Person, pos: int, spans: list[tuple[int, int]]) -> str | None:
    """What the sentence around one place the person is written says of them: "victim"
    ("the shooting death of his brother, Paul Kent"), "arrest" ("Paul Kent was charged"),
    "officer" / "other" (a title: "Sgt. Paul Kent said", the last word on the role), or None."""
    a, b = next(((a, b) for a, b in spans if a <= pos < b), (pos, pos))
    before = text[a:pos]
    name_len = _name_length_at(text, person, pos)
    after_name = text[pos:b][name_len:]
    if victim_score(before, after_name) > 0:
        return "victim"
    title = _title_role(text, pos)
    if title:
        if _COURT_OBJECT.search(text, max(0, pos - 90), pos) or _ARREST_SUBJECT.match(
            text, pos + name_len
        ):
            return "arrest"  # "indicted Sheriff's Office Sgt. Dale Ames on a charge"
        return title
    sentence = text[a:b]
    if _no_arrest_here(sentence, after_name):
        return None
    return "arrest" if _arrest_of_this_person(before, after_name, sentence) else None


def _role_from_sentences(text: str, person: Person, spans: list[tuple[int, int]]) -> str:
    """The role the sentences around the person's positions give, read in text order: an
    arrest anywhere -> arrestee, else a victim reading -> victim, else other; a title at a
    position decides at once ("Sgt. Paul Kent said" -> officer)."""
    victim = False
    arrest = False
    for pos in sorted(set(person.positions)):
        reading = _reading_at(text, person, pos, spans)
        if reading in ("officer", "other"):
            return reading
        victim = victim or reading == "victim"
        arrest = arrest or reading == "arrest"
    if arrest:
        return "arrestee"
    if victim:
        return "victim"
    return "other"


# the passes of _role, in order: the first that decides gives the role
_ROLE_PASSES: tuple[Callable[[str, Person], str | None], ...] = (
    _placeholder_role,
    _roster_role,
    _titled_role,
)


def _role(text: str, person: Person, spans: list[tuple[int, int]]) -> str:
    """officer / other / victim / arrestee: the first of `_ROLE_PASSES` that decides (a
    placeholder name, a roster entry, a title), else what the sentences around the person's
    positions say."""
    for decide in _ROLE_PASSES:
        role = decide(text, person)
        if role:
            return role
    return _role_from_sentences(text, person, spans)


# "... located two 17-year-olds in the yard. Both were cited for trespass."
_GROUP_NEXT = re.compile(
    r"\s*(?:Both|All|They|All (?:two|three|four|five)|The (?:two|three|four|five)\b[^.]{0,30}?)"
    r"\s+(?:were|have been|had been|are)\s+(?:\w+\s+){0,2}?(?:arrested|charged|cited|booked|"
    r"taken into custody|detained|referred to (?:the )?juvenile|petitioned)"
)
# "The juvenile was taken to the detention center and charged with ...": the unnamed
# juvenile told of before
_JUVENILE_SUBJECT = re.compile(
    r"\s*[\"']?(?:The|This|That)\s+(?:(?P<age>\d{1,2})[- ]year[- ]old\s*)?(?:(?:juvenile|teen|"
    r"teenager|teenage|boy|girl|youth|minor|male|female)\b\s*){0,2}"
    r"(?<=\s)(?:was|were|is|has been)\s+(?:[\w,'-]+\s+){0,8}?(?:arrested|charged|cited|"
    r"booked|taken into custody|detained|referred to (?:the )?juvenile|petitioned)"
)


_JUVENILE_OR_AGE = re.compile(r"juvenile|teen|boy|girl|youth|minor|year", re.I)


def _refer_back(text: str, people: list[Person], spans: list[tuple[int, int]]) -> list[Person]:
    """Sentences whose subject is "the juvenile" / "the 16-year-old" and whose verb is an
    arrest make the latest unnamed juvenile (of that age) before them an arrestee, and the
    sentence one of their positions."""
    for a, _b in spans:
        m = _JUVENILE_SUBJECT.match(text, a)
        if not m or not _JUVENILE_OR_AGE.search(m.group(0)):
            continue
        age = int(m.group("age")) if m.group("age") else None
        cands = [
            (max(x for x in p.positions if x < a), p)
            for p in people
            if p.name is None
            and (p.juvenile if age is None else p.age == age)
            and any(x < a for x in p.positions)
        ]
        if not cands:
            continue
        _pos, p = max(cands, key=lambda t: t[0])
        if p.role != "victim":
            p.role = "arrestee"
            p.positions.append(a)
    return people


# every _AKA match holds one of these, in some case: a text without them has no alias
_AKA_WORDS = ("a.k.a", "aka", "also known as")
_AKA = compile_guarded(
    r"[ \t]*,?[ \t]*(?:a\.k\.a\.?|aka|also known as)[ \t]+(?:"
    # a quoted alias, wherever it stands: "also known as 'Flaco'," / "a.k.a. \u201cFlaco,\u201d"
    r"(?:\"[^\"\n]{1,30}\"|\u201c[^\u201d\n]{1,30}\u201d|'[^'\n]{1,30}'|\u2018[^\u2019\n]{1,30}\u2019)"
    r"(?=[ \t]*[,;.]|[ \t]+(?:was|is|has|had|were|who|and|of|from|pleaded|faces)\b)"
    # an unquoted alias before the age: "a.k.a. Ray Dunn, 48"
    r"|[\"\u201c]?[A-Z][^,;\n]{0,40}?[\"\u201d]?(?=[ \t]*,[ \t]*(?:age[ \t]+)?\d{1,2}\b))",
    re.I,
)


_LIST_GAP = re.compile(
    rf"\s*,?[ \t]*(?:(?:both|all|each)[ \t]+(?:of|from)[ \t]+{PLACE}[ \t]*,?[ \t]*)?"
    r"(?:and|&)?\s*"
)


_LIST_JOINER = re.compile(r",|\band\b|&")


def _share_list_roles(
    text: str, people: list[Person], spans: list[tuple[int, int]]
) -> list[Person]:
    """People written as one list ("A, 71, and B, 37, both of X, and C, 54, of Y") share the
    arrest told of: an untitled "other" in a list with an arrestee becomes an arrestee."""
    owner = {id(m): p for p in people for m in p.mentions}
    listed = sorted(
        (m for p in people for m in p.mentions if m.name and m.age is not None),
        key=lambda m: m.start,
    )
    groups: list[list[Person]] = []
    for prev, cur in zip(listed, listed[1:], strict=False):
        gap = _LIST_GAP.fullmatch(text, prev.end, cur.start)
        seg = text[prev.end : cur.start]
        # a line break inside a list written "A, 27,\n, B, 38" (markup breaks) is still the list;
        # lines with no comma or "and" between them are separate entries
        if not gap or ("\n" in seg and not _LIST_JOINER.search(seg)):
            continue
        a, b = owner[id(prev)], owner[id(cur)]
        if groups and a in groups[-1]:
            groups[-1].append(b)
        else:
            groups.append([a, b])
    for group in groups:
        if any(p.role == "arrestee" for p in group):
            for p in group:
                if p.role == "other" and not any(m.title_role for m in p.mentions):
                    p.role = "arrestee"
    return people


# "The following people were arrested:", "Charged in the case are:", "Defendants:": a list of the
# people arrested follows
_LIST_INTRO = re.compile(
    r"\b(?:arrested|charged|charges|charging|booked|cited|indicted|arraigned|sentenced|convicted|"
    r"pleaded guilty|"
    r"taken into custody|defendants|arrestees|accused)\b[^.:\n]{0,80}:"
    r"|\bfollowing (?:people|persons|individuals|suspects|defendants|drivers|adults|men|women|"
    r"arrestees|juveniles)\b[^.:\n]{0,80}:$",
    re.I,
)
_BULLET = r"(?:[-*\u2022\u25cf\u25aa\u2013]|\d{1,2}[.)])"
_ITEM_START = re.compile(rf"(?:\n|(?<=\s){_BULLET})[ \t]*(?:{_BULLET}[ \t]+)?$")
_COLON = re.compile(":")
_FIRST_ITEM_GAP = re.compile(rf"\s*(?:{_BULLET}[ \t]+)?")
_BULLET_AT = re.compile(rf"\s*{_BULLET}")


def _share_intro_lists(
    text: str, people: list[Person], spans: list[tuple[int, int]]
) -> list[Person]:
    """People listed one per line or bullet after an arrest intro ("The following defendants
    were charged:\n- Al Ford, 22, of Vale\n- Bo Green, 31") are arrestees. The list ends at a
    prose line (a line that starts with no bullet and no listed person)."""
    if ":" not in text:
        return people
    owner = {id(m): p for p in people for m in p.mentions}
    listed = sorted(
        (m for p in people for m in p.mentions if m.name and m.age is not None),
        key=lambda m: m.start,
    )
    if not listed:
        return people
    for colon in _COLON.finditer(text):
        c = colon.end()
        if not _LIST_INTRO.search(text, max(0, c - 140), c):
            continue
        prev_end = c
        for m in listed:
            if m.start < c:
                continue
            gap = text[prev_end : m.start]
            first = prev_end == c
            if first and not _FIRST_ITEM_GAP.fullmatch(gap):
                break
            if not first:
                if not _ITEM_START.search(gap):
                    continue  # a name inside an item ("... was with Bo Green, 31"): read on
                lines = gap.split("\n")[1:-1]
                if any(ln.strip() and not _BULLET_AT.match(ln) for ln in lines):
                    break
            p = owner[id(m)]
            if p.role in ("other", "victim") and not any(x.title_role for x in p.mentions):
                p.role = "arrestee"
            prev_end = m.end
    return people


def mask_aliases(text: str) -> str:
    """`text` with "a.k.a." aliases blanked out (same length, so offsets stay): "Ray Boyle,
    a.k.a. Ray Dunn, 48, of Alden" reads as "Ray Boyle, 48, of Alden"."""
    if not may_hold(text, _AKA_WORDS):
        return text
    return _AKA.sub(lambda m: " " * len(m.group(0)), text)


def _merge_mentions(mentions: list[Mention]) -> list[Person]:
    """Mentions of one person made one Person, in order of first mention: "Jose Cajigas, 31"
    and "Cajigas was arrested" (same surname), "a 15-year-old male" and "the 15-year-old"
    (same age, unnamed). The longest spelling of the name is kept, and the first age and
    residence."""
    people: list[Person] = []
    for m in mentions:
        target = next((p for p in people if _same(p, m)), None)
        if target is None:
            target = Person(m.name, first_pos=m.start)
            people.append(target)
        target.mentions.append(m)
        target.positions.append(m.start)
        if m.name and (
            not target.name
            or len(m.name.split()) > len(target.name.split())
            and m.name.replace(" ", "").lower() != target.name.replace(" ", "").lower()
        ):
            target.name = m.name
        if m.age is not None and target.age is None:
            target.age = m.age
        if m.residence and not target.residence:
            target.residence = m.residence
        target.juvenile = target.juvenile or m.juvenile
    return people


def _fold_surnames(text: str, people: list[Person], spans: list[tuple[int, int]]) -> list[Person]:
    """A person known by one word only folded into the full name with that surname:
    "Cajigas" (met first in "the arrest of Cajigas") into "Jose Cajigas"."""
    merged: list[Person] = []
    for p in people:
        host = None
        if p.name and len(p.name.split()) == 1:
            host = next(
                (
                    q
                    for q in people
                    if q is not p
                    and q.name
                    and len(q.name.split()) > 1
                    and surname_of(q.name) == p.name
                ),
                None,
            )
        if host is not None:
            host.mentions.extend(p.mentions)
            host.positions.extend(p.positions)
            host.age = host.age if host.age is not None else p.age
            host.residence = host.residence or p.residence
            host.juvenile = host.juvenile or p.juvenile
            host.first_pos = min(host.first_pos, p.first_pos)
        else:
            merged.append(p)
    return merged


_BOTH_OF = re.compile(rf"\b(?P<n>both|all|each)\s+(?:of|from)\s+(?P<res>{PLACE})")


def _share_both_of(text: str, people: list[Person], spans: list[tuple[int, int]]) -> list[Person]:
    """ "A, 29, and B, 22, both of Town" -> the town is the residence of both (of everyone
    just before it whose residence is not said)."""
    for m in _BOTH_OF.finditer(text):
        res = _clean_place(m.group("res"))
        cands = [
            p
            for p in people
            if p.residence is None
            and (p.name or p.age is not None)
            and any(
                0 < m.start() - x.end < 120 or 0 < m.start() - x.start < 200 for x in p.mentions
            )
        ]
        for p in cands:
            p.residence = res
    return people


def _gather_positions(
    text: str, people: list[Person], spans: list[tuple[int, int]]
) -> list[Person]:
    """Every place the release names each person, by full name or bare surname: "Dale Ames,
    30, ... Ames was held" -> both offsets. Relatives sharing a surname: a bare surname is
    theirs only after their own first name ("Chase Van Hofwegen" is not his brother
    Chance's). A person under 18 is a juvenile."""
    for p in people:
        if p.surname and (len(p.surname) > 2):
            kin = [q for q in people if q is not p and q.surname == p.surname and q.name]
            for x in _occurrences(text, p.surname):
                if not kin or _first_name_before(text, x, p.name):
                    p.positions.append(x)
        if p.name and p.name != p.surname:
            p.positions.extend(_occurrences(text, p.name))
        p.positions = sorted(set(p.positions))
        kin = [q for q in people if q is not p and q.surname == p.surname and q.name]
        if kin and p.surname:
            p.positions = [
                x
                for x in p.positions
                if not text.startswith(p.surname, x)
                or _first_name_before(text, x, p.name)
                or not any(_first_name_before(text, x, q.name) for q in kin)
            ]
        if p.age is not None and p.age < 18:
            p.juvenile = True
    return people


def _assign_roles(text: str, people: list[Person], spans: list[tuple[int, int]]) -> list[Person]:
    """Each person's role from their own mentions and positions (`_role`): "Sgt. Dale Ames"
    -> officer, "Paul Kent was charged" -> arrestee."""
    for p in people:
        p.role = _role(text, p, spans)
    return people


_UNNAMED_VICTIM_NOUN = re.compile(r"victim|pedestrian|decedent")
_OWNED_AGE = re.compile(r"\b(?:his|her|their|its|two|three|four|both)\s+\d")
# "A 15-year-old male was arrested"; "A 52-year-old Katy man who stabbed his neighbor, leaving
# him blind, has been convicted": the arrest verbs of data/people.toml but "accused" (in "the
# 7-year-old girl, Lehmann is accused" the subject is named), and a "who" clause of up to 200
# characters between the described person and the verb
_UNNAMED_VERBS = "|".join(
    re.escape(w)
    for w in vocab.words(VOCAB, "arrest_verbs") + vocab.words(VOCAB, "minor_arrest_verbs")
    if w != "accused"
)
_UNNAMED_SUBJECT = re.compile(
    r"(?:[^.;]{0,60}?|,?\s+who\b[^.;]{0,200}?)\b(?:was|were|has been|had been|is|are|will be)"
    rf"\s+(?:\w+\s+){{0,2}}?(?:{_UNNAMED_VERBS}|"
    r"detained|referred to (?:the )?juvenile|held|apprehended)"
)
# "the murder of a 31-year-old woman has been sentenced": after a preposition, not the subject
_PREPOSITION_BEFORE = re.compile(
    r"\b(?:of|with|against|for|by|from|to|on|at|toward|upon|about)\s+$", re.I
)
# "Gutridge, then 37 years old, is accused", "John Ly turned 18 years old": the age of someone
# named before, not another person
_NAMED_AGE_BEFORE = re.compile(r"\b(?:then|turned|turns|turning)\s+$")
_UNNAMED_OBJECT = re.compile(
    r"(?:(?:arrested|charged|cited|booked|detained|apprehended|custody)\s+"
    r"(?:\w+\s+){0,3}|identified\s+(?:him\s+|her\s+)?as\s+(?:an?\s+|the\s+)?)$"
)


def _unnamed_role(text: str, p: Person, spans: list[tuple[int, int]]) -> str:
    """The role of an unnamed person, from the first of their mentions that tells: "a 15-year-
    old pedestrian" / "charged in the death of a 16-year-old boy" -> victim; "A 15-year-old
    male was arrested", "police arrested a 16-year-old" -> arrestee; else other. "his 16-year-
    old son" (someone's relative) tells nothing."""
    for m in p.mentions:
        if m.noun and _UNNAMED_VICTIM_NOUN.search(m.noun):
            return "victim"
        a0 = next((a for a, b in spans if a <= m.start < b), max(0, m.start - 90))
        if victim_score(text[a0 : m.start], text[m.end : m.end + 80]) > 0:
            return "victim"
        det = text[max(0, m.start - 12) : m.start + 6].lower()
        if not m.slot and (_OWNED_AGE.search(det) or _NAMED_AGE_BEFORE.search(det[:12])):
            continue
        b = next((b for a, b in spans if a <= m.start < b), m.end)
        after = text[m.end : b]
        before = text[max(0, m.start - 60) : m.start]
        if (
            (_UNNAMED_SUBJECT.match(after) and not _PREPOSITION_BEFORE.search(before))
            or _UNNAMED_OBJECT.search(before)
            or (m.slot and _GROUP_NEXT.match(text, b, b + 200))
        ):
            return "arrestee"
    return "other"


def _unnamed_roles(text: str, people: list[Person], spans: list[tuple[int, int]]) -> list[Person]:
    """Every unnamed person's role (`_unnamed_role`): "A 15-year-old male was arrested" ->
    arrestee."""
    for p in people:
        if p.name is None:
            p.role = _unnamed_role(text, p, spans)
    return people


_SAID = re.compile(r"\s*(?:,[^,]{0,40},\s*)?(?:said|says|told|stated|added|noted|explained)\b")
_NAME_FIRST = re.compile(rf"[ \t\n]*(?P<name>{NAME})")
_LEAD_SENTENCES = 4  # sentences after the lead's, read for the name of its defendant


def _lead_subject(
    text: str, p: Person, named: list[Person], spans: list[tuple[int, int]]
) -> Person | None:
    """Who the lead's unnamed arrestee ``p`` is when nothing else says: the first sentence of
    the next few that begins with a full name, unless that name is only quoted ("Ray Holt
    said") or is someone else (titled, of another age, a victim). "A 41-year-old Alvin woman
    was sentenced ... Marla Quist set the fire" -> Marla Quist, who may not have been a
    mention yet (then a new person)."""
    if p.role != "arrestee" or p.juvenile or any(m.slot for m in p.mentions):
        return None
    after = [(a, b) for a, b in spans if a > p.first_pos][:_LEAD_SENTENCES]
    for a, b in after:
        m = _NAME_FIRST.match(text, a, b)
        found = _named(m, 2) if m else None
        if not found:
            continue  # a quote, "Prosecutors said ...": read on
        start, name = found
        if _SAID.match(text, start + len(name)) or _title_role(text, start):
            return None
        known = next((q for q in named if q.name == name or start in q.positions), None)
        if known is None:
            return Person(name, mentions=[Mention(start, start + len(name), name)],
                          positions=[start], first_pos=start)  # fmt: skip
        if known.role == "other" and known.age in (None, p.age):
            return known
        return None
    return None


def _fold_unnamed(text: str, people: list[Person], spans: list[tuple[int, int]]) -> list[Person]:
    """An unnamed mention of a named person folded into them: "An 81-year-old man has been
    charged ... William McDougall, 81" -> one arrestee; "A 42-year-old teacher was arraigned
    ... Dale Ortiz, Westfield, is charged" -> the one named arrestee, aged 42."""
    named = [p for p in people if p.name]
    for p in [p for p in people if p.name is None]:
        same_age = [q for q in named if q.age == p.age and q.age is not None]
        if len(same_age) > 1 and p.role == "arrestee":
            # "a 20-year-old man was indicted ... Craig Dunmore, 20 ... his girlfriend, 20":
            # the unnamed arrestee is the named arrestee
            same_age = [q for q in same_age if q.role == "arrestee"]
        named_arrestees = [q for q in named if q.role == "arrestee"]
        if (
            not same_age
            and p.role == "arrestee"
            and not p.juvenile
            and not any(m.slot for m in p.mentions)
            and len(named_arrestees) == 1
            and named_arrestees[0].age is None
            and p.first_pos < named_arrestees[0].first_pos
        ):
            # the lead's unnamed arrestee is the one named arrestee, age unsaid
            same_age = named_arrestees
            named_arrestees[0].age = p.age
        if not same_age and not named_arrestees:
            # "A 41-year-old Alvin woman was sentenced ... Marla Quist set the fire"
            subject = _lead_subject(text, p, named, spans)
            if subject is not None:
                subject.age = subject.age or p.age
                if subject not in people:
                    people.append(subject)
                    named.append(subject)
                same_age = [subject]
        if len(same_age) == 1:
            q = same_age[0]
            q.juvenile = q.juvenile or p.juvenile
            if p.role == "arrestee" and q.role in ("other", "arrestee"):
                q.role = "arrestee"
            q.residence = q.residence or next(
                (m.residence for m in p.mentions if m.residence), None
            )
            people.remove(p)
    return people


_LEAD_TOWN_NOUNS = vocab.section(VOCAB, "lead_town_nouns")
_LEAD_TOWN = re.compile(
    rf"\b[Aa]n?[ \t]+(?P<res>{PLACE})[ \t]+"
    rf"(?P<noun>{_TOWN_PERSON_NOUNS}|{'|'.join(_LEAD_TOWN_NOUNS['plural'])})\b(?![ \t]*,)"
)
# what makes the lead's "a Town man" the defendant: "... pleaded guilty", "... was sentenced",
# "... who was free on bail ... was convicted", "... faces charges"
_LEAD_TOWN_CUE = re.compile(
    r"[ \t]+(?:who\b[^.;]{0,200}?[ \t])?(?:(?:was|were|is|are|has been|have been|had been)"
    rf"[ \t]+(?:\w+[ \t]+){{0,2}}?(?:{_ARREST_VERBS}|found guilty)|pleaded|pled|faces?|admitted)\b"
)


def _lead_residence(text: str, people: list[Person], spans: list[tuple[int, int]]) -> list[Person]:
    """The town of the lead's unnamed "a Town man" given to the defendant the release names:
    "A Baytown man pleaded guilty ... Marcus Roe, 33, was sentenced" -> Marcus Roe of Baytown
    (one defendant; "a Westminster couple was charged": each of them). A defendant's own
    town is kept."""
    arrestees = [p for p in people if p.role == "arrestee" and p.name]
    if not arrestees or all(p.residence for p in arrestees):
        return people
    lead_end = spans[min(len(spans), _LEAD_SENTENCES) - 1][1] if spans else len(text)
    for m in _LEAD_TOWN.finditer(text, 0, lead_end):
        town = _clean_place(m.group("res"))
        if not town or any(w in _LEAD_TOWN_NOUNS["not_towns"] for w in town.split()):
            continue
        if not _LEAD_TOWN_CUE.match(text, m.end()):
            continue
        plural = m.group("noun") in _LEAD_TOWN_NOUNS["plural"]
        if plural == (len(arrestees) > 1):
            for p in arrestees:
                p.residence = p.residence or town
        break
    return people


def _drop_towns(text: str, people: list[Person], spans: list[tuple[int, int]]) -> list[Person]:
    """A "person" whose name is someone's residence, with no age, is that town: "Ray Holt, 52,
    of Glen Ridge ... Glen Ridge was arrested" keeps Ray Holt only."""
    residences = {p.residence for p in people if p.residence}
    return [p for p in people if not (p.name and p.name in residences and p.age is None)]


_PRONOUN_ARREST = re.compile(
    r"\s*(?:He|She)\s+(?:was|is|has been|were|remains|faces|will be)\s+"
    r"(?:\w+\s+){0,2}(?:arrested|charged|booked|cited|indicted|arraigned|held|"
    r"taken into custody|in custody)"
)


def _pronoun_subjects(
    text: str, people: list[Person], spans: list[tuple[int, int]]
) -> list[Person]:
    """ "Dale Ames ran. He was charged with ..." -> the latest named person before the sentence
    (untitled, not a victim) is an arrestee."""
    for a, b in spans:
        if not _PRONOUN_ARREST.match(text[a:b]):
            continue
        prior = [
            p
            for p in people
            if p.role in ("other", "arrestee") and p.name and any(x < a for x in p.positions)
        ]
        if prior:
            last = max(prior, key=lambda p: max(x for x in p.positions if x < a))
            if last.role == "other" and not any(m.title_role for m in last.mentions):
                last.role = "arrestee"
    return people


def _in_text_order(text: str, people: list[Person], spans: list[tuple[int, int]]) -> list[Person]:
    """People in order of their first mention: "Ann Roe ... Dale Ames, 30" -> Ann Roe first."""
    people.sort(key=lambda p: p.first_pos)
    return people


# the passes of find_people after the mentions are merged, in order; each takes and gives the
# list of people (a pass may fold or drop some)
_PEOPLE_PASSES: tuple[Callable[[str, list[Person], list[tuple[int, int]]], list[Person]], ...] = (
    _fold_surnames,
    _share_both_of,
    _gather_positions,
    _assign_roles,
    _share_intro_lists,
    _share_list_roles,
    _unnamed_roles,
    _refer_back,
    _fold_unnamed,
    _lead_residence,
    _drop_towns,
    _pronoun_subjects,
    _in_text_order,
)


def find_people(
    text: str, incident_date: dt.date | None = None, mentions: list[Mention] | None = None
) -> list[Person]:
    """People of the release in order of first mention, merged by surname (named) or by age
    (unnamed), with role, age, residence and juvenile flag. `positions` lists every offset
    where the release refers to them (full name or bare surname). Aliases are read over
    ("Ray Boyle, a.k.a. Ray Dunn, 48"); the mentions are merged, then each pass of
    `_PEOPLE_PASSES` runs in turn."""
    text = mask_aliases(text)
    mentions = find_mentions(text, incident_date) if mentions is None else mentions
    people = _merge_mentions(mentions)
    spans = sentences(text)
    for step in _PEOPLE_PASSES:
        people = step(text, people, spans)
    return people
