"""Charges: find charge lists in a release, split them, and classify each charge.

A charge keeps its text as written (trimmed; count words, statute and class tags removed; first
letter upper-case), its statute ("53a-217"), its count ("two counts of" → 2), degree and
attempted/conspiracy flags, a canonical name and a NIBRS offense code from the ordered rules
in `data/charges.toml` (first match wins; unmatched → "90Z" with low confidence, never
dropped).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from pipelines.extract import vocab
from pipelines.extract.record import Charge
from pipelines.extract.scan import compile_guarded
from pipelines.extract.sentences import (
    alternation,
    ends_with_abbreviation,
    headline_like,
    places,
)

_WORDS = "charge_words.toml"
_PHRASES = "charge_phrases.toml"
NUMBER_WORDS: dict[str, int] = vocab.mapping(_WORDS, "number_words")
"""Count words ("two" → 2); 0 for a count not stated ("several")."""
_TENS = "|".join(w for w, n in NUMBER_WORDS.items() if n >= 20 and n % 10 == 0)
_UNITS = "|".join(w for w, n in NUMBER_WORDS.items() if 1 <= n <= 9 and w not in ("a", "an"))
_NUM = (
    rf"(?:\d{{1,3}}|(?:{_TENS})[- ](?:{_UNITS})|"
    + "|".join(sorted((w for w in NUMBER_WORDS if w != "additional"), key=lambda w: -len(w)))
    + ")"
)


def count_value(word: str, default: int = 1) -> int:
    """The number a count word states: "3" → 3, "two" → 2, "twenty-one" → 21; `default` for a
    count not stated ("several", "multiple") or not a count word."""
    w = word.lower().strip()
    if w.isdigit():
        return int(w)
    parts = re.split(r"[- ]", w)
    if len(parts) == 2 and all(p in NUMBER_WORDS for p in parts):
        return NUMBER_WORDS[parts[0]] + NUMBER_WORDS[parts[1]]
    return NUMBER_WORDS.get(w) or default


_COUNT_KIND = "(?:(?:" + alternation(vocab.words(_WORDS, "count_kinds")) + r")\s+){0,3}"
LEADING_COUNT = re.compile(
    rf"^\s*(?P<n>{_NUM})(?:\s*\(\d+\))?\s+{_COUNT_KIND}(?:counts?|charges?)\s+(?:each\s+)?"
    r"(?:of\s+|for\s+|:\s*)?",
    re.I,
)
TRAILING_COUNT = compile_guarded(
    r"\s*(?:[,\-\u2013]\s*)?(?:\(\s*(?:x\s*)?(?P<a>\d+)\s*(?:counts?|cts?\.?)?\s*\)|"
    r"\bx\s?(?P<b>\d+)\b|\b(?P<c>\d+)\s+counts?\b|\(\s*(?P<d>\w+)\s+counts?\s*\))\s*$",
    re.I,
)
STATUTE = compile_guarded(
    r"\(?\s*(?:in violation of\s+)?(?:(?:C\.?\s?G\.?\s?S\.?|CGS|G\.?S\.?|RSA|ORC|MCL|RCW|KRS|"
    r"Penal Code|PC|P\.C\.|VC|V\.C\.|HS|H&S|Health (?:and|&) Safety Code|Vehicle Code|"
    r"Sec(?:tion)?\.?|Iowa Code|ILCS|Statute)\s*)?§*\s*"
    r"(?P<num>(?:\d{1,3}\s+ILCS\s+\d+/)?\d{1,4}[A-Za-z]{0,2}(?:[-.:/]\d+[A-Za-z]{0,2})+"
    r"(?:\([A-Za-z0-9]{1,4}\))*%?|\d{2,5}(?:\([A-Za-z0-9]{1,4}\))+)\s*\)?"
)
# "(PC 484)", "(F.S. 812.014)", "(ORS 164.055)", "(K.S.A. 21-5807)", "(Penal Code 459)": a
# statute in brackets after a code's name, the number bare or dotted
_CODE_NAME = (
    r"(?:Penal Code|Vehicle Code|Health (?:and|&) Safety Code|Business (?:and|&) Professions Code|"
    r"Welfare (?:and|&) Institutions Code|Fla\.?\s?Stat\.?|F\.\s?S\.?|FSS?|O\.?R\.?S\.?|"
    r"K\.?S\.?A\.?|A\.?R\.?S\.?|N\.?R\.?S\.?|R\.?S\.?Mo\.?|RSMo|O\.?C\.?G\.?A\.?|T\.?C\.?A\.?|"
    r"C\.?R\.?S\.?|U\.?C\.?A\.?|M\.?C\.?L\.?|N\.?C\.?G\.?S\.?|S\.?D\.?C\.?L\.?|N\.?D\.?C\.?C\.?|"
    r"M\.?C\.?A\.?|W\.?S\.?|Wis\.?\s?Stat\.?|Minn\.?\s?Stat\.?|R\.?C\.?W\.?|O\.?R\.?C\.?|"
    r"C\.?G\.?S\.?|I\.?C\.?|HRS|La\.?\s?R\.?S\.?|PC|P\.C\.|VC|V\.C\.|HS|H&S|Code|Statute|"
    r"Sec(?:tion)?\.?|§)"
)
BRACKET_STATUTE = re.compile(
    rf"\(\s*(?:in violation of\s+)?{_CODE_NAME}\s*§*\s*(?P<num>\d{{1,5}}[A-Za-z]?"
    r"(?:[-.:/]\d+[A-Za-z]{0,2})*(?:\([A-Za-z0-9]{1,4}\))*)\s*\)"
)
CLASS_TAG = compile_guarded(
    # "Title Fraud 3rd Degree Felony", "Theft over $50,000 (1st degree felony)", "(Life Felony)"
    r"\s*\(?\s*(?:\d(?:st|nd|rd|th)|first|second|third|fourth)[- ]degree\s+(?:felony|misdemeanor)"
    r"\s*\)?\s*$|\s*\(\s*(?:life|capital)\s+felony\s*\)\s*$|"
    r"\s*-\s*(?:an?\s+)?(?:class\s+[A-Z0-9]+\s+|(?!degree\b)[A-Za-z]+\s+)?(?:felony|misdemeanor)\s*$|"
    r"\s*[-,]\s*[FM][1-5]?\s*$|\s*\(\s*[FM][1-5]\s*\)|"
    r",?\s+an?\s+(?:felony|misdemeanor)\s+of\s+the\s+\w+\s+degree\s*$|"
    r",?\s+an?\s+(?:\w+[- ]degree|class\s+\w+|level\s+\d)\s+(?:felony|misdemeanor)\s*$|"
    r"^\s*(?:a\s+)?class\s+[A-Z0-9]\s+(?:felony|misdemeanor)\s+|"
    r"\s*(?:\(\s*(?:class|level|cl\.?)\s+[A-Z0-9]+\s*(?:felony|misdemeanor|misd\.?|fel\.?)?\s*\)|"
    r"\(\s*(?:felony|misdemeanor|misd\.?|fel\.?|[FM]\d?|violation|infraction)\s*\)|"
    r"(?:,\s*|\s+-\s+|\s+which is\s+)(?:an?\s+)?"
    r"(?:class\s+[A-Z0-9]+\s+|unclassified\s+|level\s+\d\s+|"
    r"aggravated\s+|serious\s+|simple\s+|gross\s+)?(?:felony|misdemeanor|violation|"
    r"infraction)(?:\s+offense)?\s*$)",
    re.I,
)
_ORD = "(?:" + "|".join(vocab.mapping(_WORDS, "degree_ordinals")) + ")"
DEGREE = re.compile(
    rf"\b(?P<d>{_ORD})[- ]degree\b|\b(?:in the|of the)\s+(?P<e>{_ORD})"
    r"\s+degree\b|\bdegree\s+(?P<f>[1-7])\b",
    re.I,
)
_DEGREE_NUM: dict[str, int] = vocab.mapping(_WORDS, "degree_ordinals")
ATTEMPT = re.compile(r"\b(?:attempt(?:ed|s)?|criminal attempt)\b", re.I)
CONSPIRACY = re.compile(r"\bconspir(?:acy|ing|ed)\b", re.I)


@dataclass(frozen=True)
class Rule:
    """One line of the charge taxonomy."""

    pattern: re.Pattern
    code: str
    canonical: str
    confidence: str


@dataclass
class ChargeList:
    """A charge list found in the text: where its trigger and its items are."""

    trigger_start: int
    start: int
    end: int
    charges: list[Charge] = field(default_factory=list)
    block: bool = False
    counted: bool = False  # an item says how many counts ("two counts of"): a detailed list
    definite: bool = False  # "charged with the rape and assault": names the crimes told of


@lru_cache(maxsize=1)
def taxonomy() -> tuple[Rule, ...]:
    """The ordered charge rules of data/charges.toml (read once per process)."""
    return tuple(
        Rule(re.compile(r["pattern"], re.I), r["code"], r["canonical"], r["confidence"])
        for r in vocab.section("charges.toml", "rule")
    )


@lru_cache(maxsize=1)
def _abbreviations() -> tuple[tuple[re.Pattern, str], ...]:
    return tuple(
        (re.compile(rf"(?<![\w/]){k}(?![\w/])", re.I), v)
        for k, v in vocab.section("abbreviations.toml", "expand").items()
    )


def _guarded(phrases: Iterable[str], before: str = "") -> re.Pattern:
    """One case-insensitive alternation of ``phrases`` after ``before``, the whole led by the
    lookahead of the characters it can start with (:func:`first_char_guard`)."""
    alternation = "(?:" + "|".join(f"(?:{p})" for p in phrases) + ")"
    return compile_guarded(before + alternation, re.I)


@lru_cache(maxsize=1)
def _phrases() -> dict:
    data = vocab.load(_PHRASES)
    return {
        # each alternation is guarded by the characters its phrases can start with ("\b" for
        # triggers, which start a word): other positions fail before any phrase is tried
        "keep_and": _guarded(vocab.words(_PHRASES, "keep_and")),
        "triggers": _guarded(data["triggers"], r"\b"),
        "terminators": _guarded(data["terminators"]),
        "not_charges": re.compile(data["not_charges"], re.I),
    }


@lru_cache(maxsize=8192)  # the same charge texts are compared again and again in a release
def expand_abbreviations(text: str) -> str:
    """Charge text with common abbreviations spelled out ("Poss. of CS" → "possession of
    controlled substance"), for matching only."""
    out = text
    for rx, repl in _abbreviations():
        out = rx.sub(repl, out)
    return out


@lru_cache(maxsize=8192)
def classify(text: str) -> tuple[str, str, str]:
    """(canonical name, NIBRS code, confidence) of one charge text. Unmatched → the charge's own
    lower-cased text, "90Z", "low"."""
    probe = expand_abbreviations(text.lower())
    for rule in taxonomy():
        if rule.pattern.search(probe):
            return rule.canonical, rule.code, rule.confidence
    canonical = re.sub(r"\s+", " ", text.lower()).strip()
    return canonical, "90Z", "low"


def _upper_first(s: str) -> str:
    return s[:1].upper() + s[1:] if s else s


# "with sentencing enhancements for ...", "and special allegations of ...": not charges
_ENHANCEMENT_CLAUSE = re.compile(
    r",?\s+(?:(?:along\s+)?with|and|plus)\s+(?:an?\s+|the\s+)?"
    r"(?:(?:sentencing|gang|firearm|weapon|gun|great bodily injury)\s+)?"
    r"(?:enhancements?|special\s+allegations?|allegations?)\b",
    re.I,
)
# ... and everything after it, cut from a charge's text
_ENHANCEMENT = re.compile(_ENHANCEMENT_CLAUSE.pattern + r".*$", re.I)

_VICTIM_OF = re.compile(
    r"\b(?P<h>murder|manslaughter|homicide|killing|kidnapping)\s+of\s+(?:(?:Mr|Mrs|Ms)\.?\s+)?"
    r"[A-Z][a-z'\-]+(?:\s+[A-Z][a-z'\-]+){0,3}(?:\s+in\s+.*)?$"
)
# "theft of property valued over $1,500", "theft $1,500 to under $25,000", "$1,000 or more"
_VALUE_CHARGE = re.compile(
    r"(?:over|under|above|below|less than|more than|at least|exceeding|valued|value|worth|"
    r"between|to|of)\s+\$\s?[\d,.]+|\$\s?[\d,.]+\s*(?:or more|or less|and (?:over|under|up|"
    r"above)|to|but|-|\+)",
    re.I,
)
# a US state (full name, abbreviation or postal code) of data/places.toml
_STATE_NAMES = (
    "(?:" + alternation(places()["state_names"], places()["state_abbrevs"]) + r"|[A-Z]{2})"
)

_TRAILING_WHEN = re.compile(
    r"\s+(?:(?:early|late|on|last)\s+)?(?:"
    + "|".join(vocab.words(_WORDS, "weekdays"))
    + r")(?:\s+(?:morning|afternoon|evening|night))?\s*$|"
    r"\s+(?:last night|this (?:morning|afternoon|evening)|overnight)\s*$",
    re.I,
)


# a finite verb after the subject: a sentence, not a charge name
_CLAUSE = re.compile(
    r"^[^,]{0,60}?\b(?:is|are|was|were|will be|has been|have been|had been)\s+(?:not\s+|also\s+)?"
    r"(?:\w+ly\s+)?(?:\w+(?:ed|en)|being|pending|expected|scheduled|available|unknown)\b",
    re.I,
)
_RELATIVE_CLAUSE = re.compile(r"\b(?:who|that|which|whose|while|when|where)\b", re.I)
_PLACE_HEADLINE = re.compile(
    r"^(?:[A-Z0-9][\w'.-]*\s+){1,4}(?:"
    + alternation(places()["suffix_names"], places()["suffix_abbrevs"], ["Park", "Mall"])
    + r")\.?\s+(?:[A-Z][a-z]+\s+)?(?:Shooting|Stabbing|Crash|"
    r"Fire|Homicide|Incident|Collision|Investigation|Update|Robbery|Burglary|Arrests?|Death)s?$"
)


_LEAD_FILLER = re.compile(
    r"^(?:and|or|also|plus|with|including|as well as)\s+|"
    # "ten felonies, including five counts of X": the total before the charge
    r"^(?:\w+\s+)?(?:felonies|felony counts|charges|offenses)\s*[:,]?\s*including\s+|"
    r"^(?:(?:being\s+)?(?:a\s+)?delinquent,?\s+to\s+wit|to\s+wit)\s*:?\s*|"
    r"^(?:[-*\u2022\u25cf\u25aa]|\d{1,2}[.)])\s+",
    re.I,
)
_MONTH = "(?:" + "|".join(vocab.words(_WORDS, "months")) + r")[a-z]*\.?"
_LEADING_DATE = re.compile(rf"^(?:on\s+)?{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+")
_BARE_DATE = re.compile(rf"{_MONTH}\s+\d{{1,2}}|(?:19|20)\d\d\b.*")
_DATE_LIKE = re.compile(r"\d{1,2}[/.]\d{1,2}(?:[/.]\d{2,4})?")
_LOWER_ASIDE = re.compile(
    r"\s*\((?![^)]*\b(?:counts?|degree|offense|subsequent)\b)[a-z][^()]*\)\s*$"
)


def _strip_lead(s: str) -> str:
    """Fillers before a charge: "and", "to wit:", a bullet or item number ("• ", "2) ")."""
    prev = None
    while prev != s:
        prev = s
        s = _LEAD_FILLER.sub("", s, count=1)
    return s


def _take_statute(s: str) -> tuple[str, str | None]:
    """The charge without its statute, and the statute: a table row's "18 § 3921 §§ A - ",
    a bracketed "(PC 484)", or a bare "53a-217" / "(C.G.S. §53a-217)" (dates are not
    statutes). One statute per charge; the last bare one wins."""
    tm = _TABLE_STATUTE.match(s)
    if tm:
        sub = f" §§ {tm.group('sub')}" if tm.group("sub") else ""
        return s[tm.end() :], f"{tm.group('title')} § {tm.group('sec')}{sub}"
    bm = BRACKET_STATUTE.search(s)
    if bm is not None:
        return (s[: bm.start()] + " " + s[bm.end() :]).strip(), bm.group("num")
    last = None
    for m in STATUTE.finditer(s):
        if not _DATE_LIKE.fullmatch(m.group("num")):
            last = m
    if last is None:
        return s, None
    return (s[: last.start()] + " " + s[last.end() :]).strip(), last.group("num").rstrip("%")


def _take_counts(s: str) -> tuple[str, int]:
    """The charge without its count words, and the count: "3 Counts of Forgery",
    "two counts of X", "twenty-one counts of X", "X (x2)", "X - 2 counts", "X (two counts)"."""
    counts = 1
    m = LEADING_COUNT.match(s)
    if m:
        counts = count_value(m.group("n"))
        s = s[m.end() :]
        # "62 felony counts including 38 counts of grand theft": the total, then the charge
        inc = re.match(r"[,:]?\s*including\s+", s, re.I)
        if inc and LEADING_COUNT.match(s, inc.end()):
            return _take_counts(s[inc.end() :])
    m = TRAILING_COUNT.search(s)
    if m:
        val = m.group("a") or m.group("b") or m.group("c") or m.group("d")
        if val:
            counts = count_value(val, counts)
        s = s[: m.start()]
    return s, counts


@lru_cache(maxsize=1)
def _trailing_clauses() -> tuple[re.Pattern, ...]:
    return tuple(re.compile(r["pattern"]) for r in vocab.section(_PHRASES, "trailing_clause"))


def cut_trailing_clauses(s: str) -> str:
    """The charge without what follows its name: the act it describes ("Assault for the
    beating of a neighbor" → "Assault"), a victim ("murder of Solomon Ortiz"), an
    enhancement, a lower-case aside, a statute cut off in mid-reference ("(Ohio Rev. Code"),
    its class tag ("- a class B felony"). The rules are `[[trailing_clause]]` of
    data/charge_phrases.toml."""
    for rx in _trailing_clauses():
        s = rx.sub("", s)
    s = _ENHANCEMENT.sub("", s)
    s = _VICTIM_OF.sub(r"\g<h>", s)
    s = _LOWER_ASIDE.sub("", s)
    prev = None
    while prev != s:
        prev = s
        s = CLASS_TAG.sub("", s).strip(" ,;:.-")
    s = re.sub(r"^(?:a|an|the|one)\s+(?=\w)", "", s, flags=re.I)
    s = _LEADING_DATE.sub("", s)
    s = _TRAILING_WHEN.sub("", s)
    return re.sub(r"\s+", " ", s).strip(" ,;:.-")


def _not_a_charge(s: str) -> bool:
    """True for an item that is not a charge: a class label ("felonies"), a sentence, a bail
    amount, a state or date after a place, a headline."""
    if not s or len(s) < 3 or _phrases()["not_charges"].match(s):
        return True
    if len(s.split()) > 16 or re.search(r"\s-\s+The\b|\b(?:HOME|Skip to)\b", s):
        return True
    if "$" in s and (not _VALUE_CHARGE.search(s) or re.match(r"[A-Za-z]+ing\b", s)):
        return True  # "held on $5,000 bond", "stealing over $18,000 from ...": not a charge
    if re.search(r"\b(?:enhancements?|special allegations?)\b", s, re.I):
        return True  # "white collar crime sentencing enhancements for ..."
    if re.fullmatch(rf"{_STATE_NAMES}\.?", s):
        return True  # "... in Sioux City, Iowa": the state after a place
    if _BARE_DATE.fullmatch(s) or not re.search(r"[A-Za-z]{3}", s):
        return True
    if _CLAUSE.search(s) and not _RELATIVE_CLAUSE.search(s):
        return True  # "crimes are not publicly identified": a sentence about policy
    return bool(_PLACE_HEADLINE.search(s))  # "Walker St. Shooting": a headline


def _degree(s: str) -> int | None:
    """The degree a charge names: "second-degree assault" → 2, "in the third degree" → 3."""
    dm = DEGREE.search(s)
    if not dm:
        return None
    word = (dm.group("d") or dm.group("e") or "").lower()
    return _DEGREE_NUM.get(word) or (int(dm.group("f")) if dm.group("f") else None)


def parse_charge(piece: str) -> Charge | None:
    """One charge from one list item, every key of `record.Charge` set: {"text", "statute",
    "counts", "canonical", "category", "confidence", "attempted", "conspiracy", "degree",
    "raw"}; None for an item that is not a charge (a bare class label such as "felonies", an
    empty string). A new dict each call: the caller may change it (a shared count)."""
    found = _parse_charge(piece)
    return None if found is None else Charge(**found)


@lru_cache(maxsize=8192)  # releases list the same few hundred charges again and again
def _parse_charge(piece: str) -> Charge | None:
    raw = re.sub(r"\s+", " ", piece).strip(" \t\n,;:.-*\u2022")
    if not raw:
        return None
    s, statute = _take_statute(_strip_lead(raw))
    s, counts = _take_counts(s)
    s = cut_trailing_clauses(s)
    if _not_a_charge(s):
        return None
    text = _upper_first(s)
    canonical, code, confidence = classify(text)
    if "$" in s and code == "90Z" and confidence == "low":
        return None  # "Lack of $2,500": an amount, not a charge
    return {
        "text": text,
        "statute": statute,
        "counts": counts,
        "canonical": canonical,
        "category": code,
        "confidence": confidence,
        "attempted": bool(ATTEMPT.search(s)),
        "conspiracy": bool(CONSPIRACY.search(s)),
        "degree": _degree(s),
        "raw": raw,
    }


_PLACEHOLDER_COMMA = "\x01"
_PLACEHOLDER_AND = "\x02"
_PLACEHOLDER_SEMI = "\x03"
_PLACEHOLDER_OR = "\x04"


def _protect(s: str) -> str:
    # commas/semicolons/"and" inside parentheses do not split
    def inner(m: re.Match) -> str:
        return (
            m.group(0)
            .replace(",", _PLACEHOLDER_COMMA)
            .replace(";", _PLACEHOLDER_SEMI)
            .replace(" and ", f" {_PLACEHOLDER_AND} ")
        )

    if "(" in s:
        s = _PARENTHESES.sub(inner, s)
    # offence names that contain "and", "or" or commas ("breaking and entering", "resisting,
    # obstructing and delaying an officer") are one item: data/charge_phrases.toml keep_and
    s = _phrases()["keep_and"].sub(
        lambda m: re.sub(
            r"\b(?:and|or)\b|,",
            lambda w: {",": _PLACEHOLDER_COMMA, "or": _PLACEHOLDER_OR}.get(
                w.group(0).lower(), _PLACEHOLDER_AND
            ),
            m.group(0),
            flags=re.I,
        ),
        s,
    )
    # "$1,000" and "1,000 grams" keep their commas
    return _THOUSANDS.sub(_PLACEHOLDER_COMMA, s) if "," in s else s


_PARENTHESES = re.compile(r"\([^()]*\)")
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3})")


