"""Bond and bail: amounts in whole dollars, a bond type, and the raw phrase.

Amounts: "$2 million", "$1.5 million", "$75K", "$250,000". Types come from the ordered rules in
`pipelines/extract/data/bond.toml`. "Held without bail" has amount None (never 0). A release with no
bond wording yields no bond at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import get_args

from price_parser import Price

from pipelines.extract import vocab
from pipelines.extract.record import BondType
from pipelines.extract.scan import compile_guarded

BOND_TYPES: tuple[BondType, ...] = get_args(BondType)
"""Every bond type, in the order of `record.BondType` (their one home)."""
NO_AMOUNT_TYPES = ("held_without_bail", "personal_recognizance", "promise_to_appear", "summons")

MONEY = re.compile(
    r"\$\s?(?P<num>\d[\d,]*(?:\.\d+)?)(?:\s?(?P<mult>million|thousand|mil\b|[kKmM]\b))?"
)
_MULT = {"million": 1_000_000, "mil": 1_000_000, "m": 1_000_000, "thousand": 1_000, "k": 1_000}

_KEYWORD = compile_guarded(
    r"\b(?:bail|bond|bonds|recognizance|R\.?O\.?R|promise to appear|summons(?:ed)?|"
    r"notice to appear|appearance ticket|ticketed to appear|cited and released|remanded|"
    r"ordered detained|released on (?:a )?citation|cited to appear|pretrial release|"
    r"pretrial detention|detained (?:\w+ )?(?:pending|until|without)|"
    r"remain(?:s|ed|ing)? (?:\w+ )?detained|released without)\b|"
    # "today reduced it to $20,000": a change of the bail already told of (no bail word)
    r"\b(?:raised|increased|reduced|lowered|decreased|cut)\s+(?:it|that|the (?:amount|figure))"
    r"\s+to(?=\s+\$)",
    re.I,
)
# Bond talk that is not about this release's custody decision.
_NOT_BOND = re.compile(
    r"bail (?:bonds? )?(?:agent|agency|agencies|business|company|licensee|industry|reform|"
    r"schedule|bondsm[ae]n)|bail[- ]?bonds(?:man|men)?\b|bond(?:s)? agent|bonds? issued|"
    r"bond (?:fund|measure|issue|rating|market)|\bposted? (?:his |her |their |a )?bond\b(?!.*\$)|"
    r"able to post|bonded out|bond(?:ed)? (?:out|release)|"
    r"out on bond (?:from|in) (?:a|an) (?:prior|previous|earlier)|"
    r"James Bond|bonding",
    re.I,
)


# custody on another case: "held without bail ... on a federal immigration case", "held on
# $10,000 bail in an unrelated case" is not this release's bond
_OTHER_CASE = re.compile(
    r"\b(?:on|in|for|from) (?:an?|another|the) (?:(?:federal|unrelated|separate|different|other|"
    r"prior|previous|earlier|older|pending|immigration|probation|parole)\s+){1,3}"
    r"(?:case|cases|matter|charges?|warrant|violation)\b",
    re.I,
)


def _other_case(text: str, a: int, b: int) -> bool:
    """True when the sentence of a bond clause text[a:b] places it on another case."""
    m = re.compile(r"\.(?=\s)|\n").search(text, b, min(len(text), b + 200))
    end = m.start() if m else min(len(text), b + 200)
    return bool(_OTHER_CASE.search(text, a, end))


@dataclass(frozen=True)
class BondHit:
    """One custody decision found in the text. `revises`: it changes a bond told before
    ("bail was raised to", "reduced it to", "is now"); `earlier`: it is a bond later changed
    ("a judge first set bail at"); `change_only`: its wording has no bail word ("reduced it to
    $20,000") and it only applies to a person who already has a bond."""

    start: int
    end: int
    amount: int | None
    type: str
    text: str
    revises: bool = False
    earlier: bool = False
    change_only: bool = False


# "bail was raised from $20,000 to $100,000", "reduced it to $20,000", "bail is now $5,000"
_REVISES = re.compile(
    r"\b(?:raised|increased|reduced|lowered|decreased|cut|modified|amended|now|currently|"
    r"later|subsequently)\b",
    re.I,
)
# "a judge first set bail at $100,000", "bail had been set at", "was originally held"
_EARLIER = re.compile(
    r"\b(?:first|initially|originally|previously|earlier|had (?:been )?(?:set|held))\b", re.I
)
# a change asked for, not decided: "the People will be requesting bail be increased to"
_REQUEST = re.compile(
    r"\b(?:request(?:s|ed|ing)?|ask(?:s|ed|ing)?|seek(?:s|ing)?|sought|move[sd]? to|motion to|"
    r"urg(?:e|es|ed|ing)|recommend(?:s|ed|ing)?|will ask)\b",
    re.I,
)
_FROM_TO = re.compile(r"\bfrom\s+\$[^$]{0,40}?\bto\s+(?=\$)", re.I)
_CHANGE_VERB = re.compile(r"(?:raised|increased|reduced|lowered|decreased|cut)\b", re.I)


@lru_cache(maxsize=1)
def _rules() -> tuple[tuple[str, re.Pattern], ...]:
    """The ordered (type, regex) rules of data/bond.toml."""
    return tuple(
        (r["type"], re.compile(r["pattern"], re.I)) for r in vocab.section("bond.toml", "rule")
    )


def parse_money(text: str) -> int | None:
    """The first dollar amount in `text` in whole dollars: "$2 million" → 2000000,
    "$75K" → 75000, "$250,000" → 250000. None when there is no "$" amount."""
    m = MONEY.search(text)
    if not m:
        return None
    price = Price.fromstring("$" + m.group("num"), decimal_separator=".")
    value = price.amount_float
    if value is None:
        return None
    mult = m.group("mult")
    if mult:
        value *= _MULT[mult.lower()]
    return int(round(value))


def bond_type(phrase: str, has_amount: bool = True) -> str | None:
    """The bond type a phrase states (first matching rule of bond.toml), "unspecified" for a
    bare amount, or None when the phrase states neither a type nor an amount."""
    for typ, rx in _rules():
        if rx.search(phrase):
            return typ
    return "unspecified" if has_amount else None


_BOUNDARY = re.compile(r",\s|;|\.\s|\.$|\n|\s(?:and|but|while|after|before|which|who)\s")


def _clause(text: str, start: int, end: int) -> tuple[int, int]:
    """The clause around text[start:end], bounded by ", ", ";", ". ", line breaks and
    conjunctions; "$100,000" keeps its comma because a boundary comma has a space after it."""
    left = max(0, start - 160)
    for m in _BOUNDARY.finditer(text, left, start):
        left = m.end()
    m = _BOUNDARY.search(text, end, min(len(text), end + 160))
    right = m.start() if m else min(len(text), end + 160)
    return left, right


def _sentence_start(text: str, pos: int) -> int:
    """Start of the sentence holding `pos` (after the last ". " or line break, at most 300
    characters back)."""
    lo = max(0, pos - 300)
    dot = text.rfind(". ", lo, pos)
    return max(dot + 2 if dot != -1 else lo, text.rfind("\n", lo, pos) + 1)


def _same_decision(text: str, prev: BondHit, start: int, typ: str) -> bool:
    """True when a clause at `start` only restates the decision `prev` told just before it in
    the same sentence (same type, no amount, and no one named in between or in it)."""
    if prev.type != typ or prev.amount is not None or start - prev.end > 12:
        return False
    if _sentence_start(text, start) > prev.start:
        return False
    end = _clause(text, start, start + 1)[1]
    return not re.search(r"(?<![.!?]\s)\b[A-Z][a-z]+", text[prev.end : end])


def _extend_clause(text: str, a: int, b: int) -> int:
    """Where a clause without an amount really ends: a clause that is only "$X cash or" goes on
    after the "or" ("$100,000 cash or $50,000 bond"), and "set bail at $2 million, $500,000
    and $50,000 respectively" takes its amount from the next comma piece."""
    if text[b : b + 4] in (" or ", " or$") or re.match(r"\s+or\s+\$", text[b:]):
        b = _clause(text, b + 4, b + 5)[1]
        if MONEY.search(text, a, b):
            return b
    nxt = re.match(r"[\s,]*(?:of|at|in the amount of)?\s*\$", text[b:])
    if nxt:
        return _clause(text, b + nxt.end(), b + nxt.end() + 1)[1]
    return b


def _amount(clause: str) -> int | None:
    """The bond amount a clause states: its first dollar figure, except the figure a change
    went to ("raised from $20,000 to $100,000" → 100,000) and, of "$X bond or $Y cash", the
    cash (or plain "bail") figure. None when it has no dollar figure."""
    monies = list(MONEY.finditer(clause))
    if not monies:
        return None
    m0 = monies[0]
    ft = _FROM_TO.search(clause)
    if ft:
        m0 = next((mm for mm in monies if mm.start() == ft.end()), m0)
    if len(monies) >= 2 and re.search(r"\bor\b", clause):
        for mm in monies:
            follow = clause[mm.end() : mm.end() + 20].lower()
            if re.match(r"\s*(?:in\s+)?(?:cash|bail)\b", follow):
                m0 = mm
                break
    return parse_money(m0.group(0))


def find_bonds(text: str) -> list[BondHit]:
    """Every custody decision in `text`: amount (or None), type and the raw phrase, in text
    order. Several decisions in one sentence ("Sumpter was ordered held without bail, Bailey's
    bail was set at $100,000 cash or $50,000 bond") give several hits; "$100,000 cash or
    $50,000 bond" is one hit (cash_or_surety, the cash amount)."""
    hits: list[BondHit] = []
    seen: set[tuple[int, int]] = set()
    for km in _KEYWORD.finditer(text):
        a, b = _clause(text, km.start(), km.end())
        if (a, b) in seen:
            continue
        if _NOT_BOND.search(text[max(a, km.start() - 40) : min(b, km.end() + 40)]):
            continue  # "bail bonds agent", "able to post bond"
        if not MONEY.search(text, a, b):
            b = _extend_clause(text, a, b)
        clause = text[a:b]
        amount = _amount(clause)
        typ = bond_type(clause, amount is not None)
        if typ is None or (amount is None and typ not in NO_AMOUNT_TYPES):
            continue
        if typ == "held_without_bail":
            amount = None
        seen.add((a, b))
        if _other_case(text, a, b):
            continue  # "is being held without bail ... on a federal immigration case"
        if amount is None and hits and _same_decision(text, hits[-1], a, typ):
            continue  # "remains detained after prosecutors filed a petition to deny release"
        hits.append(
            BondHit(
                a,
                b,
                amount,
                typ,
                re.sub(r"\s+", " ", clause).strip(" ,.;:"),
                revises=bool(_REVISES.search(clause) or _FROM_TO.search(clause))
                and not _REQUEST.search(text, _sentence_start(text, a), b),
                earlier=bool(_EARLIER.search(clause)),
                change_only=bool(_CHANGE_VERB.match(km.group(0))),
            )
        )
        if amount is not None:
            nxt = _next_person_bond(text, b, seen)
            if nxt is not None:
                hits.append(nxt)
    return _totals_first(text, hits)


# "... and Cole's at $15,000", "... and $25,000 for Cole": the same decision, for another person
_JOINED = re.compile(r"\s*(?:,\s*)?(?:and|while|;)\s+")
_PERSON_AMOUNT = re.compile(
    r"(?:for\s+)?(?-i:[A-Z])[\w\u2019'-]+(?:'s|\u2019s)?\s+(?:(?:bail|bond)\s+)?"
    r"(?:(?:was|is)\s+(?:set\s+)?)?(?:at\s+)?\$|\$[\d,.]+(?:\s?(?:million|thousand|[kKmM]\b))?"
    r"\s+(?:\w+\s+)?for\s+(?-i:[A-Z])",
    re.I,
)


def _next_person_bond(text: str, end: int, seen: set[tuple[int, int]]) -> BondHit | None:
    """The bond of a second person told in the clause right after a bond ("Lane's bond was set
    at $30,000 and Cole's at $15,000"): a clause joined by "and" / ";" that names someone and
    gives an amount, with no bail word of its own."""
    jm = _JOINED.match(text, end)
    if not jm or not _PERSON_AMOUNT.match(text, jm.end()):
        return None
    a, b = jm.end(), _clause(text, jm.end(), jm.end() + 1)[1]
    money = MONEY.search(text, a, b)
    if (a, b) in seen or money is None or _KEYWORD.search(text, a, b):
        return None
    seen.add((a, b))
    clause = text[a:b]
    typ = bond_type(clause, True) or "unspecified"
    raw = re.sub(r"\s+", " ", clause).strip(" ,.;:")
    return BondHit(a, b, parse_money(money.group(0)), typ, raw)


_TOTAL = re.compile(r"\btotal(?:ing|ling|s)?\b|\bcombined\b|\baggregate\b", re.I)


def _totals_first(text: str, hits: list[BondHit]) -> list[BondHit]:
    """Bonds set per charge with a stated total ("$50,000 on the burglary charge and $26,500
    on the theft charge, for a total bond of $76,500"): the total stands for the sentence, the
    per-charge amounts before it in that sentence are dropped."""
    out: list[BondHit] = []
    for h in hits:
        if h.amount is not None and _TOTAL.search(h.text):
            s0 = max(text.rfind(". ", 0, h.start), text.rfind("\n", 0, h.start)) + 1
            out = [o for o in out if o.start < s0 or o.amount is None]
        out.append(h)
    return out
