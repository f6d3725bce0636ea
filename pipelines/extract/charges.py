"""Charges: find charge lists in a release, split them, and classify each charge.

A charge keeps its text as written (trimmed; count words, statute and class tags removed; first
letter upper-case), its statute ("53a-217"), its count ("two counts of" → 2), degree and
attempted/conspiracy flags, a canonical name and a NIBRS offense code from the ordered rules
in `data/charges.toml` (first match wins; unmatched → "90Z" with low confidence, never
dropped).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from pipelines.extract.sentences import _ABBREV_END, alternation, headline_like, places

DATA = resources.files("pipelines.extract") / "data"  # inside an egg or zip too

NUMBER_WORDS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "single": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "multiple": None,
    "several": None,
    "numerous": None,
    "additional": None,
}
_NUM = (
    r"(?:\d{1,3}|a|an|one|single|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    r"thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|"
    r"multiple|several|numerous)"
)
_COUNT_KIND = (
    r"(?:(?:additional|separate|felony|misdemeanor|misdemeanour|criminal|more|total|related|"
    r"enhancement|special allegation|sentencing enhancement)\s+){0,3}"
)
LEADING_COUNT = re.compile(
    rf"^\s*(?P<n>{_NUM})(?:\s*\(\d+\))?\s+{_COUNT_KIND}(?:counts?|charges?)\s+(?:each\s+)?"
    r"(?:of\s+|for\s+|:\s*)?",
    re.I,
)
TRAILING_COUNT = re.compile(
    r"\s*(?:[,\-\u2013]\s*)?(?:\(\s*(?:x\s*)?(?P<a>\d+)\s*(?:counts?|cts?\.?)?\s*\)|"
    r"\bx\s?(?P<b>\d+)\b|\b(?P<c>\d+)\s+counts?\b|\(\s*(?P<d>\w+)\s+counts?\s*\))\s*$",
    re.I,
)
STATUTE = re.compile(
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
CLASS_TAG = re.compile(
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
DEGREE = re.compile(
    r"\b(?P<d>first|second|third|fourth|fifth|sixth|seventh|1st|2nd|3rd|4th|5th|6th|7th)"
    r"[- ]degree\b|\b(?:in the|of the)\s+(?P<e>first|second|third|fourth|fifth|sixth|seventh)"
    r"\s+degree\b|\bdegree\s+(?P<f>[1-7])\b",
    re.I,
)
_DEGREE_NUM = {
    "first": 1,
    "1st": 1,
    "second": 2,
    "2nd": 2,
    "third": 3,
    "3rd": 3,
    "fourth": 4,
    "4th": 4,
    "fifth": 5,
    "5th": 5,
    "sixth": 6,
    "6th": 6,
    "seventh": 7,
    "7th": 7,
}
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
    charges: list[dict] = field(default_factory=list)
    block: bool = False
    counted: bool = False  # an item says how many counts ("two counts of"): a detailed list
    definite: bool = False  # "charged with the rape and assault": names the crimes told of


@lru_cache(maxsize=1)
def taxonomy() -> tuple[Rule, ...]:
    """The ordered charge rules of data/charges.toml (read once per process)."""
    with (DATA / "charges.toml").open("rb") as f:
        data = tomllib.load(f)
    return tuple(
        Rule(re.compile(r["pattern"], re.I), r["code"], r["canonical"], r["confidence"])
        for r in data["rule"]
    )


@lru_cache(maxsize=1)
def _abbreviations() -> tuple[tuple[re.Pattern, str], ...]:
    with (DATA / "abbreviations.toml").open("rb") as f:
        data = tomllib.load(f)
    return tuple(
        (re.compile(rf"(?<![\w/]){k}(?![\w/])", re.I), v) for k, v in data["expand"].items()
    )


@lru_cache(maxsize=1)
def _phrases() -> dict:
    with (DATA / "charge_phrases.toml").open("rb") as f:
        data = tomllib.load(f)
    return {
        "keep_and": tuple(p.lower() for p in data["keep_and"]),
        "triggers": re.compile("|".join(f"(?:{t})" for t in data["triggers"]), re.I),
        "terminators": re.compile("|".join(f"(?:{t})" for t in data["terminators"]), re.I),
        "not_charges": re.compile(data["not_charges"], re.I),
    }


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
    r",?\s+(?:with|and|plus)\s+(?:an?\s+|the\s+)?(?:(?:sentencing|gang|firearm|weapon)\s+)?"
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
    r"\s+(?:(?:early|late|on|last)\s+)?(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|"
    r"Sunday|yesterday|today|tonight)(?:\s+(?:morning|afternoon|evening|night))?\s*$|"
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


def parse_charge(piece: str) -> dict | None:
    """One charge from one list item: {"text", "statute", "counts", "canonical", "category",
    "confidence", "attempted", "conspiracy", "degree", "raw"}; None for an item that is not a
    charge (a bare class label such as "felonies", an empty string)."""
    raw = re.sub(r"\s+", " ", piece).strip(" \t\n,;:.-*\u2022")
    if not raw:
        return None
    s = raw
    s = re.sub(r"^(?:and|or|also|plus|with|including|as well as)\s+", "", s, flags=re.I)
    s = re.sub(
        r"^(?:(?:being\s+)?(?:a\s+)?delinquent,?\s+to\s+wit|to\s+wit)\s*:?\s*", "", s, flags=re.I
    )
    s = re.sub(r"^(?:[-*\u2022]|\d{1,2}[.)])\s+", "", s)
    statute = None
    sm = None
    tm = _TABLE_STATUTE.match(s)
    if tm:
        statute = f"{tm.group('title')} § {tm.group('sec')}" + (
            f" §§ {tm.group('sub')}" if tm.group("sub") else ""
        )
        s = s[tm.end() :]
    bm = BRACKET_STATUTE.search(s) if tm is None else None
    if bm is not None:
        statute = bm.group("num")
        s = (s[: bm.start()] + " " + s[bm.end() :]).strip()
        tm = bm  # one statute per charge
    for m in STATUTE.finditer(s if tm is None else ""):
        num = m.group("num")
        if re.fullmatch(r"\d{1,2}[/.]\d{1,2}(?:[/.]\d{2,4})?", num):
            continue  # a date, not a statute
        sm = m
        statute = num.rstrip("%")
    if sm is not None:
        s = (s[: sm.start()] + " " + s[sm.end() :]).strip()
    counts = 1
    m = LEADING_COUNT.match(s)
    if m:
        n = m.group("n").lower()
        counts = int(n) if n.isdigit() else (NUMBER_WORDS.get(n) or 1)
        s = s[m.end() :]
    m = TRAILING_COUNT.search(s)
    if m:
        val = m.group("a") or m.group("b") or m.group("c") or m.group("d")
        if val:
            counts = int(val) if val.isdigit() else (NUMBER_WORDS.get(val.lower()) or counts)
        s = s[: m.start()]
    # "2nd degree burglary for entering the residence": the explanation is not the charge,
    # but "criminal mischief for damage to the truck" keeps its object
    # ("offering a false instrument for filing", "trespass after warning" are charge names)
    s = re.sub(
        r"\s+(?:for|after)\s+(?:allegedly\s+)?(?!(?:filing|warning)\b)[a-z]+ing\b.*$|"
        r"\s+in (?:the|a) (?:death|shooting|killing|stabbing)\b.*$",
        "",
        s,
    )
    s = _ENHANCEMENT.sub("", s)
    # "murder of Solomon Ortiz in Riverton": the victim is not part of the charge
    s = _VICTIM_OF.sub(r"\g<h>", s)
    # "Failure to provide financial security (no car insurance)": a lower-case aside
    s = re.sub(r"\s*\((?![^)]*\b(?:counts?|degree|offense|subsequent)\b)[a-z][^()]*\)\s*$", "", s)
    prev = None
    while prev != s:
        prev = s
        s = CLASS_TAG.sub("", s).strip(" ,;:.-")
    s = re.sub(r"^(?:a|an|the|one)\s+(?=\w)", "", s, flags=re.I)
    s = re.sub(
        r"^(?:on\s+)?(?:(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2}"
        r"(?:st|nd|rd|th)?,?\s+)",
        "",
        s,
    )
    # "driving under the influence early Sunday": the when is not part of the charge
    s = _TRAILING_WHEN.sub("", s)
    s = re.sub(r"\s+", " ", s).strip(" ,;:.-")
    if not s or len(s) < 3 or _phrases()["not_charges"].match(s):
        return None
    if len(s.split()) > 16 or re.search(r"\s-\s+The\b|\b(?:HOME|Skip to)\b", s):
        return None
    if "$" in s and (not _VALUE_CHARGE.search(s) or re.match(r"[A-Za-z]+ing\b", s)):
        return None  # "held on $5,000 bond", "stealing over $18,000 from ...": not a charge
    if re.search(r"\b(?:enhancements?|special allegations?)\b", s, re.I):
        return None  # "white collar crime sentencing enhancements for ..."
    if re.fullmatch(rf"{_STATE_NAMES}\.?", s):
        return None  # "... in Sioux City, Iowa": the state after a place
    if re.fullmatch(
        r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2}|"
        r"(?:19|20)\d\d\b.*",
        s,
    ):
        return None
    if not re.search(r"[A-Za-z]{3}", s):
        return None
    if _CLAUSE.search(s) and not _RELATIVE_CLAUSE.search(s):
        return None  # "crimes are not publicly identified": a sentence about policy
    if _PLACE_HEADLINE.search(s):
        return None  # "Walker St. Shooting": a headline
    text = _upper_first(s)
    canonical, code, confidence = classify(text)
    if "$" in s and code == "90Z" and confidence == "low":
        return None  # "Lack of $2,500": an amount, not a charge
    dm = DEGREE.search(s)
    degree = None
    if dm:
        word = (dm.group("d") or dm.group("e") or "").lower()
        degree = _DEGREE_NUM.get(word) or (int(dm.group("f")) if dm.group("f") else None)
    return {
        "text": text,
        "statute": statute,
        "counts": counts,
        "canonical": canonical,
        "category": code,
        "confidence": confidence,
        "attempted": bool(ATTEMPT.search(s)),
        "conspiracy": bool(CONSPIRACY.search(s)),
        "degree": degree,
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

    s = re.sub(r"\([^()]*\)", inner, s)
    low = s.lower()
    for phrase in _phrases()["keep_and"]:
        i = low.find(phrase)
        while i != -1:
            seg = s[i : i + len(phrase)]
            seg = re.sub(r"\band\b", _PLACEHOLDER_AND, seg, flags=re.I)
            s = s[:i] + seg + s[i + len(phrase) :]
            low = s.lower()
            i = low.find(phrase, i + len(seg))
    # "$1,000" and "1,000 grams" keep their commas
    s = re.sub(r"(?<=\d),(?=\d{3})", _PLACEHOLDER_COMMA, s)
    return s


def _restore(s: str) -> str:
    return (
        s.replace(_PLACEHOLDER_COMMA, ",")
        .replace(_PLACEHOLDER_AND, "and")
        .replace(_PLACEHOLDER_SEMI, ";")
        .replace(_PLACEHOLDER_OR, "or")
    )


_ORD = r"(?:first|second|third|fourth|fifth|sixth|seventh|1st|2nd|3rd|4th|5th|6th|7th)"
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
        cut_enhancements(s),
    )
    s = _protect(s)
    s = re.sub(r"^\s*(?:[-*\u2022]|\d{1,2}[.)])\s+", "", s, flags=re.M)
    # a list that ends ", and X" (serial comma) separates its items with commas: a bare "and"
    # belongs to the item ("stealing and secreting a public record, ..., and burglary")
    serial = bool(re.search(r",\s*and\s+", s)) and "\n" not in s.strip()
    bare_and = "" if serial else r"\s+and\s+|"
    parts = re.split(
        r"\s*(?:;|,(?!\s*(?:a|an)\s+(?:class|level|felony|misdemeanor))\s*(?:and\s+|&\s+)?|"
        rf"\n+|{bare_and}\s+&\s+|\s+as well as\s+|\s+plus\s+|\s+along with\s+)\s*",
        s,
        flags=re.I,
    )
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
            and not re.match(
                r"(?i)(?:murder|burglary|robbery|arson|theft|larceny|kidnapping|"
                r"rape|assault|battery|extortion|forgery|stalking|harassment|"
                r"trespass|trespassing|menacing|embezzlement|bribery|perjury|"
                r"shoplifting|loitering|prostitution|vandalism|manslaughter|"
                r"carjacking|escape|obstruction|resisting|intimidation|"
                r"incest|sodomy|DUI|DWI|OWI|OUI|fraud|conspiracy|mischief|"
                r"disorderly|eluding|contempt|criminal)$",
                p,
            )
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
        if bulleted is None:
            bulleted = bool(_BULLET.match(line))
        if (
            (bulleted and not _BULLET.match(line))
            or _header_line(line.rstrip("\n"))
            or _PROSE_LINE.match(stripped)
            or "$" in stripped
            or len(stripped) > 160
            or re.match(
                r"^(?:Accused|Arrested|Suspect|Victim|Name|Defendant|Date|Location|"
                r"Case|Incident|Address|Age|DOB|Bond|Bail)\s*(?:\#|No\.?)?\s*:",
                stripped,
            )
            or (
                len(stripped.split()) > 14
                and not re.match(r"^[-*\u2022]", stripped)
                and not _TABLE_STATUTE.match(stripped)
            )
        ):
            break
        lines.extend(_TABLE_ROW.split(stripped))
        end = start + m.end()
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
        before = seg[: m.start() + 1]
        if _ABBREV_END.search(before):
            continue
        if re.search(r"\d\.$", before) and re.match(r"\.\d", seg[m.start() :]):
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
    tm = _phrases()["terminators"].search(seg, 0, end)
    while tm is not None and tm.start() == 0:
        tm = _phrases()["terminators"].search(seg, tm.end(), end)
    if tm is not None:
        end = tm.start()
    return start + end


_CHARGE_GERUNDS = {
    "stalking",
    "shoplifting",
    "trespassing",
    "loitering",
    "speeding",
    "kidnapping",
    "carjacking",
    "racketeering",
    "menacing",
    "harassing",
    "eluding",
    "obstructing",
    "resisting",
    "possessing",
    "burglarizing",
    "driving",
    "operating",
    "endangering",
    "interfering",
    "carrying",
    "tampering",
    "trafficking",
    "smuggling",
    "dealing",
    "promoting",
    "soliciting",
    "receiving",
    "disturbing",
    "criminally",
    "using",
    "making",
    "fleeing",
    "failing",
    "leaving",
    "evading",
    "damaging",
    "unlawfully",
    "luring",
    "aiding",
    "abetting",
    "breaking",
    "entering",
    "harboring",
    "hindering",
    "impersonating",
    "intimidating",
    "threatening",
    "exposing",
    "indecent",
    "peeping",
    "keeping",
    "selling",
    "manufacturing",
    "cultivating",
    "delivering",
    "distributing",
    "furnishing",
    "forging",
    "uttering",
    "passing",
    "littering",
    "gambling",
    "bookmaking",
    "pandering",
    "pimping",
    "patronizing",
    "cheating",
    "embezzling",
    "prowling",
    "concealing",
    "falsifying",
    "offering",
    "filing",
    "issuing",
    "tending",
    "discharging",
    "going",
    "transporting",
    "contributing",
}
_OWN_COUNT = re.compile(rf"\b{_NUM}\s+{_COUNT_KIND}counts?\b", re.I)
_HISTORY = re.compile(
    r"(?:most recent(?:ly)?|previous(?:ly)?|prior|last arrest|earlier (?:this|last) year|"
    r"(?:had|has) been (?:arrested|charged|convicted)|was convicted|convicted (?:of|in)|"
    r"was on (?:probation|parole)|on (?:probation|parole) for|served|sentenced|"
    r"criminal history|history of|in (?:19|20)\d\d,?\s)",
    re.I,
)


# "... for interfering with an officer, a case that remains pending": another case
_HISTORY_AFTER = re.compile(
    r"\b(?:a|the|that) case (?:that |which )?(?:remains|is still|is) (?:pending|open|unresolved)\b|"
    r"\bin an? (?:unrelated|earlier|previous|prior) (?:case|incident|arrest)\b",
    re.I,
)


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
    if re.match(r"\s*[A-Z][A-Za-z ]{1,24}:", line):
        return False
    if len(re.findall(r"[A-Z]{2,}", line)) >= 3 and not re.search(r"[a-z]", line):
        return True  # "DRIVER CHARGED WITH MURDER AFTER CRASH"
    if re.search(r"\d", text[ls:pos]):
        return False
    if ". " in line.strip():
        return False
    return headline_like(line)


def find_charge_lists(text: str) -> list[ChargeList]:
    """Every charge list in `text` in text order, each with its parsed charges. Lists in
    history sentences ("his most recent arrest was ... for violation of probation", "was
    previously convicted of") are skipped."""
    out: list[ChargeList] = []
    rx = _phrases()["triggers"]
    covered = -1
    for m in rx.finditer(text):
        if m.start() < covered:
            continue
        lo = max(0, m.start() - _PREFIX_WINDOW)
        sent_start = (
            max(text.rfind(". ", lo, m.start()), text.rfind("\n", lo, m.start()), lo - 1) + 1
        )
        prefix = text[sent_start : m.start()]
        if m.group(0).lower().startswith("charged"):
            # "A and B were previously charged with ...": the same case, not a history
            prefix = re.sub(r"\bpreviously\s+$", "", prefix, flags=re.I)
        if _HISTORY.search(prefix):
            continue
        if _headline(text, m.start()) or _title_line(text, m.start()):
            continue
        if _quoted(text, m.start()):
            continue  # "This defendant is charged with a frightening attack," said the DA
        if _HISTORY_AFTER.search(text, m.end(), _sentence_end(text, m.end())):
            continue
        if re.search(r"\bin connection\b", m.group(0), re.I):
            continue  # "charged a man in connection with a shooting": no charge named
        if re.search(r"\b(?:not|never|no)\s+(?:been\s+)?$", prefix, re.I):
            continue
        start = m.end()
        fm = _FOLLOWING.match(text, start, min(len(text), start + 60))
        if fm:
            start = fm.end()  # "charged X with the following:" and the list below
        rest = text[start : start + 3]
        gm = re.match(
            r"\s*(?:allegedly\s+)?(?:\w+ly\s+)?(?P<g>[A-Za-z]+ing)\b", text[start : start + 40]
        )
        if gm and gm.group("g").lower() not in _CHARGE_GERUNDS:
            continue
        is_block = bool(re.match(r"\s*:?\s*\n", text[start : start + 40])) or (
            m.group(0).rstrip().endswith(":") and bool(re.match(r"\s*\n", rest))
        )
        if is_block:
            end, lines = _block_lines(text, start)
            items: list[str] = []
            for piece in split_charge_list("\n".join(lines)):
                items.append(piece)
        else:
            end = _inline_end(text, start)
            items = split_charge_list(_unwrap_lines(text[start:end]))
        charges = [c for c in (parse_charge(p) for p in items) if c]
        each = re.match(
            rf"\s*(?P<n>{_NUM})\s+{_COUNT_KIND}counts?\s+each\s+of\b",
            text[start : start + 80],
            re.I,
        )
        if each and charges:
            n = each.group("n").lower()
            k = int(n) if n.isdigit() else (NUMBER_WORDS.get(n) or 1)
            for i, c in enumerate(charges):
                # "one count each of A, B, four counts of C": C keeps its own count
                if i == 0 or not _OWN_COUNT.search(c["raw"]):
                    c["counts"] = k
        if not charges:
            continue
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