def _restore(s: str) -> str:
    return (
        s.replace(_PLACEHOLDER_COMMA, ",")
        .replace(_PLACEHOLDER_AND, "and")
        .replace(_PLACEHOLDER_SEMI, ";")
        .replace(_PLACEHOLDER_OR, "or")
    )


# "first- and second-degree", "second-, third-, and fourth-degree", "third, fourth degree"
_DEGREE_RUN = re.compile(
    rf"\b(?P<run>(?:{_ORD}-?(?:\s*,\s*|\s+)(?:(?:and|or|&)\s+)?)+)(?P<last>{_ORD})"
    r"(?P<dash>[- ])degree\b",
    re.I,
)
_GROUPED_DEGREE = re.compile(
    rf"\b(?P<run>(?:{_ORD}-?(?:\s*,\s*|\s+)(?:(?:and|or|&)\s+)?)+)(?P<last>{_ORD})"
    r"(?P<dash>[- ])degree\s+(?P<rest>[^,;]+)",
    re.I,
)


def _split_grouped_degrees(piece: str) -> list[str]:
    """ "first- and second-degree grand larceny" → ["first-degree grand larceny",
    "second-degree grand larceny"]; "second-, third-, and fourth-degree X" gives three."""
    m = _GROUPED_DEGREE.search(piece)
    if not m:
        return [piece]
    dash, rest = m.group("dash"), m.group("rest")
    head = piece[: m.start()]
    degrees = re.findall(_ORD, m.group("run"), re.I) + [m.group("last")]
    return [f"{head}{d}{dash}degree {rest}".strip() for d in degrees]


_NEXT_COUNTED = re.compile(
    rf"\s*(?:;|\n|,\s*(?:and\s+)?(?={_NUM}\s+{_COUNT_KIND}(?:counts?|charges?)\b))", re.I
)


def cut_enhancements(s: str) -> str:
    """A charge list without its sentencing-enhancement and special-allegation clauses, which
    are not charges: "107 counts of forgery with sentencing enhancements for white collar crime
    over $500,000, and taking over $100,000" → "107 counts of forgery". A clause ends at a
    semicolon, a line break, or the next counted charge (", two counts of ...")."""
    out = []
    pos = 0
    while True:
        m = _ENHANCEMENT_CLAUSE.search(s, pos)
        if not m:
            out.append(s[pos:])
            break
        out.append(s[pos : m.start()])
        nxt = _NEXT_COUNTED.search(s, m.end())
        if not nxt:
            break
        pos = nxt.start()
    return "".join(out)


_OFFENCE_HEADS = frozenset(w.lower() for w in vocab.words(_WORDS, "offence_heads"))
_MODIFIER = re.compile(
    r"(?i)(?:unlawful|illegal|criminal|reckless|aggravated|simple|attempted|felony|felonious|"
    r"malicious|negligent|fraudulent|improper|false|lewd|indecent|sexual|domestic|armed|willful|"
    r"wanton|careless|unauthorized|unlicensed|habitual|first|second|third|fourth|fifth|"
    r"[a-z]+(?:ful|ed|al|ous|ive|ent|ant|ary))"
)


# words that end like adjectives but name a thing: never joined to the next item
_NOUNS_LIKE_MODIFIERS = frozenset(
    "felony felonies misdemeanor misdemeanors intent content payment agent parent student "
    "patient resident incident accident judgment trial arrival approval removal disposal "
    "referral renewal withdrawal proposal dismissal rental signal animal".split()
)


# "murder for Karishma Dhanak and Jayprakash Dhanak": the victims named after a charge
_FOR_VICTIMS = re.compile(
    r"\s+for\s+(?:[A-Z][a-z'\-]+\s+){1,3}[A-Z][a-z'\-]+"
    r"(?:\s+and\s+(?:[A-Z][a-z'\-]+\s+){1,3}[A-Z][a-z'\-]+)?(?=\s*(?:[,;]|\sand\s|$))"
)


def _item_break(bare_and: str) -> re.Pattern:
    """What separates the items of a charge list (``bare_and``: also a bare "and")."""
    return compile_guarded(
        r"\s*(?:;|,(?!\s*(?:a|an)\s+(?:class|level|felony|misdemeanor))\s*(?:and\s+|&\s+)?|"
        rf"\n+|{bare_and}\s+&\s+|\s+as well as\s+|\s+plus\s+|\s+along with\s+|"
        r"\s*[\u2022\u25cf\u25aa]\s*)\s*",
        re.I,
    )


# by whether the list has a serial comma (", and X"): then a bare "and" does not separate
_ITEM_BREAK = {True: _item_break(""), False: _item_break(r"\s+and\s+|")}


def split_charge_list(s: str) -> list[str]:
    """Split a charge list into items on commas, semicolons, "and", "as well as", bullets and
    line breaks. A dangling one-word item ("... a firearm and unlawful" / "Discharge of a
    firearm") is joined to the next item."""
    # grouped degrees are one phrase until they are expanded below
    s = _DEGREE_RUN.sub(
        lambda m: (
            m.group(0)
            .replace(",", _PLACEHOLDER_COMMA)
            .replace(" and ", f" {_PLACEHOLDER_AND} ")
            .replace(" or ", f" {_PLACEHOLDER_OR} ")
        ),
        _FOR_VICTIMS.sub("", cut_enhancements(s)),
    )
    s = _protect(s)
    s = re.sub(r"^\s*(?:[-*\u2022]|\d{1,2}[.)])\s+", "", s, flags=re.M)
    # a list that ends ", and X" (serial comma) separates its items with commas: a bare "and"
    # belongs to the item ("stealing and secreting a public record, ..., and burglary")
    serial = bool(re.search(r",\s*and\s+", s)) and "\n" not in s.strip()
    parts = _ITEM_BREAK[serial].split(s)
    parts = [
        q for p in parts if p and p.strip() for q in _split_grouped_degrees(_restore(p).strip())
    ]
    merged: list[str] = []
    i = 0
    while i < len(parts):
        p = parts[i]
        words = p.split()
        if (
            len(words) == 1
            and i + 1 < len(parts)
            and re.fullmatch(r"[A-Za-z\-]+", p)
            and _MODIFIER.fullmatch(p)
            and p.lower() not in _NOUNS_LIKE_MODIFIERS
            and not re.match(rf"(?i){_ORD}[- ]degree\b|\d", parts[i + 1])
            and p.lower() not in _OFFENCE_HEADS
        ):
            nxt = parts[i + 1]
            merged.append(p + " " + nxt[:1].lower() + nxt[1:])
            i += 2
            continue
        merged.append(p)
        i += 1
    return merged


_PROSE_LINE = re.compile(
    r"^(?:[\"']?(?:He|She|They|It|The|This|That|These|Officers?|Police|Anyone|If|In|On|At|"
    r"Bond|Bail)\b|[A-Z][a-z]+(?:'s)?\s+(?:was|were|is|are|remains?|has|have|had|will|said|"
    r"also|faces|posted|appeared|pleaded|pled|told)\b)"
)


_FOLLOWING = re.compile(
    r"\s*the following(?:\s+(?:charges?|offen[cs]es|counts|crimes))?\s*:?(?=[ \t]*\n)", re.I
)
# "18 § 3921 §§ A - Theft by Unlawful Taking (M1)": a statute table row (title § section)
_TABLE_ROW = re.compile(r"(?<=\))\s+(?=\d{1,2}\s*§\s*\d)")
_TABLE_STATUTE = re.compile(
    r"^(?P<title>\d{1,2})\s*§\s*(?P<sec>\d{2,5}(?:\.\d+)?)\s*(?:§§\s*(?P<sub>[A-Za-z0-9.()]+))?"
    r"\s*-\s*"
)


_BULLET = re.compile(r"^[ \t]*(?:[-*\u2022\u25cf\u25aa\u2013]|\d{1,2}[.)])[ \t]+\S", re.M)
# "Marcus Delaney, 31, of Riverton" / "Tanya Ruiz, 28, of Elm Grove, was charged with the
# following:" alone on a line: a person's header above their own bulleted charges
PERSON_HEADER = re.compile(
    r"^[ \t]*(?P<name>[A-Z][\w.'\u2019\-]+(?:[ \t]+(?:[\w.'\u2019\-]+|[\"\u201c][^\"\u201d\n]{1,20}"
    r"[\"\u201d])){1,5}),[ \t]*(?:age[ \t]+)?\d{1,2}\b[^\n]{0,120}$",
    re.M,
)


def _header_line(line: str) -> bool:
    """True for a person header line ("Dale Wicks, 54, of Ashby")."""
    return bool(PERSON_HEADER.match(line)) and not _BULLET.match(line)


_RUN_ON = re.compile(
    r"(?:(?<=\))\s+(?=[\"\u201c][A-Z])|"
    r"(?:(?<=[Dd]egree [Ff]elony)|(?<=[Dd]egree [Mm]isdemeanor))\s+(?=[\"\u201c]?[A-Z]))"
)


def _block_lines(text: str, start: int) -> tuple[int, list[str]]:
    """Lines of a charge block that starts at `start` ("Charges:" or "charged with:" followed
    by a line break): (end offset, lines). Stops at a blank-line-separated prose line, at a
    person header line ("Dale Wicks, 54, of Ashby"), and, in a bulleted block, at the first
    line without a bullet."""
    lines: list[str] = []
    end = start
    bulleted = None
    for m in re.finditer(r"[^\n]*\n?", text[start:]):
        line = m.group(0)
        if not line:
            break
        stripped = line.strip()
        if not stripped:
            continue
        # a paragraph run on after the last charge's class tag: "Fraud (1st degree felony) "This
        # is ...", "Theft 1st Degree Felony Jesus Cue advertises ..."
        quote = _RUN_ON.search(stripped) if lines else None
        last = quote is not None
        if quote:
            stripped = stripped[: quote.start()]
        if bulleted is None:
            bulleted = bool(_BULLET.match(line))
        if (
            (bulleted and not _BULLET.match(line))
            or _header_line(line.rstrip("\n"))
            or _PROSE_LINE.match(stripped)
            or ("$" in stripped and not _VALUE_CHARGE.search(stripped))
            or (lines and stripped.endswith(":"))  # "Luis Ortega is being charged with:"
            or len(stripped) > (320 if CLASS_TAG.search(stripped) else 160)
            or re.match(
                r"^(?:Accused|Arrested|Suspect|Victim|Name|Defendant|Date|Location|"
                r"Case|Incident|Address|Age|DOB|Bond|Bail)\s*(?:\#|No\.?)?\s*:",
                stripped,
            )
            or (
                len(stripped.split()) > 14
                and not re.match(r"^[-*\u2022]", stripped)
                and not _TABLE_STATUTE.match(stripped)
                and not CLASS_TAG.search(stripped)  # "... over $50,000 (1st degree felony)"
            )
        ):
            break
        lines.extend(_TABLE_ROW.split(stripped))
        end = start + m.end()
        if last:
            end = start + m.start() + line.find(stripped) + len(stripped)
            break
        if len(lines) >= 25:
            break
    return end, lines


_WRAPPED = re.compile(r"[ \t]*\n(?=[ \t]*[A-Za-z])")


def _unwrap_lines(seg: str) -> str:
    """A charge list hard-wrapped in the middle of a charge ("Escape by force or violence
    from" / "lawful custody") read as one line: a line break after a word that cannot end a
    charge, or before a lower-case word, becomes a space (offsets unchanged)."""

    def join(m: re.Match) -> str:
        before = seg[max(0, m.start() - 8) : m.start()]
        after = seg[m.end() : m.end() + 1]
        dangling = re.search(
            r"\b(?:from|of|to|with|by|for|in|on|at|into|against|under|and|or|a|an|the)$",
            before,
        )
        if dangling or (after.islower() and re.search(r"[A-Za-z,]$", before)):
            return " " * len(m.group(0))
        return m.group(0)

    return _WRAPPED.sub(join, seg)


def _inline_end(text: str, start: int) -> int:
    """Where an inline charge list that starts at `start` ends: the sentence end, a line break or
    a terminator phrase ("and was held", ", after", " in Superior Court")."""
    limit = min(len(text), start + 700)
    seg = _unwrap_lines(text[start:limit])
    end = len(seg)
    nl = seg.find("\n")
    if nl != -1:
        end = nl
    for m in re.finditer(r"\.(?=\s+[\"'(]?[A-Z]|\s*$)", seg[:end]):
        if ends_with_abbreviation(seg, m.start() + 1):
            continue
        if seg[m.start() - 1 : m.start()].isdigit() and re.match(r"\.\d", seg[m.start() :]):
            continue
        end = m.start()
        break
    depth = 0
    for ch in seg[:end]:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
    if depth:
        close = seg.find(")", 0)
        if close != -1 and close > end:
            end = close + 1
    # the first terminator ends the list; a terminator that holds only at the list's end (the
    # act after a verdict, "for stabbing A and B") is tried again on the shorter list
    while True:
        tm = _phrases()["terminators"].search(seg, 0, end)
        while tm is not None and tm.start() == 0:
            tm = _phrases()["terminators"].search(seg, tm.end(), end)
        if tm is None or tm.start() >= end:
            break
        end = tm.start()
    return start + end


_CHARGE_GERUNDS = frozenset(vocab.words(_WORDS, "charge_gerunds"))
_OWN_COUNT = re.compile(rf"\b{_NUM}\s+{_COUNT_KIND}counts?\b", re.I)
_HISTORY = compile_guarded(
    r"(?:most recent(?:ly)?|previous(?:ly)?|prior|last arrest|earlier (?:this|last) year|"
    r"(?:had|has) been (?:arrested|charged|convicted)|was convicted|convicted (?:of|in)|"
    r"was on (?:probation|parole)|on (?:probation|parole) for|served|sentenced|"
    r"criminal history|history of|in (?:19|20)\d\d,?\s|"
    r"\bin an? (?:\w+ )?(?:19|20)\d\d (?:\w+ )?(?:case|arrest|incident|conviction|matter)|"
    r"\bin an? (?:separate|unrelated|earlier|previous|prior|pending|other|older) "
    r"(?:case|matter|incident|arrest)|\bout on (?:bail|bond|parole|probation) (?:in|for|from)\b)",
    re.I,
)


# "... for interfering with an officer, a case that remains pending": another case
_HISTORY_AFTER = compile_guarded(
    r"\b(?:a|the|that) case (?:that |which )?(?:remains|is still|is) (?:pending|open|unresolved)\b|"
    r"\bin an? (?:unrelated|earlier|previous|prior|separate|(?:19|20)\d\d) "
    r"(?:case|incident|arrest)\b",
    re.I,
)


# a verdict or a sentence ("convicted of", "found guilty of", "sentenced ... for") names this
# case's charges, unless told as a participle: "as being convicted of", "having been convicted"
_VERDICT = re.compile(r"(?:convicted|found|sentenced|pleaded|pled|pleading)\b", re.I)
_VERDICT_ASIDE = re.compile(
    r"\b(?<!after )(?<!upon )(?<!before )(?:being|having been|had been)\s+$", re.I
)
# history cues that a sentencing release's own verdict shares ("was sentenced to 40 years
# after being convicted of murder" is this case): not history before a verdict or plea
_VERDICT_WORDING = re.compile(r"(?:sentenced|served|was convicted|convicted (?:of|in))", re.I)


def _history_before(prefix: str, verdict: bool) -> bool:
    """True when the sentence before a trigger tells of an earlier case. Before a verdict or
    plea trigger the sentencing words of the same case ("was sentenced Monday to life after
    being convicted of") are not a history."""
    for hm in _HISTORY.finditer(prefix):
        if not (verdict and _VERDICT_WORDING.fullmatch(hm.group(0))):
            return True
    return False


def _sentence_end(text: str, pos: int) -> int:
    m = re.compile(r"\.(?=\s+[\"'(]?[A-Z])|\n").search(text, pos, min(len(text), pos + 600))
    return m.start() if m else min(len(text), pos + 600)


def _quoted(text: str, pos: int) -> bool:
    """True when `pos` is inside a quotation (an odd number of double quotes before it in its
    paragraph): a quoted remark is not a charge list."""
    ls = text.rfind("\n", 0, pos) + 1
    return text.count('"', ls, pos) % 2 == 1


def _title_line(text: str, pos: int) -> bool:
    """True when `pos` is on the release's first line and that line is a title (it does not end
    like a sentence): "Felon arrested for possessing firearm after shots fired report"."""
    offset = re.match(r"\s*", text).end()
    if pos - offset > _MAX_HEADLINE:
        return False  # no title is that long
    end = text.find("\n", offset)
    if end == -1 or pos >= end:
        return False
    line = text[offset:end].strip()
    if re.match(r"[A-Z][A-Za-z ]{1,24}:", line):
        return False
    return not line.endswith((".", "!", "?", '"', ":"))


_PREFIX_WINDOW = 1000
"""How far back from a charge trigger its sentence start is looked for."""
_MAX_HEADLINE = 400
"""A line longer than this is body text, never a headline."""


# the label before a release's title: "FOR IMMEDIATE RELEASE: ...", "MEDIA ADVISORY: ..."
_RELEASE_LABEL = re.compile(
    r"\s*(?:FOR IMMEDIATE RELEASE|MEDIA ADVISORY|NEWS RELEASE|PRESS RELEASE|NEWS ADVISORY)\s*:",
    re.I,
)


def _headline(text: str, pos: int) -> bool:
    """True when `pos` sits in a Title Case headline line ("Driver Indicted for Manslaughter
    After Crash"), which repeats the body and is not a charge list. Labelled lines
    ("Charges: ...") and lines longer than _MAX_HEADLINE are never headlines."""
    lo = max(0, pos - _MAX_HEADLINE)
    ls = text.rfind("\n", lo, pos) + 1
    if ls == 0 and lo > 0:
        return False
    hi = min(len(text), pos + _MAX_HEADLINE)
    le = text.find("\n", pos, hi)
    if le == -1 and hi < len(text):
        return False
    line = text[ls : le if le != -1 else len(text)]
    if _RELEASE_LABEL.match(line) and not line.rstrip().endswith(".") and ". " not in line:
        return True  # "FOR IMMEDIATE RELEASE: 15 Charged with Fraud": a title (also in links)
    if re.match(r"\s*[A-Z][A-Za-z ]{1,24}:", line):
        return False
    if len(re.findall(r"[A-Z]{2,}", line)) >= 3 and not re.search(r"[a-z]", line):
        return True  # "DRIVER CHARGED WITH MURDER AFTER CRASH"
    if re.search(r"\d", text[ls:pos]):
        return False
    if ". " in line.strip():
        return False
    return headline_like(line)


def _not_this_case(text: str, m: re.Match) -> bool:
    """True when the trigger `m` does not start this release's charge list: a history
    ("was previously convicted of", "in a 2019 case"), a headline or title, a quotation, a
    denial ("was not charged with"), "charged in connection with" (no charge named), or a
    record told aside ("mentioned as being convicted of")."""
    lo = max(0, m.start() - _PREFIX_WINDOW)
    sent_start = max(text.rfind(". ", lo, m.start()), text.rfind("\n", lo, m.start()), lo - 1) + 1
    prefix = text[sent_start : m.start()]
    if m.group(0).lower().startswith("charged"):
        # "A and B were previously charged with ...": the same case, not a history
        prefix = re.sub(r"\bpreviously\s+$", "", prefix, flags=re.I)
    verdict = bool(_VERDICT.match(m.group(0)))
    return bool(
        _history_before(prefix, verdict)
        or _headline(text, m.start())
        or _title_line(text, m.start())
        or _quoted(text, m.start())  # "This defendant is charged with a frightening attack,"
        or _HISTORY_AFTER.search(text, m.end(), _sentence_end(text, m.end()))
        or re.search(r"\bin connection\b", m.group(0), re.I)
        or re.search(r"\b(?:not|never|no)\s+(?:been\s+)?$", prefix, re.I)
        or (verdict and _VERDICT_ASIDE.search(prefix))
        # "was facing life in prison if convicted of capital murder": a verdict not given
        or (verdict and re.search(r"\b(?:if|unless|whether|could be|would be)\s+$", prefix, re.I))
    )


# "Each is charged with one count of:" and one charge a line below
_COUNT_OF_BLOCK = re.compile(
    r"\s*(?:one|1|a single)\s+count\s+(?:each\s+)?of\s*:(?=[ \t]*\n)", re.I
)


def _list_start(text: str, m: re.Match) -> int | None:
    """Where the list after trigger `m` starts (after "the following:"), or None when it
    starts with an -ing word that is not a charge ("charged with helping police")."""
    start = m.end()
    fm = _FOLLOWING.match(text, start, min(len(text), start + 60)) or _COUNT_OF_BLOCK.match(
        text, start, min(len(text), start + 60)
    )
    if fm:
        start = fm.end()  # "charged X with the following:" / "one count of:" and the list below
    gm = re.match(
        r"\s*(?:allegedly\s+)?(?:\w+ly\s+)?(?P<g>[A-Za-z]+ing)\b", text[start : start + 40]
    )
    if gm and gm.group("g").lower() not in _CHARGE_GERUNDS:
        return None
    return start


def _read_items(text: str, m: re.Match, start: int) -> tuple[int, list[str], bool]:
    """(end, items, is_block) of the list at `start`: a block of lines when the trigger ends
    its line ("Charges:" then one charge a line), else the inline list up to its end."""
    is_block = bool(re.match(r"\s*:?\s*\n", text[start : start + 40])) or (
        m.group(0).rstrip().endswith(":") and bool(re.match(r"\s*\n", text[start : start + 3]))
    )
    if is_block:
        end, lines = _block_lines(text, start)
        return end, split_charge_list("\n".join(lines)), True
    end = _inline_end(text, start)
    return end, split_charge_list(_unwrap_lines(text[start:end])), False


_EACH = re.compile(rf"^\s*(?P<n>{_NUM})\s+{_COUNT_KIND}counts?\s+each\s+of\b", re.I)


def _apply_each(text: str, start: int, charges: list[Charge]) -> None:
    """ "two counts each of A, B and C, four counts of D, one count each of E and F": A, B and
    C share the two counts, D keeps its own, E and F share one. A shared count runs from its
    "each of" (in an item, or before a block: "two counts each of:" then bullets) to the next
    item that gives its own count."""
    before = _EACH.match(text[start : start + 80])
    if before is None and not any(_EACH.match(c["raw"]) for c in charges):
        return  # no "each of": every item keeps its own count (the common case, and quick)
    shared = count_value(before.group("n")) if before else None
    for c in charges:
        if each := _EACH.match(c["raw"]):
            shared = count_value(each.group("n"))
        elif _OWN_COUNT.search(c["raw"]):
            shared = None
        elif shared is not None:
            c["counts"] = shared


def find_charge_lists(text: str) -> list[ChargeList]:
    """Every charge list in `text` in text order, each with its parsed charges. Lists in
    history sentences ("his most recent arrest was ... for violation of probation", "was
    previously convicted of") are skipped."""
    out: list[ChargeList] = []
    covered = -1
    for m in _phrases()["triggers"].finditer(text):
        if m.start() < covered or _not_this_case(text, m):
            continue
        start = _list_start(text, m)
        if start is None:
            continue
        end, items, is_block = _read_items(text, m, start)
        charges = [c for c in (parse_charge(p) for p in items) if c]
        if not charges:
            continue
        _apply_each(text, start, charges)
        counted = any(LEADING_COUNT.match(c["raw"]) for c in charges)
        definite = bool(re.match(r"\s*the\s+(?!following\b)", text[start : start + 20], re.I))
        out.append(ChargeList(m.start(), start, end, charges, is_block, counted, definite))
        covered = end
    out.extend(_header_blocks(text, out))
    out.sort(key=lambda cl: cl.start)
    return out


def _header_blocks(text: str, found: list[ChargeList]) -> list[ChargeList]:
    """Bulleted charges under a person header line with no charge wording ("Marcus Delaney,
    31, of Riverton" then "- Possession of a controlled substance" lines): one list each,
    its trigger at the header. Headers whose bullets another list already read are skipped."""
    out: list[ChargeList] = []
    for m in PERSON_HEADER.finditer(text):
        nxt = re.match(r"[ \t]*\n(?:[ \t]*\n)*", text[m.end() :])
        if not nxt:
            continue
        start = m.end() + nxt.end()
        if not _BULLET.match(text, start) or any(cl.start <= start < cl.end for cl in found):
            continue
        if any(cl.trigger_start >= m.start() and cl.start <= start for cl in found):
            continue
        end, lines = _block_lines(text, start)
        charges = [c for c in (parse_charge(p) for p in split_charge_list("\n".join(lines))) if c]
        if charges:
            counted = any(LEADING_COUNT.match(c["raw"]) for c in charges)
            out.append(ChargeList(m.start("name"), start, end, charges, True, counted))
    return out
